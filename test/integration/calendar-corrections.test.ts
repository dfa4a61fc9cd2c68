// Calendar corrections while projects run: a second correction that lands while the review woken by the first is
// under way (it read the calendar before the second was committed) must still move the project's dates.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import type * as Reference from '../../functions/reference/store/reference.ts';

// The review's calendar read can be held (`hold`): it reads the calendar, then waits for `hold` before answering it.
const hooks = vi.hoisted(() => ({ hold: undefined as undefined | (() => Promise<void>) }));
vi.mock('#reference/store/reference.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Reference>();
  return {
    ...real,
    loadCalendar: async () => {
      const read = await real.loadCalendar();
      const hold = hooks.hold;
      if (hold && new Error().stack?.includes('evaluate-stage')) {
        hooks.hold = undefined;
        await hold();
      }
      return read;
    },
  };
});

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-06-01T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('two calendar corrections in quick succession', () => {
  it('the second, committed while the review woken by the first runs on the calendar it read, moves the dates too', async () => {
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    // Started Monday 2026-06-01 with 5 working days: due Monday 2026-06-08.
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.dueDate));
    expect(pre.dueDate).toBe('2026-06-08');
    await until(async () => (await import('../../functions/lifecycle/store/stage.ts')).getWait(project.id));

    const getCalendar = ((await import('../../functions/reference/http/get-calendar.ts')) as { handler: Handler }).handler;
    const putCalendar = ((await import('../../functions/reference/http/put-calendar.ts')) as { handler: Handler }).handler;
    const year = await call<{ holidays: string[]; workdays: string[]; version: number }>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }));
    const put = (holidays: string[], version: number) =>
      call(putCalendar, apiEvent('PUT /calendar/{year}', { as: api.as('ops'), params: { year: '2026' }, headers: { 'if-match': `"${version}"` }, body: { holidays, workdays: year.body.workdays } }));
    const { getProject } = await import('../../functions/projects/store/projects.ts');

    // The second correction (4 June a holiday too) is committed, and its wake-up delivered, while the review woken by the
    // first (3 June a holiday) holds the calendar it read before it.
    let second: Awaited<ReturnType<typeof put>> | undefined;
    hooks.hold = async () => {
      const flagged = await getProject(project.id);
      second = await put([...year.body.holidays, '2026-06-03', '2026-06-04'].sort(), year.body.version + 1);
      // The calendar's signal, then the project's wake-up: delivered by the pollers (the project is flagged already).
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await getProject(project.id))?.datesToRecompute).toBe(flagged?.datesToRecompute);
    };
    const first = await put([...year.body.holidays, '2026-06-03'].sort(), year.body.version);
    expect(first.status, first.text).toBe(200);
    await until(() => second);
    expect(second?.status, second?.text).toBe(200);

    // On the calendar as it stands (3 and 4 June off): due Wednesday 2026-06-10, yellow Friday 2026-06-05.
    const moved = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.dueDate === '2026-06-10'), 15_000).catch(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection'));
    expect(moved).toMatchObject({ dueDate: '2026-06-10', yellowDate: '2026-06-05', calendarProvisional: false });
    await until(async () => ((await getProject(project.id))?.datesToRecompute ? undefined : true));
  });
});
