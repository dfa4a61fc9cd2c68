// Ctrl-C with requests in flight: each request the runtime received is answered before it stops — a write that
// commits is never left with its answer dropped (a client without an Idempotency-Key could not know it was done). Seen
// live: 3 completions in flight at a Ctrl-C, one committed (the server logged its 200) while its client got a
// dropped socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootRuntime, devToken, projectRequest, stopRuntime, type Runtime } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-ctrl-c-'));
const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', ZONEFLOW_QUIET: '1' };
let rt: Runtime | undefined;
afterAll(() => {
  if (rt?.proc.exitCode === null && rt.proc.pid) process.kill(rt.proc.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Ctrl-C while writes are in flight', () => {
  it('answers every write it committed before it stops', async () => {
    rt = await bootRuntime(env, ['--fresh', '--no-seed']);
    const answered = new Map<string, number>();
    const dropped: string[] = [];
    // A Ctrl-C a little after the first answer of a burst arrives, the others being written: a few rounds, each later
    // (which requests are mid-commit at the signal depends on timing).
    for (const [round, delayMs] of [0, 40, 90, 160].entries()) {
      const auth = { authorization: `Bearer ${devToken(env, 'investment_dept')}`, 'content-type': 'application/json' };
      const sent = Array.from({ length: 24 }, (_, i) => {
        const name = `停机在途${round}-${i}`;
        return fetch(`${rt!.base}/projects`, { method: 'POST', headers: auth, body: JSON.stringify(projectRequest(name)) })
          .then(async (res) => {
            await res.arrayBuffer();
            answered.set(name, res.status);
          })
          .catch(() => void dropped.push(name));
      });
      await Promise.race(sent);
      await new Promise((r) => setTimeout(r, delayMs));
      const stopped = stopRuntime(rt);
      await Promise.all(sent);
      expect(await stopped).toBe(0);
      rt = await bootRuntime(env, []);
    }
    const leader = { authorization: `Bearer ${devToken(env, 'committee_leader')}` };
    const listed = (await (await fetch(`${rt.base}/projects?limit=100`, { headers: leader })).json()) as { items: { name: string }[] };
    const stored = listed.items.map((p) => p.name).filter((n) => n.startsWith('停机在途'));
    expect(stored.length).toBeGreaterThan(0);
    // Every project the store holds was answered 201 to its client: none committed with its answer dropped.
    expect(stored.filter((n) => answered.get(n) !== 201)).toEqual([]);
    expect(await stopRuntime(rt)).toBe(0);
  }, 240_000);
});
