// Whose ledger 台账 a caller reads: a park service center keeps its own park's (其园区台账), other staff the whole
// zone. Shared by the ledger list and its exports. Pure.
import { Forbidden } from '#kernel/domain/errors.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';

/** The filters narrowed to the caller's scope; 403 when a park center asks for another park (or its token names none). */
export function scopeLedger<F extends { park?: string }>(p: Principal, filters: F): F {
  const parkOnly = hasRole(p, 'park_center') && p.roles.every((r) => r === 'park_center' || r === 'enterprise');
  if (!parkOnly) return filters;
  if (!p.park) throw new Forbidden('Your token names no park');
  if (filters.park !== undefined && filters.park !== p.park) throw new Forbidden(`You keep the ledger of ${p.park} only`);
  return { ...filters, park: p.park };
}
