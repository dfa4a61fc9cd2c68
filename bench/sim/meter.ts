// What AWS would bill for a simulated zone (issue 12, cost part), measured while it runs: DynamoDB capacity units per
// table (a middleware the simulator adds to the product's `ddb` client asks every call for ReturnConsumedCapacity),
// Lambda invocations, durations and log bytes per function (the local runtime's `instrument` hook wraps every handler
// it loads, HTTP and invoked alike), the project-years the zone lived, and a business-day series of projects by stage.
// DynamoDB Local answers ConsumedCapacity for every read and single write as AWS computes it (probed: 4 KB reads,
// half for eventually consistent, 1 KB writes, transactional reads ×2), but not for TransactWriteItems: it reports a
// flat 4 units for one small item and does not add items up. So a TransactWriteItems is priced here as AWS does,
// 2 units per KB of each item (put items from the request; updated, deleted and checked items from the last size this
// meter saw of that key, 1 KB if none). Writes refused by a condition return no capacity; AWS bills them, so they are
// estimated the same way and counted apart. Stream reads by Lambda's event source mappings are free on AWS and go
// through the stream poller's own client: not counted. Production code never loads this module.
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

/** Capacity units one table consumed, and the calls that did. */
export interface TableUsage {
  readUnits: number;
  writeUnits: number;
  reads: number;
  writes: number;
  /** Write units of refused conditional writes and cancelled transactions (estimated: AWS bills them, Local reports none). */
  refusedWriteUnits: number;
  /** Of writeUnits: the index writes of transactional writes, computed here (Local's own counts include them for single writes). */
  indexWriteUnits: number;
}

export interface FunctionUsage {
  invocations: number;
  /** DynamoDB capacity units its calls consumed (refused writes included). */
  readUnits: number;
  writeUnits: number;
  /** Sum of handler durations (ms) on this machine's one event loop: an upper bound of the billed duration. */
  durationMs: number;
  /** Bytes the handler wrote to its log (one JSON line per event), as CloudWatch Logs would ingest them. */
  logBytes: number;
  errors: number;
  /** DynamoDB calls its invocations made (answered or refused). */
  dynamodbCalls: number;
  /** Of those, how many waited on one another: per invocation, the groups of calls that did not overlap in time. */
  dynamodbRoundTrips: number;
  /**
   * Of `durationMs`, the time its invocations waited on DynamoDB: per invocation, the length of the union of its calls'
   * spans (overlapping calls counted once). A span ends when the client's middleware resumes on the product's loop, so a
   * busy loop's wait for a pending call is in it; the rest is the handler's own work and its other waits for the loop.
   */
  dynamodbMs: number;
  /** Writes refused by a condition or a cancelled transaction (a lost race re-read and retried, a twin, a rule). */
  refusedWrites: number;
  /** Invocations that had at least one write refused: each paid a read and a write more than it needed. */
  invocationsRefused: number;
  /** Its TransactWriteItems calls (answered or refused), and the items they carried in all. */
  transactions: number;
  transactionItems: number;
}

/**
 * The product's DynamoDB calls of one command (GetItem, Query, TransactWriteItems…): how long each took, seen from the
 * product's client (its SDK round included), and for transactional writes how many items each carried — to tell the
 * store's part of an API call's time apart, command by command.
 */
export interface CommandTimes {
  readonly ms: number[];
  /** TransactWriteItems only: the items of each call, in the order of `ms`. */
  readonly items: number[];
}

/** One invocation's share, while it runs (the async context of its handler). */
export interface Invocation {
  readonly fn: string;
  readUnits: number;
  writeUnits: number;
  logBytes: number;
  /** The real-time span of each DynamoDB call it made (start, end), for its round trips. */
  readonly calls: [number, number][];
  /** Its writes refused (conditions, cancelled transactions). */
  refusedWrites: number;
  /** Its transactional writes' item counts. */
  readonly transactionItems: number[];
}

/**
 * What one invocation waited on its calls, in one pass over their spans (start, end): the round trips (calls grouped
 * where they overlapped: a Promise.all is one, awaits in turn are more) and the time (the length of the groups: the
 * union of the spans, overlaps counted once).
 */
export function waits(calls: readonly (readonly [number, number])[]): { roundTrips: number; ms: number } {
  let roundTrips = 0;
  let ms = 0;
  let from = -Infinity;
  let end = -Infinity;
  for (const [start, stop] of [...calls].sort((a, b) => a[0] - b[0])) {
    if (start >= end) {
      if (roundTrips) ms += end - from;
      roundTrips += 1;
      from = start;
    }
    end = Math.max(end, stop);
  }
  if (roundTrips) ms += end - from;
  return { roundTrips, ms };
}

/** A sampled invocation of a function whose every call is kept (the every-minute job: its idle cost is the zone's). */
export interface Sample {
  readonly ms: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly logBytes: number;
}

export interface StagePoint {
  /** Business day (YYYY-MM-DD, Asia/Shanghai). */
  readonly day: string;
  /** Projects by stage (or terminal status) as the simulated users last saw them; `not yet` before creation. */
  readonly byStage: Record<string, number>;
}

type Item = Record<string, unknown>;
export type AnyHandler = (event: unknown, context: { awsRequestId: string; functionName: string }) => Promise<unknown>;

const READ_OPS = new Set(['GetCommand', 'GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetCommand', 'BatchGetItemCommand', 'TransactGetCommand', 'TransactGetItemsCommand']);
const WRITE_OPS = new Set(['PutCommand', 'PutItemCommand', 'UpdateCommand', 'UpdateItemCommand', 'DeleteCommand', 'DeleteItemCommand', 'BatchWriteCommand', 'BatchWriteItemCommand']);
const TRANSACT_WRITE = new Set(['TransactWriteCommand', 'TransactWriteItemsCommand']);

/**
 * An item's size as DynamoDB counts it, from its document-client form: attribute names and string values in UTF-8
 * bytes, numbers about one byte per two digits plus one, booleans and null one byte, lists and maps 3 bytes plus
 * one per element, sets the sum of their members.
 */
export function itemBytes(value: unknown): number {
  // Loops, not reduce/entries: the meter sizes every item the product reads or writes, on the product's own event loop.
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Number.isSafeInteger(value) ? Math.ceil(String(Math.abs(value)).length / 2) + 1 : numberBytes(value);
  if (typeof value === 'bigint') return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  let n = 0;
  if (value instanceof Set) {
    for (const v of value) n += itemBytes(v);
    return n;
  }
  if (Array.isArray(value)) {
    n = 3;
    for (const v of value) n += 1 + itemBytes(v);
    return n;
  }
  if (typeof value === 'object') {
    n = 3;
    for (const k of Object.keys(value)) n += 1 + Buffer.byteLength(k, 'utf8') + itemBytes((value as Record<string, unknown>)[k]);
    return n;
  }
  return 1;
}

const numberBytes = (value: number | bigint) => Math.ceil(String(value).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;

/** Write units of one item: 1 per KB begun (at least 1), doubled inside a transaction. */
export const writeUnits = (bytes: number, transactional: boolean) => Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);

interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
}

/** A table as the meter needs it: its physical and logical names, key attributes and secondary indexes. */
export interface TableSchema {
  readonly physical: string;
  readonly id: string;
  readonly keys: readonly string[];
  readonly indexes?: readonly IndexSchema[];
}

/** A secondary index: its key attributes and what it projects — every attribute (the default), the keys alone, or the keys and `include`. */
export interface IndexSchema {
  readonly name: string;
  readonly keys: readonly string[];
  readonly keysOnly?: boolean;
  readonly include?: readonly string[];
}

/** What the meter remembers of an item it saw: its size and its entry (key, projected size) in each index. */
interface Seen {
  readonly bytes: number;
  readonly entries: ReadonlyMap<string, Entry>;
}

/**
 * An item's entry in an index: its key there, its projected size, and what it projects besides the keys (undefined: every
 * attribute, so any change rewrites it; '' for the keys alone; the included attributes' values otherwise).
 */
interface Entry {
  readonly key: string;
  readonly bytes: number;
  readonly projected: string | undefined;
  /** The attributes an update must set to rewrite the entry while its key stays (undefined: any). */
  readonly include: readonly string[] | undefined;
}

const present = (item: Item, names: readonly string[]) => names.every((n) => item[n] !== undefined && item[n] !== null);

/**
 * The meter's bookkeeping, independent of the SDK: capacity per table (logical id), the last known size and index
 * entries of every key it saw, and per-function Lambda usage.
 */
export class Usage {
  readonly tables = new Map<string, TableUsage>();
  readonly functions = new Map<string, FunctionUsage>();
  private readonly seen = new Map<string, Seen>();
  private readonly schemas: ReadonlyMap<string, TableSchema>;
  /** Log bytes written outside any handler (the runtime's own lines): not billed, reported. */
  unattributedLogBytes = 0;
  /** Milliseconds the meter spent on its bookkeeping (sizes, index entries): its cost to the run it measures. */
  overheadMs = 0;
  /** Request ids of the invocations that had a write refused, so a caller can tell their latencies apart. */
  readonly refusedRequests = new Set<string>();
  /**
   * Refused writes by why: `TransactionConflict` (another transaction was on the item at that moment: retried in
   * transact() after a jittered pause), `ConditionalCheckFailed` (the item had changed: the change is re-read and decided
   * again), or another cancellation code.
   */
  readonly refusalReasons = new Map<string, number>();
  /** Every DynamoDB call's time by command (answered or refused). */
  readonly commands = new Map<string, CommandTimes>();

  constructor(schemas: readonly TableSchema[]) {
    this.schemas = new Map(schemas.map((t) => [t.physical, t]));
  }

  private table(physical: string): TableUsage {
    const id = this.schemas.get(physical)?.id ?? physical;
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = { readUnits: 0, writeUnits: 0, reads: 0, writes: 0, refusedWriteUnits: 0, indexWriteUnits: 0 }));
    return t;
  }

  fn(name: string): FunctionUsage {
    let f = this.functions.get(name);
    if (!f) this.functions.set(name, (f = { invocations: 0, readUnits: 0, writeUnits: 0, durationMs: 0, logBytes: 0, errors: 0, dynamodbCalls: 0, dynamodbRoundTrips: 0, dynamodbMs: 0, refusedWrites: 0, invocationsRefused: 0, transactions: 0, transactionItems: 0 }));
    return f;
  }

  private keyOf(table: string, item: Item | undefined): string | undefined {
    const schema = this.schemas.get(table);
    if (!schema || !item || !present(item, schema.keys)) return undefined;
    return [table, ...schema.keys.map((n) => String(item[n]))].join('\u0000');
  }

  /** The item's entry in each index whose key it carries (KEYS_ONLY: the keys alone are projected; INCLUDE: and those). */
  private entries(table: string, item: Item, bytes = itemBytes(item)): Map<string, Entry> {
    const schema = this.schemas.get(table);
    const out = new Map<string, Entry>();
    for (const index of schema?.indexes ?? []) {
      if (!present(item, index.keys)) continue;
      const key = index.keys.map((k) => String(item[k])).join('\u0000');
      const partial = index.keysOnly ? [] : index.include;
      if (!partial) {
        out.set(index.name, { key, bytes, projected: undefined, include: undefined });
        continue;
      }
      const kept = partial.filter((a) => item[a] !== undefined);
      const projection = Object.fromEntries([...schema!.keys, ...index.keys, ...kept].map((k) => [k, item[k]]));
      out.set(index.name, { key, bytes: itemBytes(projection), projected: partial.length ? JSON.stringify(partial.map((a) => item[a] ?? null)) : '', include: partial });
    }
    return out;
  }

  /** Remembers whole items seen (read or written), for pricing later transactional writes of the same keys. */
  see(table: string | undefined, items: readonly Item[] | undefined) {
    if (!table || !items) return;
    for (const item of items) {
      const key = this.keyOf(table, item);
      if (!key) continue;
      const bytes = itemBytes(item);
      this.seen.set(key, { bytes, entries: this.entries(table, item, bytes) });
    }
  }

  private last(table: string, key: Item | undefined): Seen | undefined {
    const k = this.keyOf(table, key);
    return k === undefined ? undefined : this.seen.get(k);
  }

  /** A command answered: its ConsumedCapacity (object or list) added to reads or writes by the command's kind. */
  answered(command: string, input: Item, output: Item, by?: Invocation) {
    if (TRANSACT_WRITE.has(command)) return this.transactWrite(input, false, by);
    const read = READ_OPS.has(command);
    if (!read && !WRITE_OPS.has(command)) return;
    const consumed = output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined;
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      if (!c.TableName) continue;
      const t = this.table(c.TableName);
      const units = c.CapacityUnits ?? 0;
      if (read) {
        t.readUnits += units;
        t.reads += 1;
        if (by) by.readUnits += units;
      } else {
        t.writeUnits += units;
        t.writes += 1;
        if (by) by.writeUnits += units;
      }
    }
    const tableName = input.TableName as string | undefined;
    // Partial items (a projection, a KEYS_ONLY or INCLUDE index) would be remembered smaller than they are.
    const index = this.schemas.get(tableName ?? '')?.indexes?.find((i) => i.name === input.IndexName);
    const whole = !input.ProjectionExpression && !index?.keysOnly && !index?.include;
    if (command.startsWith('Put')) this.see(tableName, [input.Item as Item]);
    if (command.startsWith('Get') && whole) this.see(tableName, output.Item ? [output.Item as Item] : undefined);
    if ((command.startsWith('Query') || command.startsWith('Scan')) && whole) this.see(tableName, output.Items as Item[] | undefined);
    if (command.startsWith('Update') && output.Attributes && input.ReturnValues === 'ALL_NEW') this.see(tableName, [output.Attributes as Item]);
    if (command.startsWith('BatchGet')) for (const [table, items] of Object.entries((output.Responses ?? {}) as Record<string, Item[]>)) this.see(table, items);
    if (command.startsWith('TransactGet')) {
      const gets = (input.TransactItems ?? []) as { Get: Item }[];
      ((output.Responses ?? []) as { Item?: Item }[]).forEach((r, i) => this.see(gets[i]?.Get.TableName as string | undefined, r.Item ? [r.Item] : undefined));
    }
  }

  /** A command refused: a write refused by its condition, or a cancelled transaction, is billed on AWS all the same. */
  refused(command: string, input: Item, error: { name?: string; CancellationReasons?: { Code?: string }[] }, by?: Invocation) {
    if (TRANSACT_WRITE.has(command) && error.name === 'TransactionCanceledException') {
      if (by) by.refusedWrites += 1;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None').filter((code) => code !== 'None');
      // The code transact() acts on: a failed condition first, then a conflict.
      this.refusedFor(reasons.includes('ConditionalCheckFailed') ? 'ConditionalCheckFailed' : (reasons[0] ?? 'unknown'));
      return this.transactWrite(input, true, by);
    }
    if (!WRITE_OPS.has(command) || error.name !== 'ConditionalCheckFailedException') return;
    if (by) by.refusedWrites += 1;
    this.refusedFor('ConditionalCheckFailed');
    const table = input.TableName as string;
    const bytes = input.Item ? itemBytes(input.Item) : (this.last(table, input.Key as Item)?.bytes ?? 1024);
    this.table(table).refusedWriteUnits += writeUnits(bytes, false);
    if (by) by.writeUnits += writeUnits(bytes, false);
  }

  /** A call of `command` took `ms` (and carried `items` items, for a transactional write). */
  timed(command: string, ms: number, items?: number) {
    let c = this.commands.get(command);
    if (!c) this.commands.set(command, (c = { ms: [], items: [] }));
    c.ms.push(ms);
    if (items !== undefined) c.items.push(items);
  }

  private refusedFor(reason: string) {
    this.refusalReasons.set(reason, (this.refusalReasons.get(reason) ?? 0) + 1);
  }

  /**
   * TransactWriteItems as AWS bills it: 2 units per KB begun of each item, put, updated, deleted or checked (an item
   * never seen counts 1 KB); and, for a write that was not refused, the index writes it causes at the standard rate (an
   * index is not part of the transaction): an entry put, replaced (old and new, when its key changed) or removed.
   * An entry whose key stays is rewritten only when what it projects changes: DynamoDB writes to an index only when an
   * index key or a projected attribute changes, so a KEYS_ONLY entry that keeps its key costs nothing, and an INCLUDE
   * entry only when an included attribute took another value. An update is taken to keep the index keys the item had
   * and to change every attribute it sets (the meter does not evaluate update expressions).
   */
  private transactWrite(input: Item, refused: boolean, by?: Invocation) {
    for (const op of (input.TransactItems ?? []) as Record<string, Item>[]) {
      const [kind, body] = Object.entries(op)[0] ?? [];
      if (!kind || !body) continue;
      const table = body.TableName as string;
      const key = kind === 'Put' ? (body.Item as Item) : (body.Key as Item);
      const before = this.last(table, key);
      const bytes = kind === 'Put' ? itemBytes(body.Item) : (before?.bytes ?? 1024);
      const t = this.table(table);
      if (refused) {
        t.refusedWriteUnits += writeUnits(bytes, true);
        if (by) by.writeUnits += writeUnits(bytes, true);
        continue;
      }
      let index = 0;
      if (kind === 'Put') {
        const after = this.entries(table, body.Item as Item);
        const old = before?.entries ?? new Map<string, Entry>();
        for (const name of new Set([...old.keys(), ...after.keys()])) {
          const o = old.get(name);
          const n = after.get(name);
          if (o && n && o.key === n.key) index += n.projected !== undefined && n.projected === o.projected ? 0 : writeUnits(n.bytes, false);
          else index += (o ? writeUnits(o.bytes, false) : 0) + (n ? writeUnits(n.bytes, false) : 0);
        }
        this.see(table, [body.Item as Item]);
      } else if (kind === 'Update' || kind === 'Delete') {
        const set = kind === 'Update' ? updatedNames(body) : undefined;
        for (const e of before?.entries.values() ?? []) if (kind === 'Delete' || e.include === undefined || e.include.some((a) => set!.has(a))) index += writeUnits(e.bytes, false);
        if (kind === 'Delete') {
          const k = this.keyOf(table, key);
          if (k) this.seen.delete(k);
        }
      }
      t.writeUnits += writeUnits(bytes, true) + index;
      t.indexWriteUnits += index;
      t.writes += 1;
      if (by) by.writeUnits += writeUnits(bytes, true) + index;
    }
  }
}

/** The attribute names an update expression names (through its placeholders): the attributes it may change. */
function updatedNames(body: Item): Set<string> {
  const aliases = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  // Value placeholders (:x) name no attribute: drop them before reading the words.
  const words = String(body.UpdateExpression ?? '').replace(/:[A-Za-z0-9_]+/g, ' ').match(/#?[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return new Set(words.map((w) => (w.startsWith('#') ? (aliases[w] ?? w) : w)));
}

/** Σ over projects of business time from creation to its end (or `until`), in years of 365 days. */
export function projectYears(lives: ReadonlyMap<string, { created: number; ended?: number }>, until: number): number {
  let ms = 0;
  for (const life of lives.values()) ms += Math.max(0, Math.min(life.ended ?? until, until) - life.created);
  return ms / (365 * 86_400_000);
}

interface Middleware {
  (next: (args: { input: Item }) => Promise<{ output: Item }>, context: { commandName?: string }): (args: { input: Item }) => Promise<{ output: Item }>;
}

export interface MeterOptions {
  /** Each table: physical name, logical id (TABLES' id), key attributes and indexes. */
  readonly tables: readonly TableSchema[];
  /** Functions whose every invocation is kept as a sample (the every-minute scheduled job). */
  readonly sampled?: readonly string[];
}

/**
 * The meter of one simulation: `instrument` for the runtime's handlers, `attach(client)` for the product's DynamoDB
 * client, `captureLogs()` while the zone runs. Nothing is counted until `start()` and after `stop()` (boot and the
 * final collection are not the zone's work).
 */
export function createMeter(options: MeterOptions) {
  const usage = new Usage(options.tables);
  const current = new AsyncLocalStorage<Invocation>();
  const lives = new Map<string, { created: number; ended?: number }>();
  const sampled = new Set(options.sampled ?? []);
  const samples = new Map<string, Sample[]>();
  let counting = false;

  const middleware: Middleware = (next, context) => async (args) => {
    if (!counting) return next(args);
    const command = context.commandName ?? '';
    if (READ_OPS.has(command) || WRITE_OPS.has(command) || TRANSACT_WRITE.has(command)) args.input.ReturnConsumedCapacity ??= 'TOTAL';
    const started = performance.now();
    const invocation = current.getStore();
    const items = TRANSACT_WRITE.has(command) ? ((args.input.TransactItems as unknown[] | undefined)?.length ?? 0) : undefined;
    if (items !== undefined) invocation?.transactionItems.push(items);
    try {
      const result = await next(args);
      const t0 = performance.now();
      invocation?.calls.push([started, t0]);
      usage.timed(command, t0 - started, items);
      usage.answered(command, args.input, result.output, invocation);
      usage.overheadMs += performance.now() - t0;
      return result;
    } catch (err) {
      const t0 = performance.now();
      invocation?.calls.push([started, t0]);
      usage.timed(command, t0 - started, items);
      usage.refused(command, args.input, err as { name?: string; CancellationReasons?: { Code?: string }[] }, invocation);
      throw err;
    }
  };

  const restore: (() => void)[] = [];
  return {
    usage,
    lives,
    samples,
    middleware,
    /** Adds the capacity middleware to a client's stack (the document client shares its stack with the base client). */
    attach(client: { middlewareStack: { add: (m: never, o: { step: 'initialize'; priority: 'high'; name: string }) => void } }) {
      client.middlewareStack.add(middleware as never, { step: 'initialize', priority: 'high', name: 'simulationConsumedCapacity' });
    },
    /** The runtime's `instrument` hook: counts an invocation, its duration, errors, capacity and the log bytes it writes. */
    instrument(name: string, handler: AnyHandler): AnyHandler {
      return async (event, context) => {
        if (!counting) return handler(event, context);
        const f = usage.fn(name);
        const invocation: Invocation = { fn: name, readUnits: 0, writeUnits: 0, logBytes: 0, calls: [], refusedWrites: 0, transactionItems: [] };
        f.invocations += 1;
        const t0 = performance.now();
        try {
          return await current.run(invocation, () => handler(event, context));
        } catch (err) {
          f.errors += 1;
          throw err;
        } finally {
          const ms = performance.now() - t0;
          f.durationMs += ms;
          f.readUnits += invocation.readUnits;
          f.writeUnits += invocation.writeUnits;
          f.logBytes += invocation.logBytes;
          f.dynamodbCalls += invocation.calls.length;
          const waited = waits(invocation.calls);
          f.dynamodbRoundTrips += waited.roundTrips;
          f.dynamodbMs += waited.ms;
          f.refusedWrites += invocation.refusedWrites;
          f.transactions += invocation.transactionItems.length;
          f.transactionItems += invocation.transactionItems.reduce((n, k) => n + k, 0);
          if (invocation.refusedWrites) {
            f.invocationsRefused += 1;
            usage.refusedRequests.add(context.awsRequestId);
          }
          if (sampled.has(name)) {
            const list = samples.get(name) ?? [];
            list.push({ ms, readUnits: invocation.readUnits, writeUnits: invocation.writeUnits, logBytes: invocation.logBytes });
            samples.set(name, list);
          }
        }
      };
    },
    /** Counts the bytes of every console line (one CloudWatch Logs event each) against the handler that wrote it. */
    captureLogs() {
      for (const method of ['log', 'info', 'warn', 'error'] as const) {
        const previous = console[method];
        console[method] = (...args: unknown[]) => {
          if (counting) {
            const bytes = Buffer.byteLength(format(...args), 'utf8') + 1;
            const invocation = current.getStore();
            if (invocation) invocation.logBytes += bytes;
            else usage.unattributedLogBytes += bytes;
          }
          previous.apply(console, args);
        };
        restore.push(() => (console[method] = previous));
      }
    },
    projectCreated(id: string, at: Date) {
      if (!lives.has(id)) lives.set(id, { created: at.getTime() });
    },
    projectEnded(id: string, at: Date) {
      const life = lives.get(id);
      if (life && life.ended === undefined) life.ended = at.getTime();
    },
    start() {
      counting = true;
    },
    /** Stops counting and gives the console back. */
    stop() {
      counting = false;
      for (const r of restore.splice(0).reverse()) r();
    },
  };
}

export type Meter = ReturnType<typeof createMeter>;
