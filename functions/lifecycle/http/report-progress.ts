// POST /projects/{id}/progress — a construction progress report 建设推进 (construction % and equipment-installation %):
// it holds the current progress meeting, schedules the next one, and clears a stalled 施工停滞 flag.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { Conflict } from '#kernel/domain/errors.ts';
import { type Project } from '#projects/domain/project.ts';
import { isDone, schedule, type Task } from '#lifecycle/domain/tasks.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { insertTask, listTasks, putTask } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { presentProjectFor } from '#projects/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.reportProgress, async (req) =>
  changeProject(req, req.params.id, 'progress.reported', async (commit) => {
    const now = clock.now();
    const today = shanghaiDate(now);
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const role = requireActsAs(req.principal, ['enterprise', 'park_center'], project, 'Reporting progress');
    if (project.stage !== 'CONSTRUCTION' || project.status !== 'ACTIVE') throw new Conflict(`Progress is reported in CONSTRUCTION; project ${project.id} is in ${project.stage}`);
    const [tasks, lights, calendar] = await Promise.all([listTasks(project.id), getConfig('lights'), loadCalendar()]);
    const meetings = tasks.filter((t) => t.kind === 'recurring' && t.stage === 'CONSTRUCTION');
    const current = meetings.find((t) => !isDone(t));
    const ops = [];
    if (current) {
      ops.push(putTask({ ...current, status: 'done', light: 'green', completion: { by: req.principal.sub, role, at: now.toISOString(), note: req.body.note, documents: [], deficiencies: [] } }));
      // The next meeting of the series 建设推进会, every recurringEveryWd working days of the matrix.
      const nextMeeting: Task = {
        ...current,
        id: `CONSTRUCTION.${current.code}-${meetings.length + 1}`,
        status: 'open',
        startedDate: today,
        ...schedule(today, current.limitWd, lights.doc.yellowBeforeWd, calendar),
        light: 'green',
        completion: undefined,
      };
      ops.push(insertTask(nextMeeting));
    }
    const next: Project = { ...project, progress: { ...req.body, reportedOn: today }, stalled: false, version: project.version + 1, updatedAt: now.toISOString() };
    return commit(
      [...ops, replaceProject(next, project.version), auditOp(`PROJECT#${project.id}`, 'progress.reported', req.principal, { before: { progress: project.progress ?? null }, after: { progress: next.progress } }, now, req.requestId)],
      json(200, presentProjectFor(req.principal, next), etag(next.version)),
    );
  }),
);
