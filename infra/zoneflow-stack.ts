// The Zoneflow stack: composes data, functions, workflow, auth, API and observability, all driven by the catalogs.
import { CfnOutput, CustomResource, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { TableId } from '../functions/kernel/store/tables.ts';
import { FUNCTIONS } from '../functions/catalog.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { Lifecycle } from './constructs/lifecycle.ts';
import { Observability } from './constructs/observability.ts';
import { Schedules } from './constructs/schedules.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';
import { ZoneFunction } from './constructs/zone-function.ts';
import { functionEntry } from './paths.ts';
import { seedDigest } from '../functions/reference/store/seed.ts';

export interface ZoneflowStackProps extends StackProps {
  readonly alarmEmail?: string;
  /** Browser origins allowed by CORS. @default none: CORS off */
  readonly corsOrigins?: readonly string[];
  readonly apiRateLimit?: number;
  readonly apiBurstLimit?: number;
}

export class ZoneflowStack extends Stack {
  readonly data: Data;
  readonly functions: ReadonlyMap<string, ZoneFunction>;
  readonly lifecycle: Lifecycle;
  readonly streamConsumers: StreamConsumers;
  readonly schedules: Schedules;
  readonly auth: Auth;
  readonly api: Api;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ZoneflowStackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');

    const functions = new Map<string, ZoneFunction>();
    const functionsScope = new Construct(this, 'Functions');
    for (const spec of FUNCTIONS) {
      const fn = new ZoneFunction(functionsScope, spec.name, {
        entry: functionEntry(spec.name),
        functionName: `${this.stackName}-${spec.name}`,
        description: spec.description,
        docs: spec.docs,
        // Workflow tasks and stream consumers do more per call (several items, notifications, a batch of signals)
        // and no user is waiting on them.
        timeout: Duration.seconds(spec.onDeploy ? 120 : spec.schedule ? 300 : spec.aslPlaceholder || spec.consumes ? 30 : 10),
      });
      for (const [table, access] of Object.entries(spec.tables)) {
        if (access) fn.bindTable(this.data.table(table as TableId), access);
      }
      functions.set(spec.name, fn);
    }
    this.functions = functions;

    // Reference data from the first request on: every deploy runs the bootstrap (idempotent, never over what ops
    // loaded). CloudFormation calls a custom resource only when its properties change, so one of them changes with every
    // synthesis (`deploy`); the seed digest says what the seed was.
    const deployedAt = this.node.tryGetContext('deployedAt') ?? new Date().toISOString();
    for (const spec of FUNCTIONS.filter((f) => f.onDeploy)) {
      const fn = functions.get(spec.name)!;
      const resource = new CustomResource(this, `${spec.name}-on-deploy`, {
        serviceToken: fn.handler.functionArn,
        resourceType: 'Custom::ZoneflowReferenceData',
        properties: { seed: seedDigest(), deployedAt },
      });
      // After the tables and every function of this deploy: the re-keying and re-indexing then see only new code writing.
      resource.node.addDependency(this.data, ...functions.values());
    }

    this.lifecycle = new Lifecycle(this, 'Lifecycle', { specs: FUNCTIONS, functions });
    this.streamConsumers = new StreamConsumers(this, 'StreamConsumers', { specs: FUNCTIONS, functions, data: this.data });
    this.schedules = new Schedules(this, 'Schedules', { specs: FUNCTIONS, functions });
    this.auth = new Auth(this, 'Auth');
    this.api = new Api(this, 'Api', {
      specs: FUNCTIONS,
      functions,
      jwtIssuer: this.auth.issuerUrl,
      jwtAudience: [this.auth.client.userPoolClientId],
      corsOrigins: props.corsOrigins,
      rateLimit: props.apiRateLimit,
      burstLimit: props.apiBurstLimit,
    });
    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.lifecycle.stateMachine,
      exitMachine: this.lifecycle.exitMachine,
      exitFailures: this.lifecycle.exitFailures,
      functions,
      apiStage: this.api.stage,
      streamConsumers: this.streamConsumers.consumers,
      scheduledJobs: this.schedules.jobs,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId, description: 'Portal app client (SRP, no secret)' });
    new CfnOutput(this, 'StateMachineArn', { value: this.lifecycle.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ExitStateMachineArn', { value: this.lifecycle.exitMachine.stateMachineArn, description: 'The exit procedure 退出程序 (redrive failed executions here)' });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}
