// Idempotency-Key records: the first response of a write, stored in the same transaction as the write itself.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from './client.ts';

/** Read lazily: every HTTP function imports this module, only write routes use it (route() checks it at cold start). */
export const idempotencyTable = 'TABLE_IDEMPOTENCY';
const table = () => requireEnv(idempotencyTable);
const TTL_SECONDS = 24 * 3600;

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface IdempotencyRecord {
  readonly key: string;
  readonly requestHash: string;
  readonly response: StoredResponse;
}

export async function getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { key }, ConsistentRead: true }));
  return out.Item as IdempotencyRecord | undefined;
}

/** TTL is real time (DynamoDB deletes by the wall clock), not the business clock. */
export function idempotencyOp(key: string, requestHash: string, response: StoredResponse): WriteOp {
  return {
    item: {
      Put: {
        TableName: table(),
        Item: { key, requestHash, response, expiresAt: Math.floor(Date.now() / 1000) + TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(#k)',
        ExpressionAttributeNames: { '#k': 'key' },
      },
    },
  };
}
