// POST /projects/{id}/gates/{stage}/approvals — parallel approval 并联审批 of a stage gate 转段: each named approver
// decides once per round, in any order; a rejection (with its reason) reopens the tasks it names and starts a new round.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { Conflict, NotFound, ValidationFailed } from '#kernel/domain/errors.ts';
import { schedule, type GateApproval, type Task } from '#lifecycle/domain/tasks.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { getGate, insertApproval, listApprovals, listTasks, putGate, putTask } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { actsAs, requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.decideGate, async (req) => {
  const { decision, comment, reopenTasks = [] } = req.body;
  if (decision === 'reject' && !comment) throw new ValidationFailed('A rejection needs its reason', [{ path: 'comment', message: 'is required when rejecting' }]);
  if (decision === 'approve' && reopenTasks.length) throw new ValidationFailed('Only a rejection reopens tasks', [{ path: 'reopenTasks', message: 'only with decision reject' }]);
  return changeProject(req, req.params.id, 'gate.decided', async (commit) => {
    const now = clock.now();
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const stage = req.params.stage;
    const gate = await getGate(project.id, stage);
    if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
    if (gate.passedAt) throw new Conflict(`The ${gate.name.zh} gate was passed already`);
    if (project.stage !== stage || project.status !== 'ACTIVE') throw new Conflict(`Project ${project.id} is not at the ${stage} gate`);
    if (!gate.open) throw new Conflict(`The ${gate.name.zh} gate is not open: the stage's required tasks are not done`);
    const approvals = await listApprovals(project.id, stage);
    const decided = new Set(approvals.filter((a) => a.round === gate.round).map((a) => a.role));
    const mine = gate.requiredApprovals.filter((r) => actsAs(req.principal, r, project));
    if (mine.length === 0) requireActsAs(req.principal, gate.requiredApprovals, project, `Deciding the ${gate.name.zh} gate`);
    const role = mine.find((r) => !decided.has(r));
    if (!role) throw new Conflict(`${mine.join(', ')} already decided on this gate (round ${gate.round})`);

    const approval: GateApproval = { role, by: req.principal.sub, decision, comment, at: now.toISOString(), round: gate.round };
    const ops = [insertApproval(project.id, stage, approval)];
    let reopened: Task[] = [];
    if (decision === 'reject') {
      const tasks = await listTasks(project.id);
      const today = shanghaiDate(now);
      const [calendar, lights] = await Promise.all([loadCalendar(), getConfig('lights')]);
      reopened = reopenTasks.map((id, i) => {
        const t = tasks.find((x) => x.id === id && x.stage === stage);
        if (!t || reopenTasks.indexOf(id) !== i) throw new ValidationFailed(`No ${stage} task ${id} to reopen`, [{ path: `reopenTasks[${i}]`, message: t ? 'listed twice' : 'not a task of this stage' }]);
        // Only completed matrix tasks are redone: an open task keeps its clock (and its overdue record).
        if (t.kind !== 'matrix' || t.status === 'open') throw new ValidationFailed(`${id} cannot be reopened`, [{ path: `reopenTasks[${i}]`, message: 'only a completed task of the stage can be reopened' }]);
        return { ...t, status: 'open', completion: undefined, startedDate: today, ...schedule(today, t.limitWd, lights.doc.yellowBeforeWd, calendar), light: 'green' };
      });
      // The gate closes for this round: it reopens once the reopened tasks are done, and every approver decides anew.
      ops.push(putGate(project.id, { ...gate, open: reopened.length === 0, round: gate.round + 1, roundStartedDate: shanghaiDate(now), overdueSince: null }), ...reopened.map(putTask));
    }
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    return commit(
      [
        ...ops,
        replaceProject(next, project.version),
        auditOp(`PROJECT#${project.id}`, `gate.${decision}`, req.principal, { before: {}, after: { stage, role, comment, round: gate.round, reopened: reopened.map((t) => t.id) } }, now, req.requestId),
      ],
      json(201, { stage, approval, reopenedTasks: reopened.map((t) => t.id) }, etag(next.version)),
    );
  });
});
