// GET /me/tasks — open tasks of my department (per role held; a park's service center its own park only; an
// enterprise its own), soonest due first, merged into one list with one cursor: one index query per partition, and a
// page is empty only at the end.
import { DEPARTMENT_TASK_KEY_NAMES, queryDepartmentTasks } from '#lifecycle/store/tasks.ts';
import { asStartKey, invalidCursor, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { presentTaskFor } from '#lifecycle/present.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#lifecycle/routes.ts';
import { projectNamesAndParks } from '#projects/store/projects.ts';

/** Per partition: where the last task handed out sits (the next page starts after it), or null once it is read to its end. */
type Positions = Record<string, Record<string, string> | null>;

export const handler = route(routes.myTasks, async (req) => {
  const p = req.principal;
  const partitions = [
    ...new Set(
      p.roles.flatMap((r): string[] => {
        if (r === 'enterprise') return p.enterprise ? [`enterprise#${p.enterprise}`] : [];
        if (r === 'park_center') return p.park ? [`park_center#${p.park}`] : [];
        return [r];
      }),
    ),
  ];
  const limit = req.query.limit ? Number(req.query.limit) : 20;
  const scope = { list: 'me/tasks', caller: p.sub };
  const opened = await openCursor<Positions>(scope, req.query.cursor);
  const positions: Positions = {};
  if (opened !== undefined) {
    if (typeof opened !== 'object' || opened === null || Array.isArray(opened)) throw invalidCursor();
    for (const [partition, at] of Object.entries(opened)) {
      if (!partitions.includes(partition)) throw invalidCursor();
      positions[partition] = at === null ? null : asStartKey(at, DEPARTMENT_TASK_KEY_NAMES);
    }
  }
  const pages = await Promise.all(
    partitions
      .filter((partition) => positions[partition] !== null)
      // One more than the page per partition: whether a partition goes on is known without a trailing empty page.
      .map(async (partition) => ({ partition, ...(await queryDepartmentTasks(partition, limit + 1, positions[partition] ?? undefined)) })),
  );
  const taken = pages
    .flatMap((page) => page.items.map((item) => ({ ...item, partition: page.partition })))
    // In the index's own order (DynamoDB compares the keys' bytes): not localeCompare, which puts the undated key's '~'
    // before every date.
    .sort((a, b) => (a.key.gsiDue! < b.key.gsiDue! ? -1 : a.key.gsiDue! > b.key.gsiDue! ? 1 : 0))
    .slice(0, limit);
  const next: Positions = { ...positions };
  for (const page of pages) {
    const mine = taken.filter((t) => t.partition === page.partition);
    if (mine.length) next[page.partition] = mine.at(-1)!.key;
    if (mine.length === page.items.length && !page.lastKey) next[page.partition] = null;
  }
  const done = partitions.every((partition) => next[partition] === null);
  // Each task as its reader sees its project (a user who is also an enterprise sees its own tasks elsewhere as the enterprise).
  const present = (t: (typeof taken)[number]['task']) => presentTaskFor(p, { id: t.projectId, park: t.park, investor: { enterpriseId: t.enterpriseId } })(t);
  // The page spans projects: each task names its own (one BatchGet of the page's projects, names only).
  const names = await projectNamesAndParks(taken.map((t) => t.task.projectId));
  const items = taken.map((t) => ({ ...present(t.task), projectName: names.get(t.task.projectId)?.name ?? t.task.projectId }));
  return json(200, { items, nextCursor: done ? null : await sealCursor(scope, next) });
});
