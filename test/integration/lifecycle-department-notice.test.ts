// Department supervision end to end, on the real ASL in the embedded runner with a scaled clock (ten days a second):
// four projects enter LANDING together, so the park center's 组建服务专班 (3 working days) of all four turns red in the
// same instant in four concurrent evaluations — the park center crosses the notice threshold (3 within 20 working
// days) and goes on the supervision office's notice list 通报提醒 exactly once; so does eco_bureau when its 环评指导
// (20 working days) turns red. The department report shows both, and the handling time of the items completed late.
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
const supervision = { sub: 'u-super', name: '督查员', roles: ['supervision_office' as const] };
type Row = { department: string; open: number; overdue: number; completed: number; averageHandlingWd: number | null; notices: number; overdueInPeriod: number };

describe('the notice list 通报提醒 on the running lifecycle', () => {
  it('lists a department once when several of its items turn red at once in concurrent evaluations', async () => {
    const projects = await Promise.all([1, 2, 3, 4].map(() => env.activeProject('land', {}, 'LANDING')));
    await Promise.all(projects.map((p) => env.workflow.startExecution(p.executionName, p.input)));
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const noticesIn = async (inbox: string, title: string) => (await queryInbox(inbox, 100)).items.filter((m) => m.kind === 'department.notice' && m.title === title);
    const park = projects[0]!.project.park;
    const parkTitle = `通报提醒：${park}园区事业服务中心`;
    const ecoTitle = '通报提醒：生态环境局开发区分局';

    // The park center's four red items: told once, to the supervision office and to the park's center.
    await until(async () => ((await noticesIn('DEPT#supervision_office', parkTitle)).length ? true : undefined), 60_000, 50);
    // 环评指导 turns red some 17 working days later: by the time eco_bureau is listed, every signal of the park
    // center's items has long been delivered.
    await until(async () => ((await noticesIn('DEPT#supervision_office', ecoTitle)).length ? true : undefined), 60_000, 50);
    expect(await noticesIn('DEPT#supervision_office', parkTitle)).toHaveLength(1);
    expect(await noticesIn(`DEPT#park_center#${park}`, parkTitle)).toHaveLength(1);
    expect(await noticesIn('DEPT#supervision_office', ecoTitle)).toHaveLength(1);
    expect(await noticesIn('DEPT#eco_bureau', ecoTitle)).toHaveLength(1);

    const { queryDepartmentFacts } = await import('../../functions/supervision/store/departments.ts');
    const parkRecords = await queryDepartmentFacts('park_center', '2026-03-01', '2026-12-31', true);
    expect(parkRecords.filter((f) => f.kind === 'overdue').map((f) => f.projectId).sort()).toEqual(projects.map((p) => p.project.id).sort());
    const notices = parkRecords.filter((f) => f.kind === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ role: 'park_center', park, threshold: 3, windowWd: 20 });
    expect(notices[0]!.items.length).toBeGreaterThanOrEqual(3);
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    expect((await listAudit(`DEPARTMENT#park_center#${park}`, 10)).items.map((e) => e.action)).toEqual(['department.noticed']);

    // Two park centers' items are completed late: handled in more working days than their limit of 3.
    for (const p of projects.slice(0, 2)) {
      const api = await lifecycleApi({ id: p.project.id, park, enterpriseId: p.project.investor.enterpriseId });
      const team = (await api.tasks()).find((t) => t.code === 'service_team')!;
      expect(team.light).toBe('red');
      const done = await api.complete(team);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      // Read back: green (nothing open) but done late 逾期办结, on a business day after its due date.
      const read = (await api.tasks()).find((t) => t.id === team.id) as unknown as { light: string; dueDate: string; completion: { date: string; late: boolean } };
      expect(read).toMatchObject({ light: 'green', completion: { late: true } });
      expect(read.completion.date > read.dueDate).toBe(true);
    }
    const report = await load('../../functions/supervision/http/department-report.ts');
    const reply = await call<{ departments: Row[] }>(report, apiEvent('GET /reports/departments', { as: supervision, query: { from: '2026-03-01' } }));
    expect(reply.status, reply.text).toBe(200);
    const parkRow = reply.body.departments.find((d) => d.department === 'park_center')!;
    expect(parkRow).toMatchObject({ open: 2, overdue: 2, completed: 2, notices: 1, overdueInPeriod: 4 });
    expect(parkRow.averageHandlingWd).toBeGreaterThan(3);
    expect(reply.body.departments.find((d) => d.department === 'eco_bureau')).toMatchObject({ completed: 0, averageHandlingWd: null, notices: 1, overdueInPeriod: 4 });
  });
});
