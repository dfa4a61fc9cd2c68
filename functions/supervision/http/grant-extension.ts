// POST /projects/{id}/extension — the committee leader grants an extension 延期 with its reason: the escalation
// ladder goes back to level 0 and climbs again only if the work is still overdue after the new date. On the timeline;
// the lifecycle re-evaluates (its next wake moves to the new date).
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { extensionChange } from '../extension.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.grantExtension, async (req) =>
  changeProject(
    req,
    req.params.id,
    (project, now) => extensionChange(project, req.principal, req.body, now, 'escalation.extended'),
    async (next, _change, shown) => json(200, presentProject(await shown()), etag(next.version)),
  ),
);
