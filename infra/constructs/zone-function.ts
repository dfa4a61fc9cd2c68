// The one Lambda construct every handler uses: house defaults, its own role and log group, least-privilege table grants.
import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import type { CfnRole} from 'aws-cdk-lib/aws-iam';
import { Policy, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Access } from '../../functions/catalog.ts';
import { esbuildOptionsFor } from '../bundling.ts';
import { functionCode } from '../function-code.ts';
import { acknowledge } from '../nag.ts';
import type { ZoneTable } from './data.ts';

// TransactWriteItems is authorised per item through these same actions, so no transact action is needed.
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const APPEND = ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];

export interface ZoneFunctionProps {
  /** Path of the TypeScript entry file exporting `handler`. */
  readonly entry: string;
  readonly functionName?: string;
  readonly description?: string;
  /** @default 10 seconds (API handlers); workflow tasks pass 30 seconds. */
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  /** Serves the API description: the bundle keeps every route's response schema (esbuildOptionsFor). */
  readonly docs?: boolean;
  /** Lambda memory (MB): the catalog's, measured (functions/kernel/memory.ts). */
  readonly memoryMb: number;
}

export class ZoneFunction extends Construct {
  readonly handler: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Table grants: an inline policy of the role (no policy resource of its own: the stack stays far below 500 resources). */
  private readonly dataDocument = new PolicyDocument();

  constructor(scope: Construct, id: string, props: ZoneFunctionProps) {
    super(scope, id);

    // Explicit, so retention and removal are ours, not Lambda's never-expiring auto-created group; named as Lambda
    // names its own (/aws/lambda/<function>), so an operator finds it by the function's name.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: props.functionName === undefined ? undefined : `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A role of our own instead of AWSLambdaBasicExecutionRole, which may write to every log group. Its permissions
    // are inline policies (no policy resources of their own: the stack stays far below CloudFormation's 500):
    // Logs, and Data once bindTable has granted any table.
    const logs = new PolicyDocument({
      statements: [new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] })],
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName ?? id}`,
    });
    (this.role.node.defaultChild as CfnRole).policies = Lazy.any({
      produce: () => [
        { policyName: 'Logs', policyDocument: logs },
        ...(this.dataDocument.isEmpty ? [] : [{ policyName: 'Data', policyDocument: this.dataDocument }]),
      ],
    });

    // The bundle the cold-start benchmark measures (bundling.ts), built in this process and kept across synths (function-code.ts).
    this.handler = new LambdaFunction(this, 'Handler', {
      code: functionCode(props.entry, esbuildOptionsFor({ docs: props.docs })),
      handler: 'index.handler',
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: props.timeout ?? Duration.seconds(10),
      loggingFormat: LoggingFormat.JSON,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      role: this.role,
      // The configuration in force is kept 30 s by a warm function (functions/reference/store/reference.ts); a DynamoDB
      // request that does not answer in 2 s is abandoned and retried by the SDK (functions/kernel/store/client.ts): three
      // attempts fit in the 10 s a route has. A park named in the last 5 s is not dropped yet (its write may not show in
      // the indexes the publication reads: functions/reference/store/park-names.ts).
      environment: { REFERENCE_CACHE_SECONDS: '30', DYNAMODB_REQUEST_TIMEOUT_MS: '2000', PARK_SETTLE_MS: '5000', ...props.environment },
    });

    acknowledge(
      this.handler,
      'AwsSolutions-L1',
      'nodejs22.x is deliberate: local runtime, tests and benchmark run on Node 22 (node@22 devDependency), so ' +
        'production runs the major that was tested; Node 22 is in maintenance LTS until April 2027. Move to the ' +
        'next LTS together with the node devDependency.',
    );
    // Tracing puts its statement in the role's default policy; table and workflow grants live in their own policies. A
    // function with an on-failure destination (a scheduled job, exit-step) also has its queue's SendMessage there, on
    // that queue's ARN: the only `*` in the policy is X-Ray's.
    const tracingPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (tracingPolicy) {
      acknowledge(
        tracingPolicy,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions: the X-Ray statement ' +
          'active tracing adds is the only one on "*" in this policy (an on-failure destination adds SendMessage on its queue).',
      );
    }
  }

  /**
   * Grants exactly what the catalog access implies on one table and publishes its name in the table's env var.
   * R: point reads and index queries. W: conditional append. RW: read and item writes — except on an
   * append-only table, where RW still only appends: no function may ever update or delete those items.
   * Never Scan: lists are index queries.
   */
  bindTable(zoneTable: ZoneTable, access: Access): void {
    const { def, table, indexArns } = zoneTable;
    const statements: PolicyStatement[] = [];
    if (access !== 'W') {
      statements.push(new PolicyStatement({ actions: READ, resources: [table.tableArn, ...indexArns] }));
    }
    const writes = access === 'R' ? [] : access === 'W' || def.appendOnly ? APPEND : WRITE;
    if (writes.length > 0) statements.push(new PolicyStatement({ actions: writes, resources: [table.tableArn] }));

    this.dataDocument.addStatements(...statements);
    this.handler.addEnvironment(def.envVar, table.tableName);
  }

  /** A separate policy per concern, so a cdk-nag acknowledgement on one cannot cover the others. */
  addPolicy(id: string, statements: PolicyStatement[]): Policy {
    const policy = new Policy(this, id, { roles: [this.role], statements });
    // The function must not be callable before its permissions exist (CDK only does this for the default policy).
    this.handler.node.addDependency(policy);
    return policy;
  }

  addEnvironment(key: string, value: string): void {
    this.handler.addEnvironment(key, value);
  }
}
