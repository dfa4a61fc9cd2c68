// A letter sent by hand with a reply window, on the real ASL in the embedded runner with a scaled clock (a business day
// a second): the lifecycle is woken by it, so the day after the window ends the addressee is reminded (letter.overdue) —
// not at the lifecycle's next timer, weeks later for a project in OPERATION with nothing else due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, users } from '../support/events.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-03-02T09:00:00+08:00', scale: 86_400 });
});
afterAll(() => env?.stop());

describe('a letter sent by hand', () => {
  it('with a reply window, has its addressee reminded the day after the window, though the lifecycle was waiting weeks', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const { addCalendarDays, shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    const { handler: send } = await import('../../functions/supervision/http/send-letter.ts');
    const { project, executionName, input } = await env.activeProject('land', {}, 'OPERATION');
    await env.workflow.startExecution(executionName, input);
    // The lifecycle waits: in OPERATION nothing is due for weeks.
    const before = await until(async () => getWait(project.id));
    const sent = await call<{ number: string; replyBy: string }>(
      send,
      apiEvent('POST /projects/{id}/letters', { as: users.supervisionOfficer, params: { id: project.id }, body: { series: 'urging', to: { kind: 'enterprise' }, subject: '关于报送达产数据的函', body: '请按季度报送产值、税收和就业数据。' } }),
    );
    expect(sent.status, sent.text).toBe(201);
    const remindOn = addCalendarDays(sent.body.replyBy, 1);
    // What makes this test tell: without the wake-up, the reminder would wait for this later timer.
    expect(shanghaiDate(new Date(before.wait.dueAt)) > remindOn).toBe(true);
    const reminder = await until(async () => (await queryInbox('ENTERPRISE#ent-t', 50)).items.find((n) => n.kind === 'letter.overdue'), 40_000, 100);
    expect(shanghaiDate(new Date(reminder.createdAt))).toBe(remindOn);
    expect(reminder.title).toContain(sent.body.number);
  });
});
