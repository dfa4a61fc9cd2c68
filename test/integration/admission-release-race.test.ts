// A rejected admission gives back what the project held — in the transaction that rejects it whenever they fit in one,
// and never on a project that moved on meanwhile. Released first in transactions of their own, the holdings were given
// back even when the rejection then lost its race: another official of the department approving the project at the
// same moment (the rejection, decided again, is then a 409) or the process dying before the project's own write left an
// ACTIVE (or still pending) project listing reservations and allocations that were back in the inventory — its parcel
// free for another project, its phantom reservation satisfying the gates, and never to be released (409 "released
// already") nor reserved again (409 "already holds").
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { beforeTransaction, conflictAtTransaction, dieAtTransaction } from '../support/transaction-hook.ts';
import { apiEvent, call, PARK_HUITONG, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('admission-release-race');
registerFakeWorkflow();
const { handler: create } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: getResource } = await import('../../functions/inventory/http/get-resource.ts');
const { handler: reserve } = await import('../../functions/inventory/http/reserve-resource.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: getAllocation } = await import('../../functions/inventory/http/get-allocation.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: listReservations } = await import('../../functions/inventory/http/list-reservations.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { listAudit } = await import('../../functions/kernel/store/audit.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Rec = Record<string, unknown> & { id: string };
let serial = 0;
const ok = <T>(reply: { status: number; text: string; body: T }, status = 201) => {
  expect(reply.status, reply.text).toBe(status);
  return reply.body;
};
const addParcel = async () =>
  ok(await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.resourcesOfficer, params: { kind: 'parcels' }, body: { code: `ARR-${process.pid}-${++serial}`, park: PARK_HUITONG, areaM2: 20_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: null, landApproval: null, clearanceList: null, infrastructure: null } } })));
const addEnergy = async (year: number) => ok(await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.ecoOfficer, params: { kind: 'energy' }, body: { year, totalTce: 100 } })));
const reserveFor = async (projectId: string, body: Record<string, unknown>) => ok(await call<Rec>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.resourcesOfficer, params: { id: projectId }, body })));
const resource = async (kind: string, id: string) => (await call<Rec & { status: string; heldBy: { projectId: string } | null; allocated?: number }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind, id } }))).body;
const project = async (id: string) => (await call<Rec & { status: string; reservations: { id: string }[]; fundAllocations: { id: string }[] }>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }))).body;
const decide = (id: string, decision: 'approve' | 'reject', as: User = users.investmentOfficer) =>
  call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as, params: { id }, body: { decision, reason: decision === 'reject' ? '不符合产业定位' : '符合' } }));

/** Runs `meanwhile` once, just before the first transaction whose items mention `marker` is sent (then sends it). */
const before = (marker: string, meanwhile: () => Promise<unknown>) => beforeTransaction(ddb, marker, meanwhile);

/** Runs `body`, counting the BatchGetItem calls that read the project's holdings (its reservations, its allocations). */
async function holdingsReads<T>(projectId: string, body: () => Promise<T>): Promise<{ result: T; reads: number }> {
  let reads = 0;
  const name = `count-holdings-reads-${++serial}`;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const keys = JSON.stringify((args as { input: unknown }).input);
      if (String(context.commandName).startsWith('BatchGet') && keys.includes(`PROJECT#${projectId}`) && /RESERVATION#|FUNDALLOC#/.test(keys)) reads += 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    return { result: await body(), reads };
  } finally {
    ddb.middlewareStack.remove(name);
  }
}

/** A project pending admission that holds a parcel, an energy amount and a fund allocation. */
async function holdingProject(year: number) {
  const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
  const parcel = await addParcel();
  const quota = await addEnergy(year);
  await reserveFor(prj.id, { kind: 'parcels', resourceId: parcel.id });
  await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount: 10 });
  const allocation = ok(await call<Rec>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id: prj.id }, body: { bucket: 'clearance', amountCny: 100_000, purpose: '进地清单' } })));
  return { prj, parcel, quota, allocation };
}

async function expectHoldsAll(h: Awaited<ReturnType<typeof holdingProject>>, status: string) {
  const p = await project(h.prj.id);
  expect(p.status).toBe(status);
  expect(p.reservations).toHaveLength(2);
  expect(p.fundAllocations).toHaveLength(1);
  expect(await resource('parcels', h.parcel.id)).toMatchObject({ status: 'reserved', heldBy: { projectId: h.prj.id } });
  expect(await resource('energy', h.quota.id)).toMatchObject({ allocated: 10 });
  const a = await call<Rec>(getAllocation, apiEvent('GET /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params: { id: h.prj.id, aid: h.allocation.id } }));
  expect(a.body).toMatchObject({ status: 'allocated' });
}

describe('a rejection and what the project holds', () => {
  it('another official approving at the same moment: the approval stands and the project keeps everything it holds', async () => {
    const h = await holdingProject(2061);
    let approved: Awaited<ReturnType<typeof decide>> | undefined;
    // The rejection has read the project and decided what to give back: the approval commits then.
    const remove = before('RESERVATION#', async () => (approved = await decide(h.prj.id, 'approve', users.investmentOfficer2)));
    let rejected;
    try {
      rejected = await decide(h.prj.id, 'reject');
    } finally {
      remove();
    }
    expect(approved?.status, approved?.text).toBe(200);
    expectProblem(rejected, 409);
    await expectHoldsAll(h, 'ACTIVE');
  });

  it('the process dying at the rejection\'s write gives nothing back: the project pending with all it holds', async () => {
    const h = await holdingProject(2062);
    // The write that rejects the project fails outright (the process gone): what was committed before it stays.
    const revive = dieAtTransaction(ddb, 'REJECTED', 1);
    try {
      expect((await decide(h.prj.id, 'reject')).status).toBe(500);
    } finally {
      revive();
    }
    await expectHoldsAll(h, 'PENDING_ADMISSION');
    // Sent again, the rejection gives everything back.
    expect(ok(await decide(h.prj.id, 'reject'), 200)).toMatchObject({ status: 'REJECTED', reservations: [], fundAllocations: [] });
    expect(await resource('parcels', h.parcel.id)).toMatchObject({ status: 'available', heldBy: null });
    expect(await resource('energy', h.quota.id)).toMatchObject({ allocated: 0 });
  });

  it('holdings that take several transactions (amounts of one quota) are not given back once the project moved on before the first', async () => {
    const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
    const quota = await addEnergy(2063);
    for (const amount of [10, 20, 30]) await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount });
    let approved: Awaited<ReturnType<typeof decide>> | undefined;
    const remove = before('RESERVATION#', async () => (approved = await decide(prj.id, 'approve', users.investmentOfficer2)));
    let rejected;
    try {
      rejected = await decide(prj.id, 'reject');
    } finally {
      remove();
    }
    expect(approved?.status, approved?.text).toBe(200);
    expectProblem(rejected, 409);
    expect((await project(prj.id)).reservations).toHaveLength(3);
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 60 });
  });

  /**
   * A pending project holding three amounts of one energy quota (of `year`), each given back in a transaction of its
   * own (one write of the quota each), whose rejection died at the second: the first amount is back, two are not.
   */
  async function halfRejected(year: number) {
    const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
    const quota = await addEnergy(year);
    for (const amount of [10, 20, 30]) await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount });
    const revive = dieAtTransaction(ddb, 'RESERVATION#', 2);
    try {
      expect((await decide(prj.id, 'reject')).status).toBe(500);
    } finally {
      revive();
    }
    return { prj, quota };
  }

  it('a rejection that died between its transactions is sent again, not overruled: an approval of the half-released project is a 409', async () => {
    const { prj, quota } = await halfRejected(2064);
    // The first amount is back; the project, still pending, shows as held only the two not given back — its record
    // lists all three until the rejection is sent again, the reservations' own records say which is released.
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 50 });
    const listed = (await project(prj.id)).reservations as { id: string; amount: number; status: string }[];
    expect(listed.map((r) => [r.amount, r.status])).toEqual([[20, 'reserved'], [30, 'reserved']]);
    const own = (await call<{ items: { id: string; amount: number; status: string }[] }>(listReservations, apiEvent('GET /projects/{id}/reservations', { as: users.committeeLeader, params: { id: prj.id } }))).body.items;
    expect(own.map((r) => [r.amount, r.status])).toEqual([[10, 'released'], [20, 'reserved'], [30, 'reserved']]);
    // A write that answers with the project shows what GET shows: not the amount given back.
    const { version } = (await project(prj.id)) as unknown as { version: number };
    const patched = await call<{ reservations: { amount: number; status: string }[] }>(updateProject, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id: prj.id }, headers: { 'if-match': `"${version}"` }, body: { name: '半途退还的项目' } }));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.reservations.map((r) => [r.amount, r.status])).toEqual([[20, 'reserved'], [30, 'reserved']]);
    const approval = expectProblem(await decide(prj.id, 'approve', users.investmentOfficer2), 409);
    expect(approval.detail).toContain('reject');
    expect((await project(prj.id)).status).toBe('PENDING_ADMISSION');
    // Sent again, the rejection gives back the rest, each amount once.
    expect(ok(await decide(prj.id, 'reject'), 200)).toMatchObject({ status: 'REJECTED', reservations: [] });
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 0, remaining: 100 });
    // Its record names every holding the rejection gave back — the amount the run that died gave back too — and each
    // holding's own event is on the timeline once.
    const events = (await listAudit(`PROJECT#${prj.id}`, 100)).items;
    const rejected = events.filter((e) => e.action === 'admission.reject');
    expect(rejected).toHaveLength(1);
    expect([...(rejected[0]!.after as { released: string[] }).released].sort()).toEqual(own.map((r) => r.id).sort());
    expect(events.filter((e) => e.action === 'resource.released')).toHaveLength(3);
  });

  it('a write of a half-released project whose answer does not show it reads none of its holdings; one that shows it reads them once', async () => {
    const { prj, quota } = await halfRejected(2067);
    // A reservation answers with the reservation, not the project: nothing of what the project lists is read for it.
    const reserved = await holdingsReads(prj.id, () => reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount: 5 }));
    expect(reserved.result).toMatchObject({ amount: 5, status: 'reserved' });
    expect(reserved.reads).toBe(0);
    // A PATCH answers with the project: its holdings are read (once), and the amount given back is still not shown.
    const { version } = (await project(prj.id)) as unknown as { version: number };
    const patched = await holdingsReads(prj.id, () =>
      call<{ reservations: { amount: number }[] }>(updateProject, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id: prj.id }, headers: { 'if-match': `"${version}"` }, body: { name: '半途退还的项目' } })),
    );
    expect(patched.result.status, patched.result.text).toBe(200);
    expect(patched.result.body.reservations.map((r) => r.amount)).toEqual([20, 30, 5]);
    expect(patched.reads).toBe(1);
  });

  it('an approval that read the holdings before the rejection\'s first transaction and commits after it is a 409, not an ACTIVE project listing a released one', async () => {
    const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
    const quota = await addEnergy(2065);
    for (const amount of [10, 20, 30]) await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount });
    // The approval has read the project and its reservations (all held) and is about to commit: the rejection runs then,
    // gives the first amount back in a transaction of its own and dies at its second (the project still at the version
    // the approval read).
    let rejected: Awaited<ReturnType<typeof decide>> | undefined;
    const remove = before('admission.approve', async () => {
      const revive = dieAtTransaction(ddb, 'RESERVATION#', 2);
      try {
        rejected = await decide(prj.id, 'reject');
      } finally {
        revive();
      }
    });
    let approved;
    try {
      approved = await decide(prj.id, 'approve', users.investmentOfficer2);
    } finally {
      remove();
    }
    expect(rejected?.status, rejected?.text).toBe(500);
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 50 });
    const refusal = expectProblem(approved, 409);
    expect(refusal.detail).toContain('reject');
    const p = await project(prj.id);
    expect(p.status).toBe('PENDING_ADMISSION');
    // Shown as held: the two amounts not given back.
    expect(p.reservations).toHaveLength(2);
    expect(ok(await decide(prj.id, 'reject'), 200)).toMatchObject({ status: 'REJECTED', reservations: [] });
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 0, remaining: 100 });
  });

  it('a rejection that keeps meeting another change between its transactions answers 409 saying part was written; the same request sent again finishes it, once', async () => {
    const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
    const quota = await addEnergy(2068);
    for (const amount of [10, 20, 30]) await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount });
    const reject = () =>
      call<Rec & { outcome?: string; errors?: unknown }>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: prj.id }, headers: { 'idempotency-key': `reject-${prj.id}` }, body: { decision: 'reject', reason: '不符合产业定位' } }));
    // Each amount is given back in a transaction of its own (one write of the quota each): the second meets another
    // transaction in flight on every attempt, after the first committed.
    const removed = conflictAtTransaction(ddb, 'RESERVATION#', 2);
    let first;
    try {
      first = await reject();
    } finally {
      removed();
    }
    // A lost race (its type, no errors, Retry-After) — which says that part of the change was written, each part whole.
    const problem = expectProblem(first, 409);
    expect(problem.type).toBe('https://zoneflow.dev/problems/concurrent-change');
    expect(problem.errors).toBeUndefined();
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body.outcome).toBe('partial');
    expect(problem.detail).toMatch(/part of this change was written/);
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 50 });
    expect((await project(prj.id)).status).toBe('PENDING_ADMISSION');
    // Sent again as it was (the same Idempotency-Key: the 409 stored nothing), it gives back the rest and rejects.
    const finished = await reject();
    expect(finished.status, finished.text).toBe(200);
    expect(finished.body).toMatchObject({ status: 'REJECTED', reservations: [] });
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 0, remaining: 100 });
    // Sent once more: the answer of the rejection that finished, nothing given back twice.
    const replayed = await reject();
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(finished.body);
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 0, remaining: 100 });
    const own = (await call<{ items: { amount: number; status: string }[] }>(listReservations, apiEvent('GET /projects/{id}/reservations', { as: users.committeeLeader, params: { id: prj.id } }))).body.items;
    expect(own.map((r) => [r.amount, r.status])).toEqual([[10, 'released'], [20, 'released'], [30, 'released']]);
  });

  it('a listed holding with no stored record (none to give back) does not refuse the approval', async () => {
    const prj = ok(await call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', park: PARK_HUITONG }) })));
    const quota = await addEnergy(2066);
    const held = await reserveFor(prj.id, { kind: 'energy', resourceId: quota.id, amount: 10 });
    await ddb.send(new DeleteCommand({ TableName: process.env.TABLE_PROJECTS!, Key: { pk: `PROJECT#${prj.id}`, sk: `RESERVATION#${held.id}` } }));
    expect(ok(await decide(prj.id, 'approve', users.investmentOfficer2), 200)).toMatchObject({ status: 'ACTIVE' });
  });
});
