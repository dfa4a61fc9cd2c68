// One declaration per route, checked from both ends: the OpenAPI document has every route's request and response
// schemas, and each function's bundle touches exactly the tables its declaration grants (from the esbuild metafile:
// the store modules it carries, and the table each reads its name from).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { DECLARATIONS, entryOf, gatewayMethods, ROUTE_DECLARATIONS } from '../../functions/catalog.ts';
import { CONFIG_NAMES } from '../../functions/kernel/domain/codes.ts';
import { TABLES } from '../../functions/kernel/store/tables.ts';
import { openApiDocument } from '../../functions/platform/openapi.ts';
import { ESBUILD_OPTIONS } from '../../infra/bundling.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

type Operation = { operationId: string; parameters: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };

describe('the OpenAPI document, from the declarations', () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

  it("every function's description fits Lambda's 256 characters (cdk synth refuses a longer one)", () => {
    expect(DECLARATIONS.filter((d) => (d.description ?? '').length > 256).map((d) => d.name)).toEqual([]);
  });

  it('has every declared route, once', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(ROUTE_DECLARATIONS.flatMap((r) => gatewayMethods(r).map((m) => `${m} ${r.path}`)).sort());
  });

  it.each(ROUTE_DECLARATIONS.map((r) => [`${r.method} ${r.path}`, r] as const))('%s has its request and response schemas', (_, r) => {
    const { op } = operations.find((o) => o.method === r.method && o.path === r.path)!;
    if (r.produces) {
      // A file: its media type, a binary body — and no JSON schema pretending otherwise.
      expect(op.responses[String(r.status ?? 200)]?.content).toEqual({ [r.produces]: { schema: { type: 'string', format: 'binary' } } });
      expect(r.method).toBe('GET');
      return;
    }
    const success = op.responses[String(r.status ?? 200)]?.content?.['application/json']?.schema;
    // A record of several kinds (an inventory record: each kind's facts) is one of them, each an object.
    const shapes = ((success as { oneOf?: Record<string, unknown>[] } | undefined)?.oneOf ?? [success]) as Record<string, unknown>[];
    for (const shape of shapes) {
      expect(shape, 'response schema').toMatchObject({ type: 'object' });
      expect(Object.keys((shape as { properties?: object }).properties ?? {}).length, 'response properties').toBeGreaterThan(0);
    }
    // DELETE takes no body (a release's reason is a query parameter).
    if (r.method !== 'GET' && r.method !== 'DELETE') expect(op.requestBody?.content['application/json']?.schema, 'request body').toMatchObject({ type: 'object' });
    for (const param of [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
      expect(op.parameters.some((p) => p.in === 'path' && p.name === param), `path parameter ${param}`).toBe(true);
    }
    if (/nextCursor/.test(JSON.stringify(success))) expect(op.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor']));
  });

  type Answer = { description: string; headers?: Record<string, { description: string }>; content?: Record<string, { schema: Record<string, unknown> }> };
  const answers = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)!.op.responses as unknown as Record<string, Answer>;

  it('lists every success a route answers, with the headers it sets', () => {
    const calendar = answers('PUT', '/calendar/{year}');
    expect(calendar['201']?.description).toMatch(/first load/);
    expect(calendar['201']?.content).toEqual(calendar['200']?.content);
    for (const status of ['200', '201']) expect(Object.keys(calendar[status]?.headers ?? {}).sort()).toEqual(['ETag', 'x-calendar-unchanged', 'x-projects-recomputing']);
    expect(answers('PUT', '/config/{name}')['200']?.headers?.['x-projects-recomputing']?.description).toMatch(/lights/);
    expect(Object.keys(answers('GET', '/reports/ledger.csv')['200']?.headers ?? {})).toEqual(['link', 'x-next-cursor']);
    // A read that answers a record's version says so (its ETag is what a change sends back as If-Match); a list does not.
    for (const path of ['/calendar/{year}', '/config/{name}', '/config/channels', '/projects/{id}', '/inventory/{kind}/{id}']) expect(Object.keys(answers('GET', path)['200']?.headers ?? {}), path).toEqual(['ETag']);
    expect(answers('GET', '/projects')['200']?.headers).toBeUndefined();
  });

  it("says whose version a project's reservations, fund allocations and contract amendments answer as ETag: the project's (they have none of their own), and If-Match takes it", () => {
    const ofProject = [
      ['GET', '/projects/{id}/reservations'],
      ['GET', '/projects/{id}/reservations/{rid}'],
      ['POST', '/projects/{id}/reservations'],
      ['DELETE', '/projects/{id}/reservations/{rid}'],
      ['GET', '/projects/{id}/fund-allocations'],
      ['GET', '/projects/{id}/fund-allocations/{aid}'],
      ['POST', '/projects/{id}/fund-allocations'],
      ['POST', '/projects/{id}/fund-allocations/{aid}/spending'],
      ['DELETE', '/projects/{id}/fund-allocations/{aid}'],
      ['GET', '/projects/{id}/amendments/{amendmentId}'],
      // Its Location names the amendment it made: the ETag beside it is the project's, not that amendment's.
      ['POST', '/projects/{id}/amendments'],
    ] as const;
    for (const [method, path] of ofProject) {
      const r = ROUTE_DECLARATIONS.find((d) => d.method === method && d.path === path)!;
      const etag = answers(method, path)[String(r.status ?? 200)]?.headers?.ETag?.description;
      expect(etag, `${method} ${path}`).toMatch(/the project's version/i);
      expect(etag, `${method} ${path}`).toMatch(/GET \/projects\/\{id\}/);
      const ifMatch = operations.find((o) => o.method === method && o.path === path)!.op.parameters.find((p) => p.name === 'If-Match') as { description?: string } | undefined;
      if (r.ifMatch) expect(ifMatch?.description, `${method} ${path} If-Match`).toMatch(/the project's version/i);
    }
    // A record with a version of its own says so.
    for (const path of ['/projects/{id}', '/inventory/{kind}/{id}', '/config/{name}']) expect(answers('GET', path)['200']?.headers?.ETag?.description, path).not.toMatch(/project's version/);
  });

  it.each(ROUTE_DECLARATIONS.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: declares writesInParts when its handler writes its change in groups (more than one transaction)', (_, r) => {
    // The API description tells such a route's 409 may come after part of the change was written (outcome partial):
    // only from the declaration, so a handler that hands groups to its change (changeProject's `groups`,
    // commitGroups, transactGroups) must declare it.
    const source = readFileSync(`${ROOT}functions/${r.entry}`, 'utf8');
    const inGroups = /\bgroups:|\bcommitGroups\(|\btransactGroups\(/.test(source);
    expect(r.writesInParts !== undefined, r.name).toBe(inGroups);
  });

  it.each(ROUTE_DECLARATIONS.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: its success answer lists the ETag and Location headers its handler sets', (_, r) => {
    // A client generated from the document learns where a new record lives and which version to send back only from here.
    const source = readFileSync(`${ROOT}functions/${r.entry}`, 'utf8');
    const headers = Object.keys(answers(r.method, r.path)[String(r.status ?? 200)]?.headers ?? {});
    if (/\betag\(/.test(source)) expect(headers, 'ETag').toContain('ETag');
    if (/\blocation: `/.test(source)) expect(headers, 'Location').toContain('Location');
  });

  it('types a configuration document: one of the ten, each titled with its name', () => {
    const put = operations.find((o) => o.method === 'PUT' && o.path === '/config/{name}')!.op;
    const body = put.requestBody!.content['application/json']!.schema as { properties: { doc: { anyOf: { title: string; properties: Record<string, unknown> }[] } } };
    expect(body.properties.doc.anyOf.map((d) => d.title)).toEqual([...CONFIG_NAMES]);
    expect(Object.keys(body.properties.doc.anyOf.find((d) => d.title === 'parks')!.properties)).toEqual(['parks']);
    const view = answers('GET', '/config/{name}')['200']!.content!['application/json']!.schema as { properties: { doc: { anyOf: unknown[] } } };
    expect(view.properties.doc.anyOf).toHaveLength(CONFIG_NAMES.length);
  });
});

/**
 * Every function's bundle, as deployed, built in one esbuild run (each module read once; each entry still gets a
 * bundle of its own, with what it holds of each input): by entry file.
 */
let built: Promise<Map<string, Record<string, { bytesInOutput: number }>>> | undefined;
const bundleOf = async (name: string) => {
  built ??= build({ ...ESBUILD_OPTIONS, entryPoints: Object.fromEntries(DECLARATIONS.map((d) => [d.name, `${ROOT}${entryOf(d.name)}`])), absWorkingDir: ROOT, write: false, sourcemap: false, metafile: true, outdir: '/tmp/zoneflow-grants-test' }).then(
    (out) => new Map(Object.entries(out.metafile.outputs).flatMap(([path, o]) => (path.endsWith('.mjs') && o.entryPoint ? [[o.entryPoint, o.inputs] as const] : []))),
  );
  return (await built).get(entryOf(name));
};

describe('table grants, from the bundles', () => {
  /** Table env var names a module of ours reads (the store modules' `requireEnv('TABLE_…')`), by source file. */
  const envOf = (source: string) => new Set([...source.matchAll(/'(TABLE_[A-Z]+)'/g)].map((m) => m[1]!));
  const tableOfEnv = new Map(TABLES.map((t) => [t.envVar, t.id]));

  it.each(DECLARATIONS.map((d) => [d.name, d] as const))('%s touches exactly the tables it declares', async (name, d) => {
    const bundle = { inputs: (await bundleOf(name))! };
    expect(bundle.inputs, `${name}: no bundle`).toBeDefined();
    const ours = Object.entries(bundle.inputs)
      .filter(([path, input]) => path.startsWith('functions/') && input.bytesInOutput > 0 && path !== 'functions/kernel/store/tables.ts')
      .map(([path]) => path);
    const touched = new Set(ours.flatMap((path) => [...envOf(readFileSync(`${ROOT}${path}`, 'utf8'))].map((env) => tableOfEnv.get(env))));
    expect([...touched].sort(), `${name} carries ${ours.filter((p) => envOf(readFileSync(`${ROOT}${p}`, 'utf8')).size).join(', ')}`).toEqual(Object.keys(d.tables).sort());
    // A write grant allows no Query (infra/constructs/zone-function.ts): a bundle carrying the ledger's queries must read it.
    if (ours.includes('functions/projects/store/ledger.ts')) expect(d.tables.ledger, `${name} queries the ledger`).toMatch(/R/);
  }, 120_000); // the first builds every bundle
});

describe('no handler can scan a table', () => {
  // The SDK's aggregated classes drag its Scan command's code into every bundle unused; what matters is that no code of
  // ours in any bundle names one. (And IAM grants no function dynamodb:Scan: see test/infra/stack.test.ts.) Here, not
  // in bundles.test: it reads the same one build of every function the grants above read (a build of all 75 is most
  // of either file's time).
  it('no module of ours in any function bundle uses a Scan, a scan paginator or a PartiQL statement (lists are index queries)', async () => {
    const forbidden = /\b(ScanCommand|paginateScan|ExecuteStatementCommand|BatchExecuteStatementCommand|ExecuteTransactionCommand)\b/;
    const checked = new Set<string>();
    for (const d of DECLARATIONS) {
      const ours = Object.keys((await bundleOf(d.name)) ?? {}).filter((path) => path.startsWith('functions/'));
      expect(ours, d.name).toContain(entryOf(d.name));
      for (const path of ours) {
        if (checked.has(path)) continue;
        checked.add(path);
        expect(readFileSync(`${ROOT}${path}`, 'utf8'), path).not.toMatch(forbidden);
      }
    }
    expect(checked.size).toBeGreaterThan(DECLARATIONS.length);
  }, 180_000);
});

describe('the bench, from the declarations', () => {
  it('builds every function from the handler file its declaration names (and that file exists)', async () => {
    const { existsSync } = await import('node:fs');
    const { handlerEntries } = await import('../../bench/cold-start.ts');
    const entries = handlerEntries();
    expect(entries.map(([name]) => name).slice(1).sort()).toEqual(DECLARATIONS.map((d) => d.name).sort());
    for (const [name, entry] of entries) expect(existsSync(entry), `${name}: ${entry}`).toBe(true);
  });
});
