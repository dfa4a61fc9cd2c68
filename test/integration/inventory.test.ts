// Resource inventories 要素保障 over the real handlers and DynamoDB Local: records of the five kinds (validated, unique,
// owned by kind, audited with a history), lists (paged, filtered by index and facts), the refresh duty (stale,
// reminders once per period) and matching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';

const store = isolatedStore('inventory');
registerFakeWorkflow();
const { handler: create } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: list } = await import('../../functions/inventory/http/list-inventory.ts');
const { handler: get } = await import('../../functions/inventory/http/get-resource.ts');
const { handler: patch } = await import('../../functions/inventory/http/update-resource.ts');
const { handler: confirm } = await import('../../functions/inventory/http/confirm-resource.ts');
const { handler: summary } = await import('../../functions/inventory/http/inventory-summary.ts');
const { handler: refresh } = await import('../../functions/inventory/steps/refresh-inventory.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: matches } = await import('../../functions/inventory/http/match-resources.ts');
const { addParks, seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Rec = Record<string, unknown> & { id: string; version: number; status: string; stale: boolean };
let serial = 0;
const code = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

const parcel = (over: Record<string, unknown> = {}) => parcelBody({ code: code('JZ'), ...over });
const facility = (over: Record<string, unknown> = {}) => facilityBody({ code: code('CF'), ...over });

const add = (kind: string, body: unknown, as: User = kind === 'parcels' ? users.resourcesOfficer : kind === 'facilities' ? users.soeOfficer : users.ecoOfficer) =>
  call<Rec>(create, apiEvent('POST /inventory/{kind}', { as, params: { kind }, body }));
const page = (kind: string, query: Record<string, string> = {}, as: User = users.committeeLeader) =>
  call<{ items: Rec[]; nextCursor: string | null }>(list, apiEvent('GET /inventory/{kind}', { as, params: { kind }, query }));

describe('inventory records', () => {
  it('adds a parcel with 亩 derived and 标准地 readiness, audited as the first event of its history', async () => {
    const body = parcel();
    const reply = await add('parcels', body);
    expect(reply.status, reply.text).toBe(201);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({ kind: 'parcels', code: body.code, areaM2: 66_667, areaMu: 100, status: 'available', stale: false, standardLand: false, heldBy: null, version: 1 });
    expect((reply.body.history as { action: string; actor: string }[]).map((h) => [h.action, h.actor])).toEqual([['inventory.created', users.resourcesOfficer.sub]]);
    const one = await call<Rec & { history: { action: string; after: Record<string, unknown> }[] }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.disciplineInspector, params: { kind: 'parcels', id: reply.body.id } }));
    expect(one.status).toBe(200);
    expect(one.body.history.map((h) => h.action)).toEqual(['inventory.created']);
    expect(one.body.history[0]!.after).toMatchObject({ facts: { code: body.code } });
  });

  it('keeps codes unique per kind (409 naming the field) and refuses what is not a fact of the kind (400) — writing nothing', async () => {
    const body = parcel();
    expect((await add('parcels', body)).status).toBe(201);
    const before = await store.snapshot();
    expectProblem(await add('parcels', { ...body, areaM2: 1000 }), 409, ['code']);
    // The same code in another case or in full-width forms is the same parcel.
    const fullWidth = body.code.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const code of [body.code.toLowerCase(), fullWidth]) expectProblem(await add('parcels', { ...body, code }), 409, ['code']);
    expectProblem(await add('parcels', { ...parcel(), floorLoadKnM2: 10 }), 400, ['floorLoadKnM2']);
    expectProblem(await add('parcels', { ...parcel(), areaM2: -5 }), 400, ['areaM2']);
    expectProblem(await add('parcels', { ...parcel(), readiness: { relicSurvey: '2099-01-01', landApproval: null, clearanceList: null, infrastructure: null } }), 400, ['readiness.relicSurvey']);
    const deep = JSON.parse('['.repeat(60) + ']'.repeat(60)) as unknown;
    expectProblem(await add('parcels', { ...parcel(), outline: { type: 'Polygon', coordinates: deep } }), 400);
    expectProblem(await add('parcels', { ...parcel(), outline: { type: 'Polygon', coordinates: [[[112.7, 37.7], [112.8, 37.7], [112.8, 37.8], [112.7, 37.9]]] } }), 400, ['outline.coordinates[0]']);
    expectProblem(await add('utilities', { park: PARK_HUITONG, utility: 'water', capacity: 5000, unit: 'kVA' }, users.huitongParkCenter), 400, ['unit']);
    expect(await store.snapshot()).toEqual(before);
  });

  it('keeps a parcel’s GeoJSON outline', async () => {
    const outline = { type: 'Polygon', coordinates: [[[112.7, 37.7], [112.8, 37.7], [112.8, 37.8], [112.7, 37.7]]] };
    const reply = await add('parcels', parcel({ outline }));
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.outline).toEqual(outline);
  });

  it('is kept by the owners of its kind: a park center only in its own park', async () => {
    // A kind the role does not keep: named at the kind the path gives.
    expectProblem(await add('parcels', parcel(), users.huitongParkCenter), 403, ['path.kind']);
    // Another park named by a park center: told beside the park field, which is what is wrong.
    const other = expectProblem(await add('facilities', facility({ park: PARK_KECHUANG }), users.huitongParkCenter), 403, ['park']);
    expect(other.errors?.[0]?.message).toContain('汇通产业园');
    const own = await add('facilities', facility(), users.huitongParkCenter);
    expect(own.status).toBe(201);
    expectProblem(await add('energy', { year: 2026, totalTce: 1 }, users.enterpriseA), 403);
    // Another park's center may not edit it: told so (403), with If-Match or without (not asked for If-Match first).
    const params = { kind: 'facilities', id: own.body.id };
    const edit = (as: User, headers: Record<string, string> = {}) => call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as, params, headers, body: { facts: { rentCnyPerM2Month: 9 } } }));
    expectProblem(await edit(users.kechuangParkCenter), 403);
    expectProblem(await edit(users.kechuangParkCenter, { 'if-match': '"1"' }), 403);
    expectProblem(await edit(users.kechuangParkCenter, { 'if-match': '"7"' }), 403); // a stale version: still 403, not 412
    expectProblem(await edit(users.huitongParkCenter), 428);
    // A confirmation too: another park's center is refused, a stale version or not (403, not 412).
    const confirmAs = (as: User, headers: Record<string, string> = {}) => call(confirm, apiEvent('POST /inventory/{kind}/{id}/confirm', { as, params, headers, body: {} }));
    expectProblem(await confirmAs(users.kechuangParkCenter, { 'if-match': '"7"' }), 403);
    expectProblem(await confirmAs(users.kechuangParkCenter), 403);
    expectProblem(await confirmAs(users.huitongParkCenter, { 'if-match': '"7"' }), 412);
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.kechuangParkCenter, params: { kind: 'facilities', id: `${own.body.id}x` }, body: { facts: { rentCnyPerM2Month: 9 } } })), 404);
  });

  it('edits under If-Match (412 when stale), never its identity, and shows every change in its history', async () => {
    const created = (await add('facilities', facility())).body;
    const params = { kind: 'facilities', id: created.id };
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, body: { facts: { rentCnyPerM2Month: 10 } } })), 428);
    // Someone who keeps no facility is told so first, If-Match or not.
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.committeeLeader, params, body: { facts: { rentCnyPerM2Month: 10 } } })), 403);
    const edited = await call<Rec>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { rentCnyPerM2Month: 10, powerKva: 2000 } } }));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ rentCnyPerM2Month: 10, powerKva: 2000, version: 2 });
    // The answer shows the history, as POST and GET do, with this edit last.
    expect((edited.body as unknown as { history: { action: string }[] }).history.map((h) => h.action)).toEqual(['inventory.created', 'inventory.updated']);
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { rentCnyPerM2Month: 9 } } })), 412);
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { facts: { code: 'OTHER' } } })), 400, ['facts.code']);
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { facts: { ceiling: 3 } } })), 400, ['facts.ceiling']);
    // An edit naming no fact is refused (a confirmation is POST …/confirm), and nothing is written (the version stays 2).
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { facts: {} } })), 400, ['facts']);
    // So is one whose every value is the record's already, and a status the record has.
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { facts: { rentCnyPerM2Month: 10, powerKva: 2000 } } })), 400, ['facts']);
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { status: 'available' } })), 400, ['status']);
    // "Changes nothing" is judged on the version the caller pinned: over a stale one, the answer is 412.
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { rentCnyPerM2Month: 10, powerKva: 2000 } } })), 412);
    const retired = await call<Rec>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { status: 'retired' } }));
    expect(retired.body.status).toBe('retired');
    const history = (await call<{ history: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.disciplineInspector, params }))).body.history;
    expect(history.map((h) => h.action)).toEqual(['inventory.created', 'inventory.updated', 'inventory.retired']);
    expect(history[1]).toMatchObject({ before: { facts: { rentCnyPerM2Month: 12, powerKva: 1250 } }, after: { facts: { rentCnyPerM2Month: 10, powerKva: 2000 } } });
  });

  it("a facility recorded in the wrong park is moved to the right one (one of the zone's), and retiring it confirms nothing", async () => {
    const created = (await add('facilities', facility())).body;
    const params = { kind: 'facilities', id: created.id };
    // Not to a park the zone does not have; the record unchanged.
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { park: '临港园' } } })), 400, ['facts.park']);
    const moved = await call<Rec & { park: string }>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { park: PARK_KECHUANG } } }));
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ park: PARK_KECHUANG, version: 2 });
    // Listed under its new park, no longer under the old one.
    const inPark = async (park: string) => (await call<{ items: { id: string }[] }>(list, apiEvent('GET /inventory/{kind}', { as: users.soeOfficer, params: { kind: 'facilities' }, query: { park, limit: '100' } }))).body.items.map((r) => r.id);
    expect(await inPark(PARK_KECHUANG)).toContain(created.id);
    expect(await inPark(PARK_HUITONG)).not.toContain(created.id);
    const before = (await call<Rec & { confirmedAt: string }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.soeOfficer, params }))).body.confirmedAt;
    const retired = await call<Rec & { confirmedAt: string }>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"2"' }, body: { status: 'retired' } }));
    expect(retired.status, retired.text).toBe(200);
    expect(retired.body.confirmedAt).toBe(before);
  });

  it('answers an edit of a record with a long history with its first page and the cursor GET pages on from, this edit last', async () => {
    const created = (await add('facilities', facility())).body;
    expect(created).toMatchObject({ historyCursor: null });
    const params = { kind: 'facilities', id: created.id };
    // 1 creation + 49 edits: the history fills its first page exactly, so far answered whole.
    for (let i = 0; i < 49; i++) {
      const c = await call<Rec & { historyCursor: string | null }>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': `"${i + 1}"` }, body: { facts: { powerKva: 1000 + i } } }));
      expect(c.status, c.text).toBe(200);
      if (i === 48) expect(c.body.historyCursor).toBeNull();
    }
    const edited = await call<Rec & { history: { action: string }[]; historyCursor: string | null }>(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.soeOfficer, params, headers: { 'if-match': '"50"' }, body: { facts: { rentCnyPerM2Month: 11 } } }));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.history).toHaveLength(50);
    expect(edited.body.history.at(-1)!.action).toBe('inventory.updated');
    expect(edited.body.historyCursor).toEqual(expect.any(String));
    const rest = await call<{ history: { action: string; after: Record<string, unknown> }[]; historyCursor: string | null }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.soeOfficer, params, query: { cursor: edited.body.historyCursor! } }));
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body.history.map((h) => h.action)).toEqual(['inventory.updated']);
    expect(rest.body.history[0]!.after).toMatchObject({ facts: { rentCnyPerM2Month: 11 } });
    expect(rest.body.historyCursor).toBeNull();
    // The cursor is the editor's: in another user's hands it is a 400 on `cursor`.
    expectProblem(await call(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params, query: { cursor: edited.body.historyCursor! } })), 400, ['query.cursor']);
  });

  it('refuses a number DynamoDB could not keep exactly (400 naming it), on a record and in a PATCH; a PATCH\'s fact errors name facts.*', async () => {
    for (const floorLoadKnM2 of [1e-300, 5e-324, 1.234567890123456e-20, 0.0000001]) {
      const p = expectProblem(await add('facilities', facility({ floorLoadKnM2 }), users.soeOfficer), 400, ['floorLoadKnM2']);
      expect(p.errors?.[0]?.message).toMatch(/at most 6 decimal places/);
    }
    expectProblem(await add('energy', { year: 2032, totalTce: 1e-300 }), 400, ['totalTce']);
    expectProblem(await add('facilities', facility({ rentCnyPerM2Month: 1e-200 }), users.soeOfficer), 400, ['rentCnyPerM2Month']);
    expect((await add('facilities', facility({ floorLoadKnM2: 0.000001 }), users.soeOfficer)).status).toBe(201);
    // A site's area is at least a square metre, to the hundredth (0.0001 m² was kept and shown as 0 亩).
    for (const areaM2 of [0.0001, 0.99, 12.345, 1e-300]) expectProblem(await add('parcels', parcel({ areaM2 })), 400, ['areaM2']);
    expectProblem(await add('facilities', facility({ areaM2: 0.5 }), users.soeOfficer), 400, ['areaM2']);
    for (const areaM2 of [1, 66_666.67]) expect((await add('parcels', parcel({ areaM2 }))).status).toBe(201);
    // An outline as a GIS exports it (15 digits) is kept; a coordinate DynamoDB cannot store is refused.
    const ring = (x: number) => [[112.1234567890123, 37.87654321098765], [112.2, 37.9], [x, 37.95], [112.1234567890123, 37.87654321098765]];
    expect((await add('parcels', parcel({ outline: { type: 'Polygon', coordinates: [ring(112.25)] } }))).status).toBe(201);
    const tiny = expectProblem(await add('parcels', parcel({ outline: { type: 'Polygon', coordinates: [ring(1e-300)] } })), 400);
    expect(tiny.errors?.[0]?.path).toMatch(/^outline\.coordinates/);
    const created = (await add('parcels', parcel())).body;
    const params = { kind: 'parcels', id: created.id };
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { areaM2: 1e-300 } } })), 400, ['facts.areaM2']);
    const future = { relicSurvey: '2099-01-01', landApproval: null, clearanceList: null, infrastructure: null };
    expectProblem(await call(patch, apiEvent('PATCH /inventory/{kind}/{id}', { as: users.resourcesOfficer, params, headers: { 'if-match': '"1"' }, body: { facts: { readiness: future } } })), 400, ['facts.readiness.relicSurvey']);
  });

  it('keeps a quota total at or above what projects hold', async () => {
    const energy = await add('energy', { year: 2031, totalTce: 1000 });
    expect(energy.body).toMatchObject({ total: 1000, allocated: 0, remaining: 1000 });
    expectProblem(await add('energy', { year: 2031, totalTce: 5 }), 409, ['year']);
    const env = await add('environment', { year: 2031, pollutant: 'VOCs', totalTonnes: 12.5 });
    expect(env.status, env.text).toBe(201);
  });
});

describe('who reads the inventories', () => {
  it('each kind its owners and the configured readers: other departments are told who reads it (403), and the summary shows a keeper its kinds', async () => {
    const record = (await add('parcels', parcel())).body;
    const params = { kind: 'parcels', id: record.id };
    for (const as of [users.resourcesOfficer, users.huitongParkCenter, users.investmentOfficer, users.scitechOfficer, users.committeeLeader, users.disciplineInspector]) {
      expect((await page('parcels', {}, as)).status).toBe(200);
      expect((await call(get, apiEvent('GET /inventory/{kind}/{id}', { as, params }))).status).toBe(200);
    }
    for (const as of [users.supervisionOfficer, users.opsEngineer, users.soeOfficer, users.ecoOfficer, users.enterpriseA]) {
      expectProblem(await page('parcels', {}, as), 403);
      expectProblem(await call(get, apiEvent('GET /inventory/{kind}/{id}', { as, params })), 403);
      // Not even whether a record exists.
      expectProblem(await call(get, apiEvent('GET /inventory/{kind}/{id}', { as, params: { kind: 'parcels', id: `${record.id}x` } })), 403);
    }
    const refused = expectProblem(await page('parcels', {}, users.supervisionOfficer), 403);
    expect(refused.detail).toContain('resources_bureau');
    // A keeper of one kind reads that kind: the state-owned enterprise its factories, the construction bureau utilities.
    expect((await page('facilities', {}, users.soeOfficer)).status).toBe(200);
    const kindsOf = async (as: User) => (await call<{ kinds: { kind: string }[] }>(summary, apiEvent('GET /inventory', { as }))).body.kinds.map((k) => k.kind);
    expect(await kindsOf(users.soeOfficer)).toEqual(['facilities']);
    expect(await kindsOf(users.ecoOfficer)).toEqual(['energy', 'environment']);
    expect(await kindsOf(users.committeeLeader)).toEqual(['parcels', 'facilities', 'energy', 'environment', 'utilities']);
    expectProblem(await call(summary, apiEvent('GET /inventory', { as: users.supervisionOfficer })), 403);
  });

  it('a park center whose token names no park reads none of it (403 saying its token is the cause), as its ledger and report refuse it', async () => {
    const record = (await add('parcels', parcel())).body;
    const parkless: User = { sub: 'u-park-none', name: '未设园区的服务中心', roles: ['park_center'], department: 'park_center' };
    for (const kind of ['parcels', 'facilities', 'utilities']) {
      const refused = expectProblem(await page(kind, {}, parkless), 403, ['path.kind']);
      expect(refused.detail).toMatch(/^Your token names no park: /);
    }
    expect(expectProblem(await call(get, apiEvent('GET /inventory/{kind}/{id}', { as: parkless, params: { kind: 'parcels', id: record.id } })), 403).detail).toMatch(/^Your token names no park: /);
    expect(expectProblem(await call(summary, apiEvent('GET /inventory', { as: parkless })), 403).detail).toMatch(/^Your token names no park: a park center reads the inventories/);
    // With its park named it reads them, as before.
    expect((await page('parcels', {}, users.huitongParkCenter)).status).toBe(200);
  });

  it('inventory.readers is configuration: a published list widens or narrows who reads; an enterprise cannot be named', async () => {
    const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
    const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
    const current = await call<{ version: number; doc: Record<string, unknown> }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'inventory' } }));
    expect(current.body.doc.readers).toEqual(['park_center', 'resources_bureau', 'investment_dept', 'scitech_dept', 'committee_leader', 'discipline_office']);
    const publish = (readers: unknown, version: number) =>
      call<{ version: number }>(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'inventory' }, headers: { 'if-match': `"${version}"` }, body: { doc: { ...current.body.doc, readers } } }));
    expectProblem(await publish(['enterprise'], current.body.version), 400, ['doc.readers[0]']);
    expectProblem(await publish(['park_center', 'park_center'], current.body.version), 400, ['doc.readers[1]']);
    const wider = await publish(['supervision_office', 'committee_leader'], current.body.version);
    expect(wider.status, wider.text).toBe(200);
    try {
      expect((await page('parcels', {}, users.supervisionOfficer)).status).toBe(200);
      expectProblem(await page('parcels', {}, users.investmentOfficer), 403);
      // The kind's owners read it whatever the list says.
      expect((await page('parcels', {}, users.resourcesOfficer)).status).toBe(200);
    } finally {
      const back = await publish(current.body.doc.readers, wider.body.version);
      expect(back.status, back.text).toBe(200);
    }
  });
});

describe('inventory lists', () => {
  it('page by index in id order, filtered by park, status and facts — a filter another kind has no fact for is a 400', async () => {
    const park = `测试园-${serial}`;
    await addParks(park);
    const made: Rec[] = [];
    for (let i = 0; i < 23; i++) made.push((await add('parcels', parcel({ park, areaM2: 10_000 + i * 1_000, supply: i % 2 ? 'stock' : 'incremental' }))).body);
    const seen: Rec[] = [];
    for (let cursor: string | null = null, n = 0; n < 10; n++) {
      const reply = await page('parcels', { park, limit: '10', ...(cursor ? { cursor } : {}) });
      expect(reply.status, reply.text).toBe(200);
      seen.push(...reply.body.items);
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.map((r) => r.id).sort()).toEqual(made.map((r) => r.id).sort());
    const big = await page('parcels', { park, minAreaM2: '30000', supply: 'stock', limit: '100' });
    expect(big.body.items.map((r) => r.areaM2)).toEqual([31_000]);
    const band = await page('parcels', { park, minAreaM2: '20000', maxAreaM2: '22000', limit: '100' });
    expect(band.body.items.map((r) => r.areaM2).sort()).toEqual([20_000, 21_000, 22_000]);
    // A sparse filter fills its pages (ten records that do not pass before the first that does): one a page, none
    // skipped where a page took fewer than passed, and no empty page with a cursor after the last.
    const pages: number[][] = [];
    for (let cursor: string | null = null, n = 0; n < 6; n++) {
      const reply = await page('parcels', { park, minAreaM2: '20000', maxAreaM2: '22000', limit: '1', ...(cursor ? { cursor } : {}) });
      expect(reply.status, reply.text).toBe(200);
      pages.push(reply.body.items.map((r) => r.areaM2 as number));
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(pages).toEqual([[20_000], [21_000], [22_000]]);
    expect((await page('parcels', { park, status: 'available', limit: '100' })).body.items).toHaveLength(23);
    expect((await page('parcels', { park, ready: 'true', limit: '100' })).body.items).toHaveLength(0);
    expect((await page('parcels', { park, stale: 'true' })).body.items).toHaveLength(0);
    expectProblem(await page('parcels', { minFloorLoadKnM2: '10' }), 400, ['query.minFloorLoadKnM2']);
    // A band that runs backwards is told, not answered with nothing; an empty band (min = max) is a band.
    expectProblem(await page('parcels', { park, minAreaM2: '50000', maxAreaM2: '10' }), 400, ['query.maxAreaM2']);
    expect((await page('parcels', { park, minAreaM2: '21000', maxAreaM2: '21000' })).body.items.map((r) => r.areaM2)).toEqual([21_000]);
    expectProblem(await page('energy', { park, ready: 'true' }), 400, ['query.ready']);
    expectProblem(await page('parcels', { park, cursor: 'c1bogus' }), 400, ['query.cursor']);
    expectProblem(await page('parcels', {}, users.enterpriseA), 403);
    expect((await call<{ kinds: { kind: string; available: number }[] }>(summary, apiEvent('GET /inventory', { as: users.committeeLeader }))).body.kinds.find((k) => k.kind === 'parcels')!.available).toBeGreaterThanOrEqual(23);
  });
});

describe('the refresh duty 季度更新、动态清零', () => {
  it('reminds owners before the period ends, flags what its period left unconfirmed stale, once each, and a confirmation clears it', async () => {
    const park = `刷新园-${serial}`;
    await addParks(park);
    const f = (await add('facilities', facility({ park }))).body;
    // Created in 2026Q4: current through 2027Q1 (its next period); due for confirmation in 2027Q1.
    expect(f).toMatchObject({ confirmedPeriod: '2026Q4', stale: false });
    const soeInbox = async () => (await store.doc.send(new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'DEPT#soe' } }))).Items ?? [];
    const parkInbox = async () => (await store.doc.send(new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': `DEPT#park_center#${park}` } }))).Items ?? [];

    await refresh({ at: '2027-02-01T01:00:00Z' }); // Q1, before the reminder window (10 working days before 03-31)
    expect((await soeInbox()).filter((n) => n.kind === 'inventory.refresh_due')).toHaveLength(0);
    await refresh({ at: '2027-03-25T01:00:00Z' }); // inside the window
    await refresh({ at: '2027-03-26T01:00:00Z' }); // again: nothing twice
    const due = (await soeInbox()).filter((n) => n.kind === 'inventory.refresh_due');
    expect(due).toHaveLength(1);
    expect(String(due[0]!.body)).toContain('2027-03-31');
    expect((await parkInbox()).filter((n) => n.kind === 'inventory.refresh_due')).toHaveLength(1);

    const report = await refresh({ at: '2027-04-02T01:00:00Z' }); // Q2: Q1 ended unconfirmed
    expect(report.flagged).toBeGreaterThanOrEqual(1);
    await refresh({ at: '2027-04-03T01:00:00Z' });
    expect((await soeInbox()).filter((n) => n.kind === 'inventory.stale')).toHaveLength(1);
    const stored = await call<Rec & { staleSince: string; history: { action: string }[] }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind: 'facilities', id: f.id } }));
    // Stale since the first day of Q2 (the job ran on the 2nd).
    expect(stored.body).toMatchObject({ stale: true, staleSince: '2027-04-01' });
    expect(stored.body.history.map((h) => h.action)).toEqual(['inventory.created', 'inventory.stale']);
    expect((await page('facilities', { park, stale: 'true' })).body.items.map((r) => r.id)).toEqual([f.id]);

    expectProblem(await call(confirm, apiEvent('POST /inventory/{kind}/{id}/confirm', { as: users.kechuangParkCenter, params: { kind: 'facilities', id: f.id } })), 403);
    // Ten confirmations at once, none pinning a version (a double click, two officials): all answered, one written.
    const confirmations = await Promise.all(Array.from({ length: 10 }, () => call<Rec>(confirm, apiEvent('POST /inventory/{kind}/{id}/confirm', { as: users.soeOfficer, params: { kind: 'facilities', id: f.id } }))));
    for (const c of confirmations) {
      expect(c.status, c.text).toBe(200);
      expect(c.body).toMatchObject({ stale: false, staleSince: null, version: stored.body.version + 1 });
    }
    const history = (await call<{ history: { action: string }[] }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: users.committeeLeader, params: { kind: 'facilities', id: f.id } }))).body.history;
    // (in the order of their times: the refresh ran in 2027 of its own clock, the confirmations today)
    expect(history.map((h) => h.action).sort()).toEqual(['inventory.confirmed', 'inventory.created', 'inventory.stale']);
    expect((await page('facilities', { park, stale: 'true' })).body.items).toHaveLength(0);
  });
});

describe('matching 要素匹配', () => {
  it('ranks available facilities against the project’s needs with reasons; misfits after them with why', async () => {
    const park = `匹配园-${serial}`;
    await addParks(park);
    const good = (await add('facilities', facility({ park, code: code('GOOD'), areaM2: 8_000, floorLoadKnM2: 30, clearHeightM: 12, powerKva: 2_000 }))).body;
    const roomy = (await add('facilities', facility({ park: PARK_KECHUANG, code: code('ROOMY'), areaM2: 30_000, floorLoadKnM2: 30, clearHeightM: 12, powerKva: 5_000 }))).body;
    const weak = (await add('facilities', facility({ park, code: code('WEAK'), areaM2: 9_000, floorLoadKnM2: 10, clearHeightM: 12, powerKva: 2_000 }))).body;
    const project = (await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ park, siteMode: 'lease', needs: { areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500 } }) }))).body;
    const reply = await call<{ items: { resourceId: string; score: number; fits: boolean; reasons: string[] }[]; misfits: { resourceId: string; reasons: string[] }[] }>(
      matches,
      apiEvent('GET /projects/{id}/matches', { as: { ...users.huitongParkCenter, park }, params: { id: project.id }, query: { kind: 'facilities', limit: '100' } }),
    );
    expect(reply.status, reply.text).toBe(200);
    const ids = reply.body.items.map((m) => m.resourceId);
    expect(ids.indexOf(good.id)).toBeLessThan(ids.indexOf(roomy.id));
    const best = reply.body.items.find((m) => m.resourceId === good.id)!;
    expect(best.reasons).toEqual(expect.arrayContaining(['面积满足8,000 m² ≥ 需求7,500 m²', `位于本园区（${park}）`]));
    const misfit = reply.body.misfits.find((m) => m.resourceId === weak.id)!;
    expect(misfit.reasons).toEqual(['楼面荷载不足10 kN/m² < 需求15 kN/m²']);
    // api.md: items carry `fits: true|false`, best first — every fitting candidate before the first misfit.
    expect(reply.body.items.find((m) => m.resourceId === weak.id)).toMatchObject({ fits: false, score: 0, reasons: ['楼面荷载不足10 kN/m² < 需求15 kN/m²'] });
    const fits = reply.body.items.map((m) => m.fits);
    expect(fits.indexOf(false)).toBeGreaterThan(fits.lastIndexOf(true));
    expect(reply.body).toMatchObject({ fitting: fits.filter(Boolean).length });
    // A lease project holds a facility, never a parcel: parcels are misfits for it, saying why (a reservation of one
    // is refused), however well they would fit otherwise.
    const land = (await add('parcels', parcel({ park, areaM2: 60_000 }))).body;
    const parcels = await call<{ items: { resourceId: string; fits: boolean }[]; misfits: { resourceId: string; fits: boolean; reasons: string[] }[] }>(
      matches,
      apiEvent('GET /projects/{id}/matches', { as: { ...users.huitongParkCenter, park }, params: { id: project.id }, query: { kind: 'parcels', limit: '100' } }),
    );
    expect(parcels.body.items.find((m) => m.resourceId === land.id)).toMatchObject({ fits: false });
    expect(parcels.body.misfits.find((m) => m.resourceId === land.id)).toMatchObject({ fits: false, reasons: ['项目为租赁方式：需要厂房，不摘地块'] });
  });

  it('says a project whose needs were all removed has none (null), as its page does', async () => {
    const { handler: edit } = await import('../../functions/projects/http/update-project.ts');
    const project = (await call<{ id: string; version: number }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ siteMode: 'lease', needs: { areaM2: 7_500 } }) }))).body;
    const edited = await call<{ needs: unknown }>(edit, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id: project.id }, headers: { 'if-match': `"${project.version}"` }, body: { needs: { areaM2: null } } }));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.needs).toBeNull();
    const reply = await call<{ needs: unknown }>(matches, apiEvent('GET /projects/{id}/matches', { as: users.committeeLeader, params: { id: project.id }, query: { kind: 'facilities' } }));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.needs).toBeNull();
  });
});
