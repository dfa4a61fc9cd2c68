// Proves DynamoDB Local behaves as the adapters rely on: tables, GSIs, TTL, conditions, transactions.
import { randomUUID } from 'node:crypto';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLES } from '../../functions/kernel/store/tables.ts';
import { createTables, localClientConfig, startDynamoDbLocal, tableEnv } from '../../local/dynamodb-local.ts';

// Every test file gets its own tables in the shared DynamoDB Local.
const prefix = `t${randomUUID().slice(0, 8)}`;
const names = tableEnv(prefix);
const client = new DynamoDBClient(localClientConfig(inject('dynamodbEndpoint')));

beforeAll(async () => {
  await createTables(client, { prefix });
});
afterAll(() => client.destroy());

describe('createTables', () => {
  it('creates every table with its key schema and GSIs', async () => {
    for (const def of TABLES) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[def.envVar] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema?.[0]).toEqual({ AttributeName: def.partitionKey.name, KeyType: 'HASH' });
      expect(Table?.KeySchema?.[1]?.AttributeName).toBe(def.sortKey?.name);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort();
      expect(indexes).toEqual(def.indexes.map((i) => i.name).sort());
    }
  });

  it('enables TTL on idempotency', async () => {
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: names.TABLE_IDEMPOTENCY }),
    );
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('is idempotent', async () => {
    await expect(createTables(client, { prefix })).resolves.toBeUndefined();
  });
});

describe('conditions', () => {
  it('rejects a second attribute_not_exists(pk) put', async () => {
    const put = new PutItemCommand({
      TableName: names.TABLE_PROJECTS,
      Item: { pk: { S: 'PROJECT#cond' }, sk: { S: 'PROJECT' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    await client.send(put);
    await expect(client.send(put)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('cancels a whole transaction and reports the reason per item', async () => {
    const existing = { pk: { S: 'PROJECT#tx' }, sk: { S: 'PROJECT' } };
    await client.send(new PutItemCommand({ TableName: names.TABLE_PROJECTS, Item: existing }));
    const fresh = { subject: { S: 'PROJECT#tx' }, seq: { S: '0001' } };

    const error = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: names.TABLE_AUDIT, Item: fresh } },
            {
              Put: {
                TableName: names.TABLE_PROJECTS,
                Item: existing,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((err: unknown) => err);

    expect((error as Error).name).toBe('TransactionCanceledException');
    const reasons = (error as TransactionCanceledException).CancellationReasons;
    expect(reasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    const { Item } = await client.send(new GetItemCommand({ TableName: names.TABLE_AUDIT, Key: fresh }));
    expect(Item).toBeUndefined();
  });
});

describe('a store kept from an earlier version', () => {
  // Its own emulator: an index added to a table is built in the background, and in the suite's shared emulator that
  // build waits behind every other file's traffic (measured 160+ s under the full suite, under 1 s alone). What is
  // tested is createTables adding it to a kept store, as `npm start` does on a quiet emulator.
  let own: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  let client: DynamoDBClient;
  beforeAll(async () => {
    own = await startDynamoDbLocal({});
    client = new DynamoDBClient(localClientConfig(own.endpoint));
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await own?.stop();
  });

  it('gets the indexes added since, filled from the items it holds, and loses those this version no longer has', async () => {
    const { CreateTableCommand, DeleteTableCommand, QueryCommand } = await import('@aws-sdk/client-dynamodb');
    const old = `old${randomUUID().slice(0, 6)}`;
    const oldNames = tableEnv(old);
    // The projects table as a store from before byAddressee existed had it, with an item that belongs in that index.
    const def = TABLES.find((t) => t.id === 'projects')!;
    // …and with an index this version no longer defines (as the ledger's were, before the ledger had its own table).
    const gone = { name: 'byParkStatus', partitionKey: { name: 'gsiParkStatus', type: 'S' as const }, sortKey: { name: 'gsiLedgerSk', type: 'S' as const } };
    const indexes = [...def.indexes.filter((i) => i.name !== 'byAddressee'), gone];
    const keys = new Map([def.partitionKey, def.sortKey!, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey!])].map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }]));
    await client.send(
      new CreateTableCommand({
        TableName: oldNames.TABLE_PROJECTS,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [...keys.values()],
        GlobalSecondaryIndexes: indexes.map((i) => ({ IndexName: i.name, KeySchema: [{ AttributeName: i.partitionKey.name, KeyType: 'HASH' as const }, { AttributeName: i.sortKey!.name, KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } })),
      }),
    );
    await client.send(new PutItemCommand({ TableName: oldNames.TABLE_PROJECTS, Item: { pk: { S: 'PROJECT#p1' }, sk: { S: 'LETTER#l1' }, gsiAddressee: { S: 'DEPT#resources_bureau' }, gsiIssued: { S: '2026-11-02#l1' } } }));

    await createTables(client, { prefix: old });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: oldNames.TABLE_PROJECTS }));
    expect(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'byAddressee')?.IndexStatus).toBe('ACTIVE');
    const found = await client.send(new QueryCommand({ TableName: oldNames.TABLE_PROJECTS, IndexName: 'byAddressee', KeyConditionExpression: 'gsiAddressee = :k', ExpressionAttributeValues: { ':k': { S: 'DEPT#resources_bureau' } } }));
    expect(found.Items).toHaveLength(1);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(def.indexes.map((i) => i.name).sort());
    for (const name of Object.values(oldNames)) await client.send(new DeleteTableCommand({ TableName: name }));
  }, 240_000);
});

describe('exposure of the emulator', () => {
  const endpoint = new URL(inject('dynamodbEndpoint'));

  it('listens on 127.0.0.1 only: another interface of this machine is refused', async () => {
    const { networkInterfaces } = await import('node:os');
    const { connect } = await import('node:net');
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    if (addresses.length === 0) return; // a machine with loopback only has nothing else to refuse on
    const attempt = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port: Number(endpoint.port) });
        socket.setTimeout(2_000, () => (socket.destroy(), resolve('timeout')));
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
    expect(await attempt('127.0.0.1')).toBe('connected');
    for (const address of addresses) expect(await attempt(address), address).not.toBe('connected');
  });

  it('allows no browser origin through CORS (its default would be *)', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:3000']) {
      const res = await fetch(endpoint, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' } });
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('a Ctrl-C in the terminal of npm start', () => {
  // The terminal signals the whole foreground process group: npm start, which stops the emulator itself once the work
  // under way has ended, and the emulator, which ended at once — under that work (seen live: a notice being mailed
  // at every terminal Ctrl-C cut, its channel's lease left held).
  it('leaves the emulator npm start runs to npm start: it goes on answering until stop()', async () => {
    const own = await startDynamoDbLocal({ ignoreCtrlC: true });
    try {
      process.kill(own.pid!, 'SIGINT');
      // Time for a JVM that takes the signal to end (it did within a second); this one is still there.
      const after = await Promise.race([own.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 3_000))]);
      expect(after).toBe('running');
      const c = new DynamoDBClient(localClientConfig(own.endpoint));
      const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
      await expect(c.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
      c.destroy();
    } finally {
      await own.stop();
    }
    // Stopped by its owner as ever: SIGTERM, ending as at a Ctrl-C.
    expect(await own.exited).toMatchObject({ signal: null });
  }, 120_000);
});
