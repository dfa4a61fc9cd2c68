// Idempotency-Key on writes: a retried request gets the first answer and changes nothing more; a reused key with
// another body is refused; concurrent twins of one request are applied once.
import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('idem');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { addParks } = await import('../support/config.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

type Project = Record<string, unknown> & { id: string; version: number; name: string };

/** A unique park per test (added to the zone's parks), so each test counts only its own projects. */
const uniquePark = async () => {
  const park = `幂等测试园-${randomUUID().slice(0, 8)}`;
  await addParks(park);
  return park;
};
const projectsIn = async (park: string) => (await store.projects()).filter((p) => p.park === park);

const createWithKey = (key: string, body: Record<string, unknown>, as: User = users.investmentOfficer) =>
  call<Project>(createProject, apiEvent('POST /projects', { as, body, headers: { 'idempotency-key': key } }));

describe('retrying POST /projects with the same Idempotency-Key', () => {
  it('answers the retry with the first response (same status, body and project id)', async () => {
    const key = randomUUID();
    const body = projectBody({ park: await uniquePark() });

    const first = await createWithKey(key, body);
    const retry = await createWithKey(key, body);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.etag).toBe('"1"');
    expect(retry.headers.location).toBe(`/projects/${first.body.id}`);
  });

  it('marks only the retry as replayed (idempotent-replayed: true)', async () => {
    const key = randomUUID();
    const body = projectBody({ park: await uniquePark() });

    const first = await createWithKey(key, body);
    const retry = await createWithKey(key, body);

    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('writes only one project and one audit event', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    const body = projectBody({ park });

    const first = await createWithKey(key, body);
    await createWithKey(key, body);

    expect((await projectsIn(park)).map((p) => p.id)).toEqual([first.body.id]);
    expect(await store.audit(`PROJECT#${first.body.id}`)).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    await createWithKey(key, projectBody({ park }));
    const before = await store.snapshot();

    const reply = await createWithKey(key, projectBody({ park, totalInvestmentCny: 5_000_000 }));

    // The header is named, as a stale If-Match is: the key is what to change (a new one), not a field of the body.
    const problem = expectProblem(reply, 422, ['Idempotency-Key']);
    expect(problem.errors![0]).toMatchObject({ code: 'duplicate' });
    expect(await store.snapshot()).toEqual(before);
    expect(await projectsIn(park)).toHaveLength(1);
  });

  it('takes the same JSON spelt otherwise (spacing, key order) as the same request: the first answer, one project', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    const body = projectBody({ park });
    const first = await createWithKey(key, body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await createWithKey(key, JSON.stringify(reordered, null, 2) as never);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(await projectsIn(park)).toHaveLength(1);
  });

  it('refuses a body nested deeper than 32 levels (400 on the body), with a key or without — never walks it', async () => {
    for (const levels of [33, 12_000]) {
      const deep = `{"name":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      expectProblem(await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: deep })), 400, ['']);
      expectProblem(await createWithKey(randomUUID(), deep as never), 400, ['']);
    }
    // Brackets inside strings are text, not nesting.
    const named = await createWithKey(randomUUID(), projectBody({ park: await uniquePark(), name: `项目${'['.repeat(40)}` }));
    expect(named.status, named.text).toBe(201);
  });

  it('refuses a body of JSON null as not an object (400), with a key or without', async () => {
    expectProblem(await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: 'null' })), 400, ['']);
    expectProblem(await createWithKey(randomUUID(), 'null' as never), 400, ['']);
  });

  it('keeps the keys of two officials apart: the same key from another official creates its own project', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    const body = projectBody({ park });

    const mine = await createWithKey(key, body, users.investmentOfficer);
    const theirs = await createWithKey(key, body, users.investmentOfficer2);

    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await projectsIn(park)).toHaveLength(2);
  });

  it('creates exactly one project when 10 identical requests with one key arrive at once', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    const body = projectBody({ park });

    const replies = await Promise.all(Array.from({ length: 10 }, () => createWithKey(key, body)));

    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    const stored = await projectsIn(park);
    expect(stored).toHaveLength(1);
    expect(new Set(replies.map((r) => r.body.id))).toEqual(new Set([stored[0]?.id]));
  });
});

describe('retrying PATCH /projects/{id} with the same Idempotency-Key', () => {
  async function freshProject(): Promise<Project> {
    const reply = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ park: await uniquePark() }) }));
    expect(reply.status).toBe(201);
    return reply.body;
  }

  const patch = (id: string, key: string, body: Record<string, unknown>, ifMatch = '"1"') =>
    call<Project>(
      updateProject,
      apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id }, body, headers: { 'if-match': ifMatch, 'idempotency-key': key } }),
    );

  it('answers a retried edit with the first answer instead of 412, and applies it once', async () => {
    const project = await freshProject();
    const key = randomUUID();

    const first = await patch(project.id, key, { name: '更名后的项目' });
    const retry = await patch(project.id, key, { name: '更名后的项目' });

    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.version).toBe(2);
    expect((await store.storedProject(project.id))?.version).toBe(2);
  });

  it('answers 8 identical concurrent edits with one key all with the first answer (applied once)', async () => {
    const project = await freshProject();
    const key = randomUUID();

    const replies = await Promise.all(Array.from({ length: 8 }, () => patch(project.id, key, { name: '并发更名' })));

    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect((await store.storedProject(project.id))?.version).toBe(2);
  });
});

describe('a key past its 24 hours', () => {
  /**
   * Ages the stored first response of `key` past its retention, as it stands once its 24 hours are over and DynamoDB's
   * TTL has not swept it yet (AWS deletes expired items within days, not at the second; DynamoDB Local never does).
   */
  async function expire(key: string): Promise<void> {
    const table = store.tables.TABLE_IDEMPOTENCY!;
    const items = (await store.doc.send(new ScanCommand({ TableName: table }))).Items ?? [];
    const mine = items.filter((i) => String(i.key).endsWith(`|${key}`));
    expect(mine).toHaveLength(1);
    await store.doc.send(new UpdateCommand({ TableName: table, Key: { key: mine[0]!.key }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 } }));
  }

  it('is a new request: the same body makes a new project (no replay), another body is taken (no 422)', async () => {
    const key = randomUUID();
    const park = await uniquePark();
    const first = await createWithKey(key, projectBody({ park }));
    expect(first.status).toBe(201);
    await expire(key);

    const again = await createWithKey(key, projectBody({ park }));
    expect(again.status, again.text).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first.body.id);
    // Its answer is the key's first response for the next 24 hours.
    const retry = await createWithKey(key, projectBody({ park }));
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(again.body.id);

    await expire(key);
    const other = await createWithKey(key, projectBody({ park, totalInvestmentCny: 5_000_000 }));
    expect(other.status, other.text).toBe(201);
    expect(await projectsIn(park)).toHaveLength(3);
  });
});
