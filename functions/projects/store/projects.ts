// Project entity in the projects table: keys, ledger index attributes, conditional writes, ledger queries.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { ContractAmendment, Project } from '#projects/domain/project.ts';
import { NotFound, PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, queryAll, startKeyRejected, type WriteOp } from '#kernel/store/client.ts';
import { facetAttribute, LEDGER_INDEXES, ledgerKey, planLedger, type LedgerFacet, type LedgerIndex } from '#kernel/store/tables.ts';
import { projectTallyKey, TALLY_PARTITION } from '#kernel/domain/tally.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export const projectKey = (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' });

/** The ledger facet values of a project (workflow: only a lifecycle ops must resume). */
export function ledgerValues(p: Project): Partial<Record<LedgerFacet, string>> {
  const failed = p.workflow?.status === 'failed' || p.workflow?.status === 'start_failed';
  return {
    stage: p.stage,
    status: p.status,
    park: p.park,
    track: p.track,
    category: p.category,
    light: p.light,
    enterprise: p.investor.enterpriseId,
    ...(failed ? { workflow: 'failed' } : {}),
    ...(p.escalation.level > 0 ? { escalation: p.escalation.name } : {}),
  };
}

export function toItem(p: Project): Record<string, unknown> {
  const values = ledgerValues(p);
  const index: Record<string, string> = {};
  for (const i of LEDGER_INDEXES) {
    const key = ledgerKey(i, values);
    if (key !== undefined) index[i.attribute] = key;
  }
  return { ...projectKey(p.id), entity: 'project', ...p, ...index, gsiLedgerSk: `${p.createdAt}#${p.id}`, gsiTally: TALLY_PARTITION, gsiTallySk: projectTallyKey(p) };
}

/** The index attributes `toItem` derives (a stored project lacking one of them, or holding another value, is re-indexed). */
const INDEX_ATTRIBUTES = ['gsiLedgerSk', 'gsiTally', 'gsiTallySk', ...LEDGER_INDEXES.map((i) => i.attribute)];
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'entity', ...INDEX_ATTRIBUTES]);

export function fromItem(item: Record<string, unknown>): Project {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE_ATTRIBUTES.has(k))) as unknown as Project;
}

export async function getProject(id: string, consistent = true): Promise<Project | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: projectKey(id), ConsistentRead: consistent }));
  return out.Item ? fromItem(out.Item) : undefined;
}

export async function loadProject(id: string): Promise<Project> {
  const project = await getProject(id);
  if (!project) throw new NotFound(`No project ${id}`);
  return project;
}

export function insertProject(p: Project): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: toItem(p), ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new Error(`project id collision ${p.id}`),
  };
}

/** Replaces the project if it is still at `expectedVersion` (optimistic lock; the new item carries version + 1). */
export function replaceProject(p: Project, expectedVersion: number): WriteOp {
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: toItem(p),
        ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    onConditionFailed: () =>
      new PreconditionFailed(`Project ${p.id} changed since version ${expectedVersion}; read it again and retry`),
  };
}

/** What a change that leaves the project as read (touchProject) needs of it still at its commit. */
export interface TouchGuard {
  readonly stage: Project['stage'];
  readonly park: string;
  /** The reservations as read, when the change depends on what the project holds (a gate that needs a parcel). */
  readonly reservations?: Project['reservations'];
}

/**
 * Moves the project's version on by one without replacing it, whatever version it is at, while it is still active at
 * the guard's stage in its park (and, given them, holding the same reservations): for a change that writes only records
 * beside the project (an approval that does not complete its gate), so that another change of the project meanwhile
 * does not refuse it. Its own fields and index attributes stay as they are; the version still moves, so a lifecycle
 * between its review and its wait, and any writer holding the version read before, learns of the change. Refused (the
 * change is read and decided again) once the project no longer meets the guard.
 */
export function touchProject(id: string, guard: TouchGuard, now: Date): WriteOp {
  const held = guard.reservations === undefined ? '' : guard.reservations.length ? ' AND reservations = :held' : ' AND (attribute_not_exists(reservations) OR size(reservations) = :none)';
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: projectKey(id),
        UpdateExpression: 'SET #v = #v + :one, updatedAt = :now',
        ConditionExpression: `attribute_exists(pk) AND #stage = :stage AND #status = :active AND park = :park${held}`,
        ExpressionAttributeNames: { '#v': 'version', '#stage': 'stage', '#status': 'status' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now.toISOString(),
          ':stage': guard.stage,
          ':active': 'ACTIVE',
          ':park': guard.park,
          ...(guard.reservations === undefined ? {} : guard.reservations.length ? { ':held': guard.reservations } : { ':none': 0 }),
        },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`Project ${id} changed what the decision depends on meanwhile`),
  };
}

/**
 * Projects whose stored index attributes differ from what `toItem` writes today (stored before an index was added):
 * rewrites each as it is — same content, same version, conditional on that version, so a project changed meanwhile
 * (which got its attributes from that change) is left alone. Pages through the whole ledger; stops after `budgetMs`
 * and says whether it finished (a later run continues: it only rewrites what still differs).
 */
export async function reindexProjects(budgetMs: number): Promise<{ rewritten: number; finished: boolean }> {
  const deadline = Date.now() + budgetMs;
  let rewritten = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeValues: { ':a': 'ALL' }, Limit: 100, ExclusiveStartKey: startKey }),
    );
    // The index holds the keys (and a few facets): each project as stored is read by key.
    const { items } = await getProjectItems((out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk })), true);
    for (const stored of items) {
      const wanted = toItem(fromItem(stored));
      if (INDEX_ATTRIBUTES.every((a) => stored[a] === wanted[a])) continue;
      await ddb
        .send(
          new TransactWriteCommand({
            TransactItems: [{ Put: { TableName: TABLE, Item: wanted, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': stored.version } } }],
          }),
        )
        .then(
          () => (rewritten += 1),
          (err: unknown) => {
            if ((err as Error).name !== 'TransactionCanceledException') throw err;
          },
        );
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey && Date.now() < deadline);
  return { rewritten, finished: startKey === undefined };
}

/** Every park and every investing enterprise the ledger's projects name (those attributes only, through the whole-ledger index). */
export async function ledgerNames(): Promise<{ parks: string[]; enterprises: string[] }> {
  const items = await queryAll({ TableName: TABLE, IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeNames: { '#park': 'park' }, ExpressionAttributeValues: { ':a': 'ALL' }, ProjectionExpression: '#park, gsiEnterprise' });
  const enterprises = items.map((i) => i.gsiEnterprise).filter((e): e is string => typeof e === 'string');
  return { parks: [...new Set(items.map((i) => String(i.park)))], enterprises: [...new Set(enterprises)] };
}

/** The names of projects by id (ids and names only, read by key). */
export async function projectNames(ids: readonly string[]): Promise<Map<string, string>> {
  const { items } = await getProjectItems([...new Set(ids)].map(projectKey), false, { ProjectionExpression: 'id, #name', ExpressionAttributeNames: { '#name': 'name' } });
  return new Map(items.map((item) => [String(item.id), String(item.name)]));
}

/**
 * Items of the projects table by key (BatchGetItem, 100 keys a call, the calls side by side; keys DynamoDB leaves
 * unprocessed are asked again), in no particular order, with the calls and read units they took. A key with no item
 * is left out.
 */
export async function getProjectItems(
  keys: readonly Record<string, unknown>[],
  consistent: boolean,
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<{ items: Record<string, unknown>[]; calls: number; readUnits: number }> {
  const items: Record<string, unknown>[] = [];
  let calls = 0;
  let readUnits = 0;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100) batches.push(keys.slice(i, i + 100));
  await Promise.all(
    batches.map(async (batch) => {
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
    }),
  );
  return { items, calls, readUnits };
}

/** The id of every project (the whole-ledger index, ids only). */
export async function ledgerProjectIds(): Promise<string[]> {
  const items = await queryAll({ TableName: TABLE, IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeValues: { ':a': 'ALL' }, ProjectionExpression: 'pk' });
  return items.map((i) => String(i.pk).slice('PROJECT#'.length));
}

/** Every park the ledger's projects name. */
export async function ledgerParks(): Promise<string[]> {
  return (await ledgerNames()).parks;
}

/** A contract amendment as a record of its own in the project's partition, written once. */
export function insertContractAmendment(projectId: string, amendment: ContractAmendment): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: `PROJECT#${projectId}`, sk: `AMENDMENT#${amendment.id}`, entity: 'contract-amendment', projectId, ...amendment }, ConditionExpression: 'attribute_not_exists(pk)' } },
  };
}

export interface LedgerQuery {
  readonly filters: Partial<Record<LedgerFacet, string>>;
  readonly limit: number;
  /** Where the previous page ended (its `lastKey`). */
  readonly startKey?: Record<string, string>;
}

export interface LedgerPage {
  readonly items: Project[];
  /** Where this page ended: undefined at the end of the list. */
  readonly lastKey?: Record<string, string>;
  /** The index that served the page, and how many DynamoDB calls and read units it took (the bench reports them). */
  readonly index: string;
  readonly calls: number;
  readonly readUnits: number;
}

/** Index queries one ledger page may make when filters remain beyond the index key, and the entries each may read. */
export const LEDGER_MAX_CALLS = 3;
export const LEDGER_READ_BATCH = 100;


/** The start key of the item a page ended on, in the index that served it. */
export const ledgerStartKeyNames = (index: LedgerIndex) => ['pk', 'sk', index.attribute, 'gsiLedgerSk'];

/**
 * A ledger page: the index that serves the most given facets reads it. When all of them are in its key the page is one
 * query of `limit` entries (and one more, to know whether the list goes on). Otherwise the remaining facets filter
 * (the index projects them: `include` in tables.ts `LEDGER_INDEXES`), reading at most LEDGER_MAX_CALLS batches of LEDGER_READ_BATCH
 * entries: a page costs a bounded number of calls and read units however selective the filter and however large the
 * zone, and may come back short (even empty) with a cursor before the end. The page's projects are then read by key,
 * strongly (one BatchGetItem a hundred), and one that no longer matches the filters (changed since the index was
 * written, which trails the table by a moment) is left out.
 */
export async function queryLedger(q: LedgerQuery): Promise<LedgerPage> {
  const { index, rest } = planLedger(q.filters);
  const key = ledgerKey(index, q.filters)!;
  const names: Record<string, string> = { '#k': index.attribute };
  const values: Record<string, unknown> = { ':k': key };
  rest.forEach((f, i) => {
    names[`#f${i}`] = facetAttribute(f);
    values[`:f${i}`] = q.filters[f];
  });
  const exact = rest.length === 0;
  const entries: Record<string, unknown>[] = [];
  let lastKey: Record<string, string> | undefined;
  let startKey = q.startKey;
  let calls = 0;
  let readUnits = 0;
  for (;;) {
    const out = await ddb
      .send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: index.name,
          KeyConditionExpression: '#k = :k',
          FilterExpression: exact ? undefined : rest.map((_, i) => `#f${i} = :f${i}`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          // One more than the page when exact: whether the list goes on is known without a trailing empty page.
          Limit: exact ? q.limit + 1 : LEDGER_READ_BATCH,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      )
      .catch((err: unknown) => {
        throw startKeyRejected(err, startKey !== undefined);
      });
    calls += 1;
    readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
    const batch = out.Items ?? [];
    const room = q.limit - entries.length;
    entries.push(...batch.slice(0, room));
    if (entries.length === q.limit && (batch.length > room || out.LastEvaluatedKey !== undefined)) {
      // The page is full inside this batch: the next page starts right after its last entry, not after the batch.
      const last = entries.at(-1)!;
      lastKey = Object.fromEntries(ledgerStartKeyNames(index).map((n) => [n, String(last[n])]));
      break;
    }
    startKey = out.LastEvaluatedKey as Record<string, string> | undefined;
    if (!startKey || exact || calls >= LEDGER_MAX_CALLS) {
      lastKey = startKey;
      break;
    }
  }
  // Read strongly: the projects as they are now, never older than the index entries that found them.
  const read = await getProjectItems(entries.map((e) => ({ pk: e.pk, sk: e.sk })), true);
  const byKey = new Map(read.items.map((item) => [String(item.pk), fromItem(item)]));
  const given = Object.entries(q.filters).filter(([, v]) => v !== undefined) as [LedgerFacet, string][];
  const items = entries
    .map((e) => byKey.get(String(e.pk)))
    .filter((p): p is Project => {
      const values = p && ledgerValues(p);
      return values !== undefined && given.every(([f, v]) => values[f] === v);
    });
  return { items, lastKey, index: index.name, calls: calls + read.calls, readUnits: readUnits + read.readUnits };
}
