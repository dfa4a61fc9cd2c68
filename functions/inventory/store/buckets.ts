// Fund bucket entity in the inventory table: a year's buckets of the pre-work fund 项目前期保障经费.
//   bucket        pk FUND#<year>   sk <bucket code>        — a year's buckets: budget, allocated, remaining, spent
// A year's buckets are stored from the `funds` configuration by its first draw, in that allocation's transaction; a
// later publication of the configuration sets the budgets of the years still open (budgets.ts); an allocation moves its counters under `remainingCny >= amount` (remainingCny =
// budgetCny − allocatedCny, kept beside them: a condition cannot compute), so no two allocations can overdraw it.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, type WriteOp } from '#kernel/store/client.ts';
import type { Bucket } from '../domain/fund.ts';
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

/** A bucket's item as first stored: its budget fixed, `allocated` already drawn on it. */
const bucketItem = (b: Bucket, allocated: number, at: Date) => ({
  ...bucketKey(b.year, b.code),
  entity: 'fund-bucket',
  year: b.year,
  name: b.name,
  budgetCny: b.budgetCny,
  allocatedCny: allocated,
  remainingCny: b.budgetCny - allocated,
  spentCny: 0,
  createdAt: at.toISOString(),
});

/**
 * The fund's budget stamp (one item): the `funds` configuration version whose budgets the last publication applied to the
 * stored buckets, and how many first draws have stored buckets. A year's first draw stores its buckets with the budgets
 * of the version it read, and a publication sets the budgets of the buckets it finds stored: read alone, a draw deciding
 * on the version before a publication (or on one a warm function kept) and committing after it would store the old
 * budgets, and a publication that looked for stored buckets before a draw committed would leave them at the old ones.
 * Both write the stamp under a condition on what they read, so whichever commits second is decided again: a first draw
 * only while no newer version was published (`firstDrawStampOp`), a publication only while no first draw committed
 * since it read the stamp — read before it looks for stored buckets (`budgetsPublishedStampOp`).
 */
const STAMP_KEY = { pk: 'FUND_BUDGETS', sk: 'STAMP' } as const;

export interface BudgetStamp {
  /** The version the last publication set (absent: none since the stamp began). */
  readonly configVersion?: number;
  readonly draws: number;
  readonly exists: boolean;
}

/** The stamp, read strongly consistent (a publication reads it before it looks for the open years' stored buckets). */
export async function readBudgetStamp(): Promise<BudgetStamp> {
  const item = (await ddb.send(new GetCommand({ TableName: INVENTORY, Key: STAMP_KEY, ConsistentRead: true }))).Item;
  if (!item) return { draws: 0, exists: false };
  return { draws: Number(item.draws ?? 0), exists: true, ...(typeof item.configVersion === 'number' ? { configVersion: item.configVersion } : {}) };
}

const republishedMeanwhile = () => new ConcurrentChange('the fund budgets were published while this first draw was decided');

/** A first draw's count on the stamp: only while no version newer than the one it decided on has been published. */
export function firstDrawStampOp(configVersion: number): WriteOp {
  return {
    item: {
      Update: {
        TableName: INVENTORY,
        Key: STAMP_KEY,
        UpdateExpression: 'SET draws = if_not_exists(draws, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(configVersion) OR configVersion <= :v',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':v': configVersion },
      },
    },
    onConditionFailed: republishedMeanwhile,
  };
}

/** A publication's mark on the stamp: its version, only while no first draw has committed since `read`. */
export function budgetsPublishedStampOp(read: BudgetStamp, version: number): WriteOp {
  return {
    item: {
      Put: {
        TableName: INVENTORY,
        Item: { ...STAMP_KEY, entity: 'fund-budget-stamp', configVersion: version, draws: read.draws },
        ...(read.exists ? { ConditionExpression: 'draws = :n', ExpressionAttributeValues: { ':n': read.draws } } : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    onConditionFailed: () => new ConcurrentChange('a first draw stored fund buckets while the new budgets were decided'),
  };
}

/** Another writer stored the year's buckets first: re-read them and decide again (the unit of work's retry). */
const storedMeanwhile = () => new ConcurrentChange('the fund buckets of the year were stored meanwhile');

/**
 * The writes that draw `amount` from `bucket` in the allocation's own transaction, so a refused allocation writes
 * nothing. A year's first draw stores all its buckets from the configuration version `configVersion` (each only if still
 * absent, and only while no newer version was published: the stamp; from then on a publication sets their budgets), the
 * drawn one with the amount on it; later draws move the counters, only while that much of the
 * budget is unallocated.
 */
export function drawBucket(bucket: Bucket, amount: number, year: { readonly stored: readonly Bucket[]; readonly all: readonly Bucket[]; readonly at: Date; readonly configVersion: number }): WriteOp[] {
  if (!year.stored.some((b) => b.code === bucket.code)) {
    // Stored with the budgets of `configVersion`: only while no newer one has been published (the stamp).
    return [firstDrawStampOp(year.configVersion), ...year.all
      .filter((b) => !year.stored.some((s) => s.code === b.code))
      .map((b) => ({
        item: { Put: { TableName: INVENTORY, Item: bucketItem(b, b.code === bucket.code ? amount : 0, year.at), ConditionExpression: 'attribute_not_exists(pk)' } },
        onConditionFailed: storedMeanwhile,
      }))];
  }
  return [
    {
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
    },
  ];
}

/**
 * A published budget applied to a bucket already drawn on: its budget (and name) set, what remains computed from what is
 * allocated at that instant — only while the new budget covers it, so no allocation can be left above its budget.
 */
export function setBucketBudget(year: number, code: string, budgetCny: number, name: Bucket['name'], refused: () => Error): WriteOp {
  return {
    item: {
      Update: {
        TableName: INVENTORY,
        Key: bucketKey(year, code),
        UpdateExpression: 'SET budgetCny = :b, remainingCny = :b - allocatedCny, #n = :n',
        ConditionExpression: 'attribute_exists(pk) AND allocatedCny <= :b',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':b': budgetCny, ':n': name },
      },
    },
    onConditionFailed: refused,
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
