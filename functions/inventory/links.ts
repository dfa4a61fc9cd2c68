// The lifecycle's use of reservations: completing a task the `inventory` configuration links (土地清单/厂房匹配 link the
// held parcel or facility; 土地出让 marks it transferred, 厂房租赁签约 leased) writes the reservation and the record in
// the completion's transaction; without the reservation the completion is a 409 that says which to make.
import type { Principal } from '#kernel/domain/principal.ts';
import { auditOp } from '#kernel/store/audit.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Project } from '#projects/domain/project.ts';
import { resourceSubject } from './change.ts';
import type { InventoryConfig, LinkEffect } from './domain/period.ts';
import { applyLink, taskLink, withStatus, type Reservation } from './domain/reservation.ts';
import { getReservation, replaceReservation } from './store/reservations.ts';
import { moveUnit } from './store/resources.ts';

export async function linkReservation(args: {
  project: Project;
  task: { readonly code: string; readonly name: { readonly zh: string }; readonly id: string };
  by: Principal;
  now: Date;
  cfg: InventoryConfig;
  requestId?: string;
}): Promise<{ project: Project; reservation: Reservation; effect: LinkEffect; writes: WriteOp[] } | undefined> {
  const { project, task, now } = args;
  const link = taskLink({ project, taskCode: task.code, taskName: task.name.zh, cfg: args.cfg });
  if (!link) return undefined;
  const stored = await getReservation(project.id, link.held.id);
  if (!stored) throw new Error(`project ${project.id} lists reservation ${link.held.id} it does not have`);
  const next = applyLink(stored, task.code, link.effect, now);
  const writes: WriteOp[] = [replaceReservation(next, stored.status)];
  if (next.status !== stored.status) {
    const status = next.status === 'transferred' ? 'transferred' : 'leased';
    writes.push(
      moveUnit(next.kind, next.resourceId, next.id, status, now),
      auditOp({ key: resourceSubject(next.resourceId), name: next.resourceLabel }, `resource.${status}`, args.by, { before: { status: 'reserved' }, after: { status, projectId: project.id, reservation: next.id, task: task.id } }, now, args.requestId),
    );
  }
  return { project: { ...project, reservations: withStatus(project.reservations ?? [], next) }, reservation: next, effect: link.effect, writes };
}
