// GET /projects/{id}/reservations/{rid} — one reservation of a project, released or held (a new reservation's
// Location). Read by whoever may read the project; 404 for an id the project does not have.
import { NotFound } from '#kernel/domain/errors.ts';
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentReservation } from '../present.ts';
import * as routes from '../routes.ts';
import { getReservation } from '../store/reservations.ts';

export const handler = route(routes.getReservation, async (req) => {
  // One round trip: the record is read beside the project and shown only once the project may be read.
  const [project, reservation] = await Promise.all([loadProject(req.params.id), getReservation(req.params.id, req.params.rid)]);
  assertReadsAsStaff(req.principal, project);
  if (!reservation) throw new NotFound(`Project ${project.id} has no reservation ${req.params.rid}`);
  // The project's ETag: a release or spending sent with If-Match is a change of the project (its version).
  return json(200, presentReservation(reservation), etag(project.version));
});
