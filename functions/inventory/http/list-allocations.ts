// GET /projects/{id}/fund-allocations — a project's pre-work fund allocations with their spending, released ones too.
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { pageAllocations } from '../store/allocations.ts';
import { pageByKey } from '#kernel/http/cursor.ts';

export const handler = route(routes.listAllocations, async (req) => {
  const project = await loadProject(req.params.id);
  assertReadsAsStaff(req.principal, project);
  const page = await pageByKey((limit, after) => pageAllocations(project.id, limit, after), (a) => a.id, req.query, { list: `fund-allocations ${project.id}`, caller: req.principal.sub });
  return json(200, { items: page.items.map(presentAllocation), nextCursor: page.nextCursor }, etag(project.version));
});
