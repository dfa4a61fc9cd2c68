// GET /projects — the ledger 台账, filtered by stage, status, park, track, category or light (index queries only).
import { STAFF_ROLES } from '#domain/codes.ts';
import { Forbidden } from '#domain/errors.ts';
import { hasRole } from '#domain/principal.ts';
import { queryLedger } from '#adapters/dynamodb/projects.ts';
import { LedgerQuery } from '#http/schemas/project.ts';
import { presentProject } from '#http/present.ts';
import { json, route } from '#http/route.ts';

export const handler = route({ auth: STAFF_ROLES, query: LedgerQuery }, async (req) => {
  const { limit, cursor, ...filters } = req.query;
  const p = req.principal;
  // A park service center keeps the ledger of its own park (其园区台账); other staff see the whole zone.
  const parkOnly = hasRole(p, 'park_center') && p.roles.every((r) => r === 'park_center' || r === 'enterprise');
  if (parkOnly) {
    if (!p.park) throw new Forbidden('Your token names no park');
    if (filters.park !== undefined && filters.park !== p.park) throw new Forbidden(`You keep the ledger of ${p.park} only`);
    filters.park = p.park;
  }
  const page = await queryLedger({ filters, limit: limit ? Number(limit) : 20, cursor });
  return json(200, { items: page.items.map(presentProject), nextCursor: page.nextCursor });
});
