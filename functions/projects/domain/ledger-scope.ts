// Whose ledger 台账 a caller reads: a park service center keeps its own park's (其园区台账), other staff the whole
// zone, an enterprise its own projects (the list only: `scopeOwnProjects`). Shared by the ledger list and its exports.
// Pure.
import { Forbidden } from '#kernel/domain/errors.ts';
import { hasRole, seesEnterpriseView, tokenNamesNoPark, type Principal } from '#kernel/domain/principal.ts';

/**
 * Who may filter the ledger by the responsibility matrix version projects follow (`matrixVersion`): ops and the
 * committee leader — those who move projects off a version published by mistake. 403 naming `query.matrixVersion`
 * for anyone else (the list and its exports alike).
 */
export function assertMayFilterByMatrix(p: Principal, filters: { readonly matrixVersion?: string }): void {
  if (filters.matrixVersion !== undefined && !hasRole(p, 'ops') && !hasRole(p, 'committee_leader')) {
    throw new Forbidden('Only ops and the committee leader list projects by matrix version', [{ path: 'query.matrixVersion', code: 'not_allowed', message: 'ops and the committee leader filter by matrixVersion' }]);
  }
}

/** The filters narrowed to the caller's scope; 403 when a park center asks for another park (or its token names none). */
export function scopeLedger<F extends { park?: string }>(p: Principal, filters: F): F {
  const parkOnly = hasRole(p, 'park_center') && p.roles.every((r) => r === 'park_center' || r === 'enterprise');
  if (!parkOnly) return filters;
  if (!p.park) throw new Forbidden(tokenNamesNoPark("a park center keeps its own park's ledger"));
  if (filters.park !== undefined && filters.park !== p.park) throw new Forbidden(`You keep the ledger of ${p.park} only`, [{ path: 'query.park', code: 'not_allowed', message: `a park center reads its own park (${p.park})` }]);
  return { ...filters, park: p.park };
}

/**
 * The ledger list for an enterprise: its own projects only (the byEnterprise index), whatever it filters by; 403 when
 * its token names no enterprise. Staff callers are scoped by `scopeLedger`.
 */
export function scopeOwnProjects<F extends { park?: string }>(p: Principal, filters: F): F & { enterprise?: string } {
  if (!seesEnterpriseView(p)) return scopeLedger(p, filters);
  if (!p.enterprise) throw new Forbidden('Your token names no enterprise');
  return { ...filters, enterprise: p.enterprise };
}
