// GET /health — {"status":"ok"} only when the tables answer and the workflow runner is ready; 503 otherwise — with the
// business clock's instant and date (`now`, `today`: a local runtime's clock may run apart from real time). Public,
// so its answer is kept for a few seconds per instance: a flood of probes costs one table read and one workflow check
// per window, not one per call (and it has its own throttle at the gateway, see catalog.ts).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { getCalendarYear } from '#reference/store/reference.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflow } from '#kernel/workflow/index.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#platform/routes.ts';

/** How long an answer is reused (real time): healthy answers longer than unhealthy ones, so recovery shows soon. */
const FRESH_MS = { ok: 10_000, unavailable: 2_000 } as const;

interface Answer {
  readonly at: number;
  readonly body: { status: 'ok' } | { status: 'unavailable'; tables: boolean; workflow: boolean };
}
let last: Answer | undefined;
let pending: Promise<Answer> | undefined;

async function check(): Promise<Answer> {
  const [tables, runner] = await Promise.all([
    getCalendarYear(1970).then(
      () => true,
      (err: unknown) => (log.warn('health: tables not ready', { err }), false),
    ),
    workflow.ready().catch((err: unknown) => (log.warn('health: workflow not ready', { err }), false)),
  ]);
  return { at: Date.now(), body: tables && runner ? { status: 'ok' } : { status: 'unavailable', tables, workflow: runner } };
}

export const handler = route(routes.health, async () => {
  if (!last || Date.now() - last.at > FRESH_MS[last.body.status]) {
    // One check at a time: concurrent probes of a stale answer share the next one.
    pending ??= check().finally(() => (pending = undefined));
    last = await pending;
  }
  // The clock is read for every answer (the checks' answer is kept; the time is not).
  const now = clock.now();
  return json(last.body.status === 'ok' ? 200 : 503, { ...last.body, now: now.toISOString(), today: shanghaiDate(now) }, { 'cache-control': 'no-store' });
});
