// The simulation's HTML report (bench/sim/report.ts): text is escaped, each chart draws the series it was given (and
// says so when it has none), the histogram bins projects without lights at 0, and the page carries no script and
// fetches nothing (it opens from disk).
import { describe, expect, it } from 'vitest';
import type { CostReport } from '../../bench/sim/cost.ts';
import type { MeteringReport } from '../../bench/sim/metering.ts';
import type { StagePoint } from '../../bench/sim/meter.ts';
import { esc, everyDay, niceTop, histogram, histogramSvg, lightsSvg, renderReport, stagesSvg, type ReportInput } from '../../bench/sim/report.ts';

const series: StagePoint[] = [
  { day: '2025-01-06', byStage: { 'not yet': 3, SIGNING: 1 } },
  { day: '2025-01-07', byStage: { SIGNING: 2, LANDING: 2 } },
  { day: '2025-01-08', byStage: { LANDING: 3, EXITED: 1 } },
];

describe('escaping', () => {
  it('escapes the characters HTML gives meaning to', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('escapes a series name that is not a known stage in the chart and its legend', () => {
    const svg = stagesSvg([{ day: '2025-01-06', byStage: { '<script>': 1 } }]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('data-series="&lt;script&gt;"');
  });
});

describe('the stages chart', () => {
  it('draws one area per stage it was given, in lifecycle order, and labels them in Chinese and English', () => {
    const svg = stagesSvg(series);
    const drawn = [...svg.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]);
    expect(drawn).toEqual(['not yet', 'SIGNING', 'LANDING', 'EXITED']);
    expect(svg).toContain('落地 landing');
    expect(svg).toContain('2025-01-06');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });
  it('stacks to the number of projects: the top of the last area on the busiest day is the top of the plot', () => {
    const svg = stagesSvg([{ day: '2025-01-06', byStage: { SIGNING: 2, LANDING: 2 } }, { day: '2025-01-07', byStage: { SIGNING: 1, LANDING: 1 } }]);
    // The y axis is labelled up to 4 (2 + 2), not 2.
    expect(svg).toContain('>4</text>');
  });
  it('labels each tick with its value: 10 projects tick at 2.5 and 7.5, not at "3" and "8"', () => {
    const ticks = (svg: string) => [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks(stagesSvg([{ day: '2025-01-06', byStage: { SIGNING: 6, LANDING: 4 } }]))).toEqual(['0', '2.5', '5', '7.5', '10']);
    expect(ticks(stagesSvg([{ day: '2025-01-06', byStage: { SIGNING: 30 } }]))).toEqual(['0', '10', '20', '30', '40']);
  });
  it('tops the axis at a round number: 30 projects at 40 (ticks of 10), 4 at 4, 7 at 8', () => {
    expect(niceTop(30)).toBe(40);
    expect(niceTop(100)).toBe(100);
    expect(niceTop(4)).toBe(4);
    expect(niceTop(7)).toBe(8);
    expect(niceTop(0.3)).toBe(1);
  });
  it('says there is no data rather than drawing an empty frame', () => {
    const svg = stagesSvg([]);
    expect(svg).toContain('无数据 no data');
    expect(svg).not.toContain('data-series');
  });
});

describe('the lights', () => {
  it('draws the yellow and red lines through every day given', () => {
    const svg = lightsSvg([
      { day: '2025-01-06', yellow: 1, red: 0 },
      { day: '2025-01-07', yellow: 3, red: 1 },
    ]);
    const points = (k: string) => new RegExp(`data-series="${k}"[^>]*points="([^"]+)"`).exec(svg)?.[1]?.split(' ');
    expect(points('yellow')).toHaveLength(2);
    expect(points('red')).toHaveLength(2);
  });
  it('carries the counts over days without a light', () => {
    expect(everyDay(['2025-01-06', '2025-01-07', '2025-01-08'], [{ day: '2025-01-07', yellow: 2, red: 1 }])).toEqual([
      { day: '2025-01-06', yellow: 0, red: 0 },
      { day: '2025-01-07', yellow: 2, red: 1 },
      { day: '2025-01-08', yellow: 2, red: 1 },
    ]);
  });
  it('bins projects by their lights, those without any at 0 and many at the last bin', () => {
    const bins = histogram({ a: { yellow: 1, red: 1 }, b: { yellow: 12, red: 3 } }, 4, 10);
    expect(bins[0]).toBe(2);
    expect(bins[2]).toBe(1);
    expect(bins[10]).toBe(1);
    expect(bins.reduce((n, b) => n + b, 0)).toBe(4);
    expect([...histogramSvg(bins).matchAll(/data-bin=/g)]).toHaveLength(11);
    expect(histogramSvg([0, 0])).toContain('无数据 no data');
  });
});

describe('the page', () => {
  const metering: MeteringReport = {
    window: { start: '2025-01-06T00:00:00.000Z', end: '2025-01-09T00:00:00.000Z', businessDays: 3 },
    projects: { count: 4, ended: 1, projectYears: 0.03 },
    dynamodb: { tables: { projects: { readUnits: 10, writeUnits: 20, reads: 5, writes: 5, refusedWriteUnits: 1, indexWriteUnits: 0, sizeBytes: 900, items: 3 } }, readUnits: 10, writeUnits: 20, refusedWriteUnits: 1, storageBytes: 900, source: 'probe & measure' },
    lambda: { functions: { 'get-project': { kind: 'http', invocations: 3, durationMs: 30, readUnits: 1, writeUnits: 0, logBytes: 0, errors: 0, dynamodbCalls: 9, dynamodbRoundTrips: 3, dynamodbMs: 12, refusedWrites: 1, invocationsRefused: 1, transactions: 0, transactionItems: 0 } }, unattributedLogBytes: 0 },
    refusalReasons: { TransactionConflict: 1 },
    meterOverheadMs: 0,
    commands: { GetItem: { count: 7, p50: 2.5, p99: 9.1 }, TransactWriteItems: { count: 3, p50: 8, p99: 30.2, meanItems: 5.3, byItems: { '5-8': { count: 3, p50: 8, p99: 30.2 } } } },
    stepFunctions: { executions: 4, stateTransitions: 40, historyEvents: 120, meanMaxPayloadBytes: 300 },
    schedules: [{ name: 'deliver-notifications', cron: '* * * * ?', firingsPerMonth: 43_800, atAwsFrequency: false, idle: { ms: 4, readUnits: 0, writeUnits: 0, logBytes: 0, samples: 9 } }],
    series,
    lights: { byDay: [{ day: '2025-01-07', yellow: 2, red: 1 }], perProject: { p1: { yellow: 2, red: 1 } } },
  };
  const byService = { stepFunctions: 1, lambda: 2, dynamodb: 3, apiGateway: 4, cloudwatchLogs: 5, scheduler: 6 };
  const counts = { stateTransitions: 1, historyEvents: 1, lambdaInvocations: 1, lambdaGbSeconds: 1, apiRequests: 1, readUnits: 1, writeUnits: 1, logBytes: 1, schedulerInvocations: 1 };
  const cost: CostReport = {
    region: 'cn-north-1',
    currency: 'CNY',
    pricesTaken: '2026-11-30',
    projectYears: 0.03,
    perProjectYear: { counts, storageBytes: 1, cost: byService, total: 21 },
    zoneMonthly: { counts, cost: byService, total: 21 },
    monthly: [{ projects: 1000, cost: byService, total: 21 }],
    notes: ['a <note>'],
    unpriced: [],
    incomplete: [],
  };
  const input = (over: Partial<ReportInput['run']> = {}): ReportInput => ({
    run: {
      generatedAt: '2026-11-30T10:00:00Z',
      options: { projects: 4 },
      wallSeconds: { total: 10, drive: 8 },
      business: { days: 3, daysPerSecond: 0.4 },
      projects: { created: 4, byStage: { LANDING: 3, EXITED: 1 } },
      api: { count: 50, p50: 5, p99: 40 },
      dynamodbGetItem: { p99: 20 },
      apiP99OverGetItemP99: 2,
      workflow: { stateTransitions: 40, estimatedAwsHistoryEvents: 120 },
      lights: { yellow: 2, red: 1 },
      oracle: { tasksChecked: 9, counts: { lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 }, defects: 0 },
      metering,
      ...over,
    },
    cost,
    growth: [{ projects: 10, projectYears: 1.5, perProjectYear: { readUnits: 100 }, costPerProjectYear: 0.5, wallSeconds: 20, defects: 0 }],
  });

  it('is one self-contained document: no script, no external resource', () => {
    const html = renderReport(input());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('<svg');
    expect(html).toContain('¥21.00');
    expect(html).toContain('a &lt;note&gt;');
    expect(html).toContain('probe &amp; measure');
    expect(html).toContain('… 5-8 项 items');
  });
  it('marks a table with prices no source gave: the services they bill and every total as lower bounds, and names them', () => {
    const html = renderReport({ ...input(), cost: { ...cost, unpriced: ['dynamodbOnDemandPerReadUnit'], incomplete: ['dynamodb'] } });
    expect(html).toContain('不完整 Incomplete');
    expect(html).toContain('dynamodbOnDemandPerReadUnit');
    // DynamoDB (3) and the totals (21) are at least; Step Functions (1), whose prices are all known, is as shown.
    expect(html).toContain('≥ ¥3.00');
    expect(html).toContain('≥ ¥21.00');
    expect(html).not.toContain('≥ ¥1.00');
    expect(renderReport(input())).not.toContain('Incomplete');
  });
  it('says what other processes took of the cores over the drive, when the run measured it', () => {
    expect(renderReport(input({ cpu: { otherProcessesCpuSeconds: 123.4, otherProcessesShareOfCores: 0.114 } }))).toContain('123.4 (11.4 %)');
    expect(renderReport(input())).not.toContain('Other processes’ CPU');
  });
  it('says a drive stopped by its wall limit before the horizon, and at which business day', () => {
    const stopped = renderReport(input({ business: { days: 41.3, daysPerSecond: 0.07, stopped: { reason: 'wall-limit', atDay: 41.3, horizonDays: 540 } } }));
    expect(stopped).toContain('Stopped before the horizon');
    expect(stopped).toContain('day 41.3 of 540');
    expect(renderReport(input())).not.toContain('Stopped before the horizon');
    expect(renderReport(input({ business: { days: 540, daysPerSecond: 1, stopped: null } }))).not.toContain('Stopped before the horizon');
  });
  it('prices the run once per table, the first heading: another region in its own currency follows it', () => {
    const usd: CostReport = { ...cost, region: 'us-east-1', currency: 'USD', perProjectYear: { ...cost.perProjectYear, total: 0.0082 } };
    const html = renderReport({ ...input(), cost: usd, alsoCosts: [cost] });
    const sections = [...html.matchAll(/<h2>费用估算 Estimated AWS cost \(([^,]+), ([A-Z]+),/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(sections).toEqual(['us-east-1 USD', 'cn-north-1 CNY']);
    expect(html).toContain('$0.0082');
    expect(html).toContain('¥21.00');
    expect([...renderReport(input()).matchAll(/<h2>费用估算/g)]).toHaveLength(1);
  });
  it('shows the GetItem probed from the product’s loop beside the one the target is judged on, when the run has it', () => {
    // A run from before the probe had a thread: its one GetItem figure is labelled as the loop's.
    expect(renderReport(input())).toContain('GetItem p99 (ms, from the product’s event loop)');
    expect(renderReport(input())).not.toContain('from a thread of its own');
    expect(renderReport(input())).not.toContain('API p99 ÷ that GetItem p99');
    const html = renderReport(input({ dynamodbGetItemOnProductLoop: { p99: 31 }, apiP99OverGetItemOnProductLoopP99: 1.29 }));
    expect(html).toContain('from a thread of its own');
    expect(html).toMatch(/from the product’s event loop[^<]*<\/td><td class="n">31</);
    expect(html).toMatch(/API p99 ÷ that GetItem p99<\/td><td class="n">1.29</);
  });
  it('shows the oracle’s verdict, failed when it found defects', () => {
    expect(renderReport(input())).toContain('Passed');
    expect(renderReport(input({ oracle: { tasksChecked: 9, counts: { lost: 1 }, defects: 1 } }))).toContain('Failed: 1 defects');
  });
  it('shows the ladder oracle beside the deadline oracle, and heads the page with the run’s exit code', () => {
    const ladder = { projectsChecked: 4, expected: { L1: 2, reset: 1 }, recorded: { L1: 2, reset: 1 }, counts: { lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 }, defects: 0, exits: { decided: 1, completed: 1, sitesReleased: 1, notReleased: [] } };
    const passed = renderReport(input({ ladder, ok: true, machine: { commit: 'abc1234' } }));
    expect(passed).toContain('升级阶梯检查 Ladder oracle');
    expect(passed).toMatch(/data-testid="verdict">运行通过/);
    expect(passed).toContain('commit abc1234');
    // Lights all well, the ladder lost a rung: the page says the run failed, as its exit code does.
    const failed = renderReport(input({ ladder: { ...ladder, counts: { ...ladder.counts, lost: 1 }, defects: 1 }, ok: false }));
    expect(failed).toMatch(/data-testid="verdict">运行未通过/);
    expect(failed).toContain('Failed: 1 defects');
    expect(failed).toContain('Passed: no light lost');
    // An exited project whose site stayed held is a ladder defect (ladder.ts counts it): the run failed (its ok not
    // given: derived), and the page says which kind of defect it was.
    const held = renderReport(input({ ladder: { ...ladder, defects: 1, exits: { ...ladder.exits, notReleased: ['prj-x'] } } }));
    expect(held).toMatch(/data-testid="verdict">运行未通过/);
    expect(held).toContain('Failed: 1 defects (1 of them exited projects’ sites not released)');
  });
  it('says why a run failed that no oracle faulted: projects never created, wake-ups never delivered', () => {
    const unborn = renderReport(input({ projects: { created: 3, byStage: { LANDING: 3 }, notCreated: 2 }, ok: false }));
    expect(unborn).toMatch(/data-testid="verdict">运行未通过[^<]*2 projects were never created before the horizon passed/);
    expect(unborn).toContain('Passed: no light lost');
    const lost = renderReport(input({ signals: { committed: 40, undelivered: 1 }, ok: false }));
    expect(lost).toMatch(/data-testid="verdict">运行未通过[^<]*1 of 40 wake-ups committed were never delivered/);
    expect(renderReport(input({ oracle: { tasksChecked: 9, counts: { lost: 1 }, defects: 1 }, ok: false }))).toMatch(/data-testid="verdict">运行未通过[^<]*1 light defects/);
  });
  it('shows figures to two decimals, a cost too small for four as under 0.0001, and axis titles on the charts', () => {
    const html = renderReport(input({ dynamodbGetItem: { p99: 74.46 } }));
    expect(html).toMatch(/GetItem p99 \(ms[^<]*<\/td><td class="n">74.46</);
    const tiny = renderReport({ ...input(), cost: { ...cost, currency: 'USD', perProjectYear: { ...cost.perProjectYear, cost: { ...byService, scheduler: 0.0000146 } } } });
    expect(tiny).toContain('&lt;$0.0001');
    expect(html).toContain('项目数 projects');
    expect(html).toContain('业务日 business day');
  });
  it('bins lights per project up to where 95 % of the projects fall (10 bars at least, 40 at most)', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, { yellow: 10 + i, red: 0 }]));
    expect(histogram(many, 20)).toHaveLength(28 + 1); // 10…29: the 19th of 20 is 28
    expect(histogram({ a: { yellow: 1, red: 0 } }, 1)).toHaveLength(11);
    expect(histogram({ a: { yellow: 500, red: 0 } }, 1)).toHaveLength(41);
    // 95 of 100 projects without a light: the cut is theirs (10 bars), not the five busy ones' 40.
    const five = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`p${i}`, { yellow: 40, red: 0 }]));
    expect(histogram(five, 100)).toHaveLength(11);
  });
  it('shows the growth table when growth runs are given, and how to make them when not', () => {
    expect(renderReport(input())).toContain('项目年 Project-years');
    expect(renderReport({ ...input(), growth: undefined })).toContain('npm run simulate:growth');
  });
});
