// GET /projects/{id} — one project; staff, or the investing enterprise itself.
import { assertCanRead } from '#domain/principal.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { ProjectIdParams } from '#http/schemas/project.ts';
import { presentProject } from '#http/present.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route({ auth: 'any', params: ProjectIdParams }, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  return json(200, presentProject(project), etag(project.version));
});
