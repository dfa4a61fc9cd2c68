// The re-index every start and deploy runs (reference/store/bootstrap.ts → reindexProjects): a ledger entry written by
// an older release — here one that gave a project pending admission a light facet and light index keys, as entries
// did while `?light=` listed pending projects too (2026-12-06 to 12-08) — is rewritten to what the code writes today
// (a light only while ACTIVE); one run does it, the next finds nothing left. Checked by hand on an upgraded `npm start` store too (the thirty-sixth session's note).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../functions/projects/domain/project.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { isolatedStore } from '../support/env.ts';

const store = isolatedStore('reindex');
const { insertProject, reindexProjects } = await import('../../functions/projects/store/projects.ts');
const { ledgerItem, ledgerValues } = await import('../../functions/projects/store/ledger-entry.ts');
const { facetAttribute, LEDGER_INDEXES, ledgerKey } = await import('../../functions/kernel/store/tables.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

const entryOf = async (id: string) => (await ddb.send(new GetCommand({ TableName: process.env.TABLE_LEDGER, Key: { pk: `PROJECT#${id}` }, ConsistentRead: true }))).Item;

describe('re-indexing the ledger at start', () => {
  it('rewrites an entry an older release wrote (a pending project with a light), and only once: `?light=` no longer finds it', async () => {
    const pending = createProject(
      { name: '待准入项目', investor: { name: '某公司', enterpriseId: 'ent-z' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'land' },
      { sub: 'u-1', name: '招商专员', roles: ['investment_dept'] },
      DEFAULT_CONFIG.classification,
      { id: 'prj-reindex-1', now: new Date('2026-11-02T02:00:00Z') },
    );
    await transact(insertProject(pending));
    const today = ledgerItem(pending);
    expect(today).not.toHaveProperty('light');
    expect(today).not.toHaveProperty('gsiLight');
    // As the release before wrote it: the light facet, and the key of every light index the project then belonged in.
    const values = { ...ledgerValues(pending), light: 'green' };
    const old: Record<string, unknown> = { ...today, [facetAttribute('light')]: 'green' };
    for (const i of LEDGER_INDEXES) if (ledgerKey(i, values) !== undefined) old[i.attribute] = ledgerKey(i, values);
    expect(old).toMatchObject({ light: 'green', gsiLight: 'green' });
    await ddb.send(new PutCommand({ TableName: process.env.TABLE_LEDGER, Item: old }));

    const first = await reindexProjects(10_000);
    expect(first).toEqual({ rewritten: 1, finished: true });
    expect(await entryOf(pending.id)).toEqual(today);
    expect(await entryOf(pending.id)).not.toHaveProperty('gsiLight');
    expect(await reindexProjects(10_000)).toEqual({ rewritten: 0, finished: true });
  });
});
