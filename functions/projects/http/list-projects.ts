// GET /projects — the ledger 台账, filtered by stage, status, park, track, category, light, a failed lifecycle or (ops
// and the committee leader) the matrix version followed (index queries only; the combinations users filter by daily
// are served from an index key, see kernel/store/tables.ts).
// An enterprise gets its own projects, in its view (byEnterprise): the list its portal and the console start from.
import { assertMayFilterByMatrix, scopeOwnProjects } from '#projects/domain/ledger-scope.ts';
import { planLedger } from '#kernel/store/tables.ts';
import { ledgerStartKeyNames, queryLedger } from '#projects/store/ledger.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { presentProjectFor } from '#projects/present.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';

export const handler = route(routes.listProjects, async (req) => {
  const { limit, cursor, ...asked } = req.query;
  const p = req.principal;
  assertMayFilterByMatrix(p, asked);
  // A park service center keeps the ledger of its own park (其园区台账); an enterprise sees its own projects; other
  // staff see the whole zone.
  const filters = scopeOwnProjects(p, asked);
  // The cursor belongs to this exact filter set: the same position means nothing in another list.
  const scope = { list: `ledger ${JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort())}`, caller: p.sub };
  const position = await openCursor(scope, cursor);
  const startKey = position === undefined ? undefined : asStartKey(position, ledgerStartKeyNames(planLedger(filters).index));
  const page = await queryLedger({ filters, limit: limit ? Number(limit) : 20, startKey });
  return json(200, { items: page.items.map((item) => presentProjectFor(p, item)), nextCursor: await sealCursor(scope, page.lastKey) });
});
