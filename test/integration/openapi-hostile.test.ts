// Hostile input on every operation of the served OpenAPI document, over HTTP through the local gateway (local/server.ts)
// with real dev tokens of a role each operation allows: wrong types for every body field and query parameter, extra and
// prototype keys at any depth, duplicated keys, 10,000-level nesting, numbers JSON cannot hold, text no ledger carries,
// impossible dates, hostile path segments, repeated, empty and huge queries, odd headers and refused tokens. Every
// answer is checked against the document (test/support/openapi-answers.ts), is never a 5xx, a refusal is
// problem+json whose errors[] names the field that was wrong (or, a fault the operation's plausible request already has,
// named first), and a refusal writes nothing (no DynamoDB write leaves the process while it is made:
// test/support/writes-seen.ts). Bounded and seeded (HOSTILE_SEED): the same requests every run, about 2,200 of them.
// The fuzz test (fuzz.test.ts) calls the handlers with random values; this one walks each field and each header in turn.
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryOf } from '../../functions/catalog.ts';
import { prng } from '../../bench/sim/zone.ts';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { FIELD_ERROR_CODES } from '../../functions/kernel/domain/errors.ts';
import { devIdentity, LOCAL_AUDIENCE, LOCAL_ISSUER, signToken } from '../../local/auth.ts';
import { projectInput } from '../support/domain.ts';
import { isolatedStore } from '../support/env.ts';
import { servedClient, type Answer } from '../support/openapi-answers.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { countWrites } from '../support/writes-seen.ts';

const store = isolatedStore('openapi-hostile');
registerFakeWorkflow();
const writesSeen = countWrites();
const { ensureReferenceData } = await import('../../local/seed.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; const?: unknown; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; minItems?: number; format?: string; pattern?: string; anyOf?: Schema[]; oneOf?: Schema[]; $ref?: string; additionalProperties?: unknown };
interface Parameter { name: string; in: string; required?: boolean; schema: Schema }
interface Operation { method: string; path: string; roles: string[]; params: Parameter[]; body?: Schema }

let client: Awaited<ReturnType<typeof servedClient>>;
let operations: Operation[] = [];
let project = '';
let components: Record<string, Schema> = {};
let badTokens: Record<string, string> = {};

// The simulator's seeded generator (mulberry32): the same requests every run for one HOSTILE_SEED.
const random = prng(Number(process.env.HOSTILE_SEED ?? 20261207));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
/** `n` of `xs`, drawn by the seed (all of them when there are no more): the bound on each field's cases. */
const sample = <T>(xs: readonly T[], n: number): T[] => {
  const left = [...xs];
  return Array.from({ length: Math.min(n, left.length) }, () => left.splice(Math.floor(random() * left.length), 1)[0]!);
};

beforeAll(async () => {
  await store.createTables();
  await ensureReferenceData(new Date());
  client = await servedClient((name) => import(/* @vite-ignore */ `../../${entryOf(name)}`).then((m: { handler: unknown }) => m.handler));
  components = ((client.doc.components as { schemas?: Record<string, Schema> }).schemas ?? {});
  operations = Object.entries(client.doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => method !== 'head')
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        roles: op['x-roles'] ?? [],
        params: op.parameters ?? [],
        body: (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content?.['application/json']?.schema,
      })),
  );
  // Tokens the gateway must refuse, signed with the runtime's own key unless said otherwise.
  const key = await importJWK(client.keys.privateJwk, 'ES256');
  const jwt = (claims: Record<string, unknown>, opts: { aud?: string; iss?: string; exp?: number; alg?: string } = {}) =>
    new SignJWT({ ...devIdentity('ops'), token_use: 'id', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: client.keys.kid, typ: 'JWT' })
      .setIssuer(opts.iss ?? LOCAL_ISSUER)
      .setAudience(opts.aud ?? LOCAL_AUDIENCE)
      .setSubject('dev-hostile')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(key);
  const unsigned = (payload: Record<string, unknown>) => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  const other = await generateKeyPair('ES256');
  badTokens = {
    'an expired token': await jwt({}, { exp: Math.floor(Date.now() / 1000) - 60 }),
    'a token for another audience': await jwt({}, { aud: 'another-api' }),
    'a token of another issuer': await jwt({}, { iss: 'https://elsewhere.example/issuer' }),
    'an unsigned token (alg none)': unsigned({ ...devIdentity('ops'), iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 }),
    'a token signed by another key': await new SignJWT({ ...devIdentity('ops'), token_use: 'id' }).setProtectedHeader({ alg: 'ES256', kid: client.keys.kid }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(other.privateKey),
    'a token of a removed role': await signToken(client.keys, { sub: 'dev-mayor', name: '已撤销角色', roles: ['mayor' as never] }),
  };
  // One project, registered as a user does: the operations on /projects/{id} reach it.
  const created = await client.expectStatus(201, 'investment_dept', 'POST', '/projects', { body: projectInput({ name: '敌意输入项目' }) });
  project = (created.body as { id: string }).id;
}, 120_000);
afterAll(async () => {
  await client?.close();
  store.destroy();
});

const deref = (s: Schema | undefined): Schema | undefined => {
  if (!s?.$ref) return s;
  return deref(components[s.$ref.replace('#/components/schemas/', '')]);
};
const typeOf = (s: Schema | undefined): string | undefined => {
  const d = deref(s);
  if (!d) return undefined;
  if (d.enum) return typeof d.enum[0] === 'number' ? 'number' : 'string';
  if (Array.isArray(d.type)) return d.type.find((t) => t !== 'null');
  if (d.type) return d.type;
  const alt = d.anyOf ?? d.oneOf;
  return alt ? typeOf(alt.find((x) => typeOf(x) !== 'null')) : undefined;
};
const isDate = (name: string, s: Schema | undefined) => deref(s)?.format === 'date' || /(^date|Date|[a-z]On)$/.test(name) || /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/.test(deref(s)?.pattern ?? '');

const TODAY = shanghaiDate(new Date());
/** A plausible value of a schema: what most fields take, so each request differs from an acceptable one in one place. */
function plausible(s: Schema | undefined, name = '', depth = 0): unknown {
  const d = deref(s);
  if (!d || depth > 6) return 'x';
  if (d.const !== undefined) return d.const;
  if (d.enum) return d.enum[0];
  const alt = d.anyOf ?? d.oneOf;
  if (alt) return plausible(alt.find((x) => typeOf(x) !== 'null'), name, depth + 1);
  switch (typeOf(d)) {
    case 'object':
      return Object.fromEntries((d.required ?? []).filter((k) => d.properties?.[k]).map((k) => [k, plausible(d.properties![k], k, depth + 1)]));
    case 'array':
      return Array.from({ length: d.minItems ?? 0 }, () => plausible(d.items, name, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(d.minimum ?? 1, Math.min(d.maximum ?? 1, 1));
    case 'boolean':
      return true;
    default:
      return isDate(name, d) ? TODAY : 'x'.repeat(Math.max(1, d.minLength ?? 1));
  }
}

/** A value of another JSON type than the schema's: never acceptable. */
function wrongType(s: Schema | undefined): unknown {
  switch (typeOf(s)) {
    case 'string':
      return pick([12345, true, ['x'], { x: 1 }]);
    case 'integer':
    case 'number':
      return pick(['12', true, [1], { n: 1 }]);
    case 'boolean':
      return pick(['true', 1, [true]]);
    case 'array':
      return pick([{}, 'x', 1]);
    case 'object':
      return pick(['x', 1, [], true]);
    default:
      return undefined;
  }
}

/** Names every plain object answers for: a lookup by the value a client sent (`series[code]`) finds Object's own. */
const OBJECT_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

/** Hostile leaves for a field of a type: each is taken or refused naming the field, never a 5xx. */
function hostileLeaves(s: Schema | undefined, name: string): { what: string; raw: string }[] {
  const t = typeOf(s);
  if (t === 'integer' || t === 'number') {
    return [
      { what: '1e309', raw: '1e309' },
      { what: '-0', raw: '-0' },
      { what: '2^53+1', raw: '9007199254740993' },
      { what: '"NaN"', raw: '"NaN"' },
      { what: '-1e309', raw: '-1e309' },
      { what: '5e-324', raw: '5e-324' },
    ];
  }
  if (t !== 'string' || deref(s)?.enum) return [];
  const leaves = [
    { what: 'NUL', raw: JSON.stringify('a\u0000b') },
    { what: 'lone surrogate', raw: '"a\\ud800b"' },
    { what: 'RTL override', raw: JSON.stringify('\u202Eabc') },
    { what: 'RTL mark', raw: JSON.stringify('\u200Fقطعة') },
    { what: '10,000 Chinese characters', raw: JSON.stringify('汉'.repeat(10_000)) },
  ];
  if (isDate(name, s)) {
    leaves.push(
      { what: '2026-02-30', raw: '"2026-02-30"' },
      { what: '0000-01-01', raw: '"0000-01-01"' },
      { what: '+275760-09-13', raw: '"+275760-09-13"' },
      { what: 'a date with a time zone', raw: '"2026-03-02T00:00:00+08:00"' },
      { what: 'a date with Z', raw: '"2026-03-02Z"' },
    );
  }
  return leaves;
}

/** The value a path parameter is given: the seeded project, else one of its schema (an enum's first, an id's form). */
const PATH_VALUES: Record<string, string> = { taskId: 'SIGNING.pre_site_selection', year: '2026' };
function pathValue(op: Operation, name: string): string {
  const schema = deref(op.params.find((p) => p.in === 'path' && p.name === name)?.schema);
  if (schema?.enum) return String(schema.enum[0]);
  if (PATH_VALUES[name]) return PATH_VALUES[name];
  const prefix = /^\^\(?([a-z]+)[|)-]/.exec(schema?.pattern ?? '')?.[1];
  if (prefix === 'prj') return project;
  if (prefix) return `${prefix}-missing1`;
  return '0123456789abcdef';
}
const pathOf = (op: Operation, override: Record<string, string> = {}) => op.path.replace(/\{(\w+)\}/g, (_, n: string) => override[n] ?? pathValue(op, n));
const roleOf = (op: Operation) => op.roles.find((r) => r !== 'enterprise') ?? op.roles[0] ?? null;

interface Case {
  readonly what: string;
  readonly path?: string;
  /** The body as sent: JSON text, or bytes (a gzip body). */
  readonly body?: string | Buffer;
  readonly query?: Record<string, string>;
  readonly rawQuery?: string;
  readonly headers?: Record<string, string>;
  readonly as?: string | null;
  /** The field a refusal must name (`errors[].path` it or below it); undefined: any 4xx. */
  readonly names?: string;
  /** Must be refused (a value no schema takes); otherwise taken or refused. */
  readonly refused?: boolean;
  /** The status expected, when one is. */
  readonly status?: number;
}

const nest = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
/** The body's JSON text with `raw` in place of the value at `field` (a top-level key). */
const withRaw = (body: Record<string, unknown>, field: string, raw: string) => {
  return JSON.stringify({ ...body, [field]: '@@HOSTILE@@' }).replace('"@@HOSTILE@@"', raw);
};

function cases(op: Operation): Case[] {
  const out: Case[] = [];
  const body = op.body ? (plausible(op.body) as Record<string, unknown>) : undefined;
  const bodySchema = deref(op.body);
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (bodySchema && body && typeOf(bodySchema) === 'object') {
    const props = Object.entries(bodySchema.properties ?? {});
    for (const [field, s] of props) {
      const wrong = wrongType(s);
      if (wrong !== undefined) out.push({ what: `${field} of the wrong type (${JSON.stringify(wrong)})`, body: JSON.stringify({ ...body, [field]: wrong }), names: field, refused: true, status: 400 });
      for (const leaf of [...sample(hostileLeaves(s, field), 3), ...(typeOf(s) === 'string' ? OBJECT_KEYS.map((k) => ({ what: JSON.stringify(k), raw: JSON.stringify(k) })) : [])]) out.push({ what: `${field} = ${leaf.what}`, body: withRaw(body, field, leaf.raw), names: field });
      // One level down: a wrong type in the first field of an object, or of an array's first item.
      const inner = deref(s);
      const innerProps = typeOf(inner) === 'object' ? Object.entries(inner?.properties ?? {}) : typeOf(inner) === 'array' && typeOf(deref(inner?.items)) === 'object' ? Object.entries(deref(inner?.items)?.properties ?? {}) : [];
      if (innerProps.length) {
        const [sub, subSchema] = pick(innerProps);
        const wrongSub = wrongType(subSchema);
        const item = { ...(plausible(typeOf(inner) === 'array' ? inner?.items : inner) as Record<string, unknown>), [sub]: wrongSub };
        const path = typeOf(inner) === 'array' ? `${field}[0].${sub}` : `${field}.${sub}`;
        if (wrongSub !== undefined) out.push({ what: `${path} of the wrong type`, body: JSON.stringify({ ...body, [field]: typeOf(inner) === 'array' ? [item] : item }), names: field, refused: true, status: 400 });
        out.push({ what: `${field} with an extra key`, body: JSON.stringify({ ...body, [field]: typeOf(inner) === 'array' ? [{ ...item, [sub]: plausible(subSchema, sub), zzExtra: 1 }] : { ...item, [sub]: plausible(subSchema, sub), zzExtra: 1 } }), names: field, refused: true, status: 400 });
        out.push({ what: `__proto__ inside ${field}`, body: JSON.stringify({ ...body, [field]: typeOf(inner) === 'array' ? [{}] : {} }).replace(typeOf(inner) === 'array' ? `"${field}":[{}]` : `"${field}":{}`, typeOf(inner) === 'array' ? `"${field}":[{"__proto__":{"roles":["ops"]}}]` : `"${field}":{"__proto__":{"roles":["ops"]}}`), names: field, refused: true, status: 400 });
      }
    }
    const open = bodySchema.additionalProperties !== false && bodySchema.additionalProperties !== undefined;
    if (!open) out.push({ what: 'an extra field', body: JSON.stringify({ ...body, zzExtra: 'x' }), names: 'zzExtra', refused: true, status: 400 });
    out.push(
      { what: '__proto__ at the top', body: text!.replace(/^\{/, '{"__proto__":{"roles":["ops"]},').replace(/,\}$/, '}'), names: '__proto__', refused: true, status: 400 },
      { what: 'constructor and prototype keys', body: text!.replace(/^\{/, '{"constructor":{"prototype":{"admin":true}},').replace(/,\}$/, '}'), refused: !open, ...(open ? {} : { names: 'constructor', status: 400 }) },
      { what: 'a prototype key', body: text!.replace(/^\{/, '{"prototype":1,').replace(/,\}$/, '}'), refused: !open, ...(open ? {} : { names: 'prototype', status: 400 }) },
    );
    const first = props[0]?.[0];
    if (first) {
      const value = JSON.stringify(body[first] ?? plausible(props[0]![1], first));
      const rest = Object.keys(body).filter((k) => k !== first).map((k) => `${JSON.stringify(k)}:${JSON.stringify(body[k])}`);
      out.push({ what: `${first} named twice`, body: `{${[`${JSON.stringify(first)}:${value}`, `${JSON.stringify(first)}:${value}`, ...rest].join(',')}}`, names: first, refused: true, status: 400 });
    }
  }
  if (op.body) {
    out.push(
      { what: '10,000 levels of nesting', body: nest(10_000), refused: true, status: 400 },
      { what: 'a body of 1 MB', body: JSON.stringify({ ...body, zzText: 'x'.repeat(1 << 20) }), refused: true, status: 413 },
      { what: 'JSON null', body: 'null', refused: true, status: 400 },
      { what: 'an array', body: '[]', refused: true, status: 400 },
      { what: 'broken JSON', body: '{"a":', refused: true, status: 400 },
      { what: 'a gzip body that is broken', body: text, headers: { 'content-encoding': 'gzip' }, refused: true, status: 415 },
      { what: 'a gzip body', body: gzipSync(text ?? '{}'), headers: { 'content-encoding': 'gzip' }, refused: true, status: 415 },
      { what: 'Content-Type text/plain', body: text, headers: { 'content-type': 'text/plain' }, refused: true, status: 415 },
      { what: 'Content-Type in latin1', body: text, headers: { 'content-type': 'application/json; charset=latin1' }, refused: true, status: 415 },
      { what: 'Content-Type in upper case with a charset', body: text, headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' } },
      { what: 'Content-Type with another parameter', body: text, headers: { 'content-type': 'application/json; profile=x' } },
    );
  } else if (op.method !== 'DELETE') {
    out.push({ what: 'a body on a route that takes none', body: '{"a":1}', refused: true, status: 400 });
  }
  // Queries: each parameter of the wrong kind, repeated, empty, huge; an unknown one.
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const t = typeOf(p.schema);
    const enumerated = deref(p.schema)?.enum;
    const q = (what: string, value: string, refused = true): Case => ({ what: `?${p.name}=${what}`, query: { [p.name]: value }, names: `query.${p.name}`, ...(refused ? { refused, status: 400 } : {}) });
    const wrong: Case[] = [];
    if (t === 'integer' || t === 'number') wrong.push(q('abc', 'abc'), q('1e309', '1e309', false), q('NaN', 'NaN'), q('-0', '-0', false), q('2^53+1', '9007199254740993', false));
    if (enumerated) wrong.push(q('NOPE', 'NOPE'));
    if (isDate(p.name, p.schema) || p.name === 'from' || p.name === 'to') wrong.push(q('2026-02-30', '2026-02-30'), q('+275760-09-13', '+275760-09-13'), q('0000-01-01', '0000-01-01', false), q('a date with a time zone', '2026-03-02T00:00:00+08:00', false));
    out.push(
      ...sample(wrong, 2),
      ...OBJECT_KEYS.map((k) => ({ what: `?${p.name}=${k}`, query: { [p.name]: k }, names: `query.${p.name}` })),
      { what: `?${p.name} repeated`, rawQuery: `${p.name}=a&${p.name}=b`, names: `query.${p.name}`, refused: true, status: 400 },
      ...sample<Case>([
        { what: `?${p.name}= empty`, rawQuery: `${p.name}=`, names: `query.${p.name}` },
        { what: `?${p.name} huge`, query: { [p.name]: '汇'.repeat(1500) }, names: `query.${p.name}` },
        { what: `?${p.name} with NUL`, rawQuery: `${p.name}=a%00b`, names: `query.${p.name}` },
        { what: `?${p.name} with an RTL override`, query: { [p.name]: '\u202Eabc' }, names: `query.${p.name}` },
      ], 1),
    );
  }
  out.push({ what: 'an unknown query parameter', query: { zzUnknown: '1' }, names: 'query.zzUnknown', refused: true, status: 400 });
  out.push({ what: '__proto__ in the query', rawQuery: '__proto__=1', names: 'query.__proto__', refused: true, status: 400 });
  // Path parameters: encoded slash, dot segments (encoded), very long, Unicode, NUL.
  for (const n of [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
    for (const [what, value] of sample([['%2F', 'a%2Fb'], ['%2E%2E', '%2E%2E'], ['2,000 characters', 'p'.repeat(2000)], ['Unicode', encodeURIComponent('汇通产业园🚀')], ['NUL', 'a%00b'], ['a lone surrogate escape', '%ED%A0%80'], ['a malformed escape', '%E0%A4%A']] as const, 3)) {
      out.push({ what: `{${n}} = ${what}`, path: pathOf(op, { [n]: value }) });
    }
  }
  // Headers: Accept with q-values, If-Match and Idempotency-Key malformed.
  out.push(
    { what: 'Accept: application/json;q=0', headers: { accept: 'application/json;q=0' }, ...(op.path.includes('.csv') || op.path.includes('.xlsx') ? {} : { refused: true, status: 406 }) },
    { what: 'Accept: text/html;q=0.1, */*;q=0.5', headers: { accept: 'text/html;q=0.1, */*;q=0.5' } },
    { what: 'Accept: q out of range', headers: { accept: 'application/json;q=7, text/csv;q=-1' } },
    { what: 'Accept of a thousand ranges', headers: { accept: Array.from({ length: 1000 }, (_, i) => `a/b${i};q=0.${i % 10}`).join(',') } },
  );
  if (op.params.some((p) => p.name === 'If-Match')) out.push({ what: 'If-Match malformed', headers: { 'if-match': '"1", "2"' }, names: 'If-Match', refused: true, status: 400 }, { what: 'If-Match huge', headers: { 'if-match': '"99999999999999999999"' }, names: 'If-Match' });
  if (op.params.some((p) => p.name === 'Idempotency-Key')) out.push({ what: 'Idempotency-Key with a space', headers: { 'idempotency-key': 'a b' }, names: 'Idempotency-Key', refused: true, status: 400 }, { what: 'Idempotency-Key of 129 characters', headers: { 'idempotency-key': 'k'.repeat(129) }, names: 'Idempotency-Key', refused: true, status: 400 });
  // Tokens: none, malformed, expired, for another audience or issuer, unsigned, of a role the API no longer has, of a
  // role the operation does not allow.
  if (op.roles.length) {
    out.push(
      { what: 'no Authorization', as: null, refused: true, status: 401 },
      { what: 'Authorization: Bearer (nothing)', as: null, headers: { authorization: 'Bearer ' }, refused: true, status: 401 },
      { what: 'Authorization: Basic', as: null, headers: { authorization: 'Basic YTpi' }, refused: true, status: 401 },
      { what: 'a token that is not a JWT', as: null, headers: { authorization: 'Bearer not.a.jwt' }, refused: true, status: 401 },
      { what: 'a token of 8 KB', as: null, headers: { authorization: `Bearer ${'a'.repeat(8192)}` }, refused: true, status: 401 },
      ...Object.entries(badTokens).map(([what, token]) => ({ what, as: null, headers: { authorization: `Bearer ${token}` }, refused: true, status: what === 'a token of a removed role' ? 403 : 401 })),
    );
    const outsider = ROLES.find((r) => !op.roles.includes(r));
    if (outsider) out.push({ what: `a token of ${outsider}, not allowed here`, as: outsider, refused: true, status: 403 });
  }
  // A case about the query, the path or a header sends the plausible body beside it.
  return out
    .map((c) => (c.body === undefined && text !== undefined ? { ...c, body: text } : c))
    .map((c) => (c.body !== undefined && c.headers?.['content-type'] === undefined ? { ...c, headers: { 'content-type': 'application/json', ...c.headers } } : c));
}

/** Sends a case over raw HTTP (no URL normalisation: the path as written), the answer checked against the document. */
/** Sends a case; on a route the gateway throttles (the public ones), a 429 is waited out as its Retry-After says. */
async function send(op: Operation, c: Case): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await sendOnce(op, c);
    if (answer.status !== 429 || attempt === 5) return answer;
    await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function sendOnce(op: Operation, c: Case): Promise<Answer> {
  const path = c.path ?? pathOf(op);
  const query = c.rawQuery ?? (c.query ? new URLSearchParams(c.query).toString() : '');
  const as = c.as === undefined ? roleOf(op) : c.as;
  const base = new URL(client.base);
  const headers: Record<string, string> = { ...(as ? { authorization: `Bearer ${client.tokens.get(as)}` } : {}), ...c.headers };
  const payload = c.body === undefined ? undefined : typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body;
  const { status, responseHeaders, text } = await new Promise<{ status: number; responseHeaders: Headers; text: string }>((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method: op.method, path: `${path}${query ? `?${query}` : ''}`, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, responseHeaders: h, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
  // A hostile path may name no operation of the document (a dot segment resolved away): judged, not checked against it.
  const body = c.path === undefined ? client.check(op.method, path, status, responseHeaders, text) : /json$/.test((responseHeaders.get('content-type') ?? '').split(';')[0]!) && text ? JSON.parse(text) : undefined;
  if (c.path !== undefined && status < 400) console.log('hostile path answered', status, op.method, path.slice(0, 120));
  return { status, headers: responseHeaders, text, body };
}

const failures: string[] = [];
const fail = (op: Operation, c: Case, why: string, answer: Answer) => failures.push(`${op.method} ${op.path} — ${c.what}: ${why} (${answer.status} ${answer.text.slice(0, 200)})`);

function judge(op: Operation, c: Case, answer: Answer, baseErrors: readonly string[]) {
  if (answer.status >= 500) return fail(op, c, 'a 5xx', answer);
  if (c.status !== undefined && answer.status !== c.status && ![401, 403].includes(answer.status)) return fail(op, c, `expected ${c.status}`, answer);
  if (c.refused && answer.status < 400) return fail(op, c, 'taken, not refused', answer);
  if (answer.status < 400) return;
  if (!/^application\/problem\+json/.test(answer.headers.get('content-type') ?? '')) return fail(op, c, 'a refusal not problem+json', answer);
  const errors = (answer.body as { errors?: { path: string; code: string }[] } | undefined)?.errors ?? [];
  for (const e of errors) if (!(FIELD_ERROR_CODES as readonly string[]).includes(e.code)) fail(op, c, `error code ${e.code} is not one of the stable codes`, answer);
  if (answer.status === 400 && c.names !== undefined) {
    const named = errors.some((e) => e.path === c.names || e.path.startsWith(`${c.names}.`) || e.path.startsWith(`${c.names}[`)) || (errors.length > 0 && errors.every((e) => baseErrors.includes(e.path)));
    if (!named) fail(op, c, `errors[] does not name ${c.names}`, answer);
  }
}

/** The requests of one operation: its plausible one first (the faults it already has), then each hostile case. */
async function walk(op: Operation): Promise<number> {
  const base = await send(op, { what: 'the plausible request', ...(op.body ? { body: JSON.stringify(plausible(op.body)), headers: { 'content-type': 'application/json' } } : {}) });
  const baseErrors = base.status === 400 ? ((base.body as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path) : [];
  const all = cases(op);
  for (const c of all) {
    const writes = writesSeen();
    const answer = await send(op, c);
    judge(op, c, answer, baseErrors);
    // A refusal wrote nothing: no write left this process while it was made (the reads around it are fine).
    if (answer.status >= 400 && writesSeen() !== writes) fail(op, c, 'a refusal wrote', answer);
  }
  return all.length;
}

describe('hostile input on every operation of the served document, over HTTP', () => {
  it('never a 5xx; a refusal is problem+json naming the field; a refusal writes nothing', async () => {
    const before = await store.snapshot();
    const writesBefore = writesSeen();
    let sent = 0;
    // The writes one after another (a refusal's writes are told apart from an acceptance's by the count around it);
    // the reads after them, four at a time.
    for (const op of operations.filter((o) => o.method !== 'GET')) sent += await walk(op);
    const reads = operations.filter((o) => o.method === 'GET');
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let op = reads.shift(); op; op = reads.shift()) sent += await walk(op);
    }));
    if (process.env.HOSTILE_COUNT) console.log(`${sent} hostile requests`);
    expect(sent).toBeGreaterThan(2000);
    expect(failures).toEqual([]);
    expect(client.mismatches).toEqual([]);
    // The count sees the writes: those the accepted requests made are there.
    expect(writesSeen()).toBeGreaterThan(writesBefore);
    expect(await store.snapshot()).not.toEqual(before);
  }, 600_000);

  it('a body sent slowly in chunks is read whole: the write is taken once; a chunked body that is gzip in name is refused, nothing written', async () => {
    const body = JSON.stringify(projectInput({ name: '分块慢速项目' }));
    const slow = await chunked('/projects', [...Buffer.from(body)].reduce<Buffer[]>((parts, byte, i) => (i % 64 === 0 ? [...parts, Buffer.from([byte])] : [...parts.slice(0, -1), Buffer.concat([parts.at(-1)!, Buffer.from([byte])])]), []), {});
    expect(slow.status, slow.text).toBe(201);
    const writes = writesSeen();
    const gzip = await chunked('/projects', [Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))], { 'content-encoding': 'gzip' });
    expect(gzip.status, gzip.text).toBe(415);
    expect(gzip.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(writesSeen()).toBe(writes);
  });
});

/** POST `parts` as a chunked body, a few milliseconds between them, as investment_dept. */
function chunked(path: string, parts: Buffer[], headers: Record<string, string>) {
  const base = new URL(client.base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method: 'POST', path, headers: { authorization: `Bearer ${client.tokens.get('investment_dept')}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    void (async () => {
      for (const part of parts) {
        req.write(part);
        await new Promise((r) => setTimeout(r, 20));
      }
      req.end();
    })();
  });
}
