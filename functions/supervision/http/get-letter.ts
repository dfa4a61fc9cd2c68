// GET /letters/{id} — one letter for its addressee and the staff who read its project; `Accept: text/html` gives the
// printable A4 page. Others get 404 (a letter's existence does not leak). Either carries the project's ETag, the
// If-Match its acknowledgement takes.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { NotFound } from '#kernel/domain/errors.ts';
import { readsAsStaff } from '#kernel/domain/principal.ts';
import { negotiate } from '#kernel/http/negotiate.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { loadProject } from '#projects/store/projects.ts';
import { mayRead } from '../domain/letter.ts';
import { letterPage, presentLetter } from '../present.ts';
import * as routes from '../routes.ts';
import { getLetter, letterProject } from '../store/letters.ts';

export const handler = route(routes.getLetter, async (req) => {
  const projectId = await letterProject(req.params.id);
  const letter = projectId ? await getLetter(projectId, req.params.id) : undefined;
  if (!letter) throw new NotFound(`No letter ${req.params.id}`);
  const project = await loadProject(letter.projectId);
  if (!mayRead(req.principal, letter, readsAsStaff(req.principal, project))) throw new NotFound(`No letter ${req.params.id}`);
  const today = shanghaiDate(clock.now());
  if (negotiate(req.event.headers?.accept, ['application/json', 'text/html']) === 'text/html') {
    return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", ...etag(project.version) }, body: letterPage(letter, today) };
  }
  // The project's ETag (a letter has no version of its own): its answer sent with If-Match is a change of the project.
  return json(200, presentLetter(letter, today), etag(project.version));
});
