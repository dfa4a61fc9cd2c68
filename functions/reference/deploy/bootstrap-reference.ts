// The reference-data custom resource: on every deploy (Create and Update) it ensures the reference data the product
// cannot run without (reference/store/bootstrap.ts); Delete leaves it (the tables are retained).
//
// CloudFormation calls it once every function of the deploy is updated, but an invocation that began on the old code
// just before may still run — and write the old way, outside an index a back-fill fills — until its timeout is over
// (and Lambda's switch-over, under a minute). So a one-off back-fill is marked done only by a pass that starts after
// `oldCodeSettleSeconds` (the stack's longest function timeout and a minute): when the first pass leaves one unmarked,
// this function waits that long since it started and passes again (docs/design.md, "The deploy's back-fills").
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '#kernel/runtime/log.ts';
import { ensureReferenceData, type ReferenceDataReport } from '#reference/store/bootstrap.ts';

export { ensureReferenceData };

/** A pass's time budget for its back-fills (a deploy's custom resource has minutes, not hours). */
const PASS_BUDGET_MS = 60_000;
/** Kept for the answer to CloudFormation after the later pass. */
const ANSWER_MARGIN_MS = 30_000;

export interface DeployClock {
  readonly now: () => Date;
  readonly wait: (ms: number) => Promise<unknown>;
  /** How long this invocation may still run (Lambda's `context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
}

const realClock: DeployClock = { now: () => new Date(), wait: (ms) => sleep(ms), remainingMs: () => Number.POSITIVE_INFINITY };

/**
 * The deploy's passes: the first as soon as the functions are updated; when it leaves a back-fill unmarked (old code
 * may still write), the later one, started `settleMs` after `start`, which takes in what the old code wrote meanwhile
 * and marks it done. Without time for that pass in this invocation, the next deploy does it (and says so in the log).
 */
export async function deployPasses(start: Date, settleMs: number, clock: DeployClock = realClock): Promise<ReferenceDataReport> {
  const oldCodeUntil = new Date(start.getTime() + settleMs);
  const first = await ensureReferenceData(start, PASS_BUDGET_MS, { oldCodeUntil });
  log.info('reference data ensured', { ...first });
  if (first.settling.length === 0) return first;
  // A second over: a timer that fires a moment early would start the later pass before oldCodeUntil, which marks nothing.
  const waitMs = Math.max(0, oldCodeUntil.getTime() - clock.now().getTime()) + 1000;
  if (clock.remainingMs() < waitMs + PASS_BUDGET_MS + ANSWER_MARGIN_MS) {
    log.warn('no time for the later pass of the back-fills: they stay unmarked, the next deploy passes again', { settling: first.settling, oldCodeUntil: oldCodeUntil.toISOString() });
    return first;
  }
  log.info('back-fills gone through; waiting for the old code to end before the later pass marks them done', { settling: first.settling, oldCodeUntil: oldCodeUntil.toISOString() });
  await clock.wait(waitMs);
  const second = await ensureReferenceData(clock.now(), PASS_BUDGET_MS, { oldCodeUntil });
  log.info('reference data ensured (later pass)', { ...second });
  return second;
}

/** The CloudFormation custom resource event (the fields this handler reads). */
interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  /** `oldCodeSettleSeconds`: how long after this call a function still on the old code may write (the stack sets it). */
  readonly ResourceProperties?: DeployProperties;
  /** On an Update, the properties it had: a rollback goes back to an earlier `deployedAt`. */
  readonly OldResourceProperties?: DeployProperties;
}

interface DeployProperties {
  /** The seed's digest (reference/store/seed.ts): what the seed was. */
  readonly seed?: string;
  readonly deployedAt?: string;
  readonly oldCodeSettleSeconds?: string | number;
}

/**
 * A rollback's call: CloudFormation going back to the properties of an earlier deploy, after which the functions run the
 * old code again. A back-fill marked now would stay marked while that code writes the old way, so nothing is run.
 */
function rollingBack(event: CustomResourceEvent): boolean {
  if (event.RequestType !== 'Update') return false;
  const to = Date.parse(String(event.ResourceProperties?.deployedAt));
  const from = Date.parse(String(event.OldResourceProperties?.deployedAt));
  return to < from;
}

const PHYSICAL_ID = 'zoneflow-reference-data';

/** Custom resource handler: Create and Update ensure the reference data; Delete leaves it (the tables are retained). */
export async function handler(event: CustomResourceEvent, context?: { getRemainingTimeInMillis(): number }): Promise<void> {
  const start = new Date();
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'reference data in place';
  let data: Record<string, string> = {};
  try {
    if (rollingBack(event)) {
      log.warn('rollback: no pass of the reference data (nothing marked; the next deploy passes again)', { to: event.ResourceProperties?.deployedAt, from: event.OldResourceProperties?.deployedAt });
      reason = 'rollback: nothing run';
    } else if (event.RequestType !== 'Delete') {
      const settleMs = Number(event.ResourceProperties?.oldCodeSettleSeconds ?? 0) * 1000;
      const report = await deployPasses(start, settleMs, { ...realClock, remainingMs: () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY });
      data = { calendarYears: String(report.calendarYears.length), configs: report.configs.join(',') || 'none', parkTasksRekeyed: String(report.parkTasksRekeyed), openTasksIndexed: String(report.openTasksIndexed), projectsReindexed: String(report.projectsReindexed), reindexFinished: String(report.reindexFinished), lettersIndexed: String(report.lettersIndexed), settling: report.settling.join(',') || 'none' };
      reason = `calendar years loaded: ${report.calendarYears.length}; configurations published: ${report.configs.join(', ') || 'none'}`;
    }
  } catch (err) {
    log.error('reference data bootstrap failed', { err });
    status = 'FAILED';
    reason = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 500);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed S3 URL is signed without a content type: send none.
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response refused: ${res.status}`);
}
