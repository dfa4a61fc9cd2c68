// One runtime per store: a start claims its data directory and is refused a store another live runtime holds; a claim
// left by a runtime that was killed is taken over; --fresh empties everything but the claim.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimStore, emptyStore, portFree } from '../../local/store-lock.ts';

const dirs: string[] = [];
const store = () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneflow-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('claimStore', () => {
  it('claims a free store, records where it listens, and gives it up', () => {
    const dir = store();
    const claim = claimStore(dir);
    if ('refused' in claim) throw new Error(claim.refused);
    claim.listening('http://localhost:3999');
    expect(JSON.parse(readFileSync(join(dir, 'running.json'), 'utf8'))).toMatchObject({ pid: process.pid, base: 'http://localhost:3999' });
    claim.release();
    expect(existsSync(join(dir, 'running.json'))).toBe(false);
  });

  it('refuses a store a live runtime holds, saying which and how to stop it', async () => {
    const dir = store();
    // A live process whose command line is a start's (as /proc shows it).
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', 'local/start.ts'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(dir, 'running.json'), JSON.stringify({ pid: other.pid, startedAt: '2026-12-04T00:00:00.000Z', base: 'http://localhost:3001' }));
      const claim = claimStore(dir);
      expect('refused' in claim && claim.refused).toMatch(new RegExp(`in use by another zoneflow \\(pid ${other.pid}, http://localhost:3001`));
      // Its claim is left as it was.
      expect(JSON.parse(readFileSync(join(dir, 'running.json'), 'utf8')).pid).toBe(other.pid);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a claim left by a runtime that is gone, or by a pid now another program’s', async () => {
    for (const pid of [2 ** 22 + 12345, process.pid === 1 ? 2 : 1]) {
      const dir = store();
      writeFileSync(join(dir, 'running.json'), JSON.stringify({ pid, startedAt: '2026-12-04T00:00:00.000Z' }));
      const claim = claimStore(dir);
      expect('refused' in claim).toBe(false);
      expect(JSON.parse(readFileSync(join(dir, 'running.json'), 'utf8')).pid).toBe(process.pid);
    }
  });

  it('takes over a claim file that cannot be read (left half-written by an older version), and leaves no draft behind', () => {
    const dir = store();
    writeFileSync(join(dir, 'running.json'), '');
    const claim = claimStore(dir);
    expect('refused' in claim).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'running.json'), 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual(['running.json']);
  });

  it('leaves a claim another start took over alone when the first releases', () => {
    const dir = store();
    const first = claimStore(dir, 4242);
    expect('refused' in first).toBe(false);
    // A pid that is no runtime: the claim is stale and taken over; the first's release then leaves the new claim alone.
    const second = claimStore(dir);
    expect('refused' in second).toBe(false);
    if (!('refused' in first)) first.release();
    expect(JSON.parse(readFileSync(join(dir, 'running.json'), 'utf8')).pid).toBe(process.pid);
  });
});

describe('emptyStore', () => {
  it('empties everything but the claim (--fresh)', () => {
    const dir = store();
    writeFileSync(join(dir, 'running.json'), '{}');
    writeFileSync(join(dir, 'clock.json'), '{}');
    emptyStore(dir);
    expect(existsSync(join(dir, 'running.json'))).toBe(true);
    expect(existsSync(join(dir, 'clock.json'))).toBe(false);
  });
});

describe('portFree', () => {
  it('says whether a port can be listened on', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await portFree(port, '127.0.0.1')).toBe(false);
    await new Promise((r) => server.close(r));
    expect(await portFree(port, '127.0.0.1')).toBe(true);
  });
});
