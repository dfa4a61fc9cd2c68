// Wakes a project's waiting workflow after the API changed its state: consume the stored wait (only if it still holds
// the token we read) and send task success. Tokens never leave the backend. If the wait timed out meanwhile, the
// deadline path re-evaluates from DynamoDB anyway; if no wait is stored yet, register-wait sees the newer project
// version and wakes itself — so no change is ever missed and none is applied twice.
import { transact } from '../dynamodb/client.ts';
import { consumeWait, getWait } from '../dynamodb/lifecycle.ts';
import { log } from '../log.ts';
import { TaskTokenRejected } from './port.ts';
import { workflow } from './index.ts';

export async function nudgeWorkflow(projectId: string, reason: string): Promise<void> {
  const wait = await getWait(projectId);
  if (!wait) return;
  try {
    await transact([consumeWait(projectId, wait.token, () => new TaskTokenRejected('consumed by another request'))]);
    await workflow.sendTaskSuccess(wait.token, { reason });
  } catch (err) {
    if (err instanceof TaskTokenRejected) return;
    // The change is committed; the workflow will still see it at its next deadline. Ops see this line.
    log.error('could not wake the workflow', { projectId, reason, err });
  }
}
