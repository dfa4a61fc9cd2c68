// GET /projects/{id} — one project with its current gate 转段 (approvals so far) and task summary; staff, or the
// investing enterprise itself (its own view: no internal records).
import { assertCanRead } from '#domain/principal.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { getGate, listApprovals } from '#adapters/dynamodb/tasks.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { presentGate, presentProject, presentProjectToEnterprise } from '#http/present.ts';
import { seesEnterpriseView } from '#http/present-task.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route({ auth: 'any', params: ProjectIdParams }, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  if (seesEnterpriseView(req.principal)) {
    return json(200, presentProjectToEnterprise(project, await getGate(project.id, project.stage)), etag(project.version));
  }
  const [gate, approvals] = await Promise.all([getGate(project.id, project.stage), listApprovals(project.id, project.stage)]);
  return json(200, { ...presentProject(project), gate: gate ? presentGate(gate, approvals) : null }, etag(project.version));
});
