// GET /projects/{id}/timeline — the project's audit events, oldest first: the whole record for staff and the
// discipline office; for the investing enterprise, its project's milestones only (http/present-audit.ts). Pages of the
// enterprise view read a bounded number of events (a page may come back short before the end; nextCursor says more).
import { assertCanRead } from '#kernel/domain/principal.ts';
import { AUDIT_KEY_NAMES, listAudit } from '#kernel/store/audit.ts';
import { loadProject } from '#projects/store/projects.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { presentEventToEnterprise } from '#projects/present-timeline.ts';
import { seesEnterpriseView } from '#kernel/domain/principal.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';

/** Reads of one enterprise page: at most this many batches of events. */
const ENTERPRISE_BATCHES = 3;

export const handler = route(routes.getTimeline, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const subject = `PROJECT#${project.id}`;
  const limit = req.query.limit ? Number(req.query.limit) : 20;
  const enterprise = seesEnterpriseView(req.principal, project);
  const scope = { list: `timeline ${project.id}${enterprise ? ' enterprise' : ''}`, caller: req.principal.sub };
  const position = await openCursor(scope, req.query.cursor);
  let startKey = position === undefined ? undefined : asStartKey(position, AUDIT_KEY_NAMES);
  if (!enterprise) {
    const page = await listAudit(subject, limit, startKey);
    return json(200, { items: page.items, nextCursor: await sealCursor(scope, page.lastKey) });
  }
  const items: NonNullable<ReturnType<typeof presentEventToEnterprise>>[] = [];
  for (let batch = 0; batch < ENTERPRISE_BATCHES; batch++) {
    const page = await listAudit(subject, 100, startKey);
    for (const event of page.items) {
      const shown = presentEventToEnterprise(event);
      if (!shown) continue;
      items.push(shown);
      if (items.length === limit) {
        const rest = page.items.slice(page.items.indexOf(event) + 1);
        const more = rest.length > 0 || page.lastKey !== undefined;
        return json(200, { items, nextCursor: more ? await sealCursor(scope, { subject, seq: `${event.at}#${event.id}` }) : null });
      }
    }
    startKey = page.lastKey;
    if (!startKey) break;
  }
  return json(200, { items, nextCursor: await sealCursor(scope, startKey) });
});
