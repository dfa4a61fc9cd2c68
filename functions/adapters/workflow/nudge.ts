// Wakes a project's waiting workflow after the API changed its state: consume the stored wait (only if it still holds
// the token we read) and send task success. Tokens never leave the backend. If the wait timed out meanwhile, the
// deadline path re-evaluates from DynamoDB anyway; if no wait is stored yet, register-wait sees the newer project
// version and wakes itself. If the send itself fails, the wait is put back so the next change (or its deadline)
// wakes the workflow; the failure is logged for ops.
import { transact } from '../dynamodb/client.ts';
import { consumeWait, getWait, putWait } from '../dynamodb/lifecycle.ts';
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
    log.error('could not wake the workflow', { projectId, reason, err });
    await transact([putWait(projectId, wait)]).catch((e: unknown) => log.error('could not restore the wait', { projectId, err: e }));
  }
}
