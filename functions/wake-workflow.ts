// Outbox consumer (DynamoDB stream of the outbox table): delivers each committed workflow signal to Step Functions —
// wake a waiting lifecycle, start an admitted project's lifecycle, or wake every project whose due dates waited for a
// calendar year. Delivery is at-least-once: a failed record is reported back (ReportBatchItemFailures) and the stream
// retries from it; every signal is safe to deliver twice.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { diff, type Project } from '#domain/project.ts';
import { auditOp, SYSTEM_ACTOR } from '#adapters/dynamodb/audit.ts';
import { transact } from '#adapters/dynamodb/client.ts';
import { signalFromImage, type Signal } from '#adapters/dynamodb/outbox.ts';
import { getProject, replaceProject } from '#adapters/dynamodb/projects.ts';
import { queryProvisionalProjects } from '#adapters/dynamodb/tasks.ts';
import { clock } from '#adapters/clock.ts';
import { log } from '#adapters/log.ts';
import { nudgeWorkflow } from '#adapters/workflow/nudge.ts';
import { workflow } from '#adapters/workflow/index.ts';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const signal = record.eventName === 'INSERT' ? signalFromImage(record.dynamodb?.NewImage) : undefined;
    if (!signal) continue;
    try {
      await deliver(signal);
    } catch (err) {
      // Stop here: the stream resumes from this record, so the signals after it keep their order.
      log.error('could not deliver a workflow signal; the stream retries it', { signal, err });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}

async function deliver(signal: Signal): Promise<void> {
  switch (signal.kind) {
    case 'wake':
      await nudgeWorkflow(signal.projectId, signal.reason);
      return;
    case 'start':
      await startLifecycle(signal.projectId, signal.executionName);
      return;
    case 'calendar':
      await wakeProvisional(signal.year);
      return;
  }
}

/**
 * Starts the segment the admission recorded (idempotent by execution name). Only while the project still says
 * `starting` for that execution: a replayed signal after enter-stage marked it running does nothing. A failed start is
 * recorded on the project (`start_failed`, audited) for ops to redrive, not hidden.
 */
async function startLifecycle(projectId: string, executionName: string): Promise<void> {
  const project = await getProject(projectId);
  const ref = project?.workflow;
  if (!project || !ref || ref.executionName !== executionName || ref.status !== 'starting') return;
  try {
    await workflow.startExecution(executionName, { projectId, stage: project.stage, segment: ref.segment });
  } catch (err) {
    log.error('lifecycle start failed', { projectId, executionName, err });
    const now = clock.now();
    const failed: Project = {
      ...project,
      workflow: { ...ref, status: 'start_failed', lastError: (err as Error).message },
      version: project.version + 1,
      updatedAt: now.toISOString(),
    };
    // A concurrent change fails this condition: the signal is retried and re-reads the project.
    await transact([
      replaceProject(failed, project.version),
      auditOp(`PROJECT#${projectId}`, 'workflow.start_failed', SYSTEM_ACTOR, diff(project, failed), now),
    ]);
  }
}

/** Due dates computed on weekdays only while a year was missing: each workflow recomputes them under its own lock. */
async function wakeProvisional(year: number): Promise<void> {
  const projectIds = await queryProvisionalProjects();
  let failed = 0;
  for (let i = 0; i < projectIds.length; i += 10) {
    const results = await Promise.allSettled(projectIds.slice(i, i + 10).map((id) => nudgeWorkflow(id, 'calendar.loaded')));
    failed += results.filter((r) => r.status === 'rejected').length;
  }
  // Waking twice is harmless, so a retry of the whole signal is the simple way to reach the ones that failed.
  if (failed > 0) throw new Error(`${failed} of ${projectIds.length} projects with provisional dates were not woken for ${year}`);
}
