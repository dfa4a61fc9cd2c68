// The embedded workflow runner: executes the state machines of statemachines/ (the project lifecycle and the exit
// procedure) with aws-local-stepfunctions, every Task overridden by the same handler code Lambda runs. Callback tasks
// mint a token, hand it to the handler (which stores it in DynamoDB) and stay pending until the API sends task success
// — or the state's timeout fires. A failed execution is reported as the Step Functions status-change event would be,
// and can be redriven from the state that failed, as RedriveExecution does.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type RunOptions } from 'aws-local-stepfunctions';
import { FUNCTIONS } from '../functions/catalog.ts';
import { ExecutionNotRedrivable, TaskTokenRejected, type ExitInput, type LifecycleInput, type Machine, type WorkflowPort } from '../functions/kernel/workflow/port.ts';
import { projectRoot } from './paths.ts';
import { ensureValidAsl } from './asl-validated.ts';

export type Invoke = (functionName: string, payload: unknown) => Promise<unknown>;

const ARN_PREFIX = 'arn:aws:lambda:ap-east-1:000000000000:function:zoneflow-';

interface PendingCallback {
  readonly resolve: (output: unknown) => void;
  /** Times the wait out: the state goes on by its `States.Timeout` catch. */
  readonly timeOut: () => void;
  readonly execution: string;
  /** Real epoch ms after which the state has timed out (AWS answers TaskTimedOut). */
  readonly expiresAt: number;
  /** The timer that times the wait out at its business instant (see `msUntil`), cleared by task success. */
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Real milliseconds until a business instant on the process's clock. Step Functions takes whole seconds
 * (`timeoutSeconds`), which on AWS is at most a second late; on a scaled local clock a second may be a business day or
 * more, so the runner times a callback wait out at the wait's own `dueAt` instead, as a scaled Step Functions would.
 */
export type MsUntil = (at: Date) => number;

/** The error a timed-out Task raises: the ASL's `Catch` on `States.Timeout` matches it by name. */
class LocalStatesTimeout extends Error {
  override readonly name = 'States.Timeout';
}

export interface ExecutionRecord {
  readonly name: string;
  readonly machine: Machine;
  readonly input: LifecycleInput | ExitInput;
  readonly startedAt: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** Every event from the runner's event log (the local stand-in for the execution history). */
  events: number;
  stateTransitions: number;
  /** States entered, by state type (Task, Pass, Choice, …): the basis for estimating AWS history events. */
  statesByType: Record<string, number>;
  /** Callback waits among the Task states entered (they add a TaskSubmitted event on AWS). */
  callbackWaits: number;
  maxPayloadBytes: number;
  /** Step retries by "state ← error" (the ASL's Retry): each one a real-time sleep, a business day a second on a fast clock. */
  retries: Record<string, number>;
  /** Real milliseconds from each failed attempt to its retry, summed, and the longest. */
  retryWaitMs: number;
  retryWaitMaxMs: number;
  error?: string;
  /** The last state entered, with its input: where a redrive starts. */
  lastState?: { readonly name: string; readonly input: unknown };
  redriveCount: number;
  abort(): void;
}

/** What a failed execution reports (the shape of EventBridge's "Step Functions Execution Status Change"). */
export type ExecutionFailed = (machine: Machine, event: { 'detail-type': string; source: string; detail: { name: string; status: string; input: string; error?: string; cause?: string; redriveCount: number } }) => Promise<void>;

type AslState = { Type: string; Resource?: string; Parameters?: { FunctionName?: string }; [k: string]: unknown };
type Asl = { StartAt: string; States: Record<string, AslState> };

export const MACHINE_FILES: Record<Machine, string> = { lifecycle: 'statemachines/project-lifecycle.asl.json', exit: 'statemachines/project-exit.asl.json' };
const MACHINE_NAMES: Record<Machine, string> = { lifecycle: 'ProjectLifecycle', exit: 'ProjectExit' };

export function loadDefinition(machine: Machine = 'lifecycle'): Asl {
  let text = readFileSync(join(projectRoot, MACHINE_FILES[machine]), 'utf8');
  for (const fn of FUNCTIONS) {
    if (fn.aslPlaceholder) text = text.replaceAll(`\${${fn.aslPlaceholder}}`, `${ARN_PREFIX}${fn.name}`);
  }
  return JSON.parse(text) as Asl;
}

/**
 * AWS Standard history events an execution with these states would write: per state entered, Task 5
 * (Entered, Scheduled, Started, Succeeded|Failed|TimedOut, Exited), a callback wait one more (Submitted), Pass,
 * Choice, Succeed and Fail 2 (Entered, Exited); plus ExecutionStarted and ExecutionSucceeded|Failed.
 */
export function estimatedAwsHistoryEvents(e: Pick<ExecutionRecord, 'statesByType' | 'callbackWaits'>): number {
  const perType: Record<string, number> = { Task: 5, Pass: 2, Choice: 2, Succeed: 2, Fail: 2, Wait: 3, Parallel: 4, Map: 4 };
  const states = Object.entries(e.statesByType).reduce((n, [type, count]) => n + (perType[type] ?? 2) * count, 0);
  return 2 + states + e.callbackWaits;
}

/**
 * The step retries of these executions: how many, by "state ← error", and the real time they slept, with its business
 * equivalent at `scale` (on a fast clock a retry's second is a business day: a deadline that waits behind it is late).
 */
export function workflowRetries(executions: readonly Pick<ExecutionRecord, 'retries' | 'retryWaitMs' | 'retryWaitMaxMs'>[], scale: number) {
  const byCause: Record<string, number> = {};
  for (const e of executions) for (const [k, n] of Object.entries(e.retries)) byCause[k] = (byCause[k] ?? 0) + n;
  const waitMs = executions.reduce((n, e) => n + e.retryWaitMs, 0);
  const maxMs = executions.reduce((n, e) => Math.max(n, e.retryWaitMaxMs), 0);
  const hours = (ms: number) => Math.round((ms * scale) / 36_000) / 100;
  return { count: Object.values(byCause).reduce((a, b) => a + b, 0), byCause, waitMs: Math.round(waitMs), waitMaxMs: Math.round(maxMs), waitMaxBusinessHours: hours(maxMs) };
}

/** The definition from `state` on: the states reachable from it (a valid machine, as a redrive sees the execution). */
function startingAt(definition: Asl, state: string): Asl {
  const keep = new Set<string>();
  const visit = (name: string | undefined) => {
    if (!name || keep.has(name) || !definition.States[name]) return;
    keep.add(name);
    const s = definition.States[name] as AslState & { Next?: string; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[] };
    [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].forEach(visit);
  };
  visit(state);
  return { ...definition, StartAt: state, States: Object.fromEntries(Object.entries(definition.States).filter(([name]) => keep.has(name))) };
}

export class LocalWorkflow implements WorkflowPort {
  private readonly definitions: Record<Machine, Asl>;
  private readonly machines: Record<Machine, StateMachine>;
  private readonly pending = new Map<string, PendingCallback>();
  readonly executions = new Map<string, ExecutionRecord>();

  constructor(
    private readonly invoke: Invoke,
    private readonly onError: (message: string, fields: Record<string, unknown>) => void = () => {},
    private readonly onFailed: ExecutionFailed = async () => {},
    private readonly msUntil?: MsUntil,
  ) {
    this.definitions = { lifecycle: loadDefinition('lifecycle'), exit: loadDefinition('exit') };
    this.machines = { lifecycle: this.build(this.definitions.lifecycle), exit: this.build(this.definitions.exit) };
  }

  private build(definition: Asl): StateMachine {
    // Checked as the library would (paths and ARNs; the project's validator, not the library's bundled copy), but once
    // per definition on this machine (asl-validated.ts).
    ensureValidAsl(definition);
    return new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async describeExecution(name: string, machine: Machine = 'lifecycle') {
    const e = this.executions.get(name);
    return e && e.machine === machine ? e.status : undefined;
  }

  startExecution(name: string, input: LifecycleInput) {
    return this.start('lifecycle', name, input);
  }

  startExit(name: string, input: ExitInput) {
    return this.start('exit', name, input);
  }

  /** As RedriveExecution: the same execution continues from the state that failed, with the input that state had. */
  async redriveExit(name: string): Promise<void> {
    const record = this.executions.get(name);
    if (!record || record.machine !== 'exit' || record.status !== 'FAILED' || !record.lastState) throw new ExecutionNotRedrivable(`${name} is ${record?.status ?? 'unknown'}: only a failed exit execution is redriven`);
    const from = record.lastState;
    const machine = this.build(startingAt(this.definitions.exit, from.name));
    record.status = 'RUNNING';
    record.error = undefined;
    record.redriveCount += 1;
    this.run(record, machine, from.input);
  }

  private async start(machine: Machine, name: string, input: LifecycleInput | ExitInput) {
    if (this.executions.has(name)) return { executionId: name, alreadyStarted: true };
    const record: ExecutionRecord = {
      name,
      machine,
      input,
      startedAt: Date.now(),
      status: 'RUNNING',
      events: 0,
      stateTransitions: 0,
      statesByType: {},
      callbackWaits: 0,
      maxPayloadBytes: 0,
      retries: {},
      retryWaitMs: 0,
      retryWaitMaxMs: 0,
      redriveCount: 0,
      abort: () => {},
    };
    this.executions.set(name, record);
    this.run(record, this.machines[machine], { ...input });
    return { executionId: `local:${name}`, alreadyStarted: false };
  }

  private run(record: ExecutionRecord, machine: StateMachine, input: unknown): void {
    const { name } = record;
    const run = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.taskOverrides(record.machine, name) },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: `local:${name}`, Name: name, Input: { ...record.input }, StartTime: new Date(record.startedAt).toISOString() },
        StateMachine: { Id: `local:${MACHINE_NAMES[record.machine]}`, Name: MACHINE_NAMES[record.machine] },
        // Replaced by the override with a real minted token; present so "$$.Task.Token" resolves.
        Task: { Token: 'minted-by-local-override' },
      },
    });
    record.abort = () => run.abort();
    void this.countEvents(record, run.eventLogs);
    run.result.then(
      () => {
        if (record.status === 'RUNNING') record.status = 'SUCCEEDED';
      },
      (err: unknown) => {
        if (record.status !== 'RUNNING') return; // aborted at shutdown: not a failure
        record.status = 'FAILED';
        record.error = (err as Error).message;
        this.onError('local execution failed', { execution: name, error: record.error });
        // As on AWS, the event names the error the failed state raised (the runner wraps it in an ExecutionError).
        const raised = ((err as Error).cause as Error | undefined) ?? (err as Error);
        const detail = { name, status: 'FAILED', input: JSON.stringify(record.input), error: raised.name, cause: raised.message, redriveCount: record.redriveCount };
        this.onFailed(record.machine, { 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states', detail }).catch((e: unknown) =>
          this.onError('the failure of a local execution could not be reported', { execution: name, error: String(e) }),
        );
      },
    );
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    const pending = this.pending.get(token);
    if (!pending) throw new TaskTokenRejected('TaskDoesNotExist');
    this.pending.delete(token);
    clearTimeout(pending.timer);
    if (Date.now() > pending.expiresAt) {
      // Past its due instant the state has timed out, as on AWS, even if the busy event loop has not run its timer yet:
      // the execution goes on by its timeout path now (left alone it would hang until the state's whole-second
      // timeout, up to a business day later on a fast clock), and the sender is refused.
      pending.timeOut();
      throw new TaskTokenRejected('TaskTimedOut');
    }
    pending.resolve(output);
  }

  /** Aborts every running execution (shutdown); DynamoDB keeps what is needed to resume them. */
  stopAll(): void {
    for (const e of this.executions.values()) {
      if (e.status !== 'RUNNING') continue;
      e.status = 'ABORTED';
      e.abort();
    }
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private taskOverrides(machine: Machine, execution: string) {
    type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
    type Json = Parameters<Handlers[string]>[0];
    const overrides: Handlers = {};
    for (const [stateName, state] of Object.entries(this.definitions[machine].States)) {
      if (state.Type !== 'Task') continue;
      const fnArn = state.Parameters?.FunctionName ?? '';
      if (!fnArn.startsWith(ARN_PREFIX)) throw new Error(`State "${stateName}" calls ${fnArn}: only zoneflow functions run locally`);
      const fn = fnArn.slice(ARN_PREFIX.length);
      if (state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        overrides[stateName] = async (raw: Json) => {
          const input = raw as { Payload: Record<string, unknown> };
          const token = `local-${randomUUID()}`;
          const wait = input.Payload.wait as { timeoutSeconds?: number; dueAt?: string } | undefined;
          const { promise, resolve, reject } = Promise.withResolvers<Json>();
          // The wait's business instant, when the clock can say it (else the state's whole-second timeout alone).
          const dueMs = wait?.dueAt && this.msUntil ? Math.max(0, this.msUntil(new Date(wait.dueAt))) : undefined;
          const timeOut = () => reject(new LocalStatesTimeout('The callback wait timed out at its due instant'));
          const pending: PendingCallback = { resolve: (output) => resolve(output as Json), timeOut, execution, expiresAt: Date.now() + (dueMs ?? (wait?.timeoutSeconds ?? 99_999_999) * 1000) };
          this.pending.set(token, pending);
          await this.invoke(fn, { ...input.Payload, taskToken: token });
          if (dueMs !== undefined && this.pending.get(token) === pending) {
            pending.timer = setTimeout(() => {
              if (this.pending.get(token) !== pending) return;
              this.pending.delete(token);
              timeOut();
            }, Math.max(0, pending.expiresAt - Date.now()));
            pending.timer.unref?.();
          }
          return promise;
        };
      } else if (state.Resource === 'arn:aws:states:::lambda:invoke') {
        overrides[stateName] = async (raw: Json) => ({
          Payload: (await this.invoke(fn, (raw as { Payload: unknown }).Payload)) as Json,
          StatusCode: 200,
          ExecutedVersion: '$LATEST',
        });
      } else {
        throw new Error(`State "${stateName}" uses ${state.Resource}: no local implementation`);
      }
    }
    return overrides;
  }

  private async countEvents(record: ExecutionRecord, events: AsyncGenerator<unknown>): Promise<void> {
    // The last failed attempt of each state: what a StateRetried event retries, and when it failed.
    const failed = new Map<string, { error: string; at: number }>();
    try {
      for await (const event of events) {
        record.events += 1;
        const e = event as { type?: string; timestamp?: number; Error?: string; state?: { name?: string; type?: string; input?: unknown; output?: unknown } };
        if (e.type === 'StateFailed' && e.state?.name) failed.set(e.state.name, { error: e.Error ?? 'unknown', at: e.timestamp ?? Date.now() });
        if (e.type === 'StateRetried' && e.state?.name) {
          const f = failed.get(e.state.name);
          const key = `${e.state.name} ← ${f?.error ?? 'unknown'}`;
          record.retries[key] = (record.retries[key] ?? 0) + 1;
          const waited = f ? Math.max(0, (e.timestamp ?? Date.now()) - f.at) : 0;
          record.retryWaitMs += waited;
          record.retryWaitMaxMs = Math.max(record.retryWaitMaxMs, waited);
        }
        if (e.type === 'StateEntered') {
          record.stateTransitions += 1;
          const type = e.state?.type ?? 'Unknown';
          record.statesByType[type] = (record.statesByType[type] ?? 0) + 1;
          if (this.definitions[record.machine].States[e.state?.name ?? '']?.Resource?.endsWith('.waitForTaskToken')) record.callbackWaits += 1;
          if (e.state?.name) record.lastState = { name: e.state.name, input: e.state.input };
        }
        const payload = e.state?.output ?? e.state?.input;
        if (payload !== undefined) record.maxPayloadBytes = Math.max(record.maxPayloadBytes, Buffer.byteLength(JSON.stringify(payload)));
      }
    } catch {
      // The event stream ends with the execution; an aborted execution may end it with an error.
    }
  }
}
