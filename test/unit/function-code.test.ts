// The synth's bundles kept across synths (infra/function-code.ts): taken while every file esbuild read is unchanged,
// built again when one changes, when a file appears under functions/ (an import may now resolve to it) or the options
// change — on a small tree of its own, with the real esbuild.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleInto } from '../../infra/function-code.ts';
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
