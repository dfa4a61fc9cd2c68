// GET /projects/{id}/progress — the construction progress reports 建设进度 so far, newest first: the project holds the
// last one only; each report is the `progress.reported` event its POST recorded. Whoever reads the project reads them;
// the investing enterprise is not told which official sent a report.
import { assertCanRead, seesEnterpriseView } from '#kernel/domain/principal.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { json, route } from '#kernel/http/route.ts';
import { AUDIT_KEY_NAMES, listAuditOfAction, type AuditEvent } from '#kernel/store/audit.ts';
import type { Progress } from '#projects/domain/project.ts';
import { loadProject } from '#projects/store/projects.ts';
import * as routes from '../routes.ts';

export const handler = route(routes.listProgress, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const enterprise = seesEnterpriseView(req.principal, project);
  const scope = { list: `progress ${project.id}`, caller: req.principal.sub };
  const position = await openCursor(scope, req.query.cursor);
  const page = await listAuditOfAction(`PROJECT#${project.id}`, 'progress.reported', req.query.limit ? Number(req.query.limit) : 20, position === undefined ? undefined : asStartKey(position, AUDIT_KEY_NAMES));
  return json(200, { items: page.items.flatMap((e) => presentReport(e, enterprise)), nextCursor: await sealCursor(scope, page.lastKey) });
});

/** A report as its event recorded it (the project's `progress` after the change); an event without one is left out. */
function presentReport(e: AuditEvent, enterprise: boolean) {
  const p = e.after.progress as Progress | null | undefined;
  if (!p || typeof p !== 'object') return [];
  return [
    {
      constructionPct: p.constructionPct,
      equipmentPct: p.equipmentPct,
      ...(p.note !== undefined ? { note: p.note } : {}),
      reportedOn: p.reportedOn,
      reportedAt: e.at,
      ...(enterprise ? {} : { reportedBy: { name: e.actorName, roles: [...e.roles] } }),
    },
  ];
}
