// Outbox consumer (DynamoDB stream of the outbox table): delivers each committed workflow signal to Step Functions —
// wake a waiting lifecycle, start an admitted project's lifecycle, or (a calendar year loaded, a lights configuration
// or an escalation ladder published) fan out one wake signal per project whose dates or ladder follow it — and has a department whose task turned red counted for the supervision
// office's notice list (supervision/departments.ts). Delivery is at-least-once: a failed record is reported back
// (ReportBatchItemFailures) and the stream retries from it; every signal is safe to deliver twice.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { emitSignals, signalFromImage, type Signal } from '#kernel/store/outbox.ts';
import { isTransient } from '#kernel/runtime/faults.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflow } from '#kernel/workflow/index.ts';
import { startFailed } from '#lifecycle/domain/segment.ts';
import { nudgeWorkflow } from '#lifecycle/nudge.ts';
import { queryProvisionalProjects } from '#lifecycle/store/tasks.ts';
import { activeProjectIds } from '#projects/store/ledger.ts';
import { changeProjectAs } from '#projects/change.ts';
import { getProject } from '#projects/store/projects.ts';
import { deliverExit } from '#supervision/exit-start.ts';
import { noticeDepartment } from '#supervision/departments.ts';

/**
 * Projects whose signals a batch delivers at once, each project's in stream order. One after another, a batch's
 * deliveries (two round trips each, and a start or a recompute more) queued behind each other: on a fast clock a
 * second's backlog is a business day, and a task started by a completion whose yellow day was two working days away
 * was lit a day late, its lifecycle woken after the day had passed (`npm run simulate`, 2026-12-07: signals' age p90
 * 2.2–3.2 s, 2 and 4–6 late lights a run). The stack's mapping sends 10 records a batch, the local poller up to 100.
 */
const LANES = 8;

type Entry = { readonly index: number; readonly signal: Signal; readonly record: DynamoDBStreamEvent['Records'][number] };

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const signals = event.Records.map((record) => (record.eventName === 'INSERT' ? signalFromImage(record.dynamodb?.NewImage) : undefined));
  // One lane per project, in stream order within it; a signal of no project (a calendar's) is a lane of its own.
  const lanes = new Map<string, Entry[]>();
  signals.forEach((signal, index) => {
    if (!signal) return;
    const lane = 'projectId' in signal ? signal.projectId : `#${index}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), { index, signal, record: event.Records[index]! }]);
  });
  // The first record in stream order whose delivery failed: the stream resumes from it and redelivers every record
  // after it, delivered or not (harmless: every signal is safe to deliver twice). A lane stops at its failure, and no
  // lane starts a record after the failed one, so a project's signals are never delivered out of order.
  let failed: { index: number; err: unknown } | undefined;
  const runLane = async (entries: readonly Entry[]) => {
    // The project's lifecycle already woken by this batch, with nothing else for it since (see `redundant`).
    const woken = new Set<string>();
    for (const { index, signal, record } of entries) {
      if (failed && index > failed.index) return;
      if (redundant(signal, woken)) {
        trace('wake-up merged', signal, record);
        continue;
      }
      try {
        const woke = await deliver(signal);
        trace('signal delivered', signal, record, woke);
        if (woke && signal.kind === 'wake') woken.add(signal.projectId);
      } catch (err) {
        if (!failed || index < failed.index) failed = { index, err };
        return;
      }
    }
  };
  const queue = [...lanes.values()];
  await Promise.all(Array.from({ length: Math.min(LANES, queue.length) }, async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) await runLane(lane);
  }));
  if (!failed) return { batchItemFailures: [] };
  // Once its retries are spent the stream discards the batch from this record on — the signals behind it too, some
  // never tried: the line names them (`behind`; another project's may have been delivered beside it, a replay is
  // harmless), for ops to replay each (docs/runbook.md).
  const record = event.Records[failed.index];
  const behind = signals.slice(failed.index + 1).filter((s): s is Signal => s !== undefined);
  log.error('could not deliver a workflow signal; the stream retries it', { signal: signals[failed.index], sequence: record?.dynamodb?.SequenceNumber, behind, err: failed.err });
  return { batchItemFailures: [{ itemIdentifier: record?.dynamodb?.SequenceNumber ?? '' }] };
}

/**
 * Off unless ZONEFLOW_DEBUG: one line per signal, for tracing a late light to its wake-up (`npm run simulate`). `ageMs`:
 * real milliseconds since the signal was committed — the stream's and this consumer's backlog (the stream's own
 * ApproximateCreationDateTime is rounded down to the minute).
 */
function trace(message: string, signal: Signal, record: DynamoDBStreamEvent['Records'][number], woke?: boolean): void {
  if (!process.env.ZONEFLOW_DEBUG) return;
  const signalledAt = Number(record.dynamodb?.NewImage?.signalledAt?.N);
  log.debug(message, {
    kind: signal.kind,
    projectId: 'projectId' in signal ? signal.projectId : undefined,
    reason: signal.kind === 'wake' ? signal.reason : undefined,
    woke,
    at: clock.now().toISOString(),
    ageMs: Number.isFinite(signalledAt) ? Date.now() - signalledAt : undefined,
  });
}

/**
 * A project's wake-up that follows one in the same batch which woke its waiting lifecycle, with nothing else for that
 * project between them, is redundant: every change a batch carries was committed before the batch was read, so the
 * review the first one started reads them all. One review a batch per project instead of one per change (an approval
 * round's decisions, a task completed and its letter answered). A wake-up that found no lifecycle waiting (it was
 * between reviews) does not count: the next one is delivered, as a change that moved no version (a letter's
 * acknowledgement) would not make register-wait wake it. A calendar's wake-up is always delivered.
 */
function redundant(signal: Signal, woken: Set<string>): boolean {
  if (signal.kind === 'wake' && !RECOMPUTE.has(signal.reason)) return woken.has(signal.projectId);
  if ('projectId' in signal) woken.delete(signal.projectId);
  return false;
}

/** Delivers one signal; for a wake-up (not a calendar's), whether it woke a waiting lifecycle. */
async function deliver(signal: Signal): Promise<boolean> {
  switch (signal.kind) {
    case 'wake': {
      // A calendar's or the lights': the project is flagged (and its version bumped) first, so the review it wakes
      // recomputes every date.
      const recompute = RECOMPUTE.has(signal.reason);
      if (recompute) await requestRecompute(signal.projectId, signal.reason);
      const woke = await nudgeWorkflow(signal.projectId, signal.reason);
      return woke && !recompute;
    }
    case 'start':
      await startLifecycle(signal.projectId, signal.executionName);
      return false;
    case 'calendar':
      await wakeProjects(`calendar-${signal.year}`, CALENDAR_LOADED, { year: signal.year });
      return false;
    case 'lights':
      await wakeProjects(`lights-${signal.version}`, LIGHTS_CHANGED, { version: signal.version });
      return false;
    case 'escalation':
      await wakeProjects(`escalation-${signal.version}`, ESCALATION_CHANGED, { version: signal.version });
      return false;
    case 'exit':
      await deliverExit(signal);
      return false;
    case 'department':
      // Not the workflow's: a red task's department counted for the notice list 通报提醒 after the commit.
      await noticeDepartment(signal);
      return false;
  }
}

/**
 * Starts the segment the admission recorded (idempotent by execution name). Only while the project still says
 * `starting` for that execution: a replayed signal after enter-stage marked it running does nothing. A transient
 * failure is retried by the stream; any other is recorded on the project (`start_failed`, audited) for ops to
 * redrive, not hidden.
 */
async function startLifecycle(projectId: string, executionName: string): Promise<void> {
  const project = await getProject(projectId);
  const ref = project?.workflow;
  if (!project || !ref || ref.executionName !== executionName || ref.status !== 'starting') return;
  try {
    // A forced resume takes over only a lifecycle whose recorded execution has stopped: never two at once.
    const previous = ref.confirmStopped && ref.resumedFrom ? await workflow.describeExecution(ref.resumedFrom) : undefined;
    if (previous === 'RUNNING') throw new Error(`${ref.resumedFrom} is still running: nothing was started (stop it first, or let it go on)`);
    await workflow.startExecution(executionName, { projectId, stage: project.stage, segment: ref.segment });
  } catch (err) {
    // Throttling or a Step Functions outage: back to the stream, which retries (then the failure queue and its alarm).
    if (isTransient(err)) throw err;
    log.error('lifecycle start failed', { projectId, executionName, err });
    const error = (err as Error).message;
    await changeProjectAs(SYSTEM_ACTOR, projectId, (p) => {
      const failed = startFailed(p, executionName, error);
      return failed && { project: failed, action: 'workflow.start_failed', notices: [{ kind: 'workflow.failed', projectId, execution: executionName, error, during: 'start' }], signal: null };
    });
  }
}

const CALENDAR_LOADED = 'calendar.loaded';
const LIGHTS_CHANGED = 'lights.changed';
const ESCALATION_CHANGED = 'escalation.changed';
/** The wake-ups that ask a project to recompute every open date (always delivered, never merged). */
const RECOMPUTE = new Set([CALENDAR_LOADED, LIGHTS_CHANGED]);

/**
 * A zone-wide publication fanned out into one wake signal per project it concerns — so each is delivered (and retried)
 * on its own and this record stays small whatever the number of projects.
 *
 * A year loaded or corrected, or a lights configuration published (a `RECOMPUTE` reason): every active project's dates
 * may move (due dates computed on weekdays only while the year was missing, across a holiday ops added; yellow dates a
 * new number of working days before), and so may those of any project with provisional dates: each is woken to
 * recompute them.
 *
 * An escalation ladder published: every active project's lifecycle is woken to review its ladder under it (whose tasks
 * count, the grace, the windows) — a plain wake, nothing to recompute: its dates do not follow the ladder's setting.
 * Without it a lifecycle that slept with nothing due (a department's task long red under `ladderTasks: enterprise`)
 * would rise to the new setting only at its idle recheck, up to 30 days later.
 */
async function wakeProjects(batch: string, reason: string, fields: Record<string, unknown>): Promise<void> {
  const recompute = RECOMPUTE.has(reason);
  const [active, provisional] = await Promise.all([activeProjectIds(), recompute ? queryProvisionalProjects() : []]);
  const projectIds = [...new Set([...active, ...provisional])];
  await emitSignals(projectIds.map((projectId) => ({ kind: 'wake', projectId, reason })), batch);
  log.info(recompute ? 'active projects signalled to recompute their dates' : 'active projects signalled to review their ladder', { reason, ...fields, projects: projectIds.length });
}

/**
 * Flags the project so its next review recomputes every open date on the calendar as it now stands. The change also
 * bumps the version: a workflow caught between its evaluation (on the old calendar) and registering its wait would
 * otherwise sleep on the old dates; register-wait wakes it at once. Flagged already, it is written again all the same:
 * a review under way — woken by an earlier correction, on the calendar it read before this one — then loses its race
 * and is made again on this calendar, instead of clearing the flag over dates this correction no longer holds.
 */
async function requestRecompute(projectId: string, reason: string): Promise<void> {
  await changeProjectAs(SYSTEM_ACTOR, projectId, (p) => {
    if (p.status !== 'ACTIVE') return undefined;
    return { project: { ...p, datesToRecompute: true }, action: 'workflow.recompute_requested', audit: { before: { version: p.version }, after: { version: p.version + 1, reason } }, signal: null };
  });
}
