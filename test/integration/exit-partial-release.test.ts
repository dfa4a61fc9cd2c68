// The exit's release step crashed between its groups (two holdings of one quota are two transactions: DynamoDB refuses
// two writes of one item in one), then run again — as the local runtime does after a kill -9, or Step Functions' retry:
// every holding back once, and the exit's own record of the step (exit.released in the audit log) naming every holding
// the exit gave back, not only those of the run that finished it.
// And the fund during an exit: from the decision on, a payment dated up to the day it was decided (Asia/Shanghai, though
// decidedAt is UTC) is still recorded late, one dated after it is refused (409 naming spentOn, nothing written), and the
// release step gives the bucket back what was left unspent after those late records.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, projectBody, users } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { startOnWorkday } from '../support/workday-clock.ts';

const store = isolatedStore('exitrelease');
startOnWorkday();
registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: create } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: getResource } = await import('../../functions/inventory/http/get-resource.ts');
const { handler: reserve } = await import('../../functions/inventory/http/reserve-resource.ts');
const { handler: check } = await import('../../functions/supervision/http/record-compliance-check.ts');
const { handler: decideExit } = await import('../../functions/supervision/http/decide-exit.ts');
const { handler: exitStep } = await import('../../functions/supervision/steps/exit-step.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: recordSpending } = await import('../../functions/inventory/http/record-spending.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { getAllocation } = await import('../../functions/inventory/store/allocations.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');
const projects = await import('../../functions/projects/store/projects.ts');
const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { clock } = await import('../../functions/kernel/runtime/clock.ts');
const { seedConfig } = await import('../support/config.ts');
const { listAudit } = await import('../../functions/kernel/store/audit.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { insertTask, listTasks } = await import('../../functions/lifecycle/store/tasks.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => {
  delete process.env.ZONEFLOW_CLOCK_START;
  return store.destroy();
});

const today = () => shanghaiDate(clock.now());

/** A project created by the investment department and admitted: its id. */
async function admitted(body: Parameters<typeof projectBody>[0]): Promise<string> {
  const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody(body) }));
  expect(created.status, created.text).toBe(201);
  const admission = await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created.body.id }, body: { decision: 'approve' } }));
  expect(admission.status, admission.text).toBe(200);
  return created.body.id;
}

/** On L4 since today, as the review would have left it; the compliance check finds a breach → exit pending; decided. */
async function exitDecided(id: string): Promise<string> {
  const p = (await projects.getProject(id))!;
  const escalation = { level: 4, name: 'COMPLIANCE_CHECK', since: today(), trigger: { kind: 'start_overdue', item: 'GROUNDBREAKING.start_of_works', label: '开工', since: '2026-01-05' }, next: { step: 'EXIT_PENDING', dueDate: addCalendarDays(today(), 14) } };
  await transact(projects.replaceProject({ ...p, escalation, version: p.version + 1 } as never, p));
  const checked = await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: { checkedOn: today(), findings: [{ clause: '第七条 开工时限', finding: '未按期开工', breached: true }], summary: '违约' } }));
  expect(checked.status, checked.text).toBe(201);
  const decided = await call<{ exit: { execution: string } }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } }));
  expect(decided.status, decided.text).toBe(202);
  return decided.body.exit.execution;
}

describe('the exit release crashed between its groups', () => {
  it('is finished by the re-run, every holding back once, and exit.released names them all', async () => {
    const id = await admitted({ totalInvestmentCny: 300_000_000 });
    const year = Number(today().slice(0, 4));
    const quota = await call<{ id: string }>(create, apiEvent('POST /inventory/{kind}', { as: users.ecoOfficer, params: { kind: 'energy' }, body: { year, totalTce: 100 } }));
    expect(quota.status, quota.text).toBe(201);
    const held: string[] = [];
    for (const amount of [10, 20]) {
      const r = await call<{ id: string }>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.huitongParkCenter, params: { id }, body: { kind: 'energy', resourceId: quota.body.id, amount } }));
      expect(r.status, r.text).toBe(201);
      held.push(r.body.id);
    }
    const executionName = await exitDecided(id);
    await exitStep({ projectId: id, executionName, step: 'check' });

    // The process dies right after the first group committed (the first reservation back), before the rest.
    const inventoryTable = process.env.TABLE_INVENTORY!;
    const send = ddb.send.bind(ddb);
    let crashed = false;
    const spy = vi.spyOn(ddb, 'send').mockImplementation((async (command: { constructor: { name: string }; input: { TransactItems?: Record<string, { TableName?: string }>[] } }) => {
      const touchesInventory = command.constructor.name === 'TransactWriteCommand' && (command.input.TransactItems ?? []).some((i) => Object.values(i).some((op) => op?.TableName === inventoryTable));
      const out = await send(command as never);
      if (touchesInventory && !crashed) {
        crashed = true;
        throw Object.assign(new Error('simulated crash between the release groups'), { name: 'SimulatedCrash' });
      }
      return out;
    }) as never);
    try {
      await expect(exitStep({ projectId: id, executionName, step: 'release' })).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(crashed).toBe(true);
    const half = (await projects.getProject(id))!;
    expect(half.reservations?.map((r) => r.id).sort()).toEqual([...held].sort());
    expect((await call<{ allocated: number }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind: 'energy', id: quota.body.id } }))).body.allocated).toBeLessThan(30);

    // The re-run finishes it.
    await exitStep({ projectId: id, executionName, step: 'release' });
    const after = (await projects.getProject(id))!;
    expect(after.reservations ?? []).toEqual([]);
    expect([...after.exit!.released].sort()).toEqual([...held].sort());
    expect((await call<{ allocated: number; remaining: number }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind: 'energy', id: quota.body.id } }))).body).toMatchObject({ allocated: 0, remaining: 100 });
    const events = (await listAudit(`PROJECT#${id}`, 200)).items;
    expect(events.filter((e) => e.action === 'resource.released')).toHaveLength(2);
    const step = events.filter((e) => e.action === 'exit.released');
    expect(step).toHaveLength(1);
    // The step's record names what the exit gave back: both reservations, the one the crashed run released included.
    expect([...((step[0]!.after as { released: string[] }).released)].sort()).toEqual([...held].sort());
  });

  it('a parcel the half-done release gave back: GET neither lists it nor counts it toward the gate (the gate needs one again)', async () => {
    const id = await admitted({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG });
    const parcel = await call<{ id: string }>(create, apiEvent('POST /inventory/{kind}', { as: users.resourcesOfficer, params: { kind: 'parcels' }, body: { code: `EPR-${process.pid}`, park: PARK_HUITONG, areaM2: 20_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: null, landApproval: null, clearanceList: null, infrastructure: null } } }));
    expect(parcel.status, parcel.text).toBe(201);
    const held = await call<{ id: string }>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.huitongParkCenter, params: { id }, body: { kind: 'parcels', resourceId: parcel.body.id } }));
    expect(held.status, held.text).toBe(201);
    const shown = () => call<{ reservations: { id: string }[]; gate: { needs: { kind: string }[] } | null }>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }));
    const before = await shown();
    expect(before.body.gate, before.text).not.toBeNull();
    expect(before.body.gate!.needs.map((n) => n.kind)).not.toContain('parcels');
    // Being exited, its release gave the parcel back (its own record says released) and died before the project's write.
    const p = (await projects.getProject(id))!;
    const exit = { status: 'running', execution: `${id}-EXIT-1`, attempt: 1, decidedBy: users.committeeLeader.sub, decidedAt: new Date().toISOString(), reason: '违约', complianceCheck: 1, steps: {}, released: [], letter: null, failure: null, redrives: 0 };
    await transact(projects.replaceProject({ ...p, exit, version: p.version + 1 } as never, p));
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: `RESERVATION#${held.body.id}` }, UpdateExpression: 'SET #s = :r', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':r': 'released' } }));
    const after = await shown();
    expect(after.body.reservations).toEqual([]);
    expect(after.body.gate!.needs.map((n) => n.kind)).toContain('parcels');
  });
});

describe('the exit close crashed between its groups', () => {
  it('is finished by the re-run, and task.withdrawn names every task the exit withdrew, those of the crashed run too', async () => {
    const id = await admitted({ totalInvestmentCny: 300_000_000 });
    // More open work than one transaction takes beside the project's own write: 120 open follow-ups (the cap on open
    // items is 200), each withdrawn in a group of its own before the project's transaction.
    const p = (await projects.getProject(id))!;
    const followUp = (i: number) => ({
      id: `SIGNING.followup-${i}`, projectId: id, stage: 'SIGNING' as const, code: `followup-${i}`, kind: 'followup' as const, name: { zh: `会议议定事项${i}`, en: `Agreed item ${i}` },
      lead: 'investment_dept' as const, cooperating: [], handler: '', standard: '', limitWd: null, after: [], requiredForGate: false, status: 'open' as const,
      startedDate: today(), dueDate: addCalendarDays(today(), 30), yellowDate: null, light: 'green' as const, calendarProvisional: false, matrixVersion: 1, park: p.park, enterpriseId: p.investor.enterpriseId,
    });
    for (let i = 0; i < 120; i += 50) await transact(Array.from({ length: Math.min(50, 120 - i) }, (_, k) => insertTask(followUp(i + k))));
    const open = (await listTasks(id)).filter((t) => t.status === 'open').map((t) => t.id).sort();
    expect(open.length).toBeGreaterThanOrEqual(120);
    const executionName = await exitDecided(id);
    for (const step of ['check', 'release', 'letter'] as const) await exitStep({ projectId: id, executionName, step });

    // The process dies right after the first transaction of withdrawals committed, before the project's own.
    const send = ddb.send.bind(ddb);
    let crashed = false;
    const spy = vi.spyOn(ddb, 'send').mockImplementation((async (command: { constructor: { name: string } }) => {
      const out = await send(command as never);
      if (command.constructor.name === 'TransactWriteCommand' && !crashed) {
        crashed = true;
        throw Object.assign(new Error('simulated crash between the close groups'), { name: 'SimulatedCrash' });
      }
      return out;
    }) as never);
    try {
      await expect(exitStep({ projectId: id, executionName, step: 'close' })).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(crashed).toBe(true);
    const half = await listTasks(id);
    const withdrawnFirst = half.filter((t) => t.status === 'withdrawn').length;
    expect(withdrawnFirst).toBeGreaterThan(0);
    expect(withdrawnFirst).toBeLessThan(open.length);
    expect((await projects.getProject(id))!.status).toBe('ACTIVE');

    // The re-run finishes it: every task withdrawn, the project EXITED, and the timeline names each withdrawn task once.
    await exitStep({ projectId: id, executionName, step: 'close' });
    expect((await projects.getProject(id))!.status).toBe('EXITED');
    expect((await listTasks(id)).filter((t) => t.status === 'open')).toEqual([]);
    const events = (await listAudit(`PROJECT#${id}`, 300)).items.filter((e) => e.action === 'task.withdrawn');
    expect(events).toHaveLength(1);
    const named = (events[0]!.after as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId).sort();
    expect(named).toEqual(open);
    const completed = (await listAudit(`PROJECT#${id}`, 300)).items.filter((e) => e.action === 'exit.completed');
    expect(completed).toHaveLength(1);
  });
});

describe('the fund once an exit is decided', () => {
  it('records a payment dated up to the decision day (Shanghai), refuses a later one, and the release gives back the rest', async () => {
    const id = await admitted({ totalInvestmentCny: 300_000_000 });
    const year = Number(today().slice(0, 4));
    const allocated = await call<{ id: string }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id }, body: { bucket: 'relic_survey', amountCny: 1000, purpose: '文物勘探' } }));
    expect(allocated.status, allocated.text).toBe(201);
    const aid = allocated.body.id;
    const executionName = await exitDecided(id);

    // Told as if allocated four days ago and decided at 00:30 Shanghai two days ago — the UTC day before that.
    const decidedOn = addCalendarDays(today(), -2);
    const decidedAt = new Date(Date.parse(`${decidedOn}T00:30:00+08:00`)).toISOString();
    expect(decidedAt.slice(0, 10)).toBe(addCalendarDays(decidedOn, -1));
    const allocatedAt = new Date(Date.parse(`${addCalendarDays(today(), -4)}T10:00:00+08:00`)).toISOString();
    const q = (await projects.getProject(id))!;
    await transact(projects.replaceProject({ ...q, exit: { ...q.exit!, decidedAt }, version: q.version + 1 } as never, q));
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: `FUNDALLOC#${aid}` }, UpdateExpression: 'SET createdAt = :c', ExpressionAttributeValues: { ':c': allocatedAt } }));

    const spend = (body: Record<string, unknown>) => call<{ spentCny: number; errors?: { path: string }[] }>(recordSpending, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.committeeLeader, params: { id, aid }, body: { note: '勘探费', ...body } }));
    // Paid on the decision day and the day before: recorded late.
    expect((await spend({ amountCny: 100, spentOn: decidedOn })).status).toBe(201);
    expect((await spend({ amountCny: 50, spentOn: addCalendarDays(decidedOn, -1) })).status).toBe(201);
    // Paid the day after, or today (left out): 409 naming spentOn, nothing written.
    const storedBefore = await getAllocation(id, aid);
    for (const body of [{ amountCny: 10, spentOn: addCalendarDays(decidedOn, 1) }, { amountCny: 10 }]) {
      const refused = await spend(body);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.errors?.map((e) => e.path)).toEqual(['spentOn']);
    }
    expect(await getAllocation(id, aid)).toEqual(storedBefore);
    expect(storedBefore!.spentCny).toBe(150);

    // The release step gives the bucket back what is unspent: 1000 − 150.
    await exitStep({ projectId: id, executionName: executionName, step: 'check' });
    await exitStep({ projectId: id, executionName: executionName, step: 'release' });
    const released = await getAllocation(id, aid);
    expect(released).toMatchObject({ status: 'released', spentCny: 150, released: { returnedCny: 850 } });
    const funds = await call<{ buckets: { code: string; allocatedCny: number; spentCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.committeeLeader, params: { year: String(year) } }));
    expect(funds.body.buckets.find((b) => b.code === 'relic_survey')).toMatchObject({ allocatedCny: 150, spentCny: 150 });
    // And once released, nothing more is recorded against it, whatever its date.
    expect((await spend({ amountCny: 1, spentOn: decidedOn })).status).toBe(409);
  });
});
