// The local stand-in for a Lambda event source mapping on a DynamoDB stream: reads the table's stream in DynamoDB Local
// and hands each batch to the handler as the Lambda event AWS would send — INSERT records only (the stack's filter),
// ReportBatchItemFailures honoured (a failed record is retried from its sequence number, then given up on after
// `maxAttempts`, where AWS would send it to the on-failure queue).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localClientConfig, LOCAL_AWS } from './dynamodb-local.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly handler: StreamHandler;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  /**
   * Pause between polls when the stream had nothing new and no write to the table was reported (`kick`): the safety
   * net for writes made outside this process's client. 500 ms by default.
   */
  readonly idleMs?: number;
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  /**
   * With no checkpoint kept for the stream (a store from before checkpoints were kept), pass over what it already holds
   * when the poller starts (read, not delivered): `npm start` resumes every active lifecycle from DynamoDB, so a restart
   * does not replay weeks of signals. With checkpoints, read on after them: the signals the previous run committed but
   * had not delivered (a calendar correction's recompute, a lights change, a department's count) are delivered — the
   * consumers are idempotent, as on AWS, where an event source mapping delivers at least once.
   */
  readonly skipExisting?: boolean;
  /**
   * A file the shards' checkpoints are kept in across restarts, as an event source mapping keeps its position on AWS:
   * a restart reads on after the last record delivered, not from the stream's oldest (which routed weeks-old notices
   * again — to channels configured after them). Without one, or for a shard it does not know, the oldest record.
   */
  readonly checkpointFile?: string;
}

/** The record a delivery failed on: retried from its sequence number; its key is marked once it is given up on. */
interface Failure {
  readonly sequence: string;
  readonly key: string;
}

interface ShardState {
  iterator: string | undefined;
  /** The shard is closed and read to its end. */
  done: boolean;
  /** The checkpoint: the last record delivered (or given up on), where a lost iterator resumes. */
  checkpoint?: string;
  /** Failed deliveries of the record at `retrySequence`. */
  attempts: number;
  retrySequence?: string;
}

/** The idle poll when writes are reported (`kick`): each empty poll costs DynamoDB Local and this process a request. */
const IDLE_MS = 500;
/**
 * After a write is reported: a poll at once, and — if it found nothing (DynamoDB Local publishes a record as the write
 * answers; measured, none was late in 200 writes, but it is not promised) — these retries before going idle.
 */
const KICK_RETRIES_MS = [10, 40] as const;

export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly dynamodb: DynamoDBClient;
  private streamArn: string | undefined;
  private readonly shards = new Map<string, ShardState>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Keys (DynamoDB JSON, stringified) of the INSERT records handed over and not failed, for drain(keys). */
  private readonly delivered = new Set<string>();
  /** While fast-forwarding: records are read and marked, not handed to the handler. */
  private skipping = false;
  /** One poll at a time: the background loop and drain() queue on this chain. */
  private chain: Promise<unknown> = Promise.resolve();
  /** The background loop's poll is under way: a kick then asks for another poll after it (`kickedWhilePolling`). */
  private polling = false;
  private kickedWhilePolling = false;
  /** A delivery failed in the last poll: the next reads again from the failed record at once (not after the idle poll). */
  private redeliver = false;
  /**
   * Records owed to reported writes not yet read (one a write at least; a write of several records, or an update's,
   * is matched by all it published), and the retries (`KICK_RETRIES_MS`) left while polls find none of them. A kick
   * whose record an earlier poll already read owes nothing: no retries in vain. (Only the retries: a kick during a poll
   * always makes one more, whatever that poll read — records no kick owed, a batch read again, may pay off its count.)
   */
  private owed = 0;
  private kickRetries = 0;
  /** Polls made and records read since start (the simulator reports them). */
  readonly counts = { polls: 0, records: 0 };

  constructor(private readonly opts: StreamPollerOptions) {
    this.streams = new DynamoDBStreamsClient(localClientConfig(opts.endpoint));
    this.dynamodb = new DynamoDBClient(localClientConfig(opts.endpoint));
  }

  /** Finds the stream and polls it in the background until stop(). */
  async start(): Promise<void> {
    await this.discover();
    this.restoreCheckpoints();
    if (this.opts.skipExisting && ![...this.shards.values()].some((s) => s.checkpoint)) await this.fastForward();
    this.schedule(0);
  }

  /** The checkpoints kept for this stream (its ARN changes when the table is made again: then none apply). */
  private restoreCheckpoints(): void {
    const file = this.opts.checkpointFile;
    if (!file || !existsSync(file) || !this.streamArn) return;
    try {
      const kept = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)[this.streamArn] ?? {};
      for (const [shardId, state] of this.shards) if (kept[shardId]) state.checkpoint = kept[shardId];
    } catch (err) {
      this.opts.log('stream checkpoints unreadable; reading from the oldest record', { table: this.opts.tableName, err: String(err) });
    }
  }

  /** Writes this stream's checkpoints (other streams' entries in the file kept). */
  private keepCheckpoints(): void {
    const file = this.opts.checkpointFile;
    if (!file || !this.streamArn) return;
    let all: Record<string, Record<string, string>> = {};
    try {
      if (existsSync(file)) all = JSON.parse(readFileSync(file, 'utf8')) as typeof all;
    } catch {
      all = {};
    }
    all[this.streamArn] = Object.fromEntries([...this.shards].flatMap(([id, s]) => (s.checkpoint ? [[id, s.checkpoint]] : [])));
    writeFileSync(`${file}.tmp`, JSON.stringify(all));
    renameSync(`${file}.tmp`, file);
  }

  /** Reads every shard to its current end without delivering, leaving the checkpoints there. */
  private async fastForward(): Promise<void> {
    this.skipping = true;
    try {
      for (let round = 0; round < 10_000 && (await this.pollOnce()) > 0; round++);
    } finally {
      this.skipping = false;
    }
  }

  stop(): void {
    if (!this.stopped) this.keepCheckpoints();
    this.stopped = true;
    clearTimeout(this.timer);
    this.streams.destroy();
    this.dynamodb.destroy();
  }

  /**
   * Delivers everything written so far, for tests that decide when delivery happens. DynamoDB Local publishes stream
   * records a moment after the write commits, so an empty read proves nothing: with `keys` (the items written so far,
   * e.g. from a consistent scan) it polls until each of them was handed over; without, until a round finds nothing.
   */
  async drain(keys?: readonly Record<string, unknown>[], timeoutMs = 30_000): Promise<void> {
    const { missing, settled } = await this.pollFor(keys, timeoutMs);
    if (!settled) throw new Error(`the ${this.opts.tableName} stream did not deliver ${missing.length} item(s) in time`);
  }

  /**
   * The keys (as given) still not handed over when `timeoutMs` ran out — none once every one was: the simulator's check
   * that no committed signal was lost between the table and its consumer.
   */
  async undelivered(keys: readonly Record<string, unknown>[], timeoutMs = 30_000): Promise<Record<string, unknown>[]> {
    return (await this.pollFor(keys, timeoutMs)).missing;
  }

  /** Polls until each key was handed over (without keys: until a round finds nothing), or the time runs out. */
  private async pollFor(keys: readonly Record<string, unknown>[] | undefined, timeoutMs: number): Promise<{ missing: Record<string, unknown>[]; settled: boolean }> {
    if (!this.streamArn) await this.discover();
    const wanted = (keys ?? []).map((k) => [keyOf(k), k] as const);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const read = await this.enqueue();
      const missing = wanted.filter(([k]) => !this.delivered.has(k)).map(([, k]) => k);
      if (missing.length === 0 && (keys || read === 0)) return { missing, settled: true };
      if (Date.now() > deadline) return { missing, settled: false };
      if (read === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  get table(): string {
    return this.opts.tableName;
  }

  /**
   * A write to the table was committed by this process (the local runtime reports its client's writes): poll now
   * rather than at the next idle poll. On AWS the event source mapping polls the stream several times a second; here an
   * idle stream costs a request to DynamoDB Local at each poll, so the poller waits for a write instead of polling
   * fast in vain. Kicks while a poll is under way make one more poll after it.
   */
  kick(records = 1): void {
    if (this.stopped) return;
    this.owed += records;
    this.kickRetries = KICK_RETRIES_MS.length;
    if (this.polling) {
      // The poll under way may have read the shard before this write's record was there.
      this.kickedWhilePolling = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /**
   * After a poll: at once while a batch came full (more may be waiting), a delivery failed (read again from it) or a
   * write was reported during it; a moment later while a reported write's record is still unread; else idle.
   */
  private nextDelay(read: number): number {
    this.owed = Math.max(0, this.owed - read);
    const again = read >= (this.opts.batchSize ?? 100) || this.redeliver || this.kickedWhilePolling;
    this.redeliver = false;
    this.kickedWhilePolling = false;
    if (again) return 0;
    if (this.owed > 0 && this.kickRetries > 0) return KICK_RETRIES_MS[KICK_RETRIES_MS.length - this.kickRetries--]!;
    this.owed = 0;
    return this.opts.idleMs ?? IDLE_MS;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = true;
      void this.enqueue()
        .then((read) => {
          this.polling = false;
          this.schedule(this.nextDelay(read));
        })
        .catch((err: unknown) => {
          this.polling = false;
          this.kickedWhilePolling = false;
          if (this.stopped) return;
          this.opts.log('stream poll failed', { table: this.opts.tableName, err: String(err) });
          this.schedule(1_000);
        });
    }, delayMs);
  }

  private enqueue(): Promise<number> {
    const next = this.chain.then(async () => {
      const read = await this.pollOnce();
      this.counts.polls += 1;
      this.counts.records += read;
      return read;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async discover(): Promise<void> {
    const table = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.opts.tableName }));
    this.streamArn = table.Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`table ${this.opts.tableName} has no stream`);
    const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      if (shard.ShardId && !this.shards.has(shard.ShardId)) this.shards.set(shard.ShardId, { iterator: undefined, done: false, attempts: 0 });
    }
  }

  private async iterator(shardId: string, type: ShardIteratorType, sequence?: string): Promise<string | undefined> {
    const out = await this.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequence }),
    );
    return out.ShardIterator;
  }

  /** One round over the open shards; returns the number of records read (0: nothing new anywhere). */
  private async pollOnce(): Promise<number> {
    if (this.stopped) return 0;
    // Shards close and split over time: look for new ones whenever every known shard is read to its end.
    if (this.shards.size === 0 || [...this.shards.values()].every((s) => s.done)) await this.discover();
    const before = [...this.shards.values()].map((s) => s.checkpoint).join();
    try {
      return await this.pollShards();
    } finally {
      if ([...this.shards.values()].map((s) => s.checkpoint).join() !== before) this.keepCheckpoints();
    }
  }

  private async pollShards(): Promise<number> {
    let read = 0;
    for (const [shardId, state] of this.shards) {
      if (state.done) continue;
      state.iterator ??= await this.resume(shardId, state);
      if (!state.iterator) {
        state.done = true;
        continue;
      }
      const out = await this.getRecords(shardId, state);
      // Stopped while reading: nothing is handed over and the checkpoint stays (the next run delivers these records).
      if (this.stopped) break;
      const records = out.Records ?? [];
      read += records.length;
      const failure = await this.deliver(records);
      if (failure) {
        this.redeliver = true;
        try {
          await this.retryFrom(shardId, state, failure);
        } catch (err) {
          // No iterator at the failed record: the next round resumes from the checkpoint (before this batch).
          state.iterator = undefined;
          throw err;
        }
        continue;
      }
      // Advance only once the batch is delivered.
      state.iterator = out.NextShardIterator;
      if (!state.iterator) state.done = true;
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) state.checkpoint = last;
    }
    return read;
  }

  /** Where the shard's reading resumes: after the checkpoint, or at its oldest record. */
  private resume(shardId: string, state: ShardState): Promise<string | undefined> {
    return state.checkpoint ? this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', state.checkpoint) : this.iterator(shardId, 'TRIM_HORIZON');
  }

  /**
   * GetRecords, re-positioned from the checkpoint when the iterator is lost: expired (15 min), or — a DynamoDB Local
   * quirk — "trimmed" when an empty read's iterator overtook a record still being committed.
   */
  private async getRecords(shardId: string, state: ShardState) {
    const read = (iterator: string | undefined) =>
      this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.opts.batchSize ?? 100 }));
    try {
      return await read(state.iterator);
    } catch (err) {
      const name = (err as Error).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw err;
      return read(await this.resume(shardId, state));
    }
  }

  /** Hands the INSERT records to the handler; returns the record it reported as failed, if any. */
  private async deliver(records: readonly StreamRecord[]): Promise<Failure | undefined> {
    const inserts = records.filter((r) => r.eventName === 'INSERT').map((r) => this.toLambdaRecord(r));
    if (this.skipping) for (const r of inserts) this.delivered.add(keyOf(r.dynamodb?.Keys ?? {}));
    if (inserts.length === 0 || this.skipping) return undefined;
    const failureAt = (index: number): Failure => {
      const r = inserts[index];
      return { sequence: r?.dynamodb?.SequenceNumber ?? '', key: keyOf(r?.dynamodb?.Keys ?? {}) };
    };
    let response: DynamoDBBatchResponse | void;
    try {
      response = await this.opts.handler({ Records: inserts });
    } catch (err) {
      // A handler that throws fails the whole batch, as on AWS.
      this.opts.log('stream handler failed', { table: this.opts.tableName, err: String(err) });
      return failureAt(0);
    }
    const reported = response?.batchItemFailures[0]?.itemIdentifier;
    // As on AWS, an identifier that names no record of the batch (empty, unknown) fails the whole batch.
    const index = reported === undefined ? -1 : Math.max(0, inserts.findIndex((r) => r.dynamodb?.SequenceNumber === reported));
    for (const r of index === -1 ? inserts : inserts.slice(0, index)) this.delivered.add(keyOf(r.dynamodb?.Keys ?? {}));
    return index === -1 ? undefined : failureAt(index);
  }

  /** Re-reads the shard from the failed record, or skips past it once it failed `maxAttempts` times. */
  private async retryFrom(shardId: string, state: ShardState, failure: Failure): Promise<void> {
    const sequence = failure.sequence;
    state.attempts = state.retrySequence === sequence ? state.attempts + 1 : 1;
    state.retrySequence = sequence;
    const giveUp = state.attempts >= (this.opts.maxAttempts ?? 5);
    if (giveUp) {
      this.delivered.add(failure.key);
      this.opts.log('stream record given up after retries (on AWS: the on-failure queue)', { table: this.opts.tableName, sequence });
      state.checkpoint = sequence;
    }
    state.iterator = await this.iterator(shardId, giveUp ? 'AFTER_SEQUENCE_NUMBER' : 'AT_SEQUENCE_NUMBER', sequence);
    state.done = !state.iterator;
    if (!giveUp) await new Promise((r) => setTimeout(r, 100 * state.attempts));
  }

  private toLambdaRecord(r: StreamRecord): DynamoDBRecord {
    const created = r.dynamodb?.ApproximateCreationDateTime;
    return {
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: r.eventVersion,
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_AWS.region,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ...(r.dynamodb as DynamoDBRecord['dynamodb']),
        ApproximateCreationDateTime: created ? Math.floor(created.getTime() / 1000) : undefined,
      },
    };
  }
}

/** A stable string for an item key, in plain or DynamoDB JSON (`{ id: 'x' }` and `{ id: { S: 'x' } }` agree). */
function keyOf(key: Record<string, unknown>): string {
  const plain = Object.entries(key).map(([name, value]) => {
    const v = value as { S?: string; N?: string } | string | number;
    return [name, typeof v === 'object' && v !== null ? (v.S ?? v.N) : String(v)];
  });
  return JSON.stringify(plain.sort(([a], [b]) => String(a).localeCompare(String(b))));
}

/**
 * One poller per catalog function fed by a stream (`consumes`), as the stack creates one event source mapping each;
 * `invoke` runs the function's handler. Table names come from the environment the handlers read.
 */
export async function startStreamConsumers(
  endpoint: string,
  invoke: (fn: string, event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>,
  log: StreamPollerOptions['log'],
  options: Pick<StreamPollerOptions, 'skipExisting' | 'checkpointFile'> = {},
): Promise<StreamPoller[]> {
  const { FUNCTIONS } = await import('../functions/catalog.ts');
  const { TABLES } = await import('../functions/kernel/store/tables.ts');
  const pollers: StreamPoller[] = [];
  for (const spec of FUNCTIONS) {
    const def = spec.consumes && TABLES.find((t) => t.id === spec.consumes);
    if (!def) continue;
    const tableName = process.env[def.envVar];
    if (!tableName) throw new Error(`${def.envVar} is not set`);
    // Passing over what a stream holds is for workflow signals only (a restart resumes every lifecycle from DynamoDB
    // anyway); new notifications not routed yet when the process stopped must still reach their channels (routing
    // one twice queues nothing twice).
    const poller = new StreamPoller({
      endpoint,
      tableName,
      handler: (event) => invoke(spec.name, event),
      log,
      checkpointFile: options.checkpointFile,
      ...(spec.consumes === 'outbox' ? { skipExisting: options.skipExisting } : {}),
    });
    await poller.start();
    pollers.push(poller);
  }
  return pollers;
}

/**
 * The tables a write command's input names (Put/Update/Delete, a transaction's items, a batch's tables), each with
 * how many items it writes there — the stream records it may publish, at most.
 */
export function tablesWritten(commandName: string | undefined, input: unknown): Map<string, number> {
  const counted = new Map<string, number>();
  for (const table of tableNamesWritten(commandName, input)) counted.set(table, (counted.get(table) ?? 0) + 1);
  return counted;
}

function tableNamesWritten(commandName: string | undefined, input: unknown): string[] {
  const i = (input ?? {}) as {
    TableName?: string;
    TransactItems?: readonly Partial<Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', { TableName?: string }>>[];
    RequestItems?: Record<string, readonly unknown[]>;
  };
  switch (commandName) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return i.TableName ? [i.TableName] : [];
    case 'TransactWriteItemsCommand':
      return (i.TransactItems ?? []).flatMap((t) => [t.Put, t.Update, t.Delete].flatMap((op) => (op?.TableName ? [op.TableName] : [])));
    case 'BatchWriteItemCommand':
      return Object.entries(i.RequestItems ?? {}).flatMap(([table, requests]) => requests.map(() => table));
    default:
      return [];
  }
}

/**
 * Tells each poller when `client` has written to its table (whatever the outcome: a write that failed wrote nothing,
 * and a poll in vain costs one request). Returns the function that stops it.
 */
export function watchWrites(client: DynamoDBDocumentClient, pollers: readonly StreamPoller[]): () => void {
  const name = `localStreamKick-${randomUUID()}`;
  const byTable = new Map(pollers.map((p) => [p.table, p]));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } finally {
        for (const [table, records] of tablesWritten(context.commandName, args.input)) byTable.get(table)?.kick(records);
      }
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
}
