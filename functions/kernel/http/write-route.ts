// The pipeline of a write route: `route()`'s, plus the commit that stores the first response of an Idempotency-Key in
// the same transaction as the change (so a crash can never leave one without the other), and replays it after.
import { IdempotencyMismatch } from '#kernel/domain/errors.ts';
import type { RouteDeclaration } from '#kernel/declarations.ts';
import { transact, transactGroups, type WriteOp } from '#kernel/store/client.ts';
import { getIdempotencyRecord, idempotencyOp, idempotencyTable } from '#kernel/store/idempotency.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { pipeline, type ActorGate, type ApiRequest, type ApiResult, type Idempotency } from './route.ts';

export interface WriteRequest<B, Q, P> extends ApiRequest<B, Q, P> {
  /**
   * Commits the writes atomically together with the idempotency record of `response` (when the request carried an
   * Idempotency-Key), then returns `response`. A concurrent twin that committed first wins: its response is replayed.
   */
  commit(ops: readonly WriteOp[], response: ApiResult): Promise<ApiResult>;
  /**
   * As `commit`, with bounded atomic groups written before `ops` (transactGroups): packed into the transaction of `ops`
   * and the idempotency record whenever they fit, so the change commits whole or not at all; those that do not fit go
   * first, each transaction checking `guard` (the aggregate still as read), so none commits once another change won.
   */
  commitGroups(groups: readonly (readonly WriteOp[])[], ops: readonly WriteOp[], response: ApiResult, guard: WriteOp): Promise<ApiResult>;
}

const stored: Idempotency = {
  async replayed(scope, hash) {
    const record = await getIdempotencyRecord(scope);
    if (!record) return undefined;
    if (record.requestHash !== hash) throw new IdempotencyMismatch();
    return { ...record.response, headers: { ...record.response.headers, 'idempotent-replayed': 'true' } };
  },
};

/**
 * The handler of a write route: the declaration says who, what it takes and whether it takes an Idempotency-Key;
 * `actors`, who of them the configuration lets act (asked before the body is read: route.ts ActorGate).
 */
export function writeRoute<B, Q, P>(decl: RouteDeclaration<B, Q, P>, fn: (req: WriteRequest<B, Q, P>) => Promise<ApiResult>, actors?: ActorGate<P>) {
  // Fail fast at cold start: a write route without its idempotency table is a deployment error.
  if (decl.idempotent) requireEnv(idempotencyTable);
  return pipeline(
    decl,
    ({ request, idempotency }) =>
      fn({
        ...request,
        requireIfMatch: request.requireIfMatch,
        async commit(ops, response) {
          await transact(idempotency ? [...ops, idempotencyOp(idempotency.scope, idempotency.hash, response)] : ops);
          return response;
        },
        async commitGroups(groups, ops, response, guard) {
          await transactGroups([...groups, idempotency ? [...ops, idempotencyOp(idempotency.scope, idempotency.hash, response)] : ops], guard);
          return response;
        },
      }),
    stored,
    actors,
  );
}
