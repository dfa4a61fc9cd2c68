// Everything a project holds goes back (a rejected admission now; the exit procedure, land reclaimed 盘活, next): each
// reservation and each fund allocation released as its own atomic group (the record, the inventory or bucket, the
// record's history, the reuse notices), committed before the project's own transaction. A crash between groups leaves
// each released one whole; the re-run skips what is already released and finishes the rest.
import type { Principal } from '#kernel/domain/principal.ts';
import { auditOp } from '#kernel/store/audit.ts';
import type { ChangeGroup } from '#projects/change.ts';
import type { Project } from '#projects/domain/project.ts';
import { resourceSubject } from './change.ts';
import { releaseAllocation } from './domain/fund.ts';
import type { InventoryConfig } from './domain/period.ts';
import { release, type ReleaseCause } from './domain/reservation.ts';
import { isUnitKind } from './domain/resource.ts';
import { reuseNotices } from './reuse.ts';
import { getReservation, replaceReservation } from './store/reservations.ts';
import { getAllocation, replaceAllocation } from './store/allocations.ts';
import { returnToBucket } from './store/buckets.ts';
import { getResource, releaseOp } from './store/resources.ts';

export async function releaseAll(args: { project: Project; by: Principal; reason: string; cause: Exclude<ReleaseCause, 'released'>; now: Date; cfg: InventoryConfig; requestId?: string }): Promise<{ project: Project; groups: ChangeGroup[]; released: string[] }> {
  const { project, by, reason, now } = args;
  const groups: ChangeGroup[] = [];
  const released: string[] = [];
  for (const held of project.reservations ?? []) {
    const stored = await getReservation(project.id, held.id);
    if (!stored || stored.status === 'released') continue; // released by an earlier run
    const { reservation } = release({ project, reservation: stored, rid: held.id, by, reason, now, cause: args.cause });
    const resource = await getResource(reservation.kind, reservation.resourceId);
    const back = resource && (isUnitKind(resource.kind) ? { ...resource, status: 'available' as const, heldBy: null } : resource);
    groups.push({
      writes: [
        replaceReservation(reservation, stored.status),
        releaseOp(reservation.kind, reservation.resourceId, reservation.id, reservation.amount, now),
        auditOp(resourceSubject(reservation.resourceId), args.cause === 'exit' ? 'resource.reclaimed' : 'resource.released', by, { before: { projectId: project.id, reservation: reservation.id, status: stored.status }, after: { status: 'available', amount: reservation.amount, reason } }, now, args.requestId),
      ],
      events: [{ action: 'resource.released', before: { reservation: reservation.id, status: stored.status }, after: { resourceId: reservation.resourceId, cause: args.cause, reason } }],
      notices: back ? await reuseNotices(back, project.id, args.cfg.reuseNoticeLimit) : [],
    });
    released.push(reservation.id);
  }
  for (const held of project.fundAllocations ?? []) {
    const stored = await getAllocation(project.id, held.id);
    if (!stored || stored.status === 'released') continue;
    const { allocation, returnedCny } = releaseAllocation({ project, allocation: stored, aid: held.id, by, reason, now, system: true });
    groups.push({
      writes: [replaceAllocation(allocation, stored), ...(returnedCny > 0 ? [returnToBucket(allocation.year, allocation.bucket, returnedCny)] : [])],
      events: [{ action: 'fund.released', before: { allocation: allocation.id }, after: { returnedCny, cause: args.cause, reason } }],
    });
    released.push(allocation.id);
  }
  return { project: { ...project, reservations: [], fundAllocations: [] }, groups, released };
}
