// Conditional requests as an API consumer's client meets them: a stale If-Match is a 412 and a missing one a 428 that
// name the header (errors[].path "If-Match"), on each store that keeps versions — a project, a calendar year, a
// configuration document — so a generic client can say which header to refresh without parsing English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type Reply } from '../support/events.ts';

const store = isolatedStore('conditional');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { handler: putCalendar } = await import('../../functions/reference/http/put-calendar.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date('2026-01-05T00:00:00Z'));
});
afterAll(() => store.destroy());

const ifMatch = (value: string | undefined): Record<string, string> => (value === undefined ? {} : { 'if-match': value });

const editProject = (id: string, name: string, version?: string) =>
  call(updateProject, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id }, body: { name }, headers: ifMatch(version) }));
const putYear = (year: number, holidays: string[], version?: string) =>
  call(putCalendar, apiEvent('PUT /calendar/{year}', { as: users.opsEngineer, params: { year: String(year) }, body: { holidays, workdays: [] }, headers: ifMatch(version) }));
const putLights = (doc: unknown, version?: string) => call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'lights' }, body: { doc }, headers: ifMatch(version) }));

/** The refusal names If-Match with `code`, and nothing else. */
const namesIfMatch = (reply: Reply, status: number, code: string) =>
  expect(expectProblem(reply, status, ['If-Match']).errors?.[0]?.code).toBe(code);

describe('a stale or missing If-Match names the header', () => {
  it('PATCH /projects/{id}: 412 stale, 428 missing', async () => {
    const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    const id = created.body.id;
    expect((await editProject(id, '第一次更名', '"1"')).status).toBe(200);

    namesIfMatch(await editProject(id, '基于旧版本的更名', '"1"'), 412, 'stale');
    namesIfMatch(await editProject(id, '未带版本的更名'), 428, 'required');
    expect(await store.storedProject(id)).toMatchObject({ name: '第一次更名', version: 2 });
  });

  it('PUT /calendar/{year}: 412 stale, 428 missing', async () => {
    expect((await putYear(2041, ['2041-01-01'])).status).toBe(201);
    expect((await putYear(2041, ['2041-01-01', '2041-01-02'], '"1"')).status).toBe(200);

    namesIfMatch(await putYear(2041, [], '"1"'), 412, 'stale');
    namesIfMatch(await putYear(2041, []), 428, 'required');
  });

  it('PUT /config/{name}: 412 stale, 428 missing', async () => {
    const read = await call<{ version: number; doc: Record<string, unknown> }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'lights' } }));

    namesIfMatch(await putLights(read.body.doc, `"${read.body.version + 5}"`), 412, 'stale');
    namesIfMatch(await putLights(read.body.doc), 428, 'required');
  });
});

const { handler: getCalendar } = await import('../../functions/reference/http/get-calendar.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');

const readYear = (year: number, ifNoneMatch?: string, method: 'GET' | 'HEAD' = 'GET') => {
  const event = apiEvent('GET /calendar/{year}', { params: { year: String(year) }, headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });
  event.requestContext.http.method = method;
  return call(getCalendar, event);
};
const readLights = (ifNoneMatch: string) => call(getConfig, apiEvent('GET /config/{name}', { as: users.supervisionOfficer, params: { name: 'lights' }, headers: { 'if-none-match': ifNoneMatch } }));

/** A 304 as a cache needs it: no body and no content metadata, the ETag it revalidated. */
const notModified = (reply: Reply, etag: string) => {
  expect(reply.status, reply.text).toBe(304);
  expect(reply.text).toBe('');
  expect(reply.headers.etag).toBe(etag);
  expect(reply.headers['content-type']).toBeUndefined();
};

describe('If-None-Match on a record whose answer is its stored version (a calendar year, a configuration)', () => {
  it('answers 304 for the ETag in force — strong, weak, in a list or * — and the record for another', async () => {
    expect((await putYear(2042, ['2042-01-01'])).status).toBe(201);
    const first = await readYear(2042);
    expect(first.headers.etag).toBe('"1"');

    for (const tag of ['"1"', 'W/"1"', '"7", "1"', '*']) notModified(await readYear(2042, tag), '"1"');
    notModified(await readYear(2042, '"1"', 'HEAD'), '"1"');

    // A correction moves the version on: the old ETag gets the new record.
    expect((await putYear(2042, ['2042-01-01', '2042-01-02'], '"1"')).status).toBe(200);
    const again = await readYear(2042, '"1"');
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe('"2"');
    expect(again.body).toMatchObject({ holidays: ['2042-01-01', '2042-01-02'] });

    const lights = await call(getConfig, apiEvent('GET /config/{name}', { as: users.supervisionOfficer, params: { name: 'lights' } }));
    notModified(await readLights(lights.headers.etag!), lights.headers.etag!);
  });

  it('answers the built-in default (version 0) in full whatever If-None-Match says: a deploy may change it under the same ETag', async () => {
    // "0" names no stored version but the code's defaults of the day: a client holding it from before a deploy that
    // changed a default would be told 304 and keep the old content. The ETag stays "0" (the If-Match a first
    // publication sends); only the 304 is not given for it.
    const read = (ifNoneMatch: string, method: 'GET' | 'HEAD' = 'GET') => {
      const event = apiEvent('GET /config/{name}', { as: users.supervisionOfficer, params: { name: 'lights' }, query: { version: '0' }, headers: { 'if-none-match': ifNoneMatch } });
      event.requestContext.http.method = method;
      return call<{ version: number; doc: unknown }>(getConfig, event);
    };
    for (const tag of ['"0"', 'W/"0"', '"7", "0"', '*']) {
      const reply = await read(tag);
      expect(reply.status, tag).toBe(200);
      expect(reply.headers.etag).toBe('"0"');
      expect(reply.body).toMatchObject({ version: 0, publishedBy: 'built-in default' });
    }
    expect((await read('"0"', 'HEAD')).status).toBe(200);
    // A published version is fixed by what was stored: still 304.
    const first = await call(getConfig, apiEvent('GET /config/{name}', { as: users.supervisionOfficer, params: { name: 'lights' }, query: { version: '1' } }));
    expect(first.headers.etag).toBe('"1"');
    notModified(await call(getConfig, apiEvent('GET /config/{name}', { as: users.supervisionOfficer, params: { name: 'lights' }, query: { version: '1' }, headers: { 'if-none-match': '"1"' } })), '"1"');
  });

  it('answers a project in full whatever If-None-Match says: its answer moves under one version (its light, its gate)', async () => {
    const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    const reply = await call(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id: created.body.id }, headers: { 'if-none-match': '"1"' } }));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: created.body.id });
  });
});
