// A child `npm start` spawns (the demo's month, local/replay-ladder.ts) ends when `npm start` is killed outright: a
// kill -9 runs no handler, and the child had no parent check of its own; it ran on until
// its next write to the closed stderr. Here the child writes nowhere (its stdout and stderr the parent's pipes, never
// written), so without the stdin watch it would live forever.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, root, tsx } from '../support/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-parent-watch-'));
const orphans: number[] = [];
afterAll(() => {
  for (const pid of orphans) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const childScript = `import { writeFileSync } from 'node:fs';
import { whenParentGone } from ${JSON.stringify(join(root, 'local/parent-watch.ts'))};
writeFileSync(${JSON.stringify(join(dir, 'child.pid'))}, String(process.pid));
whenParentGone(() => {
  writeFileSync(${JSON.stringify(join(dir, 'gone'))}, 'parent gone');
  process.exit(1);
});
setInterval(() => undefined, 1000);
`;

const parentScript = `import { spawnWatchedChild } from ${JSON.stringify(join(root, 'local/parent-watch.ts'))};
const child = spawnWatchedChild(${JSON.stringify(join(dir, 'child.mts'))}, process.env);
child.stdout.resume();
child.stderr.resume();
console.log('spawned');
setInterval(() => undefined, 1000);
`;

const waitFor = async (done: () => boolean, ms: number) => {
  for (const deadline = Date.now() + ms; !done() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  return done();
};

describe('a child spawned by spawnWatchedChild', () => {
  it('ends when its parent is killed outright (kill -9)', async () => {
    writeFileSync(join(dir, 'child.mts'), childScript);
    writeFileSync(join(dir, 'parent.mts'), parentScript);
    // The parent run as `npm start` is: tsx's cli and the script's own Node process (the one killed, as a kill -9 of
    // the pid in running.json is).
    const parent = spawn(tsx, [join(dir, 'parent.mts')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    parent.stderr.on('data', (d: Buffer) => (out += d.toString()));
    expect(await waitFor(() => existsSync(join(dir, 'child.pid')) && out.includes('spawned'), 30_000), out).toBe(true);
    const childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    orphans.push(childPid);
    const parentOf = (pid: number) => Number(/\) \S+ (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1]);
    // The child's parent is the script that spawned it (Node loading tsx, no cli in between), killed here.
    const spawner = parentOf(childPid);
    expect(alive(spawner)).toBe(true);
    process.kill(spawner, 'SIGKILL');
    expect(await waitFor(() => existsSync(join(dir, 'gone')), 20_000), 'the child did not see its parent go').toBe(true);
    expect(await waitFor(() => !alive(childPid), 10_000)).toBe(true);
    parent.kill('SIGKILL');
  }, 60_000);
});
