// Object-level rule for acting on a project's work: the role must be the one named, a park service center acts only
// in its park, and the enterprise only on its own project.
import type { Role } from './codes.ts';
import { Forbidden } from './errors.ts';
import { hasRole, type Principal } from './principal.ts';
import type { Project } from '#projects/domain/project.ts';

export function actsAs(p: Principal, role: Role, project: Pick<Project, 'park' | 'investor'>): boolean {
  if (!hasRole(p, role)) return false;
  if (role === 'park_center') return p.park === project.park;
  if (role === 'enterprise') return p.enterprise === project.investor.enterpriseId;
  return true;
}

export function requireActsAs(p: Principal, roles: readonly Role[], project: Pick<Project, 'park' | 'investor'>, what: string): Role {
  const role = roles.find((r) => actsAs(p, r, project));
  if (!role) throw new Forbidden(`${what} is for: ${roles.join(', ')}${roles.includes('park_center') ? ' (of the project’s park)' : ''}`);
  return role;
}
