// Inbox consumer (DynamoDB stream of the inbox table): each new notification is queued on the group robots and e-mail
// lists the channels configuration routes it to, then those queues are worked at once. Routing is at-least-once and
// safe to repeat (a job is queued once); a record that cannot be routed is reported back (ReportBatchItemFailures)
// and the stream retries it, then parks it in the failure queue. A send that fails is not the batch's failure: the
// job keeps it, and the sweep (deliver-notifications) retries it on its backoff.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { drainChannel } from '#notifications/dispatch.ts';
import { notificationFromImage, routeNotification } from '#notifications/routing.ts';
import { getChannels } from '#notifications/store/channels.ts';

/** Wall time the function gives the queues it touched (its timeout is 30 s). */
const DRAIN_BUDGET_MS = 15_000;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const records = event.Records.filter((r) => r.eventName === 'INSERT');
  if (records.length === 0) return { batchItemFailures: [] };
  const config = (await getChannels()).doc;
  const touched = new Set<string>();
  for (const record of records) {
    const n = notificationFromImage(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
    if (!n) continue;
    try {
      for (const channel of await routeNotification(n, config, clock.now())) touched.add(channel);
    } catch (err) {
      log.error('could not route a notification; the stream retries it', { notification: n.id, err });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  // The queues touched, side by side (a slow robot does not hold the others back, nor the shard's next batch long).
  await Promise.all(
    [...touched].map(async (channel) => {
      try {
        await drainChannel(channel, config, DRAIN_BUDGET_MS);
      } catch (err) {
        // Queued and committed: the sweep delivers it.
        log.warn('could not work a channel queue now; the sweep will', { channel, err: String(err) });
      }
    }),
  );
  return { batchItemFailures: [] };
}
