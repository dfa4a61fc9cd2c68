// Who may act on an inventory kind, as the configuration in force names its keepers and readers: the gates the
// pipeline asks right after the declarations' role gate, before the body or query is read (route.ts ActorGate) — a role
// that may not is told 403 whatever it sent. Light on purpose: a handler's bundle carries no store beyond the reference.
import type { ActorGate } from '#kernel/http/route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { requireMaintainer, requireReader, type InventoryKind } from './domain/resource.ts';

/**
 * Who may add, edit or confirm records of the path's kind, asked before the body is read (route.ts ActorGate): a role
 * that keeps no record of the kind is told so (403) whatever it sent. A park's center passes for its own park here;
 * the record's park (or the body's) is checked when it is known.
 */
export const keepsKind: ActorGate<{ readonly kind: InventoryKind }> = async (p, { kind }) => requireMaintainer(p, kind, p.park, (await getConfig('inventory')).doc);

/** Who may read records of the path's kind, asked before the query is read: 403 naming who reads it. */
export const readsKind: ActorGate<{ readonly kind: InventoryKind }> = async (p, { kind }) => requireReader(p, kind, (await getConfig('inventory')).doc);
