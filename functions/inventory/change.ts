// The unit of work of an inventory record: load → who may change it (`admit`, on the record read: 403 before 428/412)
// → the version pinned → the domain decides → replace at the version read (If-Match pinned by the caller, else a lost
// race is decided again) → the record's audit event (its history) → idempotency record. One read serves them all.
import type { Principal } from '#kernel/domain/principal.ts';
import { diff } from '#kernel/domain/values.ts';
import { assertPinned } from '#kernel/domain/version.ts';
import { sealCursor, type CursorScope } from '#kernel/http/cursor.ts';
import type { ApiResult } from '#kernel/http/route.ts';
import { auditOp, listAudit, type AuditEvent, type AuditSubject } from '#kernel/store/audit.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { bump, retrying } from '#kernel/unit-of-work.ts';
import { labelOf } from './domain/reservation.ts';
import type { InventoryKind, Resource } from './domain/resource.ts';
import { loadResource, replaceResource } from './store/resources.ts';

/** The audit subject of a record: its history is this subject's events. */
export const resourceSubject = (id: string) => `RESOURCE#${id}`;
/** A record's audit subject with what the zone calls it (a parcel's code, a quota's year and pollutant): the zone's audit names it. */
export const namedResource = (r: Pick<Resource, 'id' | 'kind' | 'facts'>): AuditSubject => ({ key: resourceSubject(r.id), name: labelOf(r) });

/** The list a record's history cursor pages (GET /inventory/{kind}/{id} opens the cursors an edit's answer hands out). */
export const historyScope = (id: string, caller: string): CursorScope => ({ list: `history ${id}`, caller });

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
  // what the change is called in the record's history (a function: named once `admit` has read the request)
  action: string | (() => string),
  admit: (current: Resource) => void,
  decide: (current: Resource, now: Date) => Resource,
  respond: (next: Resource, history: readonly HistoryEntry[], historyCursor: string | null) => ApiResult,
  // what else the change writes in its transaction (a park named: park-names.ts)
  alsoWrite: (current: Resource, next: Resource, now: Date) => readonly WriteOp[] = () => [],
): Promise<ApiResult> {
  return retrying(async () => {
    const now = clock.now();
    // The record's history is read with it (one round trip): the answer shows it, as POST and GET do, with this change
    // last — when it fits the first page (HISTORY_PAGE events); a longer one answers with its first page and the
    // `historyCursor` GET /inventory/{kind}/{id} pages on from (this change on the last page), as GET itself does.
    const [current, page] = await Promise.all([loadResource(kind, id), listAudit(resourceSubject(id), HISTORY_PAGE, undefined, true)]);
    admit(current);
    assertPinned(id, current.version, req.ifMatch);
    const decided = decide(current, now);
    // The domain answered the record itself: nothing changes, nothing is written (the answer still carries the
    // Idempotency-Key's record).
    if (decided === current) return req.commit([], respond(current, page.items, await sealCursor(historyScope(id, req.principal.sub), page.lastKey)));
    const next = bump(decided, current, now);
    const event = typeof action === 'string' ? action : action();
    const d = diff(current, next);
    const history = page.lastKey ? page.items : [...page.items, { at: now.toISOString(), action: event, actor: req.principal.sub, actorName: req.principal.name, ...d }];
    const historyCursor = await sealCursor(historyScope(id, req.principal.sub), page.lastKey);
    return req.commit(
      [replaceResource(next, current.version, req.ifMatch !== undefined), auditOp(namedResource(next), event, req.principal, d, now, req.requestId), ...alsoWrite(current, next, now)],
      respond(next, history, historyCursor),
    );
  }, req.ifMatch !== undefined);
}

/** An event of a record's history as the answers show it. */
export type HistoryEntry = Pick<AuditEvent, 'at' | 'action' | 'actor' | 'actorName' | 'before' | 'after'>;

/** The events of a record's history an edit or confirmation answers with (GET's default page). */
export const HISTORY_PAGE = 50;
