// POST /projects through the real handler and DynamoDB Local: 分类研判 classification, admission pending, the audit
// event committed with the project, and who may create what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('create');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: getTimeline } = await import('../../functions/projects/http/get-timeline.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Project = Record<string, unknown> & { id: string; version: number };

const create = (body: Record<string, unknown>, as: (typeof users)[keyof typeof users] | null = users.investmentOfficer) =>
  call<Project>(createProject, apiEvent('POST /projects', { as, body }));

describe('creating a project (项目签约录入)', () => {
  it('registers a 1.2-billion-yuan project as major (重大项目), pending admission, at version 1', async () => {
    const reply = await create(projectBody());

    expect(reply.status).toBe(201);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.body).toMatchObject({
      name: '示例新能源汽车零部件项目',
      investor: { name: '示例汽车科技有限公司', enterpriseId: 'ent-a' },
      track: 'industrial',
      totalInvestmentCny: 1_200_000_000,
      park: '汇通产业园',
      category: 'major',
      stage: 'SIGNING',
      status: 'PENDING_ADMISSION',
      light: 'green',
      escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null },
      admission: { required: ['investment_dept', 'committee_leader'], decisions: [] },
      version: 1,
    });
    expect(reply.body.id).toMatch(/^prj-[a-z0-9-]+$/);
    expect(new Date(reply.body.createdAt as string).toISOString()).toBe(reply.body.createdAt);
  });

  it('writes down why the project is major: 12亿元 ≥ 10亿元', async () => {
    const reply = await create(projectBody());

    expect(reply.body.categoryReason).toMatch(/^总投资12亿元 ≥ 10亿元：重大项目；主导产业（新能源汽车）/);
  });

  it('gives a major project a leader-level dedicated service team (领导专班) led by the committee leader', async () => {
    const reply = await create(projectBody());

    expect(reply.body.dedicatedTeam).toMatchObject({
      kind: 'leader',
      lead: 'committee_leader',
      members: ['investment_dept', 'park_center', 'resources_bureau', 'approval_office'],
    });
  });

  it('answers with ETag "1" and the Location of the new project', async () => {
    const reply = await create(projectBody());

    expect(reply.headers.etag).toBe('"1"');
    expect(reply.headers.location).toBe(`/projects/${reply.body.id}`);
  });

  it('shows the land need in 亩 as well as m² (120,000 m² = 180 亩)', async () => {
    const reply = await create(projectBody());

    expect(reply.body.needs).toMatchObject({ areaM2: 120_000, areaMu: 180 });
  });

  it.each([
    { total: 1_000_000_000, industry: 'other', techLevel: 'standard', chainRole: 'none', category: 'major' },
    { total: 999_999_999, industry: 'nev', techLevel: 'leading', chainRole: 'fill', category: 'standard' },
    { total: 100_000_000, industry: 'other', techLevel: 'standard', chainRole: 'none', category: 'standard' },
    { total: 99_999_999, industry: 'other', techLevel: 'leading', chainRole: 'fill', category: 'small' },
    // 重点产业 with a leading technology or a 补链/强链 role is upgraded to standard below 1亿.
    { total: 50_000_000, industry: 'equipment', techLevel: 'leading', chainRole: 'none', category: 'standard' },
    { total: 50_000_000, industry: 'infotech', techLevel: 'standard', chainRole: 'strengthen', category: 'standard' },
    { total: 50_000_000, industry: 'biomedicine', techLevel: 'leading', chainRole: 'fill', category: 'small' },
  ])('classifies $total CNY ($industry, $techLevel, $chainRole) as $category', async ({ total, industry, techLevel, chainRole, category }) => {
    const reply = await create(projectBody({ totalInvestmentCny: total, industry, techLevel, chainRole }));

    expect(reply.status).toBe(201);
    expect(reply.body.category).toBe(category);
    expect(reply.body.categoryReason).toEqual(expect.stringContaining(category === 'major' ? '重大项目' : category === 'standard' ? '一般项目' : '小型项目'));
  });

  it('gives a standard project no dedicated team and only its track department decides admission', async () => {
    const reply = await create(projectBody({ totalInvestmentCny: 300_000_000 }));

    expect(reply.body.category).toBe('standard');
    expect(reply.body.dedicatedTeam).toBeNull();
    expect(reply.body.admission).toEqual({ required: ['investment_dept'], decisions: [] });
  });

  it('stores the project exactly as it answered', async () => {
    const reply = await create(projectBody({ totalInvestmentCny: 120_000_000 }));

    const stored = await store.storedProject(reply.body.id);
    expect(stored).toMatchObject({
      id: reply.body.id,
      category: 'standard',
      status: 'PENDING_ADMISSION',
      version: 1,
      createdBy: users.investmentOfficer.sub,
    });
    // Its ledger entry, in the same transaction: the facets and the ledger indexes' keys.
    const { Item: entry } = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_LEDGER, Key: { pk: `PROJECT#${reply.body.id}` } }));
    expect(entry).toMatchObject({ id: reply.body.id, status: 'PENDING_ADMISSION', park: '汇通产业园', gsiPark: '汇通产业园', gsiEnterprise: 'ent-a' });
    expect(stored).not.toHaveProperty('gsiPark');
  });

  it('lets the sci-tech service center (科技服务中心) create sci-tech projects', async () => {
    const reply = await create(projectBody({ track: 'scitech', industry: 'biomedicine', park: '科创城' }), users.scitechOfficer);

    expect(reply.status).toBe(201);
    expect(reply.body.admission).toMatchObject({ required: ['scitech_dept', 'committee_leader'] });
  });
});

describe('the audit trail of a creation (全程可溯)', () => {
  it('records a project.created event, with who and which request, in the same commit as the project', async () => {
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    const created = await call<Project>(createProject, event);

    const timeline = await call<{ items: Record<string, unknown>[]; nextCursor: string | null }>(
      getTimeline,
      apiEvent('GET /projects/{id}/timeline', { as: users.disciplineInspector, params: { id: created.body.id } }),
    );

    expect(timeline.status).toBe(200);
    expect(timeline.body.nextCursor).toBeNull();
    expect(timeline.body.items).toHaveLength(1);
    expect(timeline.body.items[0]).toMatchObject({
      subject: `PROJECT#${created.body.id}`,
      action: 'project.created',
      actor: users.investmentOfficer.sub,
      actorName: users.investmentOfficer.name,
      roles: ['investment_dept'],
      requestId: event.requestContext.requestId,
      before: {},
      after: { id: created.body.id, category: 'major', status: 'PENDING_ADMISSION' },
    });
    expect(timeline.body.items[0]?.after).not.toHaveProperty('version');
  });
});

describe('who may create a project', () => {
  it('refuses a sci-tech project from the investment department (403) and writes nothing', async () => {
    const before = await store.snapshot();

    const reply = await create(projectBody({ track: 'scitech' }), users.investmentOfficer);

    expectProblem(reply, 403);
    expect(await store.snapshot()).toEqual(before);
  });

  it('refuses an enterprise (403)', async () => {
    const before = await store.snapshot();

    const reply = await create(projectBody(), users.enterpriseA);

    expectProblem(reply, 403);
    expect(await store.snapshot()).toEqual(before);
  });

  it('refuses a park service center (403)', async () => {
    const reply = await create(projectBody(), users.huitongParkCenter);

    expectProblem(reply, 403);
  });

  it('accepts a Cognito token whose roles come as cognito:groups', async () => {
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    const claims = { sub: 'cognito-user-1', 'cognito:username': '招商专员', 'cognito:groups': '[investment_dept ops]', 'custom:department': 'investment_dept' };
    event.requestContext.authorizer.jwt.claims = claims;

    const reply = await call<Project>(createProject, event);

    expect(reply.status).toBe(201);
    expect(await store.storedProject(reply.body.id)).toMatchObject({ createdBy: 'cognito-user-1' });
  });

  it('refuses a token without a subject (401)', async () => {
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    event.requestContext.authorizer.jwt.claims = { roles: '[investment_dept]', name: '无主体' };

    const reply = await call(createProject, event);

    expectProblem(reply, 401);
  });

  it('refuses a request without a token as not authenticated (401)', async () => {
    const before = await store.snapshot();

    const reply = await create(projectBody(), null);

    expectProblem(reply, 401);
    expect(await store.snapshot()).toEqual(before);
  });
});
