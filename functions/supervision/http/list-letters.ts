// GET /projects/{id}/letters — a project's formal letters, oldest first, with their status (sent, acknowledged, overdue);
// an enterprise sees the letters addressed to it. Paged like every list (`limit`, `cursor`).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { assertCanRead, seesEnterpriseView } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { loadProject } from '#projects/store/projects.ts';
import { isAddressee, type Letter } from '../domain/letter.ts';
import { presentLetter } from '../present.ts';
import * as routes from '../routes.ts';
import { pageLetters } from '../store/letters.ts';
import { pageByKey } from '#kernel/http/cursor.ts';

export const handler = route(routes.listLetters, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const today = shanghaiDate(clock.now());
  // A page read by key, not the project's letters; an enterprise's holds the letters addressed to it.
  const keep = seesEnterpriseView(req.principal, project) ? (l: Letter) => isAddressee(req.principal, l.to) : undefined;
  const page = await pageByKey((limit, after) => pageLetters(project.id, limit, after, keep), (l) => l.id, req.query, { list: `letters ${project.id}`, caller: req.principal.sub });
  // The project's ETag: a letter's answer sent with If-Match is a change of the project (its version).
  return json(200, { items: page.items.map((l) => presentLetter(l, today)), nextCursor: page.nextCursor }, etag(project.version));
});
