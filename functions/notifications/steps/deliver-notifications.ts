// The delivery sweep (scheduled every minute): works every channel's queue — retries whose backoff has passed, notices
// held back by a platform's rate limit, whatever the stream consumer left. A channel gone from the configuration has
// its queue failed over to FAILED (kept for ops) and leaves the list. Idempotent: a channel another dispatcher is
// working is passed over.
import { log } from '#kernel/runtime/log.ts';
import { channelById } from '#notifications/domain/channels.ts';
import { drainChannel, type DrainResult } from '#notifications/dispatch.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { headJobs, knownChannels } from '#notifications/store/delivery-reads.ts';
import { forgetChannel } from '#notifications/store/deliveries.ts';

/** Wall time for one sweep: under a minute, so sweeps do not pile up (the lease would keep them apart anyway). */
const BUDGET_MS = 50_000;

export async function handler(_event: { at?: string } = {}): Promise<{ channels: DrainResult[] }> {
  const config = (await getChannels()).doc;
  const started = Date.now();
  const results: DrainResult[] = [];
  for (const channel of await knownChannels()) {
    const budget = BUDGET_MS - (Date.now() - started);
    if (budget <= 0) break;
    const result = await drainChannel(channel, config, budget);
    results.push(result);
    if (!channelById(config, channel) && !result.busy && (await headJobs(channel, 1)).length === 0) await forgetChannel(channel);
  }
  const moved = results.filter((r) => r.delivered || r.retried || r.failed);
  if (moved.length) log.info('delivery sweep', { channels: moved });
  return { channels: results };
}
