// Ledger section of the bench: read capacity one ledger page consumes (ReturnConsumedCapacity, as DynamoDB Local
// reports it) for the filter combinations users work with, at 1,000 and at 20,000 projects. A page served from an
// index key reads what it shows, so the zone's size must not show in its cost (target: ratio ≤ 1.1); a combination no
// index serves reads a bounded budget instead (LEDGER_MAX_CALLS × LEDGER_READ_BATCH items at most).
import { randomUUID } from 'node:crypto';
import type { Project } from '../functions/projects/domain/project.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { bindLocalStore } from '../local/runtime.ts';

export const LEDGER_TARGET_RATIO = 1.1;
const SIZES = [1_000, 20_000] as const;
const PAGE = 20;

/** Filter combinations as users send them; `covered`: served from an index key. */
const COMBOS: { label: string; filters: Record<string, string>; covered: boolean }[] = [
  { label: '(none)', filters: {}, covered: true },
  { label: 'park', filters: { park: '园区3' }, covered: true },
  { label: 'stage', filters: { stage: 'CONSTRUCTION' }, covered: true },
  { label: 'status=EXITED', filters: { status: 'EXITED' }, covered: true },
  { label: 'light=red', filters: { light: 'red' }, covered: true },
  { label: 'park+stage', filters: { park: '园区3', stage: 'LANDING' }, covered: true },
  { label: 'park+status=EXITED', filters: { park: '园区3', status: 'EXITED' }, covered: true },
  { label: 'park+light=red', filters: { park: '园区3', light: 'red' }, covered: true },
  { label: 'stage+light=red', filters: { stage: 'SIGNING', light: 'red' }, covered: true },
  { label: 'workflow=failed', filters: { workflow: 'failed' }, covered: true },
  { label: 'track+category+light=red', filters: { track: 'scitech', category: 'major', light: 'red' }, covered: false },
  { label: 'park+track', filters: { park: '园区3', track: 'scitech' }, covered: false },
];

export interface LedgerRow {
  readonly label: string;
  readonly covered: boolean;
  readonly index: string;
  readonly readUnits: Record<string, number>;
  readonly calls: Record<string, number>;
  readonly items: Record<string, number>;
  readonly ratio: number;
}

export interface LedgerSection {
  readonly sizes: readonly number[];
  readonly pageSize: number;
  readonly loadSeconds: Record<string, number>;
  readonly rows: readonly LedgerRow[];
  readonly budget: { readonly maxCalls: number; readonly readBatch: number };
  readonly target: number;
  readonly meetsTarget: boolean;
  /** The whole ledger exported as files (GET /reports/ledger.csv|xlsx's reading and writing), at the larger size. */
  readonly exports?: readonly ExportRow[];
}

export interface ExportRow {
  readonly format: 'csv' | 'xlsx';
  readonly files: number;
  readonly rows: number;
  /** The largest file, in bytes as sent (xlsx: base64, as Lambda answers API Gateway). */
  readonly maxFileBytes: number;
  /** The slowest file, read and written, in ms. */
  readonly maxFileMs: number;
  /** Heap growth while building the largest file, MB (a Lambda of 1,024 MB has room for far more). */
  readonly maxHeapMb: number;
}

/**
 * A deterministic zone: parks, stages, statuses and lights in realistic shares, each facet on its own (coprime) cycle so
 * every combination measured has projects at both sizes — enough for full pages, so the sizes compare like for like.
 */
function projectAt(i: number): Project {
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;
  const status = i % 11 === 0 ? 'EXITED' : i % 11 === 1 ? 'PENDING_ADMISSION' : i % 11 === 2 ? 'COMPLETED' : 'ACTIVE';
  const light = i % 9 === 0 ? 'red' : i % 9 < 3 ? 'yellow' : 'green';
  const createdAt = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString();
  return {
    id: `prj-bench-${String(i).padStart(6, '0')}`,
    name: `台账测试项目${i}`,
    investor: { name: `企业${i % 997}`, enterpriseId: `ent-${i % 997}` },
    track: Math.floor(i / 3) % 5 === 0 ? 'scitech' : 'industrial',
    industry: pick(['nev', 'equipment', 'infotech', 'biomedicine', 'medical_devices', 'other'] as const, i),
    attractionMode: 'chain',
    totalInvestmentCny: 50_000_000 + (i % 40) * 50_000_000,
    techLevel: 'advanced',
    chainRole: 'extend',
    park: `园区${i % 4}`,
    siteMode: i % 3 === 0 ? 'lease' : 'land',
    category: pick(['major', 'standard', 'standard', 'small', 'standard', 'major', 'standard'] as const, i),
    categoryReason: '总投资……',
    dedicatedTeam: null,
    stage: pick(['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'] as const, Math.floor(i / 4)),
    status,
    light,
    escalation: { level: 0, name: 'NONE', since: null },
    admission: { required: ['investment_dept'], decisions: [] },
    matrixVersion: 1,
    workflow: i % 29 === 7 ? { segment: 1, executionName: 'x', startedAt: createdAt, status: 'failed' } : { segment: 1, executionName: 'x', startedAt: createdAt, status: 'running' },
    tasksSummary: { open: 3, overdue: light === 'red' ? 1 : 0, nextDue: '2026-12-01' },
    version: 3,
    createdAt,
    createdBy: 'bench',
    updatedAt: createdAt,
  } as Project;
}

export async function measureLedger(): Promise<LedgerSection> {
  const db = await startDynamoDbLocal({});
  try {
    const prefix = `bl${randomUUID().slice(0, 6)}`;
    // The local composition root's store binding (local/runtime.ts): the ledger needs tables, not a workflow.
    await bindLocalStore({ endpoint: db.endpoint, prefix });
    const { ddb } = await import('../functions/kernel/store/client.ts');
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { toItem } = await import('../functions/projects/store/projects.ts');
    const { ledgerItem } = await import('../functions/projects/store/ledger-entry.ts');
    const { queryLedger, LEDGER_MAX_CALLS, LEDGER_READ_BATCH } = await import('../functions/projects/store/ledger.ts');

    const measured = new Map<string, Map<number, { readUnits: number; calls: number; items: number; index: string }>>();
    const loadSeconds: Record<string, number> = {};
    let loaded = 0;
    for (const size of SIZES) {
      const started = performance.now();
      // Each project's item and its ledger entry, twelve projects (24 puts) a BatchWriteItem.
      const batches: Project[][] = [];
      for (let i = loaded; i < size; i += 12) batches.push(Array.from({ length: Math.min(12, size - i) }, (_, k) => projectAt(i + k)));
      for (let b = 0; b < batches.length; b += 8) {
        await Promise.all(
          batches.slice(b, b + 8).map(async (projects) => {
            let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {
              [process.env.TABLE_PROJECTS!]: projects.map((p) => ({ PutRequest: { Item: toItem(p) } })),
              [process.env.TABLE_LEDGER!]: projects.map((p) => ({ PutRequest: { Item: ledgerItem(p) } })),
            };
            while (Object.keys(requests).length) {
              const out = await ddb.send(new BatchWriteCommand({ RequestItems: requests }));
              requests = (out.UnprocessedItems ?? {}) as typeof requests;
            }
          }),
        );
      }
      loaded = size;
      loadSeconds[String(size)] = Math.round((performance.now() - started) / 100) / 10;
      for (const combo of COMBOS) {
        const page = await queryLedger({ filters: combo.filters, limit: PAGE });
        const row = measured.get(combo.label) ?? new Map();
        row.set(size, { readUnits: page.readUnits, calls: page.calls, items: page.items.length, index: page.index });
        measured.set(combo.label, row);
      }
    }
    const exports = await measureExports(SIZES[SIZES.length - 1]!);
    const rows: LedgerRow[] = COMBOS.map((combo) => {
      const m = measured.get(combo.label)!;
      const at = (size: number) => m.get(size)!;
      const [small, large] = SIZES;
      return {
        label: combo.label,
        covered: combo.covered,
        index: at(large).index,
        readUnits: Object.fromEntries(SIZES.map((s) => [String(s), at(s).readUnits])),
        calls: Object.fromEntries(SIZES.map((s) => [String(s), at(s).calls])),
        items: Object.fromEntries(SIZES.map((s) => [String(s), at(s).items])),
        ratio: Math.round((at(large).readUnits / Math.max(at(small).readUnits, 0.5)) * 100) / 100,
      };
    });
    return {
      sizes: SIZES,
      pageSize: PAGE,
      loadSeconds,
      rows,
      budget: { maxCalls: LEDGER_MAX_CALLS, readBatch: LEDGER_READ_BATCH },
      target: LEDGER_TARGET_RATIO,
      meetsTarget: rows.filter((r) => r.covered).every((r) => r.ratio <= LEDGER_TARGET_RATIO),
      exports,
    };
  } finally {
    await db.stop();
  }
}

/** Every file of the whole ledger, as the export routes read and write them (5,000 rows a file, the next by cursor). */
async function measureExports(size: number): Promise<ExportRow[]> {
  const { ensureReferenceData } = await import('../functions/reference/store/bootstrap.ts');
  await ensureReferenceData(new Date());
  const { readLedger } = await import('../functions/reports/ledger-export.ts');
  const { ledgerCsvFile } = await import('../functions/reports/http/ledger-csv.ts');
  const { ledgerWorkbook } = await import('../functions/reports/http/ledger-xlsx.ts');
  const principal = { sub: 'bench', name: 'bench', roles: ['committee_leader' as const] };
  const out: ExportRow[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    let cursor: string | undefined;
    let files = 0;
    let rows = 0;
    let maxFileBytes = 0;
    let maxFileMs = 0;
    let maxHeapMb = 0;
    do {
      globalThis.gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const page = format === 'csv' ? await readLedger(principal, cursor ? { cursor } : {}, format, ledgerCsvFile()) : await readLedger(principal, cursor ? { cursor } : {}, format, ledgerWorkbook());
      const bytes = format === 'csv' ? Buffer.byteLength(page.file as string) : Math.ceil((page.file as Buffer).byteLength / 3) * 4;
      maxFileMs = Math.max(maxFileMs, Math.round(performance.now() - t0));
      maxHeapMb = Math.max(maxHeapMb, Math.round((process.memoryUsage().heapUsed - heap0) / 1e5) / 10);
      maxFileBytes = Math.max(maxFileBytes, bytes);
      files += 1;
      rows += page.rows;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (rows !== size) throw new Error(`the ${format} export held ${rows} rows of ${size}`);
    out.push({ format, files, rows, maxFileBytes, maxFileMs, maxHeapMb });
  }
  return out;
}

export function formatLedger(s: LedgerSection): string {
  const [small, large] = s.sizes.map(String) as [string, string];
  const lines = [
    `ledger page (limit ${s.pageSize}): read units at ${small} and ${large} projects (loaded in ${s.loadSeconds[small]} s and ${s.loadSeconds[large]} s more)`,
    `${'filters'.padEnd(26)} ${'index'.padEnd(13)} ${`RCU ${small}`.padStart(9)} ${`RCU ${large}`.padStart(10)} ${'ratio'.padStart(6)} ${'calls'.padStart(6)} ${'items'.padStart(6)}`,
  ];
  for (const r of s.rows) {
    lines.push(
      `${(r.label + (r.covered ? '' : ' *')).padEnd(26)} ${r.index.padEnd(13)} ${r.readUnits[small]!.toFixed(1).padStart(9)} ${r.readUnits[large]!.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(6)} ${`${r.calls[small]}/${r.calls[large]}`.padStart(6)} ${`${r.items[small]}/${r.items[large]}`.padStart(6)}`,
    );
  }
  lines.push(`* no index serves this combination: a page reads at most ${s.budget.maxCalls} × ${s.budget.readBatch} items (bounded, may come back short with a cursor)`);
  lines.push(`target: ratio ≤ ${s.target} for the combinations served from an index key — ${s.meetsTarget ? 'met' : 'MISSED'}`);
  for (const e of s.exports ?? []) {
    lines.push(`export ${e.format}: ${e.rows} projects in ${e.files} files; largest ${(e.maxFileBytes / 1e6).toFixed(2)} MB as sent (Lambda answers ≤ 6 MB), slowest ${e.maxFileMs} ms, heap +${e.maxHeapMb} MB`);
  }
  return lines.join('\n');
}
