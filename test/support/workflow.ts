// A fake of the workflow port (the boundary to Step Functions / the local runner): records every start and callback,
// and can be told to be unready or to fail starts or callbacks. The real runner is covered by the e2e tests.
import { ExecutionNotRedrivable, LOCAL_WORKFLOW, type ExitInput, type LifecycleInput, type WorkflowPort } from '../../functions/kernel/workflow/port.ts';

export interface RecordedStart {
  readonly name: string;
  readonly input: LifecycleInput;
}

export class FakeWorkflow implements WorkflowPort {
  readonly starts: RecordedStart[] = [];
  /** What ready() answers; an Error makes it throw. */
  readiness: boolean | Error = true;
  /** When set, startExecution throws it (after recording the call). */
  startFailure: Error | undefined;
  readonly callbacks: { token: string; output: unknown }[] = [];
  /** When set, sendTaskSuccess throws it (after recording the call). */
  callbackFailure: Error | undefined;

  async startExecution(name: string, input: LifecycleInput) {
    const alreadyStarted = this.starts.some((s) => s.name === name);
    this.starts.push({ name, input });
    if (this.startFailure) throw this.startFailure;
    return { executionId: `arn:aws:states:ap-east-1:000000000000:execution:zoneflow-lifecycle:${name}`, alreadyStarted };
  }

  readonly exits: { name: string; input: ExitInput }[] = [];
  readonly redrives: string[] = [];
  /** Exit executions that can be redriven (the rest answer ExecutionNotRedrivable). */
  readonly redrivable = new Set<string>();

  /** Exit executions that started (a refused start leaves none, as on Step Functions). */
  readonly startedExits = new Set<string>();
  /** When set, startExit throws it (after recording the call). */
  exitFailure: Error | undefined;

  async startExit(name: string, input: ExitInput) {
    const alreadyStarted = this.exits.some((s) => s.name === name);
    this.exits.push({ name, input });
    if (this.exitFailure) throw this.exitFailure;
    this.startedExits.add(name);
    return { executionId: name, alreadyStarted };
  }

  async redriveExit(name: string): Promise<void> {
    this.redrives.push(name);
    if (!this.redrivable.has(name)) throw new ExecutionNotRedrivable(name);
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.callbacks.push({ token, output });
    if (this.callbackFailure) throw this.callbackFailure;
  }

  /** What describeExecution answers per execution name (unset: the status its start recorded, RUNNING). */
  readonly statuses = new Map<string, 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'>();

  async describeExecution(name: string) {
    return this.statuses.get(name) ?? (this.starts.some((s) => s.name === name) || this.startedExits.has(name) ? 'RUNNING' : undefined);
  }

  async ready(): Promise<boolean> {
    if (this.readiness instanceof Error) throw this.readiness;
    return this.readiness;
  }

  /** The starts recorded for one project. */
  startsOf(projectId: string): RecordedStart[] {
    return this.starts.filter((s) => s.input.projectId === projectId);
  }
}

/** Registers a fresh fake where the handlers' local workflow adapter looks for the runner. */
export function registerFakeWorkflow(): FakeWorkflow {
  const fake = new FakeWorkflow();
  (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = fake;
  return fake;
}
