// `npm run simulate:price` (bench/sim/price.ts): a finished run priced again at other tables without running it — its
// JSON gets the new costs (the first table heading), its HTML report a section per table, one line printed per table;
// a missing run or a broken table is a usage error (exit 2) that leaves the run's files as they were.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { meteringReport } from '../support/simulation.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = {
  generatedAt: '2026-12-03T10:00:00Z',
  options: { projects: 4, seed: 7 },
  wallSeconds: { total: 10, drive: 8 },
  business: { days: 3, daysPerSecond: 0.4 },
  projects: { created: 4, byStage: { LANDING: 4 } },
  api: { count: 50, p50: 5, p99: 40 },
  dynamodbGetItem: { p99: 20 },
  apiP99OverGetItemP99: 2,
  workflow: { stateTransitions: 40, estimatedAwsHistoryEvents: 120 },
  lights: { yellow: 0, red: 0 },
  oracle: { tasksChecked: 9, counts: { lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 }, defects: 0 },
  metering: meteringReport(),
};
const price = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/sim/price.ts', ...args], { cwd: root, encoding: 'utf8' });

// Each spawn loads the pricing script's imports first: seconds on a busy machine (the default 5 s passed at load 9).
describe('npm run simulate:price', { timeout: 60_000 }, () => {
  it('prices a finished run again at each table given, the first heading its JSON and report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoneflow-price-'));
    const file = join(dir, 'simulation.json');
    writeFileSync(file, JSON.stringify(run));
    const usd = JSON.parse(readFileSync(join(root, 'bench/aws-prices.json'), 'utf8')) as { region: string; currency: string; prices: Record<string, { value: number }> };
    const cnyFile = join(dir, 'cny.json');
    writeFileSync(cnyFile, JSON.stringify({ ...usd, region: 'test-cn', currency: 'CNY', prices: Object.fromEntries(Object.entries(usd.prices).map(([k, v]) => [k, { ...v, value: v.value * 7 }])) }));
    const out = price('--run', file, '--prices', join(root, 'bench/aws-prices.json'), '--prices', cnyFile);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^cost \(us-east-1, USD, prices of [\d-]+\): \$[\d.]+ per project-year/m);
    expect(out.stdout).toMatch(/^cost \(test-cn, CNY, prices of [\d-]+\): ¥[\d.]+ per project-year/m);
    const priced = JSON.parse(readFileSync(file, 'utf8')) as { cost: { currency: string; perProjectYear: { total: number } }; alsoCosts: { currency: string; perProjectYear: { total: number } }[]; metering: unknown };
    expect(priced.metering).toEqual(run.metering);
    expect(priced.cost.currency).toBe('USD');
    expect(priced.alsoCosts.map((c) => c.currency)).toEqual(['CNY']);
    expect(priced.alsoCosts[0]!.perProjectYear.total).toBeCloseTo(priced.cost.perProjectYear.total * 7, 10);
    const html = readFileSync(join(dir, 'simulation.html'), 'utf8');
    expect([...html.matchAll(/<h2>费用估算 Estimated AWS cost \(([^,]+),/g)].map((m) => m[1])).toEqual(['us-east-1', 'test-cn']);
  });

  it('says what is wrong with a missing run, a file that is not a run, or a broken table (exit 2), and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoneflow-price-'));
    expect(price('--run', join(dir, 'none.json'))).toMatchObject({ status: 2, stderr: expect.stringContaining('no such file') });
    const notRun = join(dir, 'other.json');
    writeFileSync(notRun, '{"a":1}');
    expect(price('--run', notRun)).toMatchObject({ status: 2, stderr: expect.stringContaining('not a simulation') });
    const file = join(dir, 'simulation.json');
    writeFileSync(file, JSON.stringify(run));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"region":"x"}');
    expect(price('--run', file, '--prices', broken)).toMatchObject({ status: 2, stderr: expect.stringContaining('broken.json: currency: missing') });
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(run));
  });
  it('answers --help with its usage (exit 0), an unknown option with it and exit 2', () => {
    expect(price('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: npm run simulate:price') });
    expect(price('--helpp')).toMatchObject({ status: 2, stderr: expect.stringContaining("Unknown option '--helpp'") });
  });
});
