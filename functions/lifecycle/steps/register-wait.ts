// Workflow step "Wait for stage work" (callback): stores the task token with the wait it belongs to. Tokens live only
// in DynamoDB; the API wakes the workflow by looking the token up (lifecycle/nudge.ts), never by accepting one from a
// client. If the project changed after the evaluation that computed this wait, the wait is stale at birth: wake at
// once so the change is evaluated.
import { clock } from '#kernel/runtime/clock.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflow } from '#kernel/workflow/index.ts';
import { TaskTokenRejected } from '#kernel/workflow/port.ts';
import { registerWait } from '#lifecycle/store/stage.ts';
import type { StepInput } from './input.ts';

/** What Step Functions answers a send to a token whose state has timed out. */
const TIMED_OUT = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

export const handler = workflowStep(async (input: StepInput) => {
  if (!input.taskToken || !input.wait) throw new Error('register-wait needs taskToken and wait');
  const record = { token: input.taskToken, wait: input.wait, executionName: input.executionName ?? '', registeredAt: clock.now().toISOString() };
  const registered = await registerWait(input.projectId, record);
  // Off unless ZONEFLOW_DEBUG: each wait and what it waits for, for tracing a late light (`npm run simulate`).
  log.debug('wait', { projectId: input.projectId, kind: input.wait.kind, dueAt: input.wait.dueAt, version: input.wait.version, registered, at: record.registeredAt });
  if (registered) return { registered: input.wait.waitId };
  try {
    await workflow.sendTaskSuccess(input.taskToken, { reason: 'changed-before-wait' });
  } catch (err) {
    // The wait's due instant passed meanwhile: the state has timed out (TaskTimedOut; locally, a token whose timer has
    // fired is gone: TaskDoesNotExist) and goes on by its deadline path, which evaluates the change as well. Anything
    // else — an invalid token, a throttle, a network error — fails the step (retried by the state's Retry) as before.
    if (!(err instanceof TaskTokenRejected && TIMED_OUT.has(err.message))) throw err;
  }
  return { registered: null };
});
