// Who is acting: identity from verified token claims, and the role/object checks every handler applies.
import { Forbidden, NotFound, type FieldError } from './errors.ts';
import { STAFF_ROLES, type Role } from './codes.ts';

export interface Principal {
  readonly sub: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly department?: string;
  readonly enterprise?: string;
  /** The park a park_center user serves. */
  readonly park?: string;
}

export function hasRole(p: Principal, ...roles: readonly Role[]): boolean {
  return p.roles.some((r) => roles.includes(r));
}

export function requireRole(p: Principal, roles: readonly Role[], action: string): void {
  if (hasRole(p, ...roles)) return;
  // Open to every staff role: saying so is what the caller (an enterprise) needs, not the list of fifteen roles.
  if (STAFF_ROLES.every((r) => roles.includes(r))) throw new Forbidden(`${action} is for the zone's departments and offices, not an enterprise`);
  throw new Forbidden(`${action} needs one of the roles: ${roles.join(', ')}`);
}

/**
 * What a park center whose token names no park is told (`rule`: what its role does in its park; `start`:
 * `your` inside an `errors[]` message): the cause, and what to
 * do — the park is an account attribute that ops set (docs/deploy.md), read from the next token on.
 */
export const tokenNamesNoPark = (rule: string, start: 'Your' | 'your' = 'Your'): string =>
  `${start} token names no park: ${rule} — ask ops to set your account's park (custom:park), then sign in again`;

/** What the object-level read rule needs to know about a project. */
export interface ReadableProject {
  readonly id: string;
  readonly park: string;
  readonly investor: { readonly enterpriseId: string };
}

/**
 * Read rule: staff see every project, except that a park_center user with no other staff role sees only the
 * projects of its park; an enterprise sees only its own. Existence is not leaked: others get 404.
 */
export function assertCanRead(p: Principal, project: ReadableProject): void {
  if (canRead(p, project)) return;
  throw new NotFound(`No project ${project.id}`);
}

export function canRead(p: Principal, project: ReadableProject): boolean {
  if (readsAsStaff(p, project)) return true;
  return hasRole(p, 'enterprise') && p.enterprise !== undefined && p.enterprise === project.investor.enterpriseId;
}

/**
 * Whether a staff role of the user reads this project: any department but a park center, or the center of its park.
 * A user who also holds the enterprise role reads its own project in another park through that role only: the
 * enterprise's view, none of the staff's records (a park center's role is for its park's projects).
 */
export function readsAsStaff(p: Principal, project: ReadableProject): boolean {
  if (p.roles.some((r) => r !== 'park_center' && r !== 'enterprise')) return true;
  return hasRole(p, 'park_center') && p.park === project.park;
}

/** A staff record of the project (its reservations, allocations, supervision file, matches): 404 unreadable, 403 through the enterprise role only. */
export function assertReadsAsStaff(p: Principal, project: ReadableProject): void {
  assertCanRead(p, project);
  if (!readsAsStaff(p, project)) {
    throw new Forbidden(
      `The project's staff records are for the zone's departments (a park center: of the project's park ${project.park})`,
      otherPark(p, project, `a park center reads the staff records of its own park's projects`),
    );
  }
}

/**
 * Acting on a project's work: the role must be the one named, a park service center acts only in its park, and the
 * enterprise only on its own project.
 */
export function actsAs(p: Principal, role: Role, project: ReadableProject): boolean {
  if (!hasRole(p, role)) return false;
  if (role === 'park_center') return p.park === project.park;
  if (role === 'enterprise') return p.enterprise === project.investor.enterpriseId;
  return true;
}

/**
 * The `errors[]` of a 403 whose cause is the project's park: a park center (by that role) of another park — or of none
 * its token names — acting on or reading a project, told at `path.id` which park the project is in and its own.
 */
function otherPark(p: Principal, project: ReadableProject, rule: string): FieldError[] | undefined {
  if (!hasRole(p, 'park_center') || p.park === project.park) return undefined;
  return [{ path: 'path.id', code: 'not_allowed', message: `in ${project.park}: ${rule} (${p.park ?? 'none named in the token'})` }];
}

/**
 * The first of `roles` the user acts in on this project; 403 naming who may, otherwise — and, when the user is a park
 * center that the roles name but of another park, `path.id` (the project is not its park's).
 */
export function requireActsAs(p: Principal, roles: readonly Role[], project: ReadableProject, what: string): Role {
  const role = roles.find((r) => actsAs(p, r, project));
  if (!role) {
    throw new Forbidden(
      `${what} is for: ${roles.join(', ')}${roles.includes('park_center') ? ' (of the project’s park)' : ''}`,
      roles.includes('park_center') ? otherPark(p, project, 'a park center acts in its own park') : undefined,
    );
  }
  return role;
}

/**
 * An enterprise user (no staff role) sees the enterprise's own views of its project; everyone else the staff views.
 * Given the project: whoever reads it through the enterprise role only (a park center of another park who is also its
 * enterprise) sees the enterprise's view.
 */
export const seesEnterpriseView = (p: Principal, project?: ReadableProject) =>
  project ? hasRole(p, 'enterprise') && !readsAsStaff(p, project) : p.roles.length > 0 && p.roles.every((r) => r === 'enterprise');
