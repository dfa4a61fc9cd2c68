// The ProjectLifecycle state machine from its ASL file, and the workflow rights the catalog gives each function.
import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { LIFECYCLE_ASL } from '../paths.ts';
import type { ZoneFunction } from './zone-function.ts';

export interface LifecycleProps {
  readonly specs: readonly FunctionSpec[];
  readonly functions: ReadonlyMap<string, ZoneFunction>;
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

  constructor(scope: Construct, id: string, props: LifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stateMachineName = `${stack.stackName}-ProjectLifecycle`;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const fn = (name: string): ZoneFunction => {
      const found = props.functions.get(name);
      if (!found) throw new Error(`catalog function ${name} was not created`);
      return found;
    };

    const asl = readFileSync(LIFECYCLE_ASL, 'utf8');
    const tasks = props.specs.filter((spec) => spec.aslPlaceholder !== undefined);
    const substitutions = Object.fromEntries(
      tasks.map((spec) => [spec.aslPlaceholder as string, fn(spec.name).handler.functionArn]),
    );
    // Catch a catalog/ASL mismatch at synth rather than as a failed deployment or a task that can't be invoked.
    const expected = aslPlaceholders(asl);
    const missing = [...expected].filter((name) => !(name in substitutions));
    const unused = Object.keys(substitutions).filter((name) => !expected.has(name));
    if (missing.length > 0 || unused.length > 0) {
      throw new Error(
        `ASL placeholders and catalog disagree: missing in catalog [${missing.join(', ')}], not in ASL [${unused.join(', ')}]`,
      );
    }

    const logGroup = new LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps Step Functions from growing the account's CloudWatch Logs resource policy.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'ProjectLifecycle', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // fromString, not fromFile: the definition stays in the template where reviews and assertions can see it.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: substitutions,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Only the unqualified ARNs the ASL names: no `:*` version wildcard as grantInvoke would add.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: tasks.map((spec) => fn(spec.name).handler.functionArn),
      }),
    );
    const machinePolicy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (machinePolicy) {
      acknowledge(
        machinePolicy,
        'AwsSolutions-IAM5[Resource::*]',
        'Added by CDK for logging and tracing: CloudWatch Logs log-delivery actions (CreateLogDelivery, ' +
          'PutResourcePolicy, DescribeLogGroups, ...) and X-Ray PutTraceSegments/GetSampling* support no ' +
          'resource-level permissions. Lambda invocation in this policy names each function ARN.',
      );
    }

    for (const spec of props.specs) {
      const rights = spec.workflow ?? [];
      if (rights.length === 0) continue;
      const target = fn(spec.name);
      const statements: PolicyStatement[] = [];
      if (rights.includes('start')) {
        statements.push(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }));
        statements.push(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionsArn] }));
      }
      if (rights.includes('describe')) {
        statements.push(new PolicyStatement({ actions: ['states:DescribeStateMachine'], resources: [this.stateMachineArn] }));
      }
      if (rights.includes('callback')) {
        statements.push(
          new PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            resources: ['*'],
          }),
        );
      }
      const policy = target.addPolicy('WorkflowAccess', statements);
      target.addEnvironment('STATE_MACHINE_ARN', this.stateMachineArn);

      if (rights.includes('start')) {
        acknowledge(
          policy,
          wildcardResourceFinding(policy, executionsArn),
          'DescribeExecution needs an execution ARN, and execution names ({projectId}-{stage}-{n}) are created at ' +
            'run time; the wildcard is limited to executions of this one state machine.',
        );
      }
      if (rights.includes('callback')) {
        acknowledge(
          policy,
          'AwsSolutions-IAM5[Resource::*]',
          'SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat support no resource-level permissions (the task ' +
            'token is the credential); tokens are read from DynamoDB, never accepted from a client.',
        );
      }
    }
  }
}
