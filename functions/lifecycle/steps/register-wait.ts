// Workflow step "Wait for stage work" (callback): stores the task token with the wait it belongs to. Tokens live only
// in DynamoDB; the API wakes the workflow by looking the token up (adapters/workflow/nudge.ts), never by accepting one
// from a client. If the project changed after the evaluation that computed this wait, the wait is stale at birth:
// wake at once so the change is evaluated.
import { transact } from '#kernel/store/client.ts';
import { projectAtVersion, putWait } from '#lifecycle/store/stage.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { workflow } from '#kernel/workflow/index.ts';
import type { StepInput } from './input.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';

class StaleWait extends Error {}

export const handler = workflowStep(async (input: StepInput) => {
  if (!input.taskToken || !input.wait) throw new Error('register-wait needs taskToken and wait');
  try {
    await transact([
      projectAtVersion(input.projectId, input.wait.version, () => new StaleWait()),
      putWait(input.projectId, { token: input.taskToken, wait: input.wait, executionName: input.executionName ?? '', registeredAt: clock.now().toISOString() }),
    ]);
    return { registered: input.wait.waitId };
  } catch (err) {
    if (!(err instanceof StaleWait)) throw err;
    await workflow.sendTaskSuccess(input.taskToken, { reason: 'changed-before-wait' });
    return { registered: null };
  }
});
