// The table definitions (functions/kernel/store/tables.ts) as DynamoDB will hold them: the ledger's indexes (on the
// ledger table, not the projects table) project what a page filters by, within DynamoDB's limits on projected
// attributes and on indexes a table.
import { describe, expect, it } from 'vitest';
import { facetAttribute, LEDGER_FACETS, planLedger, projectionOf, TABLES } from '../../functions/kernel/store/tables.ts';

const ledger = TABLES.find((t) => t.id === 'ledger')!;
const nonKey = (name: string) => projectionOf(ledger.indexes.find((i) => i.name === name)!);

describe('the ledger’s indexes', () => {
  it('project every facet a page may filter by into the index that serves it, for every combination of filters', () => {
    for (let mask = 0; mask < 1 << LEDGER_FACETS.length; mask++) {
      const filters = Object.fromEntries(LEDGER_FACETS.filter((_, i) => mask & (1 << i)).map((f) => [f, 'x']));
      const { index, rest } = planLedger(filters);
      const projected = nonKey(index.name).nonKeyAttributes ?? [];
      for (const f of rest) expect(projected, `${index.name} filtering ${f}`).toContain(facetAttribute(f));
    }
  });

  it('serve any filter by the matrix version followed from its own index (no index before it projects it)', () => {
    expect(planLedger({ matrixVersion: '2' })).toEqual({ index: expect.objectContaining({ name: 'byMatrix' }), rest: [] });
    expect(planLedger({ matrixVersion: '2', park: 'p', stage: 'SIGNING', status: 'ACTIVE' })).toEqual({ index: expect.objectContaining({ name: 'byMatrix' }), rest: ['stage', 'status', 'park'] });
    // Without it, the plans of before.
    expect(planLedger({ park: 'p', stage: 'SIGNING', status: 'ACTIVE' }).index.name).toBe('byParkStage');
  });

  it('project no key of their own, of the table or twice the same attribute (DynamoDB refuses such a projection)', () => {
    for (const index of ledger.indexes) {
      const attributes = projectionOf(index).nonKeyAttributes ?? [];
      const keys = [ledger.partitionKey.name, ledger.sortKey?.name, index.partitionKey.name, index.sortKey?.name];
      expect(attributes.filter((a) => keys.includes(a)), index.name).toEqual([]);
      expect(new Set(attributes).size, index.name).toBe(attributes.length);
    }
  });

  it('copy no whole project: keys and facets only (an index no filter remains on, its keys alone)', () => {
    for (const index of ledger.indexes) expect(nonKey(index.name).type).not.toBe('ALL');
    expect(nonKey('byStatus')).toEqual({ type: 'KEYS_ONLY' });
    // The whole ledger carries what ledgerNames lists (parks and enterprises), read from the index alone.
    expect(nonKey('byLedger')).toEqual({ type: 'INCLUDE', nonKeyAttributes: ['park', 'gsiEnterprise'] });
  });

  it('are all on the ledger table: the projects table, written by every change, carries none of them', () => {
    expect(ledger.indexes.every((i) => i.sortKey?.name === 'gsiLedgerSk')).toBe(true);
    const projects = TABLES.find((t) => t.id === 'projects')!;
    expect(projects.indexes.filter((i) => i.sortKey?.name === 'gsiLedgerSk' || ledger.indexes.some((l) => l.name === i.name))).toEqual([]);
  });

  it('leave every table within DynamoDB’s default 20 indexes', () => {
    for (const table of TABLES) expect(table.indexes.length, table.id).toBeLessThanOrEqual(20);
  });

  it('stay within DynamoDB’s 100 projected attributes a table, counted over its indexes', () => {
    for (const table of TABLES) {
      const count = table.indexes.reduce((n, i) => n + (projectionOf(i).nonKeyAttributes?.length ?? 0), 0);
      expect(count, table.id).toBeLessThanOrEqual(100);
    }
  });
});
