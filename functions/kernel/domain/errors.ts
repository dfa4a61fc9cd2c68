// Domain errors: each carries its HTTP status and problem type; the HTTP pipeline (kernel/http/route.ts) maps them to problem+json once.

/**
 * What is wrong with a field, as a stable word a client can branch on or translate (the message is English prose and
 * may be reworded; the code is part of the API and only grows):
 * - `required`: missing, or missing in this case (a rejection's reason);
 * - `type`: the wrong JSON type; `enum`: not one of the allowed values; `format`: a string of the wrong shape (a date,
 *   an id, a pattern);
 * - `too_small` / `too_big`: under or over a bound (a number, a length, a count);
 * - `out_of_range`: a date or period outside the window the case allows (after today, within the deficiency window,
 *   not before the quarter the project entered operation);
 * - `not_allowed`: a field that this case does not take (an amount on a whole-parcel reservation, tasks to reopen with
 *   an approval), or a value this caller or case may not use;
 * - `unknown_field`: a field the route does not have; `unknown_ref`: names a record or entry that does not exist
 *   (a letter series, a fund bucket, a task of another stage); `duplicate`: listed twice;
 * - `empty`: a change that changes nothing;
 * - `state`: the value is well formed but the record it acts on is not in a state that takes it (a parcel held or
 *   retired, a task still open, an extension in force already): a 409, which a retry does not cure;
 * - `malformed`: the body or a header could not be read (not JSON, not UTF-8, nested too deep, a bad cursor or ETag);
 * - `stale`: the If-Match names a version the record has moved on from (a 412): read it again, then send the change;
 * - `invalid`: anything else the message explains (a value inconsistent with another).
 */
export const FIELD_ERROR_CODES = [
  'required',
  'type',
  'enum',
  'format',
  'too_small',
  'too_big',
  'out_of_range',
  'not_allowed',
  'unknown_field',
  'unknown_ref',
  'duplicate',
  'empty',
  'state',
  'malformed',
  'invalid',
  'stale',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  /** JSON path of the failing field, e.g. "investor.enterpriseId" ("" for the body itself). */
  readonly path: string;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/**
 * A list's entries named again (the second, third… time), each at its index: `duplicate`, "… is listed twice". `key`:
 * what makes two entries the same (an address in any letter case).
 */
export function repeatsIn(list: readonly string[] | undefined, path: string, key: (v: string) => string = (v) => v): FieldError[] {
  const seen = new Set<string>();
  return (list ?? []).flatMap((v, i) => {
    const k = key(v);
    if (!seen.has(k)) return (seen.add(k), []);
    return [{ path: `${path}[${i}]`, code: 'duplicate' as const, message: `${v} is listed twice` }];
  });
}

export class DomainError extends Error {
  /** Sent as Retry-After: when a retry may succeed (a lost race, a busy service). */
  readonly retryAfterSeconds?: number;
  /** Members of the problem document beyond RFC 9457's (a write's `outcome`). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

const t = (slug: string) => `https://zoneflow.dev/problems/${slug}`;

export class ValidationFailed extends DomainError {
  constructor(detail: string, errors: readonly FieldError[]) {
    super(400, t('validation'), 'Request is not valid', detail, errors);
  }
}
export class Unauthorized extends DomainError {
  constructor(detail = 'A valid bearer token is required') {
    super(401, t('unauthorized'), 'Not authenticated', detail);
  }
}
export class Forbidden extends DomainError {
  /** `errors`: the field that makes it not allowed, when one does (a park center naming another park). */
  constructor(detail: string, errors?: readonly FieldError[]) {
    super(403, t('forbidden'), 'Not allowed', detail, errors);
  }
}
export class NotFound extends DomainError {
  constructor(detail: string) {
    super(404, t('not-found'), 'Not found', detail);
  }
}
export class Conflict extends DomainError {
  constructor(detail: string, errors?: readonly FieldError[]) {
    super(409, t('conflict'), 'Conflict with the current state', detail, errors);
  }
}
/**
 * A change that kept losing its race to other writers of the same record (many at once on one project): nothing was
 * written and the request itself was fine — retry it (answered with Retry-After). Its own problem type, so a client
 * tells it from a conflict with the state (a parcel taken, a quota used up), which a retry does not cure. A change
 * larger than one transaction (transactGroups) that lost its race after some of its transactions committed says so:
 * `outcome: "partial"` — each part written whole, and the same request sent again finishes it.
 */
export class Contended extends DomainError {
  override readonly retryAfterSeconds = 1;
  constructor(
    detail = 'The record is changing right now; nothing was written. Retry the request',
    /** The last race lost, as its writer named it (`letter number exit 2027 taken`): for the log and a workflow's failure, not the client. */
    readonly lostTo?: string,
    /** `{ outcome: 'partial' }` when part of the change was written before the race was lost. */
    override readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(409, t('concurrent-change'), 'The record is changing right now', detail);
  }
}
/** A stale If-Match: the header is named (errors[].path `If-Match`), as every refusal names what it refuses. */
export class PreconditionFailed extends DomainError {
  constructor(detail: string) {
    super(412, t('stale-version'), 'Version does not match', detail, [{ path: 'If-Match', code: 'stale', message: 'the record has changed since this version: read it again' }]);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super(413, t('too-large'), 'Request body too large', `The body exceeds ${limit} bytes`);
  }
}
export class UnsupportedMediaType extends DomainError {
  constructor(detail = 'Send the body as application/json') {
    super(415, t('media-type'), 'Unsupported media type', detail);
  }
}
/** A key sent again with another request: the header is named (errors[].path `Idempotency-Key`), as a stale If-Match is. */
export class IdempotencyMismatch extends DomainError {
  constructor() {
    super(
      422,
      t('idempotency-key-reused'),
      'Idempotency-Key reused',
      'This Idempotency-Key was used with a different request; use a new key',
      [{ path: 'Idempotency-Key', code: 'duplicate', message: 'used already with a different request: send a new key' }],
    );
  }
}
export class PreconditionRequired extends DomainError {
  constructor() {
    super(428, t('if-match-required'), 'If-Match required', 'Send If-Match with the version you read (ETag)', [{ path: 'If-Match', code: 'required', message: 'send the ETag you read' }]);
  }
}
export class ServiceUnavailable extends DomainError {
  constructor(
    detail: string,
    override readonly retryAfterSeconds?: number,
    override readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(503, t('unavailable'), 'Service unavailable', detail);
  }
}
