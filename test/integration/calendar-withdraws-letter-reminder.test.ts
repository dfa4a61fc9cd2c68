// A calendar correction after a letter's addressee was reminded that the reply window passed (letter.overdue): ops make
// working days of its window holidays, so its reply-by day moves to today or later and the letter is not overdue. On the
// real ASL in the embedded runner with a scaled clock (a business day in four seconds): the reminder is withdrawn — the
// event on the project's timeline, the addressee told with the new day — and, still unanswered past the new day, the
// letter is reminded again (before, it kept `remindedAt`: never reminded at the new day, and the reminder stood).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, users, type Handler } from '../support/events.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // Tuesday 2 June 2026; a business day in four seconds.
  env = await lifecycleEnv({ clockStart: '2026-06-02T09:00:00+08:00', scale: 21_600 });
});
afterAll(() => env?.stop());

/** The `n` weekdays after `date` (June 2026 has no holiday before the 19th). */
function weekdaysAfter(date: string, n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${date}T00:00:00Z`); out.length < n; ) {
    d = new Date(d.getTime() + 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;

describe('a letter reminder withdrawn by a calendar correction', () => {
  it('withdraws the reminder when the reply-by day moves to today or later, and reminds again when the new day passes', { timeout: 240_000 }, async () => {
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const { addCalendarDays, shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const send = await load('../../functions/supervision/http/send-letter.ts');
    const getLetter = await load('../../functions/supervision/http/get-letter.ts');
    // In OPERATION: nothing else is due for weeks, the letter alone wakes the lifecycle.
    const { project, executionName, input } = await env.activeProject('land', {}, 'OPERATION');
    await env.workflow.startExecution(executionName, input);
    const sent = await call<{ id: string; number: string; issuedOn: string; replyBy: string }>(
      send,
      apiEvent('POST /projects/{id}/letters', { as: users.supervisionOfficer, params: { id: project.id }, body: { series: 'urging', to: { kind: 'enterprise' }, subject: '关于报送达产数据的函', body: '请按季度报送产值、税收和就业数据。' } }),
    );
    expect(sent.status, sent.text).toBe(201);
    const { id, number, issuedOn, replyBy: due } = sent.body;
    const inbox = `ENTERPRISE#${project.investor.enterpriseId}`;
    const told = async (kind: string) => (await queryInbox(inbox, 200)).items.filter((n) => n.kind === kind && n.projectId === project.id);
    await until(async () => ((await told('letter.overdue')).length ? true : undefined), 60_000, 50);

    // Ops make the three working days after the letter was issued holidays (a correction, the day after its window):
    // the reply is due three working days later (D'), not overdue until the day after D'.
    const off = weekdaysAfter(issuedOn, 3);
    const moved = weekdaysAfter(due, 3)[2]!;
    const getCalendar = await load('../../functions/reference/http/get-calendar.ts');
    const putCalendar = await load('../../functions/reference/http/put-calendar.ts');
    const year = await call<{ holidays: string[]; workdays: string[]; version: number }>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }));
    const put = await call(
      putCalendar,
      apiEvent('PUT /calendar/{year}', { as: users.opsEngineer, params: { year: '2026' }, headers: { 'if-match': `"${year.body.version}"` }, body: { holidays: [...year.body.holidays, ...off].sort(), workdays: year.body.workdays } }),
    );
    expect(put.status, put.text).toBe(200);

    const audit = async () => (await listAudit(`PROJECT#${project.id}`, 300)).items;
    const withdrawn = await until(async () => (await audit()).find((e) => e.action === 'letter.overdue_withdrawn'), 30_000, 50);
    expect(withdrawn).toMatchObject({ before: { letter: id, number, replyBy: due }, after: { letter: id, number, replyBy: moved, reason: 'calendar' } });
    // The addressee, the one reminded, is told with the new day; the letter reads as sent, due on it.
    const withdrawal = await until(async () => ((await told('letter.overdue_withdrawn')).length ? told('letter.overdue_withdrawn') : undefined), 30_000, 50);
    expect(withdrawal).toHaveLength(1);
    expect(withdrawal[0]?.body).toContain(moved);
    const read = await call<{ replyBy: string; status: string }>(getLetter, apiEvent('GET /letters/{id}', { as: users.supervisionOfficer, params: { id } }));
    expect(read.body).toMatchObject({ replyBy: moved });
    if (shanghaiDate(env.clock.now()) <= moved) expect(read.body.status).toBe('sent');

    // Still unanswered the day after D': reminded again, on that day — two reminders, one withdrawal in all.
    const again = await until(async () => ((await told('letter.overdue')).length > 1 ? told('letter.overdue') : undefined), 60_000, 50);
    expect(shanghaiDate(new Date(again.map((n) => n.createdAt as string).sort().at(-1)!))).toBe(addCalendarDays(moved, 1));
    expect((await audit()).filter((e) => e.action === 'letter.overdue_withdrawn')).toHaveLength(1);
    expect(await told('letter.overdue_withdrawn')).toHaveLength(1);
  });
});
