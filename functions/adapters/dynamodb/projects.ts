// Project entity in the projects table: keys, ledger index attributes, conditional writes, ledger queries.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Project } from '#domain/project.ts';
import { NotFound, PreconditionFailed } from '#domain/errors.ts';
import { cursorRejected, decodeCursor, encodeCursor } from '#http/cursor.ts';
import { requireEnv } from '../env.ts';
import { ddb, type WriteOp } from './client.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export const projectKey = (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' });

/** Ledger facets: each is served by its own index (see tables.ts), never by a scan. */
export const LEDGER_FACETS = {
  all: { index: 'byLedger', attribute: 'gsiLedger' },
  stage: { index: 'byStage', attribute: 'gsiStage' },
  status: { index: 'byStatus', attribute: 'gsiStatus' },
  park: { index: 'byPark', attribute: 'gsiPark' },
  track: { index: 'byTrack', attribute: 'gsiTrack' },
  category: { index: 'byCategory', attribute: 'gsiCategory' },
  light: { index: 'byLight', attribute: 'gsiLight' },
  enterprise: { index: 'byEnterprise', attribute: 'gsiEnterprise' },
} as const;
export type LedgerFacet = keyof typeof LEDGER_FACETS;

export function toItem(p: Project): Record<string, unknown> {
  return {
    ...projectKey(p.id),
    entity: 'project',
    ...p,
    gsiLedger: 'ALL',
    gsiStage: p.stage,
    gsiStatus: p.status,
    gsiPark: p.park,
    gsiTrack: p.track,
    gsiCategory: p.category,
    gsiLight: p.light,
    gsiEnterprise: p.investor.enterpriseId,
    gsiLedgerSk: `${p.createdAt}#${p.id}`,
  };
}

export function fromItem(item: Record<string, unknown>): Project {
  const { pk: _pk, sk: _sk, entity: _e, gsiStage: _1, gsiStatus: _2, gsiPark: _3, gsiTrack: _4, gsiCategory: _5, gsiLight: _6, gsiEnterprise: _7, gsiLedgerSk: _8, gsiLedger: _9, ...rest } = item;
  return rest as unknown as Project;
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

export interface LedgerQuery {
  readonly filters: Partial<Record<LedgerFacet, string>>;
  readonly limit: number;
  readonly cursor?: string;
}

/** Facet order for choosing the index: the most selective facets first. */
const FACET_PRIORITY: readonly LedgerFacet[] = ['enterprise', 'park', 'light', 'category', 'stage', 'track', 'status', 'all'];

/**
 * Ledger query: the most selective given facet picks the index; the other facets filter inside that query.
 * Without any facet it reads the whole-ledger index.
 */
export async function queryLedger(q: LedgerQuery): Promise<{ items: Project[]; nextCursor: string | null }> {
  const facet = FACET_PRIORITY.find((f) => q.filters[f] !== undefined) ?? 'all';
  if (facet === 'all') q = { ...q, filters: { ...q.filters, all: 'ALL' } };
  const { index, attribute } = LEDGER_FACETS[facet];
  const others = FACET_PRIORITY.filter((f) => f !== facet && f !== 'all' && q.filters[f] !== undefined);
  const names: Record<string, string> = { '#k': attribute };
  const values: Record<string, unknown> = { ':k': q.filters[facet] };
  others.forEach((f, i) => {
    names[`#f${i}`] = LEDGER_FACETS[f].attribute;
    values[`:f${i}`] = q.filters[f];
  });
  const keyNames = ['pk', 'sk', attribute, 'gsiLedgerSk'];
  let startKey = decodeCursor(index, q.cursor, keyNames, { [attribute]: String(q.filters[facet]) });
  const items: Project[] = [];
  // A filter can leave a page short: keep reading until the page is full or the index is exhausted.
  do {
    const out = await ddb
      .send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: index,
        KeyConditionExpression: '#k = :k',
        FilterExpression: others.length ? others.map((_, i) => `#f${i} = :f${i}`).join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: q.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
      )
      .catch((err: unknown) => {
        throw cursorRejected(err, startKey !== undefined);
      });
    for (const item of out.Items ?? []) items.push(fromItem(item));
    startKey = out.LastEvaluatedKey as typeof startKey;
  } while (startKey && items.length < q.limit);
  return { items, nextCursor: encodeCursor(index, startKey) };
}
