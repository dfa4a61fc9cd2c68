// A client generated from GET /openapi.json, as a consumer has it: every real answer checked against the served
// document — the status listed for the operation, the Content-Type declared for that status, the body valid against
// its schema (JSON Schema 2020-12, with ajv), every field of the body named by the schema (an object that lists its
// properties takes no other: a generated client would not see it), and the headers a client acts on (ETag, Location,
// Retry-After, Vary, Link) declared where they are sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import addFormatsModule from 'ajv-formats';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { createVerifier, devIdentity, loadOrCreateKeys, signToken } from '../../local/auth.ts';
import { createApiServer, type HttpHandler } from '../../local/server.ts';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: Json }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation & { 'x-roles'?: string[]; security: unknown[]; parameters: { name: string; in: string; required: boolean; schema: { enum?: string[] } }[]; requestBody?: unknown }>>;
  components: Json;
}
export interface Answer<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
/** Headers a client acts on: sent, they must be declared for that answer. */
const WATCHED = ['etag', 'location', 'retry-after', 'vary', 'link', 'x-next-cursor'];

/** `#/components/…` as a reference into the schema registered as `components`. */
const relink = (s: unknown): unknown =>
  Array.isArray(s) ? s.map(relink) : s && typeof s === 'object' ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/components/') ? `components#/${v.slice(13)}` : relink(v)])) : s;
/**
 * The schema closed: an object that lists its properties and takes others — said nothing of, or any (`{}`, a zod
 * looseObject) — takes no other here: a field it does not name is one a generated client does not type.
 */
const closed = (s: unknown): unknown => {
  if (Array.isArray(s)) return s.map(closed);
  if (!s || typeof s !== 'object') return s;
  const o = s as Json;
  const loose = typeof o.additionalProperties === 'object' && o.additionalProperties !== null && Object.keys(o.additionalProperties).length === 0;
  const open = o.properties !== undefined && (o.additionalProperties === undefined || loose) && o.unevaluatedProperties === undefined;
  const out = Object.fromEntries(Object.entries(o).filter(([k]) => !(open && k === 'additionalProperties')).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([n, x]) => [n, closed(x)])) : closed(v)]));
  return open ? { ...out, unevaluatedProperties: false } : out;
};

export function openApiClient(base: string, doc: OpenApiDocument, tokenOf: (role: string) => string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'components', ...doc.components });
  const compiled = new Map<unknown, [ValidateFunction, ValidateFunction]>();
  const validators = (schema: unknown) => {
    if (!compiled.has(schema)) compiled.set(schema, [ajv.compile(relink(schema) as Json), ajv.compile(closed(relink(schema)) as Json)]);
    return compiled.get(schema)!;
  };
  const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  /** The operation's path template: a literal path before a templated one (/config/channels, not /config/{name}). */
  const templateOf = (path: string) => {
    const all = templates.filter((x) => x.re.test(path));
    return (all.find((x) => !x.t.includes('{')) ?? all[0])?.t;
  };
  const mismatches: string[] = [];
  /** `METHOD template status` of every answer. */
  const answered = new Set<string>();
  const wrong = (what: string) => void (mismatches.includes(what) || mismatches.push(what));

  function check(method: string, path: string, status: number, headers: Headers, text: string): unknown {
    const template = templateOf(path);
    const at = `${method} ${template ?? path} ${status}`;
    answered.add(at);
    const operation = template ? doc.paths[template]?.[method.toLowerCase()] : undefined;
    if (!operation) return wrong(`${at}: no such operation in the document`);
    const answer = operation.responses[String(status)];
    if (!answer) return wrong(`${at}: status not declared (${text.slice(0, 120)})`);
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim();
    let body: unknown;
    if (/json$/.test(type) && text) body = JSON.parse(text);
    if (!answer.content) {
      if (text && method !== 'HEAD') wrong(`${at}: declares no content, answered ${type}`);
    } else if (method !== 'HEAD') {
      const media = answer.content[type];
      if (!media) wrong(`${at}: Content-Type ${type} not declared (${Object.keys(answer.content).join(', ')})`);
      else if (/json$/.test(type)) {
        const [valid, exact] = validators(media.schema);
        if (!valid(body)) wrong(`${at}: body not valid: ${ajv.errorsText(valid.errors?.slice(0, 5))}`);
        else if (!exact(body)) {
          const extra = (exact.errors ?? []).filter((e) => e.keyword === 'unevaluatedProperties').map((e) => `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*')}/${(e.params as { unevaluatedProperty: string }).unevaluatedProperty}`);
          wrong(`${at}: fields the schema does not name: ${[...new Set(extra)].join(', ')}`);
        }
      }
    }
    const declared = Object.entries(answer.headers ?? {});
    for (const [name, h] of declared) if (h.required && !headers.has(name)) wrong(`${at}: required header ${name} not sent`);
    for (const name of WATCHED) {
      if (!headers.has(name) || declared.some(([d]) => d.toLowerCase() === name)) continue;
      // Vary: Origin is the CORS gateway's, not the operation's.
      if (name === 'vary' && !/accept/i.test(headers.get(name)!)) continue;
      wrong(`${at}: sends ${name} (${headers.get(name)}) the document does not declare`);
    }
    return body;
  }

  /** A request as a user makes it (`as`: a role's dev token; null: none), its answer checked against the document. */
  async function request<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
    as: string | null,
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const headers = { ...(as ? { authorization: `Bearer ${tokenOf(as)}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
    const res = await fetch(url, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    const body = check(method, url.pathname, res.status, res.headers, text);
    return { status: res.status, headers: res.headers, text, body: body as T };
  }

  /** A request whose status is known: the answer, its status asserted (the answer's start in the message). */
  async function expectStatus(status: number, ...args: Parameters<typeof request>) {
    const answer = await request(...args);
    expect(answer.status, `${args[1]} ${args[2]}: ${answer.text.slice(0, 300)}`).toBe(status);
    return answer;
  }

  return { request, expectStatus, check, mismatches, answered };
}

/**
 * The local gateway (local/server.ts) over a runtime's handlers on a free port, with a dev token per role (as `npm
 * start` signs them: the park center serving 汇通产业园, the enterprise ent-a), the document it serves, and a client
 * checking every answer against it.
 */
export async function servedClient(loadHandler: (name: string) => Promise<unknown>) {
  const keysDir = mkdtempSync(join(tmpdir(), 'zoneflow-openapi-'));
  const keys = await loadOrCreateKeys(keysDir);
  const tokens = new Map(await Promise.all(ROLES.map(async (role) => [role as string, await signToken(keys, devIdentity(role))] as const)));
  const server = createApiServer({ verify: await createVerifier(keys), loadHandler: loadHandler as (name: string) => Promise<HttpHandler> });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
  const client = openApiClient(base, doc, (role) => tokens.get(role) ?? role);
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(keysDir, { recursive: true, force: true });
  };
  return { ...client, doc, close, base, keys, tokens };
}
