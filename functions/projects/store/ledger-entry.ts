// The project's ledger entry 台账 (the ledger table, one per project): its facets and the keys of the ledger's list
// indexes, written with the project in the same transaction when a facet moves (projects.ts insertProject,
// replaceProject). Apart from the projects table: see tables.ts.
import type { Project } from '#projects/domain/project.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import { facetAttribute, LEDGER_FACETS, LEDGER_INDEXES, ledgerKey, type LedgerFacet } from '#kernel/store/tables.ts';

/** Read when first written or queried: a function that only reads project items carries no ledger. */
export const ledgerTable = () => requireEnv('TABLE_LEDGER');

/**
 * The ledger facet values of a project (workflow: only a lifecycle ops must resume; light: only while its work is under
 * way — ACTIVE —, as the console and the ledger's export show a light: not pending admission, with no work yet (the
 * API's `light` field reads green there, nothing being late), nor once the case ended, completed, exited or rejected;
 * matrixVersion: from admission on, the version it follows).
 */
export function ledgerValues(p: Project): Partial<Record<LedgerFacet, string>> {
  const failed = p.workflow?.status === 'failed' || p.workflow?.status === 'start_failed';
  return {
    stage: p.stage,
    status: p.status,
    park: p.park,
    track: p.track,
    category: p.category,
    ...(p.status === 'ACTIVE' ? { light: p.light } : {}),
    enterprise: p.investor.enterpriseId,
    ...(failed ? { workflow: 'failed' } : {}),
    ...(p.escalation.level > 0 ? { escalation: p.escalation.name } : {}),
    ...(p.matrixVersion !== null ? { matrixVersion: String(p.matrixVersion) } : {}),
  };
}

/**
 * The project's ledger entry (the ledger table, one per project): the facets a ledger page filters by, under the names
 * the indexes include them (tables.ts LEDGER_INDEXES), and the key of every ledger index the project belongs in.
 */
export function ledgerItem(p: Project): Record<string, unknown> {
  const values = ledgerValues(p);
  const entry: Record<string, unknown> = { pk: `PROJECT#${p.id}`, id: p.id };
  for (const f of LEDGER_FACETS) if (values[f] !== undefined) entry[facetAttribute(f)] = values[f];
  for (const i of LEDGER_INDEXES) {
    const key = ledgerKey(i, values);
    if (key !== undefined) entry[i.attribute] = key;
  }
  entry.gsiLedgerSk = `${p.createdAt}#${p.id}`;
  return entry;
}

/** The entry's write: the whole entry, as the project is. */
export const ledgerPut = (p: Project): WriteOp => ({ item: { Put: { TableName: ledgerTable(), Item: ledgerItem(p) } } });

/**
 * The ledger entry's write when a change moves one of the project's facets (none otherwise: most changes move only the
 * version, and the entry is not written). Committed in the change's transaction, after the project's conditional write,
 * so the entry is always the committed project's.
 */
export function ledgerWrites(before: Project, after: Project): WriteOp[] {
  return JSON.stringify(ledgerItem(before)) === JSON.stringify(ledgerItem(after)) ? [] : [ledgerPut(after)];
}
