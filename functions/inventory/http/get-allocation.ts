// GET /projects/{id}/fund-allocations/{aid} — one fund allocation of a project with its spending, released or held (a
// new allocation's Location). Read by whoever may read the project; 404 for an id the project does not have.
import { NotFound } from '#kernel/domain/errors.ts';
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { getAllocation } from '../store/allocations.ts';

export const handler = route(routes.getAllocation, async (req) => {
  // One round trip: the record is read beside the project and shown only once the project may be read.
  const [project, allocation] = await Promise.all([loadProject(req.params.id), getAllocation(req.params.id, req.params.aid)]);
  assertReadsAsStaff(req.principal, project);
  if (!allocation) throw new NotFound(`Project ${project.id} has no fund allocation ${req.params.aid}`);
  // The project's ETag: a release or spending sent with If-Match is a change of the project (its version).
  return json(200, presentAllocation(allocation), etag(project.version));
});
