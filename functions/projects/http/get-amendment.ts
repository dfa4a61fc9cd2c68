// GET /projects/{id}/amendments/{amendmentId} — one contract amendment 合同变更 of a project, as its POST answered it (a
// new amendment's Location). Read by whoever may read the list (staff of the project); 404 for an id the project does
// not have.
import { NotFound } from '#kernel/domain/errors.ts';
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';
import { getContractAmendment, loadProject } from '#projects/store/projects.ts';

export const handler = route(routes.getAmendment, async (req) => {
  // One round trip: the record is read beside the project and shown only once the project may be read.
  const [project, amendment] = await Promise.all([loadProject(req.params.id), getContractAmendment(req.params.id, req.params.amendmentId)]);
  assertReadsAsStaff(req.principal, project);
  if (!amendment) throw new NotFound(`Project ${project.id} has no contract amendment ${req.params.amendmentId}`);
  // The project's ETag, as the project's other records answer it: an amendment sent with If-Match is a change of the project.
  return json(200, amendment, etag(project.version));
});
