// Reading inboxes (the inbox table: one partition per recipient, newest first by `seq` = <ISO time>#<id>).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';

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
}

/** The Put of one notification (newest first by `seq` = <ISO time>#<id>). */
export function inboxPut(n: NewNotification, at: Date): WriteOp {
  const id = n.id ?? `${at.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...n, id, seq: `${at.toISOString()}#${id}`, createdAt: at.toISOString(), delivery: { inApp: 'delivered' }, read: false },
        ...(n.id ? { ConditionExpression: 'attribute_not_exists(recipient)' } : {}),
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
  readonly delivery: Record<string, string>;
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
