// POST /projects/{id}/gates/{stage}/meeting/amendments — corrects the recorded transition meeting 转段会议 of the gate's
// current round (date, attendees, decisions; further follow-ups): the amendment is a record of its own with the before
// and after of each change, and the timeline shows them. The committee leader amends any record; a park center only
// one a park center recorded.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { NotFound } from '#kernel/domain/errors.ts';
import { amendMeeting } from '#lifecycle/domain/meeting.ts';
import { assertRoomForItems, followUpTasks } from '#lifecycle/domain/tasks.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { amendedMeeting, getGate, insertMeetingAmendment, insertTask, listTasks, putGate } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.amendMeeting, async (req) =>
  changeProject(req, req.params.id, 'gate.meeting', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    requireActsAs(req.principal, ['committee_leader', 'park_center'], project, 'Amending a transition meeting');
    const stage = req.params.stage;
    const gate = await getGate(project.id, stage);
    if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
    const { meeting, amendment, added, role } = amendMeeting(gate, req.body, req.principal, now, shanghaiDate(now));
    const [tasks, limits] = await Promise.all([listTasks(project.id), getConfig('limits')]);
    assertRoomForItems(tasks, added.length, limits.doc);
    const existing = tasks.filter((t) => t.stage === stage && t.kind === 'followup').length;
    const followUps = followUpTasks(project, stage, { ...meeting, followUps: added }, project.matrixVersion ?? 0, existing);
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    const side = (which: 'before' | 'after') => Object.fromEntries(Object.entries(amendment.changes).map(([k, v]) => [k, v[which]]));
    return commit(
      [
        insertMeetingAmendment(project.id, stage, amendment),
        amendedMeeting(project.id, stage, meeting),
        putGate(project.id, { ...gate, meeting }),
        ...followUps.map(insertTask),
        replaceProject(next, project.version),
        auditOp(`PROJECT#${project.id}`, 'gate.meeting_amended', req.principal, { before: side('before'), after: { ...side('after'), reason: amendment.reason, role, amendment: amendment.number, followUpTasks: followUps.map((t) => t.id) } }, now, req.requestId),
      ],
      json(201, { stage, meeting, amendment, followUpTasks: followUps.map((t) => t.id) }, etag(next.version)),
    );
  }),
);
