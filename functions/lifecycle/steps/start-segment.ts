// Workflow step "Start next segment": continue-as-new. Starts {projectId}-{stage}-{n} (idempotent by name), records it
// on the project and lets the current execution end, so no execution nears 1 year or 25,000 events.
import { nextStage } from '#kernel/domain/codes.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { executionName, workflow } from '#kernel/workflow/index.ts';
import { segmentStarting } from '#lifecycle/domain/segment.ts';
import { changeProjectAs } from '#projects/change.ts';
import type { StepInput } from './input.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const stage = input.next === 'advance' ? (input.nextStage ?? nextStage(input.stage)) : input.stage;
  if (!stage) throw new Error(`No stage after ${input.stage}`);
  const segment = input.next === 'advance' ? 1 : input.segment + 1;
  const lifecycle = { projectId: input.projectId, stage, segment };
  const name = executionName(lifecycle);
  await changeProjectAs(SYSTEM_ACTOR, input.projectId, (p, now) => {
    const next = segmentStarting(p, stage, segment, name, now);
    return next && { project: next, action: 'workflow.segment', signal: null };
  });
  await workflow.startExecution(name, lifecycle);
  return { executionName: name };
});
