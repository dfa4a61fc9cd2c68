// Department supervision 部门督办 against DynamoDB Local, on a business clock stopped on Monday 12 October 2026: the
// notice list 通报提醒 written once however many counts of the same crossing run at once (and a redelivery changes
// nothing), and GET /reports/departments — open and overdue tasks now, completions with their handling working days
// across National Day, notices in the period, every department of the matrix — for the supervision office and the
// committee leader only, with its period checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, users, type User } from '../support/events.ts';
import { aTask } from '../support/domain.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import type { NoticeRecord } from '../../functions/supervision/domain/department.ts';

const store = isolatedStore('department-report');
// The business clock stands (nearly) still at 10:00 on Monday 12 October 2026 in Shanghai.
Object.assign(process.env, { ZONEFLOW_CLOCK_START: '2026-10-12T10:00:00+08:00', ZONEFLOW_CLOCK_ANCHOR: String(Date.now()), ZONEFLOW_TIME_SCALE: '0.000001' });
registerFakeWorkflow();
const { handler: report } = await import('../../functions/supervision/http/department-report.ts');
const { handler: completeTask } = await import('../../functions/lifecycle/http/complete-task.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { insertTask } = await import('../../functions/lifecycle/store/tasks.ts');
const { createProject } = await import('../../functions/projects/domain/project.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { ensureReferenceData } = await import('../../functions/reference/store/bootstrap.ts');
const { noticeDepartment, overdueWrites } = await import('../../functions/supervision/departments.ts');
const { putDepartmentFact, queryDepartmentFacts } = await import('../../functions/supervision/store/departments.ts');
const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
const { openApiDocument } = await import('../../functions/platform/openapi.ts');

type Row = { department: string; name: string; open: number; overdue: number; completed: number; averageHandlingWd: number | null; notices: number; overdueInPeriod: number; park?: string };
type Report = { from: string; to: string; departments: Row[]; parks: (Row & { park: string })[] };
const get = (query: Record<string, string> = {}, as: User = users.supervisionOfficer, headers: Record<string, string> = {}) =>
  call<Report>(report, apiEvent('GET /reports/departments', { as, query, headers }));
const row = (r: Report, department: string) => r.departments.find((d) => d.department === department);
const parkRow = (r: Report, park: string) => r.parks.find((p) => p.park === park);

/** The DynamoDB calls the handler makes (operation, and the index a query reads), the read units they report and the items they read. */
const reads = { calls: [] as string[], units: 0, items: 0 };
const { ddb } = await import('../../functions/kernel/store/client.ts');
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { IndexName?: string; ReturnConsumedCapacity?: string };
    const index = input.IndexName;
    // Every read reports its read units here (the handlers' own queries do not all ask for them).
    input.ReturnConsumedCapacity ??= 'TOTAL';
    reads.calls.push(`${String(context.commandName)}${index ? ` ${index}` : ''}`);
    const out = await next(args);
    const output = out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[]; ScannedCount?: number };
    reads.units += [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    // A query's items read before any filter (what it is charged for).
    reads.items += output.ScannedCount ?? 0;
    return out;
  },
  { step: 'initialize', name: 'countReads' },
);

let n = 0;
async function project(park: string) {
  const now = new Date('2026-09-14T02:00:00Z');
  const base = createProject(
    { name: `${park}项目${++n}`, investor: { name: '测试公司', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park, siteMode: 'land' },
    users.investmentOfficer,
    DEFAULT_CONFIG.classification,
    { id: `prj-dr${n}${Math.random().toString(36).slice(2, 8)}`, now },
  );
  return { ...base, status: 'ACTIVE' as const, matrixVersion: 1 };
}
type P = Awaited<ReturnType<typeof project>>;
const task = (p: P, code: string, over: Partial<Task>): Task => aTask(`SIGNING.${code}`, { projectId: p.id, park: p.park, enterpriseId: p.investor.enterpriseId, code, ...over });

let huitong: P;
beforeAll(async () => {
  await store.createTables();
  await ensureReferenceData(new Date());
  huitong = await project(PARK_HUITONG);
  const kechuang = await project(PARK_KECHUANG);
  await transact([
    ...insertProject(huitong),
    ...insertProject(kechuang),
    // resources_bureau: overdue since 30 September; due in three weeks; due today (not overdue yet); two to complete.
    ...[
      task(huitong, 'r_overdue', { startedDate: '2026-09-21', dueDate: '2026-09-29' }),
      task(huitong, 'r_open', { startedDate: '2026-09-28', dueDate: '2026-10-30' }),
      task(huitong, 'r_due_today', { startedDate: '2026-09-28', dueDate: '2026-10-12' }),
      task(huitong, 'r_six', { startedDate: '2026-09-28', dueDate: '2026-10-20' }),
      task(huitong, 'r_ten', { startedDate: '2026-09-21', dueDate: '2026-10-20' }),
      // eco_bureau: one overdue.
      task(huitong, 'e_overdue', { lead: 'eco_bureau', startedDate: '2026-09-14', dueDate: '2026-10-09' }),
      // The park centers of two parks count as one department: one overdue, one open.
      task(huitong, 'p_overdue', { lead: 'park_center', startedDate: '2026-09-28', dueDate: '2026-10-08' }),
      task(kechuang, 'p_open', { lead: 'park_center', startedDate: '2026-10-08', dueDate: '2026-10-20' }),
      // Not a department's: the enterprise's own overdue work. Not open yet: a task waiting for its predecessor.
      task(huitong, 'x_enterprise', { lead: 'enterprise', startedDate: '2026-09-14', dueDate: '2026-09-30' }),
      task(huitong, 'c_waiting', { lead: 'construction_dept', after: ['SIGNING.r_open'] }),
    ].map(insertTask),
  ]);
});
afterAll(() => store.destroy());

describe('the notice list 通报提醒', () => {
  it('notices a department crossing the threshold once, however many of its red items are counted at once', async () => {
    // Four eco_bureau items turned red in the window (20 working days: 9 September to 12 October), committed as the
    // workflow commits them — fact and signal together — from four projects' evaluations at once.
    const red = (i: number, date: string) => ({ kind: 'overdue' as const, role: 'eco_bureau' as const, park: null, date, projectId: `prj-eco${i}`, projectName: `环评项目${i}`, taskId: 'LANDING.eia_guidance', task: '环评指导', dueDate: '2026-09-30' });
    const facts = [red(1, '2026-10-08'), red(2, '2026-10-09'), red(3, '2026-10-12'), red(4, '2026-10-12')];
    await Promise.all(facts.map((f) => transact(overdueWrites(f))));

    const decided = await Promise.all(facts.map((f) => noticeDepartment({ kind: 'department', projectId: f.projectId, role: 'eco_bureau', park: null, date: f.date })));
    // The counts for 8 and 9 October saw one and two items; of the two for 12 October, exactly one wrote the notice.
    expect(decided.slice(0, 2)).toEqual([null, null]);
    expect(decided.filter((d) => d !== null)).toHaveLength(1);
    // The stream delivers every signal again (as after a crash): nothing more is written.
    await store.deliverSignals();

    const records = (await queryDepartmentFacts('eco_bureau', '2026-09-01', '2026-10-31', true)).filter((f) => f.kind === 'notice');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ role: 'eco_bureau', park: null, windowFrom: '2026-09-09', windowTo: '2026-10-12', windowWd: 20, threshold: 3, listedUntil: '2026-11-09' });
    expect((records[0] as NoticeRecord).items.map((i) => i.projectId)).toEqual(['prj-eco1', 'prj-eco2', 'prj-eco3', 'prj-eco4']);
    for (const inbox of ['DEPT#supervision_office', 'DEPT#eco_bureau']) {
      const told = (await queryInbox(inbox, 100)).items.filter((m) => m.kind === 'department.notice');
      expect(told, inbox).toHaveLength(1);
      expect(told[0]!.title).toBe('通报提醒：生态环境局开发区分局');
    }
    expect((await store.audit('DEPARTMENT#eco_bureau')).map((e) => e.action)).toEqual(['department.noticed']);
    expect((await store.signals()).filter((s) => s.kind === 'department')).toHaveLength(4);
  });

  it('does not notice a department below the threshold', async () => {
    await transact(overdueWrites({ kind: 'overdue', role: 'soe', park: null, date: '2026-10-12', projectId: 'prj-soe', projectName: '国企项目', taskId: 'SIGNING.factory_matching', task: '厂房匹配', dueDate: '2026-10-09' }));
    expect(await noticeDepartment({ kind: 'department', projectId: 'prj-soe', role: 'soe', park: null, date: '2026-10-12' })).toBeNull();
    expect((await queryInbox('DEPT#soe', 10)).items).toEqual([]);
  });
});

describe('GET /reports/departments', () => {
  it('counts open and overdue tasks now, completions with their average handling working days, and notices', async () => {
    // Completed today, Monday 12 October: started 28 September → 6 working days (29, 30 September, 8, 9, 10 (调休),
    // 12 October); started 21 September → 10 working days (22–24, 28–30 September, 8–10, 12 October).
    for (const code of ['r_six', 'r_ten']) {
      const done = await call(completeTask, apiEvent('POST /projects/{id}/tasks/{taskId}/complete', { as: users.resourcesOfficer, params: { id: huitong.id, taskId: `SIGNING.${code}` }, body: { note: '已办结' } }));
      expect(done.status, done.text).toBe(200);
    }
    // A completion in September: outside October's report, inside September's.
    await transact([putDepartmentFact({ kind: 'completed', role: 'resources_bureau', park: null, date: '2026-09-30', projectId: 'prj-old', taskId: 'SIGNING.old', task: '旧任务', startedDate: '2026-09-21', handlingWd: 7 })]);

    const october = await get();
    expect(october.status, october.text).toBe(200);
    expect(october.body.from).toBe('2026-10-01');
    expect(october.body.to).toBe('2026-10-12');
    expect(october.body.departments.map((d) => d.department)).toEqual(['committee_leader', 'investment_dept', 'scitech_dept', 'resources_bureau', 'eco_bureau', 'park_center', 'construction_dept', 'approval_office', 'soe']);
    expect(row(october.body, 'resources_bureau')).toEqual({ department: 'resources_bureau', name: '规划和自然资源局开发区分局', open: 3, overdue: 1, completed: 2, averageHandlingWd: 8, notices: 0, overdueInPeriod: 0 });
    expect(row(october.body, 'eco_bureau')).toMatchObject({ open: 1, overdue: 1, completed: 0, averageHandlingWd: null, notices: 1, overdueInPeriod: 4 });
    expect(row(october.body, 'park_center')).toMatchObject({ open: 2, overdue: 1, completed: 0, notices: 0 });
    expect(row(october.body, 'construction_dept')).toEqual({ department: 'construction_dept', name: '园区建设管理部', open: 0, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 });
    // And each park's service center on a row of its own: every park of the zone's list, in its order, zero rows included.
    expect(october.body.parks).toEqual([
      { department: 'park_center', name: '汇通产业园园区事业服务中心', park: PARK_HUITONG, open: 1, overdue: 1, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 },
      { department: 'park_center', name: '科创城园区事业服务中心', park: PARK_KECHUANG, open: 1, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 },
      { department: 'park_center', name: '智造港园区事业服务中心', park: '智造港', open: 0, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 },
    ]);

    const autumn = await get({ from: '2026-09-01', to: '2026-10-12' }, users.committeeLeader);
    expect(autumn.status, autumn.text).toBe(200);
    expect(row(autumn.body, 'resources_bureau')).toMatchObject({ completed: 3, averageHandlingWd: 7.7 });
    const september = await get({ from: '2026-09-01', to: '2026-09-30' });
    expect(row(september.body, 'resources_bureau')).toMatchObject({ open: 3, overdue: 1, completed: 1, averageHandlingWd: 7 });
    expect(row(september.body, 'eco_bureau')).toMatchObject({ notices: 0, overdueInPeriod: 0 });
  });

  it('gives the same rows as a CSV file for Excel', async () => {
    const csv = await get({}, users.supervisionOfficer, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('部门代码,部门,在办,逾期,办结,平均办理工作日,通报提醒,期间新增逾期,园区');
    expect(lines).toContain('resources_bureau,规划和自然资源局开发区分局,3,1,2,8,0,0,');
    expect(lines).toContain('eco_bureau,生态环境局开发区分局,1,1,0,,1,4,');
    // The nine departments (the park centers as one), then each park's center.
    expect(lines.slice(-3)).toEqual(['park_center,汇通产业园园区事业服务中心,1,1,0,,0,0,汇通产业园', 'park_center,科创城园区事业服务中心,1,0,0,,0,0,科创城', 'park_center,智造港园区事业服务中心,0,0,0,,0,0,智造港']);
    expect(lines).toHaveLength(13);
  });

  it('takes ?format=csv as the park report does, the same file as Accept: text/csv; ?format=json wins over Accept', async () => {
    const byAccept = await get({}, users.supervisionOfficer, { accept: 'text/csv' });
    const byFormat = await get({ format: 'csv' });
    expect(byFormat.status).toBe(200);
    expect(byFormat.contentType).toMatch(/^text\/csv/);
    expect(byFormat.text).toBe(byAccept.text);
    expect((await get({ format: 'json' }, users.supervisionOfficer, { accept: 'text/csv' })).contentType).toMatch(/^application\/json/);
    expectProblem(await get({ format: 'xlsx' }), 400, ['query.format']);
    // An Accept that takes neither: 406 naming both.
    expect(expectProblem(await get({}, users.supervisionOfficer, { accept: 'application/pdf' }), 406).detail).toMatch(/application\/json or text\/csv/);
  });

  it('says its answer follows the Accept header (Vary: Accept), JSON and CSV alike, as its description does: no cache hands a JSON reader the file', async () => {
    for (const headers of [{}, { accept: 'text/csv' }, { accept: 'application/json' }] as Record<string, string>[]) {
      const reply = await get({}, users.supervisionOfficer, headers);
      expect(reply.status).toBe(200);
      expect(reply.headers.vary, JSON.stringify(headers)).toBe('Accept');
    }
    const described = (openApiDocument() as unknown as { paths: Record<string, { get: { responses: Record<string, { headers?: Record<string, unknown> }> } }> }).paths['/reports/departments']!.get.responses['200']!.headers;
    expect(described).toHaveProperty('Vary');
  });

  it('is for the supervision office, the committee leader and a park center (its own park: below) only', async () => {
    for (const as of [users.investmentOfficer, users.resourcesOfficer, users.disciplineInspector, users.enterpriseA, { ...users.huitongParkCenter, park: undefined }]) {
      expectProblem(await get({}, as), 403);
    }
  });

  it('refuses a period that ends before it starts, or spans more than a year, naming the field', async () => {
    expectProblem(await get({ from: '2026-10-13', to: '2026-10-12' }), 400, ['query.from']);
    expectProblem(await get({ from: '2025-01-01', to: '2026-01-01' }), 400, ['query.to']);
    expectProblem(await get({ from: '2025-10-11' }), 400, ['query.from']);
    expectProblem(await get({ from: '2026-02-30' }), 400, ['query.from']);
    expectProblem(await get({ to: 'yesterday' }), 400, ['query.to']);
    expectProblem(await get({ department: 'eco_bureau' }), 400);
  });

  it('keeps a row for a department the matrix in force no longer names while it has open work (a project keeps its matrix version)', async () => {
    // The default matrix names no supervision_office task; an earlier version's task of it is still open and overdue.
    await transact([insertTask(task(huitong, 's_overdue', { lead: 'supervision_office', startedDate: '2026-09-21', dueDate: '2026-09-30' }))]);
    const now = await get();
    expect(now.body.departments.map((d) => d.department)).toEqual(['committee_leader', 'investment_dept', 'scitech_dept', 'resources_bureau', 'eco_bureau', 'park_center', 'construction_dept', 'approval_office', 'soe', 'supervision_office']);
    expect(row(now.body, 'supervision_office')).toMatchObject({ open: 1, overdue: 1 });
  });
});

describe('GET /reports/departments per park', () => {
  it('gives each park center its records (notices, completions, items turned red) and adds up to the park centers’ row', async () => {
    const center = (park: string) => ({ role: 'park_center' as const, park });
    await transact([
      putDepartmentFact({ kind: 'completed', ...center(PARK_KECHUANG), date: '2026-10-09', projectId: 'prj-kc', taskId: 'LANDING.service_team', task: '组建服务专班', startedDate: '2026-09-28', handlingWd: 4 }),
      putDepartmentFact({ kind: 'overdue', ...center(PARK_HUITONG), date: '2026-10-09', projectId: huitong.id, projectName: huitong.name, taskId: 'SIGNING.p_overdue', task: '园区任务', dueDate: '2026-10-08' }),
    ]);
    const report = (await get()).body;
    expect(parkRow(report, PARK_HUITONG)).toMatchObject({ open: 1, overdue: 1, completed: 0, overdueInPeriod: 1 });
    expect(parkRow(report, PARK_KECHUANG)).toMatchObject({ open: 1, overdue: 0, completed: 1, averageHandlingWd: 4, overdueInPeriod: 0 });
    const sum = (k: 'open' | 'overdue' | 'completed' | 'notices' | 'overdueInPeriod') => report.parks.reduce((n, p) => n + p[k], 0);
    const all = row(report, 'park_center')!;
    for (const k of ['open', 'overdue', 'completed', 'notices', 'overdueInPeriod'] as const) expect(sum(k), k).toBe(all[k]);
  });

  it('shows a park center its own park’s center only: one row, in JSON and CSV', async () => {
    const own = await get({}, users.kechuangParkCenter);
    expect(own.status, own.text).toBe(200);
    const kechuang = { department: 'park_center', name: '科创城园区事业服务中心', park: PARK_KECHUANG, open: 1, overdue: 0, completed: 1, averageHandlingWd: 4, notices: 0, overdueInPeriod: 0 };
    expect(own.body).toEqual({ from: '2026-10-01', to: '2026-10-12', departments: [kechuang], parks: [kechuang] });
    expect((await get({}, users.huitongParkCenter)).body.parks).toEqual([expect.objectContaining({ park: PARK_HUITONG, open: 1, overdue: 1, overdueInPeriod: 1 })]);
    const csv = await get({ format: 'csv' }, users.kechuangParkCenter);
    expect(csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual(['部门代码,部门,在办,逾期,办结,平均办理工作日,通报提醒,期间新增逾期,园区', 'park_center,科创城园区事业服务中心,1,0,1,4,0,0,科创城']);
    expectProblem(await get({ from: '2026-10-13' }, users.kechuangParkCenter), 400, ['query.from']);
  });

  it('reads a query per park, never a project, whatever the rest of the zone holds; a park no longer listed is found by its tasks’ projects', async () => {
    const measured = async (as: User) => {
      reads.calls.length = 0;
      reads.units = 0;
      reads.items = 0;
      const reply = await get({}, as);
      expect(reply.status, reply.text).toBe(200);
      return { calls: [...reads.calls].sort(), units: reads.units, items: reads.items, body: reply.body };
    };
    const ownBefore = await measured(users.huitongParkCenter);
    // Its center's open tasks and its own park's center's records in the period (two partitions of byLead): nothing else.
    expect(ownBefore.calls).toEqual(['QueryCommand byLead', 'QueryCommand byLead']);
    const zoneBefore = await measured(users.supervisionOfficer);
    // One query per listed park, beside the departments' (byDepartment and records) and the kept configuration.
    expect(zoneBefore.calls.filter((c) => c === 'QueryCommand byLead')).toHaveLength(3);
    expect(zoneBefore.calls.filter((c) => !c.startsWith('QueryCommand'))).toEqual([]);
    expect(zoneBefore.calls.filter((c) => c === 'QueryCommand byDepartment')).toHaveLength(10);

    // 30 more projects in the two other parks, each with an open task of its park's center and one of the eco bureau.
    const more = await Promise.all(Array.from({ length: 30 }, (_, i) => project(i % 2 ? PARK_KECHUANG : '智造港')));
    await transact(more.flatMap(insertProject));
    await transact(more.flatMap((p) => [task(p, 'p_more', { lead: 'park_center', startedDate: '2026-10-08', dueDate: '2026-10-09' }), task(p, 'e_more', { lead: 'eco_bureau', startedDate: '2026-10-08', dueDate: '2026-10-30' })]).map(insertTask));
    // …and their park centers' records of the period: each task turned red, and a completion of each project.
    await transact(
      more.flatMap((p) => [
        putDepartmentFact({ kind: 'overdue', role: 'park_center', park: p.park, date: '2026-10-10', projectId: p.id, projectName: p.name, taskId: 'SIGNING.p_more', task: '园区任务', dueDate: '2026-10-09' }),
        putDepartmentFact({ kind: 'completed', role: 'park_center', park: p.park, date: '2026-10-09', projectId: p.id, taskId: 'SIGNING.p_done', task: '园区任务', startedDate: '2026-10-08', handlingWd: 1 }),
      ]),
    );
    const ownAfter = await measured(users.huitongParkCenter);
    expect(ownAfter.calls).toEqual(ownBefore.calls);
    // The other parks' 60 records are not read for it: the same items and read units as before.
    expect(ownAfter.items).toBe(ownBefore.items);
    expect(ownAfter.units).toBe(ownBefore.units);
    expect(ownAfter.body).toEqual(ownBefore.body);
    const zoneAfter = await measured(users.supervisionOfficer);
    // (The configuration a warm function keeps may be read again or not: the index queries are compared.)
    const indexed = (calls: readonly string[]) => calls.filter((c) => c !== 'QueryCommand');
    expect(indexed(zoneAfter.calls)).toEqual(indexed(zoneBefore.calls));
    expect(zoneAfter.calls).not.toContain('BatchGetItemCommand');
    expect(parkRow(zoneAfter.body, PARK_KECHUANG)).toMatchObject({ open: 16, overdue: 15, completed: 16, overdueInPeriod: 15 });
    expect(parkRow(zoneAfter.body, '智造港')).toMatchObject({ open: 15, overdue: 15, completed: 15, overdueInPeriod: 15 });
    expect((await measured(users.kechuangParkCenter)).body.parks).toEqual([parkRow(zoneAfter.body, PARK_KECHUANG)]);

    // A park that left the zone's list still has a center's open task: its row comes after the listed parks, found by
    // the task's project (one BatchGet of the tasks no listed park's query holds), and the rows still add up.
    const left = await project('旧园区');
    await transact([...insertProject(left), insertTask(task(left, 'p_left', { lead: 'park_center', startedDate: '2026-09-28', dueDate: '2026-10-08' }))]);
    const withLeft = await measured(users.supervisionOfficer);
    expect(withLeft.body.parks.map((p) => p.park)).toEqual([PARK_HUITONG, PARK_KECHUANG, '智造港', '旧园区']);
    expect(parkRow(withLeft.body, '旧园区')).toMatchObject({ name: '旧园区园区事业服务中心', open: 1, overdue: 1 });
    expect(withLeft.calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(withLeft.body.parks.reduce((n, p) => n + p.open, 0)).toBe(row(withLeft.body, 'park_center')!.open);
    expect(withLeft.calls).not.toContain('ScanCommand');
    console.log(`department report reads: a park center ${ownBefore.items} → ${ownAfter.items} items, ${ownBefore.units} → ${ownAfter.units} read units (${ownAfter.calls.length} calls); the zone ${zoneBefore.items} → ${zoneAfter.items} items, ${zoneBefore.units} → ${zoneAfter.units} read units (${zoneAfter.calls.length} calls)`);
  });
});

describe('park centers’ records stored before they were put in their park’s partition of the index', () => {
  it('are put in it once by the bootstrap, so a park center’s report counts them as the zone’s does; the back-fill is marked done', async () => {
    const { PutCommand, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    // As they were stored: the role partition only, no index keys.
    const legacy = (sk: string, fact: Record<string, unknown>) => ({ pk: 'DEPT#park_center', sk, entity: `department-${String(fact.kind)}`, role: 'park_center', park: '智造港', ...fact });
    const items = [
      legacy('2026-10-05#completed#prj-old1#SIGNING.a', { kind: 'completed', date: '2026-10-05', projectId: 'prj-old1', taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-09-28', handlingWd: 3 }),
      legacy('2026-10-06#overdue#prj-old1#SIGNING.b', { kind: 'overdue', date: '2026-10-06', projectId: 'prj-old1', projectName: '旧项目', taskId: 'SIGNING.b', task: '旧任务', dueDate: '2026-10-05' }),
    ];
    for (const Item of items) await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item }));
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'park-center-records-by-park' } }));
    const zhizao: User = { ...users.kechuangParkCenter, sub: 'u-park-zz', park: '智造港' };
    const before = (await get({}, zhizao)).body.parks[0]!;
    // The zone's report reads the role partition: it counts them already.
    const zone = parkRow((await get()).body, '智造港')!;

    expect(await ensureReferenceData(new Date())).toMatchObject({ parkCenterRecordsIndexed: 2, parkCenterRecordsFinished: true });

    const after = (await get({}, zhizao)).body.parks[0]!;
    expect(after).toMatchObject({ completed: before.completed + 1, overdueInPeriod: before.overdueInPeriod + 1 });
    expect(after).toEqual(zone);
    // Done: a later start does not look again.
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: legacy('2026-10-07#completed#prj-old2#SIGNING.a', { kind: 'completed', date: '2026-10-07', projectId: 'prj-old2', taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-10-05', handlingWd: 2 }) }));
    expect(await ensureReferenceData(new Date())).toMatchObject({ parkCenterRecordsIndexed: 0, parkCenterRecordsFinished: true });
  });

  it('keeps to its time budget as the other back-fills do: what it had no time for is left to the next start, not written past it', async () => {
    const { PutCommand, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { vi } = await import('vitest');
    const legacy = (day: string, n: number) => ({ pk: 'DEPT#park_center', sk: `${day}#completed#prj-late${n}#SIGNING.a`, entity: 'department-completed', kind: 'completed', role: 'park_center', park: '智造港', date: day, projectId: `prj-late${n}`, taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-10-01', handlingWd: 1 });
    const backlog = [legacy('2026-10-08', 1), legacy('2026-10-09', 2), legacy('2026-10-10', 3)];
    for (const Item of backlog) await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item }));
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'park-center-records-by-park' } }));
    const zhizao: User = { ...users.kechuangParkCenter, sub: 'u-park-zz', park: '智造港' };
    // With any stored outside the index before (a record put in after the back-fill above was done).
    const { parkCenterFactsOutsideIndex } = await import('../../functions/supervision/store/departments.ts');
    const outside = (await parkCenterFactsOutsideIndex()).length;
    expect(outside).toBeGreaterThanOrEqual(backlog.length);
    // Every look at the clock a second on: a budget of a second and a half runs out before the backlog is through.
    let t = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => (t += 1000));
    const cut = await ensureReferenceData(new Date(), 1500).finally(() => clock.mockRestore());
    expect(cut).toMatchObject({ parkCenterRecordsFinished: false });
    expect(cut.parkCenterRecordsIndexed).toBeLessThan(outside);
    // The next start does the rest, and is done.
    expect(await ensureReferenceData(new Date())).toMatchObject({ parkCenterRecordsIndexed: outside - cut.parkCenterRecordsIndexed, parkCenterRecordsFinished: true });
    // Its report counts them as the zone's (which reads the role partition) does.
    expect((await get({}, zhizao)).body.parks[0]).toEqual(parkRow((await get()).body, '智造港'));
  });

  it('keeps to one budget for the whole pass: a back-fill reached once the pass has spent it writes nothing, left to the next', async () => {
    const { PutCommand, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { vi } = await import('vitest');
    const legacy = (day: string, n: number) => ({ pk: 'DEPT#park_center', sk: `${day}#completed#prj-pass${n}#SIGNING.a`, entity: 'department-completed', kind: 'completed', role: 'park_center', park: '智造港', date: day, projectId: `prj-pass${n}`, taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-10-01', handlingWd: 1 });
    for (const Item of [legacy('2026-10-08', 1), legacy('2026-10-09', 2)]) await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item }));
    for (const sk of ['park-center-records-by-park', 'letters-by-addressee', 'undated-tasks-listed', 'inbox-unread-index']) {
      await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk } }));
    }
    // The pass's first back-fill, the ledger re-index, takes ten seconds on the clock (its first query moves it on): a
    // budget of five is spent before the pass reaches the park centers' records.
    const real = Date.now.bind(Date);
    let offset = 0;
    let spent = false;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
    ddb.middlewareStack.add(
      (next) => async (args) => {
        if (!spent && (args.input as { IndexName?: string }).IndexName === 'byTally') [spent, offset] = [true, offset + 10_000];
        return next(args);
      },
      { step: 'initialize', name: 'slowReindex' },
    );
    const cut = await ensureReferenceData(new Date(), 5000).finally(() => (clock.mockRestore(), ddb.middlewareStack.remove('slowReindex')));
    expect(spent).toBe(true);
    expect(cut).toMatchObject({ parkCenterRecordsIndexed: 0, parkCenterRecordsFinished: false });
    expect(await ensureReferenceData(new Date())).toMatchObject({ parkCenterRecordsIndexed: 2, parkCenterRecordsFinished: true });
  });

  it('on a deploy, takes in a record a function still on the old code writes after the back-fill: done only once a pass starts after the old code can no longer write', async () => {
    const { PutCommand, DeleteCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const legacy = (day: string, n: number) => ({ pk: 'DEPT#park_center', sk: `${day}#completed#prj-deploy${n}#SIGNING.a`, entity: 'department-completed', kind: 'completed', role: 'park_center', park: '智造港', date: day, projectId: `prj-deploy${n}`, taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-10-01', handlingWd: 1 });
    const marker = { TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'park-center-records-by-park' } };
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: legacy('2026-10-08', 1) }));
    await store.doc.send(new DeleteCommand(marker));
    const zhizao: User = { ...users.kechuangParkCenter, sub: 'u-park-zz', park: '智造港' };
    // The deploy's custom resource runs once every function of the deploy is updated; an invocation that began on the
    // old code just before may still write the old way until its timeout (and Lambda's switch-over) has passed.
    const deployAt = new Date();
    const oldCodeUntil = new Date(deployAt.getTime() + 360_000);
    expect(await ensureReferenceData(deployAt, 60_000, { oldCodeUntil })).toMatchObject({ parkCenterRecordsIndexed: 1, parkCenterRecordsFinished: true, settling: ['park-center-records-by-park'] });
    // That invocation's record, written after the back-fill, as the old code writes it.
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: legacy('2026-10-09', 2) }));
    // The deploy's later pass, started once no invocation of the old code can still be running.
    expect(await ensureReferenceData(new Date(oldCodeUntil.getTime() + 1000), 60_000, { oldCodeUntil })).toMatchObject({ parkCenterRecordsIndexed: 1, parkCenterRecordsFinished: true });
    expect((await get({}, zhizao)).body.parks[0]).toEqual(parkRow((await get()).body, '智造港'));
    expect((await store.doc.send(new GetCommand(marker))).Item).toBeDefined();
  });

  it('leaves out a record withdrawn between the back-fill’s reading and its write', async () => {
    const { indexParkCenterFact } = await import('../../functions/supervision/store/departments.ts');
    const fact = { kind: 'overdue' as const, role: 'park_center' as const, park: '智造港', date: '2026-10-08', projectId: 'prj-gone', projectName: '撤销项目', taskId: 'SIGNING.c', task: '任务', dueDate: '2026-10-07' };
    // Never stored (withdrawn: its red light taken back by a calendar correction): the index write creates nothing.
    const { ConditionFailed } = await import('../../functions/kernel/store/client.ts');
    await expect(transact([indexParkCenterFact(fact)])).rejects.toBeInstanceOf(ConditionFailed);
    expect((await queryDepartmentFacts('park_center', '2026-10-08', '2026-10-08')).filter((f) => 'projectId' in f && f.projectId === 'prj-gone')).toEqual([]);
  });
});
