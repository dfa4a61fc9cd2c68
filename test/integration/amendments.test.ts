// POST /projects/{id}/amendments — after admission the contract's terms change only through a recorded amendment by
// the committee leader: audited before/after with its reason, re-classified, a project that becomes major gets its 专班.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('amendments');
registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: amend } = await import('../../functions/projects/http/amend-contract.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Project = Record<string, unknown> & { id: string; version: number; category: string };

async function admitted(totalInvestmentCny = 300_000_000): Promise<Project> {
  const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny, targets: { outputValueCny: 1_000_000_000, taxCny: 30_000_000, jobs: 300 } }) }));
  const reply = await call<Project>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created.body.id }, body: { decision: 'approve' } }));
  expect(reply.body.status).toBe('ACTIVE');
  return reply.body;
}

const amendment = (id: string, body: unknown, as: User = users.committeeLeader) => call<{ amendment: Record<string, unknown>; project: Project }>(amend, apiEvent('POST /projects/{id}/amendments', { as, params: { id }, body }));

describe('a contract amendment', () => {
  it('changes the terms with the reason on record, re-classifies, and forms the 专班 of a project that became major', async () => {
    const project = await admitted();
    expect(project.category).toBe('standard');

    const reply = await amendment(project.id, { reason: '企业追加投资，经管委会研究同意', changes: { totalInvestmentCny: 1_800_000_000, targets: { outputValueCny: 5_000_000_000, taxCny: 150_000_000, jobs: 1200 } } });

    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.project).toMatchObject({ totalInvestmentCny: 1_800_000_000, category: 'major', dedicatedTeam: { lead: 'committee_leader' }, targets: { jobs: 1200 } });
    expect(reply.body.amendment).toMatchObject({
      reason: '企业追加投资，经管委会研究同意',
      by: users.committeeLeader.sub,
      changes: { totalInvestmentCny: { before: 300_000_000, after: 1_800_000_000 }, targets: { before: { jobs: 300 }, after: { jobs: 1200 } } },
      classification: { before: { category: 'standard' }, after: { category: 'major' } },
    });
    const event = (await store.audit(`PROJECT#${project.id}`)).at(-1)!;
    expect(event).toMatchObject({ action: 'contract.amended', actor: users.committeeLeader.sub, before: { totalInvestmentCny: 300_000_000, category: 'standard' }, after: { totalInvestmentCny: 1_800_000_000, category: 'major', reason: '企业追加投资，经管委会研究同意' } });
    // The lifecycle re-evaluates (the 达产 targets feed its gate).
    expect((await store.signals()).some((s) => s.kind === 'wake' && s.projectId === project.id && s.reason === 'contract.amended')).toBe(true);
    expect((await store.storedProject(project.id))?.amendmentCount).toBe(1);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const record = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: `PROJECT#${project.id}`, sk: `AMENDMENT#${String(reply.body.amendment.id)}` } }));
    expect(record.Item).toMatchObject({ entity: 'contract-amendment', reason: '企业追加投资，经管委会研究同意', changes: { totalInvestmentCny: { after: 1_800_000_000 } } });
  });

  it('is decided by the committee leader only (403), needs a reason and a real change (400), and writes nothing when refused', async () => {
    const project = await admitted();
    const before = await store.snapshot();
    expectProblem(await amendment(project.id, { reason: '部门调整', changes: { techLevel: 'leading' } }, users.investmentOfficer), 403);
    expectProblem(await amendment(project.id, { changes: { techLevel: 'leading' } }), 400, ['reason']);
    expectProblem(await amendment(project.id, { reason: '无变化', changes: { techLevel: project.techLevel } }), 400, ['changes']);
    expectProblem(await amendment(project.id, { reason: '改名', changes: { name: '新名' } }), 400, ['changes.name']);
    expect(await store.snapshot()).toEqual(before);
  });

  it('keeps the category when only the targets change, even after the thresholds moved', async () => {
    const project = await admitted(900_000_000);
    expect(project.category).toBe('standard');
    const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const published = await call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'classification' }, headers: { 'if-match': '"1"' }, body: { doc: { ...DEFAULT_CONFIG.classification, majorMinCny: 800_000_000 } } }));
    expect(published.status, published.text).toBe(200);
    const reply = await amendment(project.id, { reason: '调整达产目标', changes: { targets: { outputValueCny: 1_200_000_000, taxCny: 30_000_000, jobs: 300 } } });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.project.category).toBe('standard');
    expect(reply.body.amendment).toMatchObject({ classification: { before: { category: 'standard' }, after: { category: 'standard' } } });
  });

  it('changes the targets it names and keeps the others (a target sent as null is removed)', async () => {
    const project = await admitted();
    const jobs = await amendment(project.id, { reason: '只调整就业目标', changes: { targets: { jobs: 500 } } });
    expect(jobs.status, jobs.text).toBe(201);
    expect(jobs.body.project.targets).toEqual({ outputValueCny: 1_000_000_000, taxCny: 30_000_000, jobs: 500 });
    expect(jobs.body.amendment).toMatchObject({ changes: { targets: { before: { jobs: 300, taxCny: 30_000_000 }, after: { jobs: 500, taxCny: 30_000_000 } } } });
    const tax = await amendment(project.id, { reason: '取消税收目标', changes: { targets: { taxCny: null } } });
    expect(tax.status, tax.text).toBe(201);
    expect(tax.body.project.targets).toEqual({ outputValueCny: 1_000_000_000, jobs: 500 });
    // Naming a target with the value it has changes nothing.
    expectProblem(await amendment(project.id, { reason: '无变化', changes: { targets: { jobs: 500 } } }), 400, ['changes']);
    // Every target removed: the contract names none, and reads so as a project created without targets does (null).
    const none = await amendment(project.id, { reason: '取消全部目标', changes: { targets: { outputValueCny: null, jobs: null } } });
    expect(none.status, none.text).toBe(201);
    expect(none.body.project.targets).toBeNull();
  });

  it('reads back as it was answered, oldest first and paged, for staff (the enterprise: 403)', async () => {
    const { handler: list } = await import('../../functions/projects/http/list-amendments.ts');
    const project = await admitted();
    const first = await amendment(project.id, { reason: '企业追加投资', changes: { totalInvestmentCny: 1_800_000_000 } });
    const second = await amendment(project.id, { reason: '技术升级', changes: { techLevel: 'leading' } });
    expect([first.status, second.status]).toEqual([201, 201]);
    type Page = { items: Record<string, unknown>[]; nextCursor: string | null };
    const read = (query: Record<string, string>, as: User = users.disciplineInspector) => call<Page>(list, apiEvent('GET /projects/{id}/amendments', { as, params: { id: project.id }, query }));

    const whole = await read({});
    expect(whole.status, whole.text).toBe(200);
    expect(whole.body).toEqual({ items: [first.body.amendment, second.body.amendment], nextCursor: null });
    const page1 = await read({ limit: '1' });
    expect(page1.body.items).toEqual([first.body.amendment]);
    const page2 = await read({ limit: '1', cursor: page1.body.nextCursor! });
    expect(page2.body.items).toEqual([second.body.amendment]);
    expectProblem(await read({}, users.enterpriseA), 403);
  });

  it("answers with a Location that reads the amendment itself: staff who may read the project, 404 for an id the project does not have", async () => {
    const project = await admitted();
    const other = await admitted();
    const reply = await amendment(project.id, { reason: '企业追加投资', changes: { totalInvestmentCny: 1_800_000_000 } });
    expect(reply.status, reply.text).toBe(201);
    const id = String(reply.body.amendment.id);
    expect(reply.headers.location).toBe(`/projects/${project.id}/amendments/${id}`);
    const { handler: getAmendment } = await import('../../functions/projects/http/get-amendment.ts');
    const read = (projectId: string, amendmentId: string, as: User = users.disciplineInspector) =>
      call<Record<string, unknown>>(getAmendment, apiEvent('GET /projects/{id}/amendments/{amendmentId}', { as, params: { id: projectId, amendmentId } }));
    const got = await read(project.id, id);
    expect(got.status, got.text).toBe(200);
    expect(got.body).toEqual(reply.body.amendment);
    // The project's version, as the list's siblings (reservations, allocations) answer it.
    expect(got.headers.etag).toBe(reply.headers.etag);
    expectProblem(await read(other.id, id), 404);
    expectProblem(await read(project.id, 'amd-nope'), 404);
    expectProblem(await read(project.id, 'x/../y'), 400, ['path.amendmentId']);
    expectProblem(await read(project.id, id, users.enterpriseA), 403);
    // A park center: its own park's project, as the list; another park's project is not there for it (404, as the list).
    expect((await read(project.id, id, users.huitongParkCenter)).body).toEqual(reply.body.amendment);
    expectProblem(await read(project.id, id, users.kechuangParkCenter), 404);
  });

  it('is refused before admission (409: the terms are edited then)', async () => {
    const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    expectProblem(await amendment(created.body.id, { reason: '提前变更', changes: { techLevel: 'leading' } }), 409);
  });
});
