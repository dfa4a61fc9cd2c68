// The scheduled refresh duty (inventory/refresh.ts): EventBridge Scheduler invokes it each morning; the local runtime
// on the business clock. `{ at }` overrides the instant (a replay of a missed day).
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { runRefresh, type RefreshReport } from '../refresh.ts';

export async function handler(event: { at?: string } | undefined): Promise<RefreshReport> {
  const at = event?.at ? new Date(event.at) : clock.now();
  if (Number.isNaN(at.getTime())) throw new Error(`not an instant: ${event?.at}`);
  const report = await runRefresh(at);
  log.info('inventory refreshed', { ...report });
  return report;
}
