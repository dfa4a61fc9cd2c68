// GET /openapi.json describes every route of the catalog; GET /health is ok only when tables and workflow are ready.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { gatewayMethods, ROUTES } from '../../functions/catalog.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('openapi');
const workflow = registerFakeWorkflow();
const { handler: openapi } = await import('../../functions/platform/http/openapi.ts');
const { handler: health } = await import('../../functions/platform/http/health.ts');

beforeAll(() => store.createTables());
beforeEach(() => {
  workflow.readiness = true;
});
afterAll(() => store.destroy());

interface Operation {
  operationId: string;
  summary: string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { additionalProperties?: unknown; required?: string[] } }> };
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const fetchDocument = async () => {
  const reply = await call<Document>(openapi, apiEvent('GET /openapi.json'));
  expect(reply.status).toBe(200);
  return reply;
};

describe('the OpenAPI document (GET /openapi.json)', () => {
  it('is OpenAPI 3.1 served as JSON to anyone, without a token', async () => {
    const reply = await fetchDocument();

    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.body.openapi).toBe('3.1.0');
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('describes %s', async (_, route) => {
    const { body } = await fetchDocument();

    const operation = body.paths[route.path]?.[route.method.toLowerCase()];
    expect(operation).toBeDefined();
    expect(operation).toMatchObject({ operationId: route.function, summary: route.summary });
    expect(operation?.security).toEqual(route.auth === 'jwt' ? [{ bearer: [] }] : []);
  });

  it('describes no operation that the catalog does not have', async () => {
    const { body } = await fetchDocument();

    const described = Object.entries(body.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(ROUTES.flatMap((r) => gatewayMethods(r).map((m) => `${m} ${r.path}`)).sort());
  });

  it('describes HEAD beside every GET: the same parameters, statuses and headers, no body', async () => {
    const { body } = await fetchDocument();

    const gets = ROUTES.filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(20);
    for (const route of gets) {
      const [get, head] = [body.paths[route.path]?.get, body.paths[route.path]?.head] as unknown as Record<string, unknown>[];
      expect(head, route.path).toMatchObject({ operationId: `${route.function}Head`, security: get!.security, parameters: get!.parameters });
      const responses = head!.responses as Record<string, Record<string, unknown>>;
      expect(Object.keys(responses), route.path).toEqual(Object.keys(get!.responses as object));
      for (const answer of Object.values(responses)) expect(answer).not.toHaveProperty('content');
    }
    // A project's HEAD still names the ETag header its GET sends.
    expect((body.paths['/projects/{id}']?.head?.responses?.['200'] as { headers?: object }).headers).toHaveProperty('ETag');
  });

  it('tells clients that POST /projects refuses unknown fields and which fields are required', async () => {
    const { body } = await fetchDocument();

    const schema = body.paths['/projects']?.post?.requestBody?.content['application/json']?.schema;
    expect(schema?.additionalProperties).toBe(false);
    expect(schema?.required).toEqual(
      expect.arrayContaining(['name', 'investor', 'track', 'industry', 'attractionMode', 'totalInvestmentCny', 'techLevel', 'chainRole', 'park', 'siteMode']),
    );
    expect(schema?.required).not.toContain('targets');
  });

  it('documents If-Match as required on PATCH /projects/{id}, with 412 and 428 answers', async () => {
    const { body } = await fetchDocument();

    const operation = body.paths['/projects/{id}']?.patch;
    expect(operation?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: true })]));
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '412', '428']));
  });

  it("documents a letter's ETag (the project's version) on GET /letters/{id} and the If-Match its acknowledgement takes", async () => {
    const { body } = await fetchDocument();
    const headers = (path: string, verb: string) => (body.paths[path]?.[verb]?.responses?.['200'] as { headers?: Record<string, { description?: string }> } | undefined)?.headers ?? {};
    for (const [path, verb] of [['/letters/{id}', 'get'], ['/projects/{id}/letters', 'get'], ['/letters/{id}/ack', 'post']] as const) expect(headers(path, verb).ETag?.description, `${verb} ${path}`).toContain("The project's version");
    const ack = body.paths['/letters/{id}/ack']?.post;
    expect(ack?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: false })]));
    expect(Object.keys(ack?.responses ?? {})).toContain('412');
  });

  it("names every type an answer comes in: a letter's A4 page, the reports' CSV", async () => {
    const { body } = await fetchDocument();
    const types = (path: string) => Object.keys((body.paths[path]?.get?.responses?.['200'] as { content?: Record<string, unknown> } | undefined)?.content ?? {});
    expect(types('/letters/{id}')).toEqual(['application/json', 'text/html']);
    expect(types('/reports/departments')).toEqual(['application/json', 'text/csv']);
    expect(types('/reports/parks')).toEqual(['application/json', 'text/csv']);
  });

  it('describes the warnings a write may answer with, as the answers give them: an array, left out when there is none (never null)', async () => {
    const { body } = await fetchDocument();
    type Obj = { properties?: Record<string, { type?: string; minItems?: number }>; required?: string[] };
    const answer = (path: string, method: string, status: string) =>
      ((body.paths[path]?.[method]?.responses?.[status] as { content: Record<string, { schema: Obj }> }).content['application/json']!.schema);
    for (const [path, method, status] of [['/calendar/{year}', 'put', '200'], ['/config/{name}', 'put', '200'], ['/projects/{id}/reservations', 'post', '201']] as const) {
      const schema = answer(path, method, status);
      expect(schema.properties?.warnings, `${method} ${path}`).toMatchObject({ type: 'array', minItems: 1 });
      expect(schema.required ?? [], `${method} ${path}`).not.toContain('warnings');
    }
    // A read has none.
    expect(answer('/calendar/{year}', 'get', '200').properties).not.toHaveProperty('warnings');
  });

  it('describes the gate GET /projects/{id} shows: its round, what it needs, and what a decided 达产 gate is held for', async () => {
    const { body } = await fetchDocument();

    type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[]; items?: Schema };
    const responses = body.paths['/projects/{id}']?.get?.responses as Record<string, { content: Record<string, { schema: Schema }> }>;
    const project = responses['200']?.content['application/json']?.schema;
    // The gate is null or one of two views: the staff's whole gate, and the investing enterprise's summary of it.
    const options = project?.properties?.gate?.anyOf ?? [];
    const views = options.flatMap((s) => s.anyOf ?? [s]).filter((s) => s.type === 'object');
    expect(options.some((s) => s.type === 'null')).toBe(true);
    expect(project?.required).not.toContain('gate');
    const staff = views.find((s) => s.properties?.decided);
    const enterprise = views.find((s) => s.properties?.passed);
    expect(Object.keys(staff?.properties ?? {})).toEqual(expect.arrayContaining(['stage', 'nameEn', 'approvals', 'decided', 'round', 'dueDate', 'needs', 'heldFor']));
    expect(staff?.properties?.heldFor).toEqual({ type: 'array', items: { type: 'string' } });
    expect(staff?.required).toEqual(expect.arrayContaining(['decided', 'needs']));
    expect(staff?.required).not.toContain('heldFor');
    expect(enterprise?.required?.sort()).toEqual(['dueDate', 'name', 'nameEn', 'open', 'passed', 'stage']);
  });

  it("gives as x-roles who may act on the routes whose actors are configuration, as the configuration in force names them", async () => {
    type Roles = { 'x-roles'?: string[]; 'x-roles-from'?: string };
    const roles = (body: Document, path: string, method: string) => body.paths[path]?.[method] as unknown as Roles;
    const before = (await fetchDocument()).body;
    // The built-in defaults: the supervision office's urging letters and the committee leader's notices; the leader's
    // interview; the four departments' joint assessment; the inventories' keepers (writes) and readers (reads).
    expect(roles(before, '/projects/{id}/letters', 'post')['x-roles']?.sort()).toEqual(['committee_leader', 'supervision_office']);
    expect(roles(before, '/projects/{id}/interviews', 'post')['x-roles']).toEqual(['committee_leader']);
    expect(roles(before, '/projects/{id}/assessments', 'post')['x-roles']).toEqual(['investment_dept', 'resources_bureau', 'construction_dept', 'park_center']);
    expect(roles(before, '/projects/{id}/compliance-checks', 'post')['x-roles']?.sort()).toEqual(['committee_leader', 'supervision_office']);
    expect(roles(before, '/inventory/{kind}', 'post')['x-roles']?.sort()).toEqual(['construction_dept', 'eco_bureau', 'park_center', 'resources_bureau', 'soe']);
    expect(roles(before, '/inventory/{kind}', 'get')['x-roles']).not.toContain('ops');
    expect(roles(before, '/inventory/{kind}', 'get')['x-roles']).not.toContain('supervision_office');
    expect(roles(before, '/inventory/{kind}/{id}', 'get')['x-roles']).toContain('discipline_office');
    expect(roles(before, '/projects/{id}/letters', 'post')['x-roles-from']).toBe('letters 0, escalation 0, inventory 0');
    // Routes whose actors are fixed keep their declaration's list.
    expect(roles(before, '/projects/{id}/exit', 'post')).toMatchObject({ 'x-roles': ['committee_leader'] });
    expect(roles(before, '/projects/{id}/exit', 'post')['x-roles-from']).toBeUndefined();
    // Every operation behind a token lists who passes its gate; one open to every signed-in role lists them all.
    const { ROLES } = await import('../../functions/kernel/domain/codes.ts');
    for (const [path, ops] of Object.entries(before.paths)) for (const [method, op] of Object.entries(ops)) if (op.security.length) expect((op as unknown as Roles)['x-roles'], `${method} ${path}`).toBeDefined();
    expect(roles(before, '/projects/{id}/tasks/{taskId}/complete', 'post')['x-roles']).toEqual([...ROLES]);
    expect(roles(before, '/health', 'get')['x-roles']).toBeUndefined();
    // A zone that has its interviews held by the supervision office: the document says so once published.
    const { putConfigVersion, forgetReferenceData } = await import('../../functions/reference/store/reference.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const ladder = DEFAULT_CONFIG.escalation;
    const doc = { ...ladder, rungs: ladder.rungs.map((r) => (r.level === 2 ? { ...r, owner: 'supervision_office' } : r)) };
    await transact([putConfigVersion({ name: 'escalation', version: 1, doc: doc as never, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    forgetReferenceData();
    const after = (await fetchDocument()).body;
    expect(roles(after, '/projects/{id}/interviews', 'post')).toMatchObject({ 'x-roles': ['supervision_office'], 'x-roles-from': 'letters 0, escalation 1, inventory 0' });
  });

  it('documents the ledger filters of GET /projects as query parameters', async () => {
    const { body } = await fetchDocument();

    const names = body.paths['/projects']?.get?.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(names?.sort()).toEqual(['category', 'cursor', 'escalation', 'light', 'limit', 'matrixVersion', 'park', 'stage', 'status', 'track', 'workflow']);
  });
});

describe('the readiness probe (GET /health)', () => {
  // An answer is reused for a few seconds: each test starts a minute later on a fake clock, past any kept answer.
  let minutes = 0;
  beforeEach(() => {
    const now = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now + ++minutes * 60_000);
  });
  afterEach(() => vi.useRealTimers());

  it('answers {"status":"ok"} when the tables answer and the workflow is ready', async () => {
    const reply = await call(health, apiEvent('GET /health'));

    expect(reply.status).toBe(200);
    // With the business clock's instant and date (the console reads today's date there).
    expect(reply.body).toEqual({ status: 'ok', now: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('answers 503 when the workflow says it is not ready', async () => {
    workflow.readiness = false;

    const reply = await call(health, apiEvent('GET /health'));

    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ status: 'unavailable', tables: true, workflow: false });
  });

  it('answers 503 (not 500) when asking the workflow fails', async () => {
    workflow.readiness = new Error('DescribeStateMachine timed out');

    const reply = await call(health, apiEvent('GET /health'));

    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ status: 'unavailable', workflow: false });
  });

  it('does not reach the tables and the workflow on every call: a burst of probes shares one check', async () => {
    workflow.readiness = true;
    const ready = vi.spyOn(workflow, 'ready');
    const replies = await Promise.all(Array.from({ length: 20 }, () => call(health, apiEvent('GET /health'))));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(ready).toHaveBeenCalledTimes(1);
    // Still fresh five seconds later; checked again after ten.
    vi.setSystemTime(Date.now() + 5_000);
    await call(health, apiEvent('GET /health'));
    expect(ready).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 6_000);
    await call(health, apiEvent('GET /health'));
    expect(ready).toHaveBeenCalledTimes(2);
    ready.mockRestore();
  });

  it('re-checks an unhealthy answer sooner (after two seconds), so recovery shows at once', async () => {
    workflow.readiness = false;
    expect((await call(health, apiEvent('GET /health'))).status).toBe(503);
    workflow.readiness = true;
    vi.setSystemTime(Date.now() + 2_500);
    expect((await call(health, apiEvent('GET /health'))).status).toBe(200);
  });

  it('refuses a query parameter it does not know (400)', async () => {
    const reply = await call(health, apiEvent('GET /health', { query: { verbose: '1' } }));

    expectProblem(reply, 400, ['query.verbose']);
  });
});
