// GET /reports/parks — the park report 园区统计 against DynamoDB Local, on a business clock stopped on Monday 12 October
// 2026: projects created and decided through the real handlers, tasks written by the lifecycle's store and completed
// through the API, land, a factory and utilities added by their owners — counted per park and for the zone; a park
// center sees its own park only; the enterprise is refused; a bad query is a 400 naming the field; CSV for Excel; and
// what one park's report reads does not grow with the zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, projectBody, users, type User } from '../support/events.ts';
import { aTask } from '../support/domain.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import type { Project } from '../../functions/projects/domain/project.ts';
import type { ParkRow, ParksReport } from '../../functions/reports/domain/parks.ts';

const store = isolatedStore('parks-report');
// The business clock stands (nearly) still at 10:00 on Monday 12 October 2026 in Shanghai.
Object.assign(process.env, { ZONEFLOW_CLOCK_START: '2026-10-12T10:00:00+08:00', ZONEFLOW_CLOCK_ANCHOR: String(Date.now()), ZONEFLOW_TIME_SCALE: '0.000001' });
registerFakeWorkflow();
const { handler: report } = await import('../../functions/reports/http/parks-report.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: completeTask } = await import('../../functions/lifecycle/http/complete-task.ts');
const { handler: createResource } = await import('../../functions/inventory/http/create-resource.ts');
const { transact, ddb } = await import('../../functions/kernel/store/client.ts');
const { getProject, insertProject, replaceProject } = await import('../../functions/projects/store/projects.ts');
const { insertTask } = await import('../../functions/lifecycle/store/tasks.ts');
const { createProject: newProject } = await import('../../functions/projects/domain/project.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { ensureReferenceData } = await import('../../functions/reference/store/bootstrap.ts');

/** The DynamoDB calls the handlers make, by operation, and the read units they report (a middleware on the one client). */
const reads = { calls: [] as string[], units: 0 };
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    reads.calls.push(String(context.commandName));
    const out = await next(args);
    reads.units += (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0;
    return out;
  },
  { step: 'initialize', name: 'countReads' },
);

/** The report as a plain object type (a problem+json reply is checked on the same reply type). */
type Report = { [K in keyof ParksReport]: ParksReport[K] };
const get = (query: Record<string, string> = {}, as: User = users.supervisionOfficer, headers: Record<string, string> = {}) =>
  call<Report>(report, apiEvent('GET /reports/parks', { as, query, headers }));
const row = (r: Report, park: string) => r.parks.find((p) => p.park === park);

async function created(park: string, name: string, as: User = users.investmentOfficer): Promise<Project> {
  const reply = await call<Project>(createProject, apiEvent('POST /projects', { as, body: projectBody({ name, park, totalInvestmentCny: 300_000_000 }) }));
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}
async function decided(p: Project, decision: 'approve' | 'reject'): Promise<Project> {
  const reply = await call<Project>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: p.id }, body: { decision, ...(decision === 'reject' ? { reason: '不符合产业定位' } : {}) } }));
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}
/** What the lifecycle's review writes when a project moves on, turns a light or climbs the ladder (through the project store). */
async function evolved(id: string, change: Partial<Project>): Promise<void> {
  const stored = (await getProject(id))!;
  await transact(replaceProject({ ...stored, ...change, version: stored.version + 1 }, stored));
}
const task = (p: Project, code: string, over: Partial<Task>): Task => aTask(`SIGNING.${code}`, { projectId: p.id, park: p.park, enterpriseId: p.investor.enterpriseId, code, startedDate: '2026-09-28', ...over });
async function added(kind: string, body: Record<string, unknown>, as: User) {
  const reply = await call(createResource, apiEvent('POST /inventory/{kind}', { as, params: { kind }, body }));
  expect(reply.status, reply.text).toBe(201);
}

let signing: Project;
beforeAll(async () => {
  await store.createTables();
  await ensureReferenceData(new Date());
  // 汇通产业园: one pending admission, one rejected, three admitted (one moves to LANDING and turns yellow, one reaches
  // CONSTRUCTION red and on the ladder at the interview rung); 科创城: one admitted, one pending.
  await created(PARK_HUITONG, '待准入项目');
  await decided(await created(PARK_HUITONG, '未准入项目'), 'reject');
  signing = await decided(await created(PARK_HUITONG, '签约阶段项目'), 'approve');
  const landing = await decided(await created(PARK_HUITONG, '落地阶段项目'), 'approve');
  const building = await decided(await created(PARK_HUITONG, '建设阶段项目'), 'approve');
  const kechuang = await decided(await created(PARK_KECHUANG, '科创项目'), 'approve');
  await created(PARK_KECHUANG, '科创待准入项目');
  await evolved(landing.id, { stage: 'LANDING', light: 'yellow' });
  await evolved(building.id, { stage: 'CONSTRUCTION', light: 'red', escalation: { level: 2, name: 'INTERVIEW', since: '2026-10-09', trigger: null, next: null } });

  await transact(
    [
      // Overdue since 30 September (resources_bureau) and since 10 October (the enterprise's own start of works).
      task(signing, 'r_overdue', { dueDate: '2026-09-29' }),
      task(building, 'x_enterprise', { lead: 'enterprise', dueDate: '2026-10-09' }),
      // Due today: not overdue yet. Due later. One to complete through the API.
      task(signing, 'r_due_today', { dueDate: '2026-10-12' }),
      task(landing, 'e_open', { lead: 'eco_bureau', dueDate: '2026-10-30' }),
      task(signing, 'r_done', { dueDate: '2026-09-30' }),
      // Waiting for its predecessor: not started, not counted.
      task(landing, 'c_waiting', { lead: 'construction_dept', after: ['SIGNING.e_open'], startedDate: null }),
      // 科创城: one park-center task overdue.
      task(kechuang, 'p_overdue', { lead: 'park_center', dueDate: '2026-10-08' }),
    ].map(insertTask),
  );
  const done = await call(completeTask, apiEvent('POST /projects/{id}/tasks/{taskId}/complete', { as: users.resourcesOfficer, params: { id: signing.id, taskId: 'SIGNING.r_done' }, body: { note: '已办结' } }));
  expect(done.status, done.text).toBe(200);

  // Land: two parcels in 汇通 (100 亩 and 30 亩), one in 科创城; an idle factory; water and power capacity.
  await added('parcels', parcelBody({ code: 'HT-1', park: PARK_HUITONG, areaM2: 66_667 }), users.resourcesOfficer);
  await added('parcels', parcelBody({ code: 'HT-2', park: PARK_HUITONG, areaM2: 20_000 }), users.resourcesOfficer);
  await added('parcels', parcelBody({ code: 'KC-1', park: PARK_KECHUANG, areaM2: 10_000 }), users.resourcesOfficer);
  await added('facilities', facilityBody({ code: 'HT-F1', park: PARK_HUITONG, areaM2: 8_000 }), users.soeOfficer);
  await added('utilities', { park: PARK_HUITONG, utility: 'water', capacity: 10_000, unit: 't/d' }, users.huitongParkCenter);
  await added('utilities', { park: PARK_KECHUANG, utility: 'power', capacity: 4_000, unit: 'kVA' }, users.kechuangParkCenter);
  // The zone's quotas for the year (and one of the next, not this report's).
  await added('energy', { year: 2026, totalTce: 50_000 }, users.ecoOfficer);
  await added('energy', { year: 2027, totalTce: 60_000 }, users.ecoOfficer);
  await added('environment', { year: 2026, pollutant: 'NOx', totalTonnes: 40 }, users.ecoOfficer);
}, 60_000);
afterAll(() => store.destroy());

const huitong: Omit<ParkRow, 'park'> = {
  projects: {
    total: 5,
    byStatus: { PENDING_ADMISSION: 1, ACTIVE: 3, REJECTED: 1, EXITED: 0, COMPLETED: 0 },
    byStage: { SIGNING: 1, LANDING: 1, GROUNDBREAKING: 0, CONSTRUCTION: 1, OPERATION: 0, PRODUCING: 0 },
    byLight: { green: 1, yellow: 1, red: 1 },
    escalated: 1,
    byRung: { URGING_LETTER: 0, INTERVIEW: 1, JOINT_ASSESSMENT: 0, COMPLIANCE_CHECK: 0, EXIT_PENDING: 0 },
  },
  tasks: { open: 4, overdue: 2, overdueByLead: { resources_bureau: 1, enterprise: 1 } },
  resources: {
    parcels: { available: 2, areaM2: 86_667, areaMu: 130, stale: 0 },
    facilities: { available: 1, areaM2: 8_000, stale: 0 },
    utilities: [{ utility: 'water', unit: 't/d', capacity: 10_000, allocated: 0, remaining: 10_000 }],
  },
};

describe('GET /reports/parks', () => {
  it('counts each park’s projects by status, stage, light and rung, its open and overdue tasks and what it has available', async () => {
    const reply = await get();
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.date).toBe('2026-10-12');
    expect(reply.body.park).toBeNull();
    // Every park of the zone, 智造港 with nothing in it yet as a row of zeros (it was left out).
    expect(reply.body.parks.map((p) => p.park)).toEqual([PARK_HUITONG, PARK_KECHUANG, '智造港']);
    expect(row(reply.body, '智造港')).toMatchObject({ projects: { total: 0 }, tasks: { open: 0, overdue: 0 }, resources: { parcels: { available: 0 }, facilities: { available: 0 } } });
    expect(row(reply.body, PARK_HUITONG)).toEqual({ park: PARK_HUITONG, ...huitong });
    expect(row(reply.body, PARK_KECHUANG)).toMatchObject({
      projects: { total: 2, byStatus: { PENDING_ADMISSION: 1, ACTIVE: 1 }, byStage: { SIGNING: 1 }, byLight: { green: 1 }, escalated: 0 },
      tasks: { open: 1, overdue: 1, overdueByLead: { park_center: 1 } },
      resources: { parcels: { available: 1, areaM2: 10_000, areaMu: 15 }, facilities: { available: 0, areaM2: 0 }, utilities: [{ utility: 'power', unit: 'kVA', remaining: 4_000 }] },
    });
    expect(reply.body.totals).toMatchObject({
      projects: { total: 7, byStatus: { ACTIVE: 4, PENDING_ADMISSION: 2, REJECTED: 1 }, escalated: 1 },
      tasks: { open: 5, overdue: 3, overdueByLead: { resources_bureau: 1, enterprise: 1, park_center: 1 } },
      resources: { parcels: { available: 3, areaM2: 96_667 } },
    });
    // The zone's quotas for the business year, as added: nothing held yet.
    expect(reply.body.quotas).toEqual({
      year: 2026,
      energy: { totalTce: 50_000, allocated: 0, remaining: 50_000, stale: false },
      environment: [{ pollutant: 'NOx', totalTonnes: 40, allocated: 0, remaining: 40, stale: false }],
    });
  });

  it('follows the projects as they change: an admission, a light turned red, a completed task', async () => {
    const p = await created(PARK_KECHUANG, '新签约项目');
    const before = row((await get({ park: PARK_KECHUANG })).body, PARK_KECHUANG)!;
    await decided(p, 'approve');
    await evolved(p.id, { light: 'red' });
    const after = row((await get({ park: PARK_KECHUANG })).body, PARK_KECHUANG)!;
    expect(after.projects.byStatus.PENDING_ADMISSION).toBe(before.projects.byStatus.PENDING_ADMISSION - 1);
    expect(after.projects.byStatus.ACTIVE).toBe(before.projects.byStatus.ACTIVE + 1);
    expect(after.projects.byLight.red).toBe(before.projects.byLight.red + 1);
  });

  it('one park for whoever asks for it', async () => {
    const reply = await get({ park: PARK_HUITONG }, users.committeeLeader);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.park).toBe(PARK_HUITONG);
    expect(reply.body.parks).toEqual([{ park: PARK_HUITONG, ...huitong }]);
    expect(reply.body.totals).toEqual(huitong);
    // A park nothing names yet: its row of zeros.
    expect((await get({ park: '临港园' })).body.parks).toMatchObject([{ park: '临港园', projects: { total: 0 }, tasks: { open: 0 } }]);
  });

  it('a park service center sees its own park only: by default, or asked by name; another park is refused', async () => {
    const own = await get({}, users.huitongParkCenter);
    expect(own.status, own.text).toBe(200);
    expect(own.body.park).toBe(PARK_HUITONG);
    expect(own.body.parks).toEqual([{ park: PARK_HUITONG, ...huitong }]);
    expect((await get({ park: PARK_HUITONG }, users.huitongParkCenter)).body.parks.map((p) => p.park)).toEqual([PARK_HUITONG]);

    const other = expectProblem(await get({ park: PARK_KECHUANG }, users.huitongParkCenter), 403, ['query.park']);
    expect(other.detail).toContain(PARK_HUITONG);
    expect(JSON.stringify(other)).not.toMatch(/"total"|"open"/);
    expectProblem(await get({ park: PARK_HUITONG, format: 'csv' }, users.kechuangParkCenter), 403);
  });

  it('a park service center of a park not in config/parks (one that left the list) reads its park as the ledger does: what is stored there, zeros when nothing is; another park refused', async () => {
    const unlisted: User = { ...users.huitongParkCenter, sub: 'u-park-gone', park: '旧园区' };
    const own = await get({}, unlisted);
    expect(own.status, own.text).toBe(200);
    expect(own.body.parks.map((p) => [p.park, p.projects.total])).toEqual([['旧园区', 0]]);
    const { handler: ledger } = await import('../../functions/projects/http/list-projects.ts');
    expect((await call<{ items: unknown[] }>(ledger, apiEvent('GET /projects', { as: unlisted }))).status).toBe(200);
    expectProblem(await get({ park: PARK_HUITONG }, unlisted), 403, ['query.park']);
  });

  it('refuses the enterprise and anyone without a token', async () => {
    expectProblem(await get({}, users.enterpriseA), 403);
    expectProblem(await get({ park: PARK_HUITONG }, users.enterpriseA), 403);
    expectProblem(await call(report, apiEvent('GET /reports/parks')), 401);
  });

  it('answers a bad query with a 400 naming the field', async () => {
    expectProblem(await get({ format: 'pdf' }), 400, ['query.format']);
    expectProblem(await get({ park: '   ' }), 400, ['query.park']);
    expectProblem(await get({ park: '园'.repeat(101) }), 400, ['query.park']);
    expectProblem(await get({ stage: 'LANDING' }), 400, ['query.stage']);
  });

  it('gives the same rows as a CSV file for Excel (BOM, Chinese headings, the zone’s total row)', async () => {
    for (const reply of [await get({ format: 'csv' }), await get({}, users.supervisionOfficer, { accept: 'text/csv' })]) {
      expect(reply.status, reply.text).toBe(200);
      expect(reply.contentType).toBe('text/csv; charset=utf-8');
      expect(reply.headers['content-disposition']).toMatch(/^attachment; filename="parks-zone-2026-10-12\.csv"; filename\*=UTF-8''/);
      const lines = reply.text.split('\r\n');
      expect(lines[0]!.startsWith('\uFEFF园区,项目总数,待准入,推进中,')).toBe(true);
      expect(lines[1]).toBe('汇通产业园,5,1,3,1,0,0,1,1,0,1,0,0,1,1,1,1,4,2,2,130,86667,1,8000,0,0,10000吨/日,,,,,,');
      expect(lines[2]!.startsWith('科创城,')).toBe(true);
      expect(lines[3]!.startsWith('智造港,0,')).toBe(true);
      expect(lines[4]!.startsWith('全区合计,')).toBe(true);
      // The zone's quotas remaining, once, on the total row.
      expect(lines[4]!.endsWith(',50000,NOx 40,')).toBe(true); // none of them 待核实: the last cell empty
    }
    // A park center's file: its park, no zone row; JSON asked for explicitly wins over the Accept header.
    const own = await get({ format: 'csv' }, users.huitongParkCenter);
    expect(own.text.split('\r\n').slice(1)).toEqual(['汇通产业园,5,1,3,1,0,0,1,1,0,1,0,0,1,1,1,1,4,2,2,130,86667,1,8000,0,0,10000吨/日,,,,50000,NOx 40,', '']);
    expect((await get({ format: 'json' }, users.supervisionOfficer, { accept: 'text/csv' })).contentType).toMatch(/^application\/json/);
  });
});

describe('what a park’s report reads', () => {
  /** One park's report through the handler: its DynamoDB calls by operation and the tally's read units. */
  async function measured(park: string) {
    reads.calls.length = 0;
    reads.units = 0;
    const reply = await get({ park });
    expect(reply.status, reply.text).toBe(200);
    return { calls: [...reads.calls].sort(), units: reads.units, row: reply.body.parks[0]! };
  }

  it('is the same when the rest of the zone grows twentyfold: keys of its own range, never a project item, never a scan', async () => {
    const small = await measured(PARK_HUITONG);
    reads.units = 0;
    const zoneSmall = { total: (await get()).body.totals.projects.total, units: reads.units };
    // One query of the tally, three of the park's inventory (parcels, facilities, utilities), two of the zone's quotas
    // (energy, environment) and the inventory configuration in force (its refresh periods: what counts as 待核实; a warm
    // function keeps it 30 s, read every time here): nothing else.
    expect(small.calls).toEqual(Array(7).fill('QueryCommand'));

    // 160 more projects with two open tasks each, in four other parks, stored as the API stores them.
    const seed: User = { sub: 'seed', name: 'seed', roles: ['investment_dept'] };
    for (let i = 0; i < 160; i += 20) {
      const batch = Array.from({ length: 20 }, (_, k) => {
        const base = newProject(projectBody({ park: `外园区${(i + k) % 4}`, industry: 'other', totalInvestmentCny: 100_000_000 }) as never, seed, DEFAULT_CONFIG.classification, { id: `prj-grow-${String(i + k).padStart(4, '0')}`, now: new Date('2026-09-01T02:00:00Z') });
        return { ...base, status: 'ACTIVE' as const, light: (i + k) % 3 === 0 ? ('red' as const) : ('green' as const) };
      });
      await transact(batch.flatMap(insertProject));
      await transact(batch.flatMap((p) => [task(p, 'a', { dueDate: '2026-10-01' }), task(p, 'b', { lead: 'eco_bureau', dueDate: '2026-11-01' })]).map(insertTask));
    }

    const large = await measured(PARK_HUITONG);
    expect(large.row).toEqual(small.row);
    expect(large.calls).toEqual(small.calls);
    expect(large.units).toBe(small.units);
    // The measure would see growth: the zone's report reads the whole tally, now 20 times what it held.
    reads.calls.length = 0;
    reads.units = 0;
    const zoneLarge = (await get()).body.totals.projects;
    console.log(`park report reads: one park ${small.units} → ${large.units} read units (${small.calls.length} calls); the zone ${zoneSmall.units} → ${reads.units}`);
    expect(zoneLarge.total).toBe(zoneSmall.total + 160);
    expect(reads.units).toBeGreaterThan(zoneSmall.units * 4);
    expect(reads.calls).not.toContain('ScanCommand');
    expect(reads.calls).not.toContain('GetItemCommand');
  }, 60_000);
});
