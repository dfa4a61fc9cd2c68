// A write that names a park (a project created in it; an inventory record added there, moved there or brought back)
// and a list of parks that leaves the park out each read what the other changes, then commit: the creation checks the
// park against the list it read, the publication checks what still names the park. Read alone, both could pass — a
// project created in the moment between the publication's read of the park's projects and its write would be active in
// a park no longer listed. So each also tests, at commit, that the other did not commit in between:
// - the naming write's transaction requires that the parks list has no version after the one it checked the park
//   against (a ConditionCheck on the next version's item), and counts the naming on the park's item (`PARK_NAMED`);
// - the publication's transaction requires each park it drops to have the count it read before looking for its users.
// Whichever commits second fails its condition and decides again on a fresh read: the creation then finds the park
// gone (400), the publication finds the project (409).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, type WriteOp } from '#kernel/store/client.ts';
import { Contended, DomainError } from '#kernel/domain/errors.ts';
import { forgetConfig, getConfig, type ConfigVersion } from './reference.ts';
import { versionSk } from './versions.ts';

const TABLE = requireEnv('TABLE_REFERENCE');

const namedKey = (park: string) => ({ pk: 'PARK_NAMED', sk: park });

/** The list of parks a write checked its park against is no longer the one in force. */
export class ParksChanged extends Error {
  override name = 'ParksChanged';
}

/**
 * The writes a change that names `park` adds to its transaction: the list it checked (`parks`) must still be the one
 * in force when it commits, and the park's count of namings goes up by one.
 */
export function parkNamedOps(parks: ConfigVersion<'parks'>, park: string, at: Date): WriteOp[] {
  return [
    {
      item: { ConditionCheck: { TableName: TABLE, Key: { pk: 'CONFIG#parks', sk: versionSk(parks.version + 1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      onConditionFailed: () => new ParksChanged(`The list of parks changed (version ${parks.version + 1} was published) while this was decided`),
    },
    {
      item: {
        Update: {
          TableName: TABLE,
          Key: namedKey(park),
          UpdateExpression: 'ADD #n :one SET #at = :at',
          ExpressionAttributeNames: { '#n': 'named', '#at': 'lastNamedAt' },
          ExpressionAttributeValues: { ':one': 1, ':at': at.toISOString() },
        },
      },
    },
  ];
}

/** How many writes have named `park` so far (0: none since this count began), read strongly consistent. */
export async function parkNamings(park: string): Promise<number> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: namedKey(park), ConsistentRead: true }));
  return Number(out.Item?.named ?? 0);
}

/**
 * The condition a publication that drops `park` adds to its transaction: no write has named the park since it read
 * `namings` (then looked for what uses the park). Failing, the publication is decided again (ConcurrentChange).
 */
export function parkNotNamedSince(park: string, namings: number): WriteOp {
  return {
    item: {
      ConditionCheck: {
        TableName: TABLE,
        Key: namedKey(park),
        ConditionExpression: namings === 0 ? 'attribute_not_exists(pk) OR #n = :n' : '#n = :n',
        ExpressionAttributeNames: { '#n': 'named' },
        ExpressionAttributeValues: { ':n': namings },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`${park} was named by a write while the list of parks was decided`),
  };
}

/**
 * Runs a write that names a park on the list of parks in force: as kept by a warm function at first, read afresh when
 * the list changed before the write committed (ParksChanged), so the park is checked against the new list — and when
 * the write is refused on the kept list (a park added a moment ago elsewhere is not in it) while a newer list is in
 * force. A write still losing after three tries is a 409 to retry.
 */
export async function withParks<T>(attempt: (parks: ConfigVersion<'parks'>) => Promise<T>, read?: ConfigVersion<'parks'>): Promise<T> {
  // `read`: the list as the caller read it already (kept), alongside its other reads.
  let parks = read ?? (await getConfig('parks'));
  for (let n = 1; ; n++) {
    try {
      return await attempt(parks);
    } catch (err) {
      const refusedOnKept = n === 1 && err instanceof DomainError && err.status < 500;
      if (!(err instanceof ParksChanged) && !refusedOnKept) throw err;
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
