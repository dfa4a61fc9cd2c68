// Property-based: every operation of the served OpenAPI document, with random and hostile path values, queries,
// headers and bodies (wrong types, huge numbers, long and odd Unicode, `#` and `/` in ids, prototype keys, broken JSON)
// from random users. The answer is never a 5xx, and a 4xx never writes anything (all tables digested before and after).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { FIELD_ERROR_CODES } from '../../functions/kernel/domain/errors.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, type Handler, type RouteKey, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { entryOf } from '../../functions/catalog.ts';
import { countWrites } from '../support/writes-seen.ts';

const store = isolatedStore('fuzz');
registerFakeWorkflow();
// Every write request this process sends is counted (test/support/writes-seen.ts): while none was sent since the last
// snapshot, the tables are as that snapshot read them, so it stands for the next one.
const writesSeen = countWrites();
const { handler: openapi } = await import('../../functions/platform/http/openapi.ts');
const { ROUTES } = await import('../../functions/catalog.ts');
const { ensureReferenceData } = await import('../../local/seed.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { insertTask, putGate } = await import('../../functions/lifecycle/store/tasks.ts');
const { createProject } = await import('../../functions/projects/domain/project.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { calendarLookup } = await import('../../functions/reference/domain/calendar.ts');
    const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { newGate } = await import('../../functions/lifecycle/domain/gate.ts');
const { tasksForStage } = await import('../../functions/lifecycle/domain/task.ts');

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[]; minimum?: number; maximum?: number; maxLength?: number; maxItems?: number; anyOf?: JsonSchema[] };
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly params: { name: string; in: string; schema: JsonSchema }[];
  readonly body?: JsonSchema;
}

const ACTIVE = 'prj-fuzz-active';
const PENDING = 'prj-fuzz-pending';
let operations: Operation[] = [];
let seedWritesSeen = 0;

beforeAll(async () => {
  await store.createTables();
  await ensureReferenceData(new Date());
  const now = new Date();
  const today = shanghaiDate(now);
  const input = { name: '模糊测试项目', investor: { name: '测试公司', enterpriseId: 'ent-a' }, track: 'industrial' as const, industry: 'nev' as const, attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: PARK_HUITONG, siteMode: 'land' as const };
  const who = { sub: 'seed', name: 'seed', roles: ['investment_dept' as const] };
  const active = { ...createProject(input, who, DEFAULT_CONFIG.classification, { id: ACTIVE, now }), status: 'ACTIVE' as const, matrixVersion: 1 };
  const pending = createProject(input, who, DEFAULT_CONFIG.classification, { id: PENDING, now });
  const tasks = tasksForStage(DEFAULT_CONFIG.matrix, 1, active, 'SIGNING', addCalendarDays(today, -2), 3, calendarLookup([]));
  const gate = { ...newGate(DEFAULT_CONFIG.matrix.gates[0]!, active), open: true, openedDate: addCalendarDays(today, -1), dueDate: addCalendarDays(today, 12) };
  const sentBefore = writesSeen();
  await transact([...insertProject(active), ...insertProject(pending), putGate(ACTIVE, gate), ...tasks.map(insertTask)]);
  seedWritesSeen = writesSeen() - sentBefore;
  // The served document, as a client reads it.
  const doc = JSON.parse((await call(openapi, apiEvent('GET /openapi.json'))).text) as { paths: Record<string, Record<string, { operationId: string; parameters: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  // HEAD is its GET answered without a body (head.test.ts): fuzzed as the GET.
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([method]) => method !== 'head').map(([method, op]) => ({ method: method.toUpperCase(), path, operationId: op.operationId, params: op.parameters, body: op.requestBody?.content['application/json']?.schema })),
  );
}, 60_000);
afterAll(() => store.destroy());

// Hostile leaves: what a careless or malicious client sends.
const hostileString = fc.oneof(
  fc.constantFrom('', ' ', '#', '/', '../../etc/passwd', `${ACTIVE}#x`, `${ACTIVE}/tasks`, 'PROJECT#prj-fuzz-active', '%00', '\u0000', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '${jndi:ldap://x/a}', "'; DROP TABLE projects; --", '\uD800', '\uFEFF', '🚀'.repeat(300), 'x'.repeat(5000), '汉'.repeat(2500), 'NaN', 'Infinity', '-1', '1e308', '0x10', 'true', 'null', '[]', '{}', '9'.repeat(40)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
// 1e-300 and 5e-324: below the smallest number DynamoDB stores (an underflow there); 1.234567890123456e-20: more digits
// than a sum beside it keeps.
const hostileNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, 0.1, -1, 0, 10_000_000_000_001, 1.5, 101, 1e-300, 5e-324, 1.234567890123456e-20);
const hostile: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true, false, [], {}, [[[[[]]]]]), fc.jsonValue({ maxDepth: 3 }));

/** Plausible values of fields whose format the JSON schema does not spell out (dates, quarters, ids, parks). */
const today = () => shanghaiDate(new Date());
const BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  heldOn: fc.constantFrom(today(), addCalendarDays(today(), -1), '2000-01-01', addCalendarDays(today(), 1)),
  dueDate: fc.constantFrom(addCalendarDays(today(), 3), addCalendarDays(today(), 10), '2099-12-31', today()),
  newDueDate: fc.constantFrom(addCalendarDays(today(), 30)),
  quarter: fc.constantFrom('2026Q3', '2026Q4', '2030Q1'),
  enterpriseId: fc.constantFrom('ent-a', 'ent-b'),
  park: fc.constantFrom(PARK_HUITONG, '科创城'),
  owner: fc.constantFrom('approval_office', 'soe', 'park_center'),
  holidays: fc.constantFrom(['2027-01-01'], ['2027-02-10', '2027-02-11'], []),
  workdays: fc.constantFrom([], ['2027-02-07']),
  doc: fc.constantFrom(DEFAULT_CONFIG.lights, { yellowBeforeWd: 2 }, DEFAULT_CONFIG.limits, DEFAULT_CONFIG.matrix),
  reopenTasks: fc.constantFrom([], ['SIGNING.pre_site_selection']),
};

/** A value shaped by the JSON schema (mostly valid, so requests get past validation into the handlers), or a hostile one. */
function fromSchema(schema: JsonSchema | undefined, depth = 0, name?: string): fc.Arbitrary<unknown> {
  if (name && BY_NAME[name]) return fc.oneof({ weight: 20, arbitrary: BY_NAME[name] }, { weight: 1, arbitrary: hostile });
  if (!schema || depth > 4) return hostile;
  const valid = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, depth + 1)));
    switch (schema.type) {
      case 'object': {
        const props = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, depth + 1, k)])), { requiredKeys: [...required].filter((k) => k in props) });
      }
      case 'array':
        return fc.array(fromSchema(schema.items, depth + 1, name), { maxLength: Math.min(schema.maxItems ?? 5, 5) });
      case 'integer':
        return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e9), max: Math.min(schema.maximum ?? 1e9, 1e9) });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'string':
        return fc.oneof(fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 20, 20) }), fc.constantFrom(shanghaiDate(new Date()), '2026-09-29', '2099-12-31', '2027Q1'));
      default:
        return hostile;
    }
  })();
  return fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** Raw bodies: JSON of the schema's shape, JSON with prototype keys, broken JSON, non-objects. */
function body(schema: JsonSchema | undefined): fc.Arbitrary<string | undefined> {
  const json = fromSchema(schema).map((v) => JSON.stringify(v));
  const withProto = fromSchema(schema).map((v) => {
    const text = JSON.stringify(v);
    return text?.startsWith('{') ? `{"__proto__":{"admin":true,"roles":["ops"]},"constructor":{"prototype":{"x":1}},${text.slice(1)}`.replace(/,}$/, '}') : text;
  });
  return fc.oneof({ weight: 6, arbitrary: json }, { weight: 1, arbitrary: withProto }, { weight: 1, arbitrary: fromSchema(undefined).map((v) => JSON.stringify(v)) }, fc.constantFrom('{', '{"a":', 'null', '[]', '"text"', '12', '{"a":1}{"b":2}', '\uFEFF{}'), fc.constant(undefined));
}

const valid: Record<string, string[]> = { id: [ACTIVE, PENDING, 'prj-missing-1'], taskId: ['SIGNING.pre_site_selection', 'SIGNING.project_review'], stage: ['SIGNING', 'LANDING'], year: ['2026', '2027'], name: ['lights', 'matrix', 'limits'] };
/** Holds every staff role, its park and an enterprise: gets past most role checks, into the handlers' own rules. */
const everyone: User = { sub: 'u-everyone', name: '全能测试', roles: ROLES.filter((r) => r !== 'enterprise'), park: PARK_HUITONG, enterprise: 'ent-a', department: 'ops' };
const user: fc.Arbitrary<User | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(everyone) },
  fc.constant(null),
  fc.constantFrom(...ROLES).map((role) => ({ sub: `u-${role}`, name: role, roles: [role], ...(role === 'park_center' ? { park: PARK_HUITONG } : {}), ...(role === 'enterprise' ? { enterprise: 'ent-a' } : {}) })),
  fc.record({ sub: hostileString.filter((s) => s.length > 0), name: hostileString, roles: fc.constant(['ops'] as User['roles']), park: hostileString, enterprise: hostileString }),
);

function request(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    params: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(valid[p.name] ?? ['x'])) }, { weight: 1, arbitrary: hostileString.filter((v) => v.isWellFormed()) })]))), // a URL carries well-formed UTF-8 only
    query: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, fc.dictionary(
      fc.oneof(fc.constantFrom(...(queryParams.map((p) => p.name).length ? queryParams.map((p) => p.name) : ['limit'])), fc.constantFrom('__proto__', 'constructor', 'limit', 'cursor', 'x')),
      fc.oneof(hostileString, fc.constantFrom('1', '20', '100', 'SIGNING', 'red', 'ACTIVE', 'failed')),
      { maxKeys: 3 },
    )),
    body: op.body ? body(op.body) : fc.oneof(fc.constant(undefined), fc.constant(undefined), fc.constantFrom('{}', '{"a":1}')),
    ifMatch: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, fc.constantFrom('"1"', '"2"', '"0"', 'W/"1"', '*', '"99999999999999"', '"-1"', 'garbage')),
    idempotencyKey: fc.oneof(fc.constant(undefined), fc.constantFrom('k-1', 'k-2'), hostileString),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/problem+json')),
    as: user,
  });
}

describe('every operation of the OpenAPI document, fuzzed', () => {
  it('covers every route of the catalog', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('never answers 5xx, and never writes on a 4xx', async () => {
    // The product's writes are seen (its seed transaction above): a request that wrote is never taken for one that did not.
    expect(seedWritesSeen).toBeGreaterThan(0);
    let sentAtSnapshot = writesSeen();
    let before = await store.snapshot();
    const snapshot = async () => {
      if (writesSeen() === sentAtSnapshot) return before;
      sentAtSnapshot = writesSeen();
      return store.snapshot();
    };
    const seen: Record<string, number> = {};
    for (const op of operations) {
      const handler = ((await import(`../../${entryOf(op.operationId)}`)) as { handler: Handler }).handler;
      const write = op.method !== 'GET';
      await fc.assert(
        fc.asyncProperty(request(op), async (r) => {
          const headers: Record<string, string> = {};
          if (r.ifMatch !== undefined) headers['if-match'] = r.ifMatch;
          if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
          const reply = await call(handler, apiEvent(`${op.method} ${op.path}` as RouteKey, { as: r.as, params: r.params as Record<string, string>, query: r.query, body: r.body, headers, contentType: r.body === undefined ? null : r.contentType }));
          const key = `${op.method} ${op.path} ${reply.status}`;
          seen[key] = (seen[key] ?? 0) + 1;
          expect(reply.status, `${op.method} ${op.path} ${JSON.stringify(r).slice(0, 500)} → ${reply.text.slice(0, 300)}`).toBeLessThan(500);
          if (reply.status >= 400) expect(reply.contentType).toMatch(/^application\/problem\+json/);
          // Every field error carries one of the stable codes a client branches on.
          for (const e of (reply.body as { errors?: { code?: string }[] }).errors ?? []) expect(FIELD_ERROR_CODES).toContain(e.code);
          if (write) {
            const after = await snapshot();
            if (reply.status >= 400) expect(after, `${op.method} ${op.path} wrote on ${reply.status}: ${JSON.stringify(r).slice(0, 300)}`).toEqual(before);
            before = after;
          }
        }),
        { numRuns: write ? 120 : 40, seed: Number(process.env.FUZZ_SEED ?? 20261129), endOnFailure: true },
      );
      // Read whole at each operation's end: the tables are as the requests left them (a write the count above missed
      // would show here).
      if (write) expect(await store.snapshot(), `${op.method} ${op.path}: a write no request was seen to send`).toEqual(before);
    }
    // The runs reached past validation: some requests of the write routes succeeded.
    expect(Object.keys(seen).filter((k) => / 2\d\d$/.test(k) && !k.startsWith('GET')).length).toBeGreaterThan(3);
  }, 600_000);
});
