// POST /projects/{id}/extension — the committee leader grants an extension 延期 with its reason: the escalation
// ladder goes back to level 0 and climbs again only if the work is still overdue after the new date. On the timeline;
// the lifecycle re-evaluates (its next wake moves to the new date).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { extend, movedCompletion } from '../domain/escalation.ts';
import { assertNotExiting } from '../domain/exit.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.grantExtension, async (req) =>
  changeProject(
    req,
    req.params.id,
    (project, now) => {
      assertNotExiting(project, 'No extension');
      const { state, event } = extend({ state: project.escalation, by: req.principal, newDueDate: req.body.newDueDate, reason: req.body.reason, today: shanghaiDate(now), projectStatus: project.status });
      return { project: { ...project, escalation: state, plannedCompletion: movedCompletion(project, req.body.newDueDate) }, action: 'escalation.extended', audit: { after: event.after }, notices: project.escalation.level > 0 ? [{ kind: 'escalation.reset', project, from: project.escalation.level, reason: `管委会批准延期至 ${req.body.newDueDate}：${req.body.reason}` }] : [] };
    },
    (next) => json(200, presentProject(next), etag(next.version)),
  ),
);
