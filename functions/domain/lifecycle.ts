// Lifecycle timing: the wait the workflow sleeps on between evaluations — never without a timeout.
import type { Stage } from './codes.ts';
import { Conflict } from './errors.ts';
import type { Project, WorkflowRef } from './project.ts';

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

/**
 * Ops resume a failed lifecycle once its cause is fixed: a fresh segment of the same stage (execution names are
 * unique, so never the failed one's), continuing from what DynamoDB records — tasks, gate and clocks as they are.
 */
export function resumeLifecycle(project: Project, now: Date, name: (segment: number) => string): Project {
  const ref = project.workflow;
  if (project.status !== 'ACTIVE' || !ref || !RESUMABLE.includes(ref.status)) {
    throw new Conflict(
      `The lifecycle of ${project.id} is not failed (status ${project.status}, workflow ${ref?.status ?? 'none'}): only a failed lifecycle is resumed`,
    );
  }
  const segment = ref.segment + 1;
  return {
    ...project,
    workflow: { segment, executionName: name(segment), startedAt: now.toISOString(), status: 'starting', resumedFrom: ref.executionName, resumedAfter: ref.lastError },
    version: project.version + 1,
    updatedAt: now.toISOString(),
  };
}
