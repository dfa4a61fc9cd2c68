// Lifecycle timing: the wait the workflow sleeps on between evaluations — never without a timeout.
import type { Stage } from '#kernel/domain/codes.ts';
import { projectStateConflict, type Project, type WorkflowRef } from '#projects/domain/project.ts';

/** What a callback wait sleeps until: the next light change or due date, a segment limit, or an idle re-check. */
export interface Wait {
  readonly waitId: string;
  readonly kind: 'deadline' | 'segment' | 'idle';
  readonly stage: Stage;
  readonly dueAt: string;
  /** Real seconds until dueAt on the business clock (what Step Functions sleeps). */
  readonly timeoutSeconds: number;
  /** Project version the wait was computed from: a newer version means the wait is stale at once. */
  readonly version: number;
}

/** With nothing timed ahead (e.g. a gate waiting only for approvals), re-check at least this often. */
export const IDLE_RECHECK_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The next wake-up: the earliest of the next deadline, the segment's age limit (a fresh segment before Step
 * Functions' one-year limit) and an idle re-check.
 */
export function nextWait(
  stage: Stage,
  wakeAt: Date | null,
  now: Date,
  segmentStartedAt: Date,
  segmentMaxDays: number,
  version: number,
  seconds: (at: Date) => number,
  waitId: string,
): Wait {
  const candidates: [Wait['kind'], Date][] = [
    ['idle', new Date(now.getTime() + IDLE_RECHECK_DAYS * DAY_MS)],
    ['segment', new Date(segmentStartedAt.getTime() + segmentMaxDays * DAY_MS)],
    ...(wakeAt ? [['deadline', wakeAt] as [Wait['kind'], Date]] : []),
  ];
  const [kind, at] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { waitId, kind, stage, dueAt: at.toISOString(), timeoutSeconds: seconds(at), version };
}

export function segmentExpired(now: Date, segmentStartedAt: Date, segmentMaxDays: number): boolean {
  return now.getTime() >= segmentStartedAt.getTime() + segmentMaxDays * DAY_MS;
}

/** Workflow states ops resume from: a step failed after its retries, or the first start was refused. */
export const RESUMABLE: readonly WorkflowRef['status'][] = ['failed', 'start_failed'];

/** Workflow states a forced resume may take over: the record says alive, ops say it is not (stopped by hand, …). */
export const FORCEABLE: readonly WorkflowRef['status'][] = ['running', 'starting'];

/**
 * Ops resume a failed lifecycle once its cause is fixed: a fresh segment of the same stage (execution names are
 * unique, so never the failed one's), continuing from what DynamoDB records — tasks, gate and clocks as they are.
 * `force` takes over a lifecycle whose record still says running or starting (an execution stopped by hand, a failure
 * that could not be recorded): the new segment starts only once the recorded execution is confirmed not running.
 */
export function resumeLifecycle(project: Project, now: Date, name: (segment: number) => string, force = false): Project {
  const ref = project.workflow;
  const resumable = ref && (RESUMABLE.includes(ref.status) || (force && FORCEABLE.includes(ref.status)));
  if (project.status !== 'ACTIVE' || !ref || !resumable) {
    // The project the path names is what is not in a state to resume: not active, or its lifecycle not failed.
    throw projectStateConflict(
      `The lifecycle of ${project.id} is not failed (status ${project.status}, workflow ${ref?.status ?? 'none'}): only a failed lifecycle is resumed` +
        (ref && FORCEABLE.includes(ref.status) ? ' — send "force": true if its execution is known to have stopped' : ''),
      project.status !== 'ACTIVE' ? `is ${project.status}` : `workflow ${ref?.status ?? 'none'}`,
    );
  }
  const segment = ref.segment + 1;
  // A forced resume whose start was refused (the old execution was still running) keeps checking that same execution.
  const stillToConfirm = ref.status === 'start_failed' && ref.confirmStopped && ref.resumedFrom ? ref.resumedFrom : undefined;
  const forced = !RESUMABLE.includes(ref.status);
  return {
    ...project,
    workflow: {
      segment,
      executionName: name(segment),
      startedAt: now.toISOString(),
      status: 'starting',
      resumedFrom: stillToConfirm ?? ref.executionName,
      resumedAfter: ref.lastError ?? (forced ? `forced over workflow status ${ref.status}` : undefined),
      ...(forced || stillToConfirm ? { confirmStopped: true } : {}),
    },
  };
}

/**
 * An execution's first step: the project records it as the running segment. Undefined when it already does (a retried
 * step), and when the execution is of a stage the project is not in: a stale one — started again from a record read
 * before a gate passed (the local runtime's resume after a crash, with the project moved on since) — whose evaluation
 * ends or hands over, and which must not take the record of the execution that carries the project now. A different
 * execution of its stage replaces the record without its history; the same execution's keeps it (resumedFrom…).
 */
export function segmentRunning(project: Project, executionName: string, stage: Stage, segment: number, now: Date): Project | undefined {
  const ref = project.workflow;
  if (project.stage !== stage) return undefined;
  if (ref?.status === 'running' && ref.executionName === executionName) return undefined;
  return { ...project, workflow: { ...(ref?.executionName === executionName ? ref : {}), segment, executionName, startedAt: now.toISOString(), status: 'running' } };
}

/** Continue-as-new: the project records the next segment (of this stage, or the first of the next) as starting. */
export function segmentStarting(project: Project, stage: Stage, segment: number, executionName: string, now: Date): Project | undefined {
  if (project.workflow?.executionName === executionName) return undefined;
  return { ...project, stage, workflow: { segment, executionName, startedAt: now.toISOString(), status: 'starting' } };
}

/**
 * A step failed after its retries. The running lifecycle is marked failed with the error — unless the failure is a
 * late one of an execution the project has moved on from (a newer segment confirmed running): that is told and
 * audited but changes nothing (`stale`). A newer segment still `starting` never ran: this one's failure leaves the
 * project without a running execution, so it is marked.
 */
export function stepFailed(project: Project, executionName: string | undefined, segment: number, error: string, now: Date): { stale: true; running: string } | { stale: false; project: Project } {
  const ref = project.workflow;
  if (ref && executionName && ref.executionName !== executionName && ref.status === 'running') return { stale: true, running: ref.executionName };
  return { stale: false, project: { ...project, workflow: { ...(ref ?? { segment, executionName: executionName ?? '', startedAt: now.toISOString() }), status: 'failed', lastError: error } } };
}

/**
 * The start of a recorded segment was refused for good (not a transient fault): the project records `start_failed`
 * with the reason, for ops to resume. Undefined when the project no longer says `starting` for that execution.
 */
export function startFailed(project: Project, executionName: string, error: string): Project | undefined {
  const ref = project.workflow;
  if (!ref || ref.executionName !== executionName || ref.status !== 'starting') return undefined;
  return { ...project, workflow: { ...ref, status: 'start_failed', lastError: error } };
}
