// GET /me/tasks — open tasks of my department (or my enterprise), soonest due first: one index query per role held.
import { hasRole } from '#domain/principal.ts';
import { queryDepartmentTasks } from '#adapters/dynamodb/tasks.ts';
import { MyTasksQuery } from '#http/schemas/lifecycle.ts';
import { presentTask } from '#http/present-task.ts';
import { json, route } from '#http/route.ts';
import { ValidationFailed } from '#domain/errors.ts';

export const handler = route({ auth: 'any', query: MyTasksQuery }, async (req) => {
  const p = req.principal;
  const leads = p.roles.map((r) => (r === 'enterprise' ? (p.enterprise ? `enterprise#${p.enterprise}` : undefined) : r)).filter((l): l is string => Boolean(l));
  if (leads.length > 1 && req.query.cursor) throw new ValidationFailed('Paging is per role: use a token with one role', [{ path: 'cursor', message: 'not supported for several roles' }]);
  const limit = req.query.limit ? Number(req.query.limit) : 20;
  const pages = await Promise.all(leads.map((l) => queryDepartmentTasks(l, limit, req.query.cursor)));
  // A park service center sees the tasks of its own park only.
  const items = pages
    .flatMap((page) => page.items)
    .filter((t) => t.lead !== 'park_center' || !hasRole(p, 'park_center') || t.park === p.park)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''))
    .slice(0, limit);
  return json(200, { items: items.map(presentTask), nextCursor: leads.length === 1 ? (pages[0]?.nextCursor ?? null) : null });
});
