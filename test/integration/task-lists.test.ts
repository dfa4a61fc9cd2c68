// Task lists: a project's tasks paged and filtered; /me/tasks per department — a park's service center sees its own
// park only, pages are full until the end, cursors are opaque and only their user's; and the enterprise's own views of
// its project and tasks, field by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, users, type User } from '../support/events.ts';

const store = isolatedStore('task-lists');
const { handler: listTasks } = await import('../../functions/lifecycle/http/list-tasks.ts');
const { handler: myTasks } = await import('../../functions/lifecycle/http/my-tasks.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { insertTask, putGate, insertApproval } = await import('../../functions/lifecycle/store/tasks.ts');
const { createProject } = await import('../../functions/projects/domain/project.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { calendarLookup } = await import('../../functions/reference/domain/calendar.ts');
    const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { newGate } = await import('../../functions/lifecycle/domain/gate.ts');
const { tasksForStage } = await import('../../functions/lifecycle/domain/task.ts');

type TaskItem = Record<string, unknown> & { id: string; projectId: string; stage: string; status: string; light: string; kind: string; lead: string; dueDate: string | null };
type Page = { items: TaskItem[]; nextCursor: string | null };

let n = 0;
async function project(park: string, enterpriseId = 'ent-a') {
  const now = new Date('2026-09-21T02:00:00Z');
  const base = createProject(
    { name: `${park}项目${n}`, investor: { name: '测试公司', enterpriseId }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 1_500_000_000, techLevel: 'advanced', chainRole: 'extend', park, siteMode: 'lease' },
    users.investmentOfficer,
    DEFAULT_CONFIG.classification,
    { id: `prj-tl${(n++).toString(36)}${Math.random().toString(36).slice(2, 8)}`, now },
  );
  const p = { ...base, status: 'ACTIVE' as const, matrixVersion: 1, admission: { ...base.admission, decisions: [{ role: 'committee_leader' as const, by: 'u-leader-1', decision: 'approve' as const, reason: '内部研判：投资强度达标', at: now.toISOString() }] } };
  const cal = calendarLookup([]);
  // Every matrix task of every stage, started (so each is open with a due date and in the department index).
  const tasks = (['SIGNING', 'LANDING', 'GROUNDBREAKING'] as const).flatMap((stage, i) =>
    tasksForStage(DEFAULT_CONFIG.matrix, 1, p, stage, addCalendarDays('2026-09-21', i * 7), 3, cal).map((t) => ({
      ...t,
      startedDate: t.startedDate ?? addCalendarDays('2026-09-21', i * 7),
      dueDate: t.dueDate ?? addCalendarDays('2026-09-21', i * 7 + 10),
      light: (t.code === 'pre_site_selection' ? 'red' : 'green') as 'red' | 'green',
    })),
  );
  const gate = { ...newGate(DEFAULT_CONFIG.matrix.gates[0]!, p), open: true, openedDate: '2026-09-22', dueDate: '2026-10-09' };
  await transact([...insertProject(p), putGate(p.id, gate), insertApproval(p.id, 'SIGNING', { role: 'committee_leader', by: 'u-leader-1', decision: 'reject', comment: '内部意见：材料不全', at: now.toISOString(), round: 0 }), ...tasks.map(insertTask)]);
  return { project: p, tasks };
}

let huitong: Awaited<ReturnType<typeof project>>[];
let kechuang: Awaited<ReturnType<typeof project>>[];
beforeAll(async () => {
  await store.createTables();
  huitong = [await project(PARK_HUITONG), await project(PARK_HUITONG)];
  kechuang = [await project(PARK_KECHUANG, 'ent-b'), await project(PARK_KECHUANG, 'ent-b'), await project(PARK_KECHUANG, 'ent-b')];
});
afterAll(() => store.destroy());

const tasksOf = (id: string, query: Record<string, string> = {}, as: User = users.committeeLeader) => call<Page>(listTasks, apiEvent('GET /projects/{id}/tasks', { as, params: { id }, query }));
const mine = (as: User, query: Record<string, string> = {}) => call<Page>(myTasks, apiEvent('GET /me/tasks', { as, query }));

async function walk(fetch: (cursor?: string) => Promise<{ status: number; body: Page }>) {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const reply = await fetch(cursor);
    expect(reply.status).toBe(200);
    pages.push(reply.body);
    cursor = reply.body.nextCursor ?? undefined;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('GET /projects/{id}/tasks', () => {
  it('pages through every task in stage order without repeating or skipping one (limit was a 400 before)', async () => {
    const { project: p, tasks } = huitong[0]!;
    const pages = await walk((cursor) => tasksOf(p.id, { limit: '2', ...(cursor ? { cursor } : {}) }));
    const ids = pages.flatMap((page) => page.items.map((t) => t.id));
    expect(ids.sort()).toEqual(tasks.map((t) => t.id).sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.slice(0, -1).every((page) => page.items.length === 2)).toBe(true);
    expect(pages.at(-1)!.items.length).toBeGreaterThan(0);
  });

  it('neither skips nor repeats a task whose due date changes between two pages (a task starting, a date recomputed)', async () => {
    const { project: p, tasks } = kechuang[2]!;
    const { listTasks: stored, putTask } = await import('../../functions/lifecycle/store/tasks.ts');
    const first = await tasksOf(p.id, { limit: '3' });
    const seen = first.body.items.map((t) => t.id);
    // Every task not yet seen moves its due date far back (it would sort before the cursor by date).
    for (const t of (await stored(p.id)).filter((x) => !seen.includes(x.id))) await transact([putTask({ ...t, dueDate: '2026-01-01' })]);
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await tasksOf(p.id, { limit: '3', cursor });
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    }
    expect(seen.sort()).toEqual(tasks.map((t) => t.id).sort());
  });

  it.each([
    [{ stage: 'LANDING' }, (t: TaskItem) => t.stage === 'LANDING'],
    [{ light: 'red' }, (t: TaskItem) => t.light === 'red'],
    [{ status: 'open', kind: 'matrix' }, (t: TaskItem) => t.status === 'open' && t.kind === 'matrix'],
    [{ status: 'done' }, () => false],
  ])('filters by %o', async (filters, predicate) => {
    const { project: p } = huitong[0]!;
    const all = (await tasksOf(p.id, { limit: '100' })).body.items;
    const reply = await tasksOf(p.id, { ...filters, limit: '100' });
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((t) => t.id)).toEqual(all.filter(predicate).map((t) => t.id));
  });

  it('refuses unknown filters and values, and a cursor of another filter or user', async () => {
    const { project: p } = huitong[0]!;
    expectProblem(await tasksOf(p.id, { stage: 'NOWHERE' }), 400, ['query.stage']);
    expectProblem(await tasksOf(p.id, { owner: 'x' }), 400, ['query.owner']);
    const first = await tasksOf(p.id, { limit: '1', stage: 'SIGNING' });
    expectProblem(await tasksOf(p.id, { limit: '1', stage: 'LANDING', cursor: first.body.nextCursor! }), 400, ['query.cursor']);
    expectProblem(await tasksOf(p.id, { limit: '1', stage: 'SIGNING', cursor: first.body.nextCursor! }, users.supervisionOfficer), 400, ['query.cursor']);
    expectProblem(await tasksOf(huitong[1]!.project.id, { limit: '1', stage: 'SIGNING', cursor: first.body.nextCursor! }), 400, ['query.cursor']);
  });
});

describe('GET /me/tasks', () => {
  it("shows a park's service center the tasks of its own park only, every page full until the last", async () => {
    const pages = await walk((cursor) => mine(users.huitongParkCenter, { limit: '2', ...(cursor ? { cursor } : {}) }));
    const items = pages.flatMap((page) => page.items);
    const expected = huitong.flatMap((h) => h.tasks.filter((t) => t.lead === 'park_center').map((t) => `${t.projectId}/${t.id}`));
    expect(items.map((t) => `${t.projectId}/${t.id}`).sort()).toEqual(expected.sort());
    expect(items.every((t) => huitong.some((h) => h.project.id === t.projectId))).toBe(true);
    // A list across projects names each task's project.
    expect(items.every((t) => (t as { projectName?: string }).projectName === huitong.find((h) => h.project.id === t.projectId)!.project.name)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.items.length === 2)).toBe(true);
    expect(pages.every((page) => page.items.length > 0)).toBe(true);
    const dues = items.map((t) => t.dueDate);
    expect(dues).toEqual([...dues].sort());
  });

  it('hands out cursors that name no project or task, and that nobody else can use', async () => {
    const page = await mine(users.kechuangParkCenter, { limit: '1' });
    const cursor = page.body.nextCursor!;
    const decoded = Buffer.from(cursor.slice(2), 'base64url').toString('latin1');
    for (const k of kechuang) expect(decoded).not.toContain(k.project.id);
    expect(decoded).not.toMatch(/prj-|TASK#|park_center/);
    expectProblem(await mine(users.huitongParkCenter, { limit: '1', cursor }), 400, ['query.cursor']);
    const tampered = cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'BB' : 'AA');
    expectProblem(await mine(users.kechuangParkCenter, { limit: '1', cursor: tampered }), 400, ['query.cursor']);
  });

  it('merges the partitions of a user with several roles into one list with one cursor', async () => {
    const both: User = { sub: 'u-both', name: '兼任', roles: ['resources_bureau', 'approval_office'] };
    const pages = await walk((cursor) => mine(both, { limit: '3', ...(cursor ? { cursor } : {}) }));
    const items = pages.flatMap((page) => page.items);
    const expected = [...huitong, ...kechuang].flatMap((h) => h.tasks.filter((t) => t.lead === 'resources_bureau' || t.lead === 'approval_office'));
    expect(items).toHaveLength(expected.length);
    expect(new Set(items.map((t) => `${t.projectId}/${t.id}`)).size).toBe(expected.length);
    const dues = items.map((t) => t.dueDate);
    expect(dues).toEqual([...dues].sort());
  });

  it('lists open work with no due date (设备调试, 达产达效: no limit in the matrix) last, and the department report counts it open, never overdue', async () => {
    const { handler: departmentReport } = await import('../../functions/supervision/http/department-report.ts');
    const park = '智造港';
    const center: User = { ...users.huitongParkCenter, sub: 'u-park-zz', park };
    const { project: p, tasks } = await project(park, 'ent-z');
    const dated = tasks.filter((t) => t.lead === 'park_center');
    // The matrix's 达产达效 task: the park center's, open and started in OPERATION, with no limit and so no due date.
    const figures = tasksForStage(DEFAULT_CONFIG.matrix, 1, p, 'OPERATION', '2026-10-12', 3, calendarLookup([])).find((t) => t.code === 'production_figures')!;
    expect(figures).toMatchObject({ lead: 'park_center', dueDate: null });
    await transact([insertTask({ ...figures, startedDate: '2026-10-12' })]);
    const items = (await walk((cursor) => mine(center, { limit: '2', ...(cursor ? { cursor } : {}) }))).flatMap((page) => page.items);
    expect(items.map((t) => t.id)).toEqual([...dated.map((t) => `${t.dueDate}#${t.id}`).sort().map((k) => k.split('#')[1]), figures.id]);
    expect(items.at(-1)).toMatchObject({ id: figures.id, dueDate: null, status: 'open' });
    const report = await call<{ departments: { department: string; open: number; overdue: number }[] }>(departmentReport, apiEvent('GET /reports/departments', { as: users.committeeLeader }));
    const all = [...huitong, ...kechuang, { tasks }].flatMap((h) => h.tasks.filter((t) => t.lead === 'park_center'));
    expect(report.body.departments.find((d) => d.department === 'park_center')).toMatchObject({ open: all.length + 1 });
  });

  it('shows an enterprise its own tasks in its own view', async () => {
    const items = (await mine(users.enterpriseA, { limit: '100' })).body.items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((t) => huitong.some((h) => h.project.id === t.projectId) && t.lead === 'enterprise')).toBe(true);
    // Its own project's name besides (a list across projects names each task's).
    expect(Object.keys(items[0]!).sort()).toEqual([...ENTERPRISE_TASK_FIELDS, 'projectName'].sort());
  });
});

const ENTERPRISE_TASK_FIELDS = ['calendarProvisional', 'completion', 'dueDate', 'dueDateSet', 'id', 'kind', 'lead', 'limitWd', 'name', 'nameEn', 'parentTaskId', 'projectId', 'stage', 'standard', 'startedDate', 'status', 'yellowDate'].concat('light').sort();

describe('the enterprise view of its own project', () => {
  it('holds exactly the fields an enterprise needs — no classification reasons, admission decisions, staff ids or comments', async () => {
    const { project: p } = huitong[0]!;
    const reply = await call<Record<string, unknown>>(getProject, apiEvent('GET /projects/{id}', { as: users.enterpriseA, params: { id: p.id } }));
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(
      ['createdAt', 'escalation', 'gate', 'id', 'industry', 'investor', 'light', 'name', 'needs', 'park', 'parkEn', 'production', 'progress', 'siteMode', 'stage', 'stageLabel', 'stalled', 'status', 'targets', 'tasksSummary', 'totalInvestmentCny', 'track', 'updatedAt', 'version'].sort(),
    );
    expect(Object.keys(reply.body.gate as object).sort()).toEqual(['dueDate', 'name', 'nameEn', 'open', 'passed', 'stage']);
    // Its park in English too (it reads no configuration): the zone's parks configuration's name.
    expect(reply.body).toMatchObject({ park: p.park, parkEn: DEFAULT_CONFIG.parks.parks.find((x) => x.name === p.park)!.nameEn });
    // Its English page names the gate in English, as its tasks (the matrix configuration's names).
    expect(reply.body.gate).toMatchObject({ name: DEFAULT_CONFIG.matrix.gates[0]!.name.zh, nameEn: DEFAULT_CONFIG.matrix.gates[0]!.name.en });
    expect(Object.keys(reply.body.escalation as object).sort()).toEqual(['level', 'name', 'since']);
    expect(reply.text).not.toMatch(/u-leader|u-invest|内部|categoryReason|admission|dedicatedTeam|workflow/);
    // Staff see the internal record.
    const staff = await call<Record<string, unknown>>(getProject, apiEvent('GET /projects/{id}', { as: users.supervisionOfficer, params: { id: p.id } }));
    expect(staff.text).toMatch(/内部研判/);
  });

  it('shows the enterprise its tasks without handler posts, cooperating departments or who completed them', async () => {
    const { project: p } = huitong[0]!;
    const reply = await tasksOf(p.id, { limit: '100' }, users.enterpriseA);
    expect(reply.status).toBe(200);
    for (const t of reply.body.items) expect(Object.keys(t).sort()).toEqual(ENTERPRISE_TASK_FIELDS);
    expect(reply.text).not.toMatch(/"handler"|"cooperating"|"by"/);
  });

  it('shows a user who is also a park center of another park its own project as the enterprise sees it', async () => {
    const { project: p } = huitong[0]!;
    const both = { ...users.enterpriseA, sub: 'u-pc-ent', roles: ['park_center', 'enterprise'] as never, park: PARK_KECHUANG };
    const reply = await call<Record<string, unknown>>(getProject, apiEvent('GET /projects/{id}', { as: both, params: { id: p.id } }));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.text).not.toMatch(/u-leader|u-invest|内部|categoryReason|admission|dedicatedTeam|workflow/);
    const tasks = await tasksOf(p.id, { limit: '100' }, both);
    for (const t of tasks.body.items) expect(Object.keys(t).sort()).toEqual(ENTERPRISE_TASK_FIELDS);
  });

  it('answers 404 to another enterprise', async () => {
    expectProblem(await call(getProject, apiEvent('GET /projects/{id}', { as: users.enterpriseB, params: { id: huitong[0]!.project.id } })), 404);
  });
});

describe('GET /projects/{id}/tasks?late=', () => {
  it('lists the tasks completed after their due date (late=true, 逾期办结) or by it (late=false); an open task is in neither', async () => {
    // A project of its own (closing tasks of the shared ones would change what the department lists above count).
    const { project: p } = await project(PARK_KECHUANG, 'ent-b');
    const { putTask, listTasks: stored } = await import('../../functions/lifecycle/store/tasks.ts');
    const tasks = await stored(p.id);
    const [onTime, late, lastMinute] = tasks.filter((t) => t.dueDate);
    const done = (t: typeof onTime, at: string) => ({ ...t!, status: 'done' as const, light: 'green' as const, completion: { by: 'u-x', role: t!.lead as never, at, documents: [], deficiencies: [] } });
    // 16:30 in Shanghai on the due date is on time; 00:30 the day after (16:30 UTC on the due date) is late.
    await transact([
      putTask(done(onTime, `${onTime!.dueDate}T01:00:00Z`)),
      putTask(done(late, `${late!.dueDate}T16:30:00Z`)),
      putTask(done(lastMinute, `${lastMinute!.dueDate}T15:59:00Z`)),
    ]);

    const ids = async (late: string) => (await tasksOf(p.id, { late, limit: '100' })).body.items.map((t) => t.id);
    expect(await ids('true')).toEqual([late!.id]);
    expect((await ids('false')).sort()).toEqual([onTime!.id, lastMinute!.id].sort());
    expect(await ids('true')).not.toContain(tasks.find((t) => t.status === 'open' && t.light === 'red')?.id);
    expectProblem(await tasksOf(p.id, { late: 'yes' }), 400, ['query.late']);
  });
});
