// GET /health — {"status":"ok"} only when the tables answer and the workflow runner is ready; 503 otherwise.
import { getCalendarYear } from '#adapters/dynamodb/reference.ts';
import { log } from '#adapters/log.ts';
import { workflow } from '#adapters/workflow/index.ts';
import { json, route } from '#http/route.ts';

export const handler = route({ auth: 'public' }, async () => {
  const checks = await Promise.all([
    getCalendarYear(1970).then(
      () => true,
      (err: unknown) => (log.warn('health: tables not ready', { err }), false),
    ),
    workflow.ready().catch((err: unknown) => (log.warn('health: workflow not ready', { err }), false)),
  ]);
  const [tables, runner] = checks;
  if (tables && runner) return json(200, { status: 'ok' });
  return json(503, { status: 'unavailable', tables, workflow: runner });
});
