// PATCH /inventory/{kind}/{id} — an owner edits a record (If-Match required): facts (not its identity), retirement;
// every edit also confirms it for the current period. Audited with before and after (the record's history). A parcel's
// or facility's park is corrected while no project holds it (to one of the zone's parks, by who keeps both); a retired
// record comes back only in one of the zone's parks.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { sameValue } from '#kernel/domain/values.ts';
import { etag, json } from '#kernel/http/route.ts';
import { parse } from '#kernel/http/validation.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { requireConfiguredPark, requireParkToReturn } from '#reference/domain/parks.ts';
import { getConfig, type ConfigVersion } from '#reference/store/reference.ts';
import { parkNamedOp, withParks } from '#reference/store/park-names.ts';
import { keepsKind } from '../acting.ts';
import { changeResource } from '../change.ts';
import { holdersSeen, isParkKind, parkOf, patchResource, requireMaintainer, resourceLabel, type ResourcePatch } from '../domain/resource.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';
import { patchSchema } from '../schemas.ts';

export const handler = writeRoute(routes.updateResource, async (req) => {
  const { kind, id } = req.params;
  // Both kept by a warm function (reference.ts), read side by side; the parks only for a kind whose records have one.
  const [cfg, kept] = await Promise.all([getConfig('inventory').then((c) => c.doc), isParkKind(kind) ? getConfig('parks') : undefined]);
  // A caller who keeps no record of the kind was told so first (403: keepsKind, before the body is read). A park's
  // center (who keeps a kind only in its own park) is checked against the record's park, on the record the change
  // reads (a missing record: 404), before being asked for If-Match (428), for a valid body (400) or told its version
  // is stale (412); an edit that would change nothing is told so only on the version it pinned.
  let patch: ResourcePatch = {};
  let today = '';
  // A record moved to a park, or brought back in its park, names that park (decided below): checked against the list
  // still in force when the change is stored (park-names.ts).
  let named: string | undefined;
  const change = (list: ConfigVersion<'parks'> | undefined) => changeResource(
    req,
    kind,
    id,
    () => (patch.status === 'retired' ? 'inventory.retired' : 'inventory.updated'),
    (current) => {
      requireMaintainer(req.principal, kind, parkOf(current), cfg, 'path.id');
      req.requireIfMatch();
      patch = parse(patchSchema(kind), req.body) as ResourcePatch;
      if (patch.facts === undefined && patch.status === undefined) throw new ValidationFailed('Send facts or status to change', [{ path: '', code: 'empty', message: 'empty patch' }]);
      // An edit that names no fact would be a confirmation recorded as an edit: that is POST …/confirm.
      if (patch.facts !== undefined && Object.keys(patch.facts).length === 0 && patch.status === undefined) {
        throw new ValidationFailed(`facts names no fact to change (a record unchanged is confirmed with POST /inventory/${kind}/${id}/confirm)`, [{ path: 'facts', code: 'empty', message: 'names no fact to change' }]);
      }
    },
    (current, now) => {
      // So would one whose every value is the record's already: nothing would change but its confirmation. Judged on
      // the version the caller pinned (after If-Match is checked): against a record changed since, the answer is 412.
      const stated = current.facts as unknown as Record<string, unknown>;
      const factsSame = patch.facts === undefined || Object.entries(patch.facts).every(([k, v]) => sameValue(v, stated[k]));
      const statusSame = patch.status === undefined || patch.status === current.status;
      if (factsSame && statusSame) {
        const path = patch.facts !== undefined ? 'facts' : 'status';
        throw new ValidationFailed(`${path} changes nothing: every value is the record's already (a record unchanged is confirmed with POST /inventory/${kind}/${id}/confirm)`, [{ path, code: 'empty', message: 'equals the record' }]);
      }
      today = shanghaiDate(now);
      const next = patchResource(current, patch, req.principal, { now, today, cfg });
      // A record keeps its park (an edit of one in a park no longer listed goes through), but a retired one comes back
      // only while its park is one of the zone's.
      const park = parkOf(next);
      const moved = park !== undefined && park !== parkOf(current);
      const back = park !== undefined && current.status === 'retired' && next.status === 'available';
      if (list && moved) requireConfiguredPark(list.doc, park, 'facts.park');
      if (list && back) requireParkToReturn(list.doc, park, 'status');
      named = moved || back ? park : undefined;
      return next;
    },
    (next, history, historyCursor) => json(200, { ...presentResource(next, today, cfg, history, holdersSeen(req.principal, next, cfg)), historyCursor }, etag(next.version)),
    (_current, next) => (list && named !== undefined ? [parkNamedOp(named, `${kind} ${resourceLabel(next)}`)] : []),
  );
  return kept ? withParks(change, kept) : change(undefined);
}, keepsKind);
