// DynamoDB Local dies under a running `npm start` (its JVM killed, out of memory, …): the runtime stops too, saying why,
// rather than staying up answering 503 to every request while its scheduled jobs and stream pollers fail in a loop,
// its lifecycles' steps fail in memory and its business clock runs on. Stopped, it records the clock's instant (a clock
// asked for stands still while the store is stopped) and the next plain `npm start` resumes every lifecycle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootRuntime, portOpen, type Runtime } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-ddb-dies-'));
const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', ZONEFLOW_QUIET: '1', ZONEFLOW_CLOCK_START: '2026-09-21T09:00:00+08:00', ZONEFLOW_TIME_SCALE: '86400' };

let rt: Runtime | undefined;
afterAll(() => {
  if (rt?.proc.exitCode === null && rt.proc.pid) process.kill(-rt.proc.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The JVM serving DynamoDB Local on `port` (started by the runtime; `setpriv` execs into java). */
const javaOn = (port: number) =>
  execFileSync('pgrep', ['-f', `java .*-port ${port} `], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number)
    .filter(Boolean);

describe('DynamoDB Local dies under the running product', () => {
  it('the runtime stops with a non-zero code saying so, and records its clock', async () => {
    rt = await bootRuntime(env, ['--fresh', '--no-seed'], { detached: true });
    const base = rt.base;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const [java] = javaOn(rt.dynamoPort);
    expect(java).toBeGreaterThan(0);
    const exited = new Promise<number | null>((r) => rt!.proc.once('exit', (code) => r(code)));
    process.kill(java!, 'SIGKILL');
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(rt.output()).toMatch(/DynamoDB Local exited/);
    expect(await portOpen(Number(new URL(base).port))).toBe(false);
    // The instant reached is recorded, as at a Ctrl-C: the next start carries on from it.
    expect(JSON.parse(readFileSync(join(dataDir, 'clock.json'), 'utf8'))).toHaveProperty('reached');
  });
});
