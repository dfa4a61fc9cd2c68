// Workflow steps "Evaluate stage" and "Deadline reached": reads the project's tasks, gate and approvals from DynamoDB,
// starts tasks whose predecessors are done, refreshes lights 红黄绿灯 (notifying the lead department of each task that
// turns yellow or red, recording the overdue event and handing red items to supervision 督办), flags a stalled site
// 施工停滞, opens the gate when its tasks are done, and decides: advance through the gate, end, start a fresh segment,
// or wait until the next deadline.
import { addWorkingDays, endOfDay, shanghaiDate } from '#reference/domain/calendar.ts';
import { nextStage, type Stage } from '#kernel/domain/codes.ts';
import { DEFAULT_CONFIG } from '#reference/domain/config.ts';
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';
import { nextWait, segmentExpired, type Wait } from '#lifecycle/domain/segment.ts';
import { diff, targetsMet, type Project } from '#projects/domain/project.ts';
import { evaluate, isDone, newGate, type Gate } from '#lifecycle/domain/tasks.ts';
import { auditOp, SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { ConcurrentChange, transactGroups, type WriteOp } from '#kernel/store/client.ts';
import { getStageEntry } from '#lifecycle/store/stage.ts';
import { loadProject, replaceProject } from '#projects/store/projects.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#reference/store/reference.ts';
import { getGate, listApprovals, listTasks, putGate, putTask } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { notifyOp } from '#notifications/notifier.ts';
import { newWaitId, type StepInput } from './input.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';

/** `wait` is always present (null unless waiting) so the state machine's ResultSelector resolves on every branch. */
export type Decision = { next: 'wait'; wait: Wait; stage: Stage } | { next: 'advance' | 'continue' | 'end'; stage: Stage; wait: null };

export const handler = workflowStep(async (input: StepInput & { reason?: string }): Promise<Decision> => {
  const [lights, recurring, calendar] = await Promise.all([getConfig('lights'), getConfig('recurring'), loadCalendar()]);
  for (let attempt = 1; ; attempt++) {
    const now = clock.now();
    const today = shanghaiDate(now);
    const project = await loadProject(input.projectId);
    if (project.status === 'ACTIVE' && project.stage !== input.stage) {
      // A retried step whose first run already passed the gate: hand over again (the start is idempotent by name).
      const passed = (await getGate(project.id, input.stage))?.passedAt;
      if (passed && project.stage === nextStage(input.stage)) return { next: 'advance', stage: project.stage, wait: null };
    }
    if (project.status !== 'ACTIVE' || project.stage !== input.stage) return { next: 'end', stage: project.stage, wait: null };
    const stage = input.stage;
    const [tasks, storedGate, approvals, entry] = await Promise.all([
      listTasks(project.id),
      getGate(project.id, stage),
      listApprovals(project.id, stage),
      getStageEntry(project.id, stage),
    ]);
    const gate: Gate = storedGate ?? (await defaultGate(project, stage));
    const ev = evaluate(tasks, { stage, tasks, gate, approvals, targetsMet: targetsMet(project, recurring.doc.producingTargetShare) }, {
      today,
      now,
      calendar,
      yellowBeforeWd: lights.doc.yellowBeforeWd,
    });

    const subject = `PROJECT#${project.id}`;
    const closing = ev.advance ? tasks.filter((x) => x.stage === stage && x.kind === 'recurring' && !isDone(x)).map((t) => t.id) : [];
    // The project's tasks as they are to be stored: started, recomputed, turned yellow or red — and, when the gate
    // passes, the stage's recurring work (progress meetings) closed with it.
    const writes = new Map(ev.changedTasks.map((t) => [t.id, t]));
    for (const id of closing) {
      const t = writes.get(id) ?? tasks.find((x) => x.id === id)!;
      writes.set(id, { ...t, status: 'done', light: 'green', completion: { by: SYSTEM_ACTOR.sub, role: t.lead, at: now.toISOString(), note: '阶段转段，定期任务结束', documents: [], deficiencies: [] } });
    }
    const red = new Set(ev.newlyRed.map((t) => t.id).filter((id) => !closing.includes(id)));
    const yellow = new Set(ev.newlyYellow.map((t) => t.id).filter((id) => !closing.includes(id)));
    // One atomic group per task: the task, its overdue record and its notices commit together or not at all, so a
    // light change is told exactly once (a retried step finds the light already changed), and no day on which many
    // items turn red can make one transaction too large.
    const taskGroups: WriteOp[][] = [...writes.values()].map((t) => {
      const group = [putTask(t)];
      if (red.has(t.id)) {
        group.push(
          auditOp(subject, 'task.overdue', SYSTEM_ACTOR, { before: {}, after: { tasks: [{ taskId: t.id, dueDate: t.dueDate, lead: t.lead }] } }, now),
          notifyOp({ recipient: roleInbox(t.lead, project), kind: 'task.overdue', projectId: project.id, title: `红灯：${t.name.zh} 已逾期`, body: `${project.name}：${t.name.zh} 期限 ${t.dueDate}` }, now),
          // Supervision takes over red items (督办); the escalation ladder builds on this hand-over.
          notifyOp({ recipient: 'DEPT#supervision_office', kind: 'supervision.handover', projectId: project.id, title: `督办：${t.name.zh} 逾期`, body: `${project.name}（${project.id}）${t.name.zh} 由 ${t.lead} 负责，期限 ${t.dueDate}` }, now),
        );
      } else if (yellow.has(t.id)) {
        group.push(notifyOp({ recipient: roleInbox(t.lead, project), kind: 'task.yellow', projectId: project.id, title: `黄灯提醒：${t.name.zh}`, body: `${project.name}：${t.name.zh} 将于 ${t.dueDate} 到期` }, now));
      }
      return group;
    });

    // The project's own changes commit last, in one bounded group: its summary and version, the gate, and the notices
    // that belong to them.
    const ops: WriteOp[] = [];
    const before = new Map(tasks.map((t) => [t.id, t]));
    const provisional = ev.changedTasks
      .filter((t) => t.calendarProvisional && !before.get(t.id)?.calendarProvisional)
      .map((t) => `${t.name.zh}（${t.dueDate}）`);
    if (ev.gate.calendarProvisional && !gate.calendarProvisional) provisional.push(`${ev.gate.name.zh}（${ev.gate.dueDate}）`);
    if (provisional.length) {
      // No calendar is loaded for a year a due date falls in: computed on weekdays only, flagged, and ops told.
      ops.push(notifyOp({ recipient: 'OPS', kind: 'calendar.provisional', projectId: project.id, title: '工作日历缺失：期限按工作日暂估', body: `${project.name}：${provisional.slice(0, 20).join('、')}${provisional.length > 20 ? ` 等 ${provisional.length} 项` : ''}。请加载相应年度日历。` }, now));
    }

    // 施工停滞: no progress report for stalledAfterWd working days in CONSTRUCTION.
    const lastProgress = project.progress?.reportedOn ?? entry?.enteredDate ?? today;
    const stallDate = addWorkingDays(lastProgress, recurring.doc.stalledAfterWd, calendar).date;
    const stalled = stage === 'CONSTRUCTION' && today > stallDate;
    if (stalled && !project.stalled) {
      ops.push(notifyOp({ recipient: 'DEPT#supervision_office', kind: 'construction.stalled', projectId: project.id, title: '施工停滞', body: `${project.name}：自 ${lastProgress} 起未报告建设进度` }, now));
    }

    let next: Project = {
      ...project,
      light: ev.light,
      stalled: stage === 'CONSTRUCTION' ? stalled : project.stalled,
      tasksSummary: { open: ev.openTasks, overdue: ev.overdueTasks, nextDue: ev.nextDue },
    };
    let decision: Decision | undefined;
    let gateAfter = ev.gate;
    if (ev.advance) {
      const to = nextStage(stage) ?? 'PRODUCING';
      gateAfter = { ...ev.gate, open: false, passedAt: now.toISOString() };
      // Recurring work of the stage ends with it (closed above); so does a stall flag.
      next = { ...next, stalled: false };
      next = to === 'PRODUCING' ? { ...next, stage: 'PRODUCING', status: 'COMPLETED', workflow: next.workflow && { ...next.workflow, status: 'ended' } } : { ...next, stage: to };
      ops.push(auditOp(subject, 'stage.passed', SYSTEM_ACTOR, { before: { stage }, after: { stage: to, gate: gateAfter.name.zh, round: gateAfter.round } }, now));
      decision = to === 'PRODUCING' ? { next: 'end', stage: to, wait: null } : { next: 'advance', stage: to, wait: null };
    }
    // An open gate past its due date, still undecided: the approvers who have not decided are reminded, supervision told.
    if (!ev.advance && gateAfter.open && gateAfter.dueDate && today > gateAfter.dueDate && !gateAfter.overdueSince) {
      const decided = new Set(approvals.filter((a) => a.round === gateAfter.round).map((a) => a.role));
      const pending = gateAfter.requiredApprovals.filter((r) => !decided.has(r));
      gateAfter = { ...gateAfter, overdueSince: today };
      ops.push(auditOp(subject, 'gate.overdue', SYSTEM_ACTOR, { before: {}, after: { stage, dueDate: gateAfter.dueDate, pending } }, now));
      for (const role of [...pending, 'supervision_office'] as const) {
        ops.push(notifyOp({ recipient: roleInbox(role, project), kind: 'gate.overdue', projectId: project.id, title: `转段逾期：${gateAfter.name.zh}`, body: `${project.name}：${stage} 转段审批期限 ${gateAfter.dueDate} 已过，待审：${pending.join('、')}` }, now));
      }
    }
    if (ev.gateChanged || ev.advance || !storedGate || gateAfter !== ev.gate) ops.push(putGate(project.id, gateAfter));
    if (ev.gateOpened && !ev.advance) {
      for (const role of gateAfter.requiredApprovals) {
        ops.push(notifyOp({ recipient: roleInbox(role, project), kind: 'gate.open', projectId: project.id, title: `转段待审：${gateAfter.name.zh}`, body: `${project.name}：${stage} 阶段任务已完成，请于 ${gateAfter.dueDate} 前审批` }, now));
      }
    }

    const changed = taskGroups.length > 0 || ops.length > 0 || JSON.stringify(diff(project, next)) !== JSON.stringify({ before: {}, after: {} });
    let version = project.version;
    if (changed) {
      version = project.version + 1;
      next = { ...next, version, updatedAt: now.toISOString() };
      try {
        await transactGroups([...taskGroups, [replaceProject(next, project.version), auditOp(subject, 'stage.evaluated', SYSTEM_ACTOR, diff(project, next), now), ...ops]]);
      } catch (err) {
        // An API change got in between (the project or one of its tasks): evaluate again on the new state. Groups
        // committed before the conflict stay committed, and the next evaluation does not repeat them.
        if ((err instanceof PreconditionFailed || err instanceof ConcurrentChange) && attempt < 8) continue;
        throw err;
      }
    }
    if (decision) return decision;
    const segmentStart = new Date(project.workflow?.startedAt ?? now.toISOString());
    const wakeUps = recurring.doc.segmentMaxWakeUps ?? DEFAULT_CONFIG.recurring.segmentMaxWakeUps;
    if (segmentExpired(now, segmentStart, recurring.doc.segmentMaxDays) || (input.cycles ?? 0) >= wakeUps) {
      return { next: 'continue', stage, wait: null };
    }
    // In CONSTRUCTION the stall date is a deadline too: wake when it passes without a progress report.
    const stallAt = stage === 'CONSTRUCTION' && !stalled ? endOfDay(stallDate) : null;
    const wakeAt = [ev.wakeAt, stallAt].filter((d): d is Date => d !== null && d > now).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    const wait = nextWait(stage, wakeAt, now, segmentStart, recurring.doc.segmentMaxDays, version, (at) => clock.realSecondsUntil(at), newWaitId(now));
    return { next: 'wait', wait, stage };
  }
});

/** A stage the matrix names no gate for passes once its tasks are done, on the committee leader's approval. */
async function defaultGate(project: Project, stage: Stage): Promise<Gate> {
  const matrix = await getConfigVersion('matrix', project.matrixVersion);
  const def = matrix.doc.gates.find((g) => g.stage === stage) ?? {
    stage,
    name: { zh: '转段', en: 'Stage gate' },
    approvers: ['committee_leader' as const],
    meetingRequired: false,
    limitWd: 10,
  };
  return newGate(def, project);
}
