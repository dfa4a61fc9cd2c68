// Runs DynamoDB Local as a child java process and creates the zoneflow tables in it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClientConfig,
  type KeySchemaElement,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { projectionOf, TABLES, type IndexDef, type KeyDef, type TableDef } from '../functions/kernel/store/tables.ts';
import { ensureDynamoDbLocal } from './fetch-dynamodb-local.ts';
import { projectRoot } from './paths.ts';

/**
 * Fixed credentials and region for every local client. Without -sharedDb, DynamoDB Local keeps a
 * separate database per access key + region, so anything else would see different (empty) tables.
 */
export const LOCAL_AWS = { region: 'ap-east-1', accessKeyId: 'zoneflow', secretAccessKey: 'zoneflow' } as const;

/** Client config for a DynamoDB Local endpoint with the fixed local credentials. */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  const { region, accessKeyId, secretAccessKey } = LOCAL_AWS;
  return { endpoint, region, credentials: { accessKeyId, secretAccessKey } };
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  /** Settles when the JVM has exited, by stop() or not (killed, out of memory): its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JVM's process id. */
  pid: number | undefined;
}

const READY_TIMEOUT_MS = 30_000;
/** DynamoDB Local builds an index added to an existing table in ~10 s idle, ~40 s on a busy machine. */
const INDEX_READY_TIMEOUT_MS = 180_000;
/** The only origin DynamoDB Local's CORS allows: port 1 of loopback, where nothing serves a page. */
export const NO_CORS_ORIGIN = 'http://127.0.0.1:1';

/**
 * How to launch the emulator bound to 127.0.0.1: its own launcher binds every interface, so local/java/
 * LoopbackDynamoDb.java starts the same server on loopback. Compiled once into .cache (javac comes with the JDK); where
 * there is no javac, the java launcher runs the source file itself; where neither works, the plain jar, with a warning.
 */
function loopbackLauncher(dir: string): { args: string[]; loopback: boolean } {
  const source = join(projectRoot, 'local/java/LoopbackDynamoDb.java');
  const classpath = (extra: string) => [extra, join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].filter(Boolean).join(delimiter);
  const digest = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const classes = join(dir, '..', `dynamodb-local-launcher-${digest}`);
  if (existsSync(join(classes, 'LoopbackDynamoDb.class'))) return { args: ['-cp', classpath(classes), 'LoopbackDynamoDb'], loopback: true };
  const staging = `${classes}.tmp-${process.pid}`;
  const compiled = spawnSync('javac', ['-d', staging, source], { stdio: 'ignore' });
  if (compiled.status === 0) {
    try {
      renameSync(staging, classes);
    } catch {
      // Another process compiled it first: its copy is as good.
      rmSync(staging, { recursive: true, force: true });
    }
    return { args: ['-cp', classpath(classes), 'LoopbackDynamoDb'], loopback: true };
  }
  rmSync(staging, { recursive: true, force: true });
  if (spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout?.includes('jdk.compiler')) {
    return { args: ['-cp', classpath(''), source], loopback: true };
  }
  console.error('warning: no Java compiler found: DynamoDB Local listens on every interface (install a JDK to bind it to 127.0.0.1)');
  return { args: ['-jar', join(dir, 'DynamoDBLocal.jar')], loopback: false };
}
const KILL_GRACE_MS = 3_000;
const LOG_TAIL_CHARS = 8_000;

/**
 * Starts DynamoDB Local and resolves once it answers ListTables.
 * `dbPath` persists data across restarts; without it the database is in memory.
 *
 * The java process must not outlive Node: an 'exit' hook signals it (SIGTERM too), and on Linux `setpriv --pdeathsig`
 * has the kernel signal it even when Node itself is SIGKILLed (the signal follows the spawning *thread*,
 * so call this from the main thread). SIGTERM, not SIGKILL: the JVM then ends as at a Ctrl-C and keeps
 * what it acknowledged — SIGKILLed at the instant Node died, it lost an acknowledged TransactWriteItems
 * about every other time a write had just been answered (a gate's last approval, 201, gone after the restart;
 * test/e2e/kill-node.test.ts). Handling SIGINT/SIGTERM is the caller's job (local/start.ts):
 * it must call stop(), since 'exit' hooks do not run when Node dies of a signal.
 */
export async function startDynamoDbLocal(opts: { port?: number; dbPath?: string; peakJit?: boolean; ignoreCtrlC?: boolean } = {}): Promise<DynamoDbLocal> {
  const dir = await ensureDynamoDbLocal();
  // An explicit port that is taken would otherwise make us probe (and trust) whatever listens there.
  const port = await reservePort(opts.port ?? 0);
  const storage = opts.dbPath ? ['-dbPath', resolve(opts.dbPath)] : ['-inMemory'];
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });

  const launcher = loopbackLauncher(dir);
  const javaArgs = [
    // C1 only: the emulator starts ~1 s sooner; local and test runs are short, so peak JIT throughput does not pay. A
    // long benchmark or simulation (`peakJit`) lets the JVM compile its hot paths fully instead.
    ...(opts.peakJit ? [] : ['-XX:TieredStopAtLevel=1']),
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    ...launcher.args,
    '-port',
    String(port),
    '-disableTelemetry',
    // No browser page has any business with the emulator: CORS answers only an origin nothing serves (its default is *).
    '-cors',
    NO_CORS_ORIGIN,
    ...storage,
  ];
  const [program, programArgs] = hasSetpriv()
    ? ['setpriv', ['--pdeathsig', 'SIGTERM', '--', 'java', ...javaArgs]]
    : ['java', javaArgs];
  // `ignoreCtrlC`: a Ctrl-C in a terminal signals the whole foreground process group, and the JVM ends at once on
  // SIGINT — under the work its caller was letting finish (npm start: a notice mailed and not yet recorded, mailed
  // again at the next start; the channel's lease left held). The JVM keeps a SIGINT that is ignored when it starts
  // ignored, so the shell sets that and becomes the launcher; its caller stops it (stop(), the 'exit' hook, pdeathsig).
  const [command, args] = opts.ignoreCtrlC && process.platform !== 'win32' ? ['/bin/sh', ['-c', 'trap "" INT; exec "$@"', 'sh', program, ...programArgs]] : [program, programArgs];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  let log = '';
  const keepTail = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  // 'close' comes after the last output, so the log is complete by then (and also after a spawn error).
  let closed = false;
  const exited = new Promise<void>((done) => child.once('close', () => ((closed = true), done())));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  // SIGTERM, as the kernel's pdeathsig (and stop()): a process that ends without stop() (an uncaught error, any
  // process.exit) must not lose what the emulator acknowledged just before, as a SIGKILL at that instant did.
  const killNow = () => child.kill('SIGTERM');
  process.once('exit', killNow);
  const stop = async () => {
    process.off('exit', killNow);
    await terminate(child, exited);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, () => {
      if (spawnError) return `cannot start ${command}: ${spawnError.message}`;
      if (closed) return `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before answering:\n${log}`;
      // A startup failure (e.g. the port was taken after all) kills its main thread but not the JVM.
      if (log.includes('Exception in thread "main"')) return `DynamoDB Local failed to start:\n${log}`;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, stop, exited: exited.then(() => ({ code: child.exitCode, signal: child.signalCode })), pid: child.pid };
}

/** An index's projection in a CreateTable or UpdateTable request. */
function projection(index: IndexDef): Projection {
  const p = projectionOf(index);
  return { ProjectionType: p.type, NonKeyAttributes: p.nonKeyAttributes ? [...p.nonKeyAttributes] : undefined };
}

/** Creates every table of TABLES that does not exist yet, with its GSIs and TTL. */
export async function createTables(client: DynamoDBClient, opts: { prefix?: string } = {}): Promise<void> {
  const prefix = opts.prefix ?? 'zoneflow';
  await Promise.all(TABLES.map((def) => createTable(client, physicalName(prefix, def.id), def)));
}

async function createTable(client: DynamoDBClient, TableName: string, def: TableDef): Promise<void> {
  const keys = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = new Map<string, AttributeDefinition>();
  for (const k of keys) if (k) attributes.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(def.partitionKey, def.sortKey),
        AttributeDefinitions: [...attributes.values()],
        // An empty list is rejected by CreateTable, so omit it for tables without indexes.
        GlobalSecondaryIndexes: def.indexes.length
          ? def.indexes.map((i) => ({
              IndexName: i.name,
              KeySchema: keySchema(i.partitionKey, i.sortKey),
              Projection: projection(i),
            }))
          : undefined,
        // The outbox's stream: local/stream-poller.ts reads it as the event source mapping does on AWS.
        StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: def.stream } : undefined,
      }),
    );
  } catch (err) {
    // By name, not instanceof: a test runner may load a second copy of the SDK.
    if ((err as Error).name !== 'ResourceInUseException') throw err;
    await addMissingIndexes(client, TableName, def, [...attributes.values()]);
    if (def.stream) await enableStream(client, TableName, def.stream);
  }
  if (def.ttlAttribute) {
    // UpdateTimeToLive fails when TTL is already on, so only ask when it is not.
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (status !== 'ENABLED' && status !== 'ENABLING') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
}

/** A store kept from an earlier version may lack a stream added since (the inbox's): turn it on. */
async function enableStream(client: DynamoDBClient, TableName: string, view: 'NEW_IMAGE'): Promise<void> {
  const table = (await client.send(new DescribeTableCommand({ TableName }))).Table;
  if (table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: view } }));
}

/**
 * A store kept from an earlier version (`.zoneflow/`) lacks the indexes added since: create them, one at a time as
 * DynamoDB requires, and wait until each is active (DynamoDB Local fills them from the table's items).
 */
async function addMissingIndexes(client: DynamoDBClient, TableName: string, def: TableDef, attributes: AttributeDefinition[]): Promise<void> {
  const existing = new Set(((await client.send(new DescribeTableCommand({ TableName }))).Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  // An index this version no longer defines (the ledger's, on the projects table before the ledger had its own) is
  // dropped: nothing reads it, and the emulator would keep it up to date on every write to the table.
  for (const name of [...existing].filter((n): n is string => !!n && !def.indexes.some((i) => i.name === n))) {
    console.error(`dropping index ${name} of ${TableName} (a store from an earlier version; once)`);
    await client.send(new UpdateTableCommand({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
    await untilIndex(client, TableName, name, undefined);
  }
  for (const index of def.indexes.filter((i) => !existing.has(i.name))) {
    console.error(`adding index ${index.name} to ${TableName} (a store from an earlier version; once, ~10–40 s)`);
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributes,
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.name, KeySchema: keySchema(index.partitionKey, index.sortKey), Projection: projection(index) } }],
      }),
    );
    await untilIndex(client, TableName, index.name, 'ACTIVE');
  }
}

/** Until the table's index `name` has the status `wanted` (undefined: until it is gone). */
async function untilIndex(client: DynamoDBClient, TableName: string, name: string, wanted: 'ACTIVE' | undefined): Promise<void> {
  const deadline = Date.now() + INDEX_READY_TIMEOUT_MS;
  for (;;) {
    const status = (await client.send(new DescribeTableCommand({ TableName }))).Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === name)?.IndexStatus;
    if (status === wanted) return;
    if (Date.now() > deadline) throw new Error(`index ${name} of ${TableName} is still ${status} after ${INDEX_READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Environment variables (def.envVar → physical table name) that handlers read their table names from. */
export function tableEnv(prefix = 'zoneflow'): Record<string, string> {
  return Object.fromEntries(TABLES.map((def) => [def.envVar, physicalName(prefix, def.id)]));
}

const physicalName = (prefix: string, id: string) => `${prefix}-${id}`;

function keySchema(partitionKey: KeyDef, sortKey?: KeyDef): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

/**
 * Checks that `port` is free (0: asks the OS for a free one) by listening on it briefly.
 * Another process could take it before java binds it; startup then fails rather than hangs.
 */
function reservePort(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use (another DynamoDB Local?)`) : err),
    );
    server.listen(port, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

let setprivAvailable: boolean | undefined;
function hasSetpriv(): boolean {
  setprivAvailable ??= process.platform === 'linux' && spawnSync('setpriv', ['--version']).status === 0;
  return setprivAvailable;
}

/** Polls ListTables until it answers; `failure` reports why waiting longer is pointless. */
async function waitUntilReady(endpoint: string, failure: () => string | undefined): Promise<void> {
  // One attempt per probe: the loop below is the retry policy.
  // Timeouts, so a listener that never answers cannot stall the loop past its deadline.
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      const reason = failure();
      if (reason) throw new Error(reason);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS} ms`, { cause: err });
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(force);
  }
}
