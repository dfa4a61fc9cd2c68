// The served OpenAPI document against api.md, as a consumer reads them: every field api.md names on a record is in the
// response schema of the routes that answer it (by that name, required where every answer carries it), and the
// presenters' answers carry every field the schema requires — a client generated from the document neither misses a
// promised field nor waits for one that never comes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Conflict, Contended } from '../../functions/kernel/domain/errors.ts';
import { openApiDocument } from '../../functions/platform/openapi.ts';
import { createProject } from '../../functions/projects/domain/project.ts';
import { presentExit, presentProject, presentProjectToEnterprise } from '../../functions/projects/present.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createResource, type InventoryKind } from '../../functions/inventory/domain/resource.ts';
import { DEFAULT_INVENTORY_CONFIG } from '../../functions/inventory/domain/period.ts';
import { presentAllocation, presentBucket, presentMatch, presentReservation, presentResource } from '../../functions/inventory/present.ts';
import { doneTask, projectInput } from '../support/domain.ts';
import { presentTask, presentTaskToEnterprise } from '../../functions/lifecycle/present.ts';
import { presentLetter } from '../../functions/supervision/present.ts';
import type { Letter } from '../../functions/supervision/domain/letter.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  const?: unknown;
}
type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>> };
const doc = openApiDocument() as unknown as Doc;
const answer = (method: string, path: string, status = '200') => doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
/** The object variants of a schema (a union's options, null left out). */
const objects = (s: Schema | undefined): Schema[] => (!s ? [] : s.anyOf ? s.anyOf.flatMap(objects) : s.oneOf ? s.oneOf.flatMap(objects) : s.type === 'object' || s.properties ? [s] : []);
const at = (s: Schema, ...path: string[]): Schema => path.reduce<Schema>((cur, key) => {
  const o = objects(cur).find((v) => v.properties?.[key]);
  const next = o?.properties?.[key];
  expect(next, `property ${key}`).toBeDefined();
  return next!.type === 'array' ? next!.items! : next!;
}, s);
const fields = (s: Schema) => Object.keys(objects(s)[0]?.properties ?? {});
const required = (s: Schema) => objects(s)[0]?.required ?? [];

// api.md "Creating a project": the project answered is `id`, the fields sent, category, categoryReason, dedicatedTeam,
// stage, status, light, escalation, version, createdAt.
const SENT = ['name', 'investor', 'track', 'industry', 'attractionMode', 'totalInvestmentCny', 'techLevel', 'chainRole', 'park', 'siteMode', 'targets', 'needs'];
const PROJECT = ['id', ...SENT, 'category', 'categoryReason', 'dedicatedTeam', 'stage', 'status', 'light', 'escalation', 'version', 'createdAt'];
// api.md v1.1 "Escalation on the project".
const ESCALATION = ['name', 'level', 'since', 'trigger', 'next'];

const project = { ...createProject(projectInput({ totalInvestmentCny: 1_200_000_000, needs: { areaM2: 120_000 } }), { sub: 'u', name: '招商', roles: ['investment_dept'] }, DEFAULT_CONFIG.classification, { id: 'prj-1', now: new Date('2026-09-01T02:00:00Z') }), status: 'ACTIVE' as const };

describe('the project in the OpenAPI document, as api.md names it', () => {
  // The routes only staff call answer the staff view: every field, required.
  it.each([
    ['post', '/projects', '201'],
    ['patch', '/projects/{id}', '200'],
    ['post', '/projects/{id}/admission', '200'],
    ['post', '/projects/{id}/extension', '200'],
    ['post', '/projects/{id}/exit', '202'],
  ])('%s %s %s: every field of the project, its escalation and its needs in 亩', (method, path, status) => {
    const s = answer(method, path, status);
    expect(required(s)).toEqual(expect.arrayContaining(PROJECT));
    expect(required(at(s, 'escalation'))).toEqual(expect.arrayContaining(ESCALATION));
    expect(fields(at(s, 'escalation', 'next'))).toEqual(expect.arrayContaining(['step', 'dueDate']));
    expect(fields(at(s, 'needs'))).toEqual(expect.arrayContaining(['areaM2', 'areaMu']));
  });

  it("POST /projects/{id}/amendments: the amended project, the staff view", () => {
    expect(required(at(answer('post', '/projects/{id}/amendments', '201'), 'project'))).toEqual(expect.arrayContaining(PROJECT));
  });

  it("GET /projects/{id}/amendments/{amendmentId} (the POST's Location): the amendment as the POST and the list answer it", () => {
    const amendment = ['id', 'at', 'by', 'byName', 'reason', 'changes', 'classification'];
    const one = answer('get', '/projects/{id}/amendments/{amendmentId}');
    expect(required(one)).toEqual(expect.arrayContaining(amendment));
    expect(required(one).sort()).toEqual(required(at(answer('post', '/projects/{id}/amendments', '201'), 'amendment')).sort());
    expect(required(one).sort()).toEqual(required(at(answer('get', '/projects/{id}/amendments'), 'items')).sort());
  });

  // Reads (and the reports an enterprise files) answer the staff view or the investing enterprise's: what both carry is
  // required, what only staff see is described.
  it.each([
    ['get', '/projects/{id}', []],
    ['get', '/projects', ['items']],
    ['post', '/projects/{id}/progress', []],
  ] as const)('%s %s: stage, status, light, escalation, the tasks summary and version; the staff fields described', (method, path, inside) => {
    const s = inside.length ? at(answer(method, path), ...inside) : answer(method, path);
    expect(fields(s)).toEqual(expect.arrayContaining([...PROJECT, 'tasksSummary']));
    expect(required(s)).toEqual(expect.arrayContaining(['id', 'stage', 'status', 'light', 'escalation', 'tasksSummary', 'version', 'createdAt', 'industry', 'siteMode', 'targets', 'needs']));
    expect(fields(at(s, 'escalation'))).toEqual(expect.arrayContaining(ESCALATION));
    expect(required(at(s, 'tasksSummary'))).toEqual(['open', 'overdue', 'nextDue']);
  });

  it('the presenters answer every field the schemas require: the staff view and the enterprise view', () => {
    const staff = presentProject(project);
    for (const key of required(answer('post', '/projects', '201'))) expect(staff, key).toHaveProperty(key);
    for (const key of required(at(answer('post', '/projects', '201'), 'escalation'))) expect(staff.escalation, key).toHaveProperty(key);
    const enterprise = presentProjectToEnterprise(project);
    for (const key of required(answer('get', '/projects/{id}'))) expect(enterprise, key).toHaveProperty(key);
    for (const key of required(at(answer('get', '/projects/{id}'), 'tasksSummary'))) expect(enterprise.tasksSummary, key).toHaveProperty(key);
  });
});

describe('inventory records in the OpenAPI document, as api.md v1.1 names them', () => {
  const FACTS: Record<InventoryKind, string[]> = {
    parcels: ['code', 'park', 'areaM2', 'use', 'supply', 'readiness', 'areaMu'],
    facilities: ['code', 'park', 'owner', 'areaM2', 'floorLoadKnM2', 'clearHeightM', 'powerKva', 'rentCnyPerM2Month'],
    energy: ['year', 'totalTce', 'allocated', 'remaining'],
    environment: ['year', 'pollutant', 'totalTonnes', 'allocated', 'remaining'],
    utilities: ['park', 'utility', 'capacity', 'unit', 'allocated', 'remaining'],
  };
  const variant = (s: Schema, kind: string) => objects(s).find((o) => o.properties?.kind?.const === kind);

  it.each([
    ['post', '/inventory/{kind}', '201', []],
    ['get', '/inventory/{kind}/{id}', '200', []],
    ['patch', '/inventory/{kind}/{id}', '200', []],
    ['get', '/inventory/{kind}', '200', ['items']],
  ] as const)("%s %s %s: each kind's facts, id, status, stale, version (history on one record's answers)", (method, path, status, inside) => {
    const s = inside.length ? at(answer(method, path, status), ...inside) : answer(method, path, status);
    for (const [kind, facts] of Object.entries(FACTS)) {
      const v = variant(s, kind);
      expect(v, kind).toBeDefined();
      expect(v!.required, kind).toEqual(expect.arrayContaining(['id', 'kind', 'status', 'stale', 'version', ...facts]));
      expect(Object.keys(v!.properties!), kind).toContain('history');
    }
    expect(required(at(s, 'readiness'))).toEqual(['relicSurvey', 'landApproval', 'clearanceList', 'infrastructure']);
  });

  it('the presenter answers every field the schema requires, for each kind', () => {
    const ctx = { now: new Date('2026-11-30T02:00:00Z'), today: '2026-11-30', cfg: DEFAULT_INVENTORY_CONFIG };
    // One principal who keeps every kind (the test is about the answer, not who may write it).
    const by = { sub: 'u', name: 'n', roles: ['resources_bureau', 'soe', 'eco_bureau', 'construction_dept'] as ('resources_bureau' | 'soe' | 'eco_bureau' | 'construction_dept')[] };
    const records = [
      createResource('parcels', parcelBody() as never, by, { ...ctx, id: 'par-1' }),
      createResource('facilities', facilityBody() as never, by, { ...ctx, id: 'fac-1' }),
      createResource('energy', { year: 2026, totalTce: 100 } as never, by, { ...ctx, id: 'ene-1' }),
      createResource('environment', { year: 2026, pollutant: 'COD', totalTonnes: 10 } as never, by, { ...ctx, id: 'env-1' }),
      createResource('utilities', { park: '汇通产业园', utility: 'power', capacity: 100, unit: 'kVA' } as never, by, { ...ctx, id: 'utl-1' }),
    ];
    const s = answer('get', '/inventory/{kind}/{id}');
    for (const r of records) {
      const shown = presentResource(r, ctx.today, ctx.cfg, []);
      for (const key of variant(s, r.kind)!.required!) expect(shown, `${r.kind}.${key}`).toHaveProperty(key);
    }
  });
});

describe('the channels document in the OpenAPI document, as api.md v1.1 names it', () => {
  it("GET /config/channels: each robot's and e-mail channel's audience (departments, parks, kinds)", () => {
    const s = answer('get', '/config/channels');
    expect(required(at(s, 'doc', 'robots'))).toEqual(expect.arrayContaining(['id', 'platform', 'departments', 'parks', 'kinds']));
    expect(required(at(s, 'doc', 'email'))).toEqual(expect.arrayContaining(['id', 'to', 'departments', 'parks', 'kinds']));
  });
});

describe('answers whose fields the handler sends and a generated client must see', () => {
  // Each of these objects lists its properties and takes no other: a field it does not name is invisible to a client
  // generated from the document (seen live: GET /funds/2026 answered `totals`, the matches their project, kind and needs,
  // a meeting its plannedCompletion, none of them in the document).
  it.each([
    ['get', '/funds/{year}', '200', ['year', 'open', 'buckets', 'totals']],
    ['get', '/projects/{id}/matches', '200', ['projectId', 'kind', 'needs', 'items', 'misfits', 'candidates', 'fitting']],
    ['post', '/projects/{id}/gates/{stage}/meeting', '201', ['stage', 'meeting', 'followUpTasks', 'plannedCompletion', 'passedTo', 'heldFor']],
  ] as const)('%s %s %s names %j', (method, path, status, names) => {
    expect(required(answer(method, path, status)).sort()).toEqual([...names].sort());
  });

  it("GET /funds/{year}: the totals are the buckets' sums, each in yuan", () => {
    expect(required(at(answer('get', '/funds/{year}'), 'totals')).sort()).toEqual(['allocatedCny', 'budgetCny', 'remainingCny', 'spentCny']);
  });
});

describe('Retry-After in the OpenAPI document', () => {
  type Answer = { headers?: Record<string, { schema?: { type?: string } }> };
  const raw = doc as unknown as { paths: Record<string, Record<string, { responses: Record<string, Answer> }>> };
  // Sent on a throttled request (429), a lost race (409 concurrent-change) and a busy service (503): a client told it in
  // the document waits as told; it was sent (GET /calendar/{year} flooded: 429 with Retry-After: 1) and declared nowhere.
  it('is declared, as whole seconds, on every 409, 429 and 503 an operation lists', () => {
    let seen = 0;
    for (const [path, operations] of Object.entries(raw.paths))
      for (const [method, op] of Object.entries(operations))
        for (const status of ['409', '429', '503'])
          if (op.responses[status]) {
            seen++;
            expect(op.responses[status].headers?.['Retry-After']?.schema, `${method} ${path} ${status}`).toEqual({ type: 'integer', minimum: 0 });
          }
    expect(seen).toBeGreaterThan(100);
  });
});

describe('the 409 of a lost race in the OpenAPI document', () => {
  type Problem = { type: string; status: number; errors?: unknown[] };
  type Answer = { content?: Record<string, { examples?: Record<string, { summary?: string; value: Problem }> }> };
  const raw = doc as unknown as { paths: Record<string, Record<string, { responses: Record<string, Answer> }>>; components: { schemas: { Problem: { properties: { type: { description?: string } } } } } };
  // A write that lost its race (409 concurrent-change) names no field — nothing the client sent is at fault — unlike a
  // conflict with the state, which names what it refuses; the document told neither the type to branch on nor that shape.
  it('shows on every 409 a lost race (its type, no errors: send it again) beside a conflict with the state (its field named)', () => {
    const race = new Contended();
    let seen = 0;
    for (const [path, operations] of Object.entries(raw.paths))
      for (const [method, op] of Object.entries(operations)) {
        const examples = op.responses['409']?.content?.['application/problem+json']?.examples;
        if (!op.responses['409']) continue;
        seen++;
        expect(examples?.['concurrent-change']?.value, `${method} ${path}`).toMatchObject({ type: race.type, status: 409 });
        expect(examples?.['concurrent-change']?.value.errors, `${method} ${path}: a lost race names no field`).toBeUndefined();
        expect(examples?.conflict?.value.type, `${method} ${path}`).toBe(new Conflict('x').type);
        expect(examples?.conflict?.value.errors?.length, `${method} ${path}: a conflict names its field`).toBeGreaterThan(0);
      }
    // Every write route.
    expect(seen).toBeGreaterThan(30);
  });
  it("says in the problem's type which answers a retry may cure", () => {
    const described = raw.components.schemas.Problem.properties.type.description ?? '';
    expect(described).toContain(new Contended().type);
    expect(described).toContain('Retry-After');
  });
});

describe('the 409 of a change written in more than one transaction, in the OpenAPI document', () => {
  type Problem = { type: string; status: number; errors?: unknown[]; outcome?: string };
  type Answer = { description?: string; content?: Record<string, { examples?: Record<string, { summary?: string; value: Problem }> }> };
  const raw = doc as unknown as { paths: Record<string, Record<string, { responses: Record<string, Answer> }>>; components: { schemas: { Problem: { properties: Record<string, { enum?: string[]; description?: string }> } } } };
  // A rejected admission gives back what the project held in as many transactions as it takes (transactGroups): a race
  // lost after the first committed answers 409 concurrent-change with part written — which the document said was never
  // so ("nothing written"), so a client could not tell it had to send the request again to finish the change.
  it('POST /projects/{id}/admission shows the lost race after part was written (outcome partial: send it again), beside the others', () => {
    const answer409 = raw.paths['/projects/{id}/admission']!.post!.responses['409']!;
    const partial = answer409.content?.['application/problem+json']?.examples?.['concurrent-change-partial'];
    expect(partial?.value).toMatchObject({ type: new Contended().type, status: 409, outcome: 'partial' });
    expect(partial?.value.errors).toBeUndefined();
    expect(partial?.summary).toMatch(/same request again/);
    expect(answer409.description).toMatch(/outcome: "partial"/);
  });
  it('no other write shows it: their changes are one transaction each', () => {
    for (const [path, operations] of Object.entries(raw.paths))
      for (const [method, op] of Object.entries(operations)) {
        if (path === '/projects/{id}/admission' && method === 'post') continue;
        expect(op.responses['409']?.content?.['application/problem+json']?.examples?.['concurrent-change-partial'], `${method} ${path}`).toBeUndefined();
      }
  });
  it("names the problem's outcome member and its two values", () => {
    const outcome = raw.components.schemas.Problem.properties.outcome;
    expect(outcome?.enum).toEqual(['unknown', 'partial']);
    expect(outcome?.description).toMatch(/partial/);
  });
});

describe('the headers every success answer sends, in the OpenAPI document', () => {
  type Answer = { headers?: Record<string, { required?: boolean }> };
  const raw = doc as unknown as { paths: Record<string, Record<string, { responses: Record<string, Answer> }>> };
  // ETag, Location and Vary are sent on every success answer of the operations that declare them (checked live by
  // openapi-answers*.test.ts): declared required, a generated client reads them without a presence check. Link and
  // X-Next-Cursor (only when there is a next page), x-config-unchanged and the like (only when so) stay optional.
  it('declares ETag, Location and Vary required; the headers sent only sometimes optional', () => {
    let seen = 0;
    for (const [path, operations] of Object.entries(raw.paths))
      for (const [method, op] of Object.entries(operations))
        for (const [status, answer] of Object.entries(op.responses).filter(([s]) => s.startsWith('2')))
          for (const [name, header] of Object.entries(answer.headers ?? {})) {
            seen++;
            expect(header.required ?? false, `${method} ${path} ${status} ${name}`).toBe(['ETag', 'Location', 'Vary'].includes(name));
          }
    expect(seen).toBeGreaterThan(50);
  });

  it('If-None-Match: the reads whose answer their version fixes take it and declare the 304 (its ETag), no other does', () => {
    type Op = { parameters?: { name: string; in: string }[]; responses: Record<string, Answer & { content?: unknown }> };
    const ops = raw.paths as unknown as Record<string, Record<string, Op>>;
    const taking = Object.entries(ops).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'If-None-Match'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(taking.sort()).toEqual(
      ['/calendar/{year}', '/config/channels', '/config/{name}', '/projects/{id}/amendments/{amendmentId}'].flatMap((p) => [`GET ${p}`, `HEAD ${p}`]).sort(),
    );
    for (const [path, operations] of Object.entries(ops))
      for (const [method, op] of Object.entries(operations)) {
        const declared = op.responses['304'];
        expect(declared !== undefined, `${method} ${path}`).toBe(taking.includes(`${method.toUpperCase()} ${path}`));
        if (declared) {
          expect(declared.headers?.ETag?.required, `${method} ${path}`).toBe(true);
          expect(declared.content, `${method} ${path}`).toBeUndefined();
        }
      }
  });

  it("POST /projects/{id}/exit: the 202 (exit decided) names the project in Location; the 200 (extend) sends none and declares none", () => {
    const responses = raw.paths['/projects/{id}/exit']!.post!.responses;
    expect(responses['202']!.headers?.Location?.required).toBe(true);
    expect(responses['200']!.headers ?? {}).not.toHaveProperty('Location');
    expect(responses['200']!.headers?.ETag?.required).toBe(true);
  });
});

describe('the project answers name every field the presenters send', () => {
  // A project answer carried stageLabel, progress, stalled, production, updatedAt (both views) and — to staff —
  // admission, matrixVersion, amendmentCount, reservations, fundAllocations, plannedCompletion, exit and workflow, none
  // of them named by the schema (seen live: ajv with the schema closed); a generated client typed them unknown.
  const named = (s: Schema) => Object.keys(objects(s)[0]?.properties ?? {});
  it('the staff view (POST /projects 201) and its escalation', () => {
    const shown = presentProject(project);
    const s = answer('post', '/projects', '201');
    expect(Object.keys(shown).filter((k) => !named(s).includes(k))).toEqual([]);
    expect(Object.keys(shown.escalation).filter((k) => !named(at(s, 'escalation')).includes(k))).toEqual([]);
    expect(required(s)).toEqual(expect.arrayContaining(['stageLabel', 'admission', 'matrixVersion', 'progress', 'stalled', 'production', 'amendmentCount', 'reservations', 'fundAllocations', 'plannedCompletion', 'exit', 'workflow', 'updatedAt']));
    // Before admission the project has no matrix version yet (null), as every project registered answers.
    expect(shown.matrixVersion).toBeNull();
    expect(at(s, 'matrixVersion').anyOf?.map((o) => o.type).sort()).toEqual(['integer', 'null']);
  });
  it("the enterprise's view (GET /projects/{id} 200)", () => {
    const shown = presentProjectToEnterprise(project);
    expect(Object.keys(shown).filter((k) => !named(answer('get', '/projects/{id}')).includes(k))).toEqual([]);
  });
});

describe("the exit procedure's answers name every field presentExit sends", () => {
  // GET /projects/{id}/ladder answers the exit as GET /projects/{id} does (presentExit); its schema was a second copy
  // of the project's that left out `redrives` and a failure's `redriveCount`.
  const exit = presentExit({
    status: 'failed', execution: 'prj-1-EXIT-1', attempt: 1, decidedBy: 'u', decidedAt: '2026-12-01T00:00:00Z', reason: 'r', complianceCheck: 1,
    steps: {}, released: [], letter: null, failure: { at: '2026-12-01T00:00:00Z', error: 'E', cause: 'c', redriveCount: 1 }, redrives: 1,
  });
  it.each([
    ['GET /projects/{id}', answer('get', '/projects/{id}')],
    ['GET /projects/{id}/ladder', answer('get', '/projects/{id}/ladder')],
  ])('%s', (_, s) => {
    const e = at(s, 'exit');
    expect(Object.keys(exit).filter((k) => !fields(e).includes(k))).toEqual([]);
    expect(Object.keys(exit.failure!).filter((k) => !fields(at(e, 'failure')).includes(k))).toEqual([]);
  });
});

describe('POST /projects/{id}/production in the OpenAPI document', () => {
  // The answer carries targetsMet (whether the last four quarters meet the contract's targets) beside the project: the
  // schema, the project's alone, did not name it.
  it('names targetsMet beside the project', () => {
    expect(required(answer('post', '/projects/{id}/production'))).toEqual(expect.arrayContaining(['targetsMet', 'id', 'stage', 'production']));
  });
});

describe('the task answers name every field the presenters send', () => {
  // A task answer carried code, nameEn, cooperating, handler, standard, limitWd, after, requiredForGate, parentTaskId
  // and completion, none named by the schema (seen live with the schema closed): a generated client typed them unknown.
  const named = (s: Schema) => Object.keys(objects(s)[0]?.properties ?? {});
  const task = doneTask('SIGNING.pre_site_selection', { completion: { by: 'u', role: 'investment_dept', at: '2026-09-28T02:00:00Z', note: '已办结', documents: ['预选址意见'], deficiencies: [{ document: '用地预审意见', dueDate: '2026-10-20' }] } });
  it.each([
    ['staff', presentTask(task)],
    ['enterprise', presentTaskToEnterprise(task)],
  ] as const)("the %s view on GET /projects/{id}/tasks, POST …/complete and GET /me/tasks", (_, shown) => {
    for (const s of [at(answer('get', '/projects/{id}/tasks'), 'items'), at(answer('post', '/projects/{id}/tasks/{taskId}/complete'), 'task'), at(answer('get', '/me/tasks'), 'items')]) {
      expect(Object.keys(shown).filter((k) => !named(s).includes(k))).toEqual([]);
      expect(Object.keys(shown.completion!).filter((k) => !named(at(s, 'completion')).includes(k))).toEqual([]);
    }
  });
});

describe('the letter answers name every field the presenter sends', () => {
  // A letter carried projectName, fromName, toName, issuedOn, its addressee's role (or enterprise id and name) and its
  // acknowledgement's byName, none named by the schema (seen live with it closed).
  const named = (s: Schema) => Object.keys(objects(s)[0]?.properties ?? {});
  const base = { id: 'ltr-1', number: '晋综开督函〔2026〕1号', series: 'urging', year: 2026, seq: 1, projectId: 'prj-1', projectName: '示例项目', from: 'supervision_office', subject: '督办函', body: '请办结。', issuedAt: '2026-12-07T02:00:00Z', issuedBy: 'u', issuedOn: '2026-12-07', replyBy: '2026-12-14', replyWd: 5 } as const;
  it.each([
    ['a department', { ...base, to: { kind: 'department', role: 'investment_dept' }, ack: { by: 'u', byName: '招商', at: '2026-12-08T02:00:00Z', reply: '收到' } }],
    ['an enterprise', { ...base, to: { kind: 'enterprise', enterpriseId: 'ent-a', name: '示例公司' }, ack: null }],
  ] as const)('to %s, on GET /letters/{id}, GET /projects/{id}/letters, POST /projects/{id}/letters and POST /letters/{id}/ack', (_, letter) => {
    const shown = presentLetter(letter as unknown as Letter, '2026-12-08');
    for (const s of [answer('get', '/letters/{id}'), at(answer('get', '/projects/{id}/letters'), 'items'), answer('post', '/projects/{id}/letters', '201'), answer('post', '/letters/{id}/ack')]) {
      expect(Object.keys(shown).filter((k) => !named(s).includes(k))).toEqual([]);
      const to = objects(at(s, 'to')).flatMap((o) => Object.keys(o.properties ?? {}));
      expect(Object.keys(shown.to).filter((k) => !to.includes(k))).toEqual([]);
      if (shown.ack) expect(Object.keys(shown.ack).filter((k) => !named(at(s, 'ack')).includes(k))).toEqual([]);
    }
  });
});

describe("a project's holdings and the fund's buckets name every field their presenters send", () => {
  // Seen live with the schemas closed: a reservation's projectId, resourceLabel, unit, links, createdAt, createdBy, note
  // and released; an allocation's projectId, unspentCny, createdAt, createdBy and released; a match's code, park and
  // reasonsEn; a bucket's nameEn — none named.
  const named = (s: Schema) => Object.keys(objects(s)[0]?.properties ?? {});
  const missing = (shown: object, s: Schema) => Object.keys(shown).filter((k) => !named(s).includes(k));
  it('a reservation: POST 201, GET one, the list, DELETE 200', () => {
    const shown = presentReservation({ id: 'res-1', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'QY-001', amount: 50_000, unit: 'm²', status: 'reserved', links: [], createdAt: '2026-12-07T02:00:00Z', createdBy: 'u', note: '预留', released: { at: '2026-12-08T02:00:00Z', by: 'u', reason: '不再需要' } } as never);
    for (const s of [answer('post', '/projects/{id}/reservations', '201'), answer('get', '/projects/{id}/reservations/{rid}'), at(answer('get', '/projects/{id}/reservations'), 'items'), answer('delete', '/projects/{id}/reservations/{rid}')]) expect(missing(shown, s)).toEqual([]);
  });
  it('an allocation: POST 201, GET one, the list, spending 201, DELETE 200', () => {
    const shown = presentAllocation({ id: 'fal-1', projectId: 'prj-1', year: 2026, bucket: 'clearance', amountCny: 100, spentCny: 10, purpose: '前期', status: 'released', spending: [], createdAt: '2026-12-07T02:00:00Z', createdBy: 'u', released: { at: '2026-12-08T02:00:00Z', by: 'u', reason: '结余', returnedCny: 90 } } as never);
    for (const s of [answer('post', '/projects/{id}/fund-allocations', '201'), answer('get', '/projects/{id}/fund-allocations/{aid}'), at(answer('get', '/projects/{id}/fund-allocations'), 'items'), answer('post', '/projects/{id}/fund-allocations/{aid}/spending', '201'), answer('delete', '/projects/{id}/fund-allocations/{aid}')]) expect(missing(shown, s)).toEqual([]);
  });
  it("a match and a fund's bucket", () => {
    const match = presentMatch({ resourceId: 'fac-1', code: 'F-1', park: '汇通产业园', score: 0.9, fits: true, stale: false, reasons: [{ zh: '面积满足', en: 'area fits' }] } as never);
    expect(missing(match, at(answer('get', '/projects/{id}/matches'), 'items'))).toEqual([]);
    const bucket = presentBucket({ code: 'clearance', name: { zh: '征拆', en: 'Clearance' }, budgetCny: 100, allocatedCny: 10, spentCny: 1 } as never);
    expect(missing(bucket, at(answer('get', '/funds/{year}'), 'buckets'))).toEqual([]);
  });
});

describe('the dates a request sends, in the OpenAPI document', () => {
  type Node = { type?: string | string[]; format?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[]; oneOf?: Node[]; allOf?: Node[]; additionalProperties?: Node | boolean };
  type Op = { requestBody?: { content?: Record<string, { schema: Node }> }; parameters?: { name: string; in: string; schema: Node }[] };
  const raw = doc as unknown as { paths: Record<string, Record<string, Op>>; components?: { schemas?: Record<string, Node> } };
  /** Every named string property under a schema: [where, name, schema]. */
  const strings = (s: Node | undefined, where: string): [string, string, Node][] => {
    if (!s || typeof s !== 'object') return [];
    const own = Object.entries(s.properties ?? {}).flatMap(([name, p]): [string, string, Node][] => {
      const variants = p.anyOf ?? p.oneOf ?? [p];
      const str = variants.filter((v) => v.type === 'string' || (Array.isArray(v.type) && v.type.includes('string')));
      return [...str.map((v): [string, string, Node] => [`${where}.${name}`, name, v]), ...strings(p, `${where}.${name}`)];
    });
    return [...own, ...[s.items, ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].flatMap((c) => strings(c, where))];
  };
  // heldOn, dueDate, newDueDate, spentOn … were plain strings: a generated client took any text, and the server answered
  // 400 format for what the document let it send.
  it('declares every date a body takes as format: date (a real YYYY-MM-DD), and an instant as date-time', () => {
    const dates: string[] = [];
    for (const [path, operations] of Object.entries(raw.paths))
      for (const [method, op] of Object.entries(operations))
        for (const [where, name, s] of strings(op.requestBody?.content?.['application/json']?.schema, `${method} ${path}`)) {
          if (!/(On|Date|Until)$|^date$/.test(name)) continue;
          dates.push(where);
          expect(s.format, where).toBe('date');
        }
    expect(dates.length).toBeGreaterThan(10);
    const route = raw.paths['/deliveries/route']?.post?.requestBody?.content?.['application/json']?.schema;
    expect(route?.properties?.from?.format).toBe('date-time');
  });
});

// Every date an answer sends is declared with the format it is sent in (openapi-answers*.test.ts checks real answers
// against it): a field named as a day or an instant that the document leaves a plain string is one a generated client
// types as text. A name ending in By (decidedBy) is a person; `from`/`to` name a role as often as a day, and are left out.
describe('dates in answers carry their format', () => {
  const DATED = /(At|On|Date|Until|Since)$|^(at|on|date|since|today|now)$/;
  const plain = (s: unknown, where: string, out: string[]) => {
    if (Array.isArray(s)) return s.forEach((x, i) => plain(x, `${where}/${i}`, out));
    if (!s || typeof s !== 'object') return;
    const o = s as Schema & Record<string, unknown>;
    for (const [name, p] of Object.entries(o.properties ?? {})) {
      const variants = [p, ...(p.anyOf ?? []), ...(p.type === 'array' && p.items ? [p.items] : [])];
      if (DATED.test(name) && variants.some((v) => v.type === 'string' && !(v as { format?: string }).format)) out.push(`${where}.${name}`);
    }
    for (const [k, v] of Object.entries(o)) plain(v, `${where}/${k}`, out);
  };
  it('every response field named as a date or instant is format date or date-time', () => {
    const found: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) for (const [status, r] of Object.entries(op.responses)) plain(r.content?.['application/json']?.schema, `${method.toUpperCase()} ${path} ${status}`, found);
    }
    expect([...new Set(found.map((f) => f.replace(/\/(properties|items|anyOf|\d+)/g, '')))]).toEqual([]);
  });
});

describe("every name the OpenAPI document gives is in the consumer docs", () => {
  // Fields, body members and query parameters the project added beyond api.md: 75 were named by the document alone
  // (their schemas carry no description) and nowhere a consumer reads what they mean — a letter's toName, the exit's
  // redrives, an approval's reopenTasks, the inventory list's minPowerKva. docs/api-additions.md says each, and where.
  const ROOT = new URL('../..', import.meta.url).pathname;
  const consumerDocs = ['README.md', 'docs/api-additions.md', 'docs/design.md', 'docs/runbook.md', 'docs/data-model.md', 'docs/deploy.md'].map((f) => readFileSync(`${ROOT}${f}`, 'utf8')).join('\n');
  const additions = readFileSync(`${ROOT}docs/api-additions.md`, 'utf8');
  type Op = { parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, unknown> };
  const ops = doc as unknown as { paths: Record<string, Record<string, Op>> };
  /** Every property name under `node` (a schema, an answer, a body). */
  const names = (node: unknown, into = new Set<string>()): Set<string> => {
    if (Array.isArray(node)) for (const n of node) names(n, into);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' && v && typeof v === 'object')
          for (const [name, sub] of Object.entries(v)) {
            into.add(name);
            names(sub, into);
          }
        else names(v, into);
      }
    return into;
  };
  /** The names an operation's successes, body and query parameters give. */
  const namesOf = (op: Op) => {
    const found = new Set<string>();
    for (const [status, answer] of Object.entries(op.responses)) if (status.startsWith('2')) names(answer, found);
    names(op.requestBody, found);
    for (const p of op.parameters ?? []) if (p.in === 'query') found.add(p.name);
    return found;
  };
  const named = (name: string, text: string) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(text);

  it('each field, body member and query parameter is named in README.md or docs/*.md', () => {
    const all = new Set(Object.entries(ops.paths).flatMap(([, byMethod]) => Object.entries(byMethod).filter(([m]) => m !== 'head').flatMap(([, op]) => [...namesOf(op)])));
    expect([...all].filter((n) => !named(n, consumerDocs)).sort()).toEqual([]);
  });

  it("docs/api-additions.md names each field where the document has it (a row's routes give it)", () => {
    // Rows: | `name` | `METHOD /path`, `METHOD /path` | what it is |
    const rows = [...additions.matchAll(/^\| `([A-Za-z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => ({ name: m[1]!, routes: [...m[2]!.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`]*)`/g)].map((r) => [r[1]!.toLowerCase(), r[2]!] as const) }));
    expect(rows.length).toBeGreaterThan(70);
    for (const row of rows) {
      expect(row.routes.length, row.name).toBeGreaterThan(0);
      for (const [method, path] of row.routes) {
        const op = ops.paths[path]?.[method];
        expect(op, `${row.name}: ${method} ${path}`).toBeDefined();
        expect(namesOf(op!).has(row.name), `${row.name} on ${method} ${path}`).toBe(true);
      }
    }
  });
});

describe('the fields added beyond api.md that a consumer acts on say what they mean in the OpenAPI document', () => {
  // Named and typed, undescribed: a client reading /openapi.json saw `voidedBy: string | null` on a notice, `voids` on a
  // re-pin's answer, `rungsSince` on the ladder, with nothing saying what they are or when they are there.
  type Node = { description?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[] };
  const raw = doc as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Node }> }>; requestBody?: { content: Record<string, { schema: Node }> } }>> };
  const prop = (s: Node, ...path: string[]): Node | undefined =>
    path.reduce<Node | undefined>((cur, key) => {
      const variants = cur ? [cur, ...(cur.anyOf ?? [])] : [];
      const o = variants.find((v) => v.properties?.[key]);
      const next = o?.properties?.[key];
      return next?.items && !next.description ? { ...next.items, description: next.description } : next;
    }, s);
  const answerOf = (method: string, path: string, status = '200') => raw.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
  const notices = (answerOf('get', '/me/notifications').properties!.items!.items)!;
  const repin = answerOf('post', '/projects/{id}/matrix');
  it.each([
    ['GET /me/notifications items[].voidedAt', prop(notices, 'voidedAt'), /void/],
    ['GET /me/notifications items[].voidedBy', prop(notices, 'voidedBy'), /gate\.open_withdrawn/],
    ['POST /projects/{id}/matrix body dryRun', prop(raw.paths['/projects/{id}/matrix']!.post!.requestBody!.content['application/json']!.schema, 'dryRun'), /nothing/],
    ['POST /projects/{id}/matrix told', prop(repin, 'told'), /would send/],
    ['POST /projects/{id}/matrix voids', prop(repin, 'voids'), /would void/],
    ['POST /projects/{id}/matrix stages', prop(repin, 'stages'), /not entered/],
    ['GET /projects/{id} escalation.rungsSince', prop(answerOf('get', '/projects/{id}'), 'escalation', 'rungsSince'), /rung/],
  ] as const)('%s', (_, schema, says) => {
    expect(schema, 'in the document').toBeDefined();
    expect(schema!.description ?? '').toMatch(says);
  });
});
