// Inventory section of the bench: (1) read capacity one inventory list page consumes (ReturnConsumedCapacity, as
// DynamoDB Local reports it) at 1,000 and at 20,000 parcels, per filter combination — pages served from an index or
// the kind's partition read what they show, so the inventory's size must not show in their cost (target ratio ≤ 1.1),
// and no list ever scans (every DynamoDB call is counted by command); (2) reservations under contention: 50 parallel
// reservations of the last parcel and 50 parallel energy allocations summing past the total, through the real
// handlers — how many win, how many are refused (409), the latency of each, and whether the books balance.
import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { bindLocalStore } from '../local/runtime.ts';
import type { Resource } from '../functions/inventory/domain/resource.ts';

export const INVENTORY_TARGET_RATIO = 1.1;
const SIZES = [1_000, 20_000] as const;
const PAGE = 20;
const PARALLEL = 50;

const COMBOS: { label: string; query: Record<string, string>; covered: boolean }[] = [
  { label: '(none)', query: {}, covered: true },
  { label: 'park', query: { park: '园区3' }, covered: true },
  { label: 'status=available', query: { status: 'available' }, covered: true },
  { label: 'status=reserved', query: { status: 'reserved' }, covered: true },
  { label: 'park+status', query: { park: '园区3', status: 'available' }, covered: false },
  { label: 'minAreaM2=90000', query: { minAreaM2: '90000' }, covered: false },
  { label: 'stale=true', query: { stale: 'true' }, covered: false },
];

export interface InventoryRow {
  readonly label: string;
  readonly covered: boolean;
  readonly readUnits: Record<string, number>;
  readonly items: Record<string, number>;
  readonly ratio: number;
}

export interface ContentionRow {
  readonly label: string;
  readonly requests: number;
  readonly won: number;
  readonly refused: number;
  readonly other: number;
  readonly conflictRate: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly max: number };
  readonly balanced: boolean;
  readonly detail: string;
}

export interface InventorySection {
  readonly sizes: readonly number[];
  readonly pageSize: number;
  readonly loadSeconds: Record<string, number>;
  readonly rows: readonly InventoryRow[];
  readonly scans: number;
  readonly contention: readonly ContentionRow[];
  readonly target: number;
  readonly meetsTarget: boolean;
}

const today = new Date();

function parcelAt(i: number): Resource {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const status = i % 7 === 0 ? 'reserved' : i % 13 === 0 ? 'transferred' : 'available';
  return {
    id: `par-bench-${String(i).padStart(6, '0')}`,
    kind: 'parcels',
    facts: { code: `B${i}`, park: `园区${i % 4}`, areaM2: 10_000 + (i % 97) * 1_000, use: '工业用地', supply: i % 2 ? 'stock' : 'incremental', readiness: { relicSurvey: '2026-01-01', landApproval: i % 3 ? '2026-01-02' : null, clearanceList: null, infrastructure: null } },
    status,
    heldBy: status === 'available' ? null : { projectId: `prj-bench-${i}`, reservationId: `rsv-bench-${i}`, since: at },
    confirmedPeriod: i % 5 === 0 ? '2024' : String(today.getUTCFullYear()),
    confirmedAt: at,
    staleSince: null,
    version: 1,
    createdAt: at,
    createdBy: 'bench',
    updatedAt: at,
  } as Resource;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function measureInventory(): Promise<InventorySection> {
  const db = await startDynamoDbLocal({});
  try {
    const prefix = `bi${randomUUID().slice(0, 6)}`;
    await bindLocalStore({ endpoint: db.endpoint, prefix });
    const { ddb } = await import('../functions/kernel/store/client.ts');
    // Every DynamoDB call the lists make, by command: a Scan would show here.
    const calls = new Map<string, number>();
    ddb.middlewareStack.add((next, context) => (args) => {
      calls.set(context.commandName ?? '?', (calls.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    }, { step: 'initialize', name: 'benchCallCounter' });
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { listResources } = await import('../functions/inventory/store/resources.ts');
    const { factFilter } = await import('../functions/inventory/list-filters.ts');
    const table = process.env.TABLE_INVENTORY!;
    const toItem = (r: Resource) => ({ pk: `KIND#${r.kind}`, sk: r.id, entity: 'resource', ...r, gsiKindId: r.id, gsiStatus: `${r.kind}#${r.status}`, gsiPark: `${r.kind}#${(r.facts as { park: string }).park}` });
    const stalePeriod = String(today.getUTCFullYear() - 1);

    const measured = new Map<string, Map<number, { readUnits: number; items: number }>>();
    const loadSeconds: Record<string, number> = {};
    let loaded = 0;
    for (const size of SIZES) {
      const started = performance.now();
      const batches: Record<string, unknown>[][] = [];
      for (let i = loaded; i < size; i += 25) batches.push(Array.from({ length: Math.min(25, size - i) }, (_, k) => toItem(parcelAt(i + k))));
      for (let b = 0; b < batches.length; b += 8) {
        await Promise.all(
          batches.slice(b, b + 8).map(async (items) => {
            let requests = items.map((Item) => ({ PutRequest: { Item } }));
            while (requests.length) {
              const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
              requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
            }
          }),
        );
      }
      loaded = size;
      loadSeconds[String(size)] = Math.round((performance.now() - started) / 100) / 10;
      for (const combo of COMBOS) {
        // The list handler's page: the index its park/status select, the fact filters it builds (list-filters.ts).
        const { park, status, ...facts } = combo.query;
        const page = await listResources('parcels', { park, status: status as never, filter: factFilter('parcels', facts, stalePeriod) }, PAGE);
        const row = measured.get(combo.label) ?? new Map();
        row.set(size, { readUnits: page.consumed, items: page.items.length });
        measured.set(combo.label, row);
      }
    }

    const rows: InventoryRow[] = COMBOS.map((combo) => {
      const m = measured.get(combo.label)!;
      const [small, large] = SIZES;
      return {
        label: combo.label,
        covered: combo.covered,
        readUnits: Object.fromEntries(SIZES.map((s) => [String(s), m.get(s)!.readUnits])),
        items: Object.fromEntries(SIZES.map((s) => [String(s), m.get(s)!.items])),
        ratio: Math.round((m.get(large)!.readUnits / Math.max(m.get(small)!.readUnits, 0.5)) * 100) / 100,
      };
    });
    const scans = calls.get('ScanCommand') ?? 0;

    const contentionRows = await contention();

    return {
      sizes: SIZES,
      pageSize: PAGE,
      loadSeconds,
      rows,
      scans,
      contention: contentionRows,
      target: INVENTORY_TARGET_RATIO,
      meetsTarget: scans === 0 && rows.filter((r) => r.covered).every((r) => r.ratio <= INVENTORY_TARGET_RATIO) && contentionRows.every((c) => c.balanced),
    };
  } finally {
    await db.stop();
  }
}

export function formatInventory(s: InventorySection): string {
  const [small, large] = s.sizes.map(String) as [string, string];
  const lines = [
    `inventory list page (limit ${s.pageSize}): read units at ${small} and ${large} parcels (loaded in ${s.loadSeconds[small]} s and ${s.loadSeconds[large]} s more)`,
    `${'filters'.padEnd(20)} ${`RCU ${small}`.padStart(9)} ${`RCU ${large}`.padStart(10)} ${'ratio'.padStart(6)} ${'items'.padStart(7)}`,
  ];
  for (const r of s.rows) {
    lines.push(`${(r.label + (r.covered ? '' : ' *')).padEnd(20)} ${r.readUnits[small]!.toFixed(1).padStart(9)} ${r.readUnits[large]!.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(6)} ${`${r.items[small]}/${r.items[large]}`.padStart(7)}`);
  }
  lines.push('* filtered beyond the index: a page reads at most 5 calls of at least 50 records (LIST_MAX_CALLS, LIST_FILTER_WINDOW; bounded; may come back short with a cursor)');
  lines.push(`scans: ${s.scans}`);
  lines.push(`reservations under contention (${s.contention[0]?.requests ?? 0} parallel requests through the handlers):`);
  for (const c of s.contention) {
    lines.push(`  ${c.label.padEnd(34)} won ${String(c.won).padStart(2)}  409 ${String(c.refused).padStart(2)}  other ${c.other}  conflict rate ${(c.conflictRate * 100).toFixed(0)}%  p50 ${c.latencyMs.p50} ms  p90 ${c.latencyMs.p90} ms  max ${c.latencyMs.max} ms  ${c.balanced ? 'books balance' : 'BOOKS DO NOT BALANCE'} (${c.detail})`);
  }
  lines.push(`target: ratio ≤ ${s.target} for index-served pages, zero scans, books balanced — ${s.meetsTarget ? 'met' : 'MISSED'}`);
  return lines.join('\n');
}


/**
 * 50 parallel reservations of the last parcel by 50 projects, and 50 parallel allocations of 3 tce from a 100 tce quota,
 * through the real handlers (the transaction and its conditions as on AWS; DynamoDB Local serialises transactions, so
 * contention shows as refusals, not as TransactionConflict retries). The books balance when exactly the winners hold:
 * one holder of the parcel; allocated = 3 × winners ≤ 100 and remaining = 100 − allocated.
 */
async function contention(): Promise<ContentionRow[]> {
  const { randomBytes } = await import('node:crypto');
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { cursorKeyOp } = await import('../functions/kernel/store/cursor-key.ts');
  await transact([cursorKeyOp(randomBytes(32), new Date())]);
  const { apiEvent, call, projectBody } = await import('../test/support/events.ts');
  const load = async (f: string) => ((await import(f)) as { handler: Parameters<typeof call>[0] }).handler;
  const [create, createProject, reserve, get] = await Promise.all(
    ['../functions/inventory/http/create-resource.ts', '../functions/projects/http/create-project.ts', '../functions/inventory/http/reserve-resource.ts', '../functions/inventory/http/get-resource.ts'].map(load),
  );
  const user = (role: string, extra: Record<string, string> = {}) => ({ sub: `bench-${role}`, name: role, roles: [role as never], ...extra });
  const park = '汇通产业园';
  const projects = await Promise.all(
    Array.from({ length: PARALLEL }, async (_, i) => (await call<{ id: string }>(createProject!, apiEvent('POST /projects', { as: user('investment_dept'), body: projectBody({ name: `竞争项目${i}`, park, siteMode: 'land', totalInvestmentCny: 300_000_000 }) }))).body.id),
  );
  const timed = async (fn: () => Promise<{ status: number }>) => {
    const started = performance.now();
    const reply = await fn();
    return { status: reply.status, ms: performance.now() - started };
  };
  const summarise = (label: string, replies: { status: number; ms: number }[], balanced: boolean, detail: string): ContentionRow => {
    const ms = replies.map((r) => r.ms).sort((a, b) => a - b);
    const won = replies.filter((r) => r.status === 201).length;
    const refused = replies.filter((r) => r.status === 409).length;
    return {
      label,
      requests: replies.length,
      won,
      refused,
      other: replies.length - won - refused,
      conflictRate: Math.round((refused / replies.length) * 100) / 100,
      latencyMs: { p50: Math.round(percentile(ms, 50)), p90: Math.round(percentile(ms, 90)), max: Math.round(ms.at(-1) ?? 0) },
      balanced,
      detail,
    };
  };

  const parcel = (await call<{ id: string }>(create!, apiEvent('POST /inventory/{kind}', { as: user('resources_bureau'), params: { kind: 'parcels' }, body: { code: 'LAST-1', park, areaM2: 50_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: null, landApproval: null, clearanceList: null, infrastructure: null } } }))).body;
  const parcelReplies = await Promise.all(projects.map((id) => timed(() => call(reserve!, apiEvent('POST /projects/{id}/reservations', { as: user('park_center', { park }), params: { id }, body: { kind: 'parcels', resourceId: parcel.id } })))));
  const heldParcel = (await call<{ status: string; heldBy: unknown }>(get!, apiEvent('GET /inventory/{kind}/{id}', { as: user('committee_leader'), params: { kind: 'parcels', id: parcel.id } }))).body;
  const oneWinner = parcelReplies.filter((r) => r.status === 201).length === 1 && heldParcel.status === 'reserved';

  const quota = (await call<{ id: string }>(create!, apiEvent('POST /inventory/{kind}', { as: user('eco_bureau'), params: { kind: 'energy' }, body: { year: 2035, totalTce: 100 } }))).body;
  const quotaReplies = await Promise.all(projects.map((id) => timed(() => call(reserve!, apiEvent('POST /projects/{id}/reservations', { as: user('resources_bureau'), params: { id }, body: { kind: 'energy', resourceId: quota.id, amount: 3 } })))));
  const after = (await call<{ allocated: number; remaining: number }>(get!, apiEvent('GET /inventory/{kind}/{id}', { as: user('committee_leader'), params: { kind: 'energy', id: quota.id } }))).body;
  const quotaWon = quotaReplies.filter((r) => r.status === 201).length;
  const quotaBalanced = after.allocated === 3 * quotaWon && after.remaining === 100 - after.allocated && after.allocated <= 100;

  return [
    summarise('last parcel (50 projects)', parcelReplies, oneWinner, `holder ${oneWinner ? 'exactly one' : 'WRONG'}`),
    summarise('energy 3 tce × 50 from 100 tce', quotaReplies, quotaBalanced, `allocated ${after.allocated}, remaining ${after.remaining}`),
  ];
}
