// Allocations and reservations racing other changes of the same project: a batch job sending many of them to one
// project at once has done nothing wrong — each moves the project's version, so each round only one wins, and the
// others are decided again on the project as it now stands (within the request's time), not refused with a 409 to retry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('holding-race');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: listAllocations } = await import('../../functions/inventory/http/list-allocations.ts');
const { handler: reserve } = await import('../../functions/inventory/http/reserve-resource.ts');
const { handler: getResource } = await import('../../functions/inventory/http/get-resource.ts');
const { handler: createResource } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: recordSpending } = await import('../../functions/inventory/http/record-spending.ts');
const { handler: releaseAllocation } = await import('../../functions/inventory/http/release-allocation.ts');
const { handler: releaseReservation } = await import('../../functions/inventory/http/release-reservation.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { projectKey } = await import('../../functions/projects/store/projects.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
const { clock } = await import('../../functions/kernel/runtime/clock.ts');

const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Funds = { buckets: { code: string; allocatedCny: number; spentCny: number; remainingCny: number }[] };
const bucket = async (code: string) =>
  (await call<Funds>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(thisYear) } }))).body.buckets.find((b) => b.code === code)!;

/**
 * Another change of the project commits between the read and the write of the first `times` transactions that write an
 * item of `entity` (the others of a batch, each winning a round): each of those writes finds the version moved.
 */
function losingRaces(projectId: string, entity: string, times: number, meanwhile?: () => void): { lost: () => number; restore: () => void } {
  const table = process.env.TABLE_PROJECTS!;
  const send = ddb.send.bind(ddb);
  let lost = 0;
  const spy = vi.spyOn(ddb, 'send').mockImplementation((async (command: { constructor: { name: string }; input: { TransactItems?: { Put?: { Item?: { entity?: string } } }[] } }) => {
    const writing = command.constructor.name === 'TransactWriteCommand' && (command.input.TransactItems ?? []).some((i) => i.Put?.Item?.entity === entity);
    if (writing && lost < times) {
      lost += 1;
      meanwhile?.();
      await send(new UpdateCommand({ TableName: table, Key: projectKey(projectId), UpdateExpression: 'SET #v = #v + :one', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':one': 1 } }) as never);
    }
    return send(command as never);
  }) as never);
  return { lost: () => lost, restore: () => spy.mockRestore() };
}

/**
 * `fn` with the retries' jittered backoff at its least (Math.random 0: each lost round tried again at once). The rounds
 * here are lost on purpose, one after another, so the wait between them proves nothing but that the request's time holds
 * them — which the quota reservation's case shows with the real backoff (29 lost rounds, about 6 s of waits, within the
 * request's 25 s); the other cases decide the same 29 rounds without sleeping through them (about 6 s each).
 */
async function atOnce<T>(fn: () => Promise<T>): Promise<T> {
  const random = vi.spyOn(Math, 'random').mockReturnValue(0);
  try {
    return await fn();
  } finally {
    random.mockRestore();
  }
}

describe('a quota reservation racing other changes of its project', () => {
  it('is decided again as often as 29 others sent with it can win first, and commits once; so is its release', async () => {
    const quota = await call<{ id: string }>(createResource, apiEvent('POST /inventory/{kind}', { as: users.ecoOfficer, params: { kind: 'energy' }, body: { year: thisYear + 3, totalTce: 900 } }));
    expect(quota.status, quota.text).toBe(201);
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    const races = losingRaces(prj.body.id, 'reservation', 29);
    let made;
    try {
      made = await call<{ id: string }>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.resourcesOfficer, params: { id: prj.body.id }, body: { kind: 'energy', resourceId: quota.body.id, amount: 40 } }));
    } finally {
      races.restore();
    }
    expect(races.lost()).toBe(29);
    expect(made.status, made.text).toBe(201);
    expect((await store.storedProject(prj.body.id))?.reservations).toEqual([expect.objectContaining({ id: made.body.id, amount: 40 })]);
    // Drawn once from the quota.
    const read = await call<{ allocated: number; remaining: number }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.ecoOfficer, params: { kind: 'energy', id: quota.body.id } }));
    expect(read.body).toMatchObject({ allocated: 40, remaining: 860 });

    // Its release, racing as many: given back once.
    const releaseRaces = losingRaces(prj.body.id, 'reservation', 29);
    let released;
    try {
      released = await atOnce(() => call(releaseReservation, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: prj.body.id, rid: made.body.id }, query: { reason: '批量释放' } })));
    } finally {
      releaseRaces.restore();
    }
    expect(releaseRaces.lost()).toBe(29);
    expect(released.status, released.text).toBe(200);
    const back = await call<{ allocated: number; remaining: number }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.ecoOfficer, params: { kind: 'energy', id: quota.body.id } }));
    expect(back.body).toMatchObject({ allocated: 0, remaining: 900 });
    expect((await store.storedProject(prj.body.id))?.reservations).toEqual([]);
  }, 60_000);
});

describe('an allocation racing other changes of its project', () => {
  it('is decided again as often as 29 others sent with it can win first, and commits once', async () => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    expect(prj.status, prj.text).toBe(201);
    const races = losingRaces(prj.body.id, 'fund-allocation', 29);
    let made;
    try {
      made = await atOnce(() => call<{ id: string; amountCny: number }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'infrastructure', amountCny: 1_000, purpose: '批量下达' } })));
    } finally {
      races.restore();
    }
    expect(races.lost()).toBe(29);
    expect(made.status, made.text).toBe(201);
    // Drawn once: the bucket, the project's holdings and the allocation records agree.
    expect(await bucket('infrastructure')).toMatchObject({ allocatedCny: 1_000, remainingCny: 4_999_000 });
    const listed = await call<{ items: { id: string }[] }>(listAllocations, apiEvent('GET /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id } }));
    expect(listed.body.items.map((a) => a.id)).toEqual([made.body.id]);
    expect((await store.storedProject(prj.body.id))?.fundAllocations).toEqual([expect.objectContaining({ id: made.body.id, amountCny: 1_000 })]);
  }, 60_000);
});

describe('spending and a release racing other changes of their project', () => {
  it('are each decided again as often as 29 others sent with them can win first, and commit once', async () => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    const made = await call<{ id: string }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 10_000, purpose: '批量支出' } }));
    expect(made.status, made.text).toBe(201);
    const params = { id: prj.body.id, aid: made.body.id };
    const spentRaces = losingRaces(prj.body.id, 'fund-allocation', 29);
    let spent;
    try {
      spent = await atOnce(() => call<{ spentCny: number }>(recordSpending, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.committeeLeader, params, body: { amountCny: 400, note: '勘探费' } })));
    } finally {
      spentRaces.restore();
    }
    expect(spentRaces.lost()).toBe(29);
    expect(spent.status, spent.text).toBe(201);
    expect(spent.body.spentCny).toBe(400);
    const releaseRaces = losingRaces(prj.body.id, 'fund-allocation', 29);
    let released;
    try {
      released = await atOnce(() => call(releaseAllocation, apiEvent('DELETE /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params, query: { reason: '批量释放' } })));
    } finally {
      releaseRaces.restore();
    }
    expect(releaseRaces.lost()).toBe(29);
    expect(released.status, released.text).toBe(200);
    // Spent once, given back once: 400 stays drawn and spent.
    expect(await bucket('clearance')).toMatchObject({ allocatedCny: 400, spentCny: 400 });
    expect((await store.storedProject(prj.body.id))?.fundAllocations).toEqual([]);
  }, 60_000);
});

describe('an allocation racing the close of its year', () => {
  // Decided at 23:59:59.5 on 31 December (Shanghai), its race lost, decided again at 00:00:00.5: on the year now open.
  const crossing = async (body: Record<string, unknown>) => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    let crossed = false;
    const clockSpy = vi.spyOn(clock, 'now').mockImplementation(() => new Date(crossed ? '2030-12-31T16:00:00.500Z' : '2030-12-31T15:59:59.500Z'));
    const races = losingRaces(prj.body.id, 'fund-allocation', 1, () => (crossed = true));
    try {
      const made = await call<{ id: string; year: number }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'relic_survey', amountCny: 1_000, purpose: '跨年', ...body } }));
      expect(races.lost()).toBe(1);
      const closed = (await call<{ open: boolean; buckets: unknown[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: '2030' } }))).body;
      return { made, closed, held: (await store.storedProject(prj.body.id))?.fundAllocations };
    } finally {
      races.restore();
      clockSpy.mockRestore();
    }
  };

  it('sent with no year, draws on the new year: not on the one closed meanwhile', async () => {
    const { made, closed, held } = await crossing({});
    expect(made.status, made.text).toBe(201);
    expect(made.body.year).toBe(2031);
    expect(closed).toMatchObject({ open: false, buckets: [] });
    expect(held).toEqual([expect.objectContaining({ id: made.body.id, year: 2031 })]);
  }, 60_000);

  it('naming the year that closed meanwhile, is refused on year (400), nothing written', async () => {
    const { made, closed, held } = await crossing({ year: 2030 });
    expectProblem(made, 400, ['year']);
    expect(closed).toMatchObject({ open: false, buckets: [] });
    expect(held ?? []).toEqual([]);
  }, 60_000);
});
