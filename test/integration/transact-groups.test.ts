// transactGroups on DynamoDB Local: groups packed into transactions of at most 100 items, each transaction checking
// the guard (the aggregate still at the version read) — also the one that writes the aggregate itself, where DynamoDB
// takes no second operation on the item: the guard then rides on that write's own condition. Before, such a
// transaction went without the guard, safe only while the aggregate's write was the version-checked replace: a change
// that only touched the aggregate (a condition on its stage, not its version) committed after another change won.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../../functions/kernel/store/client.ts';
import { isolatedStore } from '../support/env.ts';
import { beforeTransaction, conflictAtTransaction } from '../support/transaction-hook.ts';

const store = isolatedStore('transact-groups');
const { ddb, transactGroups, MAX_TRANSACTION_ITEMS } = await import('../../functions/kernel/store/client.ts');

const TABLE = () => store.tables.TABLE_INVENTORY!;
class MovedOn extends Error {}
class StageRefused extends Error {}

let n = 0;
/** A fresh aggregate at `version`, stage BUILDING; its key. */
async function aggregate(version: number) {
  const key = { pk: `AGG#${++n}`, sk: 'ROOT' };
  await store.doc.send(new PutCommand({ TableName: TABLE(), Item: { ...key, version, stage: 'BUILDING', touches: 0 } }));
  return key;
}
const guardAt = (key: Record<string, string>, version: number): WriteOp => ({
  item: { ConditionCheck: { TableName: TABLE(), Key: key, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': version } } },
  onConditionFailed: () => new MovedOn(),
});
/** A write of the aggregate that checks its stage only, with placeholders named as the guard's are (`#v`, `:v`). */
const touch = (key: Record<string, string>): WriteOp => ({
  item: {
    Update: {
      TableName: TABLE(),
      Key: key,
      UpdateExpression: 'SET touches = touches + :one',
      ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#v': 'stage' },
      ExpressionAttributeValues: { ':v': 'BUILDING', ':one': 1 },
    },
  },
  onConditionFailed: () => new StageRefused(),
});
const record = (id: string): WriteOp => ({ item: { Put: { TableName: TABLE(), Item: { pk: `REC#${id}`, sk: 'ROOT' } } } });
const exists = async (id: string) => (await store.doc.send(new GetCommand({ TableName: TABLE(), Key: { pk: `REC#${id}`, sk: 'ROOT' }, ConsistentRead: true }))).Item !== undefined;
const stored = async (key: Record<string, string>) => (await store.doc.send(new GetCommand({ TableName: TABLE(), Key: key, ConsistentRead: true }))).Item!;

beforeAll(async () => {
  await store.createTables();
});

describe('transactGroups with a guard', () => {
  it('refuses the transaction that writes the guarded item once the aggregate moved on, and writes nothing of it', async () => {
    const key = await aggregate(2);
    // Read at version 1; another change moved it to 2. One transaction holds both the group and the aggregate's touch.
    await expect(transactGroups([[record('a1')], [touch(key)]], guardAt(key, 1))).rejects.toBeInstanceOf(MovedOn);
    expect(await exists('a1')).toBe(false);
    expect((await stored(key)).touches).toBe(0);
  });

  it('commits it while the aggregate is still at the version read, its own condition and the guard kept apart', async () => {
    const key = await aggregate(1);
    expect(await transactGroups([[record('b1')], [touch(key)]], guardAt(key, 1))).toBe(1);
    expect(await exists('b1')).toBe(true);
    expect((await stored(key)).touches).toBe(1);
    // The write's own condition still holds it back (the guard's `:v` did not replace the write's).
    await store.doc.send(new PutCommand({ TableName: TABLE(), Item: { ...key, version: 1, stage: 'DONE', touches: 1 } }));
    await expect(transactGroups([[record('b2')], [touch(key)]], guardAt(key, 1))).rejects.toThrow();
    expect(await exists('b2')).toBe(false);
  });

  it('checks the guard in every transaction when the groups take several: the first commits, none after the aggregate moved', async () => {
    const key = await aggregate(1);
    const groups = Array.from({ length: MAX_TRANSACTION_ITEMS + 20 }, (_, i) => [record(`c${i}`)]);
    // The first transaction (99 records and the guard) commits; another change moves the aggregate before the second
    // (the last records and the aggregate's touch).
    const removed = beforeTransaction(ddb, `REC#c${MAX_TRANSACTION_ITEMS + 19}`, () => store.doc.send(new PutCommand({ TableName: TABLE(), Item: { ...key, version: 2, stage: 'BUILDING', touches: 0 } })));
    try {
      await expect(transactGroups([...groups, [touch(key)]], guardAt(key, 1))).rejects.toBeInstanceOf(MovedOn);
    } finally {
      removed();
    }
    expect(await exists('c0')).toBe(true);
    expect(await exists(`c${MAX_TRANSACTION_ITEMS - 2}`)).toBe(true);
    expect(await exists(`c${MAX_TRANSACTION_ITEMS - 1}`)).toBe(false);
    expect((await stored(key)).touches).toBe(0);
  });
});

describe('transactGroups when a transaction keeps meeting another one in flight', () => {
  it('says nothing was written when the first transaction gives up, and that a part was when a later one does', async () => {
    // Two groups writing one record cannot share a transaction: the second goes in a transaction of its own.
    const put = (id: string, at: number): WriteOp => ({ item: { Put: { TableName: TABLE(), Item: { pk: `REC#${id}`, sk: 'ROOT', at } } } });
    let removed = conflictAtTransaction(ddb, 'REC#d1', 1);
    try {
      await expect(transactGroups([[put('d1', 1)], [put('d1', 2)]])).rejects.toThrow(/nothing was written/);
    } finally {
      removed();
    }
    expect(await exists('d1')).toBe(false);
    removed = conflictAtTransaction(ddb, 'REC#d2', 2);
    try {
      const refused = transactGroups([[put('d2', 1)], [put('d2', 2)]]);
      await expect(refused).rejects.toThrow(/part of this change was written \(1 of its transactions\), the rest not\. Send the request again/);
      await expect(refused).rejects.not.toThrow(/nothing was written/);
    } finally {
      removed();
    }
    expect((await store.doc.send(new GetCommand({ TableName: TABLE(), Key: { pk: 'REC#d2', sk: 'ROOT' }, ConsistentRead: true }))).Item?.at).toBe(1);
  });
});
