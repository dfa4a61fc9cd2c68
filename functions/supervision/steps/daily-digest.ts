// The scheduled daily digest 每日提醒 (supervision/digest.ts): EventBridge Scheduler invokes it each morning; the local
// runtime on the business clock. `{ at }` overrides the instant (a replay of a missed run, the same day).
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { runDigest, type DigestReport } from '../digest.ts';

export async function handler(event: { at?: string } | undefined): Promise<DigestReport> {
  const at = event?.at ? new Date(event.at) : clock.now();
  if (Number.isNaN(at.getTime())) throw new Error(`not an instant: ${event?.at}`);
  const report = await runDigest(at);
  log.info('daily digest', { ...report });
  return report;
}
