// `npm run check-store [-- --json]`: reads a stopped local store (ZONEFLOW_DATA_DIR, default .zoneflow/) table by table
// and checks what an auditor would of it (local/store-check.ts): quotas against their reservations, each parcel and
// facility against its one holder, the fund's years against their allocations, letters and rungs on the timeline once,
// notices queued once a channel. Run it after a crash (kill -9, a power cut) and before the next start: it claims the
// store as npm start does (refused while a runtime holds it: a store being written to is no snapshot) and starts the
// store's DynamoDB Local on DYNAMODB_PORT (any free port without it), reads, stops it. Exit 0: every invariant holds;
// 1: breaches, each printed; 2: the store could not be read.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig, startDynamoDbLocal, tableEnv } from './dynamodb-local.ts';
import { dataDir } from './paths.ts';
import { claimStore } from './store-lock.ts';
import { checkStore } from './store-check.ts';

const USAGE = `usage: npm run check-store [-- --json]
  Checks the invariants of the stopped store in ZONEFLOW_DATA_DIR (default .zoneflow/); exit 1 when one is broken.`;
let values: { json?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const dir = dataDir();
if (!existsSync(join(dir, 'dynamodb'))) {
  console.error(`check-store: no store in ${dir} (ZONEFLOW_DATA_DIR names another?)`);
  process.exit(2);
}
const claim = claimStore(dir);
if ('refused' in claim) {
  console.error(claim.refused.replace(/^npm start:/, 'check-store:') + ' — check a store once it is stopped');
  process.exit(2);
}
process.on('exit', () => claim.release());

const dynamo = await startDynamoDbLocal({ dbPath: join(dir, 'dynamodb'), port: process.env.DYNAMODB_PORT ? Number(process.env.DYNAMODB_PORT) : undefined });
let code: number;
try {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
  const names = tableEnv();
  const scan = async (envVar: string) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new ScanCommand({ TableName: names[envVar], ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const [projects, inventory, audit, ledger, delivery, inbox] = await Promise.all(['TABLE_PROJECTS', 'TABLE_INVENTORY', 'TABLE_AUDIT', 'TABLE_LEDGER', 'TABLE_DELIVERY', 'TABLE_INBOX'].map(scan));
  const report = checkStore({ projects: projects!, inventory: inventory!, audit: audit!, ledger: ledger!, delivery: delivery!, inbox: inbox! });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`store ${dir}: ${Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(' · ')}`);
    for (const w of report.warnings) console.log(`NOTE ${w.check} ${w.subject}: ${w.message}`);
    for (const b of report.breaches) console.log(`BREACH ${b.check} ${b.subject}: ${b.message}`);
    console.log(report.breaches.length ? `${report.breaches.length} breaches` : 'every invariant holds');
  }
  code = report.breaches.length ? 1 : 0;
} catch (err) {
  console.error(`check-store: ${(err as Error).message}`);
  code = 2;
} finally {
  await dynamo.stop();
}
process.exit(code);
