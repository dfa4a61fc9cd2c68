// The table definitions (functions/kernel/store/tables.ts) as DynamoDB will hold them: the ledger's indexes project what
// a page filters by, within DynamoDB's limit on projected attributes.
import { describe, expect, it } from 'vitest';
import { facetAttribute, LEDGER_FACETS, planLedger, projectionOf, TABLES } from '../../functions/kernel/store/tables.ts';

const projects = TABLES.find((t) => t.id === 'projects')!;
const nonKey = (name: string) => projectionOf(projects.indexes.find((i) => i.name === name)!);

describe('the ledger’s indexes', () => {
  it('project every facet a page may filter by into the index that serves it, for every combination of filters', () => {
    for (let mask = 0; mask < 1 << LEDGER_FACETS.length; mask++) {
      const filters = Object.fromEntries(LEDGER_FACETS.filter((_, i) => mask & (1 << i)).map((f) => [f, 'x']));
      const { index, rest } = planLedger(filters);
      const projected = nonKey(index.name).nonKeyAttributes ?? [];
      for (const f of rest) expect(projected, `${index.name} filtering ${f}`).toContain(facetAttribute(f));
    }
  });

  it('project no key of their own, of the table or twice the same attribute (DynamoDB refuses such a projection)', () => {
    for (const index of projects.indexes) {
      const attributes = projectionOf(index).nonKeyAttributes ?? [];
      const keys = [projects.partitionKey.name, projects.sortKey?.name, index.partitionKey.name, index.sortKey?.name];
      expect(attributes.filter((a) => keys.includes(a)), index.name).toEqual([]);
      expect(new Set(attributes).size, index.name).toBe(attributes.length);
    }
  });

  it('copy no whole project: keys and facets only (an index no filter remains on, its keys alone)', () => {
    for (const index of projects.indexes.filter((i) => i.sortKey?.name === 'gsiLedgerSk')) expect(nonKey(index.name).type).not.toBe('ALL');
    expect(nonKey('byStatus')).toEqual({ type: 'KEYS_ONLY' });
    // The whole ledger carries what ledgerNames lists (parks and enterprises), read from the index alone.
    expect(nonKey('byLedger')).toEqual({ type: 'INCLUDE', nonKeyAttributes: ['park', 'gsiEnterprise'] });
  });

  it('stay within DynamoDB’s 100 projected attributes a table, counted over its indexes', () => {
    for (const table of TABLES) {
      const count = table.indexes.reduce((n, i) => n + (projectionOf(i).nonKeyAttributes?.length ?? 0), 0);
      expect(count, table.id).toBeLessThanOrEqual(100);
    }
  });
});
