// Each handler bundle builds only the schemas it uses (cold start): the schema modules mark every top-level schema
// pure, so esbuild drops the ones a handler never references. These read the bundles the CDK deploys.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../infra/bundling.ts';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { entryOf } from '../../functions/catalog.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

async function bundleText(name: string): Promise<string> {
  const out = await build({ ...ESBUILD_OPTIONS, entryPoints: [`${ROOT}${entryOf(name)}`], absWorkingDir: ROOT, write: false, sourcemap: false, outdir: '/tmp/zoneflow-bundle-test' });
  return out.outputFiles.map((f) => f.text).join('');
}

// Error messages unique to one schema each: present in a bundle exactly when that schema is built there.
const MARKS = {
  taskParams: 'not a task id',
  productionBody: 'must look like 2027Q1',
  createProjectBody: 'letters, digits, _ . - (1–64)',
  yearParams: 'must be a four-digit year',
  isoDate: 'must be a real YYYY-MM-DD date',
  /** Shared by the project, task and gate path parameters: a project route's bundle has it. */
  projectId: 'not a project id',
};

describe('handler bundles', () => {
  it('a read handler carries none of the body schemas and only its own path parameters', async () => {
    const text = await bundleText('get-project');
    expect(text).toContain(MARKS.projectId);
    expect(text).not.toContain(MARKS.taskParams);
    expect(text).not.toContain(MARKS.yearParams);
    // Nor the shared building blocks it never uses.
    expect(text).not.toContain(MARKS.isoDate);
    expect(text).not.toContain(MARKS.productionBody);
    expect(text).not.toContain(MARKS.createProjectBody);
  }, 30_000);

  it('a write handler carries its own body schema, not its neighbours in the same module', async () => {
    const production = await bundleText('report-production');
    expect(production).toContain(MARKS.productionBody);
    const gate = await bundleText('decide-gate');
    expect(gate).not.toContain(MARKS.productionBody);
    expect(gate).not.toContain(MARKS.taskParams);
  }, 30_000);

  it('no HTTP handler bundles the Step Functions client (the outbox wakes workflows)', async () => {
    for (const name of ['complete-task', 'decide-admission', 'put-calendar']) {
      expect(await bundleText(name)).not.toContain('AWSStepFunctions');
    }
    expect(await bundleText('wake-workflow')).toContain('AWSStepFunctions');
  }, 60_000);
});

describe('response schemas: only in the bundle that serves the OpenAPI document', () => {
  it('a handler bundle, as deployed, declares its route without the response schema', async () => {
    for (const name of ['amend-meeting', 'get-project', 'complete-task']) {
      const text = await bundleText(name);
      // The declaration's object literal, from its name to its table grants (declared after the response).
      const declaration = new RegExp(`name:"${name}",[\\s\\S]*?tables:`).exec(text)?.[0] ?? '';
      expect(declaration, name).toMatch(/response:void 0/);
      // Under ZONEFLOW_DOCS true the same bundle references the schema there instead.
      const withDocs = (await build({ ...ESBUILD_OPTIONS, define: { ZONEFLOW_DOCS: 'true' }, entryPoints: [`${ROOT}${entryOf(name)}`], absWorkingDir: ROOT, write: false, sourcemap: false, outdir: '/tmp/zoneflow-bundle-test' })).outputFiles.map((f) => f.text).join('');
      expect(new RegExp(`name:"${name}",[\\s\\S]*?tables:`).exec(withDocs)?.[0], name).toMatch(/response:[A-Za-z_$]/);
      expect(withDocs.length, name).toBeGreaterThan(text.length);
    }
  }, 30_000); // three bundles built: more than the default 5 s on a busy 2-core machine

  it('the openapi bundle, as deployed, describes the response of every route (the store out of reach too)', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { esbuildOptionsFor } = await import('../../infra/bundling.ts');
    const spec = FUNCTIONS.find((f) => f.name === 'openapi')!;
    expect(spec.docs).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'zoneflow-docs-'));
    try {
      await build({ ...esbuildOptionsFor(spec), entryPoints: { index: `${ROOT}${entryOf('openapi')}` }, absWorkingDir: ROOT, outdir: dir, sourcemap: false, write: true });
      // As deployed it names its table (it reads who acts on some routes from the configuration); here no store answers
      // (a closed port): the document is still served, those routes' x-roles from the declarations.
      Object.assign(process.env, { TABLE_REFERENCE: 'zoneflow-reference', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
      const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
      const event = { version: '2.0', routeKey: 'GET /openapi.json', rawPath: '/openapi.json', rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET', path: '/openapi.json' }, requestId: 'r' }, isBase64Encoded: false };
      const reply = await handler(event, {});
      expect(reply.statusCode).toBe(200);
      const doc = JSON.parse(reply.body) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>> };
      // HEAD beside each GET tells statuses and headers only: the routes' own operations carry the schemas.
      const operations = Object.values(doc.paths).flatMap((p) => Object.entries(p).filter(([method]) => method !== 'head').map(([, op]) => op));
      expect(operations.length).toBe(FUNCTIONS.filter((f) => f.routes.length).length);
      for (const op of operations) {
        const ok = Object.entries(op.responses).find(([code]) => code.startsWith('2'))![1];
        // JSON routes have their schema; file routes (the ledger exports) their media type with a binary body.
        const schema = ok.content?.['application/json']?.schema ?? Object.values(ok.content ?? {})[0]?.schema ?? {};
        expect(Object.keys(schema).length).toBeGreaterThan(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000); // a bundle built, and the store's refusals retried: more than the default 5 s on a busy 2-core machine
});
