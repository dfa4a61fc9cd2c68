// The escalation ladder end to end, on the real ASL in the embedded runner with a scaled clock (ten business days a
// second): a project that misses its start of works climbs L1 发函督促 (with a numbered urging letter to the enterprise)
// → L2 → L3 → L4 → exit pending, one rung per window, each on the timeline; an extension puts it back to 0 until the
// new date; past it the ladder climbs again; doing the work resets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-03-02T09:00:00+08:00', scale: 10 * 86_400 });
});
afterAll(() => env?.stop());

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;
const leader = { sub: 'u-leader', name: '主任', roles: ['committee_leader' as const] };
type Escalation = { level: number; name: string; since: string | null; trigger?: { kind: string } | null; next?: { step: string; dueDate: string } | null; extendedUntil?: string | null };

describe('the escalation ladder', () => {
  it('climbs L1 → exit pending with a letter at L1; an extension resets it; doing the work resets it', async () => {
    const { project, executionName, input } = await env.activeProject('land', {}, 'GROUNDBREAKING');
    await env.workflow.startExecution(executionName, input);
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    const getProject = await load('../../functions/projects/http/get-project.ts');
    const escalation = async () => (await call<{ escalation: Escalation }>(getProject, apiEvent('GET /projects/{id}', { as: leader, params: { id: project.id } }))).body.escalation;

    // 施工手续 done at once; 开工 (30 working days) is then missed.
    const permits = await until(async () => (await api.tasks()).find((t) => t.code === 'construction_permits' && t.startedDate));
    expect((await api.complete(permits)).status).toBe(200);

    const l1 = await until(async () => {
      const e = await escalation();
      return e.level >= 1 ? e : undefined;
    }, 60_000, 50);
    expect(l1).toMatchObject({ name: 'URGING_LETTER', trigger: { kind: 'start_overdue' } });
    const listLetters = await load('../../functions/supervision/http/list-letters.ts');
    const letters = await call<{ items: { series: string; number: string; to: { kind: string }; subject: string; body: string }[] }>(listLetters, apiEvent('GET /projects/{id}/letters', { as: leader, params: { id: project.id } }));
    const urging = letters.body.items.filter((l) => l.series === 'urging') as { series: string; number: string; to: { kind: string }; subject: string; id?: string }[];
    expect(urging).toHaveLength(1);
    expect(urging[0]).toMatchObject({ to: { kind: 'enterprise' } });
    expect(urging[0]!.number).toMatch(/^晋综开督函〔2026〕\d+号$/);
    // The day its trigger began as a letter writes it (2026年9月14日), not 2026-09-14.
    expect((urging[0] as { body?: string }).body).toMatch(/自2026年\d{1,2}月\d{1,2}日起逾期未办结/);

    const top = await until(async () => {
      const e = await escalation();
      return e.level === 5 ? e : undefined;
    }, 60_000, 50);
    expect(top).toMatchObject({ name: 'EXIT_PENDING', next: { step: 'EXIT_DECISION' } });
    // The joint assessment nobody answered is in the supervision file: its round, opened when L3 was raised, lapsed
    // with every department undecided (it showed no round at all).
    const ladder = await load('../../functions/supervision/http/get-ladder.ts');
    const file = await call<{ assessments: Record<string, unknown>[] }>(ladder, apiEvent('GET /projects/{id}/ladder', { as: leader, params: { id: project.id } }));
    const { assessmentDepartments } = await import('../../functions/supervision/domain/assessment.ts');
    expect(file.body.assessments).toEqual([
      expect.objectContaining({ round: 1, decisions: [], pending: [], undecided: [...assessmentDepartments()], departments: [...assessmentDepartments()], open: false, lapsed: true, outcome: null }),
    ]);
    // L2 约谈 on record: the enterprise's commitment becomes a task with its due date.
    const interview = await load('../../functions/supervision/http/record-interview.ts');
    const heldOn = (await import('../../functions/kernel/domain/dates.ts')).shanghaiDate(env.clock.now());
    const commitmentDue = (await import('../../functions/kernel/domain/dates.ts')).addCalendarDays(heldOn, 300);
    // The form sent five times at once (no Idempotency-Key): one record, the others refused, one commitment task.
    const sent = await Promise.all(
      Array.from({ length: 5 }, () =>
        call<{ interview: { number: number }; commitments: { id: string; lead: string; dueDate: string; dueDateSet: string }[] }>(
          interview,
          apiEvent('POST /projects/{id}/interviews', { as: leader, params: { id: project.id }, body: { heldOn, attendees: ['分管领导', '企业负责人'], summary: '企业说明未开工原因', commitments: [{ item: '限期开工', owner: 'enterprise', dueDate: commitmentDue }] } }),
        ),
      ),
    );
    expect(sent.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const recorded = sent.find((r) => r.status === 201)!;
    expect(recorded.body.interview.number).toBe(1);
    expect((await api.tasks()).filter((t) => t.code === 'interview_commitment')).toHaveLength(1);
    // The date as agreed; scheduled on the next working day when it falls on a rest day (300 days on may be a Sunday).
    expect(recorded.body.commitments).toEqual([expect.objectContaining({ lead: 'enterprise', dueDateSet: commitmentDue })]);
    const scheduled = recorded.body.commitments[0]!.dueDate;
    expect(scheduled >= commitmentDue && scheduled <= (await import('../../functions/kernel/domain/dates.ts')).addCalendarDays(commitmentDue, 9)).toBe(true);
    expect((await api.tasks()).some((t) => t.id === recorded.body.commitments[0]!.id)).toBe(true);
    // The enterprise is told of the commitment the interview made its work, once (four twins were refused).
    const told = (await (await import('../../functions/notifications/store/inbox.ts')).queryInbox(`ENTERPRISE#${project.investor.enterpriseId}`, 200)).items.filter((n) => n.kind === 'interview.commitments' && n.projectId === project.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`（${scheduled}）`);

    // The supervision office's working list: the ledger by rung (a sparse index of the projects on the ladder).
    const listProjects = await load('../../functions/projects/http/list-projects.ts');
    const onLadder = await call<{ items: { id: string }[] }>(listProjects, apiEvent('GET /projects', { as: leader, query: { escalation: 'EXIT_PENDING', limit: '100' } }));
    expect(onLadder.body.items.map((p) => p.id)).toContain(project.id);
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items;
    expect(events.filter((e) => e.action === 'escalation.raised').map((e) => (e.after as { level: number }).level)).toEqual([1, 2, 3, 4, 5]);
    // The letters issued with other changes are on the timeline (全程可溯) as a letter sent by hand is, once each: the
    // review's urging letter and the 即时函告 of the completed construction permits.
    const issued = events.filter((e) => e.action === 'letter.issued').map((e) => e.after as { number: string; to: { kind: string } });
    expect(issued.filter((l) => l.number === urging[0]!.number)).toEqual([expect.objectContaining({ to: expect.objectContaining({ kind: 'enterprise' }) })]);
    expect(new Set(issued.map((l) => l.number)).size).toBe(issued.length);
    expect(issued.filter((l) => l.to.kind === 'department').length).toBeGreaterThan(0);

    // The urging letter went unanswered past its window: the enterprise was reminded (once).
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const reminders = (await queryInbox(`ENTERPRISE#${project.investor.enterpriseId}`, 100)).items.filter((n) => n.kind === 'letter.overdue' && n.projectId === project.id);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.title).toContain(urging[0]!.number);

    // The committee leader extends: back to 0 until the new date.
    const extension = await load('../../functions/supervision/http/grant-extension.ts');
    const today = (await import('../../functions/kernel/domain/dates.ts')).shanghaiDate(env.clock.now());
    // An extension runs to a working day (a rest day is refused): 20 calendar days on, moved to one.
    const { onOrAfterWorkingDay } = await import('../../functions/reference/domain/calendar.ts');
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const newDueDate = onOrAfterWorkingDay((await import('../../functions/kernel/domain/dates.ts')).addCalendarDays(today, 20), await loadCalendar()).date;
    const extended = await call<{ escalation: Escalation }>(extension, apiEvent('POST /projects/{id}/extension', { as: leader, params: { id: project.id }, body: { newDueDate, reason: '企业资金已到位，承诺限期开工' } }));
    expect(extended.status, extended.text).toBe(200);
    expect(extended.body.escalation).toMatchObject({ level: 0, name: 'NONE', extendedUntil: newDueDate });

    // Past the new date, still not started: the ladder climbs again from L1.
    await until(async () => ((await escalation()).level >= 1 ? true : undefined), 60_000, 50);
    // The enterprise answers the urging letter and starts works: nothing is overdue any more, and the ladder resets.
    const ack = await load('../../functions/supervision/http/ack-letter.ts');
    const enterprise = { sub: 'u-ent', name: '企业', roles: ['enterprise' as const], enterprise: project.investor.enterpriseId };
    const now = await call<{ items: { id: string; series: string; ack: unknown }[] }>(listLetters, apiEvent('GET /projects/{id}/letters', { as: leader, params: { id: project.id } }));
    for (const l of now.body.items.filter((x) => x.series === 'urging' && !x.ack)) {
      const answered = await call(ack, apiEvent('POST /letters/{id}/ack', { as: enterprise, params: { id: l.id }, body: { reply: '已开工准备，本周开工。' } }));
      expect(answered.status, answered.text).toBe(200);
    }
    const start = await until(async () => (await api.tasks()).find((t) => t.code === 'start_of_works' && t.status === 'open'));
    expect((await api.complete(start)).status).toBe(200);
    // The reset is recorded with the completion itself (its transaction), not when the review woken through the outbox
    // gets to it: read straight after the answer, the ladder is at 0.
    expect(await escalation()).toMatchObject({ level: 0, name: 'NONE' });
    const after = (await listAudit(`PROJECT#${project.id}`, 200)).items.map((e) => e.action);
    expect(after).toContain('escalation.extended');
    expect(after).toContain('escalation.reset');
  });
});
