// Workflow step "Enter stage": on the first entry into a stage, creates its tasks from the responsibility matrix
// version the project records, for its site mode, with working-day due dates, and its gate 转段 record. Idempotent:
// a retried step or a resumed segment finds them there and changes nothing.
import { shanghaiDate } from '#reference/domain/calendar.ts';
import { newGate, tasksForStage } from '#lifecycle/domain/tasks.ts';
import { auditOp, SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { ConcurrentChange, ConditionFailed, transact } from '#kernel/store/client.ts';
import { getStageEntry, insertStageEntry } from '#lifecycle/store/stage.ts';
import { updateProject } from '#projects/store/update.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#reference/store/reference.ts';
import { insertTask, putGate } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { notifyOp } from '#notifications/notifier.ts';
import type { StepInput } from './input.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const now = clock.now();
  const executionName = input.executionName ?? `${input.projectId}-${input.stage}-${input.segment}`;
  const project = await updateProject(input.projectId, 'workflow.running', SYSTEM_ACTOR, now, (p) =>
    p.workflow?.status === 'running' && p.workflow.executionName === executionName
      ? undefined
      : { project: { ...p, workflow: { ...(p.workflow?.executionName === executionName ? p.workflow : {}), segment: input.segment, executionName, startedAt: now.toISOString(), status: 'running' } } },
  );
  if (project.status !== 'ACTIVE' || (await getStageEntry(input.projectId, input.stage))) return { entered: false };

  const [matrix, lights, calendar] = await Promise.all([getConfigVersion('matrix', project.matrixVersion), getConfig('lights'), loadCalendar()]);
  const today = shanghaiDate(now);
  const tasks = tasksForStage(matrix.doc, matrix.version, project, input.stage, today, lights.doc.yellowBeforeWd, calendar);
  const gateDef = matrix.doc.gates.find((g) => g.stage === input.stage);
  const entry = { stage: input.stage, segment: input.segment, enteredAt: now.toISOString(), enteredDate: today, matrixVersion: matrix.version, tasks: tasks.length };
  try {
    await transact([
      insertStageEntry(input.projectId, entry),
      ...tasks.map(insertTask),
      ...(gateDef ? [putGate(input.projectId, newGate(gateDef, project))] : []),
      ...(tasks.some((t) => t.calendarProvisional)
        ? [notifyOp({ recipient: 'OPS', kind: 'calendar.provisional', projectId: project.id, title: '工作日历缺失：期限按工作日暂估', body: `${project.name}：${tasks.filter((t) => t.calendarProvisional).map((t) => `${t.name.zh}（${t.dueDate}）`).join('、')}。请加载相应年度日历。` }, now)]
        : []),
      auditOp(`PROJECT#${input.projectId}`, 'stage.entered', SYSTEM_ACTOR, { before: {}, after: { ...entry, taskIds: tasks.map((t) => t.id) } }, now),
    ]);
  } catch (err) {
    // A concurrent or retried entry wrote them first: the stage is entered either way.
    if (!(err instanceof ConditionFailed || err instanceof ConcurrentChange)) throw err;
  }
  return { entered: true, tasks: tasks.length };
});
