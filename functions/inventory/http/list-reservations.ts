// GET /projects/{id}/reservations — a project's reservations, oldest first, released ones with when, who and why.
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentReservation } from '../present.ts';
import * as routes from '../routes.ts';
import { pageReservations } from '../store/reservations.ts';
import { pageByKey } from '#kernel/http/cursor.ts';

export const handler = route(routes.listReservations, async (req) => {
  const project = await loadProject(req.params.id);
  assertReadsAsStaff(req.principal, project);
  const page = await pageByKey((limit, after) => pageReservations(project.id, limit, after), (r) => r.id, req.query, { list: `reservations ${project.id}`, caller: req.principal.sub });
  return json(200, { items: page.items.map(presentReservation), nextCursor: page.nextCursor }, etag(project.version));
});
