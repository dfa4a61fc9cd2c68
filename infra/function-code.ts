// A function's code asset: its handler bundled by esbuild inside the synth's own process (no esbuild process spawned a
// function, as NodejsFunction does) with the options the cold-start benchmark measures (bundling.ts), and kept in
// .cache/bundles: a synth of an unchanged tree takes the bundle an earlier synth built — `npm test` synthesizes twice
// (the infra test, then `cdk synth`), and a developer's synth after a synth. A kept bundle is taken only when every file
// esbuild read for it (its metafile: sources and node_modules alike) is as it was, and the options, the entry, esbuild's
// version, the lock file, package.json, tsconfig.json and the names of the files under functions/ (a new file can
// change what an import resolves to) are the same. A bundle one of whose inputs was written while esbuild ran is not kept.
// A kept bundle no synth has used for KEEP_UNUSED_DAYS is removed (each changed tree adds a set: 93 MB for all 75).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from './paths.ts';

/** Where a bundle is built from and kept (the project; a test passes a tree of its own). */
export interface BundleTree {
  readonly root: string;
  readonly cacheDir: string;
}
const PROJECT: BundleTree = { root: PROJECT_ROOT, cacheDir: join(PROJECT_ROOT, '.cache', 'bundles') };
/** The files of a bundle, as Lambda runs it (handler `index.handler`) with its source map beside it. */
const FILES = ['index.mjs', 'index.mjs.map'];

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A file's content hash, `absent` for one not on disk (an input esbuild made up: never kept unread). */
const contentHash = (root: string, file: string) => (existsSync(join(root, file)) ? sha(readFileSync(join(root, file))) : 'absent');

/**
 * A file changed this long before the build began, or later, may have changed after esbuild read it: its hash, taken
 * after the build, may not be of what the bundle holds (file times lag the clock by a tick on some file systems).
 */
const SETTLE_MS = 1_000;

/** Whether an input may have changed after esbuild read it (written since the build began): such a bundle is not kept. */
const unsettled = (root: string, file: string, began: number) => existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs > began - SETTLE_MS;

/** What every bundle of a tree shares: esbuild, the lock file, package.json, tsconfig.json, the names under functions/. */
function treeKey(root: string): string {
  const names = existsSync(join(root, 'functions')) ? (readdirSync(join(root, 'functions'), { recursive: true }) as string[]).sort() : [];
  const read = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file)) : '');
  return sha([esbuildVersion, sha(read('package-lock.json')), sha(read('package.json')), sha(read('tsconfig.json')), names.join('\n')].join('\n'));
}

interface Kept {
  /** Every file esbuild read (relative to the project root) with its content's hash. */
  readonly inputs: Record<string, string>;
}

/** Whether `dir` holds a kept bundle whose every input is unchanged. */
function kept(root: string, dir: string): boolean {
  try {
    const { inputs } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')) as Kept;
    return FILES.every((f) => existsSync(join(dir, f))) && Object.entries(inputs).every(([file, hash]) => contentHash(root, file) === hash);
  } catch {
    return false;
  }
}

/** A kept bundle unused this long is removed; so is a staging directory left by a synth stopped this long ago. */
export const KEEP_UNUSED_DAYS = 14;
const STALE_STAGING_MS = 3_600_000;

/** Marks a kept bundle used now (its directory's time), so pruning leaves it. */
function markUsed(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // Removed meanwhile by another synth's pruning: built again next time.
  }
}

const pruned = new Set<string>();
/**
 * Once a process per cache: removes the kept bundles no synth has used for KEEP_UNUSED_DAYS, and staging directories
 * left by a synth stopped part-way. A bundle in use by a synth running beside it was marked used when taken or kept.
 */
function prune(cacheDir: string, now = Date.now()): void {
  if (pruned.has(cacheDir)) return;
  pruned.add(cacheDir);
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(cacheDir, name);
    try {
      const age = now - statSync(dir).mtimeMs;
      if (age > (name.endsWith('.tmp') ? STALE_STAGING_MS : KEEP_UNUSED_DAYS * 86_400_000)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone meanwhile.
    }
  }
}

/** Bundles `entry` (relative to the project root) into `outputDir` (index.mjs and its map), from the cache when it holds this bundle unchanged. */
export function bundleInto(entry: string, options: BuildOptions, outputDir: string, { root, cacheDir }: BundleTree = PROJECT): void {
  prune(cacheDir);
  const dir = join(cacheDir, sha([treeKey(root), entry, JSON.stringify(options)].join('\n')));
  if (kept(root, dir)) {
    try {
      for (const f of FILES) cpSync(join(dir, f), join(outputDir, f));
      markUsed(dir);
      return;
    } catch {
      // Replaced meanwhile by another synth: built below.
    }
  }
  // Built beside the cache entry, then put in place whole: a synth stopped mid-way leaves no half bundle to take.
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const began = Date.now();
  const result = buildSync({ ...options, entryPoints: [join(root, entry)], outfile: join(staging, 'index.mjs'), absWorkingDir: root, metafile: true, logLevel: 'warning' });
  const files = Object.keys(result.metafile!.inputs);
  const inputs = Object.fromEntries(files.map((file) => [file, contentHash(root, file)]));
  writeFileSync(join(staging, 'inputs.json'), JSON.stringify({ inputs } satisfies Kept));
  for (const f of FILES) cpSync(join(staging, f), join(outputDir, f));
  // An input written while esbuild ran (an editor saving mid-synth): the hashes may be of content the bundle does not
  // hold, and a later synth would take that bundle as current. Used for this synth only, not kept.
  if (files.some((file) => unsettled(root, file, began))) {
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    markUsed(dir);
  } catch {
    // Another synth put the same bundle there first: keep it.
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * esbuild in the synth's process. Its fields are data on purpose: CDK keeps one staged asset per distinct bundling
 * options within a synth (compared as JSON, where `tryBundle` does not show), so the entry and the options must.
 */
class LocalEsbuild implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly options: BuildOptions,
  ) {}

  tryBundle(outputDir: string): boolean {
    bundleInto(this.entry, this.options, outputDir);
    return true;
  }
}

/** The code asset of a function whose handler `entry` exports (bundled as bundleInto says; hashed by its output). */
export function functionCode(entry: string, options: BuildOptions): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local bundling always bundles (an esbuild error fails the synth, as it should).
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: new LocalEsbuild(relative(PROJECT_ROOT, entry), options),
    },
  });
}
