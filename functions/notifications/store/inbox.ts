// Reading inboxes (the inbox table: one partition per recipient, newest first by `seq` = <ISO time>#<id>).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';
import type { ChannelDelivery } from '#notifications/domain/delivery.ts';
import type { NoticeFacts } from '#notifications/domain/notices.ts';

const TABLE = requireEnv('TABLE_INBOX');

/** A notification as it is written: where, what kind, about which project, and its wording (zh-CN; English in `en`). */
export interface NewNotification {
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

/** The Put of one notification (newest first by `seq` = <ISO time>#<id>). */
export function inboxPut(n: NewNotification, at: Date): WriteOp {
  const id = `${at.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...n, id, seq: `${at.toISOString()}#${id}`, createdAt: at.toISOString(), delivery: { inApp: { status: 'delivered', attempts: 1, at: at.toISOString() } }, read: false },
      },
    },
  };
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
  readonly park?: string;
  readonly facts?: NoticeFacts;
  /** Per channel: `inApp`, and each robot or e-mail channel routing chose (notifications/domain/delivery.ts). */
  readonly delivery: Record<string, unknown>;
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
 * Sets one channel's delivery status on a notification (never creates one: a notification that expired is left
 * alone). Channel ids are ops' choice, so the name goes through an attribute name placeholder.
 */
export function deliveryStatusOp(n: { readonly recipient: string; readonly seq: string }, channel: string, status: ChannelDelivery): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { recipient: n.recipient, seq: n.seq },
        UpdateExpression: 'SET delivery.#c = :d',
        ConditionExpression: 'attribute_exists(recipient)',
        ExpressionAttributeNames: { '#c': channel },
        ExpressionAttributeValues: { ':d': status },
      },
    },
  };
}
