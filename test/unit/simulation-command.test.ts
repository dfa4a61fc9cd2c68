// `npm run simulate` refuses a figure out of bounds before it builds anything: a usage error (exit 2) naming the option
// and its range — `--projects 1e9` is an integer, and it used to start building a zone of a billion projects, silently.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive } from '../support/runtime.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run simulate, its options', () => {
  it.each([
    [['--projects', '1e9'], '--projects must be an integer from 1 to 100,000, got 1e9'],
    [['--horizon-days', '36500'], '--horizon-days must be an integer from 1 to 3,650, got 36500'],
    [['--concurrency', '100000'], '--concurrency must be an integer from 1 to 1,000, got 100000'],
    [['--seed', '1.5'], '--seed must be an integer ≥ 0, got 1.5'],
    [['--wall-minutes', '0'], '--wall-minutes must be an integer from 1 to 100,000, got 0'],
    [['--ladder-tasks', 'departments'], '--ladder-tasks must be all or enterprise, got departments'],
  ])('%j is a usage error naming its range', (args, message) => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr.split('\n')[0]).toBe(`simulate: ${message}`);
    expect(out.stderr).toContain('usage: npm run simulate');
    // Each spawn loads the simulator's imports first: seconds on a busy machine.
  }, 60_000);

  // --out is checked before the run: `--out ''` resolved to bench/simulate.ts itself, which the run's JSON overwrote at
  // its end; a directory, or a place no file can be made (under a file), lost the run's figures after it.
  it.each([
    ['', "must name a .json file (the report and the chart are written beside it), got ''"],
    ['simulate.ts', "must name a .json file (the report and the chart are written beside it), got 'simulate.ts'"],
    ['../package.json/run.json', `${root}package.json/run.json: ENOTDIR`],
    ['../package.json/results/run.json', `${root}package.json/results/run.json: ENOTDIR`],
  ])('--out %j is a usage error, before anything runs', (path, message) => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.ts', '--out', path], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr.split('\n')[0]).toContain(`simulate: --out ${message}`);
  }, 60_000);
  it('--out under /proc is a usage error, not a hang (Node\'s recursive mkdir loops there)', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.ts', '--out', '/proc/zoneflow-sim/run.json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr.split('\n')[0]).toMatch(/^simulate: --out \/proc\/zoneflow-sim\/run\.json: E[A-Z]+/);
  }, 60_000);
});

// `npm run simulate:growth` likewise: a mistyped option or size is a usage error, not a stack trace; a size its runs
// refuse (each is an `npm run simulate`) ends it the same way, exit 2.
describe('npm run simulate:growth, its options', () => {
  it.each([
    [['--bogus'], "simulate:growth: Unknown option '--bogus'"],
    [['--sizes', '10,abc'], 'simulate:growth: --sizes must be positive integers separated by commas, got 10,abc'],
    [['--sizes', '0'], 'simulate:growth: --sizes must be positive integers separated by commas, got 0'],
    [['--sizes', '1', '--scale', '0'], 'simulate: --scale must be an integer ≥ 1, got 0'],
  ])('%j is a usage error', (args, message) => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/sim/growth.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

// A Ctrl-C mid-run: the process used to die of the signal, DynamoDB Local went with it (its parent-death signal) but
// the run's data directory (its dev keys) stayed in the temp directory, one per interrupted run.
describe('npm run simulate, stopped by a Ctrl-C', () => {
  it('stops DynamoDB Local, removes its data directory and writes nothing: exit 130', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zoneflow-sim-ctrl-c-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/simulate.ts', '--projects', '2', '--out', join(tmp, 'run.json')], { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? '?')));
      // Until the zone is driven (its first progress line), with DynamoDB Local up.
      await new Promise<void>((done) => child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), /day \d+\//.test(stderr) && done())));
      const java = spawnSync('ps', ['--ppid', String(child.pid), '-o', 'pid='], { encoding: 'utf8' }).stdout.split('\n').map((l) => Number(l.trim())).filter(Boolean);
      expect(java.length, stderr).toBeGreaterThan(0);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      // Signalled at the exit, the JVM takes its time to stop on a busy machine (over 2 s in a full CI run): up to 30 s.
      for (const until = Date.now() + 30_000; java.some(alive) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
      expect(java.filter(alive), 'still running').toEqual([]);
      expect(readdirSync(tmp).filter((name) => name.startsWith('zoneflow-sim-'))).toEqual([]);
      expect(existsSync(join(tmp, 'run.json'))).toBe(false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});

// A clock so fast that the horizon passed before any project arrived: the run checked nothing and used to pass (0
// tasks, 0 defects, exit 0). Projects never created fail the run.
describe('npm run simulate, a zone never driven', () => {
  it('fails when projects were never created before the horizon, and says so', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'zoneflow-sim-outrun-'));
    try {
      const out = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.ts', '--projects', '2', '--horizon-days', '1', '--scale', '1000000000', '--out', join(tmp, 'run.json')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      expect(out.status, out.stdout + out.stderr).toBe(1);
      expect(out.stdout, out.stderr).toMatch(/\d of the 2 projects were never created before the horizon passed/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
