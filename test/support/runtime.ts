// The local runtime as the end-to-end suites drive it: `npm start` (local/start.ts) in a child process on a data
// directory of the test's own, dev tokens from `npm run token`, and the project body the suites create.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const tsx = join(root, 'node_modules/.bin/tsx');
/**
 * How `npm start` runs the runtime: `node --import tsx local/start.ts` — one process, no tsx CLI in between. The CLI
 * relays a SIGINT to its child and, when the child's busy loop does not acknowledge it within 30 ms, SIGKILLs it (exit
 * 130, no shutdown): a Ctrl-C under load would not be the one a user gives.
 */
export const startCommand = (...args: string[]) => [process.execPath, ['--import', 'tsx', 'local/start.ts', ...args]] as const;

export interface Runtime {
  readonly proc: ChildProcess;
  /** The API's base URL, e.g. http://localhost:41234. */
  readonly base: string;
  readonly dynamoPort: number;
  /** Everything the runtime printed so far. */
  output(): string;
}

/**
 * Starts the runtime with `args` and resolves once it listens. `detached`: in a process group of its own, so one
 * signal to the group reaches the runtime and everything it started (DynamoDB Local included).
 */
export async function bootRuntime(env: NodeJS.ProcessEnv, args: string[], opts: { detached?: boolean } = {}): Promise<Runtime> {
  const proc = spawn(...startCommand(...args), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!/zoneflow listening on (\S+)/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`runtime exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`runtime did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc,
    base: /zoneflow listening on (\S+)/.exec(out)![1]!,
    dynamoPort: Number(/DynamoDB Local: http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0),
    output: () => out,
  };
}

/** Ctrl-C: SIGINT, and the exit code. */
export function stopRuntime(rt: Runtime): Promise<number | null> {
  const exited = new Promise<number | null>((r) => rt.proc.once('exit', (code) => r(code)));
  rt.proc.kill('SIGINT');
  return exited;
}

/** Whether process `pid` is still running (signal 0: nothing sent, only asked). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** A dev token of the runtime's data directory (`npm run token -- --role …`). */
export const devToken = (env: NodeJS.ProcessEnv, role: string, ...extra: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'local/token.ts', '--role', role, ...extra], { cwd: root, env, encoding: 'utf8' }).stdout.trim();

/** A valid POST /projects body of a standard industrial project in 汇通产业园. */
export const projectRequest = (name: string, enterpriseId = 'ent-a', siteMode: 'land' | 'lease' = 'land') => ({
  name,
  investor: { name: '端到端测试公司', enterpriseId },
  track: 'industrial',
  industry: 'equipment',
  attractionMode: 'market',
  totalInvestmentCny: 200_000_000,
  techLevel: 'standard',
  chainRole: 'none',
  park: '汇通产业园',
  siteMode,
});
