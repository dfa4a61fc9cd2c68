// Project entity in the projects table: keys, conditional writes (with the project's ledger entry, ledger-entry.ts),
// the re-index of both; the ledger's queries are in ledger.ts.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractAmendment, Project } from '#projects/domain/project.ts';
import { Contended, NotFound, PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import type { AuditSubject } from '#kernel/store/audit.ts';
import { BATCH_GETS_IN_FLIGHT, batchGet, ConcurrentChange, ddb, putAtVersion, queryPageAfter, transact, type WriteOp } from '#kernel/store/client.ts';
import { strip } from '#kernel/store/items.ts';
import { LEDGER_INDEXES } from '#kernel/store/tables.ts';
import { ledgerItem, ledgerPut, ledgerTable, ledgerWrites } from './ledger-entry.ts';
import { projectTallyKey, TALLY_PARTITION } from '#kernel/domain/tally.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export const projectKey = (id: string) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT' });
/** A project's audit subject (its timeline): its key, and its name as it stands when the event is recorded. */
export const projectSubject = (p: Pick<Project, 'id' | 'name'>): AuditSubject => ({ key: `PROJECT#${p.id}`, name: p.name });

/** The project item: the project, and the keys of the projects table's indexes it belongs in (the park tally). */
export function toItem(p: Project): Record<string, unknown> {
  return { ...projectKey(p.id), entity: 'project', ...p, gsiTally: TALLY_PARTITION, gsiTallySk: projectTallyKey(p) };
}

/** The attributes of the ledger's indexes that project items carried before the ledger had its own table. */
const LEGACY_LEDGER_ATTRIBUTES = ['gsiLedgerSk', ...LEDGER_INDEXES.map((i) => i.attribute)];
/** The index attributes `toItem` derives (a stored project lacking one of them, or holding another value, is rewritten). */
const INDEX_ATTRIBUTES = ['gsiTally', 'gsiTallySk'];
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'entity', ...INDEX_ATTRIBUTES, ...LEGACY_LEDGER_ATTRIBUTES]);

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

/** A new project and its ledger entry. */
export function insertProject(p: Project): WriteOp[] {
  return [
    {
      item: { Put: { TableName: TABLE, Item: toItem(p), ConditionExpression: 'attribute_not_exists(pk)' } },
      onConditionFailed: () => new Error(`project id collision ${p.id}`),
    },
    ledgerPut(p),
  ];
}

/**
 * Replaces the project if it is still at the version of `before`, as read (optimistic lock; the new item carries
 * version + 1), and its ledger entry when a facet moved.
 */
export function replaceProject(p: Project, before: Project): WriteOp[] {
  const expected = before.version;
  return [putAtVersion(TABLE, toItem(p), expected, () => new PreconditionFailed(`Project ${p.id} changed since version ${expected}; read it again and retry`)), ...ledgerWrites(before, p)];
}

/**
 * A condition that the project is still at the version `read` (a transaction of a change's groups committed before its
 * own write: none commits once another change of the project won). A stale version, as replaceProject says it.
 */
export function projectAtVersion(read: Pick<Project, 'id' | 'version'>): WriteOp {
  return {
    item: { ConditionCheck: { TableName: TABLE, Key: projectKey(read.id), ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': read.version } } },
    onConditionFailed: () => new PreconditionFailed(`Project ${read.id} changed since version ${read.version}; read it again and retry`),
  };
}

/** What a change that leaves the project as read (touchProject) needs of it still at its commit. */
export interface TouchGuard {
  readonly stage: Project['stage'];
  readonly park: string;
  /** The reservations as read, when the change depends on what the project holds (a gate that needs a parcel). */
  readonly reservations?: Project['reservations'];
  /** The change is work an exit closes (assertNoExitUnderway): refused, and decided again, once an exit is decided. */
  readonly closedByExit?: boolean;
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
  // An exit done leaves the project EXITED (not active): one under way is any exit on record.
  const exit = guard.closedByExit ? ' AND attribute_not_exists(#exit)' : '';
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: projectKey(id),
        UpdateExpression: 'SET #v = #v + :one, updatedAt = :now',
        ConditionExpression: `attribute_exists(pk) AND #stage = :stage AND #status = :active AND park = :park${held}${exit}`,
        ExpressionAttributeNames: { '#v': 'version', '#stage': 'stage', '#status': 'status', ...(guard.closedByExit ? { '#exit': 'exit' } : {}) },
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
 * Projects whose stored item or ledger entry differ from what `toItem` and `ledgerItem` write today (stored before an
 * index was added, or before the ledger had its own table): rewrites each — the project as it is (same content, same
 * version) and its entry, in one transaction conditional on that version, so a project changed meanwhile (which got
 * both from that change) is left alone. Pages through every project through the park tally's index (keys only: every
 * project item carries its key since the tally's own re-index); stops after `budgetMs` and says whether it finished (a
 * later run continues: it only rewrites what still differs).
 */
export async function reindexProjects(budgetMs: number): Promise<{ rewritten: number; finished: boolean }> {
  const deadline = Date.now() + budgetMs;
  let rewritten = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'byTally',
        KeyConditionExpression: 'gsiTally = :z',
        FilterExpression: 'sk = :project',
        ExpressionAttributeValues: { ':z': TALLY_PARTITION, ':project': 'PROJECT' },
        Limit: 100,
        ExclusiveStartKey: startKey,
      }),
    );
    // The index holds the keys: each project as stored, and its entry, is read by key.
    const keys = (out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk }));
    const [{ items: stored }, ledger] = await Promise.all([getProjectItems(keys, true), batchGet(ledgerTable(), keys.map((k) => ({ pk: k.pk })), true)]);
    const entries = new Map(ledger.items.map((e) => [String(e.pk), e]));
    for (const item of stored) {
      const project = fromItem(item);
      const wanted = toItem(project);
      const itemStale = Object.keys(item).some((a) => LEGACY_LEDGER_ATTRIBUTES.includes(a)) || INDEX_ATTRIBUTES.some((a) => item[a] !== wanted[a]);
      const entry = ledgerItem(project);
      const entryStale = JSON.stringify(sortedKeys(entries.get(String(item.pk)))) !== JSON.stringify(sortedKeys(entry));
      if (!itemStale && !entryStale) continue;
      // A project changed meanwhile got both from that change: left alone.
      const moved = () => new ChangedMeanwhile();
      const atVersion: WriteOp = itemStale
        ? putAtVersion(TABLE, wanted, project.version, moved)
        : { item: { ConditionCheck: { TableName: TABLE, Key: projectKey(project.id), ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': project.version } } }, onConditionFailed: moved };
      await transact([atVersion, ...(entryStale ? [ledgerPut(project)] : [])]).then(
        () => (rewritten += 1),
        (err: unknown) => {
          // Changed meanwhile, or still changing after transact()'s retries: the next run finds what still differs.
          if (!(err instanceof ChangedMeanwhile) && !(err instanceof Contended)) throw err;
        },
      );
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey && Date.now() < deadline);
  return { rewritten, finished: startKey === undefined };
}

class ChangedMeanwhile extends Error {}

/** An item's attributes in name order (undefined stays undefined), to compare two items by content. */
const sortedKeys = (item: Record<string, unknown> | undefined) => item && Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)));

/** The names and parks of projects by id (BatchGetItem of those attributes only); an unknown id is left out. */
export async function projectNamesAndParks(ids: readonly string[]): Promise<Map<string, { readonly name: string; readonly park: string }>> {
  if (ids.length === 0) return new Map();
  const { items } = await getProjectItems([...new Set(ids)].map(projectKey), false, { ProjectionExpression: 'id, #name, park', ExpressionAttributeNames: { '#name': 'name' } });
  return new Map(items.map((item) => [String(item.id), { name: String(item.name), park: String(item.park) }]));
}

/**
 * Items of the projects table by key (BatchGetItem, 100 keys a call, up to BATCH_GETS_IN_FLIGHT calls side by side; keys DynamoDB leaves
 * unprocessed are asked again), in no particular order, with the calls and read units they took. A key with no item
 * is left out.
 */
export function getProjectItems(
  keys: readonly Record<string, unknown>[],
  consistent: boolean,
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<{ items: Record<string, unknown>[]; calls: number; readUnits: number }> {
  return batchGet(TABLE, keys, consistent, projection);
}

/** BatchGetItem calls one read keeps in flight at once (the store's; re-exported for the project-read test). */
export { BATCH_GETS_IN_FLIGHT };

/**
 * A page of a project's contract amendments, oldest first (their ids begin with their creation time), after the one
 * `after` names: reads the page and one more.
 */
export async function pageContractAmendments(projectId: string, limit: number, after: string | undefined): Promise<{ items: ContractAmendment[]; more: boolean }> {
  return queryPageAfter(TABLE, `PROJECT#${projectId}`, 'AMENDMENT#', limit, after, (i) => {
    const { projectId: _p, ...amendment } = strip<ContractAmendment & { projectId: string }>(i)!;
    return amendment;
  });
}

/** One contract amendment of a project, as its POST answered it (undefined when the project has none of that id). */
export async function getContractAmendment(projectId: string, id: string): Promise<ContractAmendment | undefined> {
  const item = (await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `PROJECT#${projectId}`, sk: `AMENDMENT#${id}` }, ConsistentRead: true }))).Item;
  if (!item) return undefined;
  const { projectId: _p, ...amendment } = strip<ContractAmendment & { projectId: string }>(item)!;
  return amendment;
}

/** A contract amendment as a record of its own in the project's partition, written once. */
export function insertContractAmendment(projectId: string, amendment: ContractAmendment): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: `PROJECT#${projectId}`, sk: `AMENDMENT#${amendment.id}`, entity: 'contract-amendment', projectId, ...amendment }, ConditionExpression: 'attribute_not_exists(pk)' } },
  };
}
