// POST /projects/{id}/reservations — the project's park service center (or the resources bureau) reserves a parcel or
// facility whole, or an amount of a quota. The reservation, the inventory change, the project record and both audit
// events (the project's timeline, the record's history) commit in one transaction; the inventory write's condition
// (`available`, or `remaining >= amount`) makes overbooking impossible under any concurrency: 409 with what is left.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { etag, json, withWarnings } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { newId } from '#kernel/runtime/ids.ts';
import { BURST_ATTEMPTS } from '#kernel/unit-of-work.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig } from '#reference/store/reference.ts';
import { namedResource } from '../change.ts';
import { Overbooked, reserve, type Reservation } from '../domain/reservation.ts';
import { ID_PREFIX, isUnitKind, parkOf, staleNow, unitOf, type InventoryKind, type Resource } from '../domain/resource.ts';
import { presentReservation } from '../present.ts';
import * as routes from '../routes.ts';
import { insertReservation } from '../store/reservations.ts';
import { findByNaturalKey, getResource, loadResource, reserveOp } from '../store/resources.ts';

/** The record a reservation names: its id (of that kind), or for energy the current year's quota. */
async function resolve(kind: InventoryKind, resourceId: string | undefined, today: string): Promise<Resource> {
  const unknown = (message: string) => new ValidationFailed(message, [{ path: 'resourceId', code: 'unknown_ref', message }]);
  if (resourceId !== undefined) {
    if (!resourceId.startsWith(`${ID_PREFIX[kind]}-`)) throw unknown(`${resourceId} is not a ${kind} record`);
    const found = await getResource(kind, resourceId);
    if (!found) throw unknown(`no ${kind} record ${resourceId}`);
    return found;
  }
  if (kind === 'energy') {
    const id = await findByNaturalKey('energy', today.slice(0, 4));
    if (!id) throw unknown(`no energy quota for ${today.slice(0, 4)}: name the record`);
    return loadResource('energy', id);
  }
  throw new ValidationFailed(`A reservation of ${kind} names the record`, [{ path: 'resourceId', code: 'required', message: 'required' }]);
}

/** 409: the record changed between the reservation's read and its commit in what the reservation holds (`what`). */
const changedMeanwhile = (fresh: Resource, what: string) =>
  new Conflict(`${fresh.id} changed while it was being reserved (${what}): nothing was reserved, reserve it again`, [{ path: 'resourceId', code: 'state', message: 'changed meanwhile' }]);

export const handler = writeRoute(routes.reserveResource, async (req) => {
  const inventory = getConfig('inventory');
  let reservation: Reservation | undefined;
  // The record as the decision that stood read it: what a refused condition is told against.
  let read: Resource | undefined;
  // A record not confirmed for its period is reserved all the same, with a warning (what it states may be out of date).
  let warnings: string[] = [];
  try {
    return await changeProject(
      req,
      req.params.id,
      async (project, now, [{ doc: cfg }, resource]) => {
        reservation = undefined;
        read = resource;
        const decided = reserve({ project, resource, input: req.body, by: req.principal, id: newId('rsv', now), now, cfg });
        reservation = decided.reservation;
        const r = decided.reservation;
        warnings = staleNow(resource, shanghaiDate(now), cfg) ? [`${r.resourceLabel} has not been confirmed for its period (stale${resource.staleSince ? ` since ${resource.staleSince}` : ''}): check with its keeper that it is still as stated`] : [];
        return {
          project: { ...project, reservations: decided.held },
          action: 'resource.reserved',
          audit: { after: { reservation: r.id, kind: r.kind, resourceId: r.resourceId, amount: r.amount, note: req.body.note } },
          writes: [
            insertReservation(r),
            reserveOp(resource, { projectId: project.id, reservationId: r.id, since: r.createdAt, park: project.park }, r.amount, now),
            auditOp(namedResource(resource), 'resource.reserved', req.principal, { before: isUnitKind(resource.kind) ? { status: resource.status } : { remaining: resource.remaining }, after: { projectId: project.id, reservation: r.id, amount: r.amount } }, now, req.requestId),
          ],
        };
      },
      (next) => json(201, withWarnings(presentReservation(reservation!), warnings), { ...etag(next.version), location: `/projects/${next.id}/reservations/${reservation!.id}` }),
      // Read with the project (one round trip): the configuration once, the record every attempt.
      // Reservations sent at once to one project (a batch of quota amounts) each move its version: as many rounds as senders.
      { alongside: () => Promise.all([inventory, resolve(req.body.kind, req.body.resourceId, shanghaiDate(clock.now()))]), attempts: BURST_ATTEMPTS },
    );
  } catch (err) {
    // The condition refused it: say what is left now, not what was left when we read it.
    if (err instanceof Overbooked) {
      const asked = reservation;
      const fresh = await getResource(err.kind, err.resourceId);
      // A unit still available refused it: moved to another park, or its area corrected, between the read and the commit.
      if (fresh && isUnitKind(fresh.kind) && fresh.status === 'available') {
        const park = parkOf(fresh);
        if (read?.id === fresh.id && parkOf(read) !== park) throw changedMeanwhile(fresh, `it is now in ${park}`);
        throw changedMeanwhile(fresh, `its area is now ${(fresh.facts as { areaM2: number }).areaM2} m²`);
      }
      // A utility now counted in another unit than the one the amount was asked in.
      if (fresh && fresh.kind === 'utilities' && asked !== undefined && asked.resourceId === fresh.id && unitOf(fresh) !== asked.unit) throw changedMeanwhile(fresh, `it now counts in ${unitOf(fresh)}, not ${asked.unit}`);
      throw fresh ? Overbooked.of(fresh, err.amount) : err;
    }
    throw err;
  }
});
