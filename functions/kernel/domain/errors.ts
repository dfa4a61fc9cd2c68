// Domain errors: each carries its HTTP status and problem type; the HTTP pipeline (kernel/http/route.ts) maps them to problem+json once.

export interface FieldError {
  /** JSON path of the failing field, e.g. "investor.enterpriseId" ("" for the body itself). */
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
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
 * tells it from a conflict with the state (a parcel taken, a quota used up), which a retry does not cure.
 */
export class Contended extends DomainError {
  readonly retryAfterSeconds = 1;
  constructor(detail = 'The record is changing right now; nothing was written. Retry the request') {
    super(409, t('concurrent-change'), 'The record is changing right now', detail);
  }
}
export class PreconditionFailed extends DomainError {
  constructor(detail: string) {
    super(412, t('stale-version'), 'Version does not match', detail);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super(413, t('too-large'), 'Request body too large', `The body exceeds ${limit} bytes`);
  }
}
export class UnsupportedMediaType extends DomainError {
  constructor() {
    super(415, t('media-type'), 'Unsupported media type', 'Send the body as application/json');
  }
}
export class IdempotencyMismatch extends DomainError {
  constructor() {
    super(
      422,
      t('idempotency-key-reused'),
      'Idempotency-Key reused',
      'This Idempotency-Key was used with a different request; use a new key',
    );
  }
}
export class PreconditionRequired extends DomainError {
  constructor() {
    super(428, t('if-match-required'), 'If-Match required', 'Send If-Match with the version you read (ETag)');
  }
}
export class ServiceUnavailable extends DomainError {
  constructor(detail: string) {
    super(503, t('unavailable'), 'Service unavailable', detail);
  }
}
