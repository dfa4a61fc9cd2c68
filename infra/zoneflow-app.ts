// Builds the CDK app (one Zoneflow stack plus cdk-nag) from context; shared by the CLI entry and the infra tests.
import { App, type AppProps, type Environment } from 'aws-cdk-lib';
import { addNagChecks } from './nag.ts';
import { ZoneflowStack } from './zoneflow-stack.ts';

export interface ZoneflowAppOptions {
  /** Extra context (the tests pass cdk.json's); the CLI passes its context through the environment. */
  readonly context?: AppProps['context'];
  readonly outdir?: string;
  /** @default the CLI's CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, unset when there are no credentials */
  readonly env?: Environment;
}

export function createZoneflowApp(options: ZoneflowAppOptions = {}): { app: App; stack: ZoneflowStack } {
  const app = new App({ context: options.context, outdir: options.outdir });
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };

  const stage = context('stage');
  if (stage !== undefined && !/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    // It becomes part of table, function and state machine names.
    throw new Error(`context stage "${stage}" must be 1-16 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const stackName = stage ? `Zoneflow-${stage}` : 'Zoneflow';
  const corsOrigins = context('corsOrigins')?.split(',').map((origin) => origin.trim()).filter(Boolean);

  const stack = new ZoneflowStack(app, stackName, {
    stackName,
    description: 'zoneflow: investment project lifecycle (招商落地开工建设投产一体化)',
    env: options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { project: 'zoneflow', stage: stage ?? 'default' },
    alarmEmail: context('alarmEmail'),
    corsOrigins,
    mailFrom: context('mailFrom'),
    robotHostsAllowed: context('robotHostsAllowed'),
    consoleDomainPrefix: context('consoleDomainPrefix'),
  });
  addNagChecks(app);
  return { app, stack };
}
