// A project's ledger entry (projects/store/ledger-entry.ts): the facets under the names the ledger's indexes include
// them, the key of every index the project belongs in (sparse ones only when it belongs), and a write only when a change
// moves a facet — most changes move the version alone and leave the ledger table untouched.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { LEDGER_INDEXES } from '../../functions/kernel/store/tables.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { projectInput } from '../support/domain.ts';

import * as entry from '../../functions/projects/store/ledger-entry.ts';

// The table's name is read when an entry is written (ledger-entry.ts ledgerTable).
process.env.TABLE_LEDGER = 'unit-ledger';

const officer: Principal = { sub: 'u-inv', name: '招商', roles: ['investment_dept'] };
const project = (over: Partial<Project> = {}): Project => ({
  ...createProject(projectInput({ park: '汇通产业园' }), officer, DEFAULT_CONFIG.classification, { id: 'prj-l1', now: new Date('2026-03-02T02:00:00Z') }),
  ...over,
});

describe('the ledger entry', () => {
  it('holds the facets and the key of every index the project belongs in, and nothing else of the project', () => {
    const p = project({ status: 'ACTIVE', light: 'red' });
    const e = entry.ledgerItem(p);
    expect(e).toMatchObject({ pk: 'PROJECT#prj-l1', id: 'prj-l1', stage: p.stage, status: 'ACTIVE', park: '汇通产业园', light: 'red', gsiEnterprise: p.investor.enterpriseId, gsiLedger: 'ALL', gsiParkLight: JSON.stringify(['汇通产业园', 'red']), gsiLedgerSk: `${p.createdAt}#prj-l1` });
    expect(e).not.toHaveProperty('name');
    expect(e).not.toHaveProperty('version');
    // The sparse indexes: only a failed lifecycle, only a project on the ladder.
    expect(e).not.toHaveProperty('gsiWorkflow');
    expect(e).not.toHaveProperty('gsiEscalation');
    const stalled = entry.ledgerItem(project({ escalation: { ...p.escalation, level: 2, name: 'INTERVIEW' } as Project['escalation'], workflow: { segment: 1, executionName: 'x', startedAt: 'x', status: 'failed' } as Project['workflow'] }));
    expect(stalled).toMatchObject({ gsiEscalation: 'INTERVIEW', gsiWorkflow: 'failed' });
    // Every index key the entry carries is one of the ledger's indexes (or its sort key).
    const keys = new Set([...LEDGER_INDEXES.map((i) => i.attribute), 'gsiLedgerSk']);
    expect(Object.keys(stalled).filter((k) => k.startsWith('gsi') && !keys.has(k))).toEqual([]);
  });

  it('is written only when a change moves a facet, as the project is after the change', () => {
    const before = project({ status: 'ACTIVE' });
    expect(entry.ledgerWrites(before, { ...before, version: before.version + 1, updatedAt: '2026-03-03T00:00:00.000Z', name: '改名' })).toEqual([]);
    const after = { ...before, version: before.version + 1, light: 'yellow' as const };
    const writes = entry.ledgerWrites(before, after);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.item.Put).toEqual({ TableName: 'unit-ledger', Item: entry.ledgerItem(after) });
    expect(entry.ledgerWrites(before, { ...before, stage: 'LANDING' })).toHaveLength(1);
    expect(entry.ledgerWrites(before, { ...before, park: '科创城' })).toHaveLength(1);
  });
});
