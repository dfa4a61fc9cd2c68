// POST /deliveries/retry — ops put a channel's failed deliveries back in its queue once the cause is fixed (a robot's
// new secret, SES out of its sandbox): up to 100 a call, each at its old place (the queue is ordered by the notices'
// time), with a fresh patience; the sweep sends them within a minute. A daily digest of an earlier day is not sent
// again (`superseded`). Each one moves in its own transaction (FAILED →
// the queue, `pending` on the notification), so a retried call never queues one twice.
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { channelById } from '#notifications/domain/channels.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { failedOf } from '#notifications/store/delivery-reads.ts';
import { moveFailed, requeueOps, supersedeOps } from '#notifications/store/deliveries.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import * as routes from '#notifications/routes.ts';

const PER_CALL = 100;

export const handler = writeRoute(routes.retryDeliveries, async (req) => {
  const { channel } = req.body;
  // A channel the configuration does not hold is a reference to nothing: 400 on `channel` (unknown_ref), as every other.
  if (!channelById((await getChannels()).doc, channel)) {
    throw new ValidationFailed(`${channel} is not in the channels configuration: publish it first (PUT /config/channels)`, [{ path: 'channel', code: 'unknown_ref', message: 'no such channel in the channels configuration' }]);
  }
  const now = clock.now();
  const today = shanghaiDate(now);
  const { items, more } = await failedOf(channel, PER_CALL);
  let requeued = 0;
  let superseded = 0;
  // One at a time, in order; one moved by a concurrent call already is passed over. A daily digest of an earlier day is
  // not sent late (a group told a year later of red tasks of projects since exited): the next morning's covers what is
  // still open — it leaves the failed list, marked superseded.
  for (const failed of items) {
    const stale = failed.message.kind === 'digest.daily' && shanghaiDate(new Date(failed.message.createdAt)) < today;
    if (await moveFailed(failed, now, stale ? supersedeOps : requeueOps)) {
      if (stale) superseded += 1;
      else requeued += 1;
    }
  }
  const body = { channel, requeued, superseded, more };
  return req.commit([auditOp(`CHANNEL#${channel}`, 'deliveries.retried', req.principal, { before: { failed: items.length }, after: { requeued, superseded, more } }, now, req.requestId)], json(200, body));
});
