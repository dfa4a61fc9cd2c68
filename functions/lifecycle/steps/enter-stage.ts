// Workflow step "Enter stage": records the execution as the project's running segment and, on the first entry into
// the stage, stores what the domain creates for it (lifecycle/domain/entry.ts). Idempotent: a retried step or a
// resumed segment finds the entry there and changes nothing.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { auditOp, SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { enterStage } from '#lifecycle/domain/entry.ts';
import { segmentRunning } from '#lifecycle/domain/segment.ts';
import { getStageEntry, MatrixMoved, recordStageEntry } from '#lifecycle/store/stage.ts';
import { insertTask, listTasks, putGate } from '#lifecycle/store/tasks.ts';
import { noticeOps } from '#notifications/notifier.ts';
import { changeProjectAs } from '#projects/change.ts';
import { projectSubject } from '#projects/store/projects.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#reference/store/reference.ts';
import type { StepInput } from './input.ts';

export const handler = workflowStep(async (input: StepInput) => {
  // Ops moving the project onto another matrix version between its read and the entry's commit: entered again on that
  // version (a re-pin answered before the entry committed covers the stage). Past a few: the step's retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await enter(input);
    } catch (err) {
      if (!(err instanceof MatrixMoved) || attempt >= 5) throw err;
    }
  }
});

async function enter(input: StepInput): Promise<{ entered: boolean; tasks?: number }> {
  const executionName = input.executionName ?? `${input.projectId}-${input.stage}-${input.segment}`;
  // Read with the project (one round trip, not four): whether the stage was entered already, the lights, the calendar
  // and the project's tasks so far (a year ops were told has no calendar is not told again). An entry written meanwhile by a concurrent step is caught by the entry's own condition (first wins).
  const {
    project,
    read: [entered, lights, calendar, earlier],
  } = await changeProjectAs(
    SYSTEM_ACTOR,
    input.projectId,
    (p, now) => {
      const next = segmentRunning(p, executionName, input.stage, input.segment, now);
      return next && { project: next, action: 'workflow.running', signal: null };
    },
    { alongside: () => Promise.all([getStageEntry(input.projectId, input.stage), getConfig('lights'), loadCalendar(), listTasks(input.projectId)]) },
  );
  // A stale execution (of a stage the project has left) enters nothing: its evaluation ends it or hands over.
  if (project.status !== 'ACTIVE' || project.stage !== input.stage || entered) return { entered: false };

  // A matrix version never changes: kept by a warm function after its first read.
  const matrix = await getConfigVersion('matrix', project.matrixVersion);
  const now = clock.now();
  const entering = enterStage({
    project,
    stage: input.stage,
    segment: input.segment,
    matrix: matrix.doc,
    matrixVersion: matrix.version,
    now,
    today: shanghaiDate(now),
    yellowBeforeWd: lights.doc.yellowBeforeWd,
    calendar,
    earlier,
  });
  // False: a concurrent or retried entry wrote it first (its condition), and the stage is entered either way.
  const first = await recordStageEntry(input.projectId, entering.entry, [
    ...entering.tasks.map(insertTask),
    ...(entering.gate ? [putGate(input.projectId, entering.gate)] : []),
    ...noticeOps(entering.notices, now),
    auditOp(projectSubject(project), entering.event.action, SYSTEM_ACTOR, entering.event, now),
  ], project.matrixVersion);
  return { entered: first, tasks: first ? entering.tasks.length : 0 };
}
