// Per-file isolation in the shared DynamoDB Local: a unique table prefix, the environment the handlers read at import
// (set before they are imported), and a document client for looking at what the handlers really wrote.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createTables, LOCAL_AWS, localClientConfig, tableEnv } from '../../local/dynamodb-local.ts';
import { StreamPoller } from '../../local/stream-poller.ts';

export interface TestStore {
  readonly prefix: string;
  readonly tables: Record<string, string>;
  readonly doc: DynamoDBDocumentClient;
  createTables(): Promise<void>;
  /** Number of items in a table (a scan: fine for a test's own small tables). */
  count(envVar: TableEnvVar): Promise<number>;
  /**
   * What the tables a request may write hold (projects, ledger, audit, idempotency, reference, outbox, inbox, inventory): per table its item
   * count and a digest of every item, so an overwritten item shows as well as a new one.
   */
  snapshot(): Promise<Record<TableEnvVar, string>>;
  /** The project item as stored, or undefined. */
  storedProject(id: string): Promise<Record<string, unknown> | undefined>;
  /** Audit items of a subject (e.g. PROJECT#prj-…), oldest first. */
  audit(subject: string): Promise<Record<string, unknown>[]>;
  /** Every stored project item (entity = project). */
  projects(): Promise<Record<string, unknown>[]>;
  /** The workflow signals written to the outbox so far, oldest first by kind and subject (id order). */
  signals(): Promise<Record<string, unknown>[]>;
  /**
   * Delivers every outbox signal written so far to wake-workflow, through the table's stream as on AWS (the local
   * event source mapping, drained instead of left polling so the test decides when delivery happens).
   */
  deliverSignals(): Promise<void>;
  destroy(): void;
}

export type TableEnvVar = 'TABLE_PROJECTS' | 'TABLE_LEDGER' | 'TABLE_AUDIT' | 'TABLE_IDEMPOTENCY' | 'TABLE_REFERENCE' | 'TABLE_OUTBOX' | 'TABLE_INBOX' | 'TABLE_INVENTORY';
const SNAPSHOT_TABLES: readonly TableEnvVar[] = ['TABLE_PROJECTS', 'TABLE_LEDGER', 'TABLE_AUDIT', 'TABLE_IDEMPOTENCY', 'TABLE_REFERENCE', 'TABLE_OUTBOX', 'TABLE_INBOX', 'TABLE_INVENTORY'];

/** JSON with object keys sorted at every level, so equal items digest equally whatever order DynamoDB returns keys in. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value instanceof Set) return stable([...value].map(String).sort());
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Points the handlers of this test file at their own tables: call at module top level, before importing any handler.
 * `ZONEFLOW_WORKFLOW=local` makes the workflow port use what is registered on globalThis (see workflow.ts).
 */
export function isolatedStore(name: string): TestStore {
  const prefix = `it-${name}-${randomUUID().slice(0, 8)}`;
  const endpoint = inject('dynamodbEndpoint');
  const tables = tableEnv(prefix);
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    ZONEFLOW_WORKFLOW: 'local',
    ...tables,
  });
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'ZONEFLOW_CLOCK_START', 'ZONEFLOW_CLOCK_ANCHOR', 'ZONEFLOW_TIME_SCALE']) {
    delete process.env[name];
  }
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const doc = DynamoDBDocumentClient.from(client);
  const table = (envVar: TableEnvVar) => {
    const physical = tables[envVar];
    if (!physical) throw new Error(`no table for ${envVar}`);
    return physical;
  };

  const scanAll = async (envVar: TableEnvVar) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new ScanCommand({ TableName: table(envVar), ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };

  let poller: StreamPoller | undefined;
  const store: TestStore = {
    prefix,
    tables,
    doc,
    async createTables() {
      await createTables(client, { prefix });
      // The cursor key the bootstrap makes on every start and deploy (lists seal their cursors with it).
      const { cursorKeyOp, hasCursorKey } = await import('../../functions/kernel/store/cursor-key.ts');
      const { transact } = await import('../../functions/kernel/store/client.ts');
      if (!(await hasCursorKey())) await transact([cursorKeyOp(randomBytes(32), new Date())]);
    },
    async count(envVar) {
      let total = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({ TableName: table(envVar), Select: 'COUNT', ExclusiveStartKey: start, ConsistentRead: true }),
        );
        total += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return total;
    },
    async snapshot() {
      const digests = await Promise.all(
        SNAPSHOT_TABLES.map(async (t) => {
          const items = (await scanAll(t)).map(stable).sort();
          return [t, `${items.length} items ${createHash('sha256').update(items.join('\n')).digest('hex').slice(0, 16)}`] as const;
        }),
      );
      return Object.fromEntries(digests) as Record<TableEnvVar, string>;
    },
    async storedProject(id) {
      const out = await doc.send(
        new GetCommand({ TableName: table('TABLE_PROJECTS'), Key: { pk: `PROJECT#${id}`, sk: 'PROJECT' }, ConsistentRead: true }),
      );
      return out.Item;
    },
    async audit(subject) {
      const out = await doc.send(
        new QueryCommand({
          TableName: table('TABLE_AUDIT'),
          KeyConditionExpression: 'subject = :s',
          ExpressionAttributeValues: { ':s': subject },
          ConsistentRead: true,
        }),
      );
      return out.Items ?? [];
    },
    projects: async () => (await scanAll('TABLE_PROJECTS')).filter((i) => i.entity === 'project'),
    signals: async () => (await scanAll('TABLE_OUTBOX')).sort((a, b) => String(a.id).localeCompare(String(b.id))),
    async deliverSignals() {
      poller ??= new StreamPoller({
        endpoint,
        tableName: table('TABLE_OUTBOX'),
        handler: async (event) => ((await import('../../functions/lifecycle/stream/wake-workflow.ts')).handler(event)),
        log: (message, fields) => console.error(message, fields),
      });
      await poller.drain((await scanAll('TABLE_OUTBOX')).map((item) => ({ id: item.id })));
    },
    destroy: () => {
      poller?.stop();
      client.destroy();
    },
  };
  return store;
}
