// A write that names a park (a project created in it; an inventory record added there, moved there or brought back)
// and a list of parks that leaves the park out each read what the other changes, then commit: the creation checks the
// park against the list it read, the publication checks what still names the park. Read alone, both could pass — a
// project created in the moment between the publication's look at the park's projects and its write would be active in
// a park no longer listed. So both write one item per park (`PARK_NAMED`/<park>, reference table) in their
// transactions, and DynamoDB orders them:
// - the naming write counts itself there (`named`), on condition that the park is not marked dropped;
// - the publication marks each park it drops (`dropped`), on condition that the count is still the one it read before
//   it looked for the park's users — and clears the mark of each park it lists again.
// Whichever commits second fails its condition and is decided again on a fresh read: the write then finds the park
// gone (400), the publication finds the write (409). One item per park: writes in different parks never contend.
//
// The publication looks for users through indexes (GSIs), which on AWS show a write a moment after it commits: a park
// named within `PARK_SETTLE_MS` (real time) is not dropped yet — 409, retry in a few seconds — so a write the indexes
// may not show is never missed. DynamoDB Local updates its indexes with the write: unset there (0).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, type WriteOp } from '#kernel/store/client.ts';
import { Conflict, Contended, type FieldError } from '#kernel/domain/errors.ts';
import { isParkNotListed } from '#reference/domain/parks.ts';
import { forgetConfig, getConfig, type ConfigVersion } from './reference.ts';

const TABLE = requireEnv('TABLE_REFERENCE');

const namedKey = (park: string) => ({ pk: 'PARK_NAMED', sk: park });

/** How long (ms of real time) the indexes a publication reads may take to show a write that named a park. */
const settleMs = () => Number(process.env.PARK_SETTLE_MS ?? 0);

/** The park a write checked against the list it read was dropped before the write committed. */
export class ParksChanged extends Error {
  override name = 'ParksChanged';
}

/**
 * The write a change that names `park` adds to its transaction: the park's count of namings up by one, and who named
 * it when — on condition that no publication has dropped the park meanwhile (else ParksChanged: decided again).
 * `label`: what the write is, as a 409 names it (a project's id, `parcels CODE`).
 */
export function parkNamedOp(park: string, label: string): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: namedKey(park),
        UpdateExpression: 'ADD #n :one SET #at = :at, #by = :by',
        ConditionExpression: 'attribute_not_exists(#dropped)',
        ExpressionAttributeNames: { '#n': 'named', '#at': 'lastNamedAtMs', '#by': 'lastNamed', '#dropped': 'dropped' },
        ExpressionAttributeValues: { ':one': 1, ':at': Date.now(), ':by': label },
      },
    },
    onConditionFailed: () => new ParksChanged(`${park} was dropped from the list of parks while this was decided`),
  };
}

/** A park's namings so far, read strongly consistent: how many, and the last (what, when in real ms). */
export interface ParkNamings {
  readonly park: string;
  readonly named: number;
  readonly lastNamed?: string;
  readonly lastNamedAtMs?: number;
}

export async function parkNamings(park: string): Promise<ParkNamings> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: namedKey(park), ConsistentRead: true }));
  const item = out.Item ?? {};
  return { park, named: Number(item.named ?? 0), ...(typeof item.lastNamed === 'string' ? { lastNamed: item.lastNamed } : {}), ...(typeof item.lastNamedAtMs === 'number' ? { lastNamedAtMs: item.lastNamedAtMs } : {}) };
}

/**
 * A park named a moment ago (within the indexes' settling time) is not dropped yet: 409 naming the write, retry in a
 * few seconds. Checked after what the indexes show (that 409 names every user).
 */
export function assertNamingsSettled(namings: readonly ParkNamings[], nowMs = Date.now()): void {
  const ms = settleMs();
  const recent = namings.filter((n) => n.lastNamedAtMs !== undefined && nowMs - n.lastNamedAtMs < ms);
  if (recent.length === 0) return;
  const errors = recent.map((n): FieldError => ({ path: 'doc.parks', code: 'state', message: `${n.park} was named by ${n.lastNamed ?? 'a write'} a moment ago: retry in a few seconds, once it shows among the park's users` }));
  throw Object.assign(new Conflict(errors.map((e) => e.message).join('; '), errors), { retryAfterSeconds: Math.ceil(ms / 1000) });
}

/**
 * The writes of a publication of the parks list: each park it drops marked dropped, on condition that no write has
 * named it since its namings were read (else ConcurrentChange: decided again); each park it lists that was dropped
 * before, unmarked.
 */
export function parksPublishedOps(dropped: readonly ParkNamings[], listedAgain: readonly string[], version: number): WriteOp[] {
  return [
    ...dropped.map(
      (n): WriteOp => ({
        item: {
          Update: {
            TableName: TABLE,
            Key: namedKey(n.park),
            UpdateExpression: 'SET #dropped = :v',
            ConditionExpression: n.named === 0 ? 'attribute_not_exists(#n) OR #n = :n' : '#n = :n',
            ExpressionAttributeNames: { '#n': 'named', '#dropped': 'dropped' },
            ExpressionAttributeValues: { ':n': n.named, ':v': version },
          },
        },
        onConditionFailed: () => new ConcurrentChange(`${n.park} was named by a write while the list of parks was decided`),
      }),
    ),
    ...listedAgain.map((park): WriteOp => ({ item: { Update: { TableName: TABLE, Key: namedKey(park), UpdateExpression: 'REMOVE #dropped', ExpressionAttributeNames: { '#dropped': 'dropped' } } } })),
  ];
}

/**
 * Runs a write that names a park on the list of parks in force: as kept by a warm function at first, read afresh when
 * the park was dropped before the write committed (ParksChanged), so the park is checked against the new list — and
 * when the write was refused because its park is not on the kept list (a park added a moment ago elsewhere) while a
 * newer list is in force. A write still losing after three tries is a 409 to retry.
 */
export async function withParks<T>(attempt: (parks: ConfigVersion<'parks'>) => Promise<T>, read?: ConfigVersion<'parks'>): Promise<T> {
  // `read`: the list as the caller read it already (kept), alongside its other reads.
  let parks = read ?? (await getConfig('parks'));
  for (let n = 1; ; n++) {
    try {
      return await attempt(parks);
    } catch (err) {
      const unlistedOnKept = n === 1 && isParkNotListed(err);
      if (!(err instanceof ParksChanged) && !unlistedOnKept) throw err;
      const fresh = await getConfig('parks', 'fresh');
      // Refused on the list in force: that is the answer.
      if (!(err instanceof ParksChanged) && fresh.version === parks.version) throw err;
      // What this function kept is older than the list in force: every later request reads it again too.
      forgetConfig('parks');
      if (n >= 3) throw new Contended();
      parks = fresh;
    }
  }
}
