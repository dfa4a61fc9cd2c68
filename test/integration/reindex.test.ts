// The re-index every start and deploy runs (reference/store/bootstrap.ts → reindexProjects): a ledger entry written by
// an older release — here one that gave a project pending admission no light facet nor light index keys, as entries
// did while `?light=` listed active projects only — is rewritten to what the code writes today; one run does it,
// the next finds nothing left. Checked by hand on an upgraded `npm start` store too (the thirty-sixth session's note).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../functions/projects/domain/project.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { isolatedStore } from '../support/env.ts';

const store = isolatedStore('reindex');
const { insertProject, reindexProjects } = await import('../../functions/projects/store/projects.ts');
const { ledgerItem } = await import('../../functions/projects/store/ledger-entry.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

const entryOf = async (id: string) => (await ddb.send(new GetCommand({ TableName: process.env.TABLE_LEDGER, Key: { pk: `PROJECT#${id}` }, ConsistentRead: true }))).Item;

describe('re-indexing the ledger at start', () => {
  it('rewrites an entry an older release wrote (a pending project without its light), and only once', async () => {
    const pending = createProject(
      { name: '待准入项目', investor: { name: '某公司', enterpriseId: 'ent-z' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'land' },
      { sub: 'u-1', name: '招商专员', roles: ['investment_dept'] },
      DEFAULT_CONFIG.classification,
      { id: 'prj-reindex-1', now: new Date('2026-11-02T02:00:00Z') },
    );
    await transact(insertProject(pending));
    const today = ledgerItem(pending);
    expect(today).toMatchObject({ light: 'green', gsiLight: 'green' });
    // As the release before wrote it: no light facet, none of the light indexes' keys.
    const { light: _l, gsiLight: _g, gsiStageLight: _s, gsiParkLight: _p, ...old } = today;
    await ddb.send(new PutCommand({ TableName: process.env.TABLE_LEDGER, Item: old }));

    const first = await reindexProjects(10_000);
    expect(first).toEqual({ rewritten: 1, finished: true });
    expect(await entryOf(pending.id)).toEqual(today);
    expect(await reindexProjects(10_000)).toEqual({ rewritten: 0, finished: true });
  });
});
