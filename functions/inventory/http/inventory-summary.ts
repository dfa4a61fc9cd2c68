// GET /inventory — the inventories at a glance 要素清单: per kind, how many records are available, reserved,
// transferred, leased and stale (not confirmed in the current period); for quotas, totals and what remains.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { getConfig } from '#reference/store/reference.ts';
import { periodOf } from '../domain/period.ts';
import { labelOf } from '../domain/reservation.ts';
import { Forbidden } from '#kernel/domain/errors.ts';
import { INVENTORY_KINDS, inventoryReaders, isUnitKind, noParkToRead, readsButNamesNoPark, staleNow, KIND_LABELS, mayReadKind, unitOf } from '../domain/resource.ts';
import * as routes from '../routes.ts';
import { allResources } from '../store/resources.ts';

export const handler = route(routes.inventorySummary, async (req) => {
  const cfg = (await getConfig('inventory')).doc;
  const today = shanghaiDate(clock.now());
  // The kinds the caller reads (a keeper of one kind sees that one); none was told 403 before its query was read.
  const readable = INVENTORY_KINDS.filter((kind) => mayReadKind(req.principal, kind, cfg));
  const kinds = await Promise.all(
    readable.map(async (kind) => {
      const records = await allResources(kind);
      const count = (status: string) => records.filter((r) => r.status === status).length;
      return {
        kind,
        label: KIND_LABELS[kind].zh,
        period: periodOf(kind, today, cfg),
        refresh: cfg.kinds[kind].refresh,
        owners: cfg.kinds[kind].owners,
        records: records.length,
        available: count('available'),
        reserved: count('reserved'),
        transferred: count('transferred'),
        leased: count('leased'),
        retired: count('retired'),
        stale: records.filter((r) => staleNow(r, today, cfg)).length,
        // Quotas are not summed (other years, pollutants, utilities and units): each record with what remains.
        ...(isUnitKind(kind) ? {} : { quotas: records.filter((r) => r.status !== 'retired').map((r) => ({ id: r.id, label: labelOf(r), total: r.total ?? 0, allocated: r.allocated ?? 0, remaining: r.remaining ?? 0, unit: unitOf(r) })) }),
      };
    }),
  );
  return json(200, { kinds });
}, async (p) => {
  // A role that reads no inventory is told so, naming who reads them, whatever query it sent.
  const cfg = (await getConfig('inventory')).doc;
  if (INVENTORY_KINDS.some((kind) => mayReadKind(p, kind, cfg))) return;
  if (INVENTORY_KINDS.some((kind) => readsButNamesNoPark(p, kind, cfg))) throw noParkToRead();
  throw new Forbidden(`The inventories are read by: ${inventoryReaders(cfg).join(', ')} (inventory.readers and each kind's owners)`);
});
