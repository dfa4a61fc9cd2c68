// GET /projects/{id}/matches?kind=facilities|parcels — the available records of the kind ranked against the project's
// needs: `items` holds every candidate, those that fit best first, then those that do not (`fits: false`, with why), as
// api.md states; `misfits` repeats the latter apart for earlier clients (domain/matching.ts states the scoring).
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { figures } from '#projects/domain/project.ts';
import { rankMatches } from '../domain/matching.ts';
import { staleNow, type Resource, type UnitKind } from '../domain/resource.ts';
import { getConfig } from '#reference/store/reference.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { presentMatch } from '../present.ts';
import * as routes from '../routes.ts';
import { resourcesWithStatus } from '../store/resources.ts';

export const handler = route(routes.matchResources, async (req) => {
  const project = await loadProject(req.params.id);
  assertReadsAsStaff(req.principal, project);
  const [candidates, cfg, parks] = await Promise.all([resourcesWithStatus(req.query.kind, 'available') as Promise<Resource<UnitKind>[]>, getConfig('inventory').then((c) => c.doc), getConfig('parks').then((c) => c.doc.parks)]);
  // A record not confirmed for its period says so, and ranks below a confirmed equal.
  const today = shanghaiDate(clock.now());
  // The English reasons name a park as the zone's parks configuration does in English (its Chinese name when it gives none).
  const ranked = rankMatches(project, candidates, (r) => staleNow(r, today, cfg), (name) => parks.find((x) => x.name === name)?.nameEn);
  const size = req.query.limit ? Number(req.query.limit) : 20;
  return json(200, {
    projectId: project.id,
    kind: req.query.kind,
    // Needs with every figure removed are none, as the project's page says (null).
    needs: figures(project.needs),
    items: [...ranked.items, ...ranked.misfits].slice(0, size).map(presentMatch),
    misfits: ranked.misfits.slice(0, size).map(presentMatch),
    candidates: candidates.length,
    fitting: ranked.items.length,
  });
});
