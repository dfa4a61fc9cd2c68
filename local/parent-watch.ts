// A child process of `npm start` that must not outlive it. Its stdin is a pipe from `npm start`, which nobody writes
// and only `npm start` holds open: when that process is gone — a kill -9 included, which no handler sees — the pipe's
// end reaches the child at once. Without it an
// orphaned child ran on until its next write to a closed stderr (the demo's month: ~0.4 s, telling the demo marker it
// had got further than the store, which stopped with `npm start`).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { projectRoot } from './paths.ts';

/**
 * A TypeScript file of this project run in a process of its own (Node loading tsx, as `npm start` runs: tsx's cli in
 * between would SIGKILL a child whose busy loop did not acknowledge a relayed Ctrl-C within 30 ms, cutting the stop it
 * makes), watching for its parent's end.
 */
export function spawnWatchedChild(script: string, env: NodeJS.ProcessEnv): ChildProcessByStdio<Writable, Readable, Readable> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  // Nothing is ever written: the pipe is held open until this process ends. A child gone first is no error here.
  child.stdin.on('error', () => undefined);
  return child;
}

/** Calls `gone` once when the parent's stdin pipe ends (or fails). For a child started by spawnWatchedChild. */
export function whenParentGone(gone: () => void, stdin: NodeJS.ReadableStream = process.stdin): void {
  let told = false;
  const once = () => {
    if (told) return;
    told = true;
    gone();
  };
  stdin.on('end', once);
  stdin.on('close', once);
  stdin.on('error', once);
  // Read (and drop) whatever comes, so the 'end' is seen; nothing is ever written.
  stdin.on('data', () => undefined);
  stdin.resume();
}
