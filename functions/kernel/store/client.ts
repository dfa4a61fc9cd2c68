// One DynamoDB document client per process (module scope), plus the transaction helper that maps failed conditions.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Contended, ValidationFailed } from '#kernel/domain/errors.ts';
import { beginWrite } from '#kernel/runtime/write-gate.ts';
import { mayHaveApplied } from '#kernel/runtime/faults.ts';
import { TABLES } from './tables.ts';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, type BatchGetCommandOutput, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * How long one request may wait on DynamoDB (`DYNAMODB_REQUEST_TIMEOUT_MS`; unset or 0: no limit, the SDK's default):
 * without a limit a connection that stops answering holds the call until the Lambda's own timeout, and the caller gets
 * the gateway's 503 with nothing said. With one, the attempt fails as a TimeoutError the SDK retries (a write's outcome
 * then unknown, as any timeout's). Set on AWS (infra/constructs/zone-function.ts); not locally, where DynamoDB Local on a
 * loaded machine answers a transaction in over a second at the tail.
 */
const requestTimeout = Number(process.env.DYNAMODB_REQUEST_TIMEOUT_MS ?? 0);

export const ddb = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    ...(requestTimeout > 0 ? { requestHandler: { requestTimeout, throwOnRequestTimeout: true, connectionTimeout: Math.min(requestTimeout, 1_000) } } : {}),
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);
// Every write waits until its request may write: a keyed HTTP write looks up its stored response meanwhile
// (kernel/runtime/write-gate.ts). Reads go at once.
/** A write command's context (one per `send`, shared by its attempts): whether an attempt may have been applied. */
type WriteContext = { maybeApplied?: boolean };
// A write that fails in a way that does not say it was refused (a server fault, a connection lost or timed out after it
// was sent) may have been applied: its error says so (`outcomeUnknown`), and the API does not answer "nothing written".
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    if (!WRITES.has(context.commandName ?? '')) return next(args);
    const ended = await beginWrite();
    try {
      const out = await next(args);
      ended(true);
      return out;
    } catch (err) {
      // The SDK's last error is not the whole story: an attempt before it may have failed after the write was applied.
      const unknown = mayHaveApplied(err) || (context as WriteContext).maybeApplied === true;
      if (unknown) Object.assign(err as object, { outcomeUnknown: true });
      ended(unknown);
      throw err;
    }
  },
  { step: 'initialize', name: 'zoneflowWriteGate' },
);
// Each attempt of a write (inside the SDK's retries): one that failed in a way that leaves it unknown whether it was
// applied marks the command, so a retry refused afterwards (throttled, a condition now failing on the write's own
// effect) is not taken for "nothing written".
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      if (WRITES.has(context.commandName ?? '') && mayHaveApplied(err)) (context as WriteContext).maybeApplied = true;
      throw err;
    }
  },
  { step: 'finalizeRequest', priority: 'low', name: 'zoneflowWriteAttempt' },
);

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction and the error to raise when its condition fails. */
export interface WriteOp {
  readonly item: TransactItem;
  readonly onConditionFailed?: () => Error;
}

/**
 * Replaces a versioned item (a project, an inventory record) if it is still stored at `version`: the optimistic lock
 * of every aggregate, the new item carrying version + 1. `onConditionFailed`: the error when it has moved on.
 */
export function putAtVersion(TableName: string, Item: Record<string, unknown>, version: number, onConditionFailed: () => Error): WriteOp {
  return {
    item: {
      Put: { TableName, Item, ConditionExpression: 'attribute_exists(pk) AND #v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': version } },
    },
    onConditionFailed,
  };
}

/** Raised when a transaction is cancelled by a failed condition that has no domain meaning attached. */
export class ConditionFailed extends Error {}

/**
 * An item changed between our read and our write (a task's light turned, a gate was decided): not the caller's fault
 * and not a stale If-Match. Whoever wrote the change re-reads and decides again; it is never a client's 412.
 */
export class ConcurrentChange extends Error {
  override name = 'ConcurrentChange';
}

/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;

interface CancellationReason {
  Code?: string;
}

/**
 * All-or-nothing write: every op commits, or none does and the first failed condition's error is thrown. A conflict
 * with another transaction in flight on the same item is retried with jitter before it becomes a 409.
 */
export async function transact(ops: readonly WriteOp[]): Promise<void> {
  if (ops.length === 0) return;
  if (ops.length > MAX_TRANSACTION_ITEMS) throw new Error(`a transaction holds at most ${MAX_TRANSACTION_ITEMS} items, got ${ops.length}`);
  for (let attempt = 1; ; attempt++) {
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: ops.map((o) => o.item) }));
      return;
    } catch (err) {
      const reasons = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
      if ((err as Error).name !== 'TransactionCanceledException' || !reasons) throw err;
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (index >= 0) throw ops[index]?.onConditionFailed?.() ?? new ConditionFailed(`condition failed on item ${index}`);
      // Throttled inside the transaction: a fault a later attempt may not meet, named so (faults.ts isTransient).
      if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded' || r.Code === 'RequestLimitExceeded')) {
        throw Object.assign(new Error('The transaction was throttled'), { name: 'ThrottlingException', $retryable: { throttling: true } });
      }
      if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw err;
      if (attempt >= 5) throw new Contended('Another change to the same record is in progress; nothing was written. Retry the request');
      await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
    }
  }
}

/**
 * Commits `groups` in order, each group all-or-nothing, packing consecutive groups into one transaction while they fit
 * (a group is never split across two). For write sets users can grow (a day on which 150 obligations turn red): each
 * group carries one item's change with its own audit event and notices, so a crash between two transactions leaves
 * every committed group whole, and the step that re-runs finds those changes made and does the rest. Put the group
 * that must come last (the aggregate's version) last. `guard`: a condition (the aggregate still at the version read)
 * every transaction checks — so none commits once the aggregate moved on. DynamoDB refuses a transaction with two
 * operations on one item, so a transaction that writes the guarded item itself carries the guard in that write's own
 * condition instead (whatever the write's condition was: a version-checked replace, a touch that checks only the stage).
 */
export async function transactGroups(groups: readonly (readonly WriteOp[])[], guard?: WriteOp): Promise<number> {
  const guarded = guard ? itemOf(guard) : undefined;
  if (guard && guarded === undefined) throw new Error('the guard of transactGroups must name its item by its key');
  const room = MAX_TRANSACTION_ITEMS - (guard ? 1 : 0);
  let batch: WriteOp[] = [];
  // The items the batch writes: DynamoDB refuses a transaction with two operations on one item (a project's three
  // reservations of one quota, released at its exit: three groups updating that quota), so such a group starts the next.
  let touched = new Set<string>();
  let transactions = 0;
  const send = async () => {
    try {
      await transact(guard ? withGuard(batch, guard, guarded!) : batch);
    } catch (err) {
      // A conflict that outlasted the retries, after some of the groups committed: the caller is not told that nothing
      // was written — what committed stays, whole, and the same request sent again finds it done and does the rest.
      if (transactions > 0 && err instanceof Contended) {
        throw new Contended(`Another change to the same record is in progress; part of this change was written (${transactions} of its transactions), the rest not. Send the request again to finish it`, undefined, { outcome: 'partial' });
      }
      throw err;
    }
    transactions += 1;
  };
  for (const group of groups) {
    if (group.length > room) throw new Error(`an atomic group holds at most ${room} items, got ${group.length}`);
    const items = group.map(itemOf);
    if (batch.length + group.length > room || items.some((k) => k !== undefined && touched.has(k))) {
      await send();
      batch = [];
      touched = new Set();
    }
    batch.push(...group);
    for (const k of items) if (k !== undefined) touched.add(k);
  }
  if (batch.length) await send();
  return transactions;
}

/**
 * The batch with `guard` checked: as an operation of its own, or — when the batch writes the guarded item — joined to
 * that write's condition (the guard's placeholders renamed so they cannot clash with the write's). Either way the
 * guard's failure is said as the guard says it.
 */
function withGuard(batch: readonly WriteOp[], guard: WriteOp, guarded: string): WriteOp[] {
  const at = batch.findIndex((op) => itemOf(op) === guarded);
  if (at < 0) return [guard, ...batch];
  const check = guard.item.ConditionCheck;
  if (!check?.ConditionExpression) throw new Error('the guard of transactGroups must be a ConditionCheck with its condition');
  const own = batch[at]!;
  const kind = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => own.item[k] !== undefined)!;
  const write = own.item[kind]!;
  const rename = (placeholder: string) => `${placeholder[0]}guard_${placeholder.slice(1)}`;
  const guardCondition = check.ConditionExpression.replace(/[#:][A-Za-z0-9_]+/g, rename);
  const renamed = <V>(m: Record<string, V> | undefined) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [rename(k), v]));
  const names = { ...write.ExpressionAttributeNames, ...renamed(check.ExpressionAttributeNames) };
  const values = { ...write.ExpressionAttributeValues, ...renamed(check.ExpressionAttributeValues) };
  const joined: WriteOp = {
    item: {
      [kind]: {
        ...write,
        ConditionExpression: write.ConditionExpression ? `(${write.ConditionExpression}) AND (${guardCondition})` : guardCondition,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      },
    } as TransactItem,
    // DynamoDB does not say which of the two failed; either means the aggregate moved on since it was read (every
    // change of it moves its version): the guard's error says so, and the change is decided again on the new state.
    onConditionFailed: guard.onConditionFailed ?? own.onConditionFailed,
  };
  return batch.map((op, i) => (i === at ? joined : op));
}

/** The key attributes of each table, by its physical name (from the environment the handlers read). */
let keyNames: Map<string, readonly string[]> | undefined;
const keysOf = (table: string): readonly string[] | undefined => {
  keyNames ??= new Map(TABLES.filter((t) => process.env[t.envVar]).map((t) => [process.env[t.envVar]!, [t.partitionKey.name, ...(t.sortKey ? [t.sortKey.name] : [])]]));
  return keyNames.get(table);
};

/** The item a write touches, as a string (its table and key), or undefined when it cannot be told. */
function itemOf(op: WriteOp): string | undefined {
  const w = op.item.Put ?? op.item.Update ?? op.item.Delete ?? op.item.ConditionCheck;
  if (!w?.TableName) return undefined;
  const source = (op.item.Put ? op.item.Put.Item : (w as { Key?: Record<string, unknown> }).Key) as Record<string, unknown> | undefined;
  const names = keysOf(w.TableName) ?? (op.item.Put ? undefined : Object.keys(source ?? {}).sort());
  if (!source || !names) return undefined;
  return [w.TableName, ...names.map((n) => JSON.stringify(source[n]))].join('\u0000');
}

/** Every item of a query, following LastEvaluatedKey (for bounded sets: a project's items, the calendar years). */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * A page of the items of partition `pk` whose sort key begins with `prefix`, in key order, after the one whose key is
 * `prefix + after`, each made a record by `as` (once): `limit` records and one more read to know whether the list goes
 * on (never the whole partition). With `keep`, only the records it keeps count: reading goes on, in key order, until
 * `limit` and one more are kept or the partition's items end (a caller who sees some of the list: an enterprise, its
 * own letters).
 */
export async function queryPageAfter<T>(
  TableName: string,
  pk: string,
  prefix: string,
  limit: number,
  after: string | undefined,
  as: (item: Record<string, unknown>) => T,
  keep?: (record: T) => boolean,
): Promise<{ items: T[]; more: boolean }> {
  const records: T[] = [];
  let startKey: Record<string, unknown> | undefined = after === undefined ? undefined : { pk, sk: `${prefix}${after}` };
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': prefix },
        ExclusiveStartKey: startKey,
        Limit: limit + 1 - records.length,
      }),
    );
    const read = (out.Items ?? []).map(as);
    records.push(...(keep ? read.filter(keep) : read));
    startKey = out.LastEvaluatedKey;
  } while (startKey && records.length <= limit);
  return { items: records.slice(0, limit), more: records.length > limit };
}

/** How many items a query matches (Select COUNT), following LastEvaluatedKey: nothing read but the count. */
export async function countAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Select'>): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** BatchGetItem calls one read keeps in flight at once. */
export const BATCH_GETS_IN_FLIGHT = 8;

/**
 * Items of `TABLE` by key: BatchGetItem, 100 keys a call, up to BATCH_GETS_IN_FLIGHT calls side by side; keys left
 * unprocessed (throttling) asked again with backoff, ten rounds at most. In no particular order.
 */
export async function batchGet(
  TABLE: string,
  keys: readonly Record<string, unknown>[],
  consistent: boolean,
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<{ items: Record<string, unknown>[]; calls: number; readUnits: number }> {
  const items: Record<string, unknown>[] = [];
  let calls = 0;
  let readUnits = 0;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100) batches.push(keys.slice(i, i + 100));
  // At most BATCH_GETS_IN_FLIGHT calls at once: a request's time limit (DYNAMODB_REQUEST_TIMEOUT_MS) counts the wait
  // for one of the client's sockets, and a large read sent all at once would hold them all.
  let next = 0;
  const lane = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      let pending: Record<string, unknown>[] | undefined = batch;
      for (let attempt = 0; pending?.length; attempt++) {
        // Keys left unprocessed mean throttling: back off, and after ten rounds fail as a throttled call (retried upstream).
        if (attempt >= 10) throw Object.assign(new Error('BatchGetItem left keys unprocessed'), { name: 'ThrottlingException', $retryable: { throttling: true } });
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
        const out: BatchGetCommandOutput = await ddb.send(
          new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: pending, ConsistentRead: consistent, ...projection } }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        calls += 1;
        readUnits += out.ConsumedCapacity?.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0) ?? 0;
        items.push(...(out.Responses?.[TABLE] ?? []));
        pending = out.UnprocessedKeys?.[TABLE]?.Keys;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_GETS_IN_FLIGHT, batches.length) }, lane));
  return { items, calls, readUnits };
}

/** DynamoDB refusing a start key (one that no longer fits the index) is the cursor's fault: a 400 on `cursor`. */
export function startKeyRejected(err: unknown, hadStartKey: boolean): Error {
  return hadStartKey && (err as Error).name === 'ValidationException'
    ? new ValidationFailed('The cursor is not valid for this list', [{ path: 'query.cursor', code: 'malformed', message: 'invalid cursor' }])
    : (err as Error);
}
