// Wakes a project's waiting workflow after a change was committed (called by wake-workflow for each outbox signal):
// send task success to the stored wait's token, then delete that wait (only if it still holds the token). Tokens never
// leave the backend.
// - Send first: if the send fails, the wait is untouched and the error goes back to the stream, which retries; if the
//   consumer dies after the send, the retry finds the used token (or the next wait) — a used token is refused by Step
//   Functions and only cleaned up, a next wait gets one extra, harmless evaluation. Nothing is ever lost.
// - Two signals for one project at once both send: Step Functions accepts the first, refuses the second.
// - No wait stored: the workflow is between evaluations; register-wait sees the newer project version and wakes itself.
import { consumeWaitIfHeld, getWait } from '#lifecycle/store/stage.ts';
import { TaskTokenRejected } from '#kernel/workflow/port.ts';
import { workflow } from '#kernel/workflow/index.ts';

/** True when a waiting workflow was woken; false when there was nothing (left) to wake. */
export async function nudgeWorkflow(projectId: string, reason: string): Promise<boolean> {
  const wait = await getWait(projectId);
  if (!wait) return false;
  let woken = true;
  try {
    await workflow.sendTaskSuccess(wait.token, { reason });
  } catch (err) {
    if (!(err instanceof TaskTokenRejected)) throw err;
    woken = false;
  }
  // The used (or timed-out) token's record goes; a wait registered meanwhile holds another token and stays.
  await consumeWaitIfHeld(projectId, wait.token);
  return woken;
}
