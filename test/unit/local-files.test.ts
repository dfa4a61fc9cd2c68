// The local store's own files (the dev signing key, the business clock) survive a process killed while writing them:
// `npm start` writes them whole (local/files.ts), so the next start reads the file as it was, or finds none — never
// half of one, on which every later start stopped with a SyntaxError. The kill is simulated: the write of such a file
// gets half its text onto the disk, then the process "dies" (the write throws).
import type * as NodeFs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync as realWrite } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const killedWriting = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return {
    ...fs,
    writeFileSync: (file: Parameters<typeof fs.writeFileSync>[0], data: string, options?: Parameters<typeof fs.writeFileSync>[2]) => {
      if ([...killedWriting].some((name) => String(file).includes(name))) {
        fs.writeFileSync(file, data.slice(0, Math.floor(data.length / 2)), options);
        throw new Error('killed while writing');
      }
      return fs.writeFileSync(file, data, options);
    },
  };
});

const { loadKeys, loadOrCreateKeys } = await import('../../local/auth.ts');
const { writeWhole } = await import('../../local/files.ts');

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local store files, written whole', () => {
  it('a start killed while writing its new signing key leaves none: the next start makes one and starts', async () => {
    const store = join(dir, 'keys');
    killedWriting.add('dev-keys.json');
    await expect(loadOrCreateKeys(store)).rejects.toThrow('killed while writing');
    killedWriting.delete('dev-keys.json');
    expect(() => loadKeys(store)).not.toThrow();
    expect(loadKeys(store)).toBeUndefined();
    const keys = await loadOrCreateKeys(store);
    expect(loadKeys(store)).toEqual(keys);
  });

  it('a clock written again at a start killed meanwhile is the clock as it was', () => {
    const file = join(dir, 'clock.json');
    const kept = { start: '2026-06-01T01:00:00Z', scale: '3600', anchorMs: 1_796_502_703_949 };
    realWrite(file, JSON.stringify(kept));
    killedWriting.add('clock.json');
    expect(() => writeWhole(file, JSON.stringify({ ...kept, anchorMs: 1_796_600_000_000 }))).toThrow('killed while writing');
    killedWriting.delete('clock.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(kept);
    writeWhole(file, JSON.stringify({ ...kept, anchorMs: 1 }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...kept, anchorMs: 1 });
  });
});
