// Static checks over statemachines/project-lifecycle.asl.json: valid ASL, every wait timed, every Lambda task retried
// and caught, JSONPath only, and every placeholder bound to a catalog function.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error asl-validator ships no type declarations
import aslValidator from 'asl-validator';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { isTransient, RETRIED_BY_NAME } from '../../functions/kernel/runtime/faults.ts';

type State = {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: Record<string, unknown>;
};
const text = readFileSync(new URL('../../statemachines/project-lifecycle.asl.json', import.meta.url), 'utf8');
const asl = JSON.parse(text) as { QueryLanguage?: string; States: Record<string, State> };
const states = Object.entries(asl.States);
const tasks = states.filter(([, s]) => s.Type === 'Task');
const LAMBDA_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

describe('project lifecycle state machine definition', () => {
  it('is valid Amazon States Language (asl-validator)', () => {
    const result = (aslValidator as (d: unknown) => { isValid: boolean; errors: unknown[] })(structuredClone(asl));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    // The validator compiles its JSON schemas on first use: over 5 s with the machine loaded (load 12, seen).
  }, 60_000);

  it('uses JSONPath only (the local runner does not evaluate JSONata)', () => {
    expect(asl.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toMatch(/\{%|"Arguments"|"Output"\s*:|QueryLanguage"\s*:\s*"JSONata/);
  });

  it('every callback wait has a timeout and catches States.Timeout', () => {
    const waits = tasks.filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'));
    expect(waits.length).toBeGreaterThan(0);
    for (const [name, s] of waits) {
      expect(s.TimeoutSeconds ?? s.TimeoutSecondsPath, `${name} timeout`).toBeDefined();
      expect(s.Catch?.some((c) => c.ErrorEquals.includes('States.Timeout')), `${name} catches States.Timeout`).toBe(true);
    }
  });

  it('callback waits take their timeout from $.Payload.wait, which exists both in the state input and after Parameters', () => {
    for (const [, s] of tasks.filter(([, t]) => t.Resource?.endsWith('.waitForTaskToken'))) {
      expect(s.TimeoutSecondsPath).toBe('$.Payload.wait.timeoutSeconds');
      expect((s.Parameters?.Payload as Record<string, string>)['wait.$']).toBe('$.Payload.wait');
      expect((s.Parameters?.Payload as Record<string, string>)['taskToken.$']).toBe('$$.Task.Token');
    }
  });

  it('every Lambda task retries the Lambda service errors with backoff and jitter', () => {
    for (const [name, s] of tasks) {
      const retrier = s.Retry?.find((r) => LAMBDA_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect(retrier, `${name} retry`).toBeDefined();
      expect(retrier!.BackoffRate).toBeGreaterThan(1);
      expect(retrier!.JitterStrategy).toBe('FULL');
    }
  });

  it('every Lambda task retries transient faults — throttling, service errors, write contention, timeouts — with backoff and jitter', () => {
    // Names as they reach the state machine: our steps' TransientFault (workflowStep), DynamoDB's own names, the
    // domain's retryable races, and what Lambda reports for a timed-out or crashed invocation.
    const transient = ['TransientFault', 'ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError', 'ConcurrentChange', 'Conflict', 'PreconditionFailed', 'Lambda.Unknown', 'Sandbox.Timedout', 'Lambda.ClientExecutionTimeoutException'];
    for (const [name, s] of tasks) {
      for (const error of transient) {
        const retrier = s.Retry?.find((r) => r.ErrorEquals.includes(error));
        expect(retrier, `${name} retries ${error}`).toBeDefined();
        expect(retrier!.BackoffRate, `${name} ${error}`).toBeGreaterThan(1);
        expect(retrier!.JitterStrategy, `${name} ${error}`).toBe('FULL');
        expect(retrier!.MaxAttempts, `${name} ${error}`).toBeGreaterThanOrEqual(3);
      }
      // A bug (a plain Error, a TypeError) is not retried: it goes to "Record failure" for ops.
      // Nor a cancelled transaction that was neither a conflict nor throttled (a validation error or an item too large:
      // every attempt meets it again; conflicts and throttling arrive under their own names).
      expect(s.Retry?.some((r) => r.ErrorEquals.some((e) => ['States.ALL', 'States.TaskFailed', 'Error', 'TypeError', 'TransactionCanceledException'].includes(e))), name).toBe(false);
    }
  });

  it('no callback wait retries States.Timeout: a timed-out wait is a deadline, handled by its Catch', () => {
    for (const [name, s] of tasks.filter(([, t]) => t.Resource?.endsWith('.waitForTaskToken'))) {
      expect(s.Retry?.some((r) => r.ErrorEquals.includes('States.Timeout')), name).toBe(false);
    }
  });

  it('every Lambda task except the failure recorder catches all errors into "Record failure"', () => {
    for (const [name, s] of tasks.filter(([n]) => n !== 'Record failure')) {
      expect(s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next, name).toBe('Record failure');
    }
  });

  it('binds every placeholder to exactly one catalog function and every workflow function is used', () => {
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    const bound = new Set(FUNCTIONS.flatMap((f) => (f.aslPlaceholder && f.machine === 'lifecycle' ? [f.aslPlaceholder] : [])));
    expect([...placeholders].sort()).toEqual([...bound].sort());
  });

  it('a failed execution tells the operator, in the console, where the error is and which runbook row to follow', () => {
    const fails = states.filter(([, s]) => s.Type === 'Fail') as [string, State & { Error?: string; Cause?: string }][];
    expect(fails.map(([name]) => name)).toEqual(['Lifecycle failed']);
    const cause = fails[0]![1].Cause ?? '';
    // The execution's name, {projectId}-{stage}-{n}, is the project; the cause says what to do with it.
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const row = /Runbook: docs\/runbook\.md, row "(Alarm `[^`]+`)"/.exec(cause)?.[1];
    expect(row, cause).toBe('Alarm `ExecutionsFailed`');
    expect(runbook.split('\n').filter((line) => line.startsWith(`| ${row} |`))).toHaveLength(1);
    expect(cause).toContain('POST /projects/{id}/workflow/resume');
    expect(cause).toContain('Record failure');
  });

  it('every state is reachable from StartAt (no dead states for operators to puzzle over)', () => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const s = asl.States[name] as State & { Next?: string; Choices?: { Next: string }[]; Default?: string };
      [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].forEach((n) => n && visit(n));
    };
    visit((asl as unknown as { StartAt: string }).StartAt);
    expect([...seen].sort()).toEqual(Object.keys(asl.States).sort());
  });
});

// The exit procedure (statemachines/project-exit.asl.json): a straight line of idempotent steps. No Catch on purpose —
// a step that fails after its retries fails the execution right there, so Step Functions' redrive continues from it.
describe('project exit state machine definition', () => {
  const exitText = readFileSync(new URL('../../statemachines/project-exit.asl.json', import.meta.url), 'utf8');
  const exit = JSON.parse(exitText) as { StartAt: string; States: Record<string, State & { Next?: string; End?: boolean }> };
  const exitTasks = Object.entries(exit.States).filter(([, s]) => s.Type === 'Task');

  it('is valid ASL in JSONPath', () => {
    const result = (aslValidator as (d: unknown) => { isValid: boolean; errors: unknown[] })(structuredClone(exit));
    expect(result.errors).toEqual([]);
    expect(exitText).not.toMatch(/\{%|"Arguments"|QueryLanguage"\s*:\s*"JSONata/);
  });

  it('runs check → release → letter → close in that order, each a step of the exit function', () => {
    const order: string[] = [];
    for (let name: string | undefined = exit.StartAt; name; name = exit.States[name]!.Next) order.push(name);
    expect(order.map((n) => (exit.States[n]!.Parameters?.Payload as { step?: string } | undefined)?.step ?? exit.States[n]!.Type)).toEqual(['check', 'release', 'letter', 'close', 'Succeed']);
    const exitFns = FUNCTIONS.filter((f) => f.machine === 'exit').map((f) => `\${${f.aslPlaceholder}}`);
    for (const [name, s] of exitTasks) expect(exitFns, name).toContain(s.Parameters?.FunctionName);
  });

  it('retries transient faults on every step and catches nothing (a failure stays at its step, redrivable)', () => {
    for (const [name, s] of exitTasks) {
      for (const error of [...LAMBDA_ERRORS, 'TransientFault', 'ConcurrentChange', 'Sandbox.Timedout']) expect(s.Retry?.some((r) => r.ErrorEquals.includes(error)), `${name} ${error}`).toBe(true);
      expect(s.Retry?.some((r) => r.ErrorEquals.some((e) => ['States.ALL', 'ExitRefused', 'Error'].includes(e))), name).toBe(false);
      expect(s.Catch, name).toBeUndefined();
      expect((s.Parameters?.Payload as Record<string, string>)['executionName.$']).toBe('$$.Execution.Name');
    }
  });
});

// A step's error the state machines retry is logged as a warning, not as `workflow step failed` (the line ops read and
// the step functions' errors alarm counts): the steps' wrapper must know every name both machines retry.
describe('the errors both machines retry and the steps log as warnings', () => {
  const exit = JSON.parse(readFileSync(new URL('../../statemachines/project-exit.asl.json', import.meta.url), 'utf8')) as { States: Record<string, State> };
  const every = [...tasks, ...Object.entries(exit.States).filter(([, s]) => s.Type === 'Task')];
  const named = (name: string) => Object.assign(new Error(name), { name });

  it('every name retried is Lambda\'s own, a transient fault (TransientFault) or one of RETRIED_BY_NAME, each retried by every step', () => {
    for (const [name, s] of every) {
      const retried = (s.Retry ?? []).flatMap((r) => r.ErrorEquals);
      const domain = retried.filter((e) => !/^(Lambda|Sandbox)\./.test(e) && e !== 'TransientFault' && !isTransient(named(e)));
      expect(domain.sort(), name).toEqual([...RETRIED_BY_NAME].sort());
    }
  });
});
