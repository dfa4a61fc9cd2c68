// The simulation's HTML report (issue 12): one self-contained page — inline SVG charts and CSS, no script, no font or
// image fetched — that opens from disk: projects by stage over business time, yellow and red lights so far, a
// histogram of lights per project, the cost table, the growth table, the run's figures and both oracles' verdicts (the
// deadline oracle's lights, the ladder oracle's rungs and exits).
// Labels are zh-CN with English. Pure string building (unit-tested: escaping, series drawn, empty data).
import type { CpuProfileSummary } from './profile.ts';
import type { CostReport, Service } from './cost.ts';
import { SERVICES } from './cost.ts';
import type { MeteringReport } from './metering.ts';

/** Text and attribute values: the five characters HTML gives meaning to. */
export const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Stages in lifecycle order, then terminal statuses; keys the product adds later go at the end. */
const STAGE_ORDER = ['not yet', '?', 'SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION', 'PRODUCING', 'COMPLETED', 'EXITED', 'REJECTED'];
const STAGE_LABEL: Record<string, string> = {
  'not yet': '未签约 not yet',
  '?': '已创建 created',
  SIGNING: '签约 signing',
  LANDING: '落地 landing',
  GROUNDBREAKING: '开工 groundbreaking',
  CONSTRUCTION: '建设 construction',
  OPERATION: '运营 operation',
  PRODUCING: '达产 producing',
  // A project that reached PRODUCING is COMPLETED: the same projects, named as the run's output names them.
  COMPLETED: '达产 producing',
  EXITED: '退出 exited',
  REJECTED: '未准入 rejected',
};
const PALETTE = ['#c7ccd4', '#a0a7b4', '#4e79a7', '#59a14f', '#9c755f', '#f28e2b', '#76b7b2', '#2f6f3e', '#2f6f3e', '#e15759', '#7f7f7f', '#b07aa1', '#edc948'];

const W = 720;
const H = 260;
const PAD = { left: 48, right: 170, top: 28, bottom: 36 };
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The top of a y axis for values up to `max`: 4 ticks of 1, 2, 2.5 or 5 × a power of ten (whole numbers from 4 up). */
export function niceTop(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Math.max(max <= 4 ? Math.ceil(max) : 4, step * 4);
}

/** What each axis measures, written beside it. */
interface Axes {
  readonly x: string;
  readonly y: string;
}

function frame(title: string, body: string, xLabels: readonly string[], yMax: number, id: string, axes?: Axes): string {
  const plotH = H - PAD.top - PAD.bottom;
  // Each tick labelled with its value, as exact as it is (a quarter of 10 is 2.5, of 3 is 0.75): rounded, a grid line
  // labelled 8 stood at 7.5.
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + plotH * (1 - f);
    const v = yMax * f;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${v.toLocaleString('en-US', { maximumFractionDigits: 2 })}</text>`;
  });
  const plotW = W - PAD.left - PAD.right;
  const labels = xLabels.length
    ? [0, Math.floor((xLabels.length - 1) / 2), xLabels.length - 1]
        .filter((i, k, all) => all.indexOf(i) === k)
        .map((i) => `<text x="${PAD.left + (xLabels.length > 1 ? (plotW * i) / (xLabels.length - 1) : 0)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${esc(xLabels[i])}</text>`)
    : [];
  const plotH2 = PAD.top + plotH / 2;
  const axisTitles = axes
    ? `<text x="${PAD.left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="axis">${esc(axes.x)}</text>` +
      `<text x="12" y="${plotH2}" text-anchor="middle" transform="rotate(-90 12 ${plotH2})" class="axis">${esc(axes.y)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-t" font-family="sans-serif" font-size="11">` +
    `<title id="${id}-t">${esc(title)}</title><style>.grid{stroke:#e3e6ea}text{fill:#333}</style>` +
    `<text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>${ticks.join('')}${labels.join('')}${axisTitles}${body}</svg>`
  );
}

function legend(items: readonly { label: string; color: string }[]): string {
  return items
    .map((it, i) => `<g class="legend"><rect x="${W - PAD.right + 12}" y="${PAD.top + i * 18}" width="12" height="12" fill="${it.color}"/><text x="${W - PAD.right + 30}" y="${PAD.top + i * 18 + 10}">${esc(it.label)}</text></g>`)
    .join('');
}

const empty = (title: string, id: string) => frame(title, `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="empty">无数据 no data</text>`, [], 1, id);

/** Stacked areas of projects by stage, one point per business day. Each stage is a <path data-series="STAGE">. */
export function stagesSvg(series: MeteringReport['series'], title = '各阶段项目数 Projects by stage over business time'): string {
  if (series.length === 0) return empty(title, 'stages');
  const keys = [...new Set(series.flatMap((p) => Object.keys(p.byStage)))].sort((a, b) => rank(a) - rank(b));
  const yMax = niceTop(Math.max(1, ...series.map((p) => keys.reduce((n, k) => n + (p.byStage[k] ?? 0), 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (series.length > 1 ? (plotW * i) / (series.length - 1) : plotW / 2);
  const y = (v: number) => PAD.top + plotH * (1 - v / yMax);
  const base = series.map(() => 0);
  const paths = keys.map((k, ki) => {
    const lower = [...base];
    series.forEach((p, i) => (base[i]! += p.byStage[k] ?? 0));
    const top = series.map((_, i) => `${x(i).toFixed(1)},${y(base[i]!).toFixed(1)}`);
    const bottom = series.map((_, i) => `${x(i).toFixed(1)},${y(lower[i]!).toFixed(1)}`).reverse();
    return `<path data-series="${esc(k)}" d="M${top.join('L')}L${bottom.join('L')}Z" fill="${colour(k, ki)}" stroke="none"/>`;
  });
  return frame(title, paths.join('') + legend(keys.map((k, ki) => ({ label: STAGE_LABEL[k] ?? k, color: colour(k, ki) })).reverse()), series.map((p) => p.day), yMax, 'stages', {
    x: '业务日 business day',
    y: '项目数 projects',
  });
}

const rank = (k: string) => (STAGE_ORDER.includes(k) ? STAGE_ORDER.indexOf(k) : STAGE_ORDER.length);
const colour = (k: string, i: number) => PALETTE[STAGE_ORDER.includes(k) ? STAGE_ORDER.indexOf(k) : (STAGE_ORDER.length + i) % PALETTE.length]!;

/** The cumulative lights on every day of `days` (a day without a light carries the day before's counts). */
export function everyDay(days: readonly string[], byDay: MeteringReport['lights']['byDay']): MeteringReport['lights']['byDay'] {
  const all = [...new Set([...days, ...byDay.map((d) => d.day)])].sort();
  let last = { yellow: 0, red: 0 };
  const known = new Map(byDay.map((d) => [d.day, d]));
  return all.map((day) => {
    last = known.get(day) ?? last;
    return { day, yellow: last.yellow, red: last.red };
  });
}

/** Cumulative yellow and red lights by business day: two <polyline data-series="yellow|red">. */
export function lightsSvg(byDay: MeteringReport['lights']['byDay'], title = '黄灯、红灯累计 Yellow and red lights so far'): string {
  if (byDay.length === 0) return empty(title, 'lights');
  const yMax = niceTop(Math.max(1, ...byDay.map((d) => Math.max(d.yellow, d.red))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (byDay.length > 1 ? (plotW * i) / (byDay.length - 1) : plotW / 2);
  const y = (v: number) => PAD.top + plotH * (1 - v / yMax);
  const line = (k: 'yellow' | 'red', color: string) =>
    `<polyline data-series="${k}" fill="none" stroke="${color}" stroke-width="2" points="${byDay.map((d, i) => `${x(i).toFixed(1)},${y(d[k]).toFixed(1)}`).join(' ')}"/>`;
  return frame(title, line('yellow', '#e0a800') + line('red', '#d62728') + legend([{ label: '黄灯 yellow', color: '#e0a800' }, { label: '红灯 red', color: '#d62728' }]), byDay.map((d) => d.day), yMax, 'lights', {
    x: '业务日 business day',
    y: '累计灯数 lights so far',
  });
}

/**
 * Projects by how many lights (yellow + red) they had: bars 0, 1, …, `cap`+. Projects without any count as 0. The cap,
 * unless given, is where 95 % of the projects fall (at least 10, at most 40 bars), so the last bar is the tail.
 */
export function histogram(perProject: Record<string, { yellow: number; red: number }>, projects: number, cap?: number): number[] {
  const counts = Object.values(perProject).map((p) => p.yellow + p.red);
  // Projects without a light are not in `perProject`: they count (as 0) in where 95 % of the projects fall.
  const sorted = [...counts, ...Array.from({ length: Math.max(0, projects - counts.length) }, () => 0)].sort((a, b) => a - b);
  const top = cap ?? Math.min(40, Math.max(10, sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? 0));
  const bins = Array.from({ length: top + 1 }, () => 0);
  for (const c of counts) bins[Math.min(top, c)]! += 1;
  bins[0]! += Math.max(0, projects - counts.length);
  return bins;
}

export function histogramSvg(bins: readonly number[], title = '每个项目的灯数 Lights per project'): string {
  if (bins.every((b) => b === 0)) return empty(title, 'hist');
  const yMax = niceTop(Math.max(1, ...bins));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / bins.length;
  const bars = bins.map(
    (b, i) =>
      `<rect data-bin="${i}" x="${(PAD.left + i * bw + 2).toFixed(1)}" y="${(PAD.top + plotH * (1 - b / yMax)).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${((plotH * b) / yMax).toFixed(1)}" fill="#4e79a7"><title>${i}${i === bins.length - 1 ? '+' : ''}: ${b}</title></rect>` +
      (bins.length <= 21 || i % 5 === 0 || i === bins.length - 1 ? `<text x="${(PAD.left + i * bw + bw / 2).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${i}${i === bins.length - 1 ? '+' : ''}</text>` : ''),
  );
  return frame(title, bars.join(''), [], yMax, 'hist', { x: '灯数（黄＋红）lights per project (yellow + red)', y: '项目数 projects' });
}

const SERVICE_LABEL: Record<Service, string> = {
  stepFunctions: 'Step Functions 状态转换',
  lambda: 'Lambda 请求与时长',
  dynamodb: 'DynamoDB 按需读写与存储',
  apiGateway: 'API Gateway HTTP API',
  cloudwatchLogs: 'CloudWatch Logs 日志',
  scheduler: 'EventBridge Scheduler 定时',
};

/** One size's per-project-year counts (from a growth run). */
export interface GrowthRow {
  readonly projects: number;
  readonly projectYears: number;
  readonly perProjectYear: Record<string, number>;
  readonly costPerProjectYear: number;
  readonly wallSeconds: number;
  readonly defects: number;
  /** Where the zone's projects ended: a larger zone the local stack could not keep up with ends behind the smaller. */
  readonly byStage?: Record<string, number>;
  readonly apiP99?: number;
}

export interface ReportInput {
  readonly title?: string;
  /** The run's result (engine.ts): figures and the oracle. */
  readonly run: {
    readonly generatedAt: string;
    readonly options: Record<string, unknown>;
    readonly wallSeconds: { readonly total: number; readonly drive: number };
    readonly cpu?: { readonly otherProcessesCpuSeconds?: number; readonly otherProcessesShareOfCores?: number };
    /** `stopped`: the drive ended before its horizon (`--wall-minutes`); runs before 2026-12-06 do not say. */
    readonly business: { readonly days: number; readonly daysPerSecond: number; readonly stopped?: { readonly reason: string; readonly atDay: number; readonly horizonDays: number } | null };
    readonly projects: { readonly created: number; readonly byStage: Record<string, number>; readonly notCreated?: number };
    /** Wake-ups committed to the outbox and not delivered (a lost wake-up fails the run whatever the oracles find). */
    readonly signals?: { readonly committed: number; readonly undelivered: number };
    readonly api: { readonly count: number; readonly p50: number; readonly p99: number };
    readonly dynamodbGetItem: { readonly p99: number };
    readonly apiP99OverGetItemP99: number | null;
    readonly dynamodbGetItemWithCalls?: { readonly p99: number };
    readonly apiP99OverGetItemWithCallsP99?: number | null;
    /** The same GetItem sent from the product's own event loop (how runs before 2026-12-01 probed it). */
    readonly dynamodbGetItemOnProductLoop?: { readonly p99: number };
    readonly apiP99OverGetItemOnProductLoopP99?: number | null;
    /** The API calls whose invocation had a write refused, and the p99 of the others (diagnostic). */
    readonly apiRaced?: { readonly count: number; readonly p50: number; readonly othersP99: number; readonly othersP99OverGetItemP99: number | null };
    readonly workflow: { readonly stateTransitions: number; readonly estimatedAwsHistoryEvents: number; readonly retries?: { readonly count: number; readonly byCause: Record<string, number>; readonly waitMaxBusinessHours: number } };
    readonly lights: { readonly yellow: number; readonly red: number };
    readonly oracle: { readonly tasksChecked: number; readonly counts: Record<string, number>; readonly defects: number };
    /** The ladder oracle (ladder-oracle.ts): rungs, resets and reminders expected and recorded; exits and their sites. */
    readonly ladder?: {
      readonly projectsChecked: number;
      readonly expected: Record<string, number>;
      readonly recorded: Record<string, number>;
      readonly counts: Record<string, number>;
      readonly defects: number;
      readonly exits: { readonly decided: number; readonly completed: number; readonly sitesReleased: number; readonly notReleased: readonly string[] };
    };
    /** Both oracles found nothing and every exited project's site came back: the run's exit code is 0. */
    readonly ok?: boolean;
    /** The commit the run was made at (`-dirty` when the tree had changes). */
    readonly machine?: { readonly commit?: string };
    readonly metering: MeteringReport;
    /** Where the Node process's time went (a run with --cpu-profile). */
    readonly cpuProfile?: CpuProfileSummary;
  };
  readonly cost: CostReport;
  /** The same run at other price tables (another region, another currency), each its own section after the first. */
  readonly alsoCosts?: readonly CostReport[];
  readonly growth?: readonly GrowthRow[];
}

const money = (n: number, currency: string) => {
  const sign = currency === 'USD' ? '$' : currency === 'CNY' ? '¥' : `${currency} `;
  // A cost too small for four decimals is not shown as 0.0000, which reads as free.
  if (n > 0 && n < 0.00005) return `<${sign}0.0001`;
  return `${sign}${n < 1 ? n.toFixed(4) : fmt(n, 2)}`;
};

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i ? ' class="n"' : ''}>${esc(typeof c === 'number' ? fmt(c, Number.isInteger(c) ? 0 : 2) : c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** One price table's estimate of the run: by service, per project-year, per zone-month and for zones of N projects. */
function costSection(cost: CostReport): string {
  const c = cost.currency;
  // Runs priced before 2026-12-06 carry no `unpriced`: every price of their tables was known.
  const unpriced = cost.unpriced ?? [];
  const partial = new Set(cost.incomplete ?? []);
  const atLeast = (n: number, s?: Service) => (unpriced.length && (s === undefined || partial.has(s)) ? `≥ ${money(n, c)}` : money(n, c));
  const rows = SERVICES.map((s) => [SERVICE_LABEL[s], atLeast(cost.perProjectYear.cost[s], s), atLeast(cost.zoneMonthly.cost[s], s), ...cost.monthly.map((row) => atLeast(row.cost[s], s))]);
  rows.push(['合计 Total', atLeast(cost.perProjectYear.total), atLeast(cost.zoneMonthly.total), ...cost.monthly.map((row) => atLeast(row.total))]);
  return `<h2>费用估算 Estimated AWS cost (${esc(cost.region)}, ${esc(c)}, 价格日期 prices of ${esc(cost.pricesTaken)})</h2>
${unpriced.length ? `<p class="note"><strong>不完整 Incomplete:</strong> 价格表缺少 no price in the table for ${esc(unpriced.join(', '))} — those parts are left out, so the figures marked ≥ are lower bounds.</p>\n` : ''}${table(['服务 Service', '每项目年 Per project-year', '每开发区每月 Per zone-month (fixed)', ...cost.monthly.map((row) => `${fmt(row.projects)} 个项目/月 projects, monthly`)], rows)}
<ul class="note">${cost.notes.map((note) => `<li>${esc(note)}</li>`).join('')}</ul>`;
}

/** The whole page. */
export function renderReport(input: ReportInput): string {
  const { run, cost } = input;
  const m = run.metering;
  const c = cost.currency;
  const perPy = cost.perProjectYear.counts;
  const n = Math.max(1, run.projects.created);
  const verdict = run.oracle.defects === 0;
  const ladder = run.ladder;
  // The ladder's defects count the exited projects whose site was not released (ladder.ts).
  const ladderVerdict = ladder ? ladder.defects === 0 : undefined;
  // The page's headline is the run's exit code: both oracles, and every exited project's site back.
  const ok = run.ok ?? (verdict && ladderVerdict !== false);
  // Why a run failed, each cause the exit code counts (engine.ts `ok`), said where the verdict is.
  const failures = [
    ...(!verdict ? [`灯的判定 ${run.oracle.defects} light defects (see below)`] : []),
    ...(ladderVerdict === false ? [`升级判定 ${ladder!.defects} escalation defects (see below)`] : []),
    ...(run.signals?.undelivered ? [`唤醒丢失 ${run.signals.undelivered} of ${run.signals.committed} wake-ups committed were never delivered`] : []),
    ...(run.projects.notCreated
      ? [`未创建 ${run.projects.notCreated} projects were never created before the horizon passed: the oracles checked less than the zone asked for (a slower --scale, a shorter --arrival-days or a longer --horizon-days drives them all)`]
      : []),
  ];
  if (!ok && !failures.length) failures.push('see the oracles below');
  const rungs = ladder ? [...new Set([...Object.keys(ladder.expected), ...Object.keys(ladder.recorded)])] : [];
  const figures: [string, string | number][] = [
    ['项目数 Projects', run.projects.created],
    ['墙钟时间 Wall time (s)', run.wallSeconds.total],
    // Runs before 2026-12-06 did not measure the machine's other work.
    ...(run.cpu?.otherProcessesCpuSeconds !== undefined
      ? ([['其他进程 CPU Other processes’ CPU over the drive (s, % of the cores)', `${run.cpu.otherProcessesCpuSeconds} (${Math.round((run.cpu.otherProcessesShareOfCores ?? 0) * 1000) / 10} %)`]] as [string, string | number][])
      : []),
    ['业务天数 Business days', run.business.days],
    ...(run.business.stopped
      ? ([['提前停止 Stopped before the horizon', `墙钟上限 wall limit (--wall-minutes): day ${run.business.stopped.atDay} of ${run.business.stopped.horizonDays}; figures and oracles cover the days driven`]] as [string, string | number][])
      : []),
    ['每秒业务天数 Business days per second', run.business.daysPerSecond],
    ['API 调用 API calls', run.api.count],
    ['API p50 / p99 (ms)', `${run.api.p50} / ${run.api.p99}`],
    // Runs before 2026-12-01 (re-rendered by growth.ts --reuse) probed from the product's loop and have no second figure.
    [`DynamoDB Local GetItem p99 (ms, ${run.dynamodbGetItemOnProductLoop ? 'from a thread of its own' : 'from the product’s event loop'})`, run.dynamodbGetItem.p99],
    ['API p99 ÷ GetItem p99 (目标 target ≤ 3)', run.apiP99OverGetItemP99 ?? '—'],
    ['GetItem p99 with the API calls (ms)', run.dynamodbGetItemWithCalls?.p99 ?? '—'],
    ['API p99 ÷ GetItem p99 with the calls', run.apiP99OverGetItemWithCallsP99 ?? '—'],
    ...(run.dynamodbGetItemOnProductLoop
      ? ([
          ['GetItem p99 from the product’s event loop (ms; runs before 2026-12-01)', run.dynamodbGetItemOnProductLoop.p99],
          ['API p99 ÷ that GetItem p99', run.apiP99OverGetItemOnProductLoopP99 ?? '—'],
        ] as [string, string | number][])
      : []),
    ...(run.apiRaced
      ? ([
          ['API 调用中写冲突重试 API calls that lost a race (retried)', `${run.apiRaced.count}, p50 ${run.apiRaced.p50} ms`],
          ['其余调用 p99 ÷ GetItem p99 The other calls’ p99 ÷ GetItem p99', run.apiRaced.othersP99OverGetItemP99 ?? '—'],
        ] as [string, string | number][])
      : []),
    ['被拒写入按原因 Refused writes by why', Object.entries(m.refusalReasons).map(([code, k]) => `${code} ${k}`).join(' · ') || '—'],
    ['状态转换/项目 Transitions per project', run.workflow.stateTransitions / n],
    ['AWS 历史事件/项目 History events per project (est.)', run.workflow.estimatedAwsHistoryEvents / n],
    ...(run.workflow.retries
      ? ([['工作流步骤重试 Workflow step retries', `${run.workflow.retries.count}${run.workflow.retries.count ? ` (${Object.entries(run.workflow.retries.byCause).map(([k, v]) => `${k} ${v}`).join(' · ')}; longest ${run.workflow.retries.waitMaxBusinessHours} business hours)` : ''}`]] as [string, string | number][])
      : []),
    ['项目年 Project-years', m.projects.projectYears],
    ['读容量单位/项目年 RCU per project-year', perPy.readUnits],
    ['写容量单位/项目年 WCU per project-year', perPy.writeUnits],
    ['Lambda 调用/项目年 Lambda invocations per project-year', perPy.lambdaInvocations],
    ['状态转换/项目年 Transitions per project-year', perPy.stateTransitions],
    ['API 请求/项目年 API requests per project-year', perPy.apiRequests],
    ['日志字节/项目年 Log bytes per project-year', perPy.logBytes],
  ];
  const growth = input.growth?.length
    ? table(
        ['项目数 Projects', '项目年 Project-years', 'RCU/项目年', 'WCU/项目年', 'Lambda/项目年', '转换/项目年 Transitions', 'API/项目年', `费用/项目年 Cost (${c})`, '缺陷 Defects', '结束阶段 Ended in', 'API p99 (ms)'],
        input.growth.map((g) => [
          String(g.projects),
          g.projectYears,
          g.perProjectYear.readUnits ?? 0,
          g.perProjectYear.writeUnits ?? 0,
          g.perProjectYear.lambdaInvocations ?? 0,
          g.perProjectYear.stateTransitions ?? 0,
          g.perProjectYear.apiRequests ?? 0,
          money(g.costPerProjectYear, c),
          String(g.defects),
          Object.entries(g.byStage ?? {}).map(([k, v]) => `${k} ${v}`).join(', '),
          g.apiP99 ?? '—',
        ]),
      ) + '<p class="note">同一种子、同一期限，不同规模：每项目年的数量持平即为线性增长。Same seed and horizon at several sizes: flat per-project-year counts mean the cost grows linearly.</p>'
    : '<p class="note">无增长数据 No growth runs: <code>npm run simulate:growth</code>.</p>';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title ?? '开发区模拟 Zone simulation')}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:980px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f5f7}.options{word-break:break-all}.ok{color:#1b7a32;font-weight:bold}.bad{color:#b00020;font-weight:bold}.note{color:#555;font-size:.85rem}
svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
</style></head><body>
<h1>${esc(input.title ?? '开发区模拟 Zone simulation')}</h1>
<p class="note options">${esc(run.generatedAt)}${run.machine?.commit ? ` · commit ${esc(run.machine.commit)}` : ''} · ${esc(JSON.stringify(run.options))}</p>
<p class="${ok ? 'ok' : 'bad'}" data-testid="verdict">${ok ? '运行通过 The run passed: both oracles found no defect (exit code 0)' : `运行未通过 The run failed (exit code 1): ${esc(failures.join('; '))}`}</p>
<h2>截止期检查 Deadline oracle</h2>
<p class="${verdict ? 'ok' : 'bad'}">${verdict ? '通过：无丢失、重复、提前、延迟或多余的灯 Passed: no light lost, doubled, early, late or spurious' : `未通过 Failed: ${esc(run.oracle.defects)} defects`}</p>
${table(['检查任务 Tasks checked', '丢失 lost', '重复 doubled', '提前 early', '延迟 late', '多余 spurious', '黄灯 yellow', '红灯 red'], [[String(run.oracle.tasksChecked), run.oracle.counts.lost ?? 0, run.oracle.counts.doubled ?? 0, run.oracle.counts.early ?? 0, run.oracle.counts.late ?? 0, run.oracle.counts.spurious ?? 0, run.lights.yellow, run.lights.red]])}
${
  ladder
    ? `<h2>升级阶梯检查 Ladder oracle</h2>
<p class="${ladderVerdict ? 'ok' : 'bad'}">${ladderVerdict ? '通过：无丢失、重复、提前、延迟或多余的升级事件，退出项目的场地均已收回 Passed: no rung, reset or reminder lost, doubled, early, late or spurious; every exited project’s site released' : `未通过 Failed: ${esc(ladder.defects)} defects${ladder.exits.notReleased.length ? ` (${esc(ladder.exits.notReleased.length)} of them exited projects’ sites not released)` : ''}`}</p>
${table(['检查项目 Projects checked', '丢失 lost', '重复 doubled', '提前 early', '延迟 late', '多余 spurious'], [[String(ladder.projectsChecked), ladder.counts.lost ?? 0, ladder.counts.doubled ?? 0, ladder.counts.early ?? 0, ladder.counts.late ?? 0, ladder.counts.spurious ?? 0]])}
${table(['事件 Event', ...rungs], [['应有 expected', ...rungs.map((k) => ladder.expected[k] ?? 0)], ['记录 recorded', ...rungs.map((k) => ladder.recorded[k] ?? 0)]])}
${table(['退出决定 Exits decided', '退出完成 completed', '场地收回 sites released', '未收回 not released'], [[String(ladder.exits.decided), ladder.exits.completed, ladder.exits.sitesReleased, ladder.exits.notReleased.join(', ') || '—']])}`
    : ''
}
<h2>阶段 Stages</h2>
${stagesSvg(m.series)}
<h2>灯 Lights</h2>
${lightsSvg(everyDay(m.series.map((p) => p.day), m.lights.byDay))}
${histogramSvg(histogram(m.lights.perProject, run.projects.created))}
${[cost, ...(input.alsoCosts ?? [])].map(costSection).join('\n')}
<h2>增长 Growth</h2>
${growth}
<h2>运行数据 Run figures</h2>
${table(['指标 Figure', '值 Value'], figures)}
<p class="note">计量自身开销 The meter's own bookkeeping took ${esc(Math.round(m.meterOverheadMs))} ms of the run.</p>
<h2>DynamoDB 各表 Tables</h2>
${table(['表 Table', 'RCU', 'WCU', '其中事务索引写入 of which index writes in transactions', '被拒写入 Refused WCU', '大小 Bytes'], Object.entries(m.dynamodb.tables).map(([id, t]) => [id, t.readUnits, t.writeUnits, t.indexWriteUnits, t.refusedWriteUnits, t.sizeBytes ?? 0]))}
<p class="note">${esc(m.dynamodb.source)}</p>
<h2>DynamoDB 各命令 Calls by command</h2>
${table(['命令 Command', '次数 Calls', 'p50 (ms)', 'p99 (ms)', '每次项数 Items each'], Object.entries(m.commands ?? {}).flatMap(([name, k]) => [[name, k.count, k.p50, k.p99, k.meanItems ?? '—'] as (string | number)[], ...Object.entries(k.byItems ?? {}).map(([band, b]) => [`… ${band} 项 items`, b.count, b.p50, b.p99, band])]))}
<p class="note">在产品的客户端计时（含 SDK）Timed at the product's client, its SDK round included.</p>
<h2>Lambda 各函数 Functions</h2>
${table(['函数 Function', '类型 Kind', '调用 Invocations', '时长 ms (sum)', 'RCU', 'WCU', '日志字节 Log bytes', 'DynamoDB 调用 calls', '往返/次 Round trips each', '等待存储/次 Store ms each', '事务 Transactions', '每事务项数 Items each', '写被拒的调用 Invocations with a write refused'], Object.entries(m.lambda.functions).map(([name, f]) => [name, f.kind, f.invocations, f.durationMs, f.readUnits, f.writeUnits, f.logBytes, f.dynamodbCalls, f.invocations ? Math.round((f.dynamodbRoundTrips / f.invocations) * 10) / 10 : 0, f.invocations && f.dynamodbMs !== undefined ? Math.round((f.dynamodbMs / f.invocations) * 10) / 10 : '—', f.transactions ?? 0, f.transactions ? Math.round((f.transactionItems / f.transactions) * 10) / 10 : '—', f.invocationsRefused]))}
${
  run.cpuProfile
    ? `<h2>Node 进程 CPU 去向 Where the Node process's time went</h2>
${table(['部分 Part', '秒 Seconds', '占忙碌 % of busy'], run.cpuProfile.parts.map((p) => [p.part, p.seconds, p.share]))}
<p class="note">V8 采样 sampled over the drive (${esc(run.cpuProfile.sampledSeconds)} s, ${esc(run.cpuProfile.idleSeconds)} s idle); busiest packages: ${esc(run.cpuProfile.packages.map((p) => `${p.name} ${p.share} %`).join(', '))}.</p>`
    : ''
}
<h2>定时任务 Scheduled jobs</h2>
${table(['任务 Job', 'cron', '每月触发 Firings a month', '计入 Counted as'], m.schedules.map((s) => [s.name, s.cron, s.firingsPerMonth, s.atAwsFrequency ? '触发次数按开发区，工作量按项目 firings per zone, their work per project (fires at AWS frequency in the run)' : `每开发区固定 per zone: idle ${fmt(s.idle?.ms ?? 0, 1)} ms, ${s.idle?.readUnits ?? 0} RCU × ${fmt(s.firingsPerMonth)}`]))}
</body></html>
`;
}
