// GET /projects/{id}/timeline — the project's audit events, oldest first (staff and the discipline office).
import { STAFF_ROLES } from '#domain/codes.ts';
import { assertCanRead } from '#domain/principal.ts';
import { listAudit } from '#adapters/dynamodb/audit.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { PageQuery } from '#http/schemas/common.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { json, route } from '#http/route.ts';

export const handler = route({ auth: STAFF_ROLES, params: ProjectIdParams, query: PageQuery }, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const page = await listAudit(`PROJECT#${project.id}`, req.query.limit ? Number(req.query.limit) : 20, req.query.cursor);
  return json(200, page);
});
