// How DynamoDB Local serves writes side by side: the same items written by 1, 4 and 16 concurrent writers as single
// writes (UpdateItem) and as TransactWriteItems of 1, 3 and 6 items, and a GetItem for comparison; calls a second and
// p50/p99 at each concurrency. Every product write is a transaction of several items (the change, its audit event, its
// outbox signal, its Idempotency-Key record), so whether the emulator runs those one at a time decides how a burst of
// API writes queues on it. `--disjoint` gives every writer its own tables (is the queue per table or for the whole
// store?). The last row writes the 3-item transaction with its first item on the product's projects table (19 indexes;
// the item, a task, carries none of their keys) instead of an index-free table: what the emulator's index upkeep adds
// to every write of that table. `npx tsx bench/emulator-transactions.ts [--calls 2000] [--disjoint]`;
// figures in bench/results/emulator-transactions.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { TABLES } from '../functions/kernel/store/tables.ts';
import { createTables, localClientConfig, startDynamoDbLocal } from '../local/dynamodb-local.ts';

const { values: flags } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, disjoint: { type: 'boolean', default: false } } });
const CALLS = Number(flags.calls);
const WRITERS = [1, 4, 16] as const;
const KEYS = 20;
const pad = 'x'.repeat(1500);

const db = await startDynamoDbLocal({ peakJit: true });
const client = new DynamoDBClient(localClientConfig(db.endpoint));
const tables = flags.disjoint ? WRITERS.at(-1)! : 1;
const main = (w: number) => `main_${flags.disjoint ? w : 0}`;
const side = (w: number) => `side_${flags.disjoint ? w : 0}`;
for (let t = 0; t < tables; t++) {
  for (const name of [main(t), side(t)]) {
    await client.send(new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }));
  }
  for (let i = 0; i < WRITERS.at(-1)! * KEYS; i++) await client.send(new PutItemCommand({ TableName: main(t), Item: { pk: { S: `k${i}` }, v: { N: '0' }, pad: { S: pad } } }));
}

// The product's tables as the local stack creates them; a task-like item per writer key in the projects table.
await createTables(client, { prefix: 'bench' });
const projectsTable = `bench-${TABLES.find((t) => t.id === 'projects')!.id}`;
const projectIndexes = TABLES.find((t) => t.id === 'projects')!.indexes.length;
for (let i = 0; i < WRITERS.at(-1)! * KEYS; i++) await client.send(new PutItemCommand({ TableName: projectsTable, Item: { pk: { S: `PROJECT#p${i}` }, sk: { S: 'TASK#1' }, v: { N: '0' }, pad: { S: pad } } }));

let seq = 0;
// Each writer changes its own keys (no two writers ever touch one item) and puts new items beside them.
const key = (w: number, i: number) => ({ pk: { S: `k${w * KEYS + (i % KEYS)}` } });
const bump = (w: number, i: number): TransactWriteItem => ({ Update: { TableName: main(w), Key: key(w, i), UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } });
const put = (w: number): TransactWriteItem => ({ Put: { TableName: side(w), Item: { pk: { S: `n${seq++}` }, pad: { S: pad } } } });
const transaction = (items: number) => (w: number, i: number) => client.send(new TransactWriteItemsCommand({ TransactItems: [bump(w, i), ...Array.from({ length: items - 1 }, () => put(w))] }));
const onProjects = (w: number, i: number) =>
  client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Update: { TableName: projectsTable, Key: { pk: { S: `PROJECT#p${w * KEYS + (i % KEYS)}` }, sk: { S: 'TASK#1' } }, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
        put(w),
        put(w),
      ],
    }),
  );
const ops: Record<string, (w: number, i: number) => Promise<unknown>> = {
  GetItem: (w, i) => client.send(new GetItemCommand({ TableName: main(w), Key: key(w, i), ConsistentRead: true })),
  UpdateItem: (w, i) => client.send(new UpdateItemCommand(bump(w, i).Update!)),
  'TransactWriteItems, 1 item': transaction(1),
  'TransactWriteItems, 3 items': transaction(3),
  'TransactWriteItems, 6 items': transaction(6),
  [`TransactWriteItems, 3 items, the first on the projects table (${projectIndexes} indexes)`]: onProjects,
};

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
async function measure(op: (w: number, i: number) => Promise<unknown>, writers: number) {
  const times: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < Math.ceil(CALLS / writers); i++) {
        const s = performance.now();
        await op(w, i);
        times.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { callsPerSecond: Math.round(times.length / seconds), p50: r(quantile(times, 0.5)), p99: r(quantile(times, 0.99)) };
}

// A first pass warms the JVM's compiled paths; the second is the one reported.
for (const op of Object.values(ops)) await measure(op, 4);
const rows: Record<string, Record<string, { callsPerSecond: number; p50: number; p99: number }>> = {};
for (const [name, op] of Object.entries(ops)) {
  rows[name] = {};
  for (const writers of WRITERS) rows[name][`${writers} at once`] = await measure(op, writers);
}
client.destroy();
await db.stop();

console.log(`DynamoDB Local, ${CALLS} calls each, ${flags.disjoint ? 'every writer its own tables' : 'all writers on the same tables'} (calls a second · p50 · p99 ms)`);
for (const [name, byWriters] of Object.entries(rows)) {
  console.log(`${name.padEnd(72)} ${Object.entries(byWriters).map(([w, s]) => `${w}: ${String(s.callsPerSecond).padStart(5)}/s ${String(s.p50).padStart(5)} ${String(s.p99).padStart(5)}`).join(' │ ')}`);
}
const scaling = (name: string) => Math.round((rows[name]!['16 at once']!.callsPerSecond / rows[name]!['1 at once']!.callsPerSecond) * 100) / 100;
const summary = Object.fromEntries(Object.keys(rows).map((name) => [name, scaling(name)]));
console.log(`calls a second at 16 writers ÷ at 1: ${Object.entries(summary).map(([n, s]) => `${n} ${s}×`).join(' · ')}`);
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
const out = new URL(`results/emulator-transactions${flags.disjoint ? '-disjoint' : ''}.json`, import.meta.url);
writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), calls: CALLS, disjoint: flags.disjoint, rows, scalingSixteenOverOne: summary }, null, 2));
console.log(`wrote ${out.pathname}`);
