// POST /inventory/{kind} — an owner adds a record (a parcel, a facility, a year's quota, a park's utility capacity):
// validated against its kind and, when it has a park, against the zone's parks (400 on park), unique by its code or
// natural key (409), audited as the first event of its history.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict } from '#kernel/domain/errors.ts';
import { etag, json } from '#kernel/http/route.ts';
import { parse } from '#kernel/http/validation.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { newId } from '#kernel/runtime/ids.ts';
import { requireConfiguredPark } from '#reference/domain/parks.ts';
import { getConfig } from '#reference/store/reference.ts';
import { parkNamedOp, withParks } from '#reference/store/park-names.ts';
import { keepsKind } from '../acting.ts';
import { namedResource } from '../change.ts';
import { createResource, ID_PREFIX, naturalKey, parkOf, resourceLabel, type AnyFacts } from '../domain/resource.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';
import { factsSchema } from '../schemas.ts';
import { insertResource } from '../store/resources.ts';

const KEY_FIELD = { parcels: 'code', facilities: 'code', energy: 'year', environment: 'pollutant', utilities: 'utility' } as const;

export const handler = writeRoute(routes.createResource, async (req) => {
  const kind = req.params.kind;
  const facts = parse(factsSchema(kind), req.body) as AnyFacts;
  const park = parkOf({ kind, facts });
  // Both kept by a warm function (reference.ts), read side by side: no round trip more than the inventory's.
  const [cfg, parks] = await Promise.all([getConfig('inventory').then((c) => c.doc), park === undefined ? undefined : getConfig('parks')]);
  const now = clock.now();
  const today = shanghaiDate(now);
  const record = createResource(kind, facts, req.principal, { id: newId(ID_PREFIX[kind], now), now, today, cfg });
  const key = naturalKey(kind, facts);
  const duplicate = () => new Conflict(`The ${kind} inventory already has ${key.replace('#', ' ')}: edit that record instead`, [{ path: KEY_FIELD[kind], code: 'duplicate', message: 'already in the inventory' }]);
  const created = { before: {}, after: { ...record } };
  // Its history starts with this event (GET /inventory/{kind}/{id} pages the rest).
  const history = [{ at: now.toISOString(), action: 'inventory.created', actor: req.principal.sub, actorName: req.principal.name, ...created }];
  const writes = [...insertResource(record, duplicate), auditOp(namedResource(record), 'inventory.created', req.principal, created, now, req.requestId)];
  const response = json(201, { ...presentResource(record, today, cfg, history), historyCursor: null }, { ...etag(record.version), location: `/inventory/${kind}/${record.id}` });
  if (park === undefined || parks === undefined) return req.commit(writes, response);
  // Who may add it first (403: a park's center only in its own park), then whether the park is one of the zone's — the
  // list still in force when the record is stored (park-names.ts).
  return withParks(async (list) => {
    requireConfiguredPark(list.doc, park, 'park');
    return req.commit([...writes, parkNamedOp(park, `${kind} ${resourceLabel(record)}`)], response);
  }, parks);
}, keepsKind);
