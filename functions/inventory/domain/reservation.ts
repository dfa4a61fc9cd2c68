// Reservations 预留: a project holds a parcel or facility whole (at most one project each), or an amount of a quota
// that never exceeds what remains. The rules of reserving, releasing, and what the lifecycle's tasks do with a
// reservation (土地清单 links the parcel, 土地出让 marks it transferred, 厂房匹配 links a facility, 租赁签约 leases it).
// DynamoDB conditions make "never overbook" hold under concurrency; these rules decide what is asked for.
import { STAGE_LABELS, type SiteMode, type Stage } from '#kernel/domain/codes.ts';
import { Conflict, Forbidden, NotFound, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { notActive, projectStateConflict } from '#projects/domain/project.ts';
import { actsAs, requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { InventoryConfig, LinkEffect } from './period.ts';
import { isUnitKind, KIND_LABELS, parkOf, unitOf, type InventoryKind, type Resource, type UnitKind } from './resource.ts';

export const RESERVATION_STATUSES = ['reserved', 'transferred', 'leased', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface Reservation {
  readonly id: string;
  readonly projectId: string;
  readonly kind: InventoryKind;
  readonly resourceId: string;
  /** The resource's code or natural key, for people reading it. */
  readonly resourceLabel: string;
  /** Quantity kinds: the amount held; unit kinds: the area held (m²). */
  readonly amount: number;
  readonly unit: string;
  readonly status: ReservationStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  /** What the reserver wrote with it (why, for what): shown with it. */
  readonly note?: string;
  /** Tasks that used it (土地清单, 土地出让 …), with the effect each had. */
  readonly links: readonly { readonly task: string; readonly effect: LinkEffect; readonly at: string }[];
  readonly released?: { readonly at: string; readonly by: string; readonly reason: string };
}

/** What a project record carries of its reservations (the ones not released): enough for gates and task rules. */
export interface HeldReservation {
  readonly id: string;
  readonly kind: InventoryKind;
  readonly resourceId: string;
  readonly amount: number;
  readonly status: Exclude<ReservationStatus, 'released'>;
}

/** What the reservation rules need of a project. */
export interface ReservingProject {
  readonly id: string;
  readonly park: string;
  readonly investor: { readonly enterpriseId: string };
  readonly siteMode: SiteMode;
  readonly stage: Stage;
  readonly status: string;
  readonly reservations?: readonly HeldReservation[];
  /** An exit decided (supervision/domain/exit.ts): the project takes nothing more. */
  readonly exit?: unknown;
}

/** Who reserves and releases (api.md): the project's park service center, and the resources bureau. */
export const RESERVERS = ['park_center', 'resources_bureau'] as const;

/** The site mode a unit kind serves: a parcel is for a project that takes land 摘地, a facility for one that leases. */
export const SITE_MODE_OF: Record<UnitKind, SiteMode> = { parcels: 'land', facilities: 'lease' };

/**
 * Whether `by` may draw on a record of `park` (undefined: a zone-wide quota) for `project`: a park center its own park's
 * records, the resources bureau any park's (a site matched there). The console offers sites by the same rule.
 */
export const mayDrawOn = (by: Principal, project: ReservingProjectRef, park: string | undefined) => park === undefined || park === by.park || actsAs(by, 'resources_bureau', project);
type ReservingProjectRef = Pick<ReservingProject, 'id' | 'park' | 'investor'>;

export interface ReserveInput {
  readonly kind: InventoryKind;
  readonly amount?: number;
  readonly note?: string;
}

/**
 * A reservation of `resource` for `project`, as of the resource read now; the store's conditions re-check
 * availability when it commits. Refusals: 403 not a reserver of this project, or a park center drawing on another
 * park's record (the resources bureau matches across the zone); 409 a park's utility for a project of another park,
 * the project cannot hold resources
 * now, the kind does not fit its site mode, it already holds this resource, it holds as many as it may, the resource
 * is held or retired, or the amount exceeds what remains (each naming what is left); 400 an amount on a unit kind or
 * none on a quantity.
 */
export function reserve(args: { project: ReservingProject; resource: Resource; input: ReserveInput; by: Principal; id: string; now: Date; cfg: InventoryConfig }): { reservation: Reservation; held: HeldReservation[] } {
  const { project, resource, input, by, cfg } = args;
  requireActsAs(by, [...RESERVERS], project, 'Reserving resources');
  const park = parkOf(resource);
  if (!mayDrawOn(by, project, park)) {
    throw new Forbidden(`${labelOf(resource)} is in ${park}: a park center reserves its own park's records (the resources bureau reserves across the zone)`, [
      { path: 'resourceId', code: 'not_allowed', message: `in ${park}, not ${by.park ?? 'your park'}` },
    ]);
  }
  assertCanHold(project);
  const kind = resource.kind;
  // A park's water, power, gas and heat serve the projects in that park.
  if (kind === 'utilities' && park !== project.park) {
    throw new Conflict(`${labelOf(resource)} serves the projects of ${park}; ${project.id} is in ${project.park}`, [{ path: 'resourceId', code: 'not_allowed', message: `a utility of ${park}, not ${project.park}` }]);
  }
  const held = project.reservations ?? [];
  if (isUnitKind(kind)) {
    if (input.amount !== undefined) throw new ValidationFailed(`A reservation of ${kind} holds the whole ${KIND_LABELS[kind].zh}: send no amount`, [{ path: 'amount', code: 'not_allowed', message: `not used for ${kind}` }]);
    if (SITE_MODE_OF[kind] !== project.siteMode) {
      throw new Conflict(`${project.id} ${project.siteMode === 'land' ? '摘地 takes land' : '租赁 leases a facility'}: it does not hold ${kind}`, [{ path: 'kind', code: 'not_allowed', message: `does not fit site mode ${project.siteMode}` }]);
    }
  } else if (input.amount === undefined) {
    throw new ValidationFailed(`A reservation of ${kind} needs the amount (${unitOf(resource)})`, [{ path: 'amount', code: 'required', message: 'required' }]);
  }
  // A unit is held once; a quota may be topped up (each amount its own reservation, released on its own).
  if (isUnitKind(kind) && held.some((h) => h.resourceId === resource.id)) throw new Conflict(`${project.id} already holds ${resource.id}`, [{ path: 'resourceId', code: 'duplicate', message: 'already held by this project' }]);
  if (held.length >= cfg.reservationsPerProject) {
    throw new Conflict(`${project.id} holds ${held.length} reservations, the most one project may (release one first)`, [{ path: 'path.id', code: 'state', message: `holds ${held.length} reservations, the most one project may` }]);
  }
  const amount = isUnitKind(kind) ? (resource.facts as { areaM2: number }).areaM2 : input.amount!;
  assertAvailable(resource, amount);
  // A year's quota is drawn on in its year or ahead of it (an earmark), not once its year is over.
  const year = kind === 'energy' || kind === 'environment' ? (resource.facts as { year: number }).year : undefined;
  const thisYear = Number(shanghaiDate(args.now).slice(0, 4));
  if (year !== undefined && year < thisYear) {
    throw new Conflict(`${labelOf(resource)} is the quota of ${year}, a year that is over: reserve from ${thisYear}'s`, [{ path: 'resourceId', code: 'state', message: `a ${year} quota; its year is over` }]);
  }
  const reservation: Reservation = {
    id: args.id,
    projectId: project.id,
    kind,
    resourceId: resource.id,
    resourceLabel: labelOf(resource),
    amount,
    unit: unitOf(resource),
    status: 'reserved',
    createdAt: args.now.toISOString(),
    createdBy: by.sub,
    ...(input.note ? { note: input.note } : {}),
    links: [],
  };
  return { reservation, held: [...held, { id: reservation.id, kind, resourceId: resource.id, amount, status: 'reserved' }] };
}

/** A project may hold resources from signing until it produces: not once it is rejected, exited or complete. */
export function assertCanHold(project: Pick<ReservingProject, 'id' | 'status' | 'stage' | 'exit'>): void {
  if (project.status !== 'ACTIVE' && project.status !== 'PENDING_ADMISSION') throw notActive(project, `Project ${project.id} is ${project.status}: it holds no new resources`);
  if (project.exit) throw projectStateConflict(`Project ${project.id} is being exited 退出程序: it holds no new resources`, 'being exited');
}

/** 409 with what is left when `resource` cannot give `amount` (as read; the write's condition is the final word). */
export function assertAvailable(resource: Resource, amount: number): void {
  if (resource.status === 'retired') throw new Conflict(`${labelOf(resource)} is retired from the inventory`, [{ path: 'resourceId', code: 'state', message: 'retired' }]);
  if (isUnitKind(resource.kind)) {
    if (resource.status !== 'available') throw overbooked(resource);
    return;
  }
  if ((resource.remaining ?? 0) < amount) throw overbooked(resource, amount);
}

/** The 409 of a reservation that would overbook, naming what is left (and which record, to say it afresh). */
export class Overbooked extends Conflict {
  constructor(
    readonly kind: InventoryKind,
    readonly resourceId: string,
    readonly amount: number | undefined,
    detail: string,
    errors: FieldError[],
  ) {
    super(detail, errors);
  }
  static of(resource: Resource, amount?: number): Overbooked {
    return overbooked(resource, amount);
  }
}

export function overbooked(resource: Resource, amount?: number): Overbooked {
  if (isUnitKind(resource.kind)) {
    return new Overbooked(resource.kind, resource.id, amount, `${KIND_LABELS[resource.kind].zh} ${labelOf(resource)} is ${resource.status}${resource.heldBy ? ' by another project' : ''}: nothing was reserved`, [{ path: 'resourceId', code: 'state', message: `${resource.status}` }]);
  }
  const remaining = resource.remaining ?? 0;
  return new Overbooked(resource.kind, resource.id, amount, `Only ${remaining} ${unitOf(resource)} of ${labelOf(resource)} remain${amount !== undefined ? ` (asked for ${amount})` : ''}: nothing was reserved`, [
    { path: 'amount', code: 'too_big', message: `at most ${remaining} ${unitOf(resource)} remain` },
  ]);
}

export function labelOf(r: Pick<Resource, 'kind' | 'facts'>): string {
  const f = r.facts as unknown as Record<string, unknown>;
  switch (r.kind) {
    case 'parcels':
    case 'facilities':
      return String(f.code);
    case 'energy':
      return `${String(f.year)} 能耗指标`;
    case 'environment':
      return `${String(f.year)} ${String(f.pollutant)}`;
    case 'utilities':
      return `${String(f.park)} ${String(f.utility)}`;
  }
}

/** Why a reservation ends: a user's release, a rejected admission, an exit (land reclaimed 盘活). */
export type ReleaseCause = 'released' | 'admission_rejected' | 'exit';

/**
 * Releasing one reservation. A user (RESERVERS) releases what is only reserved; land transferred or a facility leased
 * comes back only through the exit procedure (`cause: 'exit'`), which reclaims it.
 */
export function release(args: { project: ReservingProject; reservation: Reservation | undefined; rid: string; by: Principal; reason: string; now: Date; cause: ReleaseCause }): { reservation: Reservation; held: HeldReservation[] } {
  const { project, reservation, by } = args;
  if (args.cause === 'released') requireActsAs(by, [...RESERVERS], project, 'Releasing resources');
  if (!reservation || reservation.projectId !== project.id) throw new NotFound(`Project ${project.id} has no reservation ${args.rid}`);
  if (reservation.status === 'released') throw new Conflict(`Reservation ${reservation.id} was released already`, [{ path: 'path.rid', code: 'state', message: 'released already' }]);
  if (args.cause === 'released' && reservation.status !== 'reserved') {
    throw new Conflict(`${reservation.resourceLabel} is ${reservation.status}: it comes back to the inventory only through the exit procedure (land reclaimed)`, [
      { path: 'path.rid', code: 'state', message: `${reservation.status}: released only through the exit procedure` },
    ]);
  }
  const released: Reservation = { ...reservation, status: 'released', released: { at: args.now.toISOString(), by: by.sub, reason: args.reason } };
  return { reservation: released, held: (project.reservations ?? []).filter((h) => h.id !== reservation.id) };
}

/**
 * What completing a task does with the project's reservation (configured per task): `link` needs one held; `transferred`
 * and `leased` need one reserved and move it on. 409 naming the missing reservation; undefined when the task uses none.
 */
export function taskLink(args: { project: ReservingProject; taskCode: string; taskName: string; cfg: InventoryConfig }): { held: HeldReservation; effect: LinkEffect; kind: UnitKind } | undefined {
  const link = args.cfg.taskLinks.find((l) => l.task === args.taskCode);
  if (!link) return undefined;
  const candidates = (args.project.reservations ?? []).filter((h) => h.kind === link.kind);
  const held = link.effect === 'link' ? candidates[0] : candidates.find((h) => h.status === 'reserved') ?? candidates.find((h) => h.status === link.effect);
  if (!held) {
    throw new Conflict(`${args.taskName} needs the project to hold a ${KIND_LABELS[link.kind].zh} reservation: POST /projects/${args.project.id}/reservations { "kind": "${link.kind}", "resourceId": … }`, [
      { path: 'reservation', code: 'required', message: `no ${link.kind} reservation held` },
    ]);
  }
  return { held, effect: link.effect, kind: link.kind };
}

/** The reservation after a task's effect (`link` only records the task). */
export function applyLink(reservation: Reservation, task: string, effect: LinkEffect, now: Date): Reservation {
  const status: ReservationStatus = effect === 'link' ? reservation.status : effect;
  return { ...reservation, status, links: [...reservation.links, { task, effect, at: now.toISOString() }] };
}

/** The held list after a reservation's status changed. */
export const withStatus = (held: readonly HeldReservation[], r: Reservation): HeldReservation[] =>
  held.map((h) => (h.id === r.id ? { ...h, status: r.status as HeldReservation['status'] } : h));

/** The reservations a stage's gate needs of a project of this site mode, held or not. */
const needsAt = (project: Pick<ReservingProject, 'siteMode'>, stage: Stage, cfg: InventoryConfig) => cfg.gateNeeds.filter((n) => n.stage === stage && n.siteMode === project.siteMode);

/** What a stage's gate still needs of the project's reservations (empty: nothing). */
export function gateNeeds(project: ReservingProject, stage: Stage, cfg: InventoryConfig): { kind: UnitKind; message: string; en: string }[] {
  return needsAt(project, stage, cfg)
    .filter((n) => !(project.reservations ?? []).some((h) => h.kind === n.kind))
    .map((n) => ({ kind: n.kind, message: `${STAGE_LABELS[stage].zh}转段需要项目持有${KIND_LABELS[n.kind].zh}预留`, en: `The ${STAGE_LABELS[stage].en} gate needs a reservation held by the project: ${KIND_LABELS[n.kind].en}` }));
}

/** Whether a stage's gate needs a reservation of a project of this site mode at all (held or not). */
export function gateHasNeeds(project: Pick<ReservingProject, 'siteMode'>, stage: Stage, cfg: InventoryConfig): boolean {
  return needsAt(project, stage, cfg).length > 0;
}

/** An approval of a stage's gate waits for the reservations that gate needs: 409 naming each one missing. */
export function assertGateNeeds(project: ReservingProject, stage: Stage, cfg: InventoryConfig): void {
  const missing = gateNeeds(project, stage, cfg);
  if (missing.length) {
    throw new Conflict(`${missing.map((m) => m.message).join('; ')}: reserve ${missing.map((m) => m.kind).join(' and ')} first (POST /projects/${project.id}/reservations)`, missing.map((m) => ({ path: 'reservation', code: 'required', message: `no ${m.kind} reservation held` })));
  }
}
