// One runtime per store: `npm start` claims its data directory (`running.json`: its pid, and its address once it
// listens) before it touches anything, and refuses a store another live runtime holds — a second start there (with
// --fresh: one that wiped it) left the first answering 503 to everything, its DynamoDB Local's files gone. A claim left
// by a runtime that was killed (its pid dead, or now another program's) is taken over.
import { closeSync, existsSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const LOCK = 'running.json';

interface Claim {
  readonly pid: number;
  readonly startedAt: string;
  readonly base?: string;
}

/** Whether `pid` is a live `npm start` of zoneflow (not merely a live pid: pids are reused after a kill -9). */
function liveRuntime(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('local/start');
  } catch {
    // No /proc (not Linux): a live pid is taken as the runtime.
    return process.platform !== 'linux';
  }
}

function readClaim(file: string): Claim | undefined {
  try {
    const claim = JSON.parse(readFileSync(file, 'utf8')) as Claim;
    return Number.isInteger(claim.pid) ? claim : undefined;
  } catch {
    return undefined;
  }
}

export interface StoreClaim {
  /** Records where this runtime answers (for the refusal another start prints). */
  listening(base: string): void;
  /** Gives the store up (at shutdown): only a claim that is still this process's. */
  release(): void;
}

/**
 * Claims `dir` (which exists) for this process, or answers why not: another live runtime holds it. Exclusive: of two
 * starts at the same moment one claims, the other is refused (or, the first gone, takes it over).
 */
export function claimStore(dir: string, pid = process.pid): StoreClaim | { refused: string } {
  const file = join(dir, LOCK);
  const mine: Claim = { pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written whole under a name of its own, then linked into place: the claim is never seen empty, and of two starts
    // only one link succeeds.
    const draft = `${file}.${pid}.${attempt}`;
    writeJson(draft, mine);
    try {
      linkSync(draft, file);
      return {
        listening(base) {
          const claim = readClaim(file);
          if (claim?.pid === pid) replaceJson(file, { ...claim, base });
        },
        release() {
          if (readClaim(file)?.pid === pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(draft, { force: true });
    }
    const held = readClaim(file);
    if (held && liveRuntime(held.pid)) {
      return {
        refused:
          `npm start: the store ${dir} is in use by another zoneflow (pid ${held.pid}${held.base ? `, ${held.base}` : ''}, started ${held.startedAt}): ` +
          `stop it first (Ctrl-C in its terminal, or kill ${held.pid}), or give this one a store of its own (ZONEFLOW_DATA_DIR=/another/path, with PORT and DYNAMODB_PORT of its own)`,
      };
    }
    // Left by a runtime that is gone: taken over — moved aside under a name of ours, and put back if what was moved is
    // not the claim judged stale (another start took it over meanwhile and claimed).
    const aside = `${file}.stale.${pid}.${attempt}`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      continue;
    }
    const moved = readClaim(aside);
    if (moved && (!held || moved.pid !== held.pid || moved.startedAt !== held.startedAt)) {
      try {
        linkSync(aside, file);
      } catch {
        // Another claim is in place already: it stands.
      }
    }
    rmSync(aside, { force: true });
  }
  return { refused: `npm start: could not claim the store ${dir} (${LOCK} keeps coming back): is another start running there?` };
}

function writeJson(file: string, value: unknown): void {
  const fd = openSync(file, 'w');
  writeSync(fd, JSON.stringify(value));
  closeSync(fd);
}

/** Rewrites `file` whole (a temporary file renamed over it). */
function replaceJson(file: string, value: unknown): void {
  writeJson(`${file}.tmp`, value);
  renameSync(`${file}.tmp`, file);
}

/** Empties a claimed store (--fresh): everything in it but the claim. */
export function emptyStore(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name !== LOCK) rmSync(join(dir, name), { recursive: true, force: true });
}

/** Whether a TCP port on `host` is free to listen on (checked before a start touches its store). */
export function portFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
