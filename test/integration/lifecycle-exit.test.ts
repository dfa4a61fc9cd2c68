// The closed loop to its end, on the real ASL of both state machines in the embedded runner with a scaled clock (ten
// business days a second): a project that misses its start of works climbs to L3; the named departments decide the
// joint assessment in parallel (one proceeds: L4 at once); the compliance check finds a breach (exit pending); the
// committee leader decides exit; the exit workflow's function dies right after the release committed (Step Functions
// sees the step fail), the failure is recorded on the project, ops redrive it, and it finishes — every holding released
// exactly once, one exit letter, the project EXITED and its lifecycle ended. (A release bigger than one transaction,
// crashed between its groups, is release-all's case: each group whole, the re-run skips what is released.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { expectProblem } from '../support/assertions.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-03-02T09:00:00+08:00', scale: 10 * 86_400 });
  // Short windows for L1 and L2 (the climb to L3 is what this test waits for), long ones from L3 on: the records move
  // the ladder from there, not the clock.
  const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
  const { getConfig, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
  const { transact } = await import('../../functions/kernel/store/client.ts');
  const current = await getConfig('escalation');
  const rungs = DEFAULT_CONFIG.escalation.rungs.map((r) => ({ ...r, responseWd: r.level <= 2 ? 1 : 120 }));
  await transact([putConfigVersion({ name: 'escalation', version: current.version + 1, doc: { ...DEFAULT_CONFIG.escalation, rungs }, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
});
afterAll(() => env?.stop());

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;
const user = (role: string, extra: Record<string, string> = {}) => ({ sub: `u-${role}`, name: role, roles: [role as never], ...extra });
const leader = user('committee_leader');
type Escalation = { level: number; name: string; next?: { step: string; dueDate: string } | null };
type Exit = { status: string; execution: string; decidedAt: string; released: string[]; letter: { number: string } | null; failure: { error: string } | null; steps: Record<string, string>; redrives: number };

describe('the exit procedure 退出程序', () => {
  it('L3 → L4 → exit pending by the records; exit crashes mid-release, is redriven by ops, and releases every holding once', async () => {
    const { project, executionName, input } = await env.activeProject('land', {}, 'GROUNDBREAKING');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    const site = await api.holdSite();
    const allocate = await load('../../functions/inventory/http/allocate-fund.ts');
    // This year's fund (the business clock runs 10 days a second: which year depends on how busy the machine is).
    const allocation = await call<{ id: string; year: number }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: user('ops'), params: { id: project.id }, body: { bucket: 'clearance', amountCny: 1_000_000, purpose: '进地清单作业' } }));
    expect(allocation.status, allocation.text).toBe(201);
    const getFunds = await load('../../functions/inventory/http/get-funds.ts');
    const clearance = async () => (await call<{ buckets: { code: string; allocatedCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: leader, params: { year: String(allocation.body.year) } }))).body.buckets.find((b) => b.code === 'clearance')!;
    const fundBefore = await clearance();
    // A project still signing in the same park, whose needs the parcel fits: the land reclaimed is offered to it.
    const createProject = await load('../../functions/projects/http/create-project.ts');
    const waiting = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: user('investment_dept'), body: { name: '候补用地项目', investor: { name: '候补公司', enterpriseId: 'ent-wait' }, track: 'industrial', industry: 'equipment', attractionMode: 'business', totalInvestmentCny: 200_000_000, techLevel: 'advanced', chainRole: 'extend', park: project.park, siteMode: 'land', needs: { areaM2: 30_000 } } }));
    expect(waiting.status, waiting.text).toBe(201);

    await env.workflow.startExecution(executionName, input);
    const getProject = await load('../../functions/projects/http/get-project.ts');
    const view = async () => (await call<{ status: string; escalation: Escalation; exit: Exit | null; reservations: unknown[]; fundAllocations: unknown[]; workflow: { status: string }; light: string; tasksSummary: { open: number; overdue: number; nextDue: string | null } }>(getProject, apiEvent('GET /projects/{id}', { as: leader, params: { id: project.id } }))).body;
    const permits = await until(async () => (await api.tasks()).find((t) => t.code === 'construction_permits' && t.startedDate));
    expect((await api.complete(permits)).status).toBe(200);
    await until(async () => ((await view()).escalation.level === 3 ? true : undefined), 90_000, 50);

    const params = { id: project.id };
    const assess = await load('../../functions/supervision/http/record-assessment.ts');
    const check = await load('../../functions/supervision/http/record-compliance-check.ts');
    const decideExit = await load('../../functions/supervision/http/decide-exit.ts');
    const ladder = await load('../../functions/supervision/http/get-ladder.ts');
    const dates = await import('../../functions/kernel/domain/dates.ts');
    // The business clock runs ten working days a second: "today" is read at each use.
    const today = () => dates.shanghaiDate(env.clock.now());
    const later = dates.addCalendarDays(today(), 120);
    // The L1 urging letter asks its reply within the rung's window (1 working day here), not the series' default 5:
    // the interview is not raised while the enterprise is still within the time the letter gave it.
    const letterList = await load('../../functions/supervision/http/list-letters.ts');
    const urgingLetters = await call<{ items: { series: string; body: string; issuedOn: string; replyBy: string }[] }>(letterList, apiEvent('GET /projects/{id}/letters', { as: leader, params: { id: project.id } }));
    const urging = urgingLetters.body.items.filter((l) => l.series === 'urging');
    expect(urging).toHaveLength(1);
    expect(urging[0]!.body).toContain('请于收函后1个工作日内');
    expect(urging[0]).toMatchObject({ replyWd: 1 });
    // One working day on the zone's calendar (a letter issued the Friday before 清明 is answered by the Tuesday).
    const { addWorkingDays } = await import('../../functions/reference/domain/calendar.ts');
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    expect(urging[0]!.replyBy).toBe(addWorkingDays(urging[0]!.issuedOn, 1, await loadCalendar()).date);
    const findings = [{ clause: '第七条 开工时限', finding: '约定签约后 6 个月内开工，至今未开工', breached: true }, { clause: '第九条 投资强度', finding: '尚无法核查', breached: false }];

    // Not yet: the compliance check is L4's, the exit decision L5's.
    expectProblem(await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: user('supervision_office'), params, body: { checkedOn: today(), findings, summary: '核查' } })), 409);
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'exit', reason: '长期未开工' } })), 409);

    // L3: the four named departments decide in parallel; one proceeds → L4 at once, no plan tasks.
    const decisions = [
      ['investment_dept', { decision: 'continue', comment: '企业仍有意愿', plan: [{ item: '提交开工计划', owner: 'enterprise', dueDate: later }] }],
      ['resources_bureau', { decision: 'proceed', comment: '土地闲置已超期' }],
      ['construction_dept', { decision: 'continue', comment: '可限期整改', plan: [{ item: '办理施工许可延续', owner: 'enterprise', dueDate: later }] }],
      ['park_center', { decision: 'continue', comment: '园区协助', plan: [{ item: '进场施工', owner: 'enterprise', dueDate: later }] }],
    ] as const;
    expectProblem(await call(assess, apiEvent('POST /projects/{id}/assessments', { as: user('eco_bureau'), params, body: decisions[1][1] })), 403);
    expectProblem(await call(assess, apiEvent('POST /projects/{id}/assessments', { as: user('investment_dept'), params, body: { decision: 'continue', comment: '无方案' } })), 400, ['plan']);
    const replies = await Promise.all(decisions.map(([role, body]) => call<{ round: number; pending: string[]; outcome: { decision: string } | null }>(assess, apiEvent('POST /projects/{id}/assessments', { as: user(role, role === 'park_center' ? { park: project.park } : {}), params, body }))));
    expect(replies.map((r) => r.status), replies.map((r) => r.text).join('\n')).toEqual([201, 201, 201, 201]);
    expect(replies.filter((r) => r.body.outcome !== null).map((r) => r.body.outcome!.decision)).toEqual(['proceed']);
    expectProblem(await call(assess, apiEvent('POST /projects/{id}/assessments', { as: user('investment_dept'), params, body: decisions[0][1] })), 409);
    expect((await view()).escalation).toMatchObject({ level: 4, name: 'COMPLIANCE_CHECK' });
    expect((await api.tasks()).filter((t) => t.code === 'rectification')).toEqual([]);

    // L4: the compliance check finds a breach → exit pending.
    expectProblem(await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: user('supervision_office'), params, body: { checkedOn: today(), findings: [...findings, findings[0]], summary: '核查' } })), 400, ['findings[2].clause']);
    const checked = await call<{ number: number; breach: boolean }>(check, apiEvent('POST /projects/{id}/compliance-checks', { as: user('supervision_office'), params, body: { checkedOn: today(), findings, summary: '开工时限条款违约' } }));
    expect(checked.status, checked.text).toBe(201);
    expect(checked.body).toMatchObject({ number: 1, breach: true });
    expect((await view()).escalation).toMatchObject({ level: 5, name: 'EXIT_PENDING', next: { step: 'EXIT_DECISION' } });
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'extend', reason: '再给一次机会' } })), 400, ['newDueDate']);
    // An exit with a new due date is refused, not taken as an exit: the client may have meant to extend. Nothing written.
    const withDate = await call<{ errors: { path: string; code: string }[] }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'exit', reason: '违约', newDueDate: dates.addCalendarDays(today(), 30) } }));
    expectProblem(withDate, 400, ['newDueDate']);
    expect(withDate.body.errors[0]!.code).toBe('not_allowed');
    expect((await view()).escalation).toMatchObject({ level: 5, name: 'EXIT_PENDING' });
    expect((await view()).exit ?? null).toBeNull();
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: user('supervision_office'), params, body: { decision: 'exit', reason: '违约' } })), 403);

    // The exit, with a crash in the worst place: the release's transaction commits (every holding back, the step
    // recorded) and the function dies before it can answer — Step Functions sees the step fail.
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const inventoryTable = process.env.TABLE_INVENTORY!;
    let crashed = false;
    const send = ddb.send.bind(ddb);
    const spy = vi.spyOn(ddb, 'send').mockImplementation((async (command: { constructor: { name: string }; input: { TransactItems?: Record<string, { TableName?: string }>[] } }) => {
      const touchesInventory = command.constructor.name === 'TransactWriteCommand' && (command.input.TransactItems ?? []).some((i) => Object.values(i).some((op) => op?.TableName === inventoryTable));
      const out = await send(command as never);
      if (touchesInventory && !crashed) {
        crashed = true;
        throw Object.assign(new Error('simulated crash after the release committed'), { name: 'SimulatedCrash' });
      }
      return out;
    }) as never);
    try {
      const decided = await call<{ exit: Exit }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'exit', reason: '签约后长期未开工，履约核查认定违约' } }));
      expect(decided.status, decided.text).toBe(202);
      expect(decided.body.exit).toMatchObject({ status: 'decided', execution: `${project.id}-EXIT-1` });
      expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'exit', reason: '再次' } })), 409);
      const failed = await until(async () => ((await view()).exit?.status === 'failed' ? (await view()).exit! : undefined), 60_000, 50);
      expect(crashed).toBe(true);
      expect(failed.failure?.error).toBe('SimulatedCrash');
      expect(Object.keys(failed.steps).sort()).toEqual(['check', 'release']);
    } finally {
      spy.mockRestore();
    }
    // The execution failed at "Release holdings"; what it committed stands: the parcel and the fund are back, the
    // project holds nothing, but it is not EXITED and has no exit letter.
    const getResource = await load('../../functions/inventory/http/get-resource.ts');
    const parcel = async () => (await call<{ status: string; heldBy: unknown; history: { action: string }[] }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: leader, params: { kind: site.kind, id: site.resourceId } }))).body;
    expect((await parcel()).status).toBe('available');
    const half = await view();
    expect(half).toMatchObject({ status: 'ACTIVE', reservations: [], fundAllocations: [] });
    expect(half.exit?.letter).toBeNull();
    expect(half.tasksSummary.open).toBeGreaterThan(0);
    const failedRun = env.workflow.executions.get(`${project.id}-EXIT-1`);
    expect(failedRun).toMatchObject({ status: 'FAILED', lastState: { name: 'Release holdings' } });

    // Ops redrive it from the step that failed.
    const redrive = await load('../../functions/supervision/http/redrive-exit.ts');
    expectProblem(await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: leader, params, body: { reason: 'x' } })), 403);
    const decidedYear = dates.shanghaiDate(new Date((await view()).exit!.decidedAt)).slice(0, 4);
    const redriven = await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: user('ops'), params, body: { reason: '故障已排除' } }));
    expect(redriven.status, redriven.text).toBe(202);
    const done = await until(async () => {
      const v = await view();
      return v.status === 'EXITED' ? v : undefined;
    }, 60_000, 50);
    expect(done.exit).toMatchObject({ status: 'done', execution: `${project.id}-EXIT-1`, redrives: 1, failure: null });
    expect(done.exit!.released.sort()).toEqual([site.reservationId, allocation.body.id].sort());
    // Numbered in the year it was issued: on a busy machine this test's fast clock (10 days a second) can pass New Year
    // before the exit's letter step runs.
    const letterYear = /^晋综开退函〔(\d{4})〕\d+号$/.exec(done.exit!.letter?.number ?? '')?.[1];
    expect([decidedYear, today().slice(0, 4)], done.exit!.letter?.number).toContain(letterYear);
    expect(done).toMatchObject({ escalation: { level: 0 }, reservations: [], fundAllocations: [] });
    // Its tasks withdrawn with it: nothing open, overdue or due, no light lit (the ledger lists it as exited, not red).
    expect(done).toMatchObject({ light: 'green', tasksSummary: { open: 0, overdue: 0, nextDue: null } });
    // The close step commits EXITED before the execution itself ends: on a busy machine the run may still be RUNNING
    // for a moment after the project reads EXITED.
    await until(async () => (env.workflow.executions.get(`${project.id}-EXIT-1`)?.status === 'RUNNING' ? undefined : true), 30_000, 20);
    expect(env.workflow.executions.get(`${project.id}-EXIT-1`)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });

    // Every holding given back exactly once: the parcel released once, the fund's allocation returned once.
    const history = (await parcel()).history.map((h) => h.action);
    // 盘活低效用地: on exit the parcel's history says reclaimed, once.
    expect(history.filter((a) => a === 'resource.reclaimed' || a === 'resource.released'), history.join()).toEqual(['resource.reclaimed']);
    expect(await clearance()).toMatchObject({ allocatedCny: fundBefore.allocatedCny - 1_000_000, remainingCny: fundBefore.remainingCny + 1_000_000 });
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const actions = (await listAudit(`PROJECT#${project.id}`, 300)).items.map((e) => e.action);
    expect(actions.filter((a) => a === 'resource.released')).toHaveLength(1);
    expect(actions.filter((a) => a === 'fund.released')).toHaveLength(1);
    for (const a of ['escalation.assessment', 'escalation.compliance_check', 'exit.decided', 'exit.checked', 'exit.failed', 'exit.redrive_requested', 'exit.released', 'exit.letter_issued', 'exit.completed']) expect(actions, a).toContain(a);
    // The exit letter is on the timeline as every letter is, once.
    const issued = (await listAudit(`PROJECT#${project.id}`, 300)).items.filter((e) => e.action === 'letter.issued').map((e) => (e.after as { number: string }).number);
    expect(issued.filter((n) => n === done.exit!.letter?.number)).toHaveLength(1);
    // 盘活再利用: the reclaimed parcel offered to the waiting project, in its park center's inbox, once.
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const offers = (await queryInbox(`DEPT#park_center#${project.park}`, 200)).items.filter((n) => n.kind === 'resource.available' && n.projectId === waiting.body.id);
    expect(offers).toHaveLength(1);
    expect(offers[0]!.body).toContain(site.resourceId);
    // The exit is told to the department of the project's track (招商: its ledger loses the project), once.
    const trackDept = (await queryInbox(`DEPT#${project.track === 'scitech' ? 'scitech_dept' : 'investment_dept'}`, 200)).items.filter((n) => n.kind === 'project.exited' && n.projectId === project.id);
    expect(trackDept).toHaveLength(1);
    const listLetters = await load('../../functions/supervision/http/list-letters.ts');
    const letters = (await call<{ items: { series: string; to: { kind: string } }[] }>(listLetters, apiEvent('GET /projects/{id}/letters', { as: leader, params }))).body.items;
    expect(letters.filter((l) => l.series === 'exit')).toEqual([expect.objectContaining({ to: expect.objectContaining({ kind: 'enterprise' }) })]);

    // Its open tasks are withdrawn: out of every department's work list.
    const tasksAfter = await api.tasks();
    expect(tasksAfter.filter((t) => t.status === 'open')).toEqual([]);
    const withdrawn = tasksAfter.filter((t) => t.status === 'withdrawn');
    expect(withdrawn.length).toBeGreaterThan(0);
    // Closed with it, no light lit: the overdue start of works among them is not listed as red any more.
    expect(withdrawn.map((t) => t.light)).toEqual(withdrawn.map(() => 'green'));
    const listTasks = await load('../../functions/lifecycle/http/list-tasks.ts');
    const red = await call<{ items: unknown[] }>(listTasks, apiEvent('GET /projects/{id}/tasks', { as: leader, params, query: { light: 'red' } }));
    expect(red.status, red.text).toBe(200);
    expect(red.body.items).toEqual([]);
    expect(actions).toContain('task.withdrawn');
    const myTasks = await load('../../functions/lifecycle/http/my-tasks.ts');
    const mine = await call<{ items: { projectId: string }[] }>(myTasks, apiEvent('GET /me/tasks', { as: user('construction_dept'), query: { limit: '100' } }));
    expect(mine.body.items.filter((t) => t.projectId === project.id)).toEqual([]);

    // The lifecycle's execution saw EXITED and ended; nothing more can be decided or redriven.
    await until(async () => ([...env.workflow.executions.values()].filter((e) => e.input.projectId === project.id && e.machine === 'lifecycle').every((e) => e.status !== 'RUNNING') ? true : undefined), 30_000, 50);
    expect((await view()).workflow.status).toBe('ended');
    expectProblem(await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: user('ops'), params, body: { reason: '再来' } })), 409);
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: leader, params, body: { decision: 'exit', reason: '再次' } })), 409);
    const file = (await call<{ assessments: { outcome: { decision: string } }[]; complianceChecks: { breach: boolean }[]; exit: Exit }>(ladder, apiEvent('GET /projects/{id}/ladder', { as: user('discipline_office'), params }))).body;
    expect(file.assessments.map((a) => a.outcome.decision)).toEqual(['proceed']);
    expect(file.complianceChecks.map((c) => c.breach)).toEqual([true]);
    expect(file.exit.status).toBe('done');
  });
});
