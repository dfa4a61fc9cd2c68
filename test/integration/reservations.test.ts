// Reservations 预留 and the pre-work fund 前期保障经费 over the real handlers and DynamoDB Local: a parcel or facility
// held by at most one project, quotas and fund buckets never overdrawn — under 50 parallel requests too — each
// reservation committed with the inventory change, the project and both audit events; released with history; the
// reuse notice to the SIGNING projects a released resource fits; a rejected admission gives everything back.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../functions/kernel/domain/dates.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { facilityBody } from '../support/inventory.ts';
import { beforeTransaction } from '../support/transaction-hook.ts';

const store = isolatedStore('reservations');
registerFakeWorkflow();
const { handler: create } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: getResource } = await import('../../functions/inventory/http/get-resource.ts');
const { handler: updateResource } = await import('../../functions/inventory/http/update-resource.ts');
const { handler: reserve } = await import('../../functions/inventory/http/reserve-resource.ts');
const { handler: release } = await import('../../functions/inventory/http/release-reservation.ts');
const { handler: listReservations } = await import('../../functions/inventory/http/list-reservations.ts');
const { handler: getReservation } = await import('../../functions/inventory/http/get-reservation.ts');
const { handler: getAllocation } = await import('../../functions/inventory/http/get-allocation.ts');
const { handler: listAllocations } = await import('../../functions/inventory/http/list-allocations.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: matchResources } = await import('../../functions/inventory/http/match-resources.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: spend } = await import('../../functions/inventory/http/record-spending.ts');
const { handler: releaseAllocation } = await import('../../functions/inventory/http/release-allocation.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { publishTestConfig, seedConfig } = await import('../support/config.ts');
const { DEFAULT_FUNDS_CONFIG } = await import('../../functions/inventory/domain/fund.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
  // Each fund test draws on a budget year of its own (2043, 2044, …), fresh whatever the others drew: open them all.
  await publishTestConfig('funds', { ...DEFAULT_FUNDS_CONFIG, yearsAhead: 30 }, 'fund years for the tests');
});
afterAll(() => store.destroy());

type Rec = Record<string, unknown> & { id: string; version: number; status: string };
let serial = 0;
const code = (p: string) => `${p}-${process.pid}-${++serial}`;

const addParcel = async (over: Record<string, unknown> = {}) => {
  const reply = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.resourcesOfficer, params: { kind: 'parcels' }, body: { code: code('P'), park: PARK_HUITONG, areaM2: 60_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: '2026-01-01', landApproval: '2026-01-02', clearanceList: '2026-01-03', infrastructure: '2026-01-04' }, ...over } }));
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
};
const addEnergy = async (year: number, totalTce: number) => {
  const reply = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.ecoOfficer, params: { kind: 'energy' }, body: { year, totalTce } }));
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
};
const newProject = async (over: Record<string, unknown> = {}) => {
  const reply = await call<Rec & { park: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, siteMode: 'land', ...over }) }));
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
};
const reserveAs = (projectId: string, body: Record<string, unknown>, as: User = users.huitongParkCenter) =>
  call<Rec & { resourceId: string; amount: number }>(reserve, apiEvent('POST /projects/{id}/reservations', { as, params: { id: projectId }, body }));
const resource = async (kind: string, id: string) => (await call<Rec & { heldBy: { projectId: string } | null; remaining?: number; allocated?: number; history: { action: string }[] }>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind, id } }))).body;
const project = async (id: string) => (await call<Rec & { reservations: { id: string; status: string }[]; fundAllocations: { id: string }[] }>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }))).body;

describe('reserving a parcel', () => {
  it('holds it for one project in one transaction with the project, the reservation and both histories', async () => {
    const p = await addParcel();
    const prj = await newProject();
    const reply = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id, note: '预选址确认' });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({ kind: 'parcels', resourceId: p.id, amount: 60_000, status: 'reserved', note: '预选址确认' });
    expect(await resource('parcels', p.id)).toMatchObject({ status: 'reserved', heldBy: { projectId: prj.id } });
    // The note is the reservation's own, read back with it (not only in the audit).
    const listed = await call<{ items: Rec[] }>(listReservations, apiEvent('GET /projects/{id}/reservations', { as: users.committeeLeader, params: { id: prj.id } }));
    expect(listed.body.items).toEqual([expect.objectContaining({ id: reply.body.id, note: '预选址确认' })]);
    expect((await project(prj.id)).reservations).toEqual([expect.objectContaining({ id: reply.body.id, kind: 'parcels', resourceId: p.id, status: 'reserved' })]);
    expect((await store.audit(`PROJECT#${prj.id}`)).map((e) => e.action)).toContain('resource.reserved');
    expect((await resource('parcels', p.id)).history.map((h) => h.action)).toEqual(['inventory.created', 'resource.reserved']);
    // Every event names its record as the zone does (the parcel's code), not only its creation; the project's, the project.
    const parcelCode = (p.code as string);
    expect((await store.audit(`RESOURCE#${p.id}`)).map((e) => [e.action, e.subjectName])).toEqual([['inventory.created', parcelCode], ['resource.reserved', parcelCode]]);
    expect(new Set((await store.audit(`PROJECT#${prj.id}`)).map((e) => e.subjectName))).toEqual(new Set([prj.name]));
  });

  it('a parcel not confirmed for its period is reserved with a warning saying so, and its match says so too', async () => {
    const p = await addParcel();
    const prj = await newProject();
    // Flagged stale by the refresh duty (its keeper has not confirmed it this period).
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_INVENTORY, Key: { pk: 'KIND#parcels', sk: p.id }, UpdateExpression: 'SET staleSince = :d', ExpressionAttributeValues: { ':d': '2026-01-01' } }));
    const matches = await call<{ items: { resourceId: string; stale: boolean; reasons: string[] }[] }>(matchResources, apiEvent('GET /projects/{id}/matches', { as: users.committeeLeader, params: { id: prj.id }, query: { kind: 'parcels', limit: '100' } }));
    expect(matches.status, matches.text).toBe(200);
    const match = matches.body.items.find((m) => m.resourceId === p.id)!;
    expect(match.stale).toBe(true);
    expect(match.reasons.at(-1)).toMatch(/^信息待核实/);
    const reply = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id });
    expect(reply.status, reply.text).toBe(201);
    expect((reply.body as unknown as { warnings: string[] }).warnings).toEqual([`${p.code as string} has not been confirmed for its period (stale since 2026-01-01): check with its keeper that it is still as stated`]);
    // A confirmed one carries none.
    const fresh = await reserveAs((await newProject()).id, { kind: 'parcels', resourceId: (await addParcel()).id });
    expect(fresh.body).not.toHaveProperty('warnings');
  });

  it('a new reservation\'s Location is the reservation itself: read by staff who may read the project, 404 for an id the project does not have', async () => {
    const p = await addParcel();
    const prj = await newProject();
    const other = await newProject();
    const reply = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.headers.location).toBe(`/projects/${prj.id}/reservations/${reply.body.id}`);
    const read = async (id: string, rid: string, as: User = users.committeeLeader) => call<Rec>(getReservation, apiEvent('GET /projects/{id}/reservations/{rid}', { as, params: { id, rid } }));
    const got = await read(prj.id, reply.body.id);
    expect(got.status, got.text).toBe(200);
    expect(got.body).toEqual(reply.body);
    // The project's ETag, as the reservation's answer gave it: a release may be sent with it.
    expect(got.headers.etag).toBe(reply.headers.etag);
    expect((await call(listReservations, apiEvent('GET /projects/{id}/reservations', { as: users.committeeLeader, params: { id: prj.id } }))).headers.etag).toBe(reply.headers.etag);
    expectProblem(await read(other.id, reply.body.id), 404);
    expectProblem(await read(prj.id, 'rsv-nope'), 404);
    expectProblem(await read(prj.id, 'x/../y'), 400, ['path.rid']);
    expectProblem(await read(prj.id, reply.body.id, users.enterpriseA), 403);
    await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.huitongParkCenter, params: { id: prj.id, rid: reply.body.id } }));
    expect((await read(prj.id, reply.body.id)).body).toMatchObject({ id: reply.body.id, status: 'released' });
  });

  it('refuses a parcel another project holds (409 saying so), twice the same, the wrong site mode, or another park’s center — writing nothing', async () => {
    const p = await addParcel();
    const first = await newProject();
    expect((await reserveAs(first.id, { kind: 'parcels', resourceId: p.id })).status).toBe(201);
    const second = await newProject();
    const lease = await newProject({ siteMode: 'lease' });
    const spare = await addParcel();
    const before = await store.snapshot();
    const taken = expectProblem(await reserveAs(second.id, { kind: 'parcels', resourceId: p.id }), 409, ['resourceId']);
    expect(taken.detail).toMatch(/reserved by another project/);
    expectProblem(await reserveAs(first.id, { kind: 'parcels', resourceId: p.id }), 409, ['resourceId']);
    expectProblem(await reserveAs(lease.id, { kind: 'parcels', resourceId: spare.id }), 409, ['kind']);
    expectProblem(await reserveAs(second.id, { kind: 'parcels', resourceId: p.id }, users.kechuangParkCenter), 404);
    expectProblem(await reserveAs(second.id, { kind: 'parcels', resourceId: p.id, amount: 5 }), 400, ['amount']);
    expectProblem(await reserveAs(second.id, { kind: 'parcels', resourceId: 'par-doesnotexist' }), 400, ['resourceId']);
    expectProblem(await reserveAs(second.id, { kind: 'parcels' }), 400, ['resourceId']);
    expectProblem(await reserveAs(second.id, { kind: 'parcels', resourceId: p.id }, users.enterpriseA), 403);
    expect(await store.snapshot()).toEqual(before);
  });

  it('a park center draws on its own park\'s records only (the resources bureau across the zone); a park\'s utility serves that park\'s projects', async () => {
    const elsewhere = await addParcel({ park: PARK_KECHUANG });
    const here = await newProject();
    const gas = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.huitongParkCenter, params: { kind: 'utilities' }, body: { park: PARK_HUITONG, utility: 'gas', capacity: 300, unit: 'm3/d' } }));
    expect(gas.status, gas.text).toBe(201);
    const away = await newProject({ park: PARK_KECHUANG });
    const before = await store.snapshot();
    const other = expectProblem(await reserveAs(here.id, { kind: 'parcels', resourceId: elsewhere.id }), 403, ['resourceId']);
    expect(other.detail).toContain(PARK_KECHUANG);
    expectProblem(await reserveAs(away.id, { kind: 'utilities', resourceId: gas.body.id, amount: 10 }, users.kechuangParkCenter), 403, ['resourceId']);
    const utility = expectProblem(await reserveAs(away.id, { kind: 'utilities', resourceId: gas.body.id, amount: 10 }, users.resourcesOfficer), 409, ['resourceId']);
    expect(utility.detail).toContain(`serves the projects of ${PARK_HUITONG}`);
    // A record of a kind with no zone-wide default must be named, said in plain English (not "A utilities reservation").
    expect(expectProblem(await reserveAs(here.id, { kind: 'utilities', amount: 10 }), 400, ['resourceId']).detail).toBe('A reservation of utilities names the record');
    expect(await store.snapshot()).toEqual(before);
    // A site matched in another park is the resources bureau's to reserve; a park's utility, its own park's center's.
    const matched = await call<Rec>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.resourcesOfficer, params: { id: here.id }, body: { kind: 'parcels', resourceId: elsewhere.id } }));
    expect(matched.status, matched.text).toBe(201);
    expect((await reserveAs(here.id, { kind: 'utilities', resourceId: gas.body.id, amount: 10 })).status).toBe(201);
    // Releasing follows the same rule: the project's park center may not release the other park's parcel; the bureau may.
    const held = await store.snapshot();
    expectProblem(await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.huitongParkCenter, params: { id: here.id, rid: matched.body.id } })), 403, ['path.rid']);
    expect(await store.snapshot()).toEqual(held);
    expect((await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: here.id, rid: matched.body.id } }))).status).toBe(200);
  });

  it('a park center reads another park\'s records and the zone\'s quotas without the projects that hold them; its own park\'s with them', async () => {
    const p = await addParcel();
    const energy = await addEnergy(2031, 900);
    const prj = await newProject();
    expect((await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id })).status).toBe(201);
    expect((await reserveAs(prj.id, { kind: 'energy', resourceId: energy.id, amount: 40 })).status).toBe(201);
    type Seen = Rec & { heldBy: Record<string, unknown> | null; history: { action: string; after: Record<string, unknown> }[] };
    const read = async (as: User, kind: string, id: string) => {
      const reply = await call<Seen>(getResource, apiEvent('GET /inventory/{kind}/{id}', { as, params: { kind, id } }));
      expect(reply.status, reply.text).toBe(200);
      return reply.body;
    };
    const { handler: list } = await import('../../functions/inventory/http/list-inventory.ts');
    const listed = async (as: User) => (await call<{ items: Seen[] }>(list, apiEvent('GET /inventory/{kind}', { as, params: { kind: 'parcels' }, query: { park: PARK_HUITONG, status: 'reserved', limit: '100' } }))).body.items.find((r) => r.id === p.id)!;
    // The zone-wide readers: who holds it, in the record and its history.
    for (const as of [users.investmentOfficer, users.disciplineInspector]) {
      expect((await read(as, 'parcels', p.id)).heldBy).toMatchObject({ projectId: prj.id, park: PARK_HUITONG });
      expect((await read(as, 'parcels', p.id)).history.find((h) => h.action === 'resource.reserved')!.after).toMatchObject({ projectId: prj.id });
    }
    // The center of the holding project's park: the holder (its project), no history of holdings.
    const own = await read(users.huitongParkCenter, 'parcels', p.id);
    expect(own.heldBy).toMatchObject({ projectId: prj.id });
    expect(own.history.find((h) => h.action === 'resource.reserved')!.after).not.toHaveProperty('projectId');
    expect((await listed(users.huitongParkCenter)).heldBy).toMatchObject({ projectId: prj.id });
    // Another park's center: that it is taken and since when, not by which project (a project it may not read).
    const away = await read(users.kechuangParkCenter, 'parcels', p.id);
    expect(away.status).toBe('reserved');
    expect(away.heldBy).toEqual({ since: expect.any(String) });
    const reserved = away.history.find((h) => h.action === 'resource.reserved')!;
    expect(reserved.after).not.toHaveProperty('projectId');
    expect(reserved.after).not.toHaveProperty('reservation');
    expect(reserved.after).toMatchObject({ amount: 60_000 });
    expect(JSON.stringify(away)).not.toContain(prj.id);
    expect((await listed(users.kechuangParkCenter)).heldBy).toEqual({ since: expect.any(String) });
    // A zone-wide quota is no park's: a park center reads what remains, not which projects drew on it.
    for (const as of [users.kechuangParkCenter, users.huitongParkCenter]) {
      const quota = await read(as, 'energy', energy.id);
      expect(quota).toMatchObject({ remaining: 860, allocated: 40 });
      expect(JSON.stringify(quota)).not.toContain(prj.id);
    }
    expect(JSON.stringify(await read(users.ecoOfficer, 'energy', energy.id))).toContain(prj.id);

    // A site of 科创城 the resources bureau reserved for a 汇通 project: 科创城's center keeps the record, not the
    // project — neither in what it reads nor in the answer to its own confirmation; nor why a release was made.
    const { handler: confirm } = await import('../../functions/inventory/http/confirm-resource.ts');
    const leaseProject = await newProject({ siteMode: 'lease' });
    const facility = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.kechuangParkCenter, params: { kind: 'facilities' }, body: facilityBody({ code: code('KC'), park: PARK_KECHUANG }) }));
    expect(facility.status, facility.text).toBe(201);
    const held = await call<Rec>(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.resourcesOfficer, params: { id: leaseProject.id }, body: { kind: 'facilities', resourceId: facility.body.id } }));
    expect(held.status, held.text).toBe(201);
    const seen = await read(users.kechuangParkCenter, 'facilities', facility.body.id);
    expect(seen.heldBy).toEqual({ since: expect.any(String) });
    expect(JSON.stringify(seen)).not.toContain(leaseProject.id);
    const confirmed = await call<Seen>(confirm, apiEvent('POST /inventory/{kind}/{id}/confirm', { as: users.kechuangParkCenter, params: { kind: 'facilities', id: facility.body.id }, body: {} }));
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.heldBy).toEqual({ since: expect.any(String) });
    expect(JSON.stringify(confirmed.body)).not.toContain(leaseProject.id);
    const released = await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: leaseProject.id, rid: held.body.id }, query: { reason: '企业改投汇通另址' } }));
    expect(released.status, released.text).toBe(200);
    const after = await read(users.kechuangParkCenter, 'facilities', facility.body.id);
    expect(after.history.map((h) => h.action)).toContain('resource.released');
    expect(JSON.stringify(after)).not.toContain('企业改投汇通另址');
    expect(JSON.stringify(await read(users.resourcesOfficer, 'facilities', facility.body.id))).toContain('企业改投汇通另址');
  });

  it('50 parallel reservations of the last parcel: exactly one wins, 49 are told it is taken, nothing half-written', async () => {
    const p = await addParcel({ code: code('LAST') });
    const projects = await Promise.all(Array.from({ length: 50 }, () => newProject()));
    const replies = await Promise.all(projects.map((prj) => reserveAs(prj.id, { kind: 'parcels', resourceId: p.id })));
    const won = replies.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 201)) expectProblem(r, 409);
    const winner = projects[replies.indexOf(won[0]!)]!;
    expect(await resource('parcels', p.id)).toMatchObject({ status: 'reserved', heldBy: { projectId: winner.id } });
    const holders = (await Promise.all(projects.map((prj) => project(prj.id)))).filter((x) => x.reservations.length > 0);
    expect(holders.map((h) => h.id)).toEqual([winner.id]);
  });

  it('released: available again with its history; the SIGNING projects it fits are told with reasons; transferred land cannot be released by hand', async () => {
    const p = await addParcel({ areaM2: 40_000 });
    const holder = await newProject();
    const waiting = await newProject({ needs: { areaM2: 30_000 } });
    const tooBig = await newProject({ needs: { areaM2: 90_000 } });
    const held = (await reserveAs(holder.id, { kind: 'parcels', resourceId: p.id })).body;
    const key = { 'idempotency-key': `release-${held.id}` };
    const reply = await call<Rec & { released: { reason: string } }>(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: holder.id, rid: held.id }, query: { reason: '企业调整选址' }, headers: key }));
    expect(reply.status, reply.text).toBe(200);
    // The same key with another reason is another request (422), not a replay of the first.
    expectProblem(await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: holder.id, rid: held.id }, query: { reason: '其他原因' }, headers: key })), 422);
    const replayed = await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: holder.id, rid: held.id }, query: { reason: '企业调整选址' }, headers: key }));
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(reply.body).toMatchObject({ status: 'released', released: { reason: '企业调整选址' } });
    expect(await resource('parcels', p.id)).toMatchObject({ status: 'available', heldBy: null });
    expect((await store.audit(`RESOURCE#${p.id}`)).map((e) => [e.action, e.subjectName])).toEqual([
      ['inventory.created', (p.code as string)],
      ['resource.reserved', (p.code as string)],
      ['resource.released', (p.code as string)],
    ]);
    expect((await project(holder.id)).reservations).toEqual([]);
    const listed = await call<{ items: Rec[] }>(listReservations, apiEvent('GET /projects/{id}/reservations', { as: users.huitongParkCenter, params: { id: holder.id } }));
    expect(listed.body.items.map((r) => r.status)).toEqual(['released']);
    const inbox = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': `DEPT#park_center#${PARK_HUITONG}` } }))).Items ?? [];
    const offered = inbox.filter((n) => n.kind === 'resource.available' && String(n.body).includes(p.id as string));
    expect(offered.map((n) => n.projectId)).toContain(waiting.id);
    expect(offered.map((n) => n.projectId)).not.toContain(tooBig.id);
    expect(offered.map((n) => n.projectId)).not.toContain(holder.id);
    expect(String(offered.find((n) => n.projectId === waiting.id)!.body)).toContain('面积满足40,000 m² ≥ 需求30,000 m²');
    expectProblem(await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: holder.id, rid: held.id } })), 409, ['path.rid']);
  });

  it('a rejected admission gives back what the project held', async () => {
    const p = await addParcel();
    const prj = await newProject();
    expect((await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id })).status).toBe(201);
    const rejected = await call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: prj.id }, body: { decision: 'reject', reason: '不符合产业定位' } }));
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', reservations: [] });
    expect(await resource('parcels', p.id)).toMatchObject({ status: 'available', heldBy: null });
    expectProblem(await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id }), 409);
  });

  it('gives back several holdings of one quota and one fund bucket at once (each its own group: never two writes of one item in a transaction)', async () => {
    const quota = await addEnergy(2046, 100);
    const prj = await newProject();
    for (const amount of [10, 20, 30]) expect((await reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount })).status).toBe(201);
    const year = 2048;
    for (const amountCny of [100_000, 200_000]) {
      const a = await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id: prj.id }, body: { bucket: 'infrastructure', amountCny, purpose: '配套', year } }));
      expect(a.status, a.text).toBe(201);
    }
    const funds = async () => (await call<{ buckets: { code: string; allocatedCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(year) } }))).body.buckets.find((b) => b.code === 'infrastructure')!;
    const fundBefore = await funds();
    const rejected = await call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: prj.id }, body: { decision: 'reject', reason: '不符合产业定位' } }));
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', reservations: [], fundAllocations: [] });
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: 0, remaining: 100 });
    expect((await funds()).allocatedCny).toBe(fundBefore.allocatedCny - 300_000);
  });
});

describe('quota amounts', () => {
  it('never exceed what remains: 409 says how much is left', async () => {
    const quota = await addEnergy(2041, 100);
    const prj = await newProject();
    const first = await reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 60 });
    expect(first.status, first.text).toBe(201);
    const other = await newProject();
    const over = expectProblem(await reserveAs(other.id, { kind: 'energy', resourceId: quota.id, amount: 50 }), 409, ['amount']);
    expect(over.detail).toMatch(/Only 40 tce/);
    expectProblem(await reserveAs(other.id, { kind: 'energy', resourceId: quota.id }), 400, ['amount']);
    expect(await resource('energy', quota.id)).toMatchObject({ total: 100, allocated: 60, remaining: 40 });
  });

  it('are not drawn from a year that is over (409 state on resourceId); this year’s and a later year’s are', async () => {
    const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
    const past = await addEnergy(thisYear - 3, 100);
    const current = (await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.ecoOfficer, params: { kind: 'environment' }, body: { year: thisYear, pollutant: 'SO2', totalTonnes: 10 } }))).body;
    const prj = await newProject();
    const refused = expectProblem(await reserveAs(prj.id, { kind: 'energy', resourceId: past.id, amount: 5 }), 409, ['resourceId']);
    expect(refused.errors?.[0]?.code).toBe('state');
    expect(refused.detail).toContain(`${thisYear - 3}`);
    expect(await resource('energy', past.id)).toMatchObject({ allocated: 0, remaining: 100 });
    expect((await reserveAs(prj.id, { kind: 'environment', resourceId: current.id, amount: 1 })).status).toBe(201);
  });

  it('keeps what remains exact when a quota is edited (11 − 9.55 is 1.45, not 1.4499999999999993), and refuses amounts it could not', async () => {
    const quota = await addEnergy(2045, 10);
    const prj = await newProject();
    expectProblem(await reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 1e-300 }), 400, ['amount']);
    expectProblem(await reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 1.234567890123456e-20 }), 400, ['amount']);
    expect((await reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 9.55 })).status).toBe(201);
    const current = await resource('energy', quota.id);
    const edited = await call<Rec & { remaining: number }>(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.ecoOfficer, params: { kind: 'energy', id: quota.id }, headers: { 'if-match': `"${current.version}"` }, body: { facts: { totalTce: 11 } } }));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.remaining).toBe(1.45);
    const other = await newProject();
    expect((await reserveAs(other.id, { kind: 'energy', resourceId: quota.id, amount: 1.45 })).status).toBe(201);
    expect(await resource('energy', quota.id)).toMatchObject({ total: 11, allocated: 11, remaining: 0 });
  });

  it('a utility\'s unit cannot change while projects hold some of it (409 naming facts.unit)', async () => {
    const made = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.huitongParkCenter, params: { kind: 'utilities' }, body: { park: PARK_HUITONG, utility: 'heat', capacity: 400, unit: 't/h' } }));
    expect(made.status, made.text).toBe(201);
    const prj = await newProject();
    expect((await reserveAs(prj.id, { kind: 'utilities', resourceId: made.body.id, amount: 100 })).status).toBe(201);
    const held = await resource('utilities', made.body.id);
    expectProblem(await call(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.huitongParkCenter, params: { kind: 'utilities', id: made.body.id }, headers: { 'if-match': `"${held.version}"` }, body: { facts: { unit: 'MW' } } })), 409, ['facts.unit']);
    const capacity = await call<Rec>(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.huitongParkCenter, params: { kind: 'utilities', id: made.body.id }, headers: { 'if-match': `"${held.version}"` }, body: { facts: { capacity: 500 } } }));
    expect(capacity.status, capacity.text).toBe(200);
  });

  it('a utility whose unit is changed between the reservation\'s read and its commit is not drawn on in the old unit (409, nothing held)', async () => {
    const made = await call<Rec>(create, apiEvent('POST /inventory/{kind}', { as: users.huitongParkCenter, params: { kind: 'utilities' }, body: { park: PARK_HUITONG, utility: 'power', capacity: 400, unit: 'kVA' } }));
    expect(made.status, made.text).toBe(201);
    const prj = await newProject();
    let changed: { status: number; text: string } | undefined;
    const remove = beforeTransaction(ddb, 'RESERVATION#', async () => {
      changed = await call(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.huitongParkCenter, params: { kind: 'utilities', id: made.body.id }, headers: { 'if-match': `"${made.body.version}"` }, body: { facts: { unit: 'MW' } } }));
    });
    let reply;
    try {
      reply = await reserveAs(prj.id, { kind: 'utilities', resourceId: made.body.id, amount: 100 });
    } finally {
      remove();
    }
    expect(changed?.status, changed?.text).toBe(200);
    // 100 kVA asked for; the record now counts in MW: refused, said so (nothing is short), and nothing held.
    const refused = expectProblem(reply, 409, ['resourceId']);
    expect(refused.detail).toContain('MW');
    expect(refused.detail).not.toContain('remain');
    expect(await resource('utilities', made.body.id)).toMatchObject({ unit: 'MW', allocated: 0, remaining: 400 });
    expect((await project(prj.id)).reservations ?? []).toEqual([]);
  });

  it('a parcel whose area is corrected between the reservation\'s read and its commit is not reserved at the old area (409, nothing held)', async () => {
    const p = await addParcel({ areaM2: 40_000 });
    const prj = await newProject();
    const v = (await resource('parcels', p.id)).version;
    let corrected: { status: number; text: string } | undefined;
    const remove = beforeTransaction(ddb, 'RESERVATION#', async () => {
      corrected = await call(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params: { kind: 'parcels', id: p.id }, headers: { 'if-match': `"${v}"` }, body: { facts: { areaM2: 45_000 } } }));
    });
    let reply;
    try {
      reply = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id });
    } finally {
      remove();
    }
    expect(corrected?.status, corrected?.text).toBe(200);
    // Either reserved at the area the record now has (decided again), or refused — never 40,000 m² held of a 45,000 m² parcel.
    if (reply.status === 201) expect(reply.body.amount).toBe(45_000);
    else expectProblem(reply, 409);
    const now = await resource('parcels', p.id);
    expect(now.areaM2).toBe(45_000);
    const held = (await project(prj.id)).reservations as unknown as { amount: number }[];
    expect(held.every((r) => r.amount === 45_000)).toBe(true);
    expect(now.status).toBe(held.length ? 'reserved' : 'available');
  });

  it('a parcel moved to another park between the reservation\'s read and its commit is not held in the new park (409 naming resourceId, nothing held)', async () => {
    const p = await addParcel({ areaM2: 40_000 });
    const prj = await newProject();
    const v = (await resource('parcels', p.id)).version;
    let moved: { status: number; text: string } | undefined;
    const remove = beforeTransaction(ddb, 'RESERVATION#', async () => {
      moved = await call(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params: { kind: 'parcels', id: p.id }, headers: { 'if-match': `"${v}"` }, body: { facts: { park: PARK_KECHUANG } } }));
    });
    let reply;
    try {
      reply = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id }, users.huitongParkCenter);
    } finally {
      remove();
    }
    expect(moved?.status, moved?.text).toBe(200);
    const refusal = expectProblem(reply, 409, ['resourceId']);
    expect(refusal.detail).toContain(`now in ${PARK_KECHUANG}`);
    const now = await resource('parcels', p.id);
    expect(now).toMatchObject({ park: PARK_KECHUANG, status: 'available', heldBy: null });
    expect((await project(prj.id)).reservations).toEqual([]);
  });

  it("a reserved parcel's area changes neither way while a project holds it (409 naming facts.areaM2); its other facts do", async () => {
    const p = await addParcel({ areaM2: 40_000 });
    const prj = await newProject();
    const held = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id });
    expect(held.status, held.text).toBe(201);
    const current = await resource('parcels', p.id);
    const patch = (facts: Record<string, unknown>, version = current.version) =>
      call<Rec>(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params: { kind: 'parcels', id: p.id }, headers: { 'if-match': `"${version}"` }, body: { facts } }));
    const grown = await patch({ areaM2: 50_000 });
    expectProblem(grown, 409, ['facts.areaM2']);
    expectProblem(await patch({ areaM2: 30_000 }), 409, ['facts.areaM2']);
    // Nothing moved: the record and the reservation both still say 40,000 m².
    expect(await resource('parcels', p.id)).toMatchObject({ areaM2: 40_000, version: current.version });
    const rsv = await call<Rec & { amount: number }>(getReservation, apiEvent('GET /projects/{id}/reservations/{rid}', { as: users.committeeLeader, params: { id: prj.id, rid: held.body.id } }));
    expect(rsv.body.amount).toBe(40_000);
    const use = await patch({ use: '工业用地（M1）' });
    expect(use.status, use.text).toBe(200);
    // Released, its area is corrected again.
    await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: prj.id, rid: held.body.id } }));
    const after = await resource('parcels', p.id);
    expect((await patch({ areaM2: 50_000 }, after.version)).status).toBe(200);
  });

  it("a transferred parcel's area does not change either, and the 409 does not send its keeper to a release that is refused", async () => {
    const p = await addParcel({ areaM2: 40_000 });
    const prj = await newProject();
    const held = await reserveAs(prj.id, { kind: 'parcels', resourceId: p.id });
    expect(held.status, held.text).toBe(201);
    // The land transferred 土地出让 (the land_transfer task's link): the record and the reservation move on, still held.
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_INVENTORY, Key: { pk: 'KIND#parcels', sk: p.id }, UpdateExpression: 'SET #s = :t, gsiStatus = :gs, version = version + :one', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':t': 'transferred', ':gs': 'parcels#transferred', ':one': 1 } }));
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: `PROJECT#${prj.id}`, sk: `RESERVATION#${held.body.id}` }, UpdateExpression: 'SET #s = :t', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':t': 'transferred' } }));
    const current = await resource('parcels', p.id);
    expect(current).toMatchObject({ status: 'transferred', heldBy: { projectId: prj.id } });
    const refused = expectProblem(await call(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params: { kind: 'parcels', id: p.id }, headers: { 'if-match': `"${current.version}"` }, body: { facts: { areaM2: 45_000 } } })), 409, ['facts.areaM2']);
    // A release by hand is refused for transferred land: the answer does not tell the keeper to do one.
    expectProblem(await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: users.resourcesOfficer, params: { id: prj.id, rid: held.body.id } })), 409);
    expect(refused.detail).not.toContain('release the reservation');
    expect(refused.detail).toContain('transferred');
  });

  it('15 reservations on one project at once (under its limit of 20): each is held, or told to retry (409 concurrent-change, Retry-After) — never "overbooked"', async () => {
    const quota = await addEnergy(2043, 1_000);
    const prj = await newProject();
    const replies = await Promise.all(Array.from({ length: 15 }, () => reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 1 })));
    const held = replies.filter((r) => r.status === 201);
    for (const r of replies.filter((x) => x.status !== 201)) {
      expect(r.status, r.text).toBe(409);
      expect(r.body, r.text).toMatchObject({ type: "https://zoneflow.dev/problems/concurrent-change" });
      expect(r.headers['retry-after']).toBe('1');
    }
    expect(held.length).toBeGreaterThan(0);
    expect(await resource('energy', quota.id)).toMatchObject({ allocated: held.length, remaining: 1_000 - held.length });
  });

  it('50 parallel allocations summing past the total: the total is never exceeded and nothing is lost', async () => {
    const quota = await addEnergy(2042, 100);
    const projects = await Promise.all(Array.from({ length: 50 }, () => newProject()));
    const replies = await Promise.all(projects.map((prj) => reserveAs(prj.id, { kind: 'energy', resourceId: quota.id, amount: 3 })));
    const won = replies.filter((r) => r.status === 201);
    for (const r of replies.filter((x) => x.status !== 201)) expectProblem(r, 409);
    const after = await resource('energy', quota.id);
    // Every winner's amount is in `allocated`, every loser's is not: allocated = 3 × winners ≤ 100, remaining = the rest.
    expect(after.allocated).toBe(3 * won.length);
    expect(after.remaining).toBe(100 - 3 * won.length);
    expect(won.length).toBe(33); // 33 × 3 = 99 fits; a 34th would need 102
    const held = (await Promise.all(projects.map((prj) => project(prj.id)))).flatMap((x) => x.reservations);
    expect(held).toHaveLength(won.length);
  });
});

describe('the pre-work fund 项目前期保障经费', () => {
  it('shows the configured buckets, allocates in integer yuan, refuses an overdraft (409 with what is left), records spending and returns the unspent part', async () => {
    const fresh = await call<{ year: number; buckets: { code: string; budgetCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: '2043' } }));
    expect(fresh.body.buckets.map((b) => [b.code, b.budgetCny, b.remainingCny])).toEqual([
      ['clearance', 10_000_000, 10_000_000],
      ['infrastructure', 5_000_000, 5_000_000],
      ['relic_survey', 5_000_000, 5_000_000],
    ]);
    // Read by its managers and the discipline office (every record); not by the other offices and departments.
    expect((await call(getFunds, apiEvent('GET /funds/{year}', { as: users.disciplineInspector, params: { year: '2043' } }))).status).toBe(200);
    for (const as of [users.supervisionOfficer, users.resourcesOfficer, users.huitongParkCenter]) expectProblem(await call(getFunds, apiEvent('GET /funds/{year}', { as, params: { year: '2043' } })), 403);
    const prj = await newProject();
    const path = { id: prj.id };
    const a = await call<Rec & { amountCny: number }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: path, body: { bucket: 'clearance', amountCny: 6_000_000, purpose: '进地清单作业', year: 2043 } }));
    expect(a.status, a.text).toBe(201);
    const allocationPath = `/projects/${prj.id}/fund-allocations/${a.body.id}`;
    expect(a.headers.location).toBe(allocationPath);
    const readAllocation = async (as: User = users.supervisionOfficer) => call<Rec & { spentCny: number; spending: { amountCny: number }[] }>(getAllocation, apiEvent('GET /projects/{id}/fund-allocations/{aid}', { as, params: { ...path, aid: a.body.id } }));
    expect((await readAllocation()).body).toEqual(a.body);
    expectProblem(await call(getAllocation, apiEvent('GET /projects/{id}/fund-allocations/{aid}', { as: users.opsEngineer, params: { ...path, aid: 'fal-nope' } })), 404);
    const over = expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: path, body: { bucket: 'clearance', amountCny: 4_000_001, purpose: '追加', year: 2043 } })), 409, ['amountCny']);
    expect(over.detail).toMatch(/Only 4000000 CNY/);
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: path, body: { bucket: 'clearance', amountCny: 1.5, purpose: 'x', year: 2043 } })), 400, ['amountCny']);
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: path, body: { bucket: 'nope', amountCny: 1, purpose: 'x', year: 2043 } })), 400, ['bucket']);
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.huitongParkCenter, params: path, body: { bucket: 'clearance', amountCny: 1, purpose: 'x', year: 2043 } })), 403);
    const spent = await call<Rec & { spentCny: number }>(spend, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.opsEngineer, params: { ...path, aid: a.body.id }, body: { amountCny: 2_500_000, note: '清表费用' } }));
    expect(spent.status, spent.text).toBe(201);
    expect(spent.headers.location).toBe(allocationPath);
    // Left out, the day paid is the day recorded (the business day, Asia/Shanghai) and there is no payee.
    const allocatedOn = shanghaiDate(new Date(String(a.body.createdAt)));
    const first = (await readAllocation()).body.spending as unknown as Rec[];
    expect(first).toEqual([{ amountCny: 2_500_000, note: '清表费用', spentOn: shanghaiDate(new Date(String(first[0]!.at))), payee: null, at: expect.any(String), by: users.opsEngineer.sub }]);
    // A day paid and a payee are kept and shown; a day after today, or before the allocation was made, is refused and nothing is spent.
    const spendOn = (body: Record<string, unknown>) => call<Rec>(spend, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.opsEngineer, params: { ...path, aid: a.body.id }, body: { amountCny: 1_000, note: '勘测费', ...body } }));
    const dayAfter = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const today = shanghaiDate(new Date());
    expect(expectProblem(await spendOn({ spentOn: dayAfter(today, 1) }), 400, ['spentOn']).detail).toBe(`Spending cannot be dated after today (${today})`);
    expect(expectProblem(await spendOn({ spentOn: dayAfter(allocatedOn, -1) }), 400, ['spentOn']).detail).toBe(`Allocation ${a.body.id} was made on ${allocatedOn}: nothing was paid from it before`);
    expectProblem(await spendOn({ spentOn: '2043-02-30' }), 400, ['spentOn']);
    expectProblem(await spendOn({ payee: '某测绘院\n第二行' }), 400, ['payee']);
    expect((await readAllocation()).body.spentCny).toBe(2_500_000);
    const withPayee = await spendOn({ spentOn: allocatedOn, payee: '市测绘院' });
    expect(withPayee.status, withPayee.text).toBe(201);
    expect((await readAllocation()).body).toMatchObject({ spentCny: 2_501_000, spending: [{ payee: null }, { amountCny: 1_000, note: '勘测费', spentOn: allocatedOn, payee: '市测绘院', by: users.opsEngineer.sub }] });
    expectProblem(await call(spend, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.opsEngineer, params: { ...path, aid: a.body.id }, body: { amountCny: 3_499_001, note: '超支' } })), 409, ['amountCny']);
    const mid = (await call<{ buckets: { code: string; allocatedCny: number; spentCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.committeeLeader, params: { year: '2043' } }))).body.buckets[0]!;
    expect(mid).toMatchObject({ allocatedCny: 6_000_000, spentCny: 2_501_000, remainingCny: 4_000_000 });
    // With a stale If-Match: an allocation the project does not have is a 404 (re-reading would not make it exist), one it has a 412.
    const stale = { 'if-match': '"1"' };
    expectProblem(await call(releaseAllocation, apiEvent('DELETE /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params: { ...path, aid: 'fal-nope' }, headers: stale })), 404);
    expectProblem(await call(spend, apiEvent('POST /projects/{id}/fund-allocations/{aid}/spending', { as: users.opsEngineer, params: { ...path, aid: 'fal-nope' }, body: { amountCny: 1, note: 'x' }, headers: stale })), 404);
    expectProblem(await call(releaseAllocation, apiEvent('DELETE /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params: { ...path, aid: a.body.id }, headers: stale })), 412);
    // The allocation's read (and the list) carries the project's ETag: the release sent with it is taken.
    const read = await readAllocation(users.committeeLeader);
    const listed = await call(listAllocations, apiEvent('GET /projects/{id}/fund-allocations', { as: users.committeeLeader, params: path }));
    expect(read.headers.etag).toBe(`"${(await project(prj.id)).version}"`);
    expect(listed.headers.etag).toBe(read.headers.etag);
    const released = await call<Rec & { released: { returnedCny: number } }>(releaseAllocation, apiEvent('DELETE /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params: { ...path, aid: a.body.id }, headers: { 'if-match': read.headers.etag! } }));
    expect(released.status, released.text).toBe(200);
    expect(released.body.released.returnedCny).toBe(3_499_000);
    expect((await readAllocation(users.committeeLeader)).body).toMatchObject({ status: 'released', spentCny: 2_501_000 });
    const end = (await call<{ buckets: { allocatedCny: number; spentCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.committeeLeader, params: { year: '2043' } }))).body.buckets[0]!;
    expect(end).toMatchObject({ allocatedCny: 2_501_000, spentCny: 2_501_000, remainingCny: 7_499_000 });
    expect((await project(prj.id)).fundAllocations).toEqual([]);
  });

  it('a refused allocation stores nothing, not even its year\'s buckets; the first accepted one stores them all with it', async () => {
    const bucketsOf = async (year: number) => (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INVENTORY, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `FUND#${year}` } }))).Items ?? [];
    const allocateAs = (id: string, body: Record<string, unknown>) => call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id }, body }));
    const year = new Date().getFullYear() + 1;
    expectProblem(await allocateAs('prj-nope', { bucket: 'clearance', amountCny: 1, purpose: 'x', year }), 404);
    const prj = await newProject();
    expectProblem(await allocateAs(prj.id, { bucket: 'clearance', amountCny: 999_999_999, purpose: 'x', year }), 409, ['amountCny']);
    expect(await bucketsOf(year)).toEqual([]);
    const ok = await allocateAs(prj.id, { bucket: 'clearance', amountCny: 1_000_000, purpose: '清表', year });
    expect(ok.status, ok.text).toBe(201);
    const stored = await bucketsOf(year);
    expect(stored.map((b) => [b.sk, b.allocatedCny, b.remainingCny]).sort()).toEqual([
      ['clearance', 1_000_000, 9_000_000],
      ['infrastructure', 0, 5_000_000],
      ['relic_survey', 0, 5_000_000],
    ]);
  });

  it('a closed year (before this one) or one not open yet takes no allocation: 400 on year, nothing written; GET /funds says which are open', async () => {
    const bucketsOf = async (year: number) => (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INVENTORY, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `FUND#${year}` } }))).Items ?? [];
    const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const prj = await newProject();
    const before = await project(prj.id);
    for (const year of [thisYear - 1, 2000, thisYear + 31]) {
      const refused = expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id: prj.id }, body: { bucket: 'clearance', amountCny: 1, purpose: '追加', year } })), 400, ['year']);
      expect(refused.errors![0]).toMatchObject({ code: 'out_of_range', message: expect.stringContaining(`from ${thisYear} to ${thisYear + 30}`) });
      expect(await bucketsOf(year)).toEqual([]);
    }
    expect((await project(prj.id)).version).toBe(before.version);
    const openOf = async (year: number) => (await call<{ open: boolean }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(year) } }))).body.open;
    expect(await Promise.all([thisYear - 1, thisYear, thisYear + 30, thisYear + 31].map(openOf))).toEqual([false, true, true, false]);
  });

  it('20 parallel allocations of 1,000,000 from a 5,000,000 bucket: exactly five succeed', async () => {
    const projects = await Promise.all(Array.from({ length: 20 }, () => newProject()));
    const replies = await Promise.all(projects.map((prj) => call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id: prj.id }, body: { bucket: 'relic_survey', amountCny: 1_000_000, purpose: '文物勘探', year: 2044 } }))));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of replies.filter((x) => x.status !== 201)) expectProblem(r, 409);
    const bucket = (await call<{ buckets: { code: string; allocatedCny: number; remainingCny: number }[] }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: '2044' } }))).body.buckets.find((b) => b.code === 'relic_survey')!;
    expect(bucket).toMatchObject({ allocatedCny: 5_000_000, remainingCny: 0 });
  });
});
