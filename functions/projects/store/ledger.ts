// The ledger 台账's queries: a page of projects filtered by facets (from the ledger table's indexes, the projects then
// read by key), and the parks, enterprises and ids of every project (the whole-ledger index).
import type { Status } from '#kernel/domain/codes.ts';
import type { Project } from '#projects/domain/project.ts';
import { ddb, queryAll, startKeyRejected } from '#kernel/store/client.ts';
import { facetAttribute, LEDGER_INDEXES, ledgerKey, planLedger, type LedgerFacet, type LedgerIndex } from '#kernel/store/tables.ts';
import { ledgerTable, ledgerValues } from './ledger-entry.ts';
import { fromItem, getProjectItems } from './projects.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

/** Every park and every investing enterprise the ledger's projects name (those attributes only, through the whole-ledger index). */
export async function ledgerNames(): Promise<{ parks: string[]; enterprises: string[] }> {
  const items = await queryAll({ TableName: ledgerTable(), IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeNames: { '#park': 'park' }, ExpressionAttributeValues: { ':a': 'ALL' }, ProjectionExpression: '#park, gsiEnterprise' });
  const enterprises = items.map((i) => i.gsiEnterprise).filter((e): e is string => typeof e === 'string');
  return { parks: [...new Set(items.map((i) => String(i.park)))], enterprises: [...new Set(enterprises)] };
}

/** The id of every project (the whole-ledger index, ids only). */
export async function ledgerProjectIds(): Promise<string[]> {
  const items = await queryAll({ TableName: ledgerTable(), IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeValues: { ':a': 'ALL' }, ProjectionExpression: 'pk' });
  return items.map((i) => String(i.pk).slice('PROJECT#'.length));
}

/** The id of every active project (the status index, ids only): what a change of the calendar wakes. */
export const activeProjectIds = (): Promise<string[]> => projectIdsBy('byStatus', { status: 'ACTIVE' });

/**
 * The id of every project of a park with a status (the park-and-status index, ids only): what still names a park when
 * ops publish a list of parks without it.
 */
export const projectIdsInPark = (park: string, status: Status): Promise<string[]> => projectIdsBy('byParkStatus', { park, status });

/** The ids of every project under one key of a ledger index (its keys only: no project is read). */
async function projectIdsBy(name: string, facets: Partial<Record<LedgerFacet, string>>): Promise<string[]> {
  const index = LEDGER_INDEXES.find((i) => i.name === name)!;
  const items = await queryAll({ TableName: ledgerTable(), IndexName: index.name, KeyConditionExpression: '#k = :k', ExpressionAttributeNames: { '#k': index.attribute }, ExpressionAttributeValues: { ':k': ledgerKey(index, facets) }, ProjectionExpression: 'pk' });
  return items.map((i) => String(i.pk).slice('PROJECT#'.length));
}

/** Every park the ledger's projects name. */
export async function ledgerParks(): Promise<string[]> {
  return (await ledgerNames()).parks;
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
export const ledgerStartKeyNames = (index: LedgerIndex) => ['pk', index.attribute, 'gsiLedgerSk'];

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
          TableName: ledgerTable(),
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
  const read = await getProjectItems(entries.map((e) => ({ pk: e.pk, sk: 'PROJECT' })), true);
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
