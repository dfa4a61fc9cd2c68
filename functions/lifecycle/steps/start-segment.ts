// Workflow step "Start next segment": continue-as-new. Starts {projectId}-{stage}-{n} (idempotent by name), records it
// on the project and lets the current execution end, so no execution nears 1 year or 25,000 events.
import { nextStage } from '#kernel/domain/codes.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { updateProject } from '#projects/store/update.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { executionName, workflow } from '#kernel/workflow/index.ts';
import type { StepInput } from './input.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const stage = input.next === 'advance' ? (input.nextStage ?? nextStage(input.stage)) : input.stage;
  if (!stage) throw new Error(`No stage after ${input.stage}`);
  const segment = input.next === 'advance' ? 1 : input.segment + 1;
  const lifecycle = { projectId: input.projectId, stage, segment };
  const name = executionName(lifecycle);
  const now = clock.now();
  await updateProject(input.projectId, 'workflow.segment', SYSTEM_ACTOR, now, (p) =>
    p.workflow?.executionName === name
      ? undefined
      : { project: { ...p, stage, workflow: { segment, executionName: name, startedAt: now.toISOString(), status: 'starting' } } },
  );
  await workflow.startExecution(name, lifecycle);
  return { executionName: name };
});
