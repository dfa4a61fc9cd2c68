// PATCH /inventory/{kind}/{id} — an owner edits a record (If-Match required): facts (not its identity), retirement;
// every edit also confirms it for the current period. Audited with before and after (the record's history).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { etag, json } from '#kernel/http/route.ts';
import { parse } from '#kernel/http/validation.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { changeResource } from '../change.ts';
import { parkOf, patchResource, requireMaintainer, type ResourcePatch } from '../domain/resource.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';
import { patchSchema } from '../schemas.ts';

export const handler = writeRoute(routes.updateResource, async (req) => {
  const { kind, id } = req.params;
  const cfg = (await getConfig('inventory')).doc;
  // A caller who keeps no record of the kind is told so first (403), before anything is read. A park's center (who
  // keeps a kind only in its own park) is checked against the record's park, on the record the change reads (a
  // missing record: 404), before being asked for If-Match (428), for a valid body (400) or told its version is stale
  // (412).
  requireMaintainer(req.principal, kind, req.principal.park, cfg);
  let patch: ResourcePatch = {};
  let today = '';
  return changeResource(
    req,
    kind,
    id,
    () => (patch.status === 'retired' ? 'inventory.retired' : 'inventory.updated'),
    (current) => {
      requireMaintainer(req.principal, kind, parkOf(current), cfg);
      req.requireIfMatch();
      patch = parse(patchSchema(kind), req.body) as ResourcePatch;
      if (patch.facts === undefined && patch.status === undefined) throw new ValidationFailed('Send facts or status to change', [{ path: '', message: 'empty patch' }]);
    },
    (current, now) => {
      today = shanghaiDate(now);
      return patchResource(current, patch, req.principal, { now, today, cfg });
    },
    (next, history, historyCursor) => json(200, { ...presentResource(next, today, cfg, history), historyCursor }, etag(next.version)),
  );
});
