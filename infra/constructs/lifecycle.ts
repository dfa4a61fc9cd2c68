// The state machines from their ASL files — ProjectLifecycle and ProjectExit — and the workflow rights the catalog
// gives each function. A machine's Task states invoke the catalog steps declared for it (`machine`, `aslPlaceholder`).
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import type { MachineId } from '../../functions/kernel/declarations.ts';
import { EXIT_ASL, LIFECYCLE_ASL } from '../paths.ts';
import { failureQueue } from './failure-queue.ts';
import type { ZoneFunction } from './zone-function.ts';
import { deployedStackName } from './names.ts';

export interface LifecycleProps {
  readonly specs: readonly FunctionSpec[];
  readonly functions: ReadonlyMap<string, ZoneFunction>;
}

interface MachineProps extends LifecycleProps {
  readonly machine: MachineId;
  /** The machine's name after the stack's (`<stack>-<suffix>`). */
  readonly suffix: string;
  readonly aslFile: string;
}

/**
 * One state machine from its ASL file: substitutions from the catalog steps of this machine, logs, tracing. Its
 * constructs go straight into `scope` (ids `<logsId>` and `<suffix>`), so the lifecycle's logical ids stay as deployed.
 */
function aslMachine(scope: Construct, props: MachineProps & { readonly logsId: string }) {
  const stack = Stack.of(scope);
  const self = {} as { stateMachine: StateMachine; stateMachineName: string; stateMachineArn: string; executionsArn: string };
  {
    self.stateMachineName = `${deployedStackName(scope)}-${props.suffix}`;
    self.stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: self.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    self.executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${self.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const fn = (name: string): ZoneFunction => {
      const found = props.functions.get(name);
      if (!found) throw new Error(`catalog function ${name} was not created`);
      return found;
    };
    const asl = readFileSync(props.aslFile, 'utf8');
    const tasks = props.specs.filter((spec) => spec.aslPlaceholder !== undefined && (spec.machine ?? 'lifecycle') === props.machine);
    const substitutions = Object.fromEntries(tasks.map((spec) => [spec.aslPlaceholder as string, fn(spec.name).handler.functionArn]));
    // Catch a catalog/ASL mismatch at synth rather than as a failed deployment or a task that can't be invoked.
    const expected = aslPlaceholders(asl);
    const missing = [...expected].filter((name) => !(name in substitutions));
    const unused = Object.keys(substitutions).filter((name) => !expected.has(name));
    if (missing.length > 0 || unused.length > 0) {
      throw new Error(`ASL placeholders and catalog disagree (${props.suffix}): missing in catalog [${missing.join(', ')}], not in ASL [${unused.join(', ')}]`);
    }
    const logGroup = new LogGroup(scope, props.logsId, {
      // The /aws/vendedlogs/ prefix keeps Step Functions from growing the account's CloudWatch Logs resource policy.
      logGroupName: `/aws/vendedlogs/states/${self.stateMachineName}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    self.stateMachine = new StateMachine(scope, props.suffix, {
      stateMachineName: self.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // fromString, not fromFile: the definition stays in the template where reviews and assertions can see it.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: substitutions,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Only the unqualified ARNs the ASL names: no `:*` version wildcard as grantInvoke would add.
    self.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: tasks.map((spec) => fn(spec.name).handler.functionArn) }));
    const machinePolicy = self.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (machinePolicy) {
      acknowledge(
        machinePolicy,
        'AwsSolutions-IAM5[Resource::*]',
        'Added by CDK for logging and tracing: CloudWatch Logs log-delivery actions (CreateLogDelivery, ' +
          'PutResourcePolicy, DescribeLogGroups, ...) and X-Ray PutTraceSegments/GetSampling* support no ' +
          'resource-level permissions. Lambda invocation in this policy names each function ARN.',
      );
    }
  }
  return self;
}

/** The `${Name}` placeholders an ASL text expects from definitionSubstitutions. */
export function aslPlaceholders(asl: string): Set<string> {
  return new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string));
}

export class Lifecycle extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  /**
   * Built from the explicit name, not read from the resource: the machine references the ARNs of the
   * functions it invokes, and start-segment (one of them) needs the machine's ARN — a GetAtt both ways
   * would be a dependency cycle.
   */
  readonly stateMachineArn: string;
  /** The exit procedure 退出程序 (statemachines/project-exit.asl.json). */
  readonly exitMachine: StateMachine;
  readonly exitMachineArn: string;
  /** Where failure events of the exit machine end after every retry (alarmed by Observability). */
  readonly exitFailures: Queue[] = [];

  constructor(scope: Construct, id: string, props: LifecycleProps) {
    super(scope, id);
    const lifecycle = aslMachine(this, { ...props, machine: 'lifecycle', suffix: 'ProjectLifecycle', aslFile: LIFECYCLE_ASL, logsId: 'Logs' });
    const exit = aslMachine(this, { ...props, machine: 'exit', suffix: 'ProjectExit', aslFile: EXIT_ASL, logsId: 'ExitLogs' });
    this.stateMachine = lifecycle.stateMachine;
    this.stateMachineName = lifecycle.stateMachineName;
    this.stateMachineArn = lifecycle.stateMachineArn;
    this.exitMachine = exit.stateMachine;
    this.exitMachineArn = exit.stateMachineArn;
    const fn = (name: string): ZoneFunction => {
      const found = props.functions.get(name);
      if (!found) throw new Error(`catalog function ${name} was not created`);
      return found;
    };

    // A failed, timed-out or aborted exit is recorded on the project by the functions that receive its failures.
    for (const spec of props.specs.filter((s) => s.failureOf === 'exit')) {
      // `<stack>-exit-step-failed`, as every function's failure queue is named (it was `…-exit-step-exit-failed-failed`:
      // docs/deploy.md says what its rename does to a deployed stack).
      const dlq = failureQueue(this, spec.name, 'the dead-letter queue of the exit-failure rule');
      this.exitFailures.push(dlq);
      new Rule(this, `${spec.name}-ExitFailed`, {
        description: 'Exit executions that did not succeed: recorded on the project for ops to redrive',
        eventPattern: { source: ['aws.states'], detailType: ['Step Functions Execution Status Change'], detail: { stateMachineArn: [this.exitMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] } },
        targets: [new LambdaFunction(fn(spec.name).handler, { retryAttempts: 8, deadLetterQueue: dlq })],
      });
      // The rule invokes it asynchronously (its dead-letter queue takes only events it could not hand over): a run that
      // throws — the failure could not be recorded — is retried by Lambda, then goes to the same alarmed queue. The
      // state machine's own calls of the function are synchronous and not affected.
      fn(spec.name).handler.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlq) });
    }

    for (const spec of props.specs) {
      const rights = spec.workflow ?? [];
      if (rights.length === 0) continue;
      const target = fn(spec.name);
      const statements: PolicyStatement[] = [];
      if (rights.includes('start')) {
        statements.push(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }));
        statements.push(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [lifecycle.executionsArn] }));
      }
      if (rights.includes('describe')) {
        statements.push(new PolicyStatement({ actions: ['states:DescribeStateMachine'], resources: [this.stateMachineArn] }));
      }
      if (rights.includes('observe') && !rights.includes('start')) {
        statements.push(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [lifecycle.executionsArn] }));
      }
      if (rights.includes('exit')) {
        statements.push(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.exitMachineArn] }));
        statements.push(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:RedriveExecution'], resources: [exit.executionsArn] }));
      }
      if (rights.includes('callback')) {
        statements.push(
          new PolicyStatement({
            // Only success: a wait is ended by sending its token success (register-wait, nudge.ts); nothing fails a
            // wait or heartbeats it.
            actions: ['states:SendTaskSuccess'],
            resources: ['*'],
          }),
        );
      }
      const policy = target.addPolicy('WorkflowAccess', statements);
      if (rights.some((r) => r !== 'exit')) target.addEnvironment('STATE_MACHINE_ARN', this.stateMachineArn);
      if (rights.includes('exit')) target.addEnvironment('EXIT_STATE_MACHINE_ARN', this.exitMachineArn);

      if (rights.includes('start') || rights.includes('observe')) {
        acknowledge(
          policy,
          wildcardResourceFinding(policy, lifecycle.executionsArn),
          'DescribeExecution needs an execution ARN, and execution names ({projectId}-{stage}-{n}) are created at ' +
            'run time; the wildcard is limited to executions of this one state machine.',
        );
      }
      if (rights.includes('exit')) {
        acknowledge(
          policy,
          wildcardResourceFinding(policy, exit.executionsArn),
          'DescribeExecution and RedriveExecution need an execution ARN, and exit execution names ({projectId}-EXIT-{n}) ' +
            'are created at run time; the wildcard is limited to executions of the exit state machine.',
        );
      }
      if (rights.includes('callback')) {
        acknowledge(
          policy,
          'AwsSolutions-IAM5[Resource::*]',
          'states:SendTaskSuccess (the only callback action granted) supports no resource-level permission (the task ' +
            'token is the credential); tokens are read from DynamoDB, never accepted from a client.',
        );
      }
    }
  }
}
