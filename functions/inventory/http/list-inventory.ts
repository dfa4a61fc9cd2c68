// GET /inventory/{kind} — a kind's records in id order, paged. `park` and `status` pick the index (a query, never a
// scan); `stale` and the kind's facts (area, land use, supply, readiness, owner, floor load, clear height, power, year,
// pollutant, utility) filter what it reads. A filter another kind has no fact for is a 400 naming it.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { getConfig } from '#reference/store/reference.ts';
import { readsKind } from '../acting.ts';
import { periodOf, previousPeriod } from '../domain/period.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';
import { factFilter, type Query } from '../list-filters.ts';
import { listResources, listStartKeyNames } from '../store/resources.ts';
import { holdersSeen } from '../domain/resource.ts';

export const handler = route(routes.listInventory, async (req) => {
  const kind = req.params.kind;
  const { limit, cursor, park, status, ...rest } = req.query;
  const cfg = (await getConfig('inventory')).doc;
  const today = shanghaiDate(clock.now());
  const filter = factFilter(kind, rest as Query, previousPeriod(periodOf(kind, today, cfg)));
  const scope = { list: `inventory ${kind} ${JSON.stringify(Object.entries(req.query).filter(([k, v]) => k !== 'cursor' && k !== 'limit' && v !== undefined).sort())}`, caller: req.principal.sub };
  const position = await openCursor(scope, cursor);
  const startKey = position === undefined ? undefined : asStartKey(position, listStartKeyNames({ park, status }));
  const page = await listResources(kind, { park, status, filter }, limit ? Number(limit) : 20, startKey);
  return json(200, { items: page.items.map((r) => presentResource(r, today, cfg, undefined, holdersSeen(req.principal, r, cfg))), nextCursor: await sealCursor(scope, page.lastKey) });
}, readsKind);
