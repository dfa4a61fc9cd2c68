// The synth's bundles kept across synths (infra/function-code.ts): taken while every file esbuild read is unchanged,
// built again when one changes, when a file appears under functions/ (an import may now resolve to it) or the options
// change — on a small tree of its own, with the real esbuild.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleInto, KEEP_UNUSED_DAYS } from '../../infra/function-code.ts';
import { esbuildOptionsFor } from '../../infra/bundling.ts';

const root = mkdtempSync(join(tmpdir(), 'zf-function-code-'));
const tree = { root, cacheDir: join(root, '.cache', 'bundles') };
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a source a minute ago (one written while a bundle is built is not kept: function-code.ts). */
function write(file: string, text: string): void {
  writeFileSync(file, text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

mkdirSync(join(root, 'functions'), { recursive: true });
write(join(root, 'functions', 'handler.ts'), "import { word } from './word.ts';\nexport const handler = async () => word;\n");
write(join(root, 'functions', 'word.ts'), "export const word = 'first';\n");

let n = 0;
/** Bundles the handler into a fresh output directory; its index.mjs. */
function bundle(options = esbuildOptionsFor({})): string {
  const out = join(root, `out-${++n}`);
  mkdirSync(out);
  bundleInto('functions/handler.ts', options, out, tree);
  readFileSync(join(out, 'index.mjs.map'));
  return readFileSync(join(out, 'index.mjs'), 'utf8');
}
/** Marks every kept bundle, so a bundle taken from the cache shows it. */
function markKept(): void {
  for (const dir of readdirSync(tree.cacheDir)) writeFileSync(join(tree.cacheDir, dir, 'index.mjs'), '/* kept */');
}

describe('bundles kept across synths', () => {
  it('takes a kept bundle while its inputs are unchanged, and builds again when one changes', () => {
    expect(bundle()).toContain('first');
    markKept();
    expect(bundle()).toBe('/* kept */');
    // An input changed: built again, with the change.
    write(join(root, 'functions', 'word.ts'), "export const word = 'second';\n");
    expect(bundle()).toContain('second');
    // Other options (the API description's bundle): a bundle of their own.
    markKept();
    expect(bundle(esbuildOptionsFor({ docs: true }))).toContain('second');
    // A file appears under functions/ (an import may resolve to it now): built again.
    markKept();
    expect(bundle()).toBe('/* kept */');
    write(join(root, 'functions', 'new.ts'), 'export {};\n');
    expect(bundle()).toContain('second');
  });
});

describe('kept bundles are pruned', () => {
  /** A directory in the cache last used `ms` ago. */
  function aged(cacheDir: string, name: string, ms: number): string {
    const dir = join(cacheDir, name);
    mkdirSync(dir, { recursive: true });
    const then = new Date(Date.now() - ms);
    utimesSync(dir, then, then);
    return dir;
  }
  const DAY = 86_400_000;

  it('removes the bundles unused for KEEP_UNUSED_DAYS and stale staging directories, and keeps the rest', () => {
    const cacheDir = join(root, '.cache', 'pruned');
    const old = aged(cacheDir, 'a'.repeat(64), (KEEP_UNUSED_DAYS + 1) * DAY);
    const recent = aged(cacheDir, 'b'.repeat(64), (KEEP_UNUSED_DAYS - 1) * DAY);
    const staleStaging = aged(cacheDir, `${'c'.repeat(64)}.1.tmp`, 2 * 3_600_000);
    const liveStaging = aged(cacheDir, `${'d'.repeat(64)}.2.tmp`, 60_000);
    const out = join(root, `out-${++n}`);
    mkdirSync(out);
    bundleInto('functions/handler.ts', esbuildOptionsFor({}), out, { root, cacheDir });
    expect([existsSync(old), existsSync(recent), existsSync(staleStaging), existsSync(liveStaging)]).toEqual([false, true, false, true]);
    // The bundle just built is kept, dated now.
    const built = readdirSync(cacheDir).filter((d) => ![recent, liveStaging].includes(join(cacheDir, d)));
    expect(built).toHaveLength(1);
    expect(Date.now() - statSync(join(cacheDir, built[0]!)).mtimeMs).toBeLessThan(DAY);
  });

  it('marks a kept bundle used when a synth takes it', () => {
    const cacheDir = join(root, '.cache', 'taken');
    const options = esbuildOptionsFor({});
    const first = join(root, `out-${++n}`);
    mkdirSync(first);
    bundleInto('functions/handler.ts', options, first, { root, cacheDir });
    const [dir] = readdirSync(cacheDir);
    const then = new Date(Date.now() - (KEEP_UNUSED_DAYS - 1) * DAY);
    utimesSync(join(cacheDir, dir!), then, then);
    const second = join(root, `out-${++n}`);
    mkdirSync(second);
    bundleInto('functions/handler.ts', options, second, { root, cacheDir });
    expect(readdirSync(cacheDir)).toEqual([dir]);
    expect(Date.now() - statSync(join(cacheDir, dir!)).mtimeMs).toBeLessThan(DAY);
  });
});
