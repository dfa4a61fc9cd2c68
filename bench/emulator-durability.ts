// Does DynamoDB Local (-dbPath) keep every write it acknowledged when its JVM is SIGKILLed? Eight writers put an item
// and then change it (a TransactWriteItems of two items, or `--plain`: one UpdateItem); after 1.5 s the JVM is killed,
// mid-request or (`--quiet`) once every writer has had its answer; the store is started again and every acknowledged
// write read back. Why the crash test freezes the product before the kill: docs/design.md, "The crash test kills the
// product". `npx tsx bench/emulator-durability.ts [--rounds 12] [--plain] [--quiet]`
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startDynamoDbLocal } from '../local/dynamodb-local.ts';

const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, plain: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } } });
const TableName = 'durability';
const change = (k: string) =>
  flags.plain
    ? new UpdateItemCommand({ TableName, Key: { pk: { S: k } }, UpdateExpression: 'SET st = :b', ExpressionAttributeValues: { ':b': { S: 'B' } } })
    : new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName, Key: { pk: { S: k } }, UpdateExpression: 'SET st = :b', ExpressionAttributeValues: { ':b': { S: 'B' } } } },
          { Put: { TableName, Item: { pk: { S: `${k}#other` }, st: { S: 'B' } } } },
        ],
      });

let acknowledged = 0;
let lost = 0;
for (let round = 0; round < Number(flags.rounds); round++) {
  const dir = mkdtempSync(join(tmpdir(), 'zoneflow-durability-'));
  let db = await startDynamoDbLocal({ dbPath: dir });
  let client = new DynamoDBClient({ ...localClientConfig(db.endpoint), maxAttempts: 1 });
  await client.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  const acked = new Map<string, string>();
  let stop = false;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const k = `w${w}-${i}`;
      try {
        await client.send(new PutItemCommand({ TableName, Item: { pk: { S: k }, st: { S: 'A' } } }));
        acked.set(k, 'A');
        const command = change(k);
        if (command instanceof UpdateItemCommand) await client.send(command);
        else await client.send(command);
        acked.set(k, 'B');
      } catch {
        return; // the emulator is gone
      }
    }
  };
  const writers = Array.from({ length: 8 }, (_, w) => writer(w));
  await new Promise((r) => setTimeout(r, 1_500));
  if (flags.quiet) {
    stop = true;
    await Promise.all(writers);
  }
  // The JVM of this store only (its command line names the directory; `[j]ava` keeps pkill from matching itself).
  execFileSync('pkill', ['-9', '-f', `[j]ava.*${dir}`]);
  stop = true;
  await Promise.all(writers);
  db = await startDynamoDbLocal({ dbPath: dir });
  client = new DynamoDBClient(localClientConfig(db.endpoint));
  const stored = new Map<string, string>();
  for (let start: Record<string, AttributeValue> | undefined; ; ) {
    const page = await client.send(new ScanCommand({ TableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) stored.set(item.pk!.S!, item.st!.S!);
    if (!(start = page.LastEvaluatedKey)) break;
  }
  // A change in flight at the kill may have landed unacknowledged (A acknowledged, B stored): that is not a loss.
  const missing = [...acked].filter(([k, v]) => stored.get(k) !== v && !(v === 'A' && stored.get(k) === 'B'));
  acknowledged += acked.size;
  lost += missing.length;
  console.log(`round ${round}: ${acked.size} acknowledged, ${missing.length} lost${missing.length ? ` (${missing.map(([k, v]) => `${k} acknowledged ${v}, stored ${stored.get(k) ?? 'nothing'}`).join('; ')})` : ''}`);
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${flags.plain ? 'UpdateItem' : 'TransactWriteItems'}, kill ${flags.quiet ? 'when quiet' : 'mid-request'}: ${lost} of ${acknowledged} acknowledged writes lost over ${flags.rounds} kills`);
process.exit(lost ? 1 : 0);
