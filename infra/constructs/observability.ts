// What ops watch: one dashboard, and alarms on anything that means a project stopped moving or a user got an error.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  TreatMissingData,
  type IMetric,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import type { ScheduledJob } from './schedules.ts';
import type { StreamConsumer } from './stream-consumers.ts';
import type { ZoneFunction } from './zone-function.ts';
import type { ZoneTable } from './data.ts';
import { deployedStackName } from './names.ts';

/**
 * A line the product logged with `message` (functions/kernel/runtime/log.ts): on Lambda's JSON log format, as every
 * function is deployed, the product's record sits under the runtime's own `message`.
 */
/** The inbox stream's consumer carries new notifications to group robots and e-mail; the outbox's, workflow signals. */
const carriesNotifications = (consumer: StreamConsumer) => consumer.name === 'route-notifications';

const logMessage = (message: string) => FilterPattern.stringValue('$.message.message', '=', message);

/**
 * The error line each stream consumer logs for a record it reports back to the stream (ReportBatchItemFailures): the
 * invocation succeeds, so Lambda counts no error while the stream retries the record — only this line says so.
 */
const REFUSED_RECORD_LINES: Readonly<Record<string, string>> = {
  'wake-workflow': 'could not deliver a workflow signal; the stream retries it',
  'route-notifications': 'could not route a notification; the stream retries it',
};

/**
 * The functions that number letters (supervision/issue.ts, through each series' numbering as read: store/letters.ts
 * readNumbering), and the warnings that reading logs when a series' counter is behind the numbers claimed or malformed —
 * set back, deleted or overwritten by hand, or by a restore of the item. The next letter skips past and moves it on, so
 * nothing fails: those lines are all that says someone touched it. `test/infra/stack.test.ts` finds the functions whose
 * bundle holds the lines and fails when this list is not exactly them.
 */
const LETTER_NUMBERING_FUNCTIONS = ['send-letter', 'complete-task', 'decide-gate', 'record-meeting', 'evaluate-stage', 'exit-step'] as const;
const LETTER_COUNTER_LINES = [
  'letter counter behind the numbers issued: the next letter takes the number after them',
  'letter counter malformed: the next letter repairs it',
] as const;

/**
 * Where an alarm's description sends the operator: its row of docs/runbook.md, named as the row names it (`Alarm
 * \`<name>\``; an alarm of a numbered group, `FunctionErrors3`, by its group's row, `FunctionErrorsN`).
 */
export const runbookRow = (alarm: string): string => ` Runbook: docs/runbook.md, row "Alarm \`${alarm}\`".`;

export interface ObservabilityProps {
  readonly stateMachine: StateMachine;
  /** The exit procedure's machine, and the queue where its failure events end after every retry. */
  readonly exitMachine?: StateMachine;
  readonly exitFailures?: readonly Queue[];
  readonly functions: ReadonlyMap<string, ZoneFunction>;
  /**
   * The functions the state machines invoke as steps: their errors alarm counts their `workflow step failed` lines,
   * not their Lambda errors (FunctionErrorsN, below).
   */
  readonly workflowSteps?: ReadonlySet<string>;
  readonly apiStage: HttpStage;
  /** Stream-fed functions: alarm when records wait too long or end in the failure queue. */
  readonly streamConsumers?: readonly StreamConsumer[];
  /** Scheduled jobs: alarm when an invocation failed every retry. */
  readonly scheduledJobs?: readonly ScheduledJob[];
  /** Functions that deliver notifications: alarm when one fails for good (after every retry, for `giveUpHours`). */
  readonly deliveryFunctions?: readonly ZoneFunction[];
  /** The DynamoDB tables: alarm when one, or one of its indexes, throttles reads or writes. */
  readonly tables?: readonly ZoneTable[];
  /** Subscribed to the alarm topic when set (it must confirm the subscription e-mail). */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);
/** A metric-math alarm takes at most ten metrics. */
const METRICS_PER_ALARM = 10;

const inGroups = <T>(all: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(all.length / METRICS_PER_ALARM) }, (_, g) => all.slice(g * METRICS_PER_ALARM, (g + 1) * METRICS_PER_ALARM));

export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stackName = deployedStackName(this);

    // A key of our own: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns
    // key, whose policy we cannot extend to cloudwatch.amazonaws.com.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the ${stackName} alarm topic`,
      enableKeyRotation: true,
      // Alarm messages are not stored anywhere that needs this key later.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `${stackName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The TLS-only policy enforceSSL writes replaces the topic's default one, which let the account's alarms publish:
    // CloudWatch is allowed again, for this account's alarms named after this stack (`Zoneflow-*` also matches a
    // `Zoneflow-dev` stage's alarms, which publish to their own topic anyway).
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisStacksAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${stackName}-*` },
        },
      }),
    );
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    // The log-based metrics of this stack: a namespace of its own, so a dev stage's lines never reach prod's alarms.
    const metricNamespace = `Zoneflow/${stackName}`;
    const notify = new SnsAction(this.alarmTopic);

    const alarmAtLeastOnce = (id: string, metric: IMetric, description: string): void => {
      const alarm = new Alarm(this, id, {
        alarmName: `${stackName}-${id}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means nothing happened, which is healthy for error counts.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
    };

    const machine = props.stateMachine;
    const sum = { period: PERIOD, statistic: 'Sum' };
    alarmAtLeastOnce(
      'ExecutionsFailed',
      machine.metricFailed(sum),
      'A lifecycle segment failed: its project has no running execution (workflow.status failed; GET ' +
        '/projects?workflow=failed lists them). Fix the cause, then POST /projects/{id}/workflow/resume (ops).' +
        runbookRow('ExecutionsFailed'),
    );
    alarmAtLeastOnce(
      'ExecutionsTimedOut',
      machine.metricTimedOut(sum),
      'A lifecycle segment timed out (it should have continued as a new segment before the 1-year limit): its project ' +
        'still shows workflow running. POST /projects/{id}/workflow/resume {"force": true} (ops), and find why it did ' +
        'not hand over (or revert a definition that added a timeout).' + runbookRow('ExecutionsTimedOut'),
    );
    // Nothing in the design aborts a segment; an abort is a manual StopExecution that leaves a project without
    // a running workflow until someone resumes it.
    alarmAtLeastOnce(
      'ExecutionsAborted',
      machine.metricAborted(sum),
      'A lifecycle segment was stopped by hand: its project has no running lifecycle until someone resumes it, POST ' +
        '/projects/{id}/workflow/resume {"force": true} (ops), unless a migration stopped it on purpose.' +
        runbookRow('ExecutionsAborted'),
    );

    // The exit procedure: one alarm for any execution that did not succeed (each is recorded on its project, exit.status
    // failed); the runbook's "An exit failed" redrives it.
    if (props.exitMachine) {
      const exit = props.exitMachine;
      alarmAtLeastOnce(
        'ExitExecutionsFailed',
        // SUM(METRICS()), not f + t + a: a period with only a failure (no timeout or abort published) must still count.
        new MathExpression({ expression: 'SUM(METRICS())', usingMetrics: { f: exit.metricFailed(sum), t: exit.metricTimedOut(sum), a: exit.metricAborted(sum) }, period: PERIOD }),
        'An exit procedure 退出程序 did not finish (failed, timed out or aborted): its project shows exit.status failed with the ' +
          'error. Fix the cause, then POST /projects/{id}/exit/redrive (ops) or redrive the execution in the console.' +
          runbookRow('ExitExecutionsFailed'),
      );
    }
    for (const [i, q] of (props.exitFailures ?? []).entries()) {
      alarmAtLeastOnce(
        `ExitFailureEvents${i + 1}`,
        q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        `An exit execution's failure could not be recorded on its project (the event is in ${q.queueName}): the project still ` +
          'shows its exit running. Redrive the execution from the console, then delete the message.' + runbookRow(`ExitFailureEvents${i + 1}`),
      );
    }

    // A lifecycle whose start was refused fails no execution (there is none): wake-workflow records it on the project
    // (workflow.status start_failed), tells ops, and logs it — this metric counts those lines.
    const starter = props.functions.get('wake-workflow');
    if (starter) {
      const startFailed = new MetricFilter(this, 'LifecycleStartFailedFilter', {
        logGroup: starter.logGroup,
        filterPattern: logMessage('lifecycle start failed'),
        metricNamespace,
        metricName: 'LifecycleStartFailed',
        metricValue: '1',
      });
      alarmAtLeastOnce(
        'LifecycleStartFailed',
        startFailed.metric(sum),
        'An admitted or resumed project\'s lifecycle could not start (workflow.status start_failed): fix the cause, then ' +
          'POST /projects/{id}/workflow/resume (GET /projects?workflow=failed lists them).' + runbookRow('LifecycleStartFailed'),
      );
      // An exit whose execution could not start fails no execution either (exit-start.ts records exit.status failed).
      if (props.exitMachine) {
        const exitStartFailed = new MetricFilter(this, 'ExitStartFailedFilter', {
          logGroup: starter.logGroup,
          filterPattern: logMessage('exit start failed'),
          metricNamespace,
          metricName: 'ExitStartFailed',
          metricValue: '1',
        });
        alarmAtLeastOnce(
          'ExitStartFailed',
          exitStartFailed.metric(sum),
          'A decided exit procedure 退出程序 could not start (its project shows exit.status failed with the error): fix the ' +
            'cause (rights, the exit state machine), then POST /projects/{id}/exit/redrive (ops).' + runbookRow('ExitStartFailed'),
        );
      }
    }

    // A notification that failed for good on a channel (robot or e-mail) is kept in the delivery table's FAILED
    // partition and logged once: these filters count the lines of every delivering function.
    const deliveryFailed = (props.deliveryFunctions ?? []).map(
      (fn, i) =>
        new MetricFilter(this, `NotificationDeliveryFailedFilter${i + 1}`, {
          logGroup: fn.logGroup,
          filterPattern: logMessage('notification delivery failed'),
          metricNamespace,
          metricName: 'NotificationDeliveryFailed',
          metricValue: '1',
        }),
    );
    // Every filter publishes the same metric (a filter's metric has no dimension): it is read once, never summed with
    // itself (that counted each failure once per delivering function).
    const deliveryFailedMetric = deliveryFailed[0]?.metric(sum);
    if (deliveryFailedMetric) {
      alarmAtLeastOnce(
        'NotificationDeliveryFailed',
        deliveryFailedMetric,
        'A notification could not be delivered to a group robot or e-mail list after every retry (the channels ' +
          'configuration\'s giveUpHours). It is in the in-app inbox; GET /deliveries lists it with its reason; once the channel ' +
          'is mended, POST /deliveries/retry (ops).' + runbookRow('NotificationDeliveryFailed'),
      );
    }

    // A notice sent whose answer never came (10 s: a webhook or proxy that takes the request and hangs) is counted
    // delivered with `unconfirmed: true` and never sent again (a second copy in a work group is the worse error): it
    // neither fails nor stays pending, so without this a channel that swallows every notice showed nothing wrong.
    const deliveryUnconfirmed = (props.deliveryFunctions ?? []).map(
      (fn, i) =>
        new MetricFilter(this, `NotificationDeliveryUnconfirmedFilter${i + 1}`, {
          logGroup: fn.logGroup,
          filterPattern: logMessage('notification sent without an answer: not sent again'),
          metricNamespace,
          metricName: 'NotificationDeliveryUnconfirmed',
          metricValue: '1',
        }),
    );
    const deliveryUnconfirmedMetric = deliveryUnconfirmed[0]?.metric(sum);
    if (deliveryUnconfirmedMetric) {
      alarmAtLeastOnce(
        'NotificationDeliveryUnconfirmed',
        deliveryUnconfirmedMetric,
        'A notice was sent to a group robot and no answer came within 10 s: it is counted delivered (unconfirmed: true on ' +
          'the notification) and never sent again, so the group may not have it. The log line names the channel and the ' +
          'notification; many in a row are a webhook or proxy that hangs. Ask the group, tell it by hand what it lacks.' +
          runbookRow('NotificationDeliveryUnconfirmed'),
      );
    }

    // The delivery sweep catches a channel's error so the other channels go on (deliver-notifications.ts): the function
    // does not fail and no queue fills, so only its log line says that channel's notices are standing still.
    const sweeper = props.functions.get('deliver-notifications');
    const sweepErrors = sweeper && new MetricFilter(this, 'DeliveryQueueErrorsFilter', {
      logGroup: sweeper.logGroup,
      filterPattern: logMessage('could not work a channel queue; the next sweep tries again'),
      metricNamespace,
      metricName: 'DeliveryQueueErrors',
      metricValue: '1',
    });
    if (sweepErrors) {
      alarmAtLeastOnce(
        'DeliveryQueueErrors',
        sweepErrors.metric(sum),
        'The every-minute delivery sweep could not work a channel\'s queue (deliver-notifications log line "could not work ' +
          'a channel queue", with the channel and the error): while the error lasts that group\'s or list\'s notices wait ' +
          '(GET /deliveries: pending grows); the other channels go on. Fix the cause; the next sweep carries on in order.' +
          runbookRow('DeliveryQueueErrors'),
      );
    }

    // A letter counter found behind the numbers issued or malformed: every function that numbers letters publishes its
    // lines to one metric (the same name, no dimension), alarmed at the first.
    const letterCounterFilters = LETTER_NUMBERING_FUNCTIONS.flatMap((name) => {
      const fn = props.functions.get(name);
      return fn
        ? [new MetricFilter(this, `LetterCounterTouchedFilter-${name}`, {
            logGroup: fn.logGroup,
            filterPattern: FilterPattern.any(...LETTER_COUNTER_LINES.map(logMessage)),
            metricNamespace,
            metricName: 'LetterCounterTouched',
            metricValue: '1',
          })]
        : [];
    });
    const letterCounterTouched = letterCounterFilters[0]?.metric(sum);
    if (letterCounterTouched) {
      alarmAtLeastOnce(
        'LetterCounterTouched',
        letterCounterTouched,
        'A letter number counter 发文编号计数 was found behind the numbers already issued, or not a number (log line "letter counter ' +
          'behind the numbers issued…" or "letter counter malformed…", with the series, year, seq found and highest claimed): ' +
          'someone set it back, deleted or overwrote it, or restored the item. No number was issued twice — the letter skipped ' +
          'past and moved the counter on. Find who changed the item and why; do not touch its NUMBER# items.' +
          runbookRow('LetterCounterTouched'),
      );
    }

    // A state machine's step fails its invocation for errors the machine then retries: a transient fault (TransientFault),
    // a race retried by name (Conflict, ConcurrentChange…), Lambda's own faults. Counted as Lambda errors, the alarm
    // paged ops for a step the next attempt did (a busy afternoon's lost races). What a step's error should page for is
    // a bug: the step logs it at error level, `workflow step failed` (kernel/runtime/faults.ts; a retried error is a
    // warning) — these filters count those lines. An error whose retries run out fails the execution: its own alarm
    // (ExecutionsFailed, ExitExecutionsFailed) pages then.
    const stepFailed = new Map(
      [...(props.workflowSteps ?? [])].map((name) => {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`workflow step ${name} is not a catalog function`);
        const filter = new MetricFilter(this, `WorkflowStepFailedFilter-${name}`, {
          logGroup: fn.logGroup,
          filterPattern: logMessage('workflow step failed'),
          metricNamespace,
          metricName: `WorkflowStepFailed-${name}`,
          metricValue: '1',
        });
        return [name, filter.metric(sum)] as const;
      }),
    );
    /** What FunctionErrorsN counts of a function: its Lambda errors, or a step's `workflow step failed` lines. */
    const errorsOf = (name: string, fn: ZoneFunction): Metric => stepFailed.get(name) ?? fn.handler.metricErrors(sum);

    // Every function's errors and throttles, ten functions an alarm (a metric-math alarm takes at most ten metrics):
    // two alarms a function would spend the parent stack's resource budget (it holds every alarm; docs/design.md). The
    // description names the functions; the dashboard shows which one.
    // The dashboard draws the same groups, one graph an alarm (below).
    const groups = inGroups([...props.functions]);
    for (const [g, group] of groups.entries()) {
      const names = group.map(([name]) => name).join(', ');
      const steps = group.filter(([name]) => stepFailed.has(name)).map(([name]) => name);
      const n = g + 1;
      const total = (metric: (name: string, fn: ZoneFunction) => IMetric) =>
        new MathExpression({ expression: 'SUM(METRICS())', usingMetrics: Object.fromEntries(group.map(([name, fn], j) => [`m${j}`, metric(name, fn)])), period: PERIOD });
      alarmAtLeastOnce(
        `FunctionErrors${n}`,
        total(errorsOf),
        `A Lambda function returned errors — one of: ${names}. The dashboard graph FunctionErrors${n} / ` +
          `FunctionThrottles${n} shows which; its log group (/aws/lambda/${stackName}-<name>) has the error, and a 5xx ` +
          'answer\'s problem body carries the request id to search.' +
          (steps.length
            ? ` Of the state machines' steps (${steps.join(', ')}) only a "workflow step failed" line counts: an error ` +
              'the machine retries pages nobody (a warning line); one whose retries run out fails the execution, which ' +
              'has its own alarm.'
            : '') +
          runbookRow('FunctionErrorsN'),
      );
      alarmAtLeastOnce(
        `FunctionThrottles${n}`,
        total((_name, fn) => fn.handler.metricThrottles(sum)),
        `A Lambda function was throttled — one of: ${names}. The dashboard graph FunctionErrors${n} / ` +
          `FunctionThrottles${n} shows which. No function reserves concurrency: the account's ran out in this region ` +
          '(graph "Lambda concurrency" at the quota) — raise Service Quotas → Lambda → Concurrent executions, or find ' +
          'what else in the account took it. A state machine step retries a throttle for about a minute.' +
          runbookRow('FunctionThrottlesN'),
      );
    }
    alarmAtLeastOnce(
      'Api5xx',
      props.apiStage.metricServerError(sum),
      'The API answered 5xx to a caller. The API access log (resource Api/AccessLogs) names the route and request id; ' +
        'the route\'s function log group has the error.' + runbookRow('Api5xx'),
    );

    // DynamoDB on demand still throttles: past the table's or the account's throughput quota, or on one hot partition
    // (a key read or written past 3,000 reads or 1,000 writes a second). The SDK retries a throttled call; what it
    // gives up on is a function error, but the throttling itself is the cause ops must see. DynamoDB counts an index's
    // throttle events under the table's name and the index's (TableName, GlobalSecondaryIndexName), never under the
    // table's name alone: every list is a Query on an index, so each index is alarmed by its own metric beside its
    // table's — ten metrics an alarm (TableReadThrottles1…), as the functions' are. System errors (500s of the service)
    // are retried the same way and show as function errors; they are not alarmed apart.
    const tables = props.tables ?? [];
    /** One table's throttle events and each of its indexes', labelled `table` and `table/index`. */
    const tableThrottles = ({ def, table }: ZoneTable, metricName: string): { label: string; metric: Metric }[] => [
      { label: def.id, metric: table.metric(metricName, sum) },
      ...def.indexes.map((index) => ({
        label: `${def.id}/${index.name}`,
        metric: table.metric(metricName, { ...sum, dimensionsMap: { TableName: table.tableName, GlobalSecondaryIndexName: index.name } }),
      })),
    ];
    const throttleEvents = (metricName: string) => tables.flatMap((t) => tableThrottles(t, metricName));
    for (const [kind, metricName] of [['Read', 'ReadThrottleEvents'], ['Write', 'WriteThrottleEvents']] as const) {
      const throttleGroups = inGroups(throttleEvents(metricName));
      for (const [g, group] of throttleGroups.entries()) {
        const names = group.map((m) => m.label).join(', ');
        alarmAtLeastOnce(
          `Table${kind}Throttles${g + 1}`,
          new MathExpression({ expression: 'SUM(METRICS())', usingMetrics: Object.fromEntries(group.map((m, j) => [`t${j}`, m.metric])), period: PERIOD }),
          `A DynamoDB table or index throttled ${kind.toLowerCase()}s — one of: ${names}. The dashboard's DynamoDB graphs ` +
            'show which table (its indexes with it); the table\'s Monitor tab in the DynamoDB console, which index. A quota: ' +
            'raise it (Service Quotas) or the table\'s maximum throughput; a hot key: find the function using it in the logs ' +
            'at that time.' + runbookRow(`Table${kind}ThrottlesN`),
        );
      }
    }

    for (const job of props.scheduledJobs ?? []) {
      alarmAtLeastOnce(
        `${job.name}-FailedRuns`,
        job.failed.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        `The scheduled job ${job.name} failed every retry (its events are in ${job.failed.queueName}). ` +
          (job.carriesOn
            ? 'Its work is kept in its table: fix the cause and its next run carries on (nothing to invoke again), then delete the message.'
            : 'It is idempotent: fix the cause, invoke it with { "at": "<the missed instant>" }, then delete the message.') +
          runbookRow(`${job.name}-FailedRuns`),
      );
    }

    for (const consumer of props.streamConsumers ?? []) {
      alarmAtLeastOnce(
        `${consumer.name}-FailedRecords`,
        consumer.failed.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        carriesNotifications(consumer)
          ? `New notifications that ${consumer.name} could not route to their channels after every retry are in ` +
            `${consumer.failed.queueName}: they are in the in-app inbox but reached no group robot or e-mail. Once the ` +
            'cause is fixed, POST /deliveries/route with the window of the message\'s arrival times sends them, each once; then delete the message.' +
            runbookRow(`${consumer.name}-FailedRecords`)
          : `Workflow signals that ${consumer.name} could not deliver after every retry are in ${consumer.failed.queueName}: ` +
            'the projects they name did not wake (or start). Replay each signal, then delete the message.' +
            runbookRow(`${consumer.name}-FailedRecords`),
      );
      const age = new Alarm(this, `${consumer.name}-IteratorAge`, {
        alarmName: `${stackName}-${consumer.name}-IteratorAge`,
        alarmDescription:
          carriesNotifications(consumer)
            ? `${consumer.name} is more than 5 minutes behind its stream: new notifications are reaching group robots and ` +
              'e-mail late (errors or throttling of the consumer; the in-app inbox has them). Clear its errors; it catches up.' +
              runbookRow(`${consumer.name}-IteratorAge`)
            : `${consumer.name} is more than 5 minutes behind its stream: API changes are not reaching their workflows ` +
              'promptly (errors or throttling of the consumer). Clear its errors; a throttle is the account\'s Lambda ' +
              'concurrency used up (alarm FunctionThrottlesN).' +
              runbookRow(`${consumer.name}-IteratorAge`),
        metric: consumer.fn.handler.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }),
        threshold: 5 * 60_000,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      age.addAlarmAction(notify);
      age.addOkAction(notify);
      this.alarms.push(age);
    }

    // The functions in the groups their alarms watch (FunctionErrorsN / FunctionThrottlesN): an alarm's graph has its
    // ten functions, one line each, where one graph of every function would have seventy lines to pick from.
    const perFunction = (group: readonly (readonly [string, ZoneFunction])[], metric: (fn: ZoneFunction) => Metric): IMetric[] =>
      group.map(([name, fn]) => metric(fn).with({ label: name }));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: stackName,
      defaultInterval: Duration.days(7),
    });
    /** A state machine's executions by how they ended. */
    const executions = (title: string, m: StateMachine) =>
      new GraphWidget({
        title,
        width: 12,
        left: [
          m.metricStarted(sum).with({ label: 'started' }),
          m.metricSucceeded(sum).with({ label: 'succeeded' }),
          m.metricFailed(sum).with({ label: 'failed' }),
          m.metricTimedOut(sum).with({ label: 'timed out' }),
          m.metricAborted(sum).with({ label: 'aborted' }),
        ],
      });
    this.dashboard.addWidgets(
      executions('Lifecycle executions', machine),
      // Forty-odd alarms in half a row: sorted as given, one in ALARM could sit below the widget's fold while the
      // tiles in sight were green. Firing first (then insufficient data, then OK, the latest change first in each), as
      // tall as the graph beside it.
      new AlarmStatusWidget({ title: 'Alarms (firing first)', width: 12, height: 6, alarms: this.alarms, sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP }),
    );
    if (props.exitMachine) {
      // The exit procedures beside the queues where failed runs end (the exit rule's, the scheduled jobs').
      const queues = [...(props.exitFailures ?? []), ...(props.scheduledJobs ?? []).map((job) => job.failed)];
      this.dashboard.addWidgets(
        executions('Exit procedures 退出程序', props.exitMachine),
        new GraphWidget({
          title: 'Failed runs waiting in their queues (scheduled jobs, exit failures)',
          width: 12,
          left: queues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }).with({ label: q.node.id.replace(/-Failed$/, '') })),
        }),
      );
    }
    if (deliveryFailed.length || sweepErrors) {
      // Notifications to group robots and e-mail: what failed for good, the channels the sweep could not work, the sweep's
      // own failures.
      const sweep = (props.scheduledJobs ?? []).find((job) => job.name === 'deliver-notifications');
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'Notification deliveries: failed for good, channel queues the sweep could not work',
          width: 12,
          left: [
            ...(deliveryFailedMetric ? [deliveryFailedMetric.with({ label: 'failed for good' })] : []),
            ...(deliveryUnconfirmedMetric ? [deliveryUnconfirmedMetric.with({ label: 'sent, no answer (unconfirmed)' })] : []),
            ...(sweepErrors ? [sweepErrors.metric(sum).with({ label: 'channel queue errors' })] : []),
            ...(sweeper ? [sweeper.handler.metricErrors(sum).with({ label: 'sweep errors' })] : []),
            ...(sweep ? [sweep.failed.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }).with({ label: 'sweeps in failure queue' })] : []),
          ],
          leftYAxis: { min: 0 },
        }),
      );
    }
    if (letterCounterTouched) {
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'Letter number counters found behind or malformed (touched by hand; the next letter moved them on)',
          width: 12,
          left: [letterCounterTouched.with({ label: 'counter behind or malformed' })],
          leftYAxis: { min: 0 },
        }),
      );
    }
    groups.forEach((group, g) => {
      const n = g + 1;
      this.dashboard.addWidgets(
        new GraphWidget({
          title: `FunctionErrors${n} / FunctionThrottles${n}: ${group[0]![0]} … ${group.at(-1)![0]}`,
          width: 12,
          left: group.map(([name, fn]) => errorsOf(name, fn).with({ label: stepFailed.has(name) ? `${name} (workflow step failed)` : name })),
          right: group.map(([name, fn]) => fn.handler.metricThrottles(sum).with({ label: `${name} throttles` })),
          leftYAxis: { label: 'errors', min: 0 },
          rightYAxis: { label: 'throttles', min: 0 },
        }),
        new GraphWidget({
          title: `Duration p95 (ms): ${group[0]![0]} … ${group.at(-1)![0]}`,
          width: 12,
          left: perFunction(group, (fn) => fn.handler.metricDuration({ period: PERIOD, statistic: 'p95' })),
        }),
      );
    });
    // Lambda's concurrency: the account's in this region (no function reserves any; docs/deploy.md), beside the state
    // machines' steps, which rise together at the midnights the lifecycles' deadlines fall on. The quota is not known at
    // synth: Service Quotas → Lambda → Concurrent executions.
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda concurrency: the account in this region (all its functions), the state machines\' steps',
        width: 12,
        left: [
          new Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', period: Duration.minutes(1), statistic: 'Maximum', label: 'account (its quota: Service Quotas → Lambda)' }),
        ],
        right: [...stepFailed.keys()].map((name) => props.functions.get(name)!.handler.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: 'Maximum' }).with({ label: name })),
        leftYAxis: { label: 'account', min: 0 },
        rightYAxis: { label: 'steps', min: 0 },
      }),
    );
    // What a consumer reported back to its stream, from its error line (see REFUSED_RECORD_LINES): beside its Lambda
    // errors on its failures graph. Not alarmed: the stream retries the record, and what it gives up on fills the
    // failure queue (alarm <name>-FailedRecords) while the delay grows (alarm <name>-IteratorAge).
    const refusedRecords = (consumer: StreamConsumer): Metric => {
      const line = REFUSED_RECORD_LINES[consumer.name];
      if (!line) throw new Error(`stream consumer ${consumer.name}: no refused-record line in REFUSED_RECORD_LINES`);
      return new MetricFilter(this, `StreamRecordsRefusedFilter-${consumer.name}`, {
        logGroup: consumer.fn.logGroup,
        filterPattern: logMessage(line),
        metricNamespace,
        metricName: `StreamRecordsRefused-${consumer.name}`,
        metricValue: '1',
      }).metric(sum);
    };
    for (const consumer of props.streamConsumers ?? []) {
      const carries = carriesNotifications(consumer) ? 'Notifications to groups and e-mail' : 'Workflow signals';
      this.dashboard.addWidgets(
        new GraphWidget({
          title: `${carries}: ${consumer.name} delay (ms)`,
          width: 12,
          left: [consumer.fn.handler.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }).with({ label: 'oldest record waiting' })],
        }),
        new GraphWidget({
          title: `${carries}: ${consumer.name} failures`,
          width: 12,
          left: [
            consumer.fn.handler.metricErrors(sum).with({ label: 'errors' }),
            refusedRecords(consumer).with({ label: 'records refused (the stream retries them)' }),
            consumer.failed.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }).with({ label: 'in failure queue' }),
          ],
        }),
      );
    }
    if (tables.length) {
      // What each table consumes (the cost model's units: docs/design.md; a table's figure includes its indexes') beside
      // its throttling, a table's line counting its indexes' throttle events too (published apart: above).
      const byTable = (kind: 'Read' | 'Write') =>
        new GraphWidget({
          title: `DynamoDB ${kind.toLowerCase()}s: capacity units consumed, throttle events`,
          width: 12,
          left: tables.map(({ def, table }) => table.metric(`Consumed${kind}CapacityUnits`, sum).with({ label: def.id })),
          right: tables.map((t) => {
            const events = tableThrottles(t, `${kind}ThrottleEvents`).map((e) => e.metric);
            return new MathExpression({ expression: 'SUM(METRICS())', usingMetrics: Object.fromEntries(events.map((m, j) => [`${kind.toLowerCase()}_${t.def.id.replace(/\W/g, '_')}_${j}`, m])), period: PERIOD, label: `${t.def.id} throttled` });
          }),
          leftYAxis: { label: 'units', min: 0 },
          rightYAxis: { label: 'throttle events', min: 0 },
        });
      this.dashboard.addWidgets(byTable('Read'), byTable('Write'));
    }
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API errors',
        width: 12,
        left: [
          props.apiStage.metricClientError(sum).with({ label: '4xx' }),
          props.apiStage.metricServerError(sum).with({ label: '5xx' }),
        ],
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        width: 12,
        left: ['p50', 'p95', 'p99'].map((statistic) =>
          props.apiStage.metricLatency({ period: PERIOD, statistic }).with({ label: statistic }),
        ),
      }),
    );
  }
}
