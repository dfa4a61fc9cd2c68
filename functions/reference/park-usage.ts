// What still names a park, read when ops publish a list of parks that leaves one out: the park's projects that are
// active or pending admission (the ledger's park-and-status index) and its inventory records not retired (the
// inventory's park index) — index queries bounded by one park's records, never a scan.
import { PARK_KINDS, resourceLabel } from '#inventory/domain/resource.ts';
import { resourcesInPark } from '#inventory/store/resources.ts';
import { projectIdsInPark } from '#projects/store/ledger.ts';
import type { ParkUsage } from './domain/parks.ts';

export async function parkUsage(park: string): Promise<ParkUsage> {
  const [active, pending, ...records] = await Promise.all([
    projectIdsInPark(park, 'ACTIVE'),
    projectIdsInPark(park, 'PENDING_ADMISSION'),
    ...PARK_KINDS.map((kind) => resourcesInPark(kind, park)),
  ]);
  return {
    park,
    projects: [...active, ...pending],
    resources: PARK_KINDS.map((kind, i) => ({
      kind,
      keys: records[i]!.filter((r) => r.status !== 'retired').map(resourceLabel),
    })),
  };
}
