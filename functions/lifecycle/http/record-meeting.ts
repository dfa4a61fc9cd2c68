// POST /projects/{id}/gates/{stage}/meeting — the transition meeting 转段会议 record: date, attendees, decisions and
// follow-up items; each follow-up becomes a task with its owner and due date. One record per gate round, held between
// the gate's opening and today; a correction is an amendment (POST …/meeting/amendments), never a second record.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { NotFound } from '#kernel/domain/errors.ts';
import { recordMeeting } from '#lifecycle/domain/meeting.ts';
import { assertRoomForItems, followUpTasks } from '#lifecycle/domain/tasks.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { getGate, insertMeeting, insertTask, listTasks, putGate } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.recordMeeting, async (req) =>
  changeProject(req, req.params.id, 'gate.meeting', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const role = requireActsAs(req.principal, ['committee_leader', 'park_center'], project, 'Recording a transition meeting');
    const stage = req.params.stage;
    const gate = await getGate(project.id, stage);
    if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
    const meeting = recordMeeting(gate, req.body, { sub: req.principal.sub, role }, now, shanghaiDate(now));
    const [tasks, limits] = await Promise.all([listTasks(project.id), getConfig('limits')]);
    assertRoomForItems(tasks, meeting.followUps.length, limits.doc);
    const existing = tasks.filter((t) => t.stage === stage && t.kind === 'followup').length;
    const followUps = followUpTasks(project, stage, meeting, project.matrixVersion ?? 0, existing);
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    return commit(
      [
        insertMeeting(project.id, stage, meeting),
        putGate(project.id, { ...gate, meeting }),
        ...followUps.map(insertTask),
        replaceProject(next, project.version),
        auditOp(`PROJECT#${project.id}`, 'gate.meeting_recorded', req.principal, { before: { meeting: gate.meeting }, after: { meeting, followUps: followUps.map((t) => t.id) } }, now, req.requestId),
      ],
      json(201, { stage, meeting, followUpTasks: followUps.map((t) => t.id) }, etag(next.version)),
    );
  }),
);
