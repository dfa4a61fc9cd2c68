// GET /projects/{id}/tasks — the project's tasks of every stage (stage order, then task id), with status, lead, due
// date and light; filtered by stage, status, light, kind and a completion's lateness (`late`), paged like every list. A project's tasks are a bounded set
// (the matrix, and open follow-ups and obligations under their cap): read with one query, paged in an order no change
// to a task can move (a due date set when a task starts would make a paging client skip or repeat it).
import { STAGES } from '#kernel/domain/codes.ts';
import { assertCanRead } from '#kernel/domain/principal.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import { loadProject } from '#projects/store/projects.ts';
import { listTasks } from '#lifecycle/store/tasks.ts';
import { invalidCursor, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { completedLate, presentTaskFor } from '#lifecycle/present.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#lifecycle/routes.ts';

/** The order tasks are listed in, as one comparable string: stage, then id (both fixed for a task's life). */
const order = (t: Task) => `${STAGES.indexOf(t.stage)}|${t.id}`;

export const handler = route(routes.listTasks, async (req) => {
  // The tasks are read at the same time as the project (one round trip), shown only once its reader is checked.
  const [loaded, tasks] = await Promise.allSettled([loadProject(req.params.id), listTasks(req.params.id)]);
  if (loaded.status === 'rejected') throw loaded.reason;
  const project = loaded.value;
  assertCanRead(req.principal, project);
  if (tasks.status === 'rejected') throw tasks.reason;
  const { limit, cursor, ...filters } = req.query;
  const scope = { list: `tasks ${project.id} ${JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort())}`, caller: req.principal.sub };
  const after = await openCursor(scope, cursor);
  if (after !== undefined && typeof after !== 'string') throw invalidCursor();
  const matching = tasks.value
    .filter((t) => (!filters.stage || t.stage === filters.stage) && (!filters.status || t.status === filters.status) && (!filters.light || t.light === filters.light) && (!filters.kind || t.kind === filters.kind) && (!filters.late || completedLate(t) === (filters.late === 'true')))
    .map((t) => ({ t, key: order(t) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter((x) => after === undefined || x.key > after);
  const size = limit ? Number(limit) : 20;
  const page = matching.slice(0, size);
  const present = presentTaskFor(req.principal, project);
  return json(200, { items: page.map((x) => present(x.t)), nextCursor: matching.length > size ? await sealCursor(scope, page.at(-1)!.key) : null });
});
