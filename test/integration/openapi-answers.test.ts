// A client generated from GET /openapi.json drives a real day over HTTP — the local gateway (local/server.ts), dev
// tokens, the real handlers on DynamoDB Local and the real ASL in the embedded runner: a project registered, admitted,
// its signing tasks done with a site held, its transition meeting recorded and corrected and its gate approved into
// LANDING; progress and production figures filed; the inventory, the fund, letters, reports in each of their types,
// configuration and calendar; then the refusals every operation can answer. Every answer is checked against the served
// document (test/support/openapi-answers.ts): its status listed, its Content-Type declared, its body valid and every
// field named, the headers a client acts on declared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { servedClient } from '../support/openapi-answers.ts';
import { projectInput } from '../support/domain.ts';
import { parcelBody as inventoryParcel } from '../support/inventory.ts';

const TODAY = '2026-03-02';
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
let client: Awaited<ReturnType<typeof servedClient>>;
let doc: typeof client.doc;

beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: `${TODAY}T09:00:00+08:00`, scale: 1 });
  client = await servedClient(env.loadHandler);
  doc = client.doc;
}, 120_000);
afterAll(async () => {
  await client?.close();
  await env?.stop();
});

const request = (...args: Parameters<typeof client.request>) => client.request(...args);
const expectStatus = (...args: Parameters<typeof client.expectStatus>) => client.expectStatus(...args);

const projectBody = (name: string) =>
  projectInput({
    name,
    investor: { name: '契约测试有限公司', enterpriseId: 'ent-a' },
    totalInvestmentCny: 300_000_000,
    targets: { outputValueCny: 900_000_000, taxCny: 30_000_000, jobs: 200 },
    needs: { areaM2: 40_000 },
  });
const parcelBody = (code: string) => inventoryParcel({ code, areaM2: 50_000, readiness: { relicSurvey: '2026-01-05', landApproval: '2026-01-06', clearanceList: '2026-01-07', infrastructure: '2026-01-08' } });

interface Task { id: string; stage: string; lead: string; status: string; kind: string; startedDate: string | null }
const ids: Record<string, string> = {};

describe('every answer of a day against the served OpenAPI document', () => {
  it('a project from registration through its signing gate into LANDING', async () => {
    const created = await expectStatus(201, 'investment_dept', 'POST', '/projects', { body: projectBody('契约项目'), headers: { 'idempotency-key': 'contract-1' } });
    await expectStatus(201, 'investment_dept', 'POST', '/projects', { body: projectBody('契约项目'), headers: { 'idempotency-key': 'contract-1' } });
    await expectStatus(422, 'investment_dept', 'POST', '/projects', { body: projectBody('另一个项目'), headers: { 'idempotency-key': 'contract-1' } });
    const id = (ids.project = created.body.id);
    await expectStatus(400, 'investment_dept', 'POST', '/projects', { body: { ...projectBody('x'), track: 'nope' } });
    await expectStatus(200, 'committee_leader', 'GET', '/projects', { query: { limit: '1' } });
    await expectStatus(200, 'enterprise', 'GET', `/projects/${id}`);
    const read = await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}`);
    await expectStatus(428, 'investment_dept', 'PATCH', `/projects/${id}`, { body: { name: '契约项目（更名）' } });
    await expectStatus(412, 'investment_dept', 'PATCH', `/projects/${id}`, { body: { name: '契约项目（更名）' }, headers: { 'if-match': '"99"' } });
    await expectStatus(200, 'investment_dept', 'PATCH', `/projects/${id}`, { body: { name: '契约项目（更名）' }, headers: { 'if-match': read.headers.get('etag')! } });
    await expectStatus(200, 'investment_dept', 'POST', `/projects/${id}/admission`, { body: { decision: 'approve', reason: '符合产业导向' } });
    await expectStatus(409, 'investment_dept', 'POST', `/projects/${id}/admission`, { body: { decision: 'approve', reason: '符合产业导向' } });

    // The site the signing gate needs: a parcel put in the inventory by its keeper, reserved by the park center.
    const parcel = await expectStatus(201, 'resources_bureau', 'POST', '/inventory/parcels', { body: parcelBody('QY-001') });
    ids.parcel = parcel.body.id;
    ids.reservation = (await expectStatus(201, 'park_center', 'POST', `/projects/${id}/reservations`, { body: { kind: 'parcels', resourceId: parcel.body.id } })).body.id;
    await expectStatus(409, 'park_center', 'POST', `/projects/${id}/reservations`, { body: { kind: 'parcels', resourceId: parcel.body.id } });

    // Every signing task done by its lead as it starts (a completion racing the stage's set-up is a 409 to retry).
    const tasks = async () => (await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/tasks`, { query: { limit: '100' } })).body.items as Task[];
    await until(async () => ((await tasks()).some((t) => t.stage === 'SIGNING') ? true : undefined));
    ids.task = (await tasks())[0]!.id;
    await until(async () => {
      const open = (await tasks()).filter((t) => t.stage === 'SIGNING' && t.status === 'open' && t.kind === 'matrix');
      for (const t of open.filter((x) => x.startedDate)) expect([200, 409]).toContain((await request(t.lead, 'POST', `/projects/${id}/tasks/${t.id}/complete`, { body: { note: '已办结' } })).status);
      return open.length === 0 ? true : undefined;
    });
    await expectStatus(409, 'investment_dept', 'POST', `/projects/${id}/tasks/SIGNING.pre_site_selection/complete`, { body: { note: '再办一次' } });
    const gate = await until(async () => {
      const p = (await request('committee_leader', 'GET', `/projects/${id}`)).body as { gate: { open: boolean; requiredApprovals: string[] } | null };
      return p.gate?.open ? p.gate : undefined;
    });
    await expectStatus(201, 'committee_leader', 'POST', `/projects/${id}/gates/SIGNING/meeting`, { body: { heldOn: TODAY, attendees: ['分管领导', '各部门'], decisions: ['同意转段'], followUps: [] } });
    await expectStatus(201, 'committee_leader', 'POST', `/projects/${id}/gates/SIGNING/meeting/amendments`, { body: { reason: '补记参会人', attendees: ['分管领导', '各部门', '园区中心'] } });
    for (const role of gate.requiredApprovals) await expectStatus(201, role, 'POST', `/projects/${id}/gates/SIGNING/approvals`, { body: { decision: 'approve', comment: '同意' } });
    await until(async () => ((await request('committee_leader', 'GET', `/projects/${id}`)).body.stage === 'LANDING' ? true : undefined));
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/timeline`);

    const amendment = await expectStatus(201, 'committee_leader', 'POST', `/projects/${id}/amendments`, { body: { reason: '投资额调整', changes: { totalInvestmentCny: 350_000_000 } } });
    ids.amendment = amendment.body.amendment.id;
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/amendments`);
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/amendments/${ids.amendment}`);
    await expectStatus(200, 'investment_dept', 'GET', '/me/tasks');
  }, 60_000);

  it('progress in CONSTRUCTION and production figures in OPERATION', async () => {
    for (const stage of ['CONSTRUCTION', 'OPERATION'] as const) {
      const { project, executionName, input } = await env.activeProject('land', { targets: { outputValueCny: 4_000, taxCny: 400, jobs: 50 } }, stage);
      await env.workflow.startExecution(executionName, input);
      await until(async () => ((await request('committee_leader', 'GET', `/projects/${project.id}/tasks`)).body.items.length > 0 ? true : undefined));
      if (stage === 'CONSTRUCTION') {
        await expectStatus(200, 'park_center', 'POST', `/projects/${project.id}/progress`, { body: { constructionPct: 40, equipmentPct: 10, note: '主体施工' } });
        await expectStatus(400, 'park_center', 'POST', `/projects/${project.id}/progress`, { body: { constructionPct: 140, equipmentPct: 10 } });
        await expectStatus(200, 'committee_leader', 'GET', `/projects/${project.id}/progress`);
      } else {
        await expectStatus(200, 'park_center', 'POST', `/projects/${project.id}/production`, { body: { quarter: '2026Q1', outputValueCny: 1_000, taxCny: 100, jobs: 40 } });
        await expectStatus(409, 'park_center', 'POST', `/projects/${project.id}/production`, { body: { quarter: '2026Q1', outputValueCny: 1_000, taxCny: 100, jobs: 40 } });
        await expectStatus(400, 'park_center', 'POST', `/projects/${project.id}/production`, { body: { quarter: '2025Q4', outputValueCny: 1_000, taxCny: 100, jobs: 40 } });
      }
    }
  }, 30_000);

  it('the inventory, reservations, matches, the fund and letters', async () => {
    const id = ids.project!;
    await expectStatus(200, 'resources_bureau', 'GET', '/inventory');
    for (const kind of ['parcels', 'facilities', 'energy', 'environment', 'utilities']) await expectStatus(200, 'resources_bureau', 'GET', `/inventory/${kind}`);
    const facility = await expectStatus(201, 'soe', 'POST', '/inventory/facilities', { body: { code: 'QY-F1', park: '汇通产业园', owner: '开发区建设投资公司', areaM2: 8_000, floorLoadKnM2: 30, clearHeightM: 12, powerKva: 2_000, rentCnyPerM2Month: 15 } });
    const energy = await expectStatus(201, 'eco_bureau', 'POST', '/inventory/energy', { body: { year: 2026, totalTce: 1_000 } });
    await expectStatus(201, 'eco_bureau', 'POST', '/inventory/environment', { body: { year: 2026, pollutant: 'COD', totalTonnes: 10 } });
    await expectStatus(201, 'park_center', 'POST', '/inventory/utilities', { body: { park: '汇通产业园', utility: 'power', capacity: 10_000, unit: 'kVA' } });
    const read = await expectStatus(200, 'soe', 'GET', `/inventory/facilities/${facility.body.id}`);
    await expectStatus(200, 'soe', 'PATCH', `/inventory/facilities/${facility.body.id}`, { body: { facts: { rentCnyPerM2Month: 16 } }, headers: { 'if-match': read.headers.get('etag')! } });
    await expectStatus(412, 'soe', 'PATCH', `/inventory/facilities/${facility.body.id}`, { body: { facts: { rentCnyPerM2Month: 17 } }, headers: { 'if-match': read.headers.get('etag')! } });
    await expectStatus(200, 'soe', 'POST', `/inventory/facilities/${facility.body.id}/confirm`, { body: { note: '在库' } });

    const held = await expectStatus(201, 'park_center', 'POST', `/projects/${id}/reservations`, { body: { kind: 'energy', resourceId: energy.body.id, amount: 100 } });
    await expectStatus(409, 'park_center', 'POST', `/projects/${id}/reservations`, { body: { kind: 'energy', resourceId: energy.body.id, amount: 100_000 } });
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/reservations`);
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/reservations/${held.body.id}`);
    await expectStatus(200, 'park_center', 'DELETE', `/projects/${id}/reservations/${held.body.id}`, { query: { reason: '不再需要' } });
    await expectStatus(409, 'park_center', 'DELETE', `/projects/${id}/reservations/${held.body.id}`, { query: { reason: '不再需要' } });
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/matches`, { query: { kind: 'facilities' } });
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/matches`, { query: { kind: 'parcels' } });

    const funds = await expectStatus(200, 'committee_leader', 'GET', '/funds/2026');
    await expectStatus(200, 'committee_leader', 'GET', '/funds/2019');
    const allocation = await expectStatus(201, 'committee_leader', 'POST', `/projects/${id}/fund-allocations`, { body: { bucket: funds.body.buckets[0].code, amountCny: 100_000, purpose: '前期工作经费' } });
    ids.allocation = allocation.body.id;
    await expectStatus(409, 'committee_leader', 'POST', `/projects/${id}/fund-allocations`, { body: { bucket: funds.body.buckets[0].code, amountCny: 999_999_999_999, purpose: '超出预算' } });
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/fund-allocations`);
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/fund-allocations/${ids.allocation}`);
    await expectStatus(201, 'committee_leader', 'POST', `/projects/${id}/fund-allocations/${ids.allocation}/spending`, { body: { amountCny: 10_000, note: '勘测费', payee: '勘测院' } });
    await expectStatus(200, 'committee_leader', 'DELETE', `/projects/${id}/fund-allocations/${ids.allocation}`, { query: { reason: '结余退回' } });

    const letter = await expectStatus(201, 'supervision_office', 'POST', `/projects/${id}/letters`, { body: { series: 'urging', to: { kind: 'department', role: 'investment_dept' }, subject: '督办函', body: '请按期办结。' } });
    ids.letter = letter.body.id;
    await expectStatus(200, 'committee_leader', 'GET', `/projects/${id}/letters`);
    await expectStatus(200, 'investment_dept', 'GET', `/letters/${ids.letter}`);
    const page = await expectStatus(200, 'investment_dept', 'GET', `/letters/${ids.letter}`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    await expectStatus(200, 'investment_dept', 'POST', `/letters/${ids.letter}/ack`, { body: { reply: '收到，按期办结' } });
    await expectStatus(409, 'investment_dept', 'POST', `/letters/${ids.letter}/ack`, { body: { reply: '收到' } });
    // The letter's notice reaches the addressee's inbox through the outbox stream: a moment later.
    ids.notification = await until(async () => (await expectStatus(200, 'investment_dept', 'GET', '/me/notifications')).body.items[0]?.id as string | undefined);
    await expectStatus(200, 'investment_dept', 'POST', `/me/notifications/${encodeURIComponent(ids.notification!)}/read`, { body: {} });
  }, 30_000);

  it('reports in JSON, CSV and Excel; the audit; configuration, channels, deliveries and the calendar', async () => {
    await expectStatus(200, 'supervision_office', 'GET', '/reports/departments');
    const csv = await expectStatus(200, 'supervision_office', 'GET', '/reports/departments', { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    await expectStatus(200, 'supervision_office', 'GET', '/reports/departments', { query: { format: 'csv' } });
    await expectStatus(200, 'committee_leader', 'GET', '/reports/parks');
    await expectStatus(200, 'park_center', 'GET', '/reports/parks', { query: { format: 'csv' } });
    await expectStatus(200, 'committee_leader', 'GET', '/reports/ledger.csv', { query: { lang: 'en' } });
    await expectStatus(200, 'committee_leader', 'GET', '/reports/ledger.csv', { query: { limit: '1' } });
    const xlsx = await expectStatus(200, 'committee_leader', 'GET', '/reports/ledger.xlsx');
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    await expectStatus(200, 'discipline_office', 'GET', '/audit', { query: { from: '2026-01-01', to: '2026-12-31' } });

    for (const name of ['matrix', 'escalation', 'lights', 'classification', 'recurring', 'limits', 'inventory', 'funds', 'letters', 'parks']) await expectStatus(200, 'committee_leader', 'GET', `/config/${name}`);
    const lights = await expectStatus(200, 'ops', 'GET', '/config/lights');
    const published = await expectStatus(200, 'ops', 'PUT', '/config/lights', { body: { doc: { ...lights.body.doc, yellowBeforeWd: lights.body.doc.yellowBeforeWd + 1 } }, headers: { 'if-match': lights.headers.get('etag')! } });
    await expectStatus(200, 'ops', 'PUT', '/config/lights', { body: { doc: { ...lights.body.doc, yellowBeforeWd: lights.body.doc.yellowBeforeWd + 1 } }, headers: { 'if-match': published.headers.get('etag')! } });
    await expectStatus(412, 'ops', 'PUT', '/config/lights', { body: { doc: lights.body.doc }, headers: { 'if-match': lights.headers.get('etag')! } });
    // A matrix corrected, and a running project moved onto it for the stages it has not entered yet.
    const matrix = await expectStatus(200, 'ops', 'GET', '/config/matrix');
    const tasks = matrix.body.doc.tasks.map((t: { code: string; standard: string }) => (t.code === 'eia_guidance' ? { ...t, standard: `${t.standard}（更正）` } : t));
    const corrected = await expectStatus(200, 'ops', 'PUT', '/config/matrix', { body: { doc: { ...matrix.body.doc, tasks }, note: '更正' }, headers: { 'if-match': matrix.headers.get('etag')! } });
    // On the project's version as just read: its lifecycle (re-evaluating after the lights publication) may move it in
    // between, a 412 read again.
    const repin = async (version: number, status: number, dryRun?: true) => {
      for (let attempt = 1; ; attempt++) {
        const project = await expectStatus(200, 'ops', 'GET', `/projects/${ids.project!}`);
        const answer = await request('ops', 'POST', `/projects/${ids.project!}/matrix`, { body: { version, note: '更正', ...(dryRun ? { dryRun } : {}) }, headers: { 'if-match': project.headers.get('etag')! } });
        if (answer.status === 412 && attempt < 5) continue;
        expect(answer.status, answer.text.slice(0, 300)).toBe(status);
        return answer;
      }
    };
    // The projects to move: the ledger by the matrix version they follow (ops and the committee leader).
    const following = await expectStatus(200, 'ops', 'GET', `/projects/${ids.project!}`);
    const onOld = await expectStatus(200, 'ops', 'GET', '/projects', { query: { matrixVersion: String(following.body.matrixVersion), status: 'ACTIVE', limit: '100' } });
    expect(onOld.body.items.map((p: { id: string }) => p.id)).toContain(ids.project!);
    await expectStatus(403, 'investment_dept', 'GET', '/projects', { query: { matrixVersion: String(following.body.matrixVersion) } });
    await expectStatus(400, 'ops', 'GET', '/projects', { query: { matrixVersion: 'latest' } });
    // The same filter on the ledger's files, with the same role rule.
    await expectStatus(200, 'ops', 'GET', '/reports/ledger.csv', { query: { matrixVersion: String(following.body.matrixVersion), status: 'ACTIVE' } });
    await expectStatus(200, 'committee_leader', 'GET', '/reports/ledger.xlsx', { query: { matrixVersion: String(following.body.matrixVersion) } });
    await expectStatus(403, 'investment_dept', 'GET', '/reports/ledger.csv', { query: { matrixVersion: String(following.body.matrixVersion) } });
    await repin(999, 409);
    // What the move would do, nothing written: the project still follows the version it did.
    expect((await repin(corrected.body.version, 200, true)).body).toMatchObject({ dryRun: true, matrixVersion: corrected.body.version });
    expect((await expectStatus(200, 'ops', 'GET', `/projects/${ids.project!}`)).body.matrixVersion).toBe(following.body.matrixVersion);
    await repin(corrected.body.version, 200);
    const onNew = await expectStatus(200, 'committee_leader', 'GET', '/projects', { query: { matrixVersion: String(corrected.body.version) } });
    expect(onNew.body.items.map((p: { id: string }) => p.id)).toContain(ids.project!);
    await expectStatus(412, 'ops', 'POST', `/projects/${ids.project!}/matrix`, { body: { version: corrected.body.version, note: '更正' }, headers: { 'if-match': '"1"' } });
    const channels = await expectStatus(200, 'ops', 'GET', '/config/channels');
    await expectStatus(200, 'ops', 'PUT', '/config/channels', { body: { doc: { robots: [{ id: 'bot-1', platform: 'dingtalk', url: 'http://127.0.0.1:9/hook', secret: 's', departments: ['investment_dept'] }], email: [] } }, headers: { 'if-match': channels.headers.get('etag')! } });
    await expectStatus(200, 'ops', 'GET', '/deliveries');
    await expectStatus(200, 'ops', 'POST', '/deliveries/retry', { body: { channel: 'bot-1' } });
    await expectStatus(200, 'ops', 'POST', '/deliveries/route', { body: { from: '2026-03-01T00:00:00+08:00' } });
    const calendar = await expectStatus(200, null, 'GET', '/calendar/2026');
    await expectStatus(200, 'ops', 'PUT', '/calendar/2026', { body: { holidays: calendar.body.holidays, workdays: calendar.body.workdays }, headers: { 'if-match': calendar.headers.get('etag')! } });
    await expectStatus(404, null, 'GET', '/calendar/2098');
    await expectStatus(201, 'ops', 'PUT', '/calendar/2098', { body: { holidays: ['2098-01-01'], workdays: [] } });
  }, 30_000);

  it('the refusals every operation can answer: no token, a role it does not take, an Accept it cannot meet, an unknown parameter, a body not JSON or too large', async () => {
    const id = (template: string) =>
      template.startsWith('/letters/') ? ids.letter! : template.startsWith('/inventory/') ? ids.parcel! : template.startsWith('/me/notifications/') ? encodeURIComponent(ids.notification!) : ids.project!;
    const values: Record<string, string> = { taskId: ids.task!, stage: 'SIGNING', amendmentId: ids.amendment!, rid: ids.reservation!, aid: ids.allocation!, kind: 'parcels', year: '2026', name: 'lights' };
    const roles = doc.paths['/projects/{id}/tasks/{taskId}/complete']!.post!['x-roles']!;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [verb, op] of Object.entries(operations)) {
        const method = verb.toUpperCase();
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? id(template) : values[name]!));
        const someone = op['x-roles']?.[0] ?? null;
        const body = op.requestBody ? {} : undefined;
        // The query parameters it requires, each its first value (GET /projects/{id}/matches?kind=facilities).
        const query = Object.fromEntries(op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, p.schema.enum![0]!]));
        if (verb === 'head' || verb === 'get') {
          // Every read answered to a role it takes (the committee leader where it is one).
          const reader = op['x-roles']?.includes('committee_leader') ? 'committee_leader' : someone;
          expect((await request(reader, method, path, { query })).status, `${method} ${path}`).toBe(200);
          if (verb === 'head') continue;
        }
        if (op.security.length) {
          await expectStatus(401, null, method, path, { body });
          const outsider = roles.find((r) => !op['x-roles']!.includes(r));
          if (outsider) expect([403, 400], `${method} ${path} as ${outsider}`).toContain((await request(outsider, method, path, { body })).status);
        }
        if (op.responses['406']) await expectStatus(406, someone, method, path, { body, headers: { accept: 'image/png' } });
        await expectStatus(400, someone, method, path, { body, query: { ...query, zzz: '1' } });
        if (op.requestBody) {
          await expectStatus(415, someone, method, path, { raw: 'a=b', headers: { 'content-type': 'text/plain' } });
          await expectStatus(413, someone, method, path, { raw: JSON.stringify({ note: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } });
          await expectStatus(400, someone, method, path, { raw: '{"', headers: { 'content-type': 'application/json' } });
        }
      }
    }
    // A flood of anonymous requests on a public route: throttled, told when to come back.
    const flood = await Promise.all(Array.from({ length: 60 }, () => request(null, 'GET', '/calendar/2026')));
    const throttled = flood.find((a) => a.status === 429);
    expect(throttled?.headers.get('retry-after')).toMatch(/^\d+$/);
  }, 60_000);

  it('answered nothing the document does not describe', () => {
    expect(client.mismatches).toEqual([]);
    // Every operation answered at least once.
    const operations = Object.entries(doc.paths).flatMap(([t, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${t}`));
    const answered = new Set([...client.answered].map((a) => a.split(' ').slice(0, 2).join(' ')));
    expect(operations.filter((o) => !answered.has(o))).toEqual([]);
  });
});
