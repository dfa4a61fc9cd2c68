// The fund during an exit 退出程序: from the decision on, a payment dated up to the day it was decided (Asia/Shanghai,
// though decidedAt is UTC) is still recorded late, one dated after it is refused (409 naming spentOn, nothing written),
// and the exit's release step gives the bucket back what was left unspent after those late records.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { startOnWorkday } from '../support/workday-clock.ts';

const store = isolatedStore('exitfund');
startOnWorkday();
registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: recordSpending } = await import('../../functions/inventory/http/record-spending.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: check } = await import('../../functions/supervision/http/record-compliance-check.ts');
const { handler: decideExit } = await import('../../functions/supervision/http/decide-exit.ts');
const { handler: exitStep } = await import('../../functions/supervision/steps/exit-step.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const projects = await import('../../functions/projects/store/projects.ts');
const { getAllocation } = await import('../../functions/inventory/store/allocations.ts');
const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { clock } = await import('../../functions/kernel/runtime/clock.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => {
  delete process.env.ZONEFLOW_CLOCK_START;
  return store.destroy();
});

const today = () => shanghaiDate(clock.now());

describe('the fund once an exit is decided', () => {
  it('records a payment dated up to the decision day (Shanghai), refuses a later one, and the release gives back the rest', async () => {
    const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000 }) }));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id }, body: { decision: 'approve' } }));
    const year = Number(today().slice(0, 4));
    const allocated = await call<{ id: string }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id }, body: { bucket: 'relic_survey', amountCny: 1000, purpose: '文物勘探' } }));
    expect(allocated.status, allocated.text).toBe(201);
    const aid = allocated.body.id;
    // On L4, a breach found → exit pending; the exit decided.
    const p = (await projects.getProject(id))!;
    const escalation = { level: 4, name: 'COMPLIANCE_CHECK', since: today(), trigger: { kind: 'start_overdue', item: 'GROUNDBREAKING.start_of_works', label: '开工', since: '2026-01-05' }, next: { step: 'EXIT_PENDING', dueDate: addCalendarDays(today(), 14) } };
    await transact(projects.replaceProject({ ...p, escalation, version: p.version + 1 } as never, p));
    const checked = await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: { checkedOn: today(), findings: [{ clause: '第七条 开工时限', finding: '未按期开工', breached: true }], summary: '违约' } }));
    expect(checked.status, checked.text).toBe(201);
    const decided = await call<{ exit: { execution: string } }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } }));
    expect(decided.status, decided.text).toBe(202);

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
    await exitStep({ projectId: id, executionName: decided.body.exit.execution, step: 'check' });
    await exitStep({ projectId: id, executionName: decided.body.exit.execution, step: 'release' });
    const released = await getAllocation(id, aid);
    expect(released).toMatchObject({ status: 'released', spentCny: 150, released: { returnedCny: 850 } });
    const funds = await call<{ buckets: { code: string; allocatedCny: number; spentCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.committeeLeader, params: { year: String(year) } }));
    expect(funds.body.buckets.find((b) => b.code === 'relic_survey')).toMatchObject({ allocatedCny: 150, spentCny: 150 });
    // And once released, nothing more is recorded against it, whatever its date.
    expect((await spend({ amountCny: 1, spentOn: decidedOn })).status).toBe(409);
  });
});
