// GET /projects/{id}/fund-allocations — a project's pre-work fund allocations with their spending, released ones too.
import { assertCanRead } from '#kernel/domain/principal.ts';
import { json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { listAllocations } from '../store/allocations.ts';

export const handler = route(routes.listAllocations, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  return json(200, { items: (await listAllocations(project.id)).map(presentAllocation) });
});
