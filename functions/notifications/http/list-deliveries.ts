// GET /deliveries — ops' view of notification delivery: per channel configured or that ever had a notice queued (one
// just added shows with nothing waiting and nothing delivered — seen, not missing), how many wait
// (counted up to 100), since when, the last delivery, how many failed for good, whether it is still configured and
// until when a dispatcher holds it;
// then the deliveries that failed for good, newest first, paged.
import { json, route } from '#kernel/http/route.ts';
import { invalidCursor, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { channelById } from '#notifications/domain/channels.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { failedCounts, failedDeliveries, headJobs, knownChannels, channelStatus } from '#notifications/store/delivery-reads.ts';
import * as routes from '#notifications/routes.ts';

/** Queued notices are counted up to this many per channel (a longer queue says so). */
const COUNTED = 100;
/** Deliveries failed for good are counted, over every channel, up to this many. */
const FAILED_COUNTED = 1_000;

export const handler = route(routes.listDeliveries, async (req) => {
  const limit = req.query.limit ? Number(req.query.limit) : 20;
  const scope = { list: 'deliveries', caller: req.principal.sub };
  const start = await openCursor(scope, req.query.cursor);
  if (start !== undefined && (typeof start !== 'object' || start === null || Array.isArray(start))) throw invalidCursor();
  const [config, failures, known] = await Promise.all([getChannels().then((c) => c.doc), failedCounts(FAILED_COUNTED), knownChannels()]);
  // In id order, as the sweep's list gives the channels that queued a notice: one only configured takes its place among them.
  const ids = [...new Set([...known, ...config.robots.map((r) => r.id), ...config.email.map((e) => e.id)])].sort();
  const channels = await Promise.all(
    ids.map(async (id) => {
      const [jobs, status] = await Promise.all([headJobs(id, COUNTED + 1), channelStatus(id)]);
      const leased = status.leaseUntil !== undefined && status.leaseUntil >= Date.now() ? status.leaseUntil : undefined;
      const head = jobs[0];
      return {
        id,
        configured: channelById(config, id) !== undefined,
        pending: Math.min(jobs.length, COUNTED),
        /** More than `pending` wait (they are counted up to 100). */
        morePending: jobs.length > COUNTED,
        oldestPendingAt: head?.queuedAt ?? null,
        /** The last notice this channel delivered (business time), or null. */
        lastDeliveredAt: status.lastDeliveredAt ?? null,
        /**
         * The last notice sent and never answered (10 s): counted delivered, not sent again — the group may not have it.
         * One now and then is a slow moment; each notice in turn is a webhook that hangs (docs/runbook.md). Kept once the
         * robot works again, with `laterAnsweredAt`: the last notice answered after it.
         */
        lastUnconfirmed: status.lastUnconfirmed ?? null,
        /** Deliveries of this channel that failed for good (what POST /deliveries/retry puts back). */
        failed: failures.counts.get(id) ?? 0,
        /** The failures were counted up to 1,000 over all channels: `failed` may be more. */
        moreFailed: !failures.complete,
        /**
         * A dispatcher is working the channel until this instant (wall clock), or null. A queue that grows while this
         * stays set is held by a dispatcher that died (a killed process): nothing is sent until the instant passes.
         */
        leasedUntil: leased === undefined ? null : new Date(leased).toISOString(),
        // Its next attempt: `retryAt` in wall time (a job queued before 2026-12-05: `notBefore`, business time).
        head: head ? { notification: head.message.id, attempts: head.attempts, notBefore: head.notBefore ?? null, retryAt: head.retryAt ?? null, lastError: head.lastError ?? null } : null,
      };
    }),
  );
  const page = await failedDeliveries(limit, start as Record<string, string> | undefined);
  return json(200, {
    channels,
    failed: {
      items: page.items.map((f) => ({ channel: f.target, notification: f.message.id, inbox: f.notification.recipient, kind: f.message.kind, title: f.message.title, queuedAt: f.queuedAt, failedAt: f.failedAt, attempts: f.attempts, reason: f.reason })),
      nextCursor: page.lastKey ? await sealCursor(scope, page.lastKey) : null,
    },
  });
});
