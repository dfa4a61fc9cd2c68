// A due date in a year with no calendar loaded: computed on weekdays only, flagged calendarProvisional, ops told;
// recomputed when ops load that year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-12-28T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('provisional due dates across the end of the loaded calendar', () => {
  it('flags a task and a gate due in 2027, tells ops, and recomputes both when 2027 is loaded', async () => {
    // A second project whose SIGNING tasks are all done at once: its gate opens on 2026-12-28 with a 2027 due date.
    const gated = await env.activeProject('land');
    const gatedApi = await lifecycleApi({ id: gated.project.id, park: gated.project.park, enterpriseId: gated.project.investor.enterpriseId });
    await env.workflow.startExecution(gated.executionName, gated.input);
    await gatedApi.finishTasks('SIGNING');
    const gate = await until(async () => ((await gatedApi.project()).gate?.open ? (await gatedApi.project()).gate : undefined));
    expect(gate).toMatchObject({ open: true, calendarProvisional: true });
    expect(gate?.dueDate && gate.dueDate > '2026-12-31').toBe(true);

    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection'));
    await until(async () => ((await import('../../functions/lifecycle/store/stage.ts')).getWait(project.id)));
    // 5 working days after 2026-12-28 on weekdays only: 2027-01-04 (2027 has no calendar yet).
    expect(pre).toMatchObject({ dueDate: '2027-01-04', calendarProvisional: true });

    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const ops = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'OPS' } }));
    expect((ops.Items ?? []).some((n) => n.kind === 'calendar.provisional' && n.projectId === project.id)).toBe(true);

    // An urging letter issued now asks a reply in 5 working days: 2027-01-04 on weekdays, provisional.
    const sendLetter = ((await import('../../functions/supervision/http/send-letter.ts')) as { handler: Handler }).handler;
    const sent = await call<{ id: string; replyBy: string }>(sendLetter, apiEvent('POST /projects/{id}/letters', { as: api.as('supervision_office'), params: { id: project.id }, body: { series: 'urging', to: { kind: 'enterprise' }, subject: '关于加快进度的函', body: '请说明。' } }));
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.replyBy).toBe('2027-01-04');

    const putCalendar = ((await import('../../functions/reference/http/put-calendar.ts')) as { handler: Handler }).handler;
    const reply = await call(putCalendar, apiEvent('PUT /calendar/{year}', { as: api.as('ops'), params: { year: '2027' }, body: { holidays: ['2027-01-01'], workdays: [] } }));
    expect(reply.status).toBe(201);
    expect(Number(reply.headers['x-projects-recomputing'])).toBeGreaterThanOrEqual(1);
    // 2027-01-01 is a holiday: the fifth working day is now 2027-01-05, and no longer provisional.
    const recomputed = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && !t.calendarProvisional));
    expect(recomputed.dueDate).toBe('2027-01-05');
    // The gate is recomputed on the loaded calendar too: one working day later, because of the 2027-01-01 holiday.
    const regated = await until(async () => {
      const g = (await gatedApi.project()).gate;
      return g && !g.calendarProvisional ? g : undefined;
    });
    const { addWorkingDays } = await import('../../functions/reference/domain/calendar.ts');
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const { getGate } = await import('../../functions/lifecycle/store/tasks.ts');
    const stored = await getGate(gated.project.id, 'SIGNING');
    expect(regated.dueDate).toBe(addWorkingDays(stored?.openedDate ?? '', stored?.limitWd ?? 0, await loadCalendar()).date);
    expect(regated.dueDate).not.toBe(gate?.dueDate);
    // The letter's reply-by day too: New Year's Day off, a working day later.
    const getLetter = ((await import('../../functions/supervision/http/get-letter.ts')) as { handler: Handler }).handler;
    const letter = await until(async () => {
      const l = await call<{ replyBy: string }>(getLetter, apiEvent('GET /letters/{id}', { as: api.as('supervision_office'), params: { id: sent.body.id } }));
      return l.body.replyBy === '2027-01-05' ? l.body : undefined;
    });
    expect(letter.replyBy).toBe('2027-01-05');

    // Ops correct the loaded year: 5 January becomes a holiday. A due date that was never provisional moves too — every
    // active project is woken to recompute its dates, not only those with provisional ones.
    const current = await call(((await import('../../functions/reference/http/get-calendar.ts')) as { handler: Handler }).handler, apiEvent('GET /calendar/{year}', { params: { year: '2027' } }));
    const corrected = await call(putCalendar, apiEvent('PUT /calendar/{year}', { as: api.as('ops'), params: { year: '2027' }, headers: { 'if-match': String(current.headers.etag) }, body: { holidays: ['2027-01-01', '2027-01-05'], workdays: [] } }));
    expect(corrected.status, corrected.text).toBe(200);
    const moved = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.dueDate === '2027-01-06'));
    expect(moved).toMatchObject({ calendarProvisional: false });
    const { getProject } = await import('../../functions/projects/store/projects.ts');
    // The flag the calendar change set is cleared by the review that recomputed the dates.
    await until(async () => ((await getProject(project.id))?.datesToRecompute ? undefined : true));

    // Ops publish the lights with the yellow light 4 working days before due (3 by default): running work follows — its
    // yellow date moves a working day earlier — as it follows a calendar change.
    const { listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
    const getTask = async (id: string, taskId: string) => (await listTasks(id)).find((t) => t.id === taskId);
    const { loadCalendar: calendarNow } = await import('../../functions/reference/store/reference.ts');
    const before = (await getTask(project.id, 'SIGNING.pre_site_selection'))!;
    const getConfig = ((await import('../../functions/reference/http/get-config.ts')) as { handler: Handler }).handler;
    const putConfig = ((await import('../../functions/reference/http/put-config.ts')) as { handler: Handler }).handler;
    const lights = await call<{ version: number; doc: { yellowBeforeWd: number } }>(getConfig, apiEvent('GET /config/{name}', { as: api.as('ops'), params: { name: 'lights' } }));
    const earlier = lights.body.doc.yellowBeforeWd + 1;
    const publish = () => call(putConfig, apiEvent('PUT /config/{name}', { as: api.as('ops'), params: { name: 'lights' }, headers: { 'if-match': `"${lights.body.version}"`, 'idempotency-key': `lights-${project.id}` }, body: { doc: { ...lights.body.doc, yellowBeforeWd: earlier }, note: '提前一天亮黄灯' } }));
    const published = await publish();
    expect(published.status, published.text).toBe(200);
    expect(Number(published.headers['x-projects-recomputing'])).toBeGreaterThanOrEqual(1);
    // Sent again with its key, the answer is the first one, the count with it.
    const replayed = await publish();
    expect(replayed.headers).toMatchObject({ 'idempotent-replayed': 'true', 'x-projects-recomputing': published.headers['x-projects-recomputing'] });
    const expected = addWorkingDays(before.dueDate!, -earlier, await calendarNow()).date;
    expect(expected < before.yellowDate!).toBe(true);
    const lit = await until(async () => {
      const t = await getTask(project.id, 'SIGNING.pre_site_selection');
      return t?.yellowDate === expected ? t : undefined;
    });
    expect(lit.dueDate).toBe(before.dueDate);
    await until(async () => ((await getProject(project.id))?.datesToRecompute ? undefined : true));
  });
});
