// Routing: a new notification (an inbox item, read from the inbox table's stream) is queued on every channel the
// channels configuration names for its department, park and kind — in one transaction with `pending` on the
// notification — and those channels' queues are then worked at once (the sweep picks up what is left).
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConditionFailed, transact } from '#kernel/store/client.ts';
import { channelsFor, type ChannelsDoc } from './domain/channels.ts';
import type { Message } from './domain/messages.ts';
import type { StoredNotification } from './store/inbox.ts';
import { enqueueOps } from './store/deliveries.ts';

/** The notification in a stream image, or undefined for anything that is not one. */
export function notificationFromImage(image: Record<string, unknown> | undefined): StoredNotification | undefined {
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>) as Partial<StoredNotification>;
  if (typeof item.recipient !== 'string' || typeof item.seq !== 'string' || typeof item.kind !== 'string' || typeof item.id !== 'string') return undefined;
  return item as StoredNotification;
}

/** What the channels carry of a notification. */
export function messageOf(n: StoredNotification): Message {
  const f = n.facts;
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    createdAt: n.createdAt,
    ...(f?.project ? { project: f.project } : {}),
    ...(f?.item ? { item: f.item } : {}),
    ...(f?.dueDate ? { dueDate: f.dueDate } : {}),
  };
}

/** Queues a notification on each of its channels (one transaction each); returns those it was queued on now. */
export async function routeNotification(n: StoredNotification, config: ChannelsDoc, now: Date): Promise<string[]> {
  const channels = channelsFor(config, { recipient: n.recipient, kind: n.kind, park: n.park, createdAt: n.createdAt });
  const message = messageOf(n);
  const queued: string[] = [];
  for (const channel of channels) {
    try {
      await transact(enqueueOps(channel, { recipient: n.recipient, seq: n.seq }, message, now));
      queued.push(channel);
    } catch (err) {
      // Queued on this channel before (the stream delivered this record again): nothing more to do.
      if (!(err instanceof ConditionFailed)) throw err;
    }
  }
  return queued;
}
