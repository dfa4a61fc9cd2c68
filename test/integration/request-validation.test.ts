// Bad input on POST /projects: every refusal is a problem+json naming the field, never a 500, and writes nothing.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type RequestInit } from '../support/events.ts';

const store = isolatedStore('validation');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { openApiDocument } = await import('../../functions/platform/openapi.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

const post = (init: RequestInit) => call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, ...init }));

/** Sends the request and checks that nothing at all was written (projects, audit, idempotency, reference). */
async function refusedWithoutWriting(init: RequestInit) {
  const before = await store.snapshot();
  const reply = await post(init);
  expect(await store.snapshot()).toEqual(before);
  expect(reply.status).not.toBe(500);
  return reply;
}

describe('POST /projects refuses unknown fields (no mass assignment)', () => {
  it('refuses an unknown top-level field and names it', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ extra: 1 }) });

    expectProblem(reply, 400, ['extra']);
  });

  it('refuses an unknown field inside the investor and names it investor.foo', async () => {
    const body = projectBody();
    body.investor = { name: '示例汽车科技有限公司', enterpriseId: 'ent-a', foo: 'bar' };

    const reply = await refusedWithoutWriting({ body });

    expectProblem(reply, 400, ['investor.foo']);
  });

  it('does not let a client set the status itself (status: ACTIVE is an unknown field here)', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ status: 'ACTIVE' }) });

    expectProblem(reply, 400, ['status']);
  });

  it('refuses a __proto__ key instead of merging it', async () => {
    const text = JSON.stringify(projectBody()).replace(/^\{/, '{"__proto__":{"category":"major"},');

    const reply = await refusedWithoutWriting({ body: text });

    expectProblem(reply, 400, ['__proto__']);
  });
});

describe('POST /projects checks every field', () => {
  it('refuses the total investment sent as a string', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ totalInvestmentCny: '1200000000' }) });

    const problem = expectProblem(reply, 400, ['totalInvestmentCny']);
    expect(problem.errors?.[0]?.message).toBe('expected number');
  });

  it.each([
    { label: 'a negative', value: -1 },
    { label: 'a zero', value: 0 },
    { label: 'a fractional', value: 1.5 },
  ])('refuses $label total investment', async ({ value }) => {
    const reply = await refusedWithoutWriting({ body: projectBody({ totalInvestmentCny: value }) });

    expectProblem(reply, 400, ['totalInvestmentCny']);
  });

  it('refuses a track that is neither industrial nor scitech ("agri") and lists the allowed ones', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ track: 'agri' }) });

    const problem = expectProblem(reply, 400, ['track']);
    expect(problem.errors?.[0]?.message).toBe('must be one of: industrial, scitech');
  });

  it('refuses a project without a name, saying the name is required', async () => {
    const body = projectBody();
    delete body.name;

    const reply = await refusedWithoutWriting({ body });

    const problem = expectProblem(reply, 400, ['name']);
    expect(problem.errors?.[0]?.message).toBe('is required');
  });

  it('refuses a name of blanks only', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ name: '   ' }) });

    expectProblem(reply, 400, ['name']);
  });

  it('refuses text a ledger, a letter or a workbook cannot carry, naming the field: controls, broken Unicode, overrides, nothing visible', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: 'ab\u0000cd' }, 'name', /control characters/],
      [{ name: 'a\u0007\u001bb' }, 'name', /control characters/],
      [{ name: 'x\ud800y' }, 'name', /valid Unicode/],
      [{ park: '\udfff' }, 'park', /valid Unicode/],
      [{ name: '名称\uffff' }, 'name', /non-character/],
      [{ name: 'RLO项目\u202e未闭合' }, 'name', /bidirectional/],
      [{ name: '\u200b\u200b' }, 'name', /visible character/],
      [{ investor: { name: '\u200d \ufeff', enterpriseId: 'ent-a' } }, 'investor.name', /visible character/],
      ...['\ufe0f', '\u034f', '\u3164', '\u115f', '\u2800', '\udb40\udc20', '\ufe0f\ufe0f'].map((name): [Record<string, unknown>, string, RegExp] => [{ name }, 'name', /visible character/]),
    ];
    for (const [over, path, message] of cases) {
      const problem = expectProblem(await refusedWithoutWriting({ body: projectBody(over) }), 400, [path]);
      expect(problem.errors?.map((e) => e.message).join('; ')).toMatch(message);
    }
    // A name is one line: a line break or a tab inside it would split a ledger row, a letter's heading or a group
    // message; around it they are trimmed. An emoji (a surrogate pair) is valid Unicode.
    for (const [over, path] of [[{ name: 'a"b,c\nd' }, 'name'], [{ name: '示例\t项目' }, 'name'], [{ name: '项目\u2028二' }, 'name'], [{ investor: { name: '公司\r\n名', enterpriseId: 'ent-a' } }, 'investor.name'], [{ park: '汇通\n产业园' }, 'park']] as [Record<string, unknown>, string][]) {
      const problem = expectProblem(await refusedWithoutWriting({ body: projectBody(over) }), 400, [path]);
      expect(problem.errors?.map((e) => e.message).join('; ')).toMatch(/one line/);
    }
    const trimmed = await post({ body: projectBody({ name: '\t示例项目 🚗\n' }) });
    expect(trimmed.status).toBe(201);
    expect((trimmed.body as { name: string }).name).toBe('示例项目 🚗');
  });

  it('refuses bytes that are not UTF-8 (400) and a body declared in another charset (415); charset=utf-8 is fine', async () => {
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    const json = Buffer.from(event.body ?? '', 'utf8');
    const broken = Buffer.concat([json.subarray(0, 10), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), json.subarray(10)]);
    const before = await store.snapshot();
    expectProblem(await call(createProject, { ...event, body: broken.toString('base64'), isBase64Encoded: true }), 400, ['']);
    expect(await store.snapshot()).toEqual(before);
    expectProblem(await refusedWithoutWriting({ body: JSON.stringify(projectBody()), contentType: 'application/json; charset=iso-8859-1' }), 415);
    expect((await post({ body: JSON.stringify(projectBody()), contentType: 'application/json; charset=UTF-8' })).status).toBe(201);
  });

  it('refuses an enterprise id with spaces, naming investor.enterpriseId', async () => {
    const body = projectBody();
    body.investor = { name: '示例', enterpriseId: 'ent a' };

    const reply = await refusedWithoutWriting({ body });

    expectProblem(reply, 400, ['investor.enterpriseId']);
  });

  it('refuses negative jobs in the contract targets, naming targets.jobs', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ targets: { jobs: -5 } }) });

    expectProblem(reply, 400, ['targets.jobs']);
  });

  it('names every failing field at once', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ track: 'agri', siteMode: 'rent', totalInvestmentCny: 0 }) });

    const problem = expectProblem(reply, 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['siteMode', 'totalInvestmentCny', 'track']);
  });
});

describe('each field error carries a stable code a client can branch on or translate', () => {
  it('says what kind of fault each field has: unknown, missing, wrong type, not allowed value, bad shape, out of bounds', async () => {
    const body = projectBody({ extra: 1, totalInvestmentCny: '12', track: 'agri', targets: { jobs: -5 }, name: 'x'.repeat(500) });
    delete body.industry;
    body.investor = { name: '示例', enterpriseId: 'ent a' };

    const problem = expectProblem(await refusedWithoutWriting({ body }), 400);

    expect(Object.fromEntries(problem.errors!.map((e) => [e.path, e.code]))).toEqual({
      extra: 'unknown_field',
      industry: 'required',
      totalInvestmentCny: 'type',
      track: 'enum',
      'targets.jobs': 'too_small',
      name: 'too_big',
      'investor.enterpriseId': 'format',
    });
  });

  it('names a body it cannot read malformed', async () => {
    const problem = expectProblem(await refusedWithoutWriting({ body: '{"name": "半个项目",' }), 400, ['']);

    expect(problem.errors![0]!.code).toBe('malformed');
  });
});

describe('POST /projects refuses a body that names a key twice (JSON.parse would keep the last)', () => {
  const raw = (text: string) => refusedWithoutWriting({ body: text });
  const body = JSON.stringify(projectBody());

  it('names the key: {"name":"a","name":"b"} is a 400 duplicate at name, nothing written', async () => {
    const reply = await raw(body.replace('{', '{"name":"甲项目",'));
    expect(expectProblem(reply, 400, ['name']).errors).toEqual([{ path: 'name', code: 'duplicate', message: 'named twice in one object: send each key once' }]);
  });

  it('names it inside a nested object, and however its name is escaped', async () => {
    expectProblem(await raw(body.replace('"investor":{', '"investor":{"n\\u0061me":"别名",')), 400, ['investor.name']);
  });

  it('takes the same key in two different objects', async () => {
    const reply = await post({ body });
    expect(reply.status).toBe(201);
  });
});

describe('POST /projects refuses bodies it cannot read', () => {
  it('refuses a body that is not JSON (400)', async () => {
    const reply = await refusedWithoutWriting({ body: '{"name": "半个项目",' });

    expectProblem(reply, 400, ['']);
  });

  it('refuses a JSON array instead of an object (400)', async () => {
    const reply = await refusedWithoutWriting({ body: '[]' });

    expectProblem(reply, 400, ['']);
  });

  it('refuses a body that is not declared as JSON (415)', async () => {
    const reply = await refusedWithoutWriting({ body: JSON.stringify(projectBody()), contentType: 'text/plain' });

    expectProblem(reply, 415);
  });

  it('takes targets and needs sent as null (as GET answers a project without them) as left out', async () => {
    const created = await post({ body: projectBody({ targets: null, needs: null }) });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ targets: null, needs: null });
    expect(created.body).not.toHaveProperty('targets.outputValueCny');
  });

  it('refuses a compressed body (415 naming its encoding), writing nothing; identity is fine', async () => {
    const { gzipSync } = await import('node:zlib');
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    const before = await store.snapshot();
    const zipped = { ...event, body: gzipSync(Buffer.from(event.body ?? '', 'utf8')).toString('base64'), isBase64Encoded: true, headers: { ...event.headers, 'content-encoding': 'gzip' } };
    const problem = expectProblem(await call(createProject, zipped), 415);
    expect(problem.detail).toMatch(/Content-Encoding: gzip/);
    expect(await store.snapshot()).toEqual(before);
    expect((await call(createProject, { ...event, headers: { ...event.headers, 'content-encoding': 'identity' } })).status).toBe(201);
  });

  it('refuses a body without any content-type (415)', async () => {
    const reply = await refusedWithoutWriting({ body: JSON.stringify(projectBody()), contentType: null });

    expectProblem(reply, 415);
  });

  it('refuses a body over 64 KB (413)', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ name: 'x'.repeat(64 * 1024) }) });

    expectProblem(reply, 413);
  });

  it('counts the 64 KB in bytes: 22,000 Chinese characters (66 KB in UTF-8) are too large (413)', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody({ name: '项'.repeat(22_000) }) });

    expectProblem(reply, 413);
  });

  it('accepts a body of exactly 64 KB', async () => {
    const json = JSON.stringify(projectBody());
    const padded = json.slice(0, -1) + ' '.repeat(64 * 1024 - Buffer.byteLength(json)) + '}';
    expect(Buffer.byteLength(padded)).toBe(64 * 1024);

    const reply = await post({ body: padded });

    expect(reply.status).toBe(201);
  });

  it('refuses an empty body, naming the required fields (400)', async () => {
    const reply = await refusedWithoutWriting({ body: '' });

    const problem = expectProblem(reply, 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['name', 'investor', 'track', 'industry', 'totalInvestmentCny', 'park', 'siteMode']),
    );
  });

  it('accepts a body API Gateway delivered base64-encoded', async () => {
    const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() });
    const encoded = { ...event, body: Buffer.from(event.body ?? '', 'utf8').toString('base64'), isBase64Encoded: true };

    const reply = await call(createProject, encoded);

    expect(reply.status).toBe(201);
    expect(reply.body.name).toBe('示例新能源汽车零部件项目');
  });
});

describe('POST /projects refuses bad query and headers', () => {
  it('refuses a query parameter on a route that takes none (a typo must not be ignored)', async () => {
    const reply = await refusedWithoutWriting({ body: projectBody(), query: { dryRun: 'true' } });

    expectProblem(reply, 400, ['query.dryRun']);
  });

  it.each([
    { label: 'with a space', key: 'my key' },
    { label: 'of 129 characters', key: 'k'.repeat(129) },
    { label: 'with Chinese characters', key: '幂等键' },
  ])('refuses an Idempotency-Key $label', async ({ key }) => {
    const reply = await refusedWithoutWriting({ body: projectBody(), headers: { 'idempotency-key': key } });

    expectProblem(reply, 400, ['Idempotency-Key']);
  });
});

describe('a query parameter given twice', () => {
  /** GET /projects as API Gateway delivers `?…`: the raw query as sent, repeated parameters joined with commas. */
  const list = (raw: string) => {
    const joined: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw)) joined[k] = k in joined ? `${joined[k]},${v}` : v;
    return call(listProjects, { ...apiEvent('GET /projects', { as: users.committeeLeader, query: joined }), rawQueryString: raw });
  };

  it('is refused naming it (400 duplicate), not read as a comma list: ?status=ACTIVE&status=EXITED', async () => {
    const problem = expectProblem(await list('status=ACTIVE&status=EXITED'), 400, ['query.status']);
    expect(problem.errors).toEqual([{ path: 'query.status', code: 'duplicate', message: 'given 2 times: this parameter takes one value' }]);
  });

  it('is refused for a free-text filter too, which would otherwise look for a park named "汇通产业园,其他园"', async () => {
    expectProblem(await list(`park=${encodeURIComponent('汇通产业园')}&park=${encodeURIComponent('其他园')}&limit=5`), 400, ['query.park']);
  });

  it('takes each parameter given once', async () => {
    expect((await list('status=ACTIVE&limit=5')).status).toBe(200);
  });
});

describe('a route that takes no body', () => {
  // The served document declares 400 for such a route, never 413 or 415 (they are for the routes that take one): any
  // body sent to it — whatever its type, size or encoding — is the one 400 saying it takes none, not "send it as JSON".
  const declared = Object.keys((openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }).paths['/projects']!.get!.responses);
  const list = (init: RequestInit, patch: Partial<ReturnType<typeof apiEvent>> = {}) => call(listProjects, { ...apiEvent('GET /projects', { as: users.committeeLeader, ...init }), ...patch });

  it.each([
    { label: 'a JSON body', init: { body: { status: 'ACTIVE' } } },
    { label: 'a body sent as text/plain', init: { body: 'status=ACTIVE', contentType: 'text/plain' } },
    { label: 'a body without a content-type', init: { body: '{}', contentType: null } },
    { label: 'a body in another charset', init: { body: '{}', contentType: 'application/json; charset=iso-8859-1' } },
    { label: 'a body over 64 KB', init: { body: 'x'.repeat(70 * 1024), contentType: 'text/plain' } },
  ])('refuses $label with its declared 400 naming the body', async ({ init }) => {
    const problem = expectProblem(await list(init as RequestInit), 400, ['']);
    expect(problem.errors).toEqual([{ path: '', code: 'not_allowed', message: 'unexpected body' }]);
    expect(declared).toContain('400');
    expect(declared).not.toContain('413');
    expect(declared).not.toContain('415');
  });

  it('refuses a compressed body the same way', async () => {
    const problem = expectProblem(await list({}, { body: gzipSync(Buffer.from('{}')).toString('base64'), isBase64Encoded: true, headers: { ...apiEvent('GET /projects').headers, 'content-type': 'application/json', 'content-encoding': 'gzip' } }), 400, ['']);
    expect(problem.detail).toBe('This request takes no body');
  });

  it('answers as before without one', async () => {
    expect((await list({})).status).toBe(200);
  });
});

describe('a route that cannot answer in the type asked for', () => {
  it('answers GET /projects with Accept: text/csv by 406 naming what it gives (JSON), not JSON anyway', async () => {
    const reply = await call(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, headers: { accept: 'text/csv' } }));
    expect(expectProblem(reply, 406).detail).toBe('This resource is available as application/json; send an Accept that takes one of them');
  });

  it('answers JSON to an Accept that takes it among others, or any type', async () => {
    for (const accept of ['text/csv;q=0.9, application/json;q=0.1', '*/*', 'application/*', 'text/html,application/xhtml+xml,*/*;q=0.8', '']) {
      const reply = await call(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, headers: { accept } }));
      expect(reply.status, accept).toBe(200);
    }
  });
});
