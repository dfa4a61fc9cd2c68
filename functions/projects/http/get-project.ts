// GET /projects/{id} — one project with its current gate 转段 (approvals so far) and task summary; staff, or the
// investing enterprise itself (its own view: no internal records).
import { assertCanRead } from '#kernel/domain/principal.ts';
import { loadProject } from '#projects/store/projects.ts';
import { getGate, listApprovals } from '#lifecycle/store/tasks.ts';
import { presentGate, presentProject, presentProjectToEnterprise } from '#projects/present.ts';
import { seesEnterpriseView } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';

export const handler = route(routes.getProject, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  if (seesEnterpriseView(req.principal)) {
    return json(200, presentProjectToEnterprise(project, await getGate(project.id, project.stage)), etag(project.version));
  }
  const [gate, approvals] = await Promise.all([getGate(project.id, project.stage), listApprovals(project.id, project.stage)]);
  return json(200, { ...presentProject(project), gate: gate ? presentGate(gate, approvals) : null }, etag(project.version));
});
