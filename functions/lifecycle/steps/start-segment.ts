// Workflow step "Start next segment": continue-as-new. Starts {projectId}-{stage}-{n} (idempotent by name), records it
// on the project and lets the current execution end, so no execution nears 1 year or 25,000 events.
import { nextStage, type Stage } from '#kernel/domain/codes.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { executionName, workflow, type WorkflowPort } from '#kernel/workflow/index.ts';
import { segmentStarting } from '#lifecycle/domain/segment.ts';
import type { Project } from '#projects/domain/project.ts';
import { changeProjectAs } from '#projects/change.ts';
import type { StepInput } from './input.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const stage = input.next === 'advance' ? (input.nextStage ?? nextStage(input.stage)) : input.stage;
  if (!stage) throw new Error(`No stage after ${input.stage}`);
  const segment = input.next === 'advance' ? 1 : input.segment + 1;
  return { executionName: await startSegment({ projectId: input.projectId, stage, segment }) };
});

/**
 * Records {projectId}-{stage}-{segment} on the project as starting and starts it (idempotent by name): this step, and
 * the local runtime's restart after a crash between a gate's pass and this step (local/resume.ts). `still`: a condition
 * the project must meet, read again at the write, for it to be recorded.
 */
export async function startSegment(lifecycle: { readonly projectId: string; readonly stage: Stage; readonly segment: number }, port: Pick<WorkflowPort, 'startExecution'> = workflow, still: (p: Project) => boolean = () => true): Promise<string> {
  const name = executionName(lifecycle);
  await changeProjectAs(SYSTEM_ACTOR, lifecycle.projectId, (p, now) => {
    const next = still(p) ? segmentStarting(p, lifecycle.stage, lifecycle.segment, name, now) : undefined;
    return next && { project: next, action: 'workflow.segment', signal: null };
  });
  await port.startExecution(name, lifecycle);
  return name;
}
