// A source saved while the synth's esbuild runs (infra/function-code.ts): the bundle holds what esbuild read, the
// hashes taken after it the saved content — kept, a later synth would take the old code as current. Not kept.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Esbuild from 'esbuild';

const during = vi.hoisted(() => ({ edit: undefined as (() => void) | undefined }));
vi.mock('esbuild', async (importOriginal) => {
  const real = await importOriginal<typeof Esbuild>();
  return {
    ...real,
    buildSync: ((options: Parameters<typeof real.buildSync>[0]) => {
      const result = real.buildSync(options);
      // The editor saves after esbuild read the file, before the synth hashes it.
      during.edit?.();
      during.edit = undefined;
      return result;
    }) as typeof real.buildSync,
  };
});

const { bundleInto } = await import('../../infra/function-code.ts');
const { esbuildOptionsFor } = await import('../../infra/bundling.ts');

const root = mkdtempSync(join(tmpdir(), 'zf-function-code-race-'));
const tree = { root, cacheDir: join(root, '.cache', 'bundles') };
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string, ago = 60_000): void {
  writeFileSync(file, text);
  const at = new Date(Date.now() - ago);
  utimesSync(file, at, at);
}
mkdirSync(join(root, 'functions'), { recursive: true });
write(join(root, 'functions', 'handler.ts'), "import { word } from './word.ts';\nexport const handler = async () => word;\n");
write(join(root, 'functions', 'word.ts'), "export const word = 'first';\n");

let n = 0;
function bundle(): string {
  const out = join(root, `out-${++n}`);
  mkdirSync(out);
  bundleInto('functions/handler.ts', esbuildOptionsFor({}), out, tree);
  return readFileSync(join(out, 'index.mjs'), 'utf8');
}

describe('a source saved while its bundle is built', () => {
  it('is not taken as bundled by a later synth', () => {
    during.edit = () => writeFileSync(join(root, 'functions', 'word.ts'), "export const word = 'edited';\n");
    expect(bundle()).toContain('first');
    // The next synth bundles what the file holds now.
    expect(bundle()).toContain('edited');
  });
});
