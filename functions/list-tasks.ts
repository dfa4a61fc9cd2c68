// GET /projects/{id}/tasks — the project's tasks of every stage, with status, lead, due date and light.
import { assertCanRead } from '#domain/principal.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { listTasks } from '#adapters/dynamodb/tasks.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { presentTask } from '#http/present-task.ts';
import { json, route } from '#http/route.ts';

const STAGE_ORDER = ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION', 'PRODUCING'];

export const handler = route({ auth: 'any', params: ProjectIdParams }, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const tasks = (await listTasks(project.id)).sort(
    (a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id.localeCompare(b.id),
  );
  return json(200, { items: tasks.map(presentTask), nextCursor: null });
});
