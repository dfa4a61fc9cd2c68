// Everything a project holds goes back (a rejected admission now; the exit procedure, land reclaimed 盘活, next): each
// reservation and each fund allocation released as its own atomic group (the record, the inventory or bucket, the
// record's history, the reuse notices), committed before the project's own transaction. A crash between groups leaves
// each released one whole; the re-run skips what is already released and finishes the rest.
import { Forbidden } from '#kernel/domain/errors.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import { auditOp } from '#kernel/store/audit.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { ChangeGroup } from '#projects/change.ts';
import type { Project } from '#projects/domain/project.ts';
import { resourceSubject } from './change.ts';
import { releaseAllocation, type FundAllocation } from './domain/fund.ts';
import type { InventoryConfig } from './domain/period.ts';
import { mayDrawOn, release, type ReleaseCause, type Reservation } from './domain/reservation.ts';
import { isUnitKind, parkOf } from './domain/resource.ts';
import { reuseNotices } from './reuse.ts';
import { getReservation, replaceReservation, reservationHeldCheck } from './store/reservations.ts';
import { allocationHeldCheck, getAllocation, replaceAllocation } from './store/allocations.ts';
import { returnToBucket } from './store/buckets.ts';
import { getResource, releaseOp } from './store/resources.ts';

/**
 * What releasing one stored reservation writes and tells (a user's release, a rejected admission, an exit): the
 * reservation marked released, the record back (a unit available again, a quota's amount returned), the record's
 * history, and the reuse notices of a unit to the SIGNING projects it fits. The one release path of the module.
 */
export async function reservationRelease(args: { project: Project; stored: Reservation | undefined; rid: string; by: Principal; reason: string; cause: ReleaseCause; now: Date; cfg: InventoryConfig; requestId?: string }) {
  const { project, stored, by, reason, now } = args;
  const { reservation, held } = release({ project, reservation: stored, rid: args.rid, by, reason, now, cause: args.cause });
  const resource = await getResource(reservation.kind, reservation.resourceId);
  // A park center releases what it may reserve: its own park's records (the resources bureau's across the zone).
  if (args.cause === 'released' && resource && !mayDrawOn(by, project, parkOf(resource))) {
    throw new Forbidden(`${reservation.resourceLabel} is in ${parkOf(resource)}: a park center releases its own park's records (the resources bureau across the zone)`, [
      { path: 'path.rid', code: 'not_allowed', message: `holds a record of ${parkOf(resource)}, not ${by.park ?? 'your park'}` },
    ]);
  }
  const back = resource && (isUnitKind(resource.kind) ? { ...resource, status: 'available' as const, heldBy: null } : resource);
  const writes: WriteOp[] = [
    replaceReservation(reservation, stored!.status),
    releaseOp(reservation.kind, reservation.resourceId, reservation.id, reservation.amount, now),
    auditOp({ key: resourceSubject(reservation.resourceId), name: reservation.resourceLabel }, args.cause === 'exit' ? 'resource.reclaimed' : 'resource.released', by, { before: { projectId: project.id, reservation: reservation.id, status: stored!.status }, after: { status: 'available', amount: reservation.amount, reason } }, now, args.requestId),
  ];
  const notices = back ? await reuseNotices(back, project.id, args.cfg.reuseNoticeLimit) : [];
  return { reservation, held, writes, notices };
}

/** What releasing one stored fund allocation writes: the allocation marked released, its unspent part back to its bucket. */
export function allocationRelease(args: { project: Project; stored: FundAllocation | undefined; aid: string; by: Principal; reason: string; now: Date; system?: boolean }) {
  const { allocation, returnedCny, held } = releaseAllocation({ project: args.project, allocation: args.stored, aid: args.aid, by: args.by, reason: args.reason, now: args.now, system: args.system });
  const writes: WriteOp[] = [replaceAllocation(allocation, args.stored!), ...(returnedCny > 0 ? [returnToBucket(allocation.year, allocation.bucket, returnedCny)] : [])];
  return { allocation, returnedCny, held, writes };
}

/**
 * `released`: what this run gives back; `before`: what an earlier run that did not finish gave back already (the
 * holding's own record says released while the project still lists it) — a record of the whole release names both.
 */
export async function releaseAll(args: { project: Project; by: Principal; reason: string; cause: Exclude<ReleaseCause, 'released'>; now: Date; cfg: InventoryConfig; requestId?: string }): Promise<{ project: Project; groups: ChangeGroup[]; released: string[]; before: string[] }> {
  const { project, by, reason, now } = args;
  const groups: ChangeGroup[] = [];
  const released: string[] = [];
  const before: string[] = [];
  for (const held of project.reservations ?? []) {
    const stored = await getReservation(project.id, held.id);
    if (stored?.status === 'released') before.push(held.id);
    if (!stored || stored.status === 'released') continue; // released by an earlier run
    const r = await reservationRelease({ ...args, stored, rid: held.id });
    groups.push({
      writes: r.writes,
      events: [{ action: 'resource.released', before: { reservation: r.reservation.id, status: stored.status }, after: { resourceId: r.reservation.resourceId, cause: args.cause, reason } }],
      notices: r.notices,
    });
    released.push(r.reservation.id);
  }
  for (const held of project.fundAllocations ?? []) {
    const stored = await getAllocation(project.id, held.id);
    if (stored?.status === 'released') before.push(held.id);
    if (!stored || stored.status === 'released') continue;
    const a = allocationRelease({ project, stored, aid: held.id, by, reason, now, system: true });
    groups.push({ writes: a.writes, events: [{ action: 'fund.released', before: { allocation: a.allocation.id }, after: { returnedCny: a.returnedCny, cause: args.cause, reason } }] });
    released.push(a.allocation.id);
  }
  return { project: { ...project, reservations: [], fundAllocations: [] }, groups, released, before };
}

/**
 * Conditions, for the transaction of a decision that found none of the project's holdings released (releasedMeanwhile),
 * that each is still not released at its commit: a rejection's transaction of groups, guarded only by the project's
 * version, may commit between that read and the decision's own write (which leaves the version as read until it
 * commits) — the decision is then read and decided again, and refused.
 */
export function stillHeldChecks(project: Pick<Project, 'id' | 'reservations' | 'fundAllocations'>): WriteOp[] {
  return [...(project.reservations ?? []).map((r) => reservationHeldCheck(project.id, r.id)), ...(project.fundAllocations ?? []).map((a) => allocationHeldCheck(project.id, a.id))];
}
