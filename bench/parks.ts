// Park report section of the bench: what GET /reports/parks reads (ReturnConsumedCapacity, as DynamoDB Local reports
// it) and how long it takes, for one park of a fixed size in a zone of 1,000 and of 20,000 projects. One park reads its
// key range of the keys-only tally index, so the rest of the zone must not show in its cost (target: ratio ≤ 1.1); the
// zone's report reads the whole tally — beside it, what reading every project item instead would cost.
import { randomUUID } from 'node:crypto';
import type { Task } from '../functions/lifecycle/domain/task.ts';
import type { Project } from '../functions/projects/domain/project.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { bindLocalStore } from '../local/runtime.ts';
import { batchPut } from './batch-put.ts';

export const PARKS_TARGET_RATIO = 1.1;
const SIZES = [1_000, 20_000] as const;
/** The park measured: the same projects at both sizes; the others grow the zone. */
const PARK = '园区0';
const PARK_PROJECTS = 250;
const OTHER_PARKS = 19;

export interface ParksRow {
  readonly label: string;
  readonly readUnits: Record<string, number>;
  readonly calls: Record<string, number>;
  readonly ms: Record<string, number>;
  readonly ratio: number;
}

export interface ParksSection {
  readonly sizes: readonly number[];
  readonly park: { readonly name: string; readonly projects: number; readonly openTasks: number };
  readonly loadSeconds: Record<string, number>;
  readonly rows: readonly ParksRow[];
  readonly target: number;
  readonly meetsTarget: boolean;
}

/** A deterministic zone: the first PARK_PROJECTS projects are the measured park's, the rest spread over the others. */
export function projectAt(i: number): Project {
  const status = i % 11 === 0 ? 'EXITED' : i % 11 === 1 ? 'PENDING_ADMISSION' : i % 11 === 2 ? 'COMPLETED' : 'ACTIVE';
  const createdAt = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString();
  return {
    id: `prj-parks-${String(i).padStart(6, '0')}`,
    name: `园区统计测试项目${i}`,
    investor: { name: `企业${i % 997}`, enterpriseId: `ent-${i % 997}` },
    track: 'industrial',
    industry: 'other',
    attractionMode: 'chain',
    totalInvestmentCny: 50_000_000 + (i % 40) * 50_000_000,
    techLevel: 'advanced',
    chainRole: 'extend',
    park: i < PARK_PROJECTS ? PARK : `园区${1 + (i % OTHER_PARKS)}`,
    siteMode: i % 3 === 0 ? 'lease' : 'land',
    category: 'standard',
    categoryReason: '总投资……',
    dedicatedTeam: null,
    stage: status === 'COMPLETED' ? 'PRODUCING' : (['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'] as const)[Math.floor(i / 4) % 5]!,
    status,
    light: i % 9 === 0 ? 'red' : i % 9 < 3 ? 'yellow' : 'green',
    escalation: i % 17 === 0 ? { level: 1, name: 'URGING_LETTER', since: '2026-10-01' } : { level: 0, name: 'NONE', since: null },
    admission: { required: ['investment_dept'], decisions: [] },
    matrixVersion: 1,
    workflow: { segment: 1, executionName: 'x', startedAt: createdAt, status: 'running' },
    tasksSummary: { open: 2, overdue: 1, nextDue: '2026-12-01' },
    version: 3,
    createdAt,
    createdBy: 'bench',
    updatedAt: createdAt,
  } as Project;
}

/** Two open tasks of an active project: one overdue, one due later. */
export function tasksOf(p: Project): Task[] {
  if (p.status !== 'ACTIVE') return [];
  const task = (code: string, lead: Task['lead'], dueDate: string): Task => ({
    id: `${p.stage}.${code}`, projectId: p.id, stage: p.stage, code, kind: 'matrix', name: { zh: code, en: code }, lead, cooperating: [], handler: '', standard: '', limitWd: 10, after: [], requiredForGate: true,
    status: 'open', startedDate: '2026-09-01', dueDate, yellowDate: null, light: 'green', calendarProvisional: false, matrixVersion: 1, park: p.park, enterpriseId: p.investor.enterpriseId,
  });
  return [task('a', 'resources_bureau', '2026-09-15'), task('b', 'enterprise', '2026-12-01')];
}

export async function measureParks(): Promise<ParksSection> {
  const db = await startDynamoDbLocal({});
  try {
    const prefix = `bp${randomUUID().slice(0, 6)}`;
    await bindLocalStore({ endpoint: db.endpoint, prefix });
    const { ddb } = await import('../functions/kernel/store/client.ts');
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { getProjectItems, toItem } = await import('../functions/projects/store/projects.ts');
    const { ledgerItem } = await import('../functions/projects/store/ledger-entry.ts');
    const { insertTask } = await import('../functions/lifecycle/store/tasks.ts');
    const { readTally } = await import('../functions/reports/store/tally.ts');
    const { parksReport } = await import('../functions/reports/domain/parks.ts');
    const table = process.env.TABLE_PROJECTS!;

    /** Every project item of the zone, as a report that counted projects would read them (for comparison). */
    async function everyProjectItem(): Promise<{ readUnits: number; calls: number }> {
      let startKey: Record<string, unknown> | undefined;
      let readUnits = 0;
      let calls = 0;
      do {
        // The whole ledger's keys, then each page's projects by key (the index holds keys and a few facets).
        const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_LEDGER!, IndexName: 'byLedger', KeyConditionExpression: 'gsiLedger = :a', ExpressionAttributeValues: { ':a': 'ALL' }, ExclusiveStartKey: startKey, ReturnConsumedCapacity: 'TOTAL', Limit: 100 }));
        const read = await getProjectItems((out.Items ?? []).map((i) => ({ pk: i.pk, sk: 'PROJECT' })), false);
        readUnits += (out.ConsumedCapacity?.CapacityUnits ?? 0) + read.readUnits;
        calls += 1 + read.calls;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return { readUnits, calls };
    }

    const measured = new Map<string, Map<number, { readUnits: number; calls: number; ms: number }>>();
    const record = (label: string, size: number, m: { readUnits: number; calls: number; ms: number }) => measured.set(label, (measured.get(label) ?? new Map()).set(size, m));
    const timed = async <T extends { readUnits: number; calls: number }>(run: () => Promise<T>) => {
      const t0 = performance.now();
      const out = await run();
      return { out, ms: Math.round(performance.now() - t0) };
    };
    const loadSeconds: Record<string, number> = {};
    let openTasks = 0;
    let loaded = 0;
    for (const size of SIZES) {
      const started = performance.now();
      const items: [string, Record<string, unknown>][] = [];
      for (let i = loaded; i < size; i++) {
        const p = projectAt(i);
        items.push([table, toItem(p)], [process.env.TABLE_LEDGER!, ledgerItem(p)], ...tasksOf(p).map((t): [string, Record<string, unknown>] => [table, insertTask(t).item.Put!.Item!]));
        if (p.park === PARK) openTasks += tasksOf(p).length;
      }
      await batchPut(items);
      loaded = size;
      loadSeconds[String(size)] = Math.round((performance.now() - started) / 100) / 10;

      // Each read once to warm the emulator's caches, then measured.
      await readTally(PARK);
      const park = await timed(async () => {
        const tally = await readTally(PARK);
        const report = parksReport({ entries: tally.entries, resources: [], today: '2026-10-12', park: PARK });
        if (report.parks[0]!.projects.total !== PARK_PROJECTS) throw new Error(`park ${PARK}: ${report.parks[0]!.projects.total} projects counted, ${PARK_PROJECTS} stored`);
        return tally;
      });
      record('one park (tally key range)', size, { readUnits: park.out.readUnits, calls: park.out.calls, ms: park.ms });
      const zone = await timed(async () => {
        const tally = await readTally();
        const report = parksReport({ entries: tally.entries, resources: [], today: '2026-10-12' });
        if (report.totals.projects.total !== size) throw new Error(`zone: ${report.totals.projects.total} projects counted, ${size} stored`);
        return tally;
      });
      record('the zone (whole tally)', size, { readUnits: zone.out.readUnits, calls: zone.out.calls, ms: zone.ms });
      const ledger = await timed(everyProjectItem);
      record('the zone, every project item *', size, { readUnits: ledger.out.readUnits, calls: ledger.out.calls, ms: ledger.ms });
    }
    const [small, large] = SIZES;
    const rows: ParksRow[] = [...measured.entries()].map(([label, m]) => ({
      label,
      readUnits: Object.fromEntries(SIZES.map((s) => [String(s), m.get(s)!.readUnits])),
      calls: Object.fromEntries(SIZES.map((s) => [String(s), m.get(s)!.calls])),
      ms: Object.fromEntries(SIZES.map((s) => [String(s), m.get(s)!.ms])),
      ratio: Math.round((m.get(large)!.readUnits / Math.max(m.get(small)!.readUnits, 0.5)) * 100) / 100,
    }));
    return { sizes: SIZES, park: { name: PARK, projects: PARK_PROJECTS, openTasks }, loadSeconds, rows, target: PARKS_TARGET_RATIO, meetsTarget: rows[0]!.ratio <= PARKS_TARGET_RATIO };
  } finally {
    await db.stop();
  }
}

export function formatParks(s: ParksSection): string {
  const [small, large] = s.sizes.map(String) as [string, string];
  const lines = [
    `park report: ${s.park.name} (${s.park.projects} projects, ${s.park.openTasks} open tasks) in a zone of ${small} and of ${large} projects (loaded in ${s.loadSeconds[small]} s and ${s.loadSeconds[large]} s more)`,
    `${'read'.padEnd(32)} ${`RCU ${small}`.padStart(9)} ${`RCU ${large}`.padStart(10)} ${'ratio'.padStart(6)} ${'calls'.padStart(7)} ${`ms ${small}`.padStart(8)} ${`ms ${large}`.padStart(9)}`,
  ];
  for (const r of s.rows) {
    lines.push(
      `${r.label.padEnd(32)} ${r.readUnits[small]!.toFixed(1).padStart(9)} ${r.readUnits[large]!.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(6)} ${`${r.calls[small]}/${r.calls[large]}`.padStart(7)} ${String(r.ms[small]).padStart(8)} ${String(r.ms[large]).padStart(9)}`,
    );
  }
  lines.push('* for comparison: what counting from the project items (the ledger index) would read instead of the tally');
  lines.push(`target: one park's read units ratio ≤ ${s.target} — ${s.meetsTarget ? 'met' : 'MISSED'}`);
  return lines.join('\n');
}
