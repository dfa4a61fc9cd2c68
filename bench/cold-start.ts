// Cold-start section of the bench: bundle every catalog handler as the CDK deploys it, then time its module init.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { TABLES } from '../functions/kernel/store/tables.ts';
import { entryOf, FUNCTIONS } from '../functions/catalog.ts';
import { esbuildOptionsFor } from '../infra/bundling.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE = 'bare';
export const TARGET_INIT_RATIO = 1.15;

/**
 * The child's whole environment: only what the deployed function gets — the tables its catalog entry grants and the
 * state machine ARN if it has workflow rights — so a handler that reads an env var it is not granted fails here as it
 * would on Lambda. Not inherited, so nothing of ours (NODE_OPTIONS, a tsx loader) changes what a fresh process does.
 */
function probeEnv(name: string): Record<string, string> {
  const spec = FUNCTIONS.find((f) => f.name === name.split('@')[0]);
  const granted = TABLES.filter((t) => spec?.tables[t.id] !== undefined);
  return {
    ...Object.fromEntries(granted.map((t) => [t.envVar, `bench-${t.id}`])),
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    ...(spec?.workflow?.length ? { STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:000000000000:stateMachine:ProjectLifecycle' } : {}),
  };
}

// Times only the import itself: node's own startup is the same for every bundle and would dilute the ratios.
// CPU time rides along as a cross-check: wall time also counts waiting for a core on the shared machine.
const PROBE = `const t0 = performance.now();
const c0 = process.cpuUsage();
await import(process.argv[1]);
const cpu = process.cpuUsage(c0);
process.stdout.write([performance.now() - t0, (cpu.user + cpu.system) / 1000].join(' '));
process.exit(0);`;

export interface Stats {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly samplesMs: readonly number[];
}

export interface HandlerResult {
  readonly name: string;
  readonly bytes: number;
  readonly sizeRatio: number;
  readonly init: Stats;
  /**
   * The verdict ratio: the median, over runs, of this handler's init time divided by the bare handler's init time
   * measured right beside it. The machine's speed drifts by tens of percent over seconds; a pair taken back to back
   * sees the same machine, so the drift cancels.
   */
  readonly initPairedRatio: number;
  /** Median of this handler's samples over the median of all bare samples: a cross-check, exposed to the drift. */
  readonly initRatio: number;
  /** CPU time of the import (all threads): excludes waiting for a core, unlike `init`. */
  readonly initCpu: Stats;
  readonly initCpuRatio: number;
  /** Largest contributors to the minified output (bytesInOutput), to see what a handler pulls in. */
  readonly topInputs: readonly { readonly path: string; readonly bytes: number }[];
}

export interface HandlersSection {
  readonly runs: number;
  readonly baseline: HandlerResult;
  readonly functions: readonly HandlerResult[];
  /** Worst initPairedRatio: the figure compared with the target. */
  readonly worstInitPairedRatio: number;
  readonly worstInitRatio: number;
  readonly worstInitCpuRatio: number;
  readonly target: number;
  /** Bundles that failed to build or import; a non-empty list makes the bench exit non-zero. */
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  /** With --against REV: the same functions built at REV (`name@rev`), timed in the same run beside the same baseline. */
  readonly against?: { readonly rev: string; readonly functions: readonly HandlerResult[]; readonly worstInitPairedRatio: number };
}

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly topInputs: HandlerResult['topInputs'];
}

export async function bundle(name: string, entry: string, outdir: string, root = ROOT): Promise<Bundle> {
  const result = await build({
    ...esbuildOptionsFor({ docs: FUNCTIONS.find((f) => f.name === name.split('@')[0])?.docs }),
    entryPoints: { index: entry },
    absWorkingDir: root,
    outdir: join(outdir, name),
    bundle: true,
    write: true,
    metafile: true,
  });
  const [file, output] = mjsOutput(result.metafile);
  const topInputs = Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  const path = join(root, file);
  return { name, file: path, bytes: (await stat(path)).size, topInputs };
}

function mjsOutput(metafile: Metafile): [string, Metafile['outputs'][string]] {
  const entry = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  if (!entry) throw new Error('esbuild produced no .mjs output');
  return entry;
}

const execFileAsync = promisify(execFile);

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One fresh node process importing the bundle; returns the import's wall and CPU time. */
async function probe(file: string, env: Record<string, string>): Promise<Sample> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--input-type=module', '--eval', PROBE, pathToFileURL(file).href],
    { env, timeout: 30_000 },
  ).catch((err: { stderr?: string; message: string }) => {
    // The child's stack trace runs through minified code; its error line is what says what went wrong.
    throw new Error(err.stderr?.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? err.message);
  });
  const [wallMs = NaN, cpuMs = NaN] = stdout.split(' ').map(Number);
  if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) throw new Error(`probe printed ${JSON.stringify(stdout)}`);
  return { wallMs, cpuMs };
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? at(0.5) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { medianMs: round(median), p90Ms: round(at(0.9)), samplesMs: samples.map((s) => round(s)) };
}

class BaselineFailed extends Error {}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).trim();

/** What the bench builds: the bare baseline and every catalog function, from the handler file its declaration names. */
export function handlerEntries(): [name: string, entry: string][] {
  return [[BARE, join(ROOT, 'bench/bare-handler.ts')], ...FUNCTIONS.map((f): [string, string] => [f.name, join(ROOT, entryOf(f.name))])];
}

/**
 * The same functions as built at an earlier commit (`name@rev`), for comparing ratios measured in one run: the commit is
 * checked out into a temporary worktree sharing this node_modules. A function's file is found where its declaration
 * says now, else at its old place (functions/<name>.ts); one that did not exist then is left out.
 */
async function entriesAt(rev: string, dir: string): Promise<{ root: string; entries: [string, string][] }> {
  const root = join(dir, 'against');
  await execFileAsync('git', ['-C', ROOT, 'worktree', 'add', '--detach', root, rev]);
  await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  const short = (await execFileAsync('git', ['-C', ROOT, 'rev-parse', '--short', rev])).stdout.trim();
  const entries: [string, string][] = [];
  for (const f of FUNCTIONS) {
    const file = [join(root, entryOf(f.name)), join(root, 'functions', `${f.name}.ts`)].find((c) => existsSync(c));
    if (file) entries.push([`${f.name}@${short}`, file]);
  }
  return { root, entries };
}

/**
 * Builds all bundles, then times `runs` fresh imports of each, round-robin, each one right beside a fresh import of the
 * bare handler (alternately before and after it): the pair sees the same machine, so its ratio is free of the drift
 * between samples.
 */
export async function measureHandlers({ runs, against }: { runs: number; against?: string }): Promise<HandlersSection> {
  const outdir = await mkdtemp(join(tmpdir(), 'zoneflow-bench-'));
  const earlier = against ? await entriesAt(against, outdir) : undefined;
  try {
    const failures: { name: string; error: string }[] = [];
    const buildAll = (entries: [string, string][], root?: string) =>
      entries.map(([name, entry]) => bundle(name, entry, outdir, root).catch((err: unknown) => void failures.push({ name, error: `build: ${message(err)}` })));
    // Earlier bundles interleave with their current twins, so each pair is timed in the same stretch of the run.
    const built = await Promise.all([...buildAll(handlerEntries()), ...(earlier ? buildAll(earlier.entries, earlier.root) : [])]);
    const order = (name: string) => (FUNCTIONS.findIndex((f) => f.name === name.split('@')[0]) + 1) * 2 + (name.includes('@') ? 1 : 0);
    built.sort((a, b) => order(a?.name ?? '') - order(b?.name ?? ''));

    const bareBundle = built.find((b) => b?.name === BARE);
    if (!bareBundle) throw new Error(`the bare baseline failed to build: ${failures.map((f) => f.error).join('; ')}`);
    let live = built.filter((b): b is Bundle => b !== undefined && b.name !== BARE);
    const samples = new Map<string, Sample[]>([[BARE, []], ...live.map((b): [string, Sample[]] => [b.name, []])]);
    /** Per handler: its sample over the bare sample taken right before it, one per run. */
    const pairs = new Map<string, { wall: number; cpu: number }[]>(live.map((b) => [b.name, []]));
    for (let run = 0; run < runs; run++) {
      // Sequential on purpose: parallel children would compete for the same cores and measure each other.
      for (const b of live) {
        // The bare import is the yardstick: if it fails, nothing can be measured.
        const bareProbe = () =>
          probe(bareBundle.file, probeEnv(BARE)).catch((err: unknown) => {
            throw new BaselineFailed(`the bare baseline failed: ${message(err)}`);
          });
        let sample: Sample;
        let base: Sample;
        try {
          // Alternate which of the pair goes first, so a first-of-two effect cannot bias every ratio the same way.
          if (run % 2 === 0) {
            base = await bareProbe();
            sample = await probe(b.file, probeEnv(b.name));
          } else {
            sample = await probe(b.file, probeEnv(b.name));
            base = await bareProbe();
          }
        } catch (err) {
          if (err instanceof BaselineFailed) throw err;
          failures.push({ name: b.name, error: `import: ${message(err)}` });
          continue;
        }
        samples.get(BARE)?.push(base);
        samples.get(b.name)?.push(sample);
        pairs.get(b.name)?.push({ wall: sample.wallMs / base.wallMs, cpu: sample.cpuMs / base.cpuMs });
      }
      live = live.filter((b) => !failures.some((f) => f.name === b.name));
    }

    const bare = bareBundle;
    const timings = (name: string) => {
      const s = samples.get(name) ?? [];
      return { init: stats(s.map((x) => x.wallMs)), initCpu: stats(s.map((x) => x.cpuMs)) };
    };
    const bareTimings = timings(BARE);
    const result = (b: Bundle): HandlerResult => {
      const { init, initCpu } = timings(b.name);
      const paired = pairs.get(b.name) ?? [];
      return {
        name: b.name,
        bytes: b.bytes,
        sizeRatio: round(b.bytes / bare.bytes, 3),
        init,
        initPairedRatio: b === bare ? 1 : round(stats(paired.map((p) => p.wall)).medianMs, 3),
        initRatio: round(init.medianMs / bareTimings.init.medianMs, 3),
        initCpu,
        initCpuRatio: b === bare ? 1 : round(stats(paired.map((p) => p.cpu)).medianMs, 3),
        topInputs: b.topInputs,
      };
    };
    const functions = live.filter((b) => !b.name.includes('@')).map(result);
    const before = live.filter((b) => b.name.includes('@')).map(result);
    return {
      runs,
      baseline: result(bare),
      functions,
      ...(against && before.length
        ? { against: { rev: before[0]!.name.split('@')[1]!, functions: before, worstInitPairedRatio: Math.max(...before.map((f) => f.initPairedRatio)) } }
        : {}),
      worstInitPairedRatio: Math.max(...functions.map((f) => f.initPairedRatio)),
      worstInitRatio: Math.max(...functions.map((f) => f.initRatio)),
      worstInitCpuRatio: Math.max(...functions.map((f) => f.initCpuRatio)),
      target: TARGET_INIT_RATIO,
      failures,
    };
  } finally {
    if (earlier) await execFileAsync('git', ['-C', ROOT, 'worktree', 'remove', '--force', earlier.root]).catch(() => undefined);
    await rm(outdir, { recursive: true, force: true });
  }
}

/** The printed table: one row per handler, the baseline first; metafile details stay in the JSON. */
export function formatHandlers(section: HandlersSection): string {
  const header = ['function', 'bundle KB', 'size ×', 'init median ms', 'init p90 ms', 'init ×', 'medians ×', 'CPU ×'];
  const rows = [section.baseline, ...section.functions.flatMap((f) => [f, ...(section.against?.functions.filter((e) => e.name.split('@')[0] === f.name) ?? [])])].map((r) => [
    r.name,
    (r.bytes / 1024).toFixed(1),
    r.sizeRatio.toFixed(2),
    r.init.medianMs.toFixed(1),
    r.init.p90Ms.toFixed(1),
    r.initPairedRatio.toFixed(2),
    r.initRatio.toFixed(2),
    r.initCpuRatio.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const worst = section.functions.find((f) => f.initPairedRatio === section.worstInitPairedRatio);
  const worstMedians = section.functions.find((f) => f.initRatio === section.worstInitRatio);
  const worstCpu = section.functions.find((f) => f.initCpuRatio === section.worstInitCpuRatio);
  const verdict = section.worstInitPairedRatio <= section.target ? 'meets' : 'misses';
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `init ×: median over ${section.runs} runs of (handler init ÷ bare init measured right beside it, alternating which goes first); medians ×: ratio of the ` +
      'two medians (exposed to the machine drifting between samples); CPU ×: paired, on CPU time instead of wall time',
    `worst init ratio: ${section.worstInitPairedRatio.toFixed(2)}× (${worst?.name ?? '?'}) — ${verdict} the target ≤ ${section.target}×`,
    `cross-checks: worst medians × ${section.worstInitRatio.toFixed(2)} (${worstMedians?.name ?? '?'}), ` +
      `worst CPU × ${section.worstInitCpuRatio.toFixed(2)} (${worstCpu?.name ?? '?'})`,
    ...(section.against
      ? [
          `against ${section.against.rev} (same run, same baseline): worst init ratio then ${section.against.worstInitPairedRatio.toFixed(2)}×, now ` +
            `${section.worstInitPairedRatio.toFixed(2)}×; per function now − then: ` +
            section.functions
              .map((f) => {
                const then = section.against?.functions.find((e) => e.name.split('@')[0] === f.name);
                return then ? `${f.name} ${(f.initPairedRatio - then.initPairedRatio >= 0 ? '+' : '') + (f.initPairedRatio - then.initPairedRatio).toFixed(2)}` : `${f.name} (new)`;
              })
              .join(', '),
        ]
      : []),
    ...section.failures.map((f) => `FAILED ${f.name}: ${f.error}`),
  ].join('\n');
}
