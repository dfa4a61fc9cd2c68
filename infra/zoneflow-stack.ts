// The Zoneflow stack: composes data, auth, API, the functions (a nested stack per module), workflow and observability,
// all driven by the catalogs.
import { CfnOutput, CustomResource, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../functions/catalog.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Console } from './constructs/console.ts';
import { Data } from './constructs/data.ts';
import { Lifecycle } from './constructs/lifecycle.ts';
import { Observability } from './constructs/observability.ts';
import { ModuleStack, byModule } from './constructs/module-stack.ts';
import type { ZoneFunction } from './constructs/zone-function.ts';
import { seedDigest } from '../functions/reference/store/seed.ts';

export interface ZoneflowStackProps extends StackProps {
  readonly alarmEmail?: string;
  /** Browser origins allowed by CORS. @default none: CORS off */
  readonly corsOrigins?: readonly string[];
  readonly apiRateLimit?: number;
  readonly apiBurstLimit?: number;
  /** The verified SES identity (address or domain) notification e-mail comes from. */
  readonly mailFrom?: string;
  /** Hosts besides the platforms' own a robot webhook may name (context `robotHostsAllowed`, comma-separated). */
  readonly robotHostsAllowed?: string;
  /** The console's hosted-UI domain prefix. @default `<stack name>-<account>`, lower case */
  readonly consoleDomainPrefix?: string;
}

export class ZoneflowStack extends Stack {
  readonly data: Data;
  readonly functions: ReadonlyMap<string, ZoneFunction>;
  /** One nested stack per module of functions/, holding its functions, routes and event sources. */
  readonly modules: readonly ModuleStack[];
  readonly lifecycle: Lifecycle;
  readonly auth: Auth;
  /** The zone console: S3 + CloudFront + the hosted UI's client. */
  readonly console: Console;
  readonly api: Api;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ZoneflowStackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth');
    this.console = new Console(this, 'Console', {
      userPool: this.auth.userPool,
      domainPrefix: props.consoleDomainPrefix ?? `${this.stackName.toLowerCase()}-${this.account}`,
    });
    this.api = new Api(this, 'Api', {
      specs: FUNCTIONS,
      jwtIssuer: this.auth.issuerUrl,
      // The portal's tokens and the console's: both clients of the one pool, both ID tokens with the same claims.
      jwtAudience: [this.auth.client.userPoolClientId, this.console.client.userPoolClientId],
      corsOrigins: [...(props.corsOrigins ?? []), this.console.origin],
      rateLimit: props.apiRateLimit,
      burstLimit: props.apiBurstLimit,
    });

    // The functions in one nested stack per module, far from CloudFormation's 500 resources and 1 MB per template
    // (docs/design.md, "The stack's resource budget"); the map keeps the catalog's order.
    const functionsScope = new Construct(this, 'Functions');
    this.modules = [...byModule(FUNCTIONS)].map(([module, specs]) => new ModuleStack(functionsScope, module, { module, specs, data: this.data, api: this.api, mailFrom: props.mailFrom, robotHostsAllowed: props.robotHostsAllowed }));
    const byName = new Map(this.modules.flatMap((m) => [...m.functions]));
    const functions = new Map(FUNCTIONS.map((spec) => [spec.name, byName.get(spec.name)!]));
    this.functions = functions;

    this.lifecycle = new Lifecycle(this, 'Lifecycle', { specs: FUNCTIONS, functions });
    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.lifecycle.stateMachine,
      exitMachine: this.lifecycle.exitMachine,
      exitFailures: this.lifecycle.exitFailures,
      functions,
      workflowSteps: new Set(FUNCTIONS.filter((f) => f.aslPlaceholder !== undefined).map((f) => f.name)),
      apiStage: this.api.stage,
      streamConsumers: this.modules.flatMap((m) => m.streamConsumers),
      scheduledJobs: this.modules.flatMap((m) => m.scheduledJobs),
      deliveryFunctions: FUNCTIONS.filter((f) => f.channels === 'deliver').map((f) => functions.get(f.name)!),
      tables: [...this.data.tables.values()],
      alarmEmail: props.alarmEmail,
    });

    this.console.deploy(this.api.stage.url);

    // Reference data from the first request on: every deploy runs the bootstrap (idempotent, never over what ops
    // loaded). CloudFormation calls a custom resource only when its properties change, so one of them changes with every
    // synthesis (`deploy`); the seed digest says what the seed was.
    const deployedAt = this.node.tryGetContext('deployedAt') ?? new Date().toISOString();
    // An invocation begun on the old code just before its function was updated may run to its timeout (and Lambda's
    // switch-over, under a minute): a one-off back-fill is marked done only by a pass that starts after that
    // (functions/reference/deploy/bootstrap-reference.ts; docs/design.md, "The deploy's back-fills wait out the old code").
    const oldCodeSettleSeconds = Math.max(...FUNCTIONS.filter((f) => !f.onDeploy).map((f) => functions.get(f.name)!.handler.timeout?.toSeconds() ?? 3)) + 60;
    for (const spec of FUNCTIONS.filter((f) => f.onDeploy)) {
      const fn = functions.get(spec.name)!;
      const resource = new CustomResource(this, `${spec.name}-on-deploy`, {
        serviceToken: fn.handler.functionArn,
        resourceType: 'Custom::ZoneflowReferenceData',
        properties: { seed: seedDigest(), deployedAt, oldCodeSettleSeconds },
      });
      // After the tables and every function of this deploy (so: every module stack): from then on new invocations
      // run the new code, and the old code's last ones end within oldCodeSettleSeconds. And after everything else: a
      // deploy that fails anywhere rolls back (the functions back on the old code) before a back-fill is marked.
      // (CDK's bucket deployment of the console files has its function at the stack's root: every construct made so far.)
      resource.node.addDependency(...this.node.children.filter((c) => c !== resource));
    }

    new CfnOutput(this, 'ConsoleUrl', { value: `${this.console.origin}/`, description: 'The zone console (Cognito hosted-UI sign-in)' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId, description: 'Portal app client (SRP, no secret)' });
    new CfnOutput(this, 'StateMachineArn', { value: this.lifecycle.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ExitStateMachineArn', { value: this.lifecycle.exitMachine.stateMachineArn, description: 'The exit procedure 退出程序 (redrive failed executions here)' });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}
