// The delivery sweep (scheduled every minute): works every channel's queue — retries whose backoff has passed, notices
// held back by a platform's rate limit, whatever the stream consumer left. Channels are worked side by side (a slow
// robot does not hold the others back) and each with the configuration as it is when its turn comes (a channel
// re-added within the minute is not failed from a stale copy). A channel gone from the configuration has its queue
// failed over to FAILED (kept for ops). One channel's error is logged and leaves the others alone. Idempotent: a
// channel another dispatcher is working is passed over.
import { log } from '#kernel/runtime/log.ts';
import { drainChannel, type DrainResult } from '#notifications/dispatch.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { knownChannels } from '#notifications/store/delivery-reads.ts';

/** Wall time for one sweep: under a minute, so sweeps do not pile up (the lease would keep them apart anyway). */
const BUDGET_MS = 50_000;
/** Channels worked at once. */
const PARALLEL = 8;

export async function handler(_event: { at?: string } = {}): Promise<{ channels: DrainResult[] }> {
  const started = Date.now();
  const pending = [...(await knownChannels())];
  const results: DrainResult[] = [];
  const worker = async () => {
    for (let channel = pending.shift(); channel !== undefined; channel = pending.shift()) {
      const budget = BUDGET_MS - (Date.now() - started);
      if (budget <= 0) return;
      try {
        results.push(await drainChannel(channel, (await getChannels()).doc, budget));
      } catch (err) {
        log.error('could not work a channel queue; the next sweep tries again', { channel, err: String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const moved = results.filter((r) => r.delivered || r.retried || r.failed);
  if (moved.length) log.info('delivery sweep', { channels: moved });
  return { channels: results };
}
