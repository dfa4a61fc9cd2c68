// GET /projects/{id} — one project with its current gate 转段 (approvals so far) and task summary; staff, or the
// investing enterprise itself (its own view: no internal records).
import { assertCanRead } from '#kernel/domain/principal.ts';
import { loadProject } from '#projects/store/projects.ts';
import { getGate, listApprovals } from '#lifecycle/store/tasks.ts';
import { presentGate, presentProject, presentProjectToEnterprise } from '#projects/present.ts';
import { seesEnterpriseView } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';
import { gateNeeds } from '#inventory/domain/reservation.ts';
import { getConfig } from '#reference/store/reference.ts';

export const handler = route(routes.getProject, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  if (seesEnterpriseView(req.principal)) {
    return json(200, presentProjectToEnterprise(project, await getGate(project.id, project.stage)), etag(project.version));
  }
  const [gate, approvals, inventory] = await Promise.all([getGate(project.id, project.stage), listApprovals(project.id, project.stage), getConfig('inventory')]);
  // What the gate still needs of the inventory (a parcel for 摘地, a facility for 租赁): approvers see it before deciding.
  const needs = gateNeeds(project, project.stage, inventory.doc).map((n) => ({ kind: n.kind, message: n.message }));
  return json(200, { ...presentProject(project), gate: gate ? { ...presentGate(gate, approvals), needs } : null }, etag(project.version));
});
