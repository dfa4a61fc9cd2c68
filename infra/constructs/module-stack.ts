// One nested stack per module of functions/ (kernel, projects, lifecycle, …): the module's catalog functions with
// their roles, log groups and table grants, and what serves only one of them — its routes (route, integration, invoke
// permission), its stream mapping, its schedule. Shared things (tables, API and stage, state machines, users,
// alarms) stay in the parent stack, which stays small however many routes the modules add.
import { Duration, NestedStack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import type { TableId } from '../../functions/kernel/store/tables.ts';
import { functionEntry } from '../paths.ts';
import type { Api } from './api.ts';
import type { Data } from './data.ts';
import { deployedStackName } from './names.ts';
import { grantChannels } from './channels.ts';
import { Schedules, type ScheduledJob } from './schedules.ts';
import { StreamConsumers, type StreamConsumer } from './stream-consumers.ts';
import { ZoneFunction } from './zone-function.ts';

/** The module a catalog function belongs to: the first folder of its entry (`inventory/http/reserve.ts` → `inventory`). */
export function moduleOf(spec: FunctionSpec): string {
  const module = spec.entry.split('/')[0] ?? '';
  if (!/^[a-z][a-z0-9-]*$/.test(module) || module === spec.entry) {
    throw new Error(`catalog function ${spec.name}: no module folder in its entry "${spec.entry}"`);
  }
  return module;
}

/** The catalog's functions by module, modules and functions in catalog order. */
export function byModule(specs: readonly FunctionSpec[]): Map<string, FunctionSpec[]> {
  const modules = new Map<string, FunctionSpec[]>();
  for (const spec of specs) {
    const module = moduleOf(spec);
    modules.set(module, [...(modules.get(module) ?? []), spec]);
  }
  return modules;
}

export interface ModuleStackProps {
  readonly module: string;
  /** The module's catalog functions. */
  readonly specs: readonly FunctionSpec[];
  readonly data: Data;
  readonly api: Api;
  /** The verified SES identity notification e-mail is sent from (context `mailFrom`); none: e-mail channels fail, saying so. */
  readonly mailFrom?: string;
  /** Hosts besides the platforms' own a robot webhook may name (context `robotHostsAllowed`). */
  readonly robotHostsAllowed?: string;
}

export class ModuleStack extends NestedStack {
  readonly functions: ReadonlyMap<string, ZoneFunction>;
  readonly streamConsumers: readonly StreamConsumer[];
  readonly scheduledJobs: readonly ScheduledJob[];

  constructor(scope: Construct, id: string, props: ModuleStackProps) {
    super(scope, id, { description: `zoneflow: the functions of functions/${props.module}/ with their routes and event sources` });
    const stackName = deployedStackName(this);

    const functions = new Map<string, ZoneFunction>();
    const routes = new Construct(this, 'Routes');
    for (const spec of props.specs) {
      const fn = new ZoneFunction(this, spec.name, {
        entry: functionEntry(spec.name),
        functionName: `${stackName}-${spec.name}`,
        description: spec.description,
        docs: spec.docs,
        memoryMb: spec.memoryMb,
        // Workflow tasks and stream consumers do more per call (several items, notifications, a batch of signals)
        // and no user is waiting on them. The deploy's bootstrap may wait out the old code between its two passes
        // (Lambda's most: it answers CloudFormation before it, functions/reference/deploy/bootstrap-reference.ts).
        timeout: Duration.seconds(spec.onDeploy ? 900 : spec.schedule ? 300 : spec.aslPlaceholder || spec.consumes ? 30 : 10),
      });
      for (const [table, access] of Object.entries(spec.tables)) {
        if (access) fn.bindTable(props.data.table(table as TableId), access);
      }
      if (spec.channels) grantChannels(fn, spec.channels, { stackName, mailFrom: props.mailFrom, robotHostsAllowed: props.robotHostsAllowed });
      functions.set(spec.name, fn);
      props.api.addRoutes(routes, spec, fn);
    }
    this.functions = functions;

    const specs = props.specs;
    this.streamConsumers = specs.some((s) => s.consumes)
      ? new StreamConsumers(this, 'StreamConsumers', { specs, functions, data: props.data }).consumers
      : [];
    this.scheduledJobs = specs.some((s) => s.schedule) ? new Schedules(this, 'Schedules', { specs, functions }).jobs : [];
  }
}
