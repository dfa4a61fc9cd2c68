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

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The first response stored under `key`, while its 24 hours last. One past them is no record, though still stored: DynamoDB's
 * TTL deletes an expired item within days, not at the second (DynamoDB Local never does), and a read still finds it.
 */
export async function getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { key }, ConsistentRead: true }));
  const item = out.Item as (IdempotencyRecord & { expiresAt?: number }) | undefined;
  return item && (item.expiresAt === undefined || item.expiresAt > nowSeconds()) ? item : undefined;
}

/**
 * TTL is real time (DynamoDB deletes by the wall clock), not the business clock. The key's record is written when there
 * is none or only one past its 24 hours (not swept yet): that key is a new request, its answer the next 24 hours' first.
 */
export function idempotencyOp(key: string, requestHash: string, response: StoredResponse): WriteOp {
  const now = nowSeconds();
  return {
    item: {
      Put: {
        TableName: table(),
        Item: { key, requestHash, response, expiresAt: now + TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(#k) OR #e <= :now',
        ExpressionAttributeNames: { '#k': 'key', '#e': 'expiresAt' },
        ExpressionAttributeValues: { ':now': now },
      },
    },
  };
}
