// The deploy's back-fill `letter-numbers-claimed` finds letters project by project, through the ledger: every project
// is in it (pending, rejected, exited alike: the whole-ledger index has no facet; no project is ever deleted; a letter to
// a department lives in its project's partition as one to the enterprise does) — once the ledger re-index of a store
// from before the ledger table has finished. A pass whose re-index ran out of time lists only the projects re-indexed so
// far: it must not mark the back-fill done, or the letters of the projects not yet in the ledger stay unclaimed for good
// (a counter set back would issue their numbers again).
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('letter-numbers-backfill');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { ensureReferenceData } = await import('../../functions/reference/store/bootstrap.ts');
const { numberHolder } = await import('../../functions/supervision/store/letters.ts');
const { TALLY_PARTITION } = await import('../../functions/kernel/domain/tally.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

const marker = async () => (await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'letter-numbers-claimed' }, ConsistentRead: true }))).Item;

describe('the letter-numbers back-fill on a store from before the ledger table', () => {
  it('is not marked done by a pass whose ledger re-index ran out of time: the next pass claims the letters of the projects it then finds', async () => {
    const id = (await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }))).body.id;
    // The project as a store from before the ledger table kept it: no ledger entry, a letter of 2025 whose number no item claims.
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_LEDGER, Key: { pk: `PROJECT#${id}` } }));
    await store.doc.send(
      new PutCommand({
        TableName: store.tables.TABLE_PROJECTS,
        Item: {
          pk: `PROJECT#${id}`, sk: 'LETTER#ltr-2025-a', entity: 'letter', id: 'ltr-2025-a', number: '晋综开函〔2025〕1号', series: 'notice', year: 2025, seq: 1, projectId: id, projectName: '示例',
          from: 'committee_leader', to: { kind: 'department', role: 'resources_bureau' }, subject: '旧函', body: '。', issuedAt: '2025-05-01T02:00:00.000Z', issuedBy: users.committeeLeader.sub, issuedOn: '2025-05-01', replyBy: null, ack: null,
        },
      }),
    );
    // A page of the tally's entries ahead of the project's (open tasks of a park named before it): a re-index with no
    // time left reads that page and stops, the project not yet in the ledger.
    for (let i = 0; i < 100; i++) {
      await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: { pk: 'PROJECT#prj-filler', sk: `TASK#t${String(i).padStart(3, '0')}`, gsiTally: TALLY_PARTITION, gsiTallySk: JSON.stringify(['', 'T', '2026-01-01', `t${i}`]) } }));
    }
    const cut = await ensureReferenceData(new Date(), 0);
    expect(cut.reindexFinished).toBe(false);
    expect(cut.letterNumbersFinished).toBe(false);
    expect(await marker()).toBeUndefined();
    // The next start or deploy has the time: the project enters the ledger, its letter's number is claimed.
    const next = await ensureReferenceData(new Date());
    expect(next).toMatchObject({ reindexFinished: true, letterNumbersClaimed: 1, letterNumbersFinished: true });
    expect(await numberHolder('notice', 2025, 1)).toEqual({ letterId: 'ltr-2025-a', projectId: id });
    expect(await marker()).toBeDefined();
  });
});
