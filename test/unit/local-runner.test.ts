// The embedded workflow runner against Step Functions' rules: a task success sent once a wait's due instant has passed
// is refused (TaskTimedOut) and the execution goes on by its timeout path at once — as on AWS, where the state timed out
// at that instant — never left to hang until the state's whole-second timeout. And the step retries it sleeps through
// are counted (the simulation reports them: on a fast clock each retry's second is a business day).
import { describe, expect, it } from 'vitest';
import { TaskTokenRejected } from '../../functions/kernel/workflow/port.ts';
import { LocalWorkflow, workflowRetries } from '../../local/workflow-runner.ts';

/** A lifecycle whose steps are fakes: one wait due in `dueInMs`, then the evaluation after it ends the lifecycle. */
function fakeLifecycle(dueInMs: number, timeoutSeconds: number, failFirstEvaluation?: string) {
  const calls: { fn: string; reason?: string; at: number }[] = [];
  let token: string | undefined;
  let evaluations = 0;
  const invoke = async (fn: string, payload: unknown) => {
    const p = payload as { reason?: string; taskToken?: string; stage: string };
    calls.push({ fn, reason: p.reason, at: Date.now() });
    if (fn === 'enter-stage') return {};
    if (fn === 'register-wait') {
      token = p.taskToken;
      return { registered: 'w1' };
    }
    if (fn === 'evaluate-stage') {
      evaluations += 1;
      if (failFirstEvaluation && evaluations === 1) throw Object.assign(new Error('lost a race'), { name: failFirstEvaluation });
      if (evaluations > (failFirstEvaluation ? 2 : 1)) return { next: 'end', stage: p.stage, wait: null };
      return { next: 'wait', stage: p.stage, wait: { waitId: 'w1', kind: 'deadline', stage: p.stage, dueAt: new Date(Date.now() + dueInMs).toISOString(), timeoutSeconds, version: 1 } };
    }
    throw new Error(`unexpected ${fn}`);
  };
  const runner = new LocalWorkflow(invoke, undefined, undefined, (at) => at.getTime() - Date.now());
  return { runner, calls, token: () => token };
}

const until = async <T>(probe: () => T | undefined, ms = 5_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('local runner: a callback wait past its due instant', () => {
  it('refuses a late task success and times the wait out at once, not at the state’s whole-second timeout', async () => {
    const { runner, calls, token } = fakeLifecycle(100, 30);
    await runner.startExecution('prj-x-SIGNING-1', { projectId: 'prj-x', stage: 'SIGNING', segment: 1 } as never);
    const t = await until(token);
    // The event loop is busy past the due instant (the timer cannot fire), then the API's wake-up arrives.
    const busyUntil = Date.now() + 200;
    while (Date.now() < busyUntil) {
      /* busy */
    }
    const sent = Date.now();
    await expect(runner.sendTaskSuccess(t, { reason: 'work' })).rejects.toBeInstanceOf(TaskTokenRejected);
    // The execution went on by "Deadline reached" (the timeout path), well before the 30-second state timeout.
    const deadline = await until(() => calls.find((c) => c.fn === 'evaluate-stage' && c.reason === 'deadline'), 5_000);
    expect(deadline.at - sent).toBeLessThan(5_000);
    await until(() => (runner.executions.get('prj-x-SIGNING-1')?.status === 'SUCCEEDED' ? true : undefined));
  }, 15_000);

  it('a task success before the due instant resumes the wait by its work path', async () => {
    const { runner, calls, token } = fakeLifecycle(10_000, 30);
    await runner.startExecution('prj-y-SIGNING-1', { projectId: 'prj-y', stage: 'SIGNING', segment: 1 } as never);
    await runner.sendTaskSuccess(await until(token), { reason: 'work' });
    await until(() => (runner.executions.get('prj-y-SIGNING-1')?.status === 'SUCCEEDED' ? true : undefined));
    expect(calls.filter((c) => c.fn === 'evaluate-stage').map((c) => c.reason)).toEqual(['work', 'work']);
    await expect(runner.sendTaskSuccess(token()!, {})).rejects.toBeInstanceOf(TaskTokenRejected);
  });
});

describe('local runner: step retries', () => {
  it('counts each retry by state and error, with the time it slept', async () => {
    const { runner, calls, token } = fakeLifecycle(10_000, 30, 'ConcurrentChange');
    await runner.startExecution('prj-z-SIGNING-1', { projectId: 'prj-z', stage: 'SIGNING', segment: 1 } as never);
    await runner.sendTaskSuccess(await until(token, 5_000), { reason: 'work' });
    const record = await until(() => (runner.executions.get('prj-z-SIGNING-1')?.status === 'SUCCEEDED' ? runner.executions.get('prj-z-SIGNING-1') : undefined));
    expect(record.retries).toEqual({ 'Evaluate stage ← ConcurrentChange': 1 });
    // The ASL's first interval is 1 s with full jitter: somewhere between 0 and 1 s (plus the event loop's own delay).
    expect(record.retryWaitMs).toBeLessThan(1_500);
    expect(record.retryWaitMaxMs).toBe(record.retryWaitMs);
    // The time counted is the sleep between the failed attempt and its retry, as the fake step saw the two calls.
    const [failedAt, retriedAt] = calls.filter((c) => c.fn === 'evaluate-stage').map((c) => c.at);
    expect(Math.abs(record.retryWaitMs - (retriedAt! - failedAt!))).toBeLessThan(50);
    const summary = workflowRetries([record, { retries: { 'Evaluate stage ← ConcurrentChange': 2, 'Enter stage ← TransientFault': 1 }, retryWaitMs: 1_000, retryWaitMaxMs: 900 }], 86_400);
    expect(summary.count).toBe(4);
    expect(summary.byCause).toEqual({ 'Evaluate stage ← ConcurrentChange': 3, 'Enter stage ← TransientFault': 1 });
    expect(summary.waitMaxMs).toBe(Math.max(900, Math.round(record.retryWaitMaxMs)));
    // 900 ms at a business day a second: 21.6 business hours.
    expect(workflowRetries([{ retries: {}, retryWaitMs: 900, retryWaitMaxMs: 900 }], 86_400).waitMaxBusinessHours).toBe(21.6);
  }, 15_000);
});
