// Resource entity in the inventory table.
//
// Keys and access patterns:
//   resource          pk KIND#<kind>              sk <id>           — one partition per kind: a kind's list in id order
//   natural key       pk KEY#<kind>               sk <natural key>  — a parcel's code, a year's quota: unique per kind
//   reminder marker   pk REMIND#<kind>#<period>   sk <inbox>        — a refresh reminder sent once per period and owner
//   byPark   (gsiPark = <kind>#<park>,   gsiKindId = <id>)          — a kind's records in one park
//   byStatus (gsiStatus = <kind>#<status>, gsiKindId = <id>)        — a kind's available (reserved, …) records
// Unit resources change status under a condition (`available` to reserve, held by that reservation to release), and
// quantity resources under `remaining >= amount`, so no two writers can overbook whatever order they commit in.
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { NotFound, PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, putAtVersion, queryAll, startKeyRejected, type WriteOp } from '#kernel/store/client.ts';
import type { Holder, InventoryKind, Resource, ResourceStatus } from '../domain/resource.ts';
import { isUnitKind, naturalKey, parkOf } from '../domain/resource.ts';
import { overbooked } from '../domain/reservation.ts';

const TABLE = requireEnv('TABLE_INVENTORY');

export const resourceKey = (kind: InventoryKind, id: string) => ({ pk: `KIND#${kind}`, sk: id });
const naturalKeyItem = (kind: InventoryKind, key: string) => ({ pk: `KEY#${kind}`, sk: key });

function toItem(r: Resource): Record<string, unknown> {
  const park = parkOf(r);
  return {
    ...resourceKey(r.kind, r.id),
    entity: 'resource',
    ...r,
    gsiKindId: r.id,
    gsiStatus: `${r.kind}#${r.status}`,
    ...(park !== undefined ? { gsiPark: `${r.kind}#${park}` } : {}),
  };
}

const STORAGE = new Set(['pk', 'sk', 'entity', 'gsiKindId', 'gsiStatus', 'gsiPark']);
export const fromItem = (item: Record<string, unknown>): Resource => Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE.has(k))) as unknown as Resource;

export async function getResource(kind: InventoryKind, id: string): Promise<Resource | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: resourceKey(kind, id), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}

export async function loadResource(kind: InventoryKind, id: string): Promise<Resource> {
  const r = await getResource(kind, id);
  if (!r) throw new NotFound(`No ${kind} record ${id}`);
  return r;
}

/** The id of the record a natural key names (a year's energy quota), if any. */
export async function findByNaturalKey(kind: InventoryKind, key: string): Promise<string | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: naturalKeyItem(kind, key), ConsistentRead: true }));
  return out.Item?.id as string | undefined;
}

/** A new record and its natural key, both only if new: a second record with the same code is a 409. */
export function insertResource(r: Resource, duplicate: () => Error): WriteOp[] {
  return [
    { item: { Put: { TableName: TABLE, Item: { ...naturalKeyItem(r.kind, naturalKey(r.kind, r.facts)), entity: 'natural-key', id: r.id }, ConditionExpression: 'attribute_not_exists(pk)' } }, onConditionFailed: duplicate },
    { item: { Put: { TableName: TABLE, Item: toItem(r), ConditionExpression: 'attribute_not_exists(pk)' } }, onConditionFailed: () => new Error(`resource id collision ${r.id}`) },
  ];
}

/** Replaces a record if it is still at `expectedVersion` (an owner's edit: If-Match; the new item carries version + 1). */
export function replaceResource(r: Resource, expectedVersion: number, pinned: boolean): WriteOp {
  return putAtVersion(TABLE, toItem(r), expectedVersion, () =>
    pinned ? new PreconditionFailed(`${r.id} changed since version ${expectedVersion}; read it again and retry`) : new ConcurrentChange(`${r.id} changed`),
  );
}

const bumpVersion = 'version = version + :one, updatedAt = :now';

/**
 * Holds a unit resource for a reservation: only while it is `available`, at the area read (the reservation's amount)
 * and in the park read (whose park center may reserve it, the project's park) — an area corrected meanwhile is not held
 * at the old one, nor a unit moved to another park in the new one.
 */
export function holdUnit(current: Resource, holder: Holder, now: Date): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: resourceKey(current.kind, current.id),
        UpdateExpression: `SET #s = :reserved, gsiStatus = :gs, heldBy = :h, ${bumpVersion}`,
        ConditionExpression: 'attribute_exists(pk) AND #s = :available AND #f.#area = :area AND #f.#park = :park',
        ExpressionAttributeNames: { '#s': 'status', '#f': 'facts', '#area': 'areaM2', '#park': 'park' },
        ExpressionAttributeValues: {
          ':reserved': 'reserved',
          ':available': 'available',
          ':gs': `${current.kind}#reserved`,
          ':h': holder,
          ':area': (current.facts as { areaM2: number }).areaM2,
          ':park': (current.facts as { park: string }).park,
          ':one': 1,
          ':now': now.toISOString(),
        },
      },
    },
    onConditionFailed: () => overbooked({ ...current, status: 'reserved' }),
  };
}

/** Moves a held unit to `status` (`transferred`, `leased`, back to `available` on release): only the holding reservation may. */
export function moveUnit(kind: InventoryKind, id: string, reservationId: string, status: ResourceStatus, now: Date): WriteOp {
  const release = status === 'available';
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: resourceKey(kind, id),
        UpdateExpression: `SET #s = :s, gsiStatus = :gs, ${release ? 'heldBy = :null, ' : ''}${bumpVersion}`,
        ConditionExpression: 'heldBy.reservationId = :rid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':gs': `${kind}#${status}`, ':rid': reservationId, ':one': 1, ':now': now.toISOString(), ...(release ? { ':null': null } : {}) },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`${id} is no longer held by ${reservationId}`),
  };
}

/**
 * Takes `amount` from a quantity: only while at least that much remains (and the record is not retired), and — a
 * utility — in the unit read (the reservation's): a unit changed meanwhile is not drawn on in the old one.
 */
export function takeQuantity(current: Resource, amount: number, now: Date): WriteOp {
  const unit = current.kind === 'utilities' ? (current.facts as { unit: string }).unit : undefined;
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: resourceKey(current.kind, current.id),
        UpdateExpression: `SET remaining = remaining - :a, allocated = allocated + :a, ${bumpVersion}`,
        ConditionExpression: `attribute_exists(pk) AND remaining >= :a AND #s <> :retired${unit === undefined ? '' : ' AND #f.#unit = :unit'}`,
        ExpressionAttributeNames: { '#s': 'status', ...(unit === undefined ? {} : { '#f': 'facts', '#unit': 'unit' }) },
        ExpressionAttributeValues: { ':a': amount, ':retired': 'retired', ':one': 1, ':now': now.toISOString(), ...(unit === undefined ? {} : { ':unit': unit }) },
      },
    },
    onConditionFailed: () => overbooked(current, amount),
  };
}

/** Gives `amount` back to a quantity (a released reservation). */
export function returnQuantity(kind: InventoryKind, id: string, amount: number, now: Date): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: resourceKey(kind, id),
        UpdateExpression: `SET remaining = remaining + :a, allocated = allocated - :a, ${bumpVersion}`,
        ConditionExpression: 'attribute_exists(pk) AND allocated >= :a',
        ExpressionAttributeValues: { ':a': amount, ':one': 1, ':now': now.toISOString() },
      },
    },
    onConditionFailed: () => new Error(`${id}: less allocated than the reservation returns (${amount})`),
  };
}

/** The write that changes a resource for a reservation: hold or take on reserve. */
export const reserveOp = (r: Resource, holder: Holder, amount: number, now: Date): WriteOp => (isUnitKind(r.kind) ? holdUnit(r, holder, now) : takeQuantity(r, amount, now));
/** The write that gives a released reservation back. */
export const releaseOp = (kind: InventoryKind, id: string, reservationId: string, amount: number, now: Date): WriteOp =>
  isUnitKind(kind) ? moveUnit(kind, id, reservationId, 'available', now) : returnQuantity(kind, id, amount, now);

/** Marks a reminder sent for a period and inbox: only once (the job re-running sends nothing twice). */
export function reminderOp(kind: InventoryKind, period: string, inbox: string, at: Date): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { pk: `REMIND#${kind}#${period}`, sk: inbox, entity: 'refresh-reminder', at: at.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } }, onConditionFailed: () => new ConcurrentChange('reminder sent already') };
}

export async function reminderSent(kind: InventoryKind, period: string, inbox: string): Promise<boolean> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `REMIND#${kind}#${period}`, sk: inbox }, ConsistentRead: true }));
  return out.Item !== undefined;
}

/** Flags a record stale for a period (the refresh job), only if still unconfirmed in it and not changed meanwhile. */
export function flagStaleOp(r: Resource, since: string, now: Date): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: resourceKey(r.kind, r.id),
        UpdateExpression: `SET staleSince = :since, ${bumpVersion}`,
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':since': since, ':v': r.version, ':one': 1, ':now': now.toISOString() },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`${r.id} changed`),
  };
}

export interface ResourceFilters {
  readonly park?: string;
  readonly status?: ResourceStatus;
  /** A DynamoDB filter over the facts (kind-specific: min area, land use, pollutant …), applied after the index. */
  readonly filter?: { readonly expression: string; readonly names: Record<string, string>; readonly values: Record<string, unknown> };
}

export const LIST_MAX_CALLS = 5;

/** Start key attributes of each list's index. */
export function listStartKeyNames(f: Pick<ResourceFilters, 'park' | 'status'>): string[] {
  if (f.park !== undefined) return ['pk', 'sk', 'gsiPark', 'gsiKindId'];
  if (f.status !== undefined) return ['pk', 'sk', 'gsiStatus', 'gsiKindId'];
  return ['pk', 'sk'];
}

/** Records a filtered read evaluates a call at least (a sparse filter still fills its page in a call or two). */
export const LIST_FILTER_WINDOW = 50;

/**
 * A page of a kind's records in id order, from the index the filters select (park, else status, else the kind's
 * partition) — a query, never a scan. Further filters (status within a park, facts) are applied to what the index
 * reads: a call then evaluates at least `LIST_FILTER_WINDOW` records, and what passes beyond the page is left for the
 * cursor (taken from the page's last record). A page reads at most `LIST_MAX_CALLS` calls and may come back short —
 * even empty, past a long run of records that do not pass — with a cursor to go on.
 */
export async function listResources(kind: InventoryKind, f: ResourceFilters, limit: number, startKey?: Record<string, unknown>): Promise<{ items: Resource[]; lastKey?: Record<string, unknown>; consumed: number }> {
  let input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>;
  const filters: string[] = [];
  const names: Record<string, string> = { ...f.filter?.names };
  const values: Record<string, unknown> = { ...f.filter?.values };
  if (f.filter) filters.push(f.filter.expression);
  if (f.park !== undefined) {
    input = { TableName: TABLE, IndexName: 'byPark', KeyConditionExpression: 'gsiPark = :k' };
    values[':k'] = `${kind}#${f.park}`;
    if (f.status !== undefined) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = f.status;
    }
  } else if (f.status !== undefined) {
    input = { TableName: TABLE, IndexName: 'byStatus', KeyConditionExpression: 'gsiStatus = :k' };
    values[':k'] = `${kind}#${f.status}`;
  } else {
    input = { TableName: TABLE, KeyConditionExpression: 'pk = :k' };
    values[':k'] = `KIND#${kind}`;
  }
  const query: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'> = {
    ...input,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
    ReturnConsumedCapacity: 'TOTAL',
  };
  const items: Resource[] = [];
  let key = startKey;
  let consumed = 0;
  const keyNames = listStartKeyNames(f);
  for (let call = 0; call < LIST_MAX_CALLS && items.length < limit; call++) {
    const wanted = limit - items.length;
    const window = query.FilterExpression ? Math.max(wanted, LIST_FILTER_WINDOW) : wanted;
    const out = await ddb.send(new QueryCommand({ ...query, Limit: window, ExclusiveStartKey: key })).catch((err: unknown) => {
      throw startKeyRejected(err, key !== undefined);
    });
    consumed += out.ConsumedCapacity?.CapacityUnits ?? 0;
    const found = out.Items ?? [];
    items.push(...found.slice(0, wanted).map(fromItem));
    // More passed than the page takes: the cursor goes on after the last one taken, not after all that was read.
    key = found.length > wanted ? Object.fromEntries(keyNames.map((n) => [n, found[wanted - 1]![n]])) : out.LastEvaluatedKey;
    if (!key) break;
  }
  return { items, lastKey: key, consumed };
}

/** Every record of a kind with a status (bounded by the zone's inventory: matching, the reuse notice). */
export async function resourcesWithStatus(kind: InventoryKind, status: ResourceStatus): Promise<Resource[]> {
  return (await queryAll({ TableName: TABLE, IndexName: 'byStatus', KeyConditionExpression: 'gsiStatus = :k', ExpressionAttributeValues: { ':k': `${kind}#${status}` } })).map(fromItem);
}

/** Every record of a kind (the refresh job). */
export async function allResources(kind: InventoryKind): Promise<Resource[]> {
  return (await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :k', ExpressionAttributeValues: { ':k': `KIND#${kind}` } })).map(fromItem);
}

/** Every record of a kind in one park (bounded by the park's inventory: the park report). */
export async function resourcesInPark(kind: InventoryKind, park: string): Promise<Resource[]> {
  return (await queryAll({ TableName: TABLE, IndexName: 'byPark', KeyConditionExpression: 'gsiPark = :k', ExpressionAttributeValues: { ':k': `${kind}#${park}` } })).map(fromItem);
}
