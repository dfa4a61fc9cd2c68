// The HTTP handler pipeline every API function shares, driven by the route's declaration: middy with problem+json
// errors, then authenticate → authorize role (the declaration's list, then who the configuration lets act, given the
// path) → body size/type → parse (body, query) → idempotent replay → the handler. Reads use `route()`; writes use `writeRoute()` (write-route.ts), which adds the commit with idempotency.
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  Contended,
  DomainError,
  Forbidden,
  PayloadTooLarge,
  PreconditionRequired,
  ServiceUnavailable,
  UnsupportedMediaType,
  ValidationFailed,
} from '#kernel/domain/errors.ts';
import { requireRole, type Principal } from '#kernel/domain/principal.ts';
import { ConcurrentChange, ConditionFailed } from '#kernel/store/client.ts';
import type { RouteDeclaration } from '#kernel/declarations.ts';
import { isTransient, outcomeUnknown } from '#kernel/runtime/faults.ts';
import { log } from '#kernel/runtime/log.ts';
import { canonical } from '#kernel/domain/values.ts';
import { withRequestGate, withWriteGate } from '#kernel/runtime/write-gate.ts';
import { principalFromClaims } from './claims.ts';
import { scanJson } from './json-scan.ts';
import { negotiate, offeredTypes } from './negotiate.ts';
import { parse } from './validation.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** A binary body (a workbook), base64 as API Gateway and Lambda pass it. */
  isBase64Encoded?: boolean;
}

export const MAX_BODY_BYTES = 64 * 1024;
const ANONYMOUS: Principal = { sub: 'anonymous', name: 'anonymous', roles: [] };

/** A request past authentication and validation, as a handler receives it. */
export interface ApiRequest<B, Q, P> {
  readonly event: ApiEvent;
  readonly principal: Principal;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly requestId: string;
  /** The version from If-Match, when sent. */
  readonly ifMatch: number | undefined;
  /** If-Match, required: 428 when missing. */
  requireIfMatch(): number;
}

/** How the pipeline keeps a write's first response (see write-route.ts); reads have none. */
export interface Idempotency {
  /** The stored response of an earlier request with this scope, or undefined; 422 when its body differed. */
  replayed(scope: string, hash: string): Promise<ApiResult | undefined>;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export const etag = (version: number) => ({ etag: `"${version}"` });

function problem(err: unknown, requestId: string): ApiResult {
  if (err instanceof DomainError) {
    return {
      statusCode: err.status,
      headers: { 'content-type': 'application/problem+json; charset=utf-8', ...(err.retryAfterSeconds ? { 'retry-after': String(err.retryAfterSeconds) } : {}) },
      body: JSON.stringify({
        type: err.type,
        title: err.title,
        status: err.status,
        detail: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
        ...err.extensions,
        requestId,
      }),
    };
  }
  if (err instanceof ConcurrentChange || err instanceof ConditionFailed) {
    // A write lost a race its handler did not retry: the caller's request was fine, so no 500 — retry it.
    log.warn('write lost a race', { requestId, err });
    return problem(new Contended('The record changed while your request was being applied; nothing was written. Retry the request.'), requestId);
  }
  if (isTransient(err)) {
    // Throttling or a service fault on our side: it may well succeed in a moment. Nothing was written — unless a write
    // failed in a way that does not say so: then the answer says the outcome is unknown.
    log.warn('transient fault', { requestId, err });
    return problem(
      outcomeUnknown(err)
        ? new ServiceUnavailable('The store failed while your change was being written: it may have been applied. Retry with the same Idempotency-Key (it answers what was done), or read the record before sending the change again.', 1, { outcome: 'unknown' })
        : new ServiceUnavailable('The service is busy; nothing was written. Retry in a moment.', 1),
      requestId,
    );
  }
  log.error('unhandled error', { requestId, err });
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify({
      type: 'https://zoneflow.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: `Something went wrong on our side; quote request id ${requestId}`,
      requestId,
    }),
  };
}

const header = (event: ApiEvent, name: string): string | undefined => event.headers?.[name];

const hasBody = (event: ApiEvent): event is ApiEvent & { body: string } => !(event.body === undefined || event.body === null || event.body === '');

function rawBody(event: ApiEvent): string | undefined {
  if (!hasBody(event)) return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  // A compressed body (gzip, br, …) is a media type this API does not take: 415, not "not UTF-8" on its bytes.
  const encoding = header(event, 'content-encoding')?.trim();
  if (encoding && !/^identity$/i.test(encoding)) throw new UnsupportedMediaType(`Send the body as application/json, not encoded (Content-Encoding: ${encoding.slice(0, 40)})`);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ValidationFailed('The body is not valid UTF-8', [{ path: '', code: 'malformed', message: 'not UTF-8' }]);
  }
}

/** No request of this API nests deeper (a configuration document, a parcel's outline): deeper is refused, not walked. */
const MAX_NESTING = 32;

const canonicalQuery = (query: Record<string, string | undefined> | undefined): string =>
  new URLSearchParams(
    Object.entries(query ?? {})
      .flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, v]]))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ).toString();

/**
 * Every query parameter of this API takes one value, and a list is never spelt by repeating one: API Gateway (and the
 * local server, as it does) joins `?status=ACTIVE&status=EXITED` into "ACTIVE,EXITED", which a free-text filter would
 * take as one value. A parameter given more than once is a 400 naming it, read from the query as sent.
 */
function refuseRepeatedQuery(raw: string | undefined): void {
  if (!raw?.includes('&')) return;
  const counts = new Map<string, number>();
  for (const name of new URLSearchParams(raw).keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const errors = [...counts].filter(([, n]) => n > 1).map(([name, n]) => ({ path: `query.${name}`, code: 'duplicate' as const, message: `given ${n} times: this parameter takes one value` }));
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** Bytes that are not UTF-8 are refused, not replaced (a name would keep U+FFFD where the sender wrote something). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseJson(text: string | undefined, event: ApiEvent): unknown {
  if (text === undefined) return undefined;
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) throw new UnsupportedMediaType();
  // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as something else than sent.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new UnsupportedMediaType();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ValidationFailed(`The body is not valid JSON: ${(err as Error).message}`, [{ path: '', code: 'malformed', message: 'invalid JSON' }]);
  }
  // Every later step (validation, the Idempotency-Key's hash, comparisons) may walk the value: bound how deep it goes.
  // A key named twice in one object is refused, not resolved: JSON.parse keeps the last, the sender may mean the first.
  const shape = scanJson(text, MAX_NESTING);
  if (shape.duplicate !== undefined) {
    throw new ValidationFailed(`The body names ${shape.duplicate} twice`, [{ path: shape.duplicate, code: 'duplicate', message: 'named twice in one object: send each key once' }]);
  }
  // zod's records and every spread or assignment drop it (or set the prototype with it): what was sent would be left
  // out while the rest is taken — refused instead, as a config/letters series coded __proto__ was taken as nothing (200).
  if (shape.reserved !== undefined) {
    throw new ValidationFailed(`The body names the key __proto__ (at ${shape.reserved})`, [{ path: shape.reserved, code: 'not_allowed', message: '__proto__ is no key a body may name: choose another' }]);
  }
  if (shape.depth > MAX_NESTING) throw new ValidationFailed(`The body nests arrays and objects deeper than ${MAX_NESTING} levels`, [{ path: '', code: 'malformed', message: `nested deeper than ${MAX_NESTING} levels` }]);
  // Every body this API takes is an object: one that is not is named as a whole (path "", as a body that is not JSON)
  // and said what it is, on every route alike — not left to each schema ("expected object" at no path a reader knows).
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`;
    throw new ValidationFailed(`The body must be a JSON object, not ${what}`, [{ path: '', code: 'type', message: `must be a JSON object, not ${what}` }]);
  }
  return data;
}

function parseIfMatch(event: ApiEvent): number | undefined {
  const value = header(event, 'if-match');
  if (value === undefined) return undefined;
  // The weak form W/"3" is taken as "3", by decision: the version is the whole validator (no representation differs
  // byte by byte under one version), and a proxy that compresses answers weakens the ETags it passes on.
  // The bare version 3 is taken too; a quote on one side only ("3) is no ETag: refused, not guessed at.
  const m = /^\s*(?:W\/)?(?:"(\d{1,12})"|(\d{1,12}))\s*$/.exec(value);
  if (!m) throw new ValidationFailed('If-Match must be the ETag you read, e.g. "3"', [{ path: 'If-Match', code: 'malformed', message: 'expected a version ETag' }]);
  return Number(m[1] ?? m[2]);
}

function idempotencyKey(event: ApiEvent): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new ValidationFailed('Idempotency-Key must be 1–128 visible ASCII characters', [
      { path: 'Idempotency-Key', code: 'malformed', message: 'invalid key' },
    ]);
  }
  return key;
}

/** The parsed request and, for an idempotent write, the key's scope and request hash. */
export interface Parsed<B, Q, P> {
  readonly request: ApiRequest<B, Q, P>;
  readonly idempotency?: { readonly scope: string; readonly hash: string };
}

/**
 * Who may act on a route whose actors the configuration names (a letter's issuers, the interviewer, an inventory
 * kind's owners — their declaration's `auth` is every staff role): given the path's parameters, it throws Forbidden for
 * a role that may not act. The pipeline asks it right after the declaration's role gate, before the body is read, so
 * such a role is told 403 whatever it sent — as on a route with a fixed role list. The handler's own checks (a series,
 * a park, a round's departments) still follow.
 */
export type ActorGate<P> = (principal: Principal, params: P) => Promise<void>;

/**
 * The pipeline of one declared route: authenticate → authorize role (the declaration's, then the `actors` gate given
 * the path) → body size/type → parse (body, query) → `fn`, with a keyed write's stored response looked up alongside (its
 * writes wait for the lookup) and replayed when there is one. A concurrent twin with the same Idempotency-Key that
 * committed first is replayed.
 */
export function pipeline<B, Q, P>(decl: RouteDeclaration<B, Q, P>, fn: (parsed: Parsed<B, Q, P>) => Promise<ApiResult>, idempotency?: Idempotency, actors?: ActorGate<P>) {
  // middy's own early timeout answers while the handler goes on — and may then commit what it was told was not written:
  // the request's gate keeps the budget instead (write-gate.ts withRequestGate).
  const offered = decl.produces ? undefined : offeredTypes(decl);
  // A route answering in several types by the Accept header says so (Vary), as RFC 9110 asks: a cache must not hand
  // the CSV or the printable page to a reader that asked for JSON.
  const negotiated = (offered?.length ?? 0) > 1;
  return middy<ApiEvent, ApiResult>({ timeoutEarlyInMillis: 0 })
    .use({
      onError: (request) => {
        // A refusal varies by Accept as the route's other answers do; a 406 on any route does (another Accept had an answer).
        const refusal = problem(request.error, request.event.requestContext?.requestId ?? 'unknown');
        request.response = headless(request.event, negotiated || refusal.statusCode === 406 ? varyByAccept(refusal) : refusal);
      },
    })
    .handler(async (event, context) => {
      const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
      const result = await withRequestGate(remaining === undefined ? undefined : remaining - ANSWER_RESERVE_MS, () => handle(event), (contended) => {
        log.warn('request out of time before it wrote anything', { requestId: event.requestContext?.requestId, contended });
        // Its time went on losing races to other writers of the same record (30 letters at once on one project): the
        // answer a race lost after the last attempt has (unit-of-work.ts retrying), a 409 to retry — not a busy service.
        return contended ? new Contended('The record kept changing while your request was being applied (other changes to it at the same moment); nothing was written. Retry the request') : new OutOfTime();
      });
      return unchanged(event, headless(event, negotiated ? varyByAccept(result) : result));
    });

  /**
   * A 304 for a read whose ETag the caller holds (If-None-Match), on a route whose answer its version fixes — a stored
   * version: `"0"` names the code's built-in default, whose content a deploy may change under it, so it is answered in
   * full (a cache holding the default from before the deploy must not be told it is still the answer).
   */
  function unchanged(event: ApiEvent, result: ApiResult): ApiResult {
    const held = decl.notModified && result.statusCode === 200 ? header(event, 'if-none-match') : undefined;
    const tag = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'etag')?.[1];
    if (held === undefined || tag === undefined || tag === BUILT_IN_ETAG || !heldTagMatches(held, tag)) return result;
    // What a cache needs to freshen what it keeps (RFC 9110 15.4.5): the validator and how the answer varies — no body,
    // no content metadata.
    const kept = Object.fromEntries(Object.entries(result.headers).filter(([k]) => NOT_MODIFIED_HEADERS.has(k.toLowerCase())));
    return { statusCode: 304, headers: kept, body: '' };
  }

  async function handle(event: ApiEvent): Promise<ApiResult> {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const principal = decl.auth === 'public' ? ANONYMOUS : principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    // A valid token with no role this API knows is refused as any role not allowed is: 403 on every route (401 is for
    // a token that is missing or not valid, which the authorizer — locally the server — answers before this).
    if (decl.auth !== 'public' && principal.roles.length === 0) throw new Forbidden('The token carries no role this API knows');
    if (decl.auth !== 'public' && decl.auth !== 'any') requireRole(principal, decl.auth, 'This action');
    // The path names what is acted on (an inventory's kind): parsed before the body, so who may act on it is answered
    // before what was sent, on every route alike.
    const params = decl.params ? parse(decl.params, event.pathParameters ?? {}, 'path') : ({} as P);
    if (actors) await actors(principal, params);
    // A JSON route answers only in the types it declares: an Accept none of them meets is a 406 naming them, not JSON
    // anyway (`GET /projects` with `Accept: text/csv`); the routes with several choose among them themselves. A file
    // route (`/reports/ledger.csv`) is its file whatever the Accept: its path names the type, as a static file's does.
    if (offered) negotiate(header(event, 'accept'), offered);

    // A route that takes no body refuses any body with the one 400 its description declares, before reading it: its
    // size, type or encoding would otherwise answer 413 or 415 ("send it as JSON"), which it does not declare.
    if (!decl.body && hasBody(event)) {
      throw new ValidationFailed('This request takes no body', [{ path: '', code: 'not_allowed', message: 'unexpected body' }]);
    }
    const text = rawBody(event);
    const data = parseJson(text, event);
    // No body is an empty one; a body of JSON null is not (parseJson refused it: not an object).
    const body = decl.body ? parse(decl.body, data === undefined ? {} : data) : (undefined as B);
    refuseRepeatedQuery(event.rawQueryString);
    const query = decl.query
      ? parse(decl.query, event.queryStringParameters ?? {}, 'query')
      : (parse(emptyQuery, event.queryStringParameters ?? {}, 'query') as Q);
    const ifMatch = parseIfMatch(event);

    const key = decl.idempotent && idempotency ? idempotencyKey(event) : undefined;
    const scope = key && `${principal.sub}|${event.routeKey}|${event.rawPath}|${key}`;
    const request: ApiRequest<B, Q, P> = {
      event,
      principal,
      body,
      query,
      params,
      requestId,
      ifMatch,
      requireIfMatch() {
        if (ifMatch === undefined) throw new PreconditionRequired();
        return ifMatch;
      },
    };
    if (!scope || !idempotency) return fn({ request, idempotency: undefined });
    // The request as meant, not as spelt: the same JSON with other spacing or key order is the same request; another
    // query (a DELETE's reason) is another.
    const hash = createHash('sha256').update(`${event.routeKey}\n${event.rawPath}\n${canonicalQuery(event.queryStringParameters)}\n${data === undefined ? '' : canonical(data)}`).digest('base64url');
    // The key's stored response is looked up while the handler reads and decides; the handler writes nothing until
    // the lookup has found none (kernel/runtime/write-gate.ts). A stored response is the answer, whatever the handler
    // made of the state its first run left (a task already completed, a gate already decided).
    const lookup = idempotency.replayed(scope, hash);
    const { outcome, stored } = await withWriteGate(lookup, () => fn({ request, idempotency: { scope, hash } }));
    const replay = await stored;
    if (replay) return replay;
    if (outcome.status === 'fulfilled') return outcome.value;
    // A concurrent twin with the same key may have committed after our first look; then its change is why we
    // failed (stale version, already decided, not-exists) and its response is the answer. Otherwise ours stands.
    const twin = await idempotency.replayed(scope, hash);
    if (twin) return twin;
    throw outcome.reason;
  }
}

/** The ETag of a built-in default (version 0: no stored version; configuration and channels before a publication). */
const BUILT_IN_ETAG = etag(0).etag;

const NOT_MODIFIED_HEADERS = new Set(['etag', 'vary', 'cache-control', 'expires', 'content-location', 'date']);

/**
 * If-None-Match `held` names the answer's ETag `tag`: `*`, or one of its comma-separated entity tags by the weak
 * comparison (W/"3" is "3"), as RFC 9110 13.1.2 has a GET compare them.
 */
function heldTagMatches(held: string, tag: string): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  if (held.trim() === '*') return true;
  return held.split(',').some((t) => opaque(t) === opaque(tag));
}

/** The answer with Accept among the request headers it varies by (beside any the handler named). */
function varyByAccept(result: ApiResult): ApiResult {
  const headers = { ...result.headers };
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'vary');
  const named = key === undefined ? [] : String(headers[key]).split(',').map((v) => v.trim()).filter(Boolean);
  if (key !== undefined) delete headers[key];
  return { ...result, headers: { ...headers, Vary: named.some((v) => v.toLowerCase() === 'accept') ? named.join(', ') : ['Accept', ...named].join(', ') } };
}

/**
 * A HEAD request (routed beside each GET route: catalog.ts gatewayMethods) is answered as the GET: the same status and
 * headers, its Content-Length the GET body's, and no body.
 */
function headless(event: ApiEvent | undefined, result: ApiResult): ApiResult {
  if (event?.requestContext?.http?.method !== 'HEAD') return result;
  const length = result.isBase64Encoded ? Buffer.from(result.body, 'base64').byteLength : Buffer.byteLength(result.body);
  return { statusCode: result.statusCode, headers: { ...result.headers, 'content-length': String(length) }, body: '' };
}

/**
 * The time kept back from the function's timeout to answer a request out of time itself (a problem+json 503) rather
 * than be cut off by the platform; a request with a write under way is given it too, to finish that write.
 */
const ANSWER_RESERVE_MS = 1000;

/** A request that ran out of its time before it wrote anything (it never will): a 503 to retry. */
class OutOfTime extends ServiceUnavailable {
  constructor() {
    super('The request took too long and was stopped before it wrote anything; nothing was written. Retry in a moment.', 1);
  }
}

/** The handler of a read route (no writes, so no Idempotency-Key): the declaration says who and what it takes. */
export function route<B, Q, P>(decl: RouteDeclaration<B, Q, P>, fn: (req: ApiRequest<B, Q, P>) => Promise<ApiResult>, actors?: ActorGate<P>) {
  return pipeline(decl, ({ request }) => fn(request), undefined, actors);
}

/** Routes without query parameters still reject unknown ones (a typo must not be silently ignored). */
const emptyQuery = z.strictObject({});

/** A body with `warnings` (what was done that the caller may not mean: stored, not refused) when there are any. */
export const withWarnings = <T extends object>(body: T, warnings: readonly string[]): T | (T & { warnings: readonly string[] }) => (warnings.length ? { ...body, warnings } : body);
