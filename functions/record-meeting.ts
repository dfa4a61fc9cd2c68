// POST /projects/{id}/gates/{stage}/meeting — the transition meeting 转段会议 record: date, attendees, decisions and
// follow-up items; each follow-up becomes a task with its owner and due date.
import { Conflict, NotFound, ValidationFailed } from '#domain/errors.ts';
import { followUpTasks, type Meeting } from '#domain/tasks.ts';
import { auditOp } from '#adapters/dynamodb/audit.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { getGate, insertTask, listTasks, putGate } from '#adapters/dynamodb/tasks.ts';
import { clock } from '#adapters/clock.ts';
import { requireActsAs } from '#http/acting.ts';
import { changeProject, loadForChange } from '#http/project-change.ts';
import { MeetingBody } from '#http/schemas/lifecycle.ts';
import { GateParams } from '#http/schemas/params.ts';
import { etag, json, route } from '#http/route.ts';
import { shanghaiDate } from '#domain/calendar.ts';

export const handler = route({ auth: ['committee_leader', 'park_center'], params: GateParams, body: MeetingBody, idempotent: true }, async (req) =>
  changeProject(req, req.params.id, 'gate.meeting', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    requireActsAs(req.principal, ['committee_leader', 'park_center'], project, 'Recording a transition meeting');
    const stage = req.params.stage;
    const gate = await getGate(project.id, stage);
    if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
    if (gate.passedAt) throw new Conflict(`The ${gate.name.zh} gate was passed already`);
    const today = shanghaiDate(now);
    if (req.body.heldOn > today) throw new ValidationFailed('A meeting is recorded after it is held', [{ path: 'heldOn', message: `must not be after ${today}` }]);
    req.body.followUps.forEach((f, i) => {
      if (f.dueDate < req.body.heldOn) throw new ValidationFailed('A follow-up is due after the meeting', [{ path: `followUps[${i}].dueDate`, message: 'must not be before heldOn' }]);
    });
    const meeting: Meeting = { ...req.body, recordedBy: req.principal.sub, recordedAt: now.toISOString() };
    const existing = (await listTasks(project.id)).filter((t) => t.stage === stage && t.kind === 'followup').length;
    const followUps = followUpTasks(project, stage, meeting, project.matrixVersion ?? 0, existing);
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    return commit(
      [
        putGate(project.id, { ...gate, meeting }),
        ...followUps.map(insertTask),
        replaceProject(next, project.version),
        auditOp(`PROJECT#${project.id}`, 'gate.meeting_recorded', req.principal, { before: { meeting: gate.meeting }, after: { meeting, followUps: followUps.map((t) => t.id) } }, now, req.requestId),
      ],
      json(201, { stage, meeting, followUpTasks: followUps.map((t) => t.id) }, etag(next.version)),
    );
  }),
);
