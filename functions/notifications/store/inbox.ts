// Reading inboxes (the inbox table: one partition per recipient, newest first by `seq` = <ISO time>#<id>).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_INBOX');

export interface StoredNotification {
  readonly recipient: string;
  readonly seq: string;
  readonly id: string;
  readonly kind: string;
  readonly projectId?: string;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
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
