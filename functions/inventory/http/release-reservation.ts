// DELETE /projects/{id}/reservations/{rid} — the park service center (or the resources bureau) releases a reservation
// that is only reserved: the parcel or facility is available again (or the amount goes back to its quota), the
// reservation keeps its history as released, and the SIGNING projects the resource fits are told (their park
// service center's inbox, with the match reasons) — all in one transaction. Land transferred or a facility leased
// comes back only through the exit procedure.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig } from '#reference/store/reference.ts';
import { resourceSubject } from '../change.ts';
import { release, type Reservation } from '../domain/reservation.ts';
import { isUnitKind } from '../domain/resource.ts';
import { presentReservation } from '../present.ts';
import { reuseNotices } from '../reuse.ts';
import * as routes from '../routes.ts';
import { getReservation, replaceReservation } from '../store/reservations.ts';
import { getResource, releaseOp } from '../store/resources.ts';

export const handler = writeRoute(routes.releaseReservation, async (req) => {
  const cfg = (await getConfig('inventory')).doc;
  const reason = req.query.reason ?? '预留释放';
  let released: Reservation | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const stored = await getReservation(project.id, req.params.rid);
      const decided = release({ project, reservation: stored, rid: req.params.rid, by: req.principal, reason, now, cause: 'released' });
      released = decided.reservation;
      const r = decided.reservation;
      const resource = await getResource(r.kind, r.resourceId);
      const back = resource && (isUnitKind(resource.kind) ? { ...resource, status: 'available' as const, heldBy: null } : resource);
      return {
        project: { ...project, reservations: decided.held },
        action: 'resource.released',
        audit: { after: { reservation: r.id, kind: r.kind, resourceId: r.resourceId, amount: r.amount, reason } },
        writes: [
          replaceReservation(r, stored!.status),
          releaseOp(r.kind, r.resourceId, r.id, r.amount, now),
          auditOp(resourceSubject(r.resourceId), 'resource.released', req.principal, { before: { projectId: project.id, reservation: r.id }, after: { status: 'available', amount: r.amount, reason } }, now, req.requestId),
        ],
        notices: back ? await reuseNotices(back, project.id, cfg.reuseNoticeLimit) : [],
      };
    },
    (next) => json(200, presentReservation(released!), etag(next.version)),
  );
});
