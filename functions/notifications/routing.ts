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

/** Queues `n` on `channel` (one transaction): true if queued now, false if the channel had it already. */
export async function enqueueOn(n: StoredNotification, channel: string, now: Date): Promise<boolean> {
  try {
    await transact(enqueueOps(channel, { recipient: n.recipient, seq: n.seq }, messageOf(n), now));
    return true;
  } catch (err) {
    // Queued on this channel before (the stream delivered this record again): nothing more to do.
    if (!(err instanceof ConditionFailed)) throw err;
    return false;
  }
}

const channelsOf = (n: StoredNotification, config: ChannelsDoc) => channelsFor(config, { recipient: n.recipient, kind: n.kind, park: n.park, createdAt: n.createdAt });

/** Queues a notification on each of its channels (one transaction each, the channels side by side); returns those it was queued on now. */
export async function routeNotification(n: StoredNotification, config: ChannelsDoc, now: Date): Promise<string[]> {
  return (await routeNotifications([n], config, now))[0]!;
}

/**
 * Routes several notifications at once: the channels side by side, each channel's notices one after the other in the
 * order given. Every queuing transaction also writes its channel's STATE item, and DynamoDB cancels transactions on one
 * item that overlap (TransactionConflict): notices queued side by side on one channel would contend on it past the
 * retries. Returns, per notification, the channels it was queued on now. The first error is thrown once every channel's
 * work in flight has settled (what was queued stays queued; routing again queues nothing twice); `queued`, when given
 * (one entry per notification), is filled as the work goes, so a caller told of an error still knows what it queued.
 */
export async function routeNotifications(
  ns: readonly StoredNotification[],
  config: ChannelsDoc,
  now: Date,
  enqueue: (n: StoredNotification, channel: string, now: Date) => Promise<boolean> = enqueueOn,
  queued: string[][] = ns.map(() => []),
): Promise<string[][]> {
  const byChannel = new Map<string, number[]>();
  ns.forEach((n, i) => {
    for (const channel of channelsOf(n, config)) byChannel.set(channel, [...(byChannel.get(channel) ?? []), i]);
  });
  const outcomes = await Promise.allSettled(
    [...byChannel].map(async ([channel, indices]) => {
      for (const i of indices) if (await enqueue(ns[i]!, channel, now)) queued[i]!.push(channel);
    }),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  // Each notification's channels in configuration order (robots first), whatever order they settled in.
  return queued.map((channels, i) => channelsOf(ns[i]!, config).filter((c) => channels.includes(c)));
}
