// Workflow step "Enter stage": records the stage entry once (idempotent on retry and resume) with its working-day
// deadline from the matrix and calendar, marks the workflow running, and returns the first deadline wait.
import { firstWait, stageDeadline, stageLimitWd } from '#domain/lifecycle.ts';
import { auditOp, SYSTEM_ACTOR } from '#adapters/dynamodb/audit.ts';
import { ConditionFailed, transact } from '#adapters/dynamodb/client.ts';
import { getStageEntry, insertStageEntry, type StageEntry } from '#adapters/dynamodb/lifecycle.ts';
import { updateProject } from '#adapters/dynamodb/project-update.ts';
import { getConfig, loadCalendar } from '#adapters/dynamodb/reference.ts';
import { clock } from '#adapters/clock.ts';
import { newWaitId, type StepInput } from '#adapters/workflow/step-input.ts';

export async function handler(input: StepInput) {
  const now = clock.now();
  const executionName = input.executionName ?? `${input.projectId}-${input.stage}-${input.segment}`;
  const project = await updateProject(input.projectId, 'workflow.running', SYSTEM_ACTOR, now, (p) =>
    p.workflow?.status === 'running' && p.workflow.executionName === executionName
      ? undefined
      : { project: { ...p, workflow: { segment: input.segment, executionName, startedAt: now.toISOString(), status: 'running' } } },
  );
  let entry = await getStageEntry(input.projectId, input.stage);
  if (!entry) {
    const [matrix, lights, calendar] = await Promise.all([getConfig('matrix'), getConfig('lights'), loadCalendar()]);
    const limitWd = stageLimitWd(matrix.doc, input.stage, project.siteMode);
    const deadline = stageDeadline(now, limitWd, lights.doc.yellowBeforeWd, calendar);
    const fresh: StageEntry = { stage: input.stage, segment: input.segment, enteredAt: now.toISOString(), limitWd, matrixVersion: matrix.version, ...deadline };
    try {
      await transact([
        insertStageEntry(input.projectId, fresh),
        auditOp(`PROJECT#${input.projectId}`, 'stage.entered', SYSTEM_ACTOR, { before: {}, after: { ...fresh } }, now),
      ]);
      entry = fresh;
    } catch (err) {
      if (!(err instanceof ConditionFailed)) throw err;
      entry = (await getStageEntry(input.projectId, input.stage))!;
    }
  }
  return { wait: firstWait(input.stage, entry, now, (at) => clock.realSecondsUntil(at), newWaitId(now)) };
}
