// Workflow step "Record failure": a step failed after its retries. The failure goes on the project and the audit log,
// and ops are notified, so no execution dies silently; the execution then fails (and the alarm fires).
import { auditOp, SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { updateProject } from '#projects/store/update.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { notifyOp } from '#notifications/notifier.ts';
import type { StepInput } from './input.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';

export const handler = workflowStep(async (input: StepInput) => {
  const now = clock.now();
  const error = `${input.failure?.Error ?? 'Unknown'}: ${(input.failure?.Cause ?? '').slice(0, 500)}`;
  log.error('lifecycle step failed', { projectId: input.projectId, executionName: input.executionName, error });
  const notice = notifyOp({ recipient: 'OPS', kind: 'workflow.failed', projectId: input.projectId, title: '流程步骤失败', body: `${input.executionName ?? input.projectId}: ${error}。排除原因后请恢复：POST /projects/${input.projectId}/workflow/resume` }, now);
  await updateProject(input.projectId, 'workflow.failed', SYSTEM_ACTOR, now, (p) => {
    // A late failure of an execution the project has moved on from (a newer segment is confirmed running) is told and
    // audited, but does not mark the running lifecycle failed. A newer segment still `starting` never ran: this one's
    // failure leaves the project without a running execution, so it is marked.
    const moved = p.workflow && input.executionName && p.workflow.executionName !== input.executionName && p.workflow.status === 'running';
    if (moved) return { project: p, extra: [notice, auditOp(`PROJECT#${p.id}`, 'workflow.failed_stale', SYSTEM_ACTOR, { before: {}, after: { executionName: input.executionName, error, running: p.workflow!.executionName } }, now)], unchanged: true };
    return {
      project: { ...p, workflow: { ...(p.workflow ?? { segment: input.segment, executionName: input.executionName ?? '', startedAt: now.toISOString() }), status: 'failed', lastError: error } },
      extra: [notice],
    };
  });
  return { recorded: true };
});
