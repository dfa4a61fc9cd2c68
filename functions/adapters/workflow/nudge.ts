// Wakes a project's waiting workflow after a change was committed (called by wake-workflow for each outbox signal):
// consume the stored wait (only if it still holds the token we read) and send task success. Tokens never leave the
// backend. If the wait timed out meanwhile, the deadline path re-evaluates from DynamoDB anyway; if no wait is stored
// yet, register-wait sees the newer project version and wakes itself. If the send itself fails, the wait is put back
// and the error rethrown, so the stream retries the signal.
import { transact } from '../dynamodb/client.ts';
import { consumeWait, getWait, putWait } from '../dynamodb/lifecycle.ts';
import { log } from '../log.ts';
import { TaskTokenRejected } from './port.ts';
import { workflow } from './index.ts';

/** True when a waiting workflow was woken; false when there was nothing (left) to wake. */
export async function nudgeWorkflow(projectId: string, reason: string): Promise<boolean> {
  const wait = await getWait(projectId);
  if (!wait) return false;
  try {
    await transact([consumeWait(projectId, wait.token, () => new TaskTokenRejected('consumed by another request'))]);
  } catch (err) {
    if (err instanceof TaskTokenRejected) return false;
    throw err;
  }
  try {
    await workflow.sendTaskSuccess(wait.token, { reason });
    return true;
  } catch (err) {
    if (err instanceof TaskTokenRejected) return false;
    log.error('could not wake the workflow; restoring its wait', { projectId, reason, err });
    await transact([putWait(projectId, wait)]).catch((e: unknown) => log.error('could not restore the wait', { projectId, err: e }));
    throw err;
  }
}
