// POST /projects/{id}/gates/{stage}/meeting/amendments — corrects a recorded transition meeting 转段会议 (date,
// attendees, decisions; further follow-ups): the amended record keeps every earlier value in its amendments, and the
// timeline shows before and after. The committee leader amends any record; a park center only one it recorded.
import { shanghaiDate } from '#domain/calendar.ts';
import { NotFound } from '#domain/errors.ts';
import { amendMeeting } from '#domain/meeting.ts';
import { assertRoomForItems, followUpTasks } from '#domain/tasks.ts';
import { auditOp } from '#adapters/dynamodb/audit.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { getConfig } from '#adapters/dynamodb/reference.ts';
import { amendedMeeting, getGate, insertTask, listTasks, putGate } from '#adapters/dynamodb/tasks.ts';
import { clock } from '#adapters/clock.ts';
import { requireActsAs } from '#http/acting.ts';
import { changeProject, loadForChange } from '#http/project-change.ts';
import { MeetingAmendmentBody } from '#http/schemas/lifecycle.ts';
import { GateParams } from '#http/schemas/params.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route({ auth: ['committee_leader', 'park_center'], params: GateParams, body: MeetingAmendmentBody, idempotent: true }, async (req) =>
  changeProject(req, req.params.id, 'gate.meeting', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    requireActsAs(req.principal, ['committee_leader', 'park_center'], project, 'Amending a transition meeting');
    const stage = req.params.stage;
    const gate = await getGate(project.id, stage);
    if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
    const { meeting, added, role } = amendMeeting(gate, req.body, req.principal, now, shanghaiDate(now));
    const [tasks, limits] = await Promise.all([listTasks(project.id), getConfig('limits')]);
    assertRoomForItems(tasks, added.length, limits.doc);
    const existing = tasks.filter((t) => t.stage === stage && t.kind === 'followup').length;
    const followUps = followUpTasks(project, stage, { ...meeting, followUps: added }, project.matrixVersion ?? 0, existing);
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    const amendment = meeting.amendments!.at(-1)!;
    return commit(
      [
        amendedMeeting(project.id, stage, meeting),
        putGate(project.id, { ...gate, meeting }),
        ...followUps.map(insertTask),
        replaceProject(next, project.version),
        auditOp(
          `PROJECT#${project.id}`,
          'gate.meeting_amended',
          req.principal,
          {
            before: Object.fromEntries(Object.entries(amendment.changes).map(([k, v]) => [k, v.before])),
            after: { ...Object.fromEntries(Object.entries(amendment.changes).map(([k, v]) => [k, v.after])), reason: amendment.reason, role, followUpTasks: followUps.map((t) => t.id) },
          },
          now,
          req.requestId,
        ),
      ],
      json(201, { stage, meeting, amendment, followUpTasks: followUps.map((t) => t.id) }, etag(next.version)),
    );
  }),
);
