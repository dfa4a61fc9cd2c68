// Reading inboxes (the inbox table: one partition per recipient, newest first by `seq` = <ISO time>#<id>).
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { batchGet, countAll, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import type { ChannelDelivery } from '#notifications/domain/delivery.ts';
import { notificationId, placeOfId, readInApp } from '#notifications/domain/inbox.ts';
import type { NoticeFacts } from '#notifications/domain/notices.ts';

const TABLE = requireEnv('TABLE_INBOX');

/** A notification as it is written: where, what kind, about which project, and its wording (zh-CN; English in `en`). */
export interface NewNotification {
  /**
   * A deterministic id (e.g. one digest per inbox and day): the notification is then written only if its key is not
   * there yet, so a re-run of the job that sends it writes nothing twice (pass the same `at` too: the key is `seq`).
   */
  readonly id?: string;
  readonly recipient: string;
  readonly kind: string;
  readonly projectId?: string;
  readonly title: string;
  readonly body: string;
  readonly en?: { readonly title: string; readonly body: string };
  /** The project's park (routing to a park's group) and what a group message shows besides the wording. */
  readonly park?: string;
  readonly facts?: NoticeFacts;
}

/**
 * The Put of one notification (newest first by `seq` = <ISO time>#<id>). `order`: its place among the notices of one
 * change (same instant), so the ids — and every channel's queue — keep the order the change raised them in. Unread, it
 * carries `gsiUnread` (its inbox: the sparse byUnread index) when a user reads that inbox in-app.
 */
export function inboxPut(n: NewNotification, at: Date, order = 0): WriteOp {
  const id = n.id ?? notificationId(at, order);
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...n, id, seq: `${at.toISOString()}#${id}`, createdAt: at.toISOString(), delivery: { inApp: { status: 'delivered', attempts: 1, at: at.toISOString() } }, read: false, ...(readInApp(n.recipient) ? { gsiUnread: n.recipient } : {}) },
        ...(n.id ? { ConditionExpression: 'attribute_not_exists(recipient)' } : {}),
      },
    },
  };
}

/**
 * Writes a notification of a fixed id on its own, only if it is not there yet: a conditional PutItem, not a
 * transaction — one item needs none, and a transactional write costs twice the write units (a refused one too). False
 * when it was there already (an earlier or a concurrent run of the job that sends it).
 */
export async function putNotificationOnce(n: NewNotification & { readonly id: string }, at: Date): Promise<boolean> {
  try {
    await ddb.send(new PutCommand(inboxPut(n, at).item.Put!));
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

export interface StoredNotification {
  readonly recipient: string;
  readonly seq: string;
  readonly id: string;
  readonly kind: string;
  readonly projectId?: string;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
  readonly en?: { readonly title: string; readonly body: string };
  readonly read: boolean;
  /** When and by whom it was marked read (`POST /me/notifications/{id}/read`); a shared inbox's notice is read for all. */
  readonly readAt?: string;
  readonly readBy?: string;
  readonly park?: string;
  readonly facts?: NoticeFacts;
  /** Per channel: `inApp`, and each robot or e-mail channel routing chose (notifications/domain/delivery.ts). */
  readonly delivery: Record<string, unknown>;
  /** While unread, in an inbox a user reads: the inbox (the byUnread index's key). */
  readonly gsiUnread?: string;
  /**
   * When a later notice made this one void, and that notice's kind (a department's gate.open and gate.overdue about a
   * gate it no longer decides: `gate.open_withdrawn`). A voided notice is read from then on (its reading kept if it was).
   */
  readonly voidedAt?: string;
  readonly voidedBy?: string;
}

/** Up to `limit` notifications of one inbox, newest first, strictly older than `before` (a seq) when given. */
export async function queryInbox(recipient: string, limit: number, before?: string): Promise<{ items: StoredNotification[]; more: boolean }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: before ? 'recipient = :r AND seq < :s' : 'recipient = :r',
      ExpressionAttributeValues: { ':r': recipient, ...(before ? { ':s': before } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return { items: (out.Items ?? []) as StoredNotification[], more: out.LastEvaluatedKey !== undefined };
}

/**
 * Up to `limit` unread notices of one inbox, newest first, older than the seq `before` when given: their keys from the
 * sparse byUnread index, then the notices (one marked read in between is left out: the index follows a mark-read a moment
 * later). `last` is the seq of the last index entry read — where the next page starts, whatever was left out.
 */
export async function queryUnread(recipient: string, limit: number, before?: string): Promise<{ items: StoredNotification[]; more: boolean; last?: string }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'byUnread',
      KeyConditionExpression: before ? 'gsiUnread = :r AND seq < :s' : 'gsiUnread = :r',
      ExpressionAttributeValues: { ':r': recipient, ...(before ? { ':s': before } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const keys = (out.Items ?? []).map((k) => ({ recipient: k.recipient as string, seq: k.seq as string }));
  const found = new Map(((await batchGet(TABLE, keys, true)).items as unknown as StoredNotification[]).map((n) => [n.seq, n]));
  const items = keys.map((k) => found.get(k.seq)).filter((n): n is StoredNotification => n !== undefined && n.read === false);
  return { items, more: out.LastEvaluatedKey !== undefined, ...(keys.length > 0 ? { last: keys.at(-1)!.seq } : {}) };
}

/**
 * Up to `limit` notifications of one inbox created from `from` to `to` (instants as toISOString gives them, both
 * inclusive), oldest first, after the seq `after` when given. `last` is the seq to continue after, when more may follow.
 */
export async function inboxWindow(recipient: string, from: string, to: string, limit: number, after?: string): Promise<{ items: StoredNotification[]; last?: string }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      // seq = <createdAt>#<id>: every notice of the last millisecond sorts before `<to>#\uffff`.
      KeyConditionExpression: 'recipient = :r AND seq BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':r': recipient, ':a': from, ':b': `${to}#\uffff` },
      ConsistentRead: true,
      Limit: limit,
      ...(after ? { ExclusiveStartKey: { recipient, seq: after } } : {}),
    }),
  );
  const last = out.LastEvaluatedKey?.seq;
  return { items: (out.Items ?? []) as StoredNotification[], ...(typeof last === 'string' ? { last } : {}) };
}

/**
 * Sets one channel's delivery status on a notification (never creates a notification: one that expired is left
 * alone). Queuing (pending, attempts 0) happens once per channel: it requires that the channel has no status yet.
 * Channel ids are ops' choice, so the name goes through an attribute name placeholder.
 */
export function deliveryStatusOp(n: { readonly recipient: string; readonly seq: string }, channel: string, status: ChannelDelivery): WriteOp {
  const queuing = status.status === 'pending' && status.attempts === 0;
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { recipient: n.recipient, seq: n.seq },
        UpdateExpression: 'SET delivery.#c = :d',
        ConditionExpression: queuing ? 'attribute_exists(recipient) AND attribute_not_exists(delivery.#c)' : 'attribute_exists(recipient)',
        ExpressionAttributeNames: { '#c': channel },
        ExpressionAttributeValues: { ':d': status },
      },
    },
  };
}

/** The notification `id` of one inbox, wherever its id places it (placeOfId); undefined when it is not there. */
export async function findInInbox(recipient: string, id: string): Promise<StoredNotification | undefined> {
  const place = placeOfId(id);
  if (!place) return undefined;
  if ('seq' in place) {
    const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { recipient, seq: place.seq }, ConsistentRead: true }));
    return out.Item as StoredNotification | undefined;
  }
  // A digest: the notices of its day in this inbox, the one with this id — page by page (a busy inbox's day may be
  // more than one page of 1 MB before the filter), at most a day's worth.
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 50; page++) {
    const out = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'recipient = :r AND seq BETWEEN :a AND :b',
        FilterExpression: 'id = :id',
        ExpressionAttributeValues: { ':r': recipient, ':a': place.from, ':b': place.to, ':id': id },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    if (out.Items?.[0]) return out.Items[0] as StoredNotification;
    start = out.LastEvaluatedKey;
    if (!start) return undefined;
  }
  return undefined;
}

/**
 * Marks a notification read, once: the first marking keeps its time and reader (a second finds it read and changes
 * nothing) and takes it out of the unread index in the same conditional write. Returns the notification as it stands;
 * undefined if it expired meanwhile.
 */
export async function markRead(n: Pick<StoredNotification, 'recipient' | 'seq'>, by: string, at: Date): Promise<StoredNotification | undefined> {
  try {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { recipient: n.recipient, seq: n.seq },
        UpdateExpression: 'SET #read = :t, readAt = :at, readBy = :by REMOVE gsiUnread',
        ConditionExpression: 'attribute_exists(recipient) AND #read = :f',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':t': true, ':f': false, ':at': at.toISOString(), ':by': by },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as StoredNotification;
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { recipient: n.recipient, seq: n.seq }, ConsistentRead: true }));
    return out.Item as StoredNotification | undefined;
  }
}

/**
 * How many notices of one inbox are unread: the byUnread index's entries under it, counted (Select COUNT, keys only),
 * page by page to the end. The index follows a write within about a second on AWS (locally at once), so a notice marked
 * read a moment ago may still be counted for that moment; it is never counted twice, nor lost.
 */
export function countUnread(recipient: string): Promise<number> {
  return countAll({ TableName: TABLE, IndexName: 'byUnread', KeyConditionExpression: 'gsiUnread = :r', ExpressionAttributeValues: { ':r': recipient } });
}

/** The keys of an inbox's unread notices stored before the byUnread index existed (none carries `gsiUnread`). */
export async function unreadOutsideIndex(recipient: string): Promise<{ recipient: string; seq: string }[]> {
  return (await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'recipient = :r',
    FilterExpression: '#read = :f AND attribute_not_exists(gsiUnread)',
    ProjectionExpression: 'recipient, seq',
    ExpressionAttributeNames: { '#read': 'read' },
    ExpressionAttributeValues: { ':r': recipient, ':f': false },
    ConsistentRead: true,
  })) as { recipient: string; seq: string }[];
}

/** Puts one unread notice in the byUnread index — only while it is there and unread (one marked read meanwhile stays out). */
export function indexUnreadOp(key: { readonly recipient: string; readonly seq: string }): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { recipient: key.recipient, seq: key.seq },
        UpdateExpression: 'SET gsiUnread = :r',
        ConditionExpression: 'attribute_exists(recipient) AND #read = :f AND attribute_not_exists(gsiUnread)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':r': key.recipient, ':f': false },
      },
    },
  };
}

/**
 * The notices of one inbox about project `projectId` of the given kinds whose item (`facts.item`: a gate's Chinese
 * name) is `item`, created from the instant `since` on and not voided yet — every page of that stretch of the inbox,
 * read consistently (a transaction voids them next) — each by its key, its id and its kind, oldest first.
 */
export async function noticesAbout(recipient: string, args: { projectId: string; kinds: readonly string[]; item: string; since: string }): Promise<{ recipient: string; seq: string; id: string; kind: string }[]> {
  const kinds = Object.fromEntries(args.kinds.map((k, i) => [`:k${i}`, k]));
  return (await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'recipient = :r AND seq >= :s',
    FilterExpression: `projectId = :p AND #kind IN (${Object.keys(kinds).join(', ')}) AND facts.#item = :i AND attribute_not_exists(voidedAt)`,
    ProjectionExpression: 'recipient, seq, id, #kind',
    ExpressionAttributeNames: { '#kind': 'kind', '#item': 'item' },
    ExpressionAttributeValues: { ':r': recipient, ':s': args.since, ':p': args.projectId, ':i': args.item, ...kinds },
    ConsistentRead: true,
  })) as { recipient: string; seq: string; id: string; kind: string }[];
}

/**
 * Marks a notice void (`by`: the kind of the notice that voids it, `at`) and read — a first reading's time kept, no
 * reader named when none read it — out of the unread index, in the transaction of the change that voids it. Only a
 * notice still there (one expired meanwhile fails the transaction, which is decided again).
 */
export function voidNoticeOp(key: { readonly recipient: string; readonly seq: string }, by: string, at: Date): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { recipient: key.recipient, seq: key.seq },
        UpdateExpression: 'SET #read = :t, readAt = if_not_exists(readAt, :at), voidedAt = :at, voidedBy = :by REMOVE gsiUnread',
        ConditionExpression: 'attribute_exists(recipient)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':t': true, ':at': at.toISOString(), ':by': by },
      },
    },
  };
}
