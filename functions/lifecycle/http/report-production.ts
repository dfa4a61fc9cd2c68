// POST /projects/{id}/production — quarterly production figures 达产达效 in OPERATION; when they meet the contract
// targets (configurable share) the 达产 gate opens for its approvers.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { quarterOf, targetsMet, type Project } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { presentProjectFor } from '#projects/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.reportProduction, async (req) =>
  changeProject(req, req.params.id, 'production.reported', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    requireActsAs(req.principal, ['enterprise', 'park_center'], project, 'Reporting production figures');
    if (project.stage !== 'OPERATION' || project.status !== 'ACTIVE') throw new Conflict(`Production is reported in OPERATION; project ${project.id} is in ${project.stage}`);
    const { quarter, ...figures } = req.body;
    const current = quarterOf(shanghaiDate(now));
    if (quarter > current) throw new ValidationFailed('Figures are reported for a quarter that has begun', [{ path: 'quarter', message: `must not be after ${current}` }]);
    const next: Project = { ...project, production: { ...project.production, [quarter]: figures }, version: project.version + 1, updatedAt: now.toISOString() };
    const share = (await getConfig('recurring')).doc.producingTargetShare;
    return commit(
      [replaceProject(next, project.version), auditOp(`PROJECT#${project.id}`, 'production.reported', req.principal, { before: { [quarter]: project.production?.[quarter] ?? null }, after: { [quarter]: figures } }, now, req.requestId)],
      json(200, { ...presentProjectFor(req.principal, next), targetsMet: targetsMet(next, share) }, etag(next.version)),
    );
  }),
);
