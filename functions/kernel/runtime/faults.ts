// Which failures are worth retrying: throttling, a service-side fault, a dropped connection — the kind a later attempt
// does not see. Workflow steps raise them as one error name the state machine retries with backoff and jitter, so only
// a real bug reaches "Record failure".
import { log } from './log.ts';

/** The error name the lifecycle's Retry matches for every transient fault a step meets. */
export class TransientFault extends Error {
  override name = 'TransientFault';
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TooManyRequestsException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // Our own: a change that kept losing its race to other writers (kernel/unit-of-work.ts) — a later attempt may win.
  'Contended',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** An error a later attempt may not see: throttling, a server-side fault, a network error, or the SDK saying so. */
export function isTransient(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e) return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return Boolean(e.$retryable) || status >= 500 || status === 429 || TRANSIENT_NAMES.has(e.name ?? '') || TRANSIENT_CODES.has(e.code ?? '');
}

/** Transient faults that say the request was refused before anything was applied (throttled, cancelled, never sent). */
const REFUSED_NAMES = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException', 'TransactionConflictException']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * A write's transient fault that leaves its outcome unknown: a server fault (DynamoDB: "the transaction may or may not
 * have succeeded"), a connection reset or a timeout after the request was sent. Not one that says it was refused.
 */
export function mayHaveApplied(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return isTransient(err) && !REFUSED_NAMES.has(e?.name ?? '') && !REFUSED_CODES.has(e?.code ?? '');
}

/** Whether an error says a write may have been applied (`mayHaveApplied`, marked where the write failed). */
export const outcomeUnknown = (err: unknown): boolean => (err as { outcomeUnknown?: unknown } | undefined)?.outcomeUnknown === true;

/**
 * The errors the state machines retry under their own names (statemachines/*.asl.json, beside TransientFault): the
 * domain's races a later attempt may win (a change that met another, a version that moved). Not a failure yet: what is
 * still left after the retries goes to "Record failure" (its line `lifecycle step failed`) or fails the exit (`exit
 * execution failed`), and the execution's alarm fires.
 */
export const RETRIED_BY_NAME: ReadonlySet<string> = new Set(['Conflict', 'PreconditionFailed', 'ConcurrentChange']);

/**
 * What a race a step kept losing means for ops (the message of its TransientFault, and so of the execution's failure
 * once the state machine's retries are spent): no request of theirs is involved — the Contended's own "Retry the
 * request" is for an API caller — so it names the record it lost on and says what to do.
 */
const lostRace = (err: Error & { lostTo?: string }): string =>
  `this workflow step kept losing its race to other writes of the same record${err.lostTo ? ` (the last: ${err.lostTo})` : ''}; nothing of the step was written. ` +
  'Another writer kept moving that record, or the record is wrong (an item edited by hand): find it in the step function\'s log ' +
  "('change gave up: it kept losing its race', its error names the record; runbook: an exit stays running), mend it if it is wrong, then redrive the execution";

/** What a step's input says of where it runs (the state machines pass `$$.Execution.Name`; the exit its `step`). */
function stepOf(input: unknown): Record<string, unknown> {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  return Object.fromEntries(['projectId', 'executionName', 'step'].filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
}

/**
 * Wraps a workflow step's handler: a transient fault leaves it as TransientFault (the original name and message in
 * the message, for the execution history); anything else keeps its own name — a domain error the state machine
 * retries by name (RETRIED_BY_NAME), or a bug that goes to "Record failure". Each is logged with the project and the
 * execution name; only the bug at error level (`workflow step failed`, the line ops find in the step function's log
 * group by the failed execution's name, and what its errors alarm counts), the retried ones as warnings.
 */
export function workflowStep<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return async (input) => {
    try {
      return await fn(input);
    } catch (err) {
      if (isTransient(err)) {
        log.warn('workflow step met a transient fault; the state machine retries it', { ...stepOf(input), err });
        throw new TransientFault(`${(err as Error).name}: ${(err as Error).name === 'Contended' ? lostRace(err as Error & { lostTo?: string }) : (err as Error).message}`, { cause: err });
      }
      if (RETRIED_BY_NAME.has((err as Error | undefined)?.name ?? '')) {
        log.warn('workflow step refused; the state machine retries it', { ...stepOf(input), err });
        throw err;
      }
      log.error('workflow step failed', { ...stepOf(input), err });
      throw err;
    }
  };
}
