// DELETE /projects/{id}/reservations/{rid} — the park service center (or the resources bureau) releases a reservation
// that is only reserved: the parcel or facility is available again (or the amount goes back to its quota), the
// reservation keeps its history as released, and the SIGNING projects the resource fits are told (their park
// service center's inbox, with the match reasons) — all in one transaction. Land transferred or a facility leased
// comes back only through the exit procedure.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { BURST_ATTEMPTS } from '#kernel/unit-of-work.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig } from '#reference/store/reference.ts';
import type { Reservation } from '../domain/reservation.ts';
import { presentReservation } from '../present.ts';
import { reservationRelease } from '../release-all.ts';
import * as routes from '../routes.ts';
import { getReservation } from '../store/reservations.ts';

export const handler = writeRoute(routes.releaseReservation, async (req) => {
  const cfg = (await getConfig('inventory')).doc;
  const reason = req.query.reason ?? '预留释放';
  let released: Reservation | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const r = await reservationRelease({ project, stored: await getReservation(project.id, req.params.rid), rid: req.params.rid, by: req.principal, reason, cause: 'released', now, cfg, requestId: req.requestId });
      released = r.reservation;
      return {
        project: { ...project, reservations: r.held },
        action: 'resource.released',
        audit: { after: { reservation: r.reservation.id, kind: r.reservation.kind, resourceId: r.reservation.resourceId, amount: r.reservation.amount, reason } },
        writes: r.writes,
        notices: r.notices,
      };
    },
    (next) => json(200, presentReservation(released!), etag(next.version)),
    // Releases sent at once on one project each move its version: as many rounds as senders.
    { attempts: BURST_ATTEMPTS },
  );
});
