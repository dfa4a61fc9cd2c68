// The write gate (kernel/runtime/write-gate.ts): a keyed write looks up its stored response while its handler reads and
// decides. These tests hold that lookup back on purpose, so the handler reaches its write first: the write must wait,
// and never land when the lookup finds a stored response. (With the DynamoDB-backed lookup the handler rarely gets
// there first, which is why the order is forced here.)
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('gate');
const { pipeline, json } = await import('../../functions/kernel/http/route.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { writesAllowed, Replaying } = await import('../../functions/kernel/runtime/write-gate.ts');
const { createProject: declaration } = await import('../../functions/projects/routes.ts');
const { addParks } = await import('../support/config.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

const table = () => process.env.TABLE_PROJECTS!;
const stored = async (pk: string) => (await store.doc.send(new GetCommand({ TableName: table(), Key: { pk, sk: 'GATE-TEST' } }))).Item;
const STORED_RESPONSE = json(201, { id: 'the-first-answer' }, { 'idempotent-replayed': 'true' });

/** A route whose handler writes one item at once, with a lookup that answers only when `release` is called. */
function gatedRoute(found: boolean) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const order: string[] = [];
  const pk = `GATE#${randomUUID()}`;
  const handler = pipeline(
    declaration,
    async () => {
      order.push('handler writes');
      await ddb.send(new PutCommand({ TableName: table(), Item: { pk, sk: 'GATE-TEST', at: Date.now() } }));
      order.push('written');
      return json(201, { id: 'the-second-answer' });
    },
    {
      async replayed() {
        await held;
        order.push('lookup answered');
        return found ? STORED_RESPONSE : undefined;
      },
    },
  );
  const event = apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody(), headers: { 'idempotency-key': randomUUID() } });
  return { handler, event, release, order, pk };
}

describe('a keyed write whose stored response is still being looked up', () => {
  it('holds its write until the lookup finds nothing, then writes and answers', async () => {
    const r = gatedRoute(false);
    const answer = call<{ id: string }>(r.handler, r.event);
    await new Promise((t) => setTimeout(t, 150));
    // The handler has reached its write; the write waits for the lookup.
    expect(r.order).toEqual(['handler writes']);
    expect(await stored(r.pk)).toBeUndefined();
    r.release();
    const res = await answer;
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('the-second-answer');
    expect(r.order).toEqual(['handler writes', 'lookup answered', 'written']);
    expect(await stored(r.pk)).toBeDefined();
  });

  it('never writes when the lookup finds a stored response, and answers with that response', async () => {
    const r = gatedRoute(true);
    const answer = call<{ id: string }>(r.handler, r.event);
    await new Promise((t) => setTimeout(t, 150));
    r.release();
    const res = await answer;
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('the-first-answer');
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(r.order).toEqual(['handler writes', 'lookup answered']);
    await new Promise((t) => setTimeout(t, 100));
    expect(await stored(r.pk)).toBeUndefined();
  });

  it('answers 422 for a key reused with another body, and writes nothing', async () => {
    const key = randomUUID();
    const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
    const park = `门控测试园-${randomUUID().slice(0, 8)}`;
    await addParks(park);
    const first = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ park }), headers: { 'idempotency-key': key } }));
    expect(first.status).toBe(201);
    const before = await store.snapshot();
    const reused = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ park, name: '另一个名字' }), headers: { 'idempotency-key': key } }));
    expect(reused.status).toBe(422);
    expect(await store.snapshot()).toEqual(before);
  });
});

describe('writesAllowed outside a keyed request', () => {
  it('lets a write through at once (the workflow, a read route, a request without a key)', async () => {
    await expect(writesAllowed()).resolves.toBeUndefined();
    expect(new Replaying('x').name).toBe('Replaying');
  });
});
