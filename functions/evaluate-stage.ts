// Workflow steps "Evaluate stage" and "Deadline reached": reads the project's tasks, gate and approvals from DynamoDB,
// starts tasks whose predecessors are done, refreshes lights 红黄绿灯 (notifying the lead department of each task that
// turns yellow or red, recording the overdue event and handing red items to supervision 督办), flags a stalled site
// 施工停滞, opens the gate when its tasks are done, and decides: advance through the gate, end, start a fresh segment,
// or wait until the next deadline.
import { addWorkingDays, endOfDay, shanghaiDate } from '#domain/calendar.ts';
import { nextStage, type Stage } from '#domain/codes.ts';
import { DEFAULT_CONFIG } from '#domain/config.ts';
import { PreconditionFailed } from '#domain/errors.ts';
import { roleInbox } from '#domain/inbox.ts';
import { nextWait, segmentExpired, type Wait } from '#domain/lifecycle.ts';
import { diff, targetsMet, type Project } from '#domain/project.ts';
import { evaluate, isDone, newGate, type Gate } from '#domain/tasks.ts';
import { auditOp, SYSTEM_ACTOR } from '#adapters/dynamodb/audit.ts';
import { transact, type WriteOp } from '#adapters/dynamodb/client.ts';
import { getStageEntry } from '#adapters/dynamodb/lifecycle.ts';
import { loadProject, replaceProject } from '#adapters/dynamodb/projects.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#adapters/dynamodb/reference.ts';
import { getGate, listApprovals, listTasks, putGate, putTask } from '#adapters/dynamodb/tasks.ts';
import { clock } from '#adapters/clock.ts';
import { notifyOp } from '#adapters/notifier.ts';
import { newWaitId, type StepInput } from '#adapters/workflow/step-input.ts';

/** `wait` is always present (null unless waiting) so the state machine's ResultSelector resolves on every branch. */
export type Decision = { next: 'wait'; wait: Wait; stage: Stage } | { next: 'advance' | 'continue' | 'end'; stage: Stage; wait: null };

/** A park service center is notified per park: one park's inbox does not show another park's projects. */

export async function handler(input: StepInput & { reason?: string }): Promise<Decision> {
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

    const ops: WriteOp[] = ev.changedTasks.map(putTask);
    // Notifications are records of what was sent, not part of the change: written after it, in batches, so a day on
    // which many items turn red never makes the change's transaction too large.
    const notices: WriteOp[] = [];
    const before = new Map(tasks.map((t) => [t.id, t]));
    const provisional = ev.changedTasks
      .filter((t) => t.calendarProvisional && !before.get(t.id)?.calendarProvisional)
      .map((t) => `${t.name.zh}（${t.dueDate}）`);
    if (ev.gate.calendarProvisional && !gate.calendarProvisional) provisional.push(`${ev.gate.name.zh}（${ev.gate.dueDate}）`);
    if (provisional.length) {
      // No calendar is loaded for a year a due date falls in: computed on weekdays only, flagged, and ops told.
      notices.push(notifyOp({ recipient: 'OPS', kind: 'calendar.provisional', projectId: project.id, title: '工作日历缺失：期限按工作日暂估', body: `${project.name}：${provisional.join('、')}。请加载相应年度日历。` }, now));
    }
    const subject = `PROJECT#${project.id}`;
    for (const t of ev.newlyYellow) {
      notices.push(notifyOp({ recipient: roleInbox(t.lead, project), kind: 'task.yellow', projectId: project.id, title: `黄灯提醒：${t.name.zh}`, body: `${project.name}：${t.name.zh} 将于 ${t.dueDate} 到期` }, now));
    }
    for (const t of ev.newlyRed) {
      notices.push(
        notifyOp({ recipient: roleInbox(t.lead, project), kind: 'task.overdue', projectId: project.id, title: `红灯：${t.name.zh} 已逾期`, body: `${project.name}：${t.name.zh} 期限 ${t.dueDate}` }, now),
        // Supervision takes over red items (督办); the escalation ladder builds on this hand-over.
        notifyOp({ recipient: 'DEPT#supervision_office', kind: 'supervision.handover', projectId: project.id, title: `督办：${t.name.zh} 逾期`, body: `${project.name}（${project.id}）${t.name.zh} 由 ${t.lead} 负责，期限 ${t.dueDate}` }, now),
      );
    }
    if (ev.newlyRed.length) {
      const overdue = ev.newlyRed.map((t) => ({ taskId: t.id, dueDate: t.dueDate, lead: t.lead }));
      ops.push(auditOp(subject, 'task.overdue', SYSTEM_ACTOR, { before: {}, after: { tasks: overdue } }, now));
    }

    // 施工停滞: no progress report for stalledAfterWd working days in CONSTRUCTION.
    const lastProgress = project.progress?.reportedOn ?? entry?.enteredDate ?? today;
    const stallDate = addWorkingDays(lastProgress, recurring.doc.stalledAfterWd, calendar).date;
    const stalled = stage === 'CONSTRUCTION' && today > stallDate;
    if (stalled && !project.stalled) {
      notices.push(notifyOp({ recipient: 'DEPT#supervision_office', kind: 'construction.stalled', projectId: project.id, title: '施工停滞', body: `${project.name}：自 ${lastProgress} 起未报告建设进度` }, now));
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
      // Recurring work of the stage (progress meetings) ends with it; so does a stall flag.
      next = { ...next, stalled: false };
      for (const t of tasks.filter((x) => x.stage === stage && x.kind === 'recurring' && !isDone(x))) {
        ops.push(putTask({ ...t, status: 'done', light: 'green', completion: { by: SYSTEM_ACTOR.sub, role: t.lead, at: now.toISOString(), note: '阶段转段，定期任务结束', documents: [], deficiencies: [] } }));
      }
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
        notices.push(notifyOp({ recipient: roleInbox(role, project), kind: 'gate.overdue', projectId: project.id, title: `转段逾期：${gateAfter.name.zh}`, body: `${project.name}：${stage} 转段审批期限 ${gateAfter.dueDate} 已过，待审：${pending.join('、')}` }, now));
      }
    }
    if (ev.gateChanged || ev.advance || !storedGate || gateAfter !== ev.gate) ops.push(putGate(project.id, gateAfter));
    if (ev.gateOpened && !ev.advance) {
      for (const role of gateAfter.requiredApprovals) {
        notices.push(notifyOp({ recipient: roleInbox(role, project), kind: 'gate.open', projectId: project.id, title: `转段待审：${gateAfter.name.zh}`, body: `${project.name}：${stage} 阶段任务已完成，请于 ${gateAfter.dueDate} 前审批` }, now));
      }
    }

    const changed = ops.length > 0 || JSON.stringify(diff(project, next)) !== JSON.stringify({ before: {}, after: {} });
    let version = project.version;
    if (changed) {
      version = project.version + 1;
      next = { ...next, version, updatedAt: now.toISOString() };
      try {
        await transact([replaceProject(next, project.version), auditOp(subject, 'stage.evaluated', SYSTEM_ACTOR, diff(project, next), now), ...dedupe(ops)]);
      } catch (err) {
        // An API change got in between: evaluate again on the new state.
        if (err instanceof PreconditionFailed && attempt < 8) continue;
        throw err;
      }
    }
    for (let i = 0; i < notices.length; i += 100) await transact(notices.slice(i, i + 100));
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
}

/** One write per item: a later write of the same key (e.g. a recurring task closed at the gate) replaces an earlier. */
function dedupe(ops: WriteOp[]): WriteOp[] {
  const key = (op: WriteOp) => {
    const put = op.item.Put;
    return put?.Item ? `${String(put.TableName)}|${String(put.Item.pk)}|${String(put.Item.sk)}` : undefined;
  };
  const last = new Map<string, number>();
  ops.forEach((op, i) => {
    const k = key(op);
    if (k) last.set(k, i);
  });
  return ops.filter((op, i) => {
    const k = key(op);
    return !k || last.get(k) === i;
  });
}

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
