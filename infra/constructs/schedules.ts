// EventBridge Scheduler schedules for the catalog's scheduled jobs (`schedule`): the daily inventory refresh duty and the
// daily digest 每日提醒.
// Each runs at its hour in the zone's time zone, retried on failure, with an encrypted dead-letter queue (alarmed).
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { failureQueue } from './failure-queue.ts';
import type { ZoneFunction } from './zone-function.ts';
import { deployedStackName } from './names.ts';

export interface SchedulesProps {
  readonly specs: readonly FunctionSpec[];
  readonly functions: ReadonlyMap<string, ZoneFunction>;
}

export interface ScheduledJob {
  readonly name: string;
  readonly schedule: Schedule;
  /** Invocations that failed every retry. */
  readonly failed: Queue;
  /** Its next run carries on what a failed one left (the catalog's `schedule.carriesOn`): nothing to invoke again. */
  readonly carriesOn: boolean;
}

export class Schedules extends Construct {
  readonly jobs: ScheduledJob[] = [];

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stackName = deployedStackName(this);
    for (const spec of props.specs) {
      if (!spec.schedule) continue;
      const fn = props.functions.get(spec.name);
      if (!fn) throw new Error(`no function ${spec.name}`);
      // The job is idempotent: ops re-run a failed day with `{ "at": … }` (docs/runbook.md).
      const failed = failureQueue(this, spec.name, 'the dead-letter queue of the schedule');
      // Its own role, used by this schedule only, that may invoke this one function (the target grants it).
      const role = new Role(this, `${spec.name}-Role`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }) });
      acknowledge(
        role,
        wildcardResourceFinding(this, `${fn.handler.functionArn}:*`),
        'The scheduler target grants lambda:InvokeFunction on this one function and its versions (`<arn>:*`); the role ' +
          'serves this schedule only.',
      );
      const schedule = new Schedule(this, `${spec.name}-Schedule`, {
        scheduleName: `${stackName}-${spec.name}`,
        description: spec.description,
        schedule: ScheduleExpression.cron({ minute: spec.schedule.cron.minute, hour: spec.schedule.cron.hour, timeZone: TimeZone.ASIA_SHANGHAI }),
        target: new LambdaInvoke(fn.handler, {
          input: ScheduleTargetInput.fromObject({}),
          role,
          retryAttempts: 5,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: failed,
        }),
      });
      // The scheduler invokes the function asynchronously: its dead-letter queue takes only the events it could not hand
      // over. A run that throws is retried by Lambda and then goes to the same queue, so the alarm and the runbook's
      // "re-run the missed day" see it.
      fn.handler.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failed) });
      this.jobs.push({ name: spec.name, schedule, failed, carriesOn: spec.schedule.carriesOn === true });
    }
  }
}
