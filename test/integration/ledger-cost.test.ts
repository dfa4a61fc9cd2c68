// What one ledger page costs: the filter combinations users work with every day are served from an index key (one
// query of `limit` items), any other combination reads a bounded number of batches — never one DynamoDB call per item,
// however selective the filter. The zone here: 400 projects, few of them exited or red.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Light, Stage, Status } from '../../functions/kernel/domain/codes.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('ledger-cost');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { queryLedger, LEDGER_MAX_CALLS, LEDGER_READ_BATCH } = await import('../../functions/projects/store/ledger.ts');
const { planLedger } = await import('../../functions/kernel/store/tables.ts');
const { transact, ddb } = await import('../../functions/kernel/store/client.ts');

/** Counts the DynamoDB calls the handlers make, by operation (a middleware on the one shared client). */
const calls: string[] = [];
ddb.middlewareStack.add((next, context) => async (args) => {
  calls.push(String(context.commandName));
  return next(args);
}, { step: 'initialize', name: 'countCalls' });

const PARKS = ['汇通产业园', '科创城'];
const TOTAL = 400;
const all: Project[] = [];

beforeAll(async () => {
  await store.createTables();
  const who = { sub: 'seed', name: 'seed', roles: ['investment_dept', 'scitech_dept'] as const };
  for (let i = 0; i < TOTAL; i += 25) {
    const batch: Project[] = [];
    for (let k = i; k < Math.min(TOTAL, i + 25); k++) {
      const base = createProject(projectBody({ park: PARKS[k % 2], industry: 'other', totalInvestmentCny: 100_000_000 + k }) as never, { ...who, roles: [...who.roles] }, DEFAULT_CONFIG.classification, {
        id: `prj-cost-${String(k).padStart(4, '0')}`,
        now: new Date(Date.parse('2026-01-05T01:00:00Z') + k * 60_000),
      });
      // Two exited projects per 100 (one per park), one red per 50, one failed lifecycle in the whole zone.
      const status: Status = k % 100 === 7 || k % 100 === 62 ? 'EXITED' : 'ACTIVE';
      const light: Light = k % 50 === 3 ? 'red' : 'green';
      const stage: Stage = (['SIGNING', 'LANDING', 'CONSTRUCTION'] as const)[k % 3]!;
      const workflow = k === 123 ? { segment: 1, executionName: `prj-cost-0123-${stage}-1`, startedAt: 'x', status: 'failed' as const } : null;
      batch.push({ ...base, status, light, stage, workflow });
    }
    await transact(batch.flatMap(insertProject));
    all.push(...batch);
  }
}, 120_000);
afterAll(() => store.destroy());

describe('a ledger page costs a bounded number of DynamoDB calls', () => {
  it.each([
    [{ park: '汇通产业园', status: 'EXITED' }, 'byParkStatus'],
    [{ park: '汇通产业园', stage: 'LANDING' }, 'byParkStage'],
    [{ park: '科创城', light: 'red' }, 'byParkLight'],
    [{ stage: 'SIGNING', light: 'red' }, 'byStageLight'],
    [{ status: 'EXITED' }, 'byStatus'],
    [{ workflow: 'failed' }, 'byWorkflow'],
    [{}, 'byLedger'],
  ] as const)('%o is served from the key of %s: one query, then the page’s projects by key', async (filters, index) => {
    expect(planLedger(filters).index.name).toBe(index);
    calls.length = 0;
    const page = await queryLedger({ filters, limit: 1 });
    expect(page).toMatchObject({ index, calls: 2 });
    expect(calls).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    expect(page.items).toHaveLength(1);
    for (const [facet, value] of Object.entries(filters as Record<string, string>)) {
      if (facet === 'workflow') expect(page.items[0]?.workflow?.status).toBe('failed');
      else expect((page.items[0] as unknown as Record<string, string>)[facet]).toBe(value);
    }
  });

  it('a combination no index serves reads at most a fixed number of batches, and pages on from where it stopped', async () => {
    // category + light + track: the most selective index (light) reads, the others filter.
    const filters = { track: 'industrial', category: 'standard', light: 'red' } as const;
    expect(planLedger(filters).rest.sort()).toEqual(['category', 'track']);
    const expected = all.filter((p) => p.track === 'industrial' && p.category === 'standard' && p.light === 'red').map((p) => p.id).reverse();
    const seen: string[] = [];
    let startKey: Record<string, string> | undefined;
    let pages = 0;
    do {
      const page = await queryLedger({ filters, limit: 3, startKey });
      expect(page.calls).toBeLessThanOrEqual(LEDGER_MAX_CALLS + 1);
      seen.push(...page.items.map((p) => p.id));
      startKey = page.lastKey;
      pages += 1;
    } while (startKey && pages < 50);
    expect(seen).toEqual(expected);
  });

  it('a very selective uncovered filter stops after its budget with a cursor, instead of reading the whole zone', async () => {
    // 400 projects, none of them sci-tech: byCategory serves category=major, status and track filter and find nothing
    // — the page's index queries stop at the budget, and no project is read by key.
    expect(all.some((p) => p.track === 'scitech')).toBe(false);
    expect(planLedger({ status: 'EXITED', track: 'scitech', category: 'major' }).index.name).toBe('byCategory');
    calls.length = 0;
    const page = await queryLedger({ filters: { status: 'EXITED', track: 'scitech', category: 'major' }, limit: 5 });
    expect(page.items).toEqual([]);
    expect(calls.filter((c) => c === 'QueryCommand').length).toBeLessThanOrEqual(LEDGER_MAX_CALLS);
    expect(calls.filter((c) => c !== 'QueryCommand')).toEqual([]);
    expect(page.calls * LEDGER_READ_BATCH).toBeLessThan(TOTAL + LEDGER_READ_BATCH);
  });

  it('the HTTP ledger lists the failed lifecycles for ops (workflow=failed)', async () => {
    const reply = await call<{ items: { id: string; workflow: { status: string } }[] }>(listProjects, apiEvent('GET /projects', { as: users.opsEngineer, query: { workflow: 'failed' } }));
    expect(reply.body.items.map((p) => [p.id, p.workflow.status])).toEqual([['prj-cost-0123', 'failed']]);
  });

  it('GET /projects?park=P&status=EXITED&limit=1 makes one query, not one per project of the park', async () => {
    calls.length = 0;
    const reply = await call<{ items: { id: string }[] }>(listProjects, apiEvent('GET /projects', { as: users.supervisionOfficer, query: { park: '汇通产业园', status: 'EXITED', limit: '1' } }));
    expect(reply.body.items).toHaveLength(1);
    expect(calls.filter((c) => c === 'QueryCommand')).toHaveLength(1);
    expect(calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(calls.filter((c) => c === 'ScanCommand')).toHaveLength(0);
  });

  it('the ledger’s indexes hold keys and facets, not whole projects; a page still shows each project whole', async () => {
    // What a filtered page reads from the index: the keys and the facets it may filter by — no name, no investor.
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_LEDGER, IndexName: 'byPark', KeyConditionExpression: 'gsiPark = :p', ExpressionAttributeValues: { ':p': '科创城' }, Limit: 1 }));
    const entry = out.Items![0]!;
    expect(Object.keys(entry).filter((a) => !['pk', 'gsiPark', 'gsiLedgerSk', 'track', 'category', 'gsiWorkflow', 'gsiEscalation'].includes(a))).toEqual([]);
    expect(entry).toMatchObject({ gsiPark: '科创城', track: 'industrial', category: expect.any(String) });
    expect(entry).not.toHaveProperty('name');
    const page = await queryLedger({ filters: { park: '科创城', track: 'industrial' }, limit: 2 });
    expect(page.items.map((p) => p.id)).toEqual(all.filter((p) => p.park === '科创城' && p.track === 'industrial').map((p) => p.id).reverse().slice(0, 2));
    expect(page.items[0]).toEqual(all.find((p) => p.id === page.items[0]!.id));
  });

  it('a park center walks its own park by status page by page, each page one call', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    calls.length = 0;
    do {
      const reply = await call<{ items: { id: string; park: string }[]; nextCursor: string | null }>(
        listProjects,
        apiEvent('GET /projects', { as: users.huitongParkCenter, query: { status: 'EXITED', limit: '1', ...(cursor ? { cursor } : {}) } }),
      );
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((p) => p.id));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.filter((p) => p.park === '汇通产业园' && p.status === 'EXITED').map((p) => p.id).reverse());
    expect(calls.filter((c) => c === 'QueryCommand')).toHaveLength(seen.length);
  });

  it('leaves out a project that no longer matches the filters its index entry matched (the index trails the table)', async () => {
    // The index entry says LANDING, the project (read by key) is in GROUNDBREAKING: as a stale index would hold it.
    const { toItem } = await import('../../functions/projects/store/projects.ts');
    const { ledgerItem } = await import('../../functions/projects/store/ledger-entry.ts');
    const { PutCommand, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const moved = { ...all[1]!, id: 'prj-cost-stale', park: '旧园区', stage: 'GROUNDBREAKING' as const, createdAt: '2019-01-01T00:00:00.000Z' };
    const key = { pk: 'PROJECT#prj-cost-stale', sk: 'PROJECT' };
    await ddb.send(new PutCommand({ TableName: process.env.TABLE_PROJECTS, Item: toItem(moved) }));
    await ddb.send(new PutCommand({ TableName: process.env.TABLE_LEDGER, Item: { ...ledgerItem(moved), stage: 'LANDING', gsiParkStage: JSON.stringify(['旧园区', 'LANDING']) } }));
    try {
      const stale = await queryLedger({ filters: { park: '旧园区', stage: 'LANDING' }, limit: 5 });
      expect(stale.items).toEqual([]);
      const current = await queryLedger({ filters: { park: '旧园区' }, limit: 5 });
      expect(current.items.map((p) => [p.id, p.stage])).toEqual([['prj-cost-stale', 'GROUNDBREAKING']]);
    } finally {
      await ddb.send(new DeleteCommand({ TableName: process.env.TABLE_PROJECTS, Key: key }));
      await ddb.send(new DeleteCommand({ TableName: process.env.TABLE_LEDGER, Key: { pk: key.pk } }));
    }
  });
});
