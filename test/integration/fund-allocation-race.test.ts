// Allocations racing other changes of the same project: a batch job sending many allocations to one project at once
// has done nothing wrong — each allocation moves the project's version, so each round only one wins, and the others
// are decided again on the project as it now stands (within the request's time), not refused with a 409 to retry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('fund-allocation-race');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: listAllocations } = await import('../../functions/inventory/http/list-allocations.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { projectKey } = await import('../../functions/projects/store/projects.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');

const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Funds = { buckets: { code: string; allocatedCny: number; remainingCny: number }[] };
const bucket = async (code: string) =>
  (await call<Funds>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(thisYear) } }))).body.buckets.find((b) => b.code === code)!;

describe('an allocation racing other changes of its project', () => {
  it('is decided again as often as 29 others sent with it can win first, and commits once', async () => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    expect(prj.status, prj.text).toBe(201);
    // Another change of the project commits between this allocation's read and its write, 29 times over (the 29 others
    // of a batch of 30, each winning a round): the allocation's write finds the version moved each time.
    const table = process.env.TABLE_PROJECTS!;
    const send = ddb.send.bind(ddb);
    let lost = 0;
    const spy = vi.spyOn(ddb, 'send').mockImplementation((async (command: { constructor: { name: string }; input: { TransactItems?: { Put?: { Item?: { entity?: string } } }[] } }) => {
      const allocating = command.constructor.name === 'TransactWriteCommand' && (command.input.TransactItems ?? []).some((i) => i.Put?.Item?.entity === 'fund-allocation');
      if (allocating && lost < 29) {
        lost += 1;
        await send(new UpdateCommand({ TableName: table, Key: projectKey(prj.body.id), UpdateExpression: 'SET #v = #v + :one', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':one': 1 } }) as never);
      }
      return send(command as never);
    }) as never);
    let made;
    try {
      made = await call<{ id: string; amountCny: number }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'infrastructure', amountCny: 1_000, purpose: '批量下达' } }));
    } finally {
      spy.mockRestore();
    }
    expect(lost).toBe(29);
    expect(made.status, made.text).toBe(201);
    // Drawn once: the bucket, the project's holdings and the allocation records agree.
    expect(await bucket('infrastructure')).toMatchObject({ allocatedCny: 1_000, remainingCny: 4_999_000 });
    const listed = await call<{ items: { id: string }[] }>(listAllocations, apiEvent('GET /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id } }));
    expect(listed.body.items.map((a) => a.id)).toEqual([made.body.id]);
    expect((await store.storedProject(prj.body.id))?.fundAllocations).toEqual([expect.objectContaining({ id: made.body.id, amountCny: 1_000 })]);
  }, 60_000);
});
