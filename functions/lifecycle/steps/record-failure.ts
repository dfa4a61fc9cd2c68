// Workflow step "Record failure": a step failed after its retries. The failure goes on the project and the audit log,
// and ops are notified, so no execution dies silently; the execution then fails (and the alarm fires).
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { stepFailed } from '#lifecycle/domain/segment.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { changeProjectAs } from '#projects/change.ts';
import type { StepInput } from './input.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const error = `${input.failure?.Error ?? 'Unknown'}: ${(input.failure?.Cause ?? '').slice(0, 500)}`;
  log.error('lifecycle step failed', { projectId: input.projectId, executionName: input.executionName, error });
  const notice: Notice = { kind: 'workflow.failed', projectId: input.projectId, execution: input.executionName ?? input.projectId, error, during: 'step' };
  await changeProjectAs(SYSTEM_ACTOR, input.projectId, (p, now) => {
    const failed = stepFailed(p, input.executionName, input.segment, error, now);
    if (failed.stale) {
      return { project: p, action: 'workflow.failed_stale', recordOnly: true, audit: { after: { executionName: input.executionName, error, running: failed.running } }, notices: [notice], signal: null };
    }
    return { project: failed.project, action: 'workflow.failed', notices: [notice], signal: null };
  });
  return { recorded: true };
});
