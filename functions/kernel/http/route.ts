// The HTTP handler pipeline every API function shares: middy with problem+json errors, then
// authenticate → authorize role → body size/type → parse (body, path, query) → idempotent replay → domain call.
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Role } from '#kernel/domain/codes.ts';
import {
  Conflict,
  DomainError,
  IdempotencyMismatch,
  PayloadTooLarge,
  PreconditionRequired,
  ServiceUnavailable,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from '#kernel/domain/errors.ts';
import { requireRole, type Principal } from '#kernel/domain/principal.ts';
import { ConcurrentChange, ConditionFailed, transact, type WriteOp } from '#kernel/store/client.ts';
import { getIdempotencyRecord, idempotencyOp, idempotencyTable } from '#kernel/store/idempotency.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { isTransient } from '#kernel/runtime/faults.ts';
import { log } from '#kernel/runtime/log.ts';
import { principalFromClaims } from './claims.ts';
import { parse } from './validation.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const MAX_BODY_BYTES = 64 * 1024;
const ANONYMOUS: Principal = { sub: 'anonymous', name: 'anonymous', roles: [] };

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
  /**
   * Commits the writes atomically together with the idempotency record of `response` (when the request carried an
   * Idempotency-Key), then returns `response`. A concurrent twin that committed first wins: its response is replayed.
   */
  commit(ops: readonly WriteOp[], response: ApiResult): Promise<ApiResult>;
}

export interface RouteOptions<B, Q, P> {
  /** 'public': no token; 'any': any verified user; or the roles allowed to call the route. */
  readonly auth: 'public' | 'any' | readonly Role[];
  readonly body?: z.ZodMiniType<B>;
  readonly query?: z.ZodMiniType<Q>;
  readonly params?: z.ZodMiniType<P>;
  /** Writes accept Idempotency-Key. */
  readonly idempotent?: boolean;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export const etag = (version: number) => ({ etag: `"${version}"` });

function problem(err: unknown, requestId: string): ApiResult {
  if (err instanceof DomainError) {
    return {
      statusCode: err.status,
      headers: { 'content-type': 'application/problem+json; charset=utf-8' },
      body: JSON.stringify({
        type: err.type,
        title: err.title,
        status: err.status,
        detail: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
        requestId,
      }),
    };
  }
  if (err instanceof ConcurrentChange || err instanceof ConditionFailed) {
    // A write lost a race its handler did not retry: the caller's request was fine, so no 500 — retry it.
    log.warn('write lost a race', { requestId, err });
    return problem(new Conflict('The record changed while your request was being applied; nothing was written. Retry the request.'), requestId);
  }
  if (isTransient(err)) {
    // Throttling or a service fault on our side: the request may well succeed in a moment, and nothing was written.
    log.warn('transient fault', { requestId, err });
    const answer = problem(new ServiceUnavailable('The service is busy; nothing was written. Retry in a moment.'), requestId);
    return { ...answer, headers: { ...answer.headers, 'retry-after': '1' } };
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

function rawBody(event: ApiEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  return bytes.toString('utf8');
}

function parseJson(text: string | undefined, event: ApiEvent): unknown {
  if (text === undefined) return undefined;
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) throw new UnsupportedMediaType();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationFailed(`The body is not valid JSON: ${(err as Error).message}`, [{ path: '', message: 'invalid JSON' }]);
  }
}

function parseIfMatch(event: ApiEvent): number | undefined {
  const value = header(event, 'if-match');
  if (value === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(value);
  if (!m) throw new ValidationFailed('If-Match must be the ETag you read, e.g. "3"', [{ path: 'If-Match', message: 'expected a version ETag' }]);
  return Number(m[1]);
}

function idempotencyKey(event: ApiEvent): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new ValidationFailed('Idempotency-Key must be 1–128 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'invalid key' },
    ]);
  }
  return key;
}

export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>>(
  options: RouteOptions<B, Q, P>,
  fn: (req: ApiRequest<B, Q, P>) => Promise<ApiResult>,
) {
  // Fail fast at cold start: a write route without its idempotency table is a deployment error.
  if (options.idempotent) requireEnv(idempotencyTable);
  return middy<ApiEvent, ApiResult>()
    .use({
      onError: (request) => {
        request.response = problem(request.error, request.event.requestContext?.requestId ?? 'unknown');
      },
    })
    .handler(async (event) => {
      const requestId = event.requestContext?.requestId ?? 'unknown';
      const principal =
        options.auth === 'public' ? ANONYMOUS : principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
      if (options.auth !== 'public' && options.auth !== 'any') requireRole(principal, options.auth, 'This action');
      if (options.auth !== 'public' && principal.roles.length === 0) throw new Unauthorized('The token carries no role');

      const text = rawBody(event);
      const data = parseJson(text, event);
      if (!options.body && data !== undefined) {
        throw new ValidationFailed('This request takes no body', [{ path: '', message: 'unexpected body' }]);
      }
      const body = options.body ? parse(options.body, data ?? {}) : (undefined as B);
      const params = options.params ? parse(options.params, event.pathParameters ?? {}, 'path') : ({} as P);
      const query = options.query
        ? parse(options.query, event.queryStringParameters ?? {}, 'query')
        : (parse(emptyQuery, event.queryStringParameters ?? {}, 'query') as Q);
      const ifMatch = parseIfMatch(event);

      const key = options.idempotent ? idempotencyKey(event) : undefined;
      const scope = key && `${principal.sub}|${event.routeKey}|${event.rawPath}|${key}`;
      const hash = createHash('sha256').update(`${event.routeKey}\n${event.rawPath}\n${text ?? ''}`).digest('base64url');
      if (scope) {
        const replay = await replayed(scope, hash);
        if (replay) return replay;
      }

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
        async commit(ops, response) {
          if (!scope) {
            await transact(ops);
            return response;
          }
          await transact([...ops, idempotencyOp(scope, hash, response)]);
          return response;
        },
      };
      try {
        return await fn(request);
      } catch (err) {
        // A concurrent twin with the same key may have committed after our first look; then its change is why we
        // failed (stale version, already decided, not-exists) and its response is the answer. Otherwise ours stands.
        const replay = scope ? await replayed(scope, hash) : undefined;
        if (replay) return replay;
        throw err;
      }
    });
}

/** Routes without query parameters still reject unknown ones (a typo must not be silently ignored). */
const emptyQuery = z.strictObject({});

async function replayed(scope: string, hash: string): Promise<ApiResult | undefined> {
  const record = await getIdempotencyRecord(scope);
  if (!record) return undefined;
  if (record.requestHash !== hash) throw new IdempotencyMismatch();
  return { ...record.response, headers: { ...record.response.headers, 'idempotent-replayed': 'true' } };
}
