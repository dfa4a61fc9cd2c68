// Fund bucket entity in the inventory table: a year's buckets of the pre-work fund 项目前期保障经费.
//   bucket        pk FUND#<year>   sk <bucket code>        — a year's buckets: budget, allocated, remaining, spent
// A bucket is created from the `funds` configuration the first time its year is drawn on (its budget fixed from then
// on); an allocation moves its counters under `remainingCny >= amount` (remainingCny = budgetCny − allocatedCny, kept
// beside them: a condition cannot compute), so no two allocations can overdraw it.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';
import type { Bucket, FundsConfig } from '../domain/fund.ts';
import { overdrawn } from '../domain/fund.ts';

const INVENTORY = requireEnv('TABLE_INVENTORY');
const bucketKey = (year: number, code: string) => ({ pk: `FUND#${year}`, sk: code });

const fromBucketItem = (item: Record<string, unknown>): Bucket => ({
  year: Number(item.year),
  code: String(item.sk),
  name: item.name as Bucket['name'],
  budgetCny: Number(item.budgetCny),
  allocatedCny: Number(item.allocatedCny),
  spentCny: Number(item.spentCny),
});

/** The buckets of a year that have been drawn on. */
export async function storedBuckets(year: number): Promise<Bucket[]> {
  const out = await ddb.send(new QueryCommand({ TableName: INVENTORY, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `FUND#${year}` }, ConsistentRead: true }));
  return (out.Items ?? []).map(fromBucketItem);
}

/**
 * Creates a year's buckets from the configuration if they are not there yet (idempotent: each only if absent; a
 * crash between two leaves the rest for the next call). The budget is fixed from then on.
 */
export async function ensureBuckets(year: number, cfg: FundsConfig, at: Date): Promise<void> {
  await Promise.all(
    cfg.buckets.map((b) =>
      ddb
        .send(new PutCommand({ TableName: INVENTORY, Item: { ...bucketKey(year, b.code), entity: 'fund-bucket', year, name: b.name, budgetCny: b.budgetCny, allocatedCny: 0, remainingCny: b.budgetCny, spentCny: 0, createdAt: at.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }))
        .catch((err: unknown) => {
          if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
        }),
    ),
  );
}

/** Draws `amount` from a bucket: only while that much of the budget is unallocated. */
export function drawBucket(bucket: Bucket, amount: number): WriteOp {
  return {
    item: {
      Update: {
        TableName: INVENTORY,
        Key: bucketKey(bucket.year, bucket.code),
        UpdateExpression: 'SET allocatedCny = allocatedCny + :a, remainingCny = remainingCny - :a',
        ConditionExpression: 'attribute_exists(pk) AND remainingCny >= :a',
        ExpressionAttributeValues: { ':a': amount },
      },
    },
    onConditionFailed: () => overdrawn({ ...bucket, allocatedCny: bucket.budgetCny }, amount),
  };
}

/** Records spending against a bucket (within what its allocations hold). */
export function spendBucket(year: number, code: string, amount: number): WriteOp {
  return { item: { Update: { TableName: INVENTORY, Key: bucketKey(year, code), UpdateExpression: 'SET spentCny = spentCny + :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': amount } } } };
}

/** Gives an allocation's unspent part back to its bucket. */
export function returnToBucket(year: number, code: string, amount: number): WriteOp {
  return {
    item: {
      Update: { TableName: INVENTORY, Key: bucketKey(year, code), UpdateExpression: 'SET allocatedCny = allocatedCny - :a, remainingCny = remainingCny + :a', ConditionExpression: 'attribute_exists(pk) AND allocatedCny >= :a', ExpressionAttributeValues: { ':a': amount } },
    },
  };
}
