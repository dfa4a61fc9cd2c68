// PATCH /projects/{id}: the owning department edits descriptive fields under optimistic locking (If-Match), every
// change audited with the before/after of what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('edit');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

type Project = Record<string, unknown> & { id: string; version: number; name: string };

async function industrialProject(): Promise<Project> {
  const reply = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
  expect(reply.status).toBe(201);
  return reply.body;
}

const edit = (id: string, body: unknown, opts: { ifMatch?: string; as?: User } = {}) =>
  call<Project>(
    updateProject,
    apiEvent('PATCH /projects/{id}', {
      as: opts.as ?? users.investmentOfficer,
      params: { id },
      body,
      headers: opts.ifMatch === undefined ? {} : { 'if-match': opts.ifMatch },
    }),
  );

describe('editing a project (If-Match)', () => {
  it('requires If-Match (428) and changes nothing', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '新名称' });

    expectProblem(reply, 428);
    expect(await store.storedProject(project.id)).toMatchObject({ name: project.name, version: 1 });
  });

  it('refuses a stale If-Match (412) and changes nothing', async () => {
    const project = await industrialProject();
    expect((await edit(project.id, { name: '第一次更名' }, { ifMatch: '"1"' })).status).toBe(200);
    const auditBefore = await store.audit(`PROJECT#${project.id}`);

    const reply = await edit(project.id, { name: '基于旧版本的更名' }, { ifMatch: '"1"' });

    expectProblem(reply, 412);
    expect(await store.storedProject(project.id)).toMatchObject({ name: '第一次更名', version: 2 });
    expect(await store.audit(`PROJECT#${project.id}`)).toHaveLength(auditBefore.length);
  });

  it('applies an edit with the current If-Match: version + 1 and a new ETag', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '示例新能源汽车零部件项目（二期）' }, { ifMatch: '"1"' });

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"2"');
    expect(reply.body).toMatchObject({ id: project.id, name: '示例新能源汽车零部件项目（二期）', version: 2 });
    expect(await store.storedProject(project.id)).toMatchObject({ name: '示例新能源汽车零部件项目（二期）', version: 2 });
  });

  it('refuses an edit whose every value is the project\'s already (400 empty): the version stays, nothing is audited', async () => {
    const project = await industrialProject();
    const before = await store.snapshot();
    expectProblem(await edit(project.id, { name: project.name as string }, { ifMatch: '"1"' }), 400, ['']);
    expect(await store.snapshot()).toEqual(before);
    expect(await store.storedProject(project.id)).toMatchObject({ version: 1 });
  });

  it('accepts the ETag in its weak form W/"1"', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { techLevel: 'leading' }, { ifMatch: 'W/"1"' });

    expect(reply.status).toBe(200);
    expect(reply.body.techLevel).toBe('leading');
  });

  it('refuses an If-Match that is not a version (400 naming If-Match)', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '新名称' }, { ifMatch: '"abc"' });

    expectProblem(reply, 400, ['If-Match']);
  });

  it('refuses an If-Match quoted on one side only ("1 or 1") — not an ETag — and writes nothing; the bare version 1 is taken', async () => {
    const project = await industrialProject();
    const before = await store.snapshot();
    for (const ifMatch of ['"1', '1"', 'W/"1', 'W/1"']) expectProblem(await edit(project.id, { name: '新名称' }, { ifMatch }), 400, ['If-Match']);
    expect(await store.snapshot()).toEqual(before);
    expect((await edit(project.id, { techLevel: 'leading' }, { ifMatch: '1' })).status).toBe(200);
  });

  it('shows the edit to the next reader, with the new ETag', async () => {
    const project = await industrialProject();
    await edit(project.id, { chainRole: 'strengthen' }, { ifMatch: '"1"' });

    const reply = await call<Project>(getProject, apiEvent('GET /projects/{id}', { as: users.supervisionOfficer, params: { id: project.id } }));

    expect(reply.headers.etag).toBe('"2"');
    expect(reply.body.chainRole).toBe('strengthen');
  });

  it('records the edit in the audit log with the before/after of the changed field only', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '更名项目' }, { ifMatch: '"1"' });

    const events = await store.audit(`PROJECT#${project.id}`);
    expect(events.map((e) => e.action)).toEqual(['project.created', 'project.updated']);
    expect(events[1]).toMatchObject({ actor: users.investmentOfficer.sub, roles: ['investment_dept'] });
    expect(events[1]?.before).toEqual({ name: '示例新能源汽车零部件项目' });
    expect(events[1]?.after).toEqual({ name: '更名项目' });
    expect(reply.body.updatedAt).not.toBe(project.updatedAt);
  });

  it('changes the investor’s name but keeps its enterprise id', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { investor: { name: '示例汽车科技股份有限公司' } }, { ifMatch: '"1"' });

    expect(reply.body.investor).toEqual({ name: '示例汽车科技股份有限公司', enterpriseId: 'ent-a' });
    const events = await store.audit(`PROJECT#${project.id}`);
    expect(events[1]?.after).toEqual({ investor: { name: '示例汽车科技股份有限公司', enterpriseId: 'ent-a' } });
  });

  it('lets only one of two officials editing the same version at once succeed; the other is told to re-read', async () => {
    const project = await industrialProject();

    const replies = await Promise.all([
      edit(project.id, { name: '甲的更名' }, { ifMatch: '"1"' }),
      edit(project.id, { name: '乙的更名' }, { ifMatch: '"1"' }),
    ]);

    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect([409, 412]).toContain(replies.find((r) => r.status !== 200)?.status);
    const winner = replies.find((r) => r.status === 200);
    expect(await store.storedProject(project.id)).toMatchObject({ name: winner?.body.name, version: 2 });
    expect(await store.audit(`PROJECT#${project.id}`)).toHaveLength(2);
  });
});

describe('what an edit may change', () => {
  it.each(['stage', 'status', 'category', 'categoryReason', 'admission', 'dedicatedTeam', 'version', 'track', 'park', 'amendmentCount'])(
    'refuses to change %s through an edit (400 naming it) and changes nothing',
    async (field) => {
      const project = await industrialProject();

      const reply = await edit(project.id, { [field]: project[field] }, { ifMatch: '"1"' });

      expectProblem(reply, 400, [field]);
      expect(await store.storedProject(project.id)).toMatchObject({ version: 1 });
    },
  );

  it('refuses to move the project to another enterprise (investor.enterpriseId)', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { investor: { name: '别家', enterpriseId: 'ent-b' } }, { ifMatch: '"1"' });

    expectProblem(reply, 400, ['investor.enterpriseId']);
  });

  it('refuses an empty edit (400)', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, {}, { ifMatch: '"1"' });

    expectProblem(reply, 400);
    expect(await store.storedProject(project.id)).toMatchObject({ version: 1 });
  });
});

describe('classification fields and the contract (mass assignment closed)', () => {
  const admit = async (id: string) => {
    const reply = await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id }, body: { decision: 'approve' } }));
    expect(reply.status).toBe(200);
    return reply.body as Project;
  };
  const standard = async () => {
    const reply = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000 }) }));
    expect(reply.body.category).toBe('standard');
    return reply.body;
  };

  it('before admission, an investment change re-classifies: category, reason and the deciders; earlier decisions are void', async () => {
    const project = await industrialProject();
    expect(project).toMatchObject({ category: 'major', admission: { required: ['investment_dept', 'committee_leader'] } });
    const half = await call<Project>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: project.id }, body: { decision: 'approve' } }));
    expect((half.body.admission as { decisions: unknown[] }).decisions).toHaveLength(1);

    const reply = await edit(project.id, { totalInvestmentCny: 300_000_000 }, { ifMatch: '"2"' });

    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ category: 'standard', categoryReason: expect.stringMatching(/^总投资3亿元/), dedicatedTeam: null, admission: { required: ['investment_dept'], decisions: [] } });
    expect((await store.audit(`PROJECT#${project.id}`)).at(-1)).toMatchObject({ action: 'project.reclassified', before: { category: 'major' }, after: { category: 'standard' } });
  });

  it('before admission, a project that becomes major gets the committee leader as a decider and its 专班', async () => {
    const project = await standard();
    const reply = await edit(project.id, { totalInvestmentCny: 1_500_000_000 }, { ifMatch: '"1"' });
    expect(reply.body).toMatchObject({ category: 'major', dedicatedTeam: { lead: 'committee_leader' }, admission: { required: ['investment_dept', 'committee_leader'] } });
  });

  it.each([
    ['industry', { industry: 'biomedicine' }],
    ['techLevel', { techLevel: 'standard' }],
    ['chainRole', { chainRole: 'none' }],
    ['totalInvestmentCny', { totalInvestmentCny: 10_000_000 }],
    ['targets', { targets: { jobs: 0 } }],
  ])('after admission, %s is locked: 409 naming it, nothing written', async (field, change) => {
    const project = await admit((await standard()).id);
    const before = await store.snapshot();

    const reply = await edit(project.id, change, { ifMatch: `"${project.version}"` });

    expect(expectProblem(reply, 409, [field]).detail).toMatch(/amendments/);
    expect(await store.snapshot()).toEqual(before);
  });

  it('after admission, sending the contract terms it already has (in any key order) is no change, not a 409', async () => {
    const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000, targets: { outputValueCny: 5, taxCny: 6, jobs: 7 } }) }));
    const project = await admit(created.body.id);
    const reply = await edit(project.id, { name: '同条款更名', targets: { jobs: 7, taxCny: 6, outputValueCny: 5 }, totalInvestmentCny: 300_000_000 }, { ifMatch: `"${project.version}"` });
    expect(reply.status, reply.text).toBe(200);
  });

  it('merges a change of the needs: the fields named change, one sent as null goes, the rest stay', async () => {
    const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ needs: { areaM2: 12_000, powerKva: 800, clearHeightM: 9 } }) }));
    const reply = await edit(created.body.id, { needs: { powerKva: 1_250, clearHeightM: null } }, { ifMatch: `"${created.body.version}"` });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.needs).toMatchObject({ areaM2: 12_000, powerKva: 1_250 });
    expect(reply.body.needs).not.toHaveProperty('clearHeightM');
  });

  it('reads needs with every field removed as null, as a project given none reads (not an empty object)', async () => {
    const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ needs: { areaM2: 12_000, powerKva: 800 } }) }));
    const reply = await edit(created.body.id, { needs: { areaM2: null, powerKva: null } }, { ifMatch: `"${created.body.version}"` });
    expect(reply.status, reply.text).toBe(200);
    const { needs: _needs, ...withoutNeeds } = projectBody();
    const none = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: withoutNeeds }));
    expect(none.body.needs).toBeNull();
    expect(reply.body.needs).toBeNull();
  });

  it('after admission, descriptive fields still change (name, needs)', async () => {
    const project = await admit((await standard()).id);
    const reply = await edit(project.id, { name: '更名后的项目', needs: { areaM2: 9000 } }, { ifMatch: `"${project.version}"` });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ name: '更名后的项目', category: project.category });
  });
});

describe('who may edit a project', () => {
  it('refuses the sci-tech service center on an industrial project (403) and changes nothing', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '越权更名' }, { ifMatch: '"1"', as: users.scitechOfficer });

    expectProblem(reply, 403);
    expect(await store.storedProject(project.id)).toMatchObject({ name: project.name, version: 1 });
  });

  it('refuses the investing enterprise (403)', async () => {
    const project = await industrialProject();

    const reply = await edit(project.id, { name: '企业自改' }, { ifMatch: '"1"', as: users.enterpriseA });

    expectProblem(reply, 403);
  });

  it('answers 404 for a project that does not exist', async () => {
    const reply = await edit('prj-missing-1', { name: '无' }, { ifMatch: '"1"' });

    expectProblem(reply, 404);
  });

  it('refuses to edit a rejected project (409)', async () => {
    const project = await industrialProject();
    const rejected = await call(
      decideAdmission,
      apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: project.id }, body: { decision: 'reject', reason: '不符合产业定位' } }),
    );
    expect(rejected.status).toBe(200);

    const reply = await edit(project.id, { name: '复活' }, { ifMatch: '"2"' });

    expectProblem(reply, 409);
  });
});
