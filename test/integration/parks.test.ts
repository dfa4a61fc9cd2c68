// The zone's parks 园区 (GET/PUT /config/parks) over the real handlers and DynamoDB Local: a project or an inventory
// record is written only in one of them (a typo is a 400 naming the field, nothing written), ops add a park and it is
// usable at once, a park still named by a live project or record cannot leave the list (409), and reads of any park
// keep answering — old records keep their park.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, projectBody, users, type User } from '../support/events.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('parks');
registerFakeWorkflow();
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { handler: createResource } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: updateResource } = await import('../../functions/inventory/http/update-resource.ts');
const { handler: listInventory } = await import('../../functions/inventory/http/list-inventory.ts');
const { seedConfig } = await import('../support/config.ts');
const { DEFAULT_PARKS_CONFIG } = await import('../../functions/reference/domain/parks.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');
const { forgetReferenceData, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
const { parkNamings, parksPublishedOps } = await import('../../functions/reference/store/park-names.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date('2026-01-05T00:00:00Z'));
});
afterAll(() => store.destroy());

type Parks = { parks: { name: string; nameEn?: string }[] };
type ConfigReply = { name: string; version: number; doc: Parks; publishedBy: string; note?: string };
type Rec = Record<string, unknown> & { id: string; version: number; status: string };

let serial = 0;
const code = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

const readParks = (as: User = users.supervisionOfficer) => call<ConfigReply>(getConfig, apiEvent('GET /config/{name}', { as, params: { name: 'parks' } }));
const publishParks = async (doc: unknown, as: User = users.opsEngineer, note = '园区调整') => {
  const version = (await readParks()).body.version;
  return call<ConfigReply>(putConfig, apiEvent('PUT /config/{name}', { as, params: { name: 'parks' }, headers: { 'if-match': `"${version}"` }, body: { doc, note } }));
};
/** The zone's list as it stands plus `names`, published by ops. */
const addPark = async (...names: string[]) => {
  const reply = await publishParks({ parks: [...(await readParks()).body.doc.parks, ...names.map((name) => ({ name }))] });
  expect(reply.status, reply.text).toBe(200);
  return reply;
};
/** The zone's list as it stands without `name`, published by ops. */
const dropPark = async (name: string) => publishParks({ parks: (await readParks()).body.doc.parks.filter((p) => p.name !== name) });

const newProject = (park: string, over: Record<string, unknown> = {}) =>
  call<Rec>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ park, totalInvestmentCny: 300_000_000, ...over }) }));
const add = (kind: string, body: unknown, as: User = kind === 'parcels' ? users.resourcesOfficer : kind === 'facilities' ? users.soeOfficer : users.ecoOfficer) =>
  call<Rec>(createResource, apiEvent('POST /inventory/{kind}', { as, params: { kind }, body }));
const edit = (kind: string, r: Rec, body: unknown, as: User = users.resourcesOfficer) =>
  call<Rec>(updateResource, apiEvent('PATCH /inventory/{kind}/{id}', { as, params: { kind, id: r.id }, headers: { 'if-match': `"${r.version}"` }, body }));

describe('the zone’s parks as configuration', () => {
  it('are the demo’s three parks, version 1 from the seed, read by any staff member (a park center too)', async () => {
    const reply = await readParks(users.huitongParkCenter);

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({ name: 'parks', version: 1, publishedBy: 'seed' });
    expect(reply.body.doc).toEqual(DEFAULT_PARKS_CONFIG);
  });

  it('are not shown to an enterprise (403)', async () => {
    expectProblem(await readParks(users.enterpriseA), 403);
  });

  it('are published by ops only: an investment officer or the committee leader is refused (403), nothing written', async () => {
    const before = await store.snapshot();

    for (const as of [users.investmentOfficer, users.committeeLeader, users.huitongParkCenter]) {
      expectProblem(await publishParks({ parks: [...DEFAULT_PARKS_CONFIG.parks, { name: '临港园' }] }, as), 403);
    }

    expect(await store.snapshot()).toEqual(before);
  });

  it('refuses a list with a park twice, an empty list or a blank name (400 naming each field), nothing written', async () => {
    const before = await store.snapshot();

    expectProblem(await publishParks({ parks: [{ name: '科创城' }, { name: ' 科创城 ' }] }), 400, ['doc.parks[1].name']);
    expectProblem(await publishParks({ parks: [] }), 400, ['doc.parks']);
    expectProblem(await publishParks({ parks: [{ name: '   ' }, { name: '科创城', nameEn: '' }, { name: '智造港', area: 3 }] }), 400, ['doc.parks[0].name', 'doc.parks[1].nameEn', 'doc.parks[2].area']);

    expect(await store.snapshot()).toEqual(before);
  });
});

describe('a write that names a park not in the list', () => {
  it('POST /projects in 汇通园 (a typo of 汇通产业园): 400 on park, listing the zone’s parks; nothing written', async () => {
    const before = await store.snapshot();

    const reply = await newProject('汇通园');

    const problem = expectProblem(reply, 400, ['park']);
    expect(problem.errors![0]!.message).toBe('汇通园 is not one of the zone\'s parks: 汇通产业园, 科创城, 智造港 (GET /config/parks; ops add a park with PUT /config/parks)');
    expect(await store.snapshot()).toEqual(before);
  });

  it('POST /projects in 汇通产业园, with a trailing space as typed: the park as listed, 201', async () => {
    const reply = await newProject(`${PARK_HUITONG} `);

    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.park).toBe(PARK_HUITONG);
  });

  it('POST /inventory/{kind} of a parcel, a facility or a utility in 汇通园: 400 on park, nothing written; a quota has no park', async () => {
    const before = await store.snapshot();

    expectProblem(await add('parcels', parcelBody({ code: code('JZ'), park: '汇通园' })), 400, ['park']);
    expectProblem(await add('facilities', facilityBody({ code: code('CF'), park: '汇通园' })), 400, ['park']);
    expectProblem(await add('utilities', { park: '汇通园', utility: 'gas', capacity: 3000, unit: 'm3/d' }, users.huitongParkCenter), 403); // not its park
    const construction: User = { sub: 'u-build-1', name: '园区建设管理部', roles: ['construction_dept'], department: 'construction_dept' };
    expectProblem(await add('utilities', { park: '汇通园', utility: 'gas', capacity: 3000, unit: 'm3/d' }, construction), 400, ['park']);

    expect(await store.snapshot()).toEqual(before);
    expect((await add('environment', { year: 2026, pollutant: 'VOCs', totalTonnes: 40 })).status).toBe(201);
  });
});

describe('ops adding a park', () => {
  it('makes it usable at once for projects and records (the next version, audited)', async () => {
    const park = `临港园-${serial++}`;
    expectProblem(await newProject(park), 400, ['park']);

    const published = await addPark(park);

    expect(published.body.doc.parks.map((p) => p.name)).toEqual([...DEFAULT_PARKS_CONFIG.parks.map((p) => p.name), park]);
    expect((await store.audit('CONFIG#parks')).at(-1)).toMatchObject({ action: 'config.published', actor: users.opsEngineer.sub });
    expect((await newProject(park)).status).toBe(201);
    expect((await add('parcels', parcelBody({ code: code('LG'), park }))).status).toBe(201);
  });
});

describe('a park leaving the list', () => {
  it('is refused (409 naming the park and the projects) while a project pending admission or active is in it; nothing published', async () => {
    const park = `待撤园-${serial++}`;
    await addPark(park);
    const pending = (await newProject(park)).body;
    const active = (await newProject(park, { name: '已准入项目' })).body;
    expect((await call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: active.id }, body: { decision: 'approve' } }))).body.status).toBe('ACTIVE');
    const version = (await readParks()).body.version;

    const reply = await dropPark(park);

    const problem = expectProblem(reply, 409, ['doc.parks']);
    expect(problem.errors![0]!.message).toMatch(new RegExp(`^${park} is still the park of 2 active or pending projects \\((${active.id}, ${pending.id}|${pending.id}, ${active.id})\\): keep it in the list`));
    expect((await readParks()).body.version).toBe(version);
  });

  it('is refused (409) while an inventory record not retired is in it, naming the record; allowed once it is retired', async () => {
    const park = `撤园-${serial++}`;
    await addPark(park);
    const parcel = (await add('parcels', parcelBody({ code: code('CY'), park }))).body;

    const problem = expectProblem(await dropPark(park), 409, ['doc.parks']);
    expect(problem.detail).toBe(`${park} is still the park of 1 inventory record not retired (parcels ${parcel.code as string}): keep it in the list until they are done or retired`);

    const retired = await edit('parcels', parcel, { status: 'retired' });
    expect(retired.status, retired.text).toBe(200);
    const dropped = await dropPark(park);
    expect(dropped.status, dropped.text).toBe(200);
    expect(dropped.body.doc.parks.map((p) => p.name)).not.toContain(park);

    // The record keeps its park: still read and listed there, still edited — but it does not come back (409 on status).
    const listed = await call<{ items: Rec[] }>(listInventory, apiEvent('GET /inventory/{kind}', { as: users.committeeLeader, params: { kind: 'parcels' }, query: { park } }));
    expect(listed.body.items.map((r) => r.id)).toEqual([parcel.id]);
    const edited = await edit('parcels', retired.body, { facts: { use: '仓储用地' } });
    expect(edited.status, edited.text).toBe(200);
    const back = await edit('parcels', edited.body, { status: 'available' });
    expect(expectProblem(back, 409, ['status']).detail).toMatch(new RegExp(`^${park} is no longer one of the zone's parks`));
  });

  it('is allowed once its projects are done (a rejected project keeps its park and is still on the ledger there)', async () => {
    const park = `旧园区-${serial++}`;
    await addPark(park);
    const project = (await newProject(park)).body;
    expect((await dropPark(park)).status).toBe(409);
    const rejected = await call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: project.id }, body: { decision: 'reject', reason: '不符合园区产业定位' } }));
    expect(rejected.body.status).toBe('REJECTED');

    const dropped = await dropPark(park);

    expect(dropped.status, dropped.text).toBe(200);
    const ledger = await call<{ items: Rec[] }>(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, query: { park } }));
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.map((p) => [p.id, p.park])).toEqual([[project.id, park]]);
    expectProblem(await newProject(park), 400, ['park']);
  });
});

/**
 * Runs `write`; right before it (or anything it calls) sends the first transaction `matches` picks out (its items as
 * sent, one JSON text), `meanwhile` runs to the end: another write that commits in between.
 */
async function interleave<T>(matches: (sent: string) => boolean, meanwhile: () => Promise<unknown>, write: () => Promise<T>): Promise<T> {
  const name = `interleave-${++serial}`;
  let ran = false;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (!ran && /^TransactWrite/.test(String(context.commandName)) && matches(JSON.stringify(args.input))) {
        ran = true;
        await meanwhile();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    const result = await write();
    expect(ran, 'the other write ran in between').toBe(true);
    return result;
  } finally {
    ddb.middlewareStack.remove(name);
  }
}
const publication = (sent: string) => sent.includes('config.published');
/** A write naming `park` (not the publication, whose audit names it too). */
const naming = (park: string) => (sent: string) => sent.includes(park) && !publication(sent);
const inPark = async (park: string) => (await call<{ items: Rec[] }>(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, query: { park } }))).body.items;

describe('a park leaving the list while a write names it', () => {
  it('a project created between the publication’s look at the park and its commit: 201, and the publication is refused (409 naming it)', async () => {
    const park = `竞态园-${serial++}`;
    await addPark(park);
    let created: Awaited<ReturnType<typeof newProject>> | undefined;

    const dropped = await interleave(publication, async () => (created = await newProject(park)), () => dropPark(park));

    expect(created?.status, created?.text).toBe(201);
    const problem = expectProblem(dropped, 409, ['doc.parks']);
    expect(problem.detail).toContain(created!.body.id);
    expect((await readParks()).body.doc.parks.map((p) => p.name)).toContain(park);
  });

  it('a project decided on the list before a publication that drops its park commits: 400 on park, nothing written; the park is gone', async () => {
    const park = `竞态园-${serial++}`;
    await addPark(park);
    let dropped: Awaited<ReturnType<typeof dropPark>> | undefined;

    const created = await interleave(naming(park), async () => (dropped = await dropPark(park)), () => newProject(park));

    expect(dropped?.status, dropped?.text).toBe(200);
    expect(expectProblem(created, 400, ['park']).detail).toContain(`${park} is not one of the zone's parks`);
    expect(await inPark(park)).toEqual([]);
    expect((await readParks()).body.doc.parks.map((p) => p.name)).not.toContain(park);
  });

  it('an inventory record added, or brought back, in the moment: the publication is refused (409 naming it)', async () => {
    const park = `竞态园-${serial++}`;
    await addPark(park);
    let added: Awaited<ReturnType<typeof add>> | undefined;
    const first = await interleave(publication, async () => (added = await add('parcels', parcelBody({ code: code('JT'), park }))), () => dropPark(park));
    expect(added?.status, added?.text).toBe(201);
    expect(expectProblem(first, 409, ['doc.parks']).detail).toContain(added!.body.code as string);

    const retired = await edit('parcels', added!.body, { status: 'retired' });
    expect(retired.status, retired.text).toBe(200);
    let back: Awaited<ReturnType<typeof edit>> | undefined;
    const second = await interleave(publication, async () => (back = await edit('parcels', retired.body, { status: 'available' })), () => dropPark(park));
    expect(back?.status, back?.text).toBe(200);
    expect(expectProblem(second, 409, ['doc.parks']).detail).toContain(added!.body.code as string);
  });

  it('a park named a moment ago is not dropped until the indexes can show the write (PARK_SETTLE_MS): 409 naming it, with Retry-After', async () => {
    const park = `刚用园-${serial++}`;
    await addPark(park);
    const project = (await newProject(park)).body;
    // Rejected: no longer a user of the park, but named a moment ago.
    const rejected = await call<Rec>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: project.id }, body: { decision: 'reject', reason: '不符合园区产业定位' } }));
    expect(rejected.body.status).toBe('REJECTED');
    process.env.PARK_SETTLE_MS = '60000';
    try {
      const refused = await dropPark(park);
      expect(expectProblem(refused, 409, ['doc.parks']).detail).toBe(`${park} was named by ${project.id} a moment ago: retry in a few seconds, once it shows among the park's users`);
      expect(refused.headers['retry-after']).toBe('60');
    } finally {
      delete process.env.PARK_SETTLE_MS;
    }
    expect((await dropPark(park)).status).toBe(200);
  });

  it('a park dropped and listed again takes new projects and records (its dropped mark is cleared)', async () => {
    const park = `复设园-${serial++}`;
    await addPark(park);
    expect((await dropPark(park)).status).toBe(200);
    expectProblem(await newProject(park), 400, ['park']);
    await addPark(park);

    const created = await newProject(park);
    const record = await add('parcels', parcelBody({ code: code('FS'), park }));

    expect(created.status, created.text).toBe(201);
    expect(record.status, record.text).toBe(201);
  });

  it('a record moved to a park a publication drops before the move commits: 400 on facts.park, the record unchanged', async () => {
    const park = `竞态园-${serial++}`;
    await addPark(park);
    const parcel = (await add('parcels', parcelBody({ code: code('YD') }))).body;
    let dropped: Awaited<ReturnType<typeof dropPark>> | undefined;

    const moved = await interleave(naming(park), async () => (dropped = await dropPark(park)), () => edit('parcels', parcel, { facts: { park } }));

    expect(dropped?.status, dropped?.text).toBe(200);
    expectProblem(moved, 400, ['facts.park']);
    const listed = await call<{ items: Rec[] }>(listInventory, apiEvent('GET /inventory/{kind}', { as: users.committeeLeader, params: { kind: 'parcels' }, query: { park } }));
    expect(listed.body.items).toEqual([]);
  });
});

describe('a warm function that kept the list of parks (REFERENCE_CACHE_SECONDS)', () => {
  /** Publishes `doc` as another function would (its version, the parks it drops marked), forgetting nothing kept here. */
  const publishElsewhere = async (doc: Parks) => {
    const current = (await readParks()).body;
    const names = (d: Parks) => d.parks.map((p) => p.name);
    const dropped = await Promise.all(names(current.doc).filter((n) => !names(doc).includes(n)).map(parkNamings));
    const added = names(doc).filter((n) => !names(current.doc).includes(n));
    await transact([
      putConfigVersion({ name: 'parks', version: current.version + 1, doc, publishedAt: new Date().toISOString(), publishedBy: users.opsEngineer.sub }),
      ...parksPublishedOps(dropped, added, current.version + 1),
    ]);
  };
  const keeping = async <T>(fn: () => Promise<T>): Promise<T> => {
    process.env.REFERENCE_CACHE_SECONDS = '60';
    forgetReferenceData();
    try {
      return await fn();
    } finally {
      delete process.env.REFERENCE_CACHE_SECONDS;
      forgetReferenceData();
    }
  };

  it('takes a park added a moment ago by another function (201), where the kept list does not have it yet', async () => {
    await keeping(async () => {
      const park = `新园区-${serial++}`;
      expect((await newProject(DEFAULT_PARKS_CONFIG.parks[0]!.name)).status).toBe(201); // the list is kept now
      await publishElsewhere({ parks: [...(await readParks()).body.doc.parks, { name: park }] });

      const created = await newProject(park);
      const record = await add('parcels', parcelBody({ code: code('XY'), park }));

      expect(created.status, created.text).toBe(201);
      expect(record.status, record.text).toBe(201);
    });
  });

  it('refuses a park dropped a moment ago by another function (400), where the kept list still has it', async () => {
    const park = `将撤园-${serial++}`;
    await addPark(park);
    await keeping(async () => {
      expect((await newProject(DEFAULT_PARKS_CONFIG.parks[0]!.name)).status).toBe(201); // the list is kept now
      await publishElsewhere({ parks: (await readParks()).body.doc.parks.filter((p) => p.name !== park) });

      expectProblem(await newProject(park), 400, ['park']);
      expect(await inPark(park)).toEqual([]);
    });
  });
});

describe('reading a park not in the list', () => {
  it('answers the ledger and the inventory with what they hold there (nothing): a filter is not a write', async () => {
    const projects = await call<{ items: Rec[]; nextCursor: string | null }>(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, query: { park: '从未有过的园区' } }));
    const parcels = await call<{ items: Rec[]; nextCursor: string | null }>(listInventory, apiEvent('GET /inventory/{kind}', { as: users.committeeLeader, params: { kind: 'parcels' }, query: { park: '从未有过的园区' } }));

    expect([projects.status, projects.body.items, projects.body.nextCursor]).toEqual([200, [], null]);
    expect([parcels.status, parcels.body.items, parcels.body.nextCursor]).toEqual([200, [], null]);
  });
});
