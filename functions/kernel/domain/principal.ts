// Who is acting: identity from verified token claims, and the role/object checks every handler applies.
import { Forbidden, NotFound } from './errors.ts';
import type { Role } from './codes.ts';

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
  if (!hasRole(p, ...roles)) throw new Forbidden(`${action} needs one of the roles: ${roles.join(', ')}`);
}

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
  const otherStaff = p.roles.some((r) => r !== 'park_center' && r !== 'enterprise');
  if (otherStaff) return true;
  if (hasRole(p, 'park_center') && p.park === project.park) return true;
  if (hasRole(p, 'enterprise') && p.enterprise !== undefined && p.enterprise === project.investor.enterpriseId) return true;
  return false;
}
