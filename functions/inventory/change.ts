// The unit of work of an inventory record: load → the domain decides → replace at the version read (If-Match pinned by
// the caller, else a lost race is decided again) → the record's audit event (its history) → idempotency record.
import type { Principal } from '#kernel/domain/principal.ts';
import { diff } from '#kernel/domain/values.ts';
import { assertPinned } from '#kernel/domain/version.ts';
import type { ApiResult } from '#kernel/http/route.ts';
import { auditOp } from '#kernel/store/audit.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { bump, retrying } from '#kernel/unit-of-work.ts';
import type { InventoryKind, Resource } from './domain/resource.ts';
import { loadResource, replaceResource } from './store/resources.ts';

/** The audit subject of a record: its history is this subject's events. */
export const resourceSubject = (id: string) => `RESOURCE#${id}`;

interface WriteRequestLike {
  readonly principal: Principal;
  readonly ifMatch: number | undefined;
  readonly requestId: string;
  commit(ops: readonly WriteOp[], response: ApiResult): Promise<ApiResult>;
}

export function changeResource(
  req: WriteRequestLike,
  kind: InventoryKind,
  id: string,
  action: string,
  decide: (current: Resource, now: Date) => Resource,
  respond: (next: Resource) => ApiResult,
): Promise<ApiResult> {
  return retrying(async () => {
    const now = clock.now();
    const current = await loadResource(kind, id);
    assertPinned(id, current.version, req.ifMatch);
    const next = bump(decide(current, now), current, now);
    const d = diff(current, next);
    return req.commit([replaceResource(next, current.version, req.ifMatch !== undefined), auditOp(resourceSubject(id), action, req.principal, d, now, req.requestId)], respond(next));
  }, req.ifMatch !== undefined);
}
