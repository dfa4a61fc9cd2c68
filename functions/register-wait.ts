// Workflow step "Wait for stage work" (callback): stores the task token with the wait it belongs to. Tokens live only
// in DynamoDB; the API resumes the workflow by looking the token up, never by accepting one from a client.
import { putWait } from '#adapters/dynamodb/lifecycle.ts';
import { transact } from '#adapters/dynamodb/client.ts';
import { clock } from '#adapters/clock.ts';
import type { StepInput } from '#adapters/workflow/step-input.ts';

export async function handler(input: StepInput) {
  if (!input.taskToken || !input.wait) throw new Error('register-wait needs taskToken and wait');
  await transact([
    putWait(input.projectId, {
      token: input.taskToken,
      wait: input.wait,
      executionName: input.executionName ?? '',
      registeredAt: clock.now().toISOString(),
    }),
  ]);
  return { registered: input.wait.waitId };
}
