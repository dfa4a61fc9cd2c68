// GET /audit — the discipline office reads every record's changes: zone-wide, newest first, by actor, action and
// period, paged through an index (byActor, byMonth), never a scan; nobody else may.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('audit-query');
registerFakeWorkflow();
const { handler: query } = await import('../../functions/supervision/http/query-audit.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { seedConfig } = await import('../support/config.ts');
const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Page = { items: { subject: string; subjectName: string | null; at: string; actor: string; action: string }[]; nextCursor: string | null };
const audit = (q: Record<string, string> = {}, as: User = users.disciplineInspector) => call<Page>(query, apiEvent('GET /audit', { as, query: q }));

describe('the zone-wide audit log', () => {
  it('lists every actor’s events newest first, filtered by actor, action and period, paged to the end', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: i % 2 ? users.investmentOfficer2 : users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, name: `审计项目${i}` }) }));
      created.push(p.body.id);
    }
    await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created[0]! }, body: { decision: 'approve' } }));

    const all = await audit({ limit: '100' });
    expect(all.status, all.text).toBe(200);
    const mine = all.body.items.filter((e) => created.some((id) => e.subject === `PROJECT#${id}`));
    expect(mine.map((e) => e.action).sort()).toEqual(['admission.approve', ...Array(5).fill('project.created')].sort());
    // Each event names its project as it was called then: the auditor reads whose change it was without a lookup.
    expect(mine.map((e) => [e.subject, e.subjectName])).toEqual(mine.map((e) => [e.subject, `审计项目${created.indexOf(e.subject.slice('PROJECT#'.length))}`]));
    const ats = all.body.items.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const byActor = await audit({ actor: users.investmentOfficer2.sub, limit: '100' });
    expect(byActor.body.items.map((e) => e.actor)).toEqual(Array(2).fill(users.investmentOfficer2.sub));
    const byAction = await audit({ action: 'admission.approve', limit: '100' });
    expect(byAction.body.items.map((e) => e.subject)).toEqual([`PROJECT#${created[0]}`]);

    // Paged two at a time, every event once.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 20; n++) {
      const page: Awaited<ReturnType<typeof audit>> = await audit({ limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((e) => `${e.subject}|${e.at}|${e.action}`));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all.body.items.map((e) => `${e.subject}|${e.at}|${e.action}`));

    const yesterday = addCalendarDays(shanghaiDate(new Date()), -1);
    expect((await audit({ to: yesterday })).body.items).toEqual([]);
    expect((await audit({ from: shanghaiDate(new Date()), limit: '100' })).body.items.length).toBe(all.body.items.length);

    // A period reaching back decades before the first event, and years ahead: read up to today, empty months passed
    // over a few years a page — not 50 pages of nothing before the events.
    let pages = 0;
    let found = 0;
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page: Awaited<ReturnType<typeof audit>> = await audit({ from: '2000-01-01', to: '2099-12-31', limit: '100', ...(cursor ? { cursor } : {}) });
      expect(page.status, page.text).toBe(200);
      pages += 1;
      found += page.body.items.length;
      cursor = page.body.nextCursor ?? undefined;
    }
    expect(found).toBe(all.body.items.length);
    expect(pages).toBeLessThanOrEqual(6);
  });

  it('by a rare action, a page is full while matches remain: no empty pages before or between them, every match once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, name: `稀有动作项目${i}` }) }))).body.id);
    // Three admissions among 30 newer creations and everything the test before wrote.
    for (const id of [ids[2]!, ids[11]!, ids[20]!]) await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id }, body: { decision: 'reject', reason: '不符合产业方向' } }));
    for (let i = 0; i < 10; i++) await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer2, body: projectBody({ totalInvestmentCny: 300_000_000, name: `其后项目${i}` }) }));
    const sizes: number[] = [];
    const subjects: string[] = [];
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page: Awaited<ReturnType<typeof audit>> = await audit({ action: 'admission.reject', limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.status, page.text).toBe(200);
      sizes.push(page.body.items.length);
      subjects.push(...page.body.items.map((e) => e.subject));
      cursor = page.body.nextCursor ?? undefined;
    }
    // One a page, newest first; at most a last empty page saying there is no more.
    expect(sizes.slice(0, 3)).toEqual([1, 1, 1]);
    expect(sizes.slice(3).every((n) => n === 0) && sizes.length <= 4).toBe(true);
    expect(subjects).toEqual([ids[20], ids[11], ids[2]].map((id) => `PROJECT#${id}`));
  });

  it('is for the discipline and supervision offices only; bad periods and cursors are 400s', async () => {
    expect((await audit({}, users.supervisionOfficer)).status).toBe(200);
    expectProblem(await audit({}, users.committeeLeader), 403);
    expectProblem(await audit({}, users.enterpriseA), 403);
    expectProblem(await audit({ from: '2026-05-02', to: '2026-05-01' }), 400, ['query.from']);
    expect(expectProblem(await audit({ from: '2026-05-02', to: '2026-05-01' }), 400, ['query.from']).detail).toBe('from (2026-05-02) is after to (2026-05-01)');
    expectProblem(await audit({ cursor: 'c1AAAA' }), 400, ['query.cursor']);
    expectProblem(await audit({ action: 'DROP TABLE' }), 400, ['query.action']);
  });

  it('refuses a from in the future without a to in terms of what was sent: to defaults to today, not "from is after to"', async () => {
    const today = shanghaiDate(new Date());
    const future = addCalendarDays(today, 30);
    const alone = expectProblem(await audit({ from: future }), 400, ['query.from']);
    expect(alone.detail).toBe(`from (${future}) is after today (${today}): to defaults to today`);
    expect(alone.errors).toEqual([{ path: 'query.from', code: 'out_of_range', message: `must be on or before today (${today}): to defaults to today` }]);
    // A to after today too: the period is read up to today, and that is what the from lies beyond.
    const both = expectProblem(await audit({ from: future, to: addCalendarDays(future, 10) }), 400, ['query.from']);
    expect(both.detail).not.toMatch(/is after to\b/);
    expect(both.errors?.[0]?.message).toMatch(new RegExp(`^must be on or before today \\(${today}\\)`));
  });

  it('takes ISO instants with their offset for from and to: what changed between 14:00 and 15:00 (from inclusive, to exclusive)', async () => {
    const { clock } = await import('../../functions/kernel/runtime/clock.ts');
    const day = addCalendarDays(shanghaiDate(new Date()), -3);
    const made: Record<string, string> = {};
    // Four changes around the hour's edges, Beijing time: just before 14:00, at 14:00, just before 15:00, at 15:00.
    for (const time of ['13:59:59.999', '14:00:00.000', '14:59:59.999', '15:00:00.000']) {
      const at = new Date(`${day}T${time}+08:00`);
      const now = vi.spyOn(clock, 'now').mockImplementation(() => at);
      try {
        const p = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: `时段项目${time}` }) }));
        expect(p.status, p.text).toBe(201);
        made[time] = `PROJECT#${p.body.id}`;
      } finally {
        now.mockRestore();
      }
    }
    const subjects = (page: Page) => page.items.filter((e) => e.action === 'project.created' && Object.values(made).includes(e.subject)).map((e) => e.subject);
    const hour = [made['14:59:59.999'], made['14:00:00.000']];
    const beijing = await audit({ from: `${day}T14:00:00+08:00`, to: `${day}T15:00:00+08:00`, limit: '100' });
    expect(beijing.status, beijing.text).toBe(200);
    expect(subjects(beijing.body)).toEqual(hour);
    // The same hour said in UTC, with milliseconds.
    const [y, m, d] = day.split('-').map(Number);
    const utc = new Date(Date.UTC(y!, m! - 1, d!, 6)).toISOString();
    const utcEnd = new Date(Date.UTC(y!, m! - 1, d!, 7)).toISOString();
    expect(subjects((await audit({ from: utc, to: utcEnd, limit: '100' })).body)).toEqual(hour);
    // A date keeps its meaning beside an instant: from the start of the day (Beijing) to 15:00.
    expect(subjects((await audit({ from: day, to: `${day}T15:00:00+08:00`, limit: '100' })).body)).toEqual([made['14:59:59.999'], made['14:00:00.000'], made['13:59:59.999']]);
    // From 14:00 to the end of the day (a date `to`: inclusive, the whole day).
    expect(subjects((await audit({ from: `${day}T14:00:00+08:00`, to: day, limit: '100' })).body)).toEqual([made['15:00:00.000'], made['14:59:59.999'], made['14:00:00.000']]);
    // Paged one at a time, the hour's two events once each, in order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof audit>> = await audit({ from: `${day}T14:00:00+08:00`, to: `${day}T15:00:00+08:00`, action: 'project.created', limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.status, page.text).toBe(200);
      paged.push(...subjects(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(hour);
  });

  it('refuses an instant without its offset, an hour past 23, and a from not before its to', async () => {
    const day = addCalendarDays(shanghaiDate(new Date()), -3);
    expect(expectProblem(await audit({ from: `${day}T14:00:00` }), 400, ['query.from']).errors?.[0]?.code).toBe('format');
    expect(expectProblem(await audit({ to: `${day}T24:00:00+08:00` }), 400, ['query.to']).errors?.[0]?.code).toBe('format');
    expect(expectProblem(await audit({ from: '1999-12-31T23:00:00Z' }), 400, ['query.from']).errors?.[0]?.code).toBe('out_of_range');
    const same = expectProblem(await audit({ from: `${day}T14:00:00+08:00`, to: `${day}T06:00:00Z` }), 400, ['query.from']);
    expect(same.errors).toEqual([{ path: 'query.from', code: 'out_of_range', message: `must be before to (${day}T06:00:00Z)` }]);
    expectProblem(await audit({ from: `${day}T15:00:00+08:00`, to: `${day}T14:00:00+08:00` }), 400, ['query.from']);
    // A date from after an instant to on the day before.
    expectProblem(await audit({ from: day, to: `${addCalendarDays(day, -1)}T23:59:59+08:00` }), 400, ['query.from']);
  });

  it('pages on across midnight: the period the first page resolved (to = today by default) travels in the cursor', async () => {
    const first = await audit({ limit: '2' });
    expect(first.body.nextCursor).not.toBeNull();
    // The Shanghai date changes between two pages (an export running over midnight).
    const { clock } = await import('../../functions/kernel/runtime/clock.ts');
    const tomorrow = vi.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + 86_400_000));
    try {
      const next = await audit({ limit: '2', cursor: first.body.nextCursor! });
      expect(next.status, next.text).toBe(200);
      expect(next.body.items).toHaveLength(2);
      expect(next.body.items[0]!.at <= first.body.items[1]!.at).toBe(true);
    } finally {
      tomorrow.mockRestore();
    }
  });
});
