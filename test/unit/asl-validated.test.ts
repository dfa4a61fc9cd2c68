// The runner's ASL check is made once per definition on a machine: a definition that passed is not validated again by
// a later process (each lifecycle test file is one), one that failed is refused every time and never recorded, and a
// changed definition or validator version is validated anew.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureValidAsl, type AslValidate } from '../../local/asl-validated.ts';
import { loadDefinition } from '../../local/workflow-runner.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const cacheDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-validated-'));
  dirs.push(dir);
  return dir;
};

/** A validator that counts its calls and passes or fails every definition as told. */
function counting(valid: boolean) {
  const calls: unknown[] = [];
  const validate: AslValidate = (definition) => {
    calls.push(definition);
    return { isValid: valid, errorsText: () => 'States.Oops: no such state' };
  };
  return { calls, validate };
}

const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

describe('ensureValidAsl', () => {
  it('validates a definition once: a later process with the same cache skips the validator', () => {
    const dir = cacheDir();
    const first = counting(true);
    ensureValidAsl(definition, { dir, validate: first.validate, version: '4.0.0' });
    expect(first.calls).toHaveLength(1);
    const later = counting(true);
    ensureValidAsl(structuredClone(definition), { dir, validate: later.validate, version: '4.0.0' });
    expect(later.calls).toHaveLength(0);
  });

  it('refuses an invalid definition with the validator’s errors every time, and records nothing', () => {
    const dir = cacheDir();
    const invalid = counting(false);
    for (let i = 0; i < 2; i++) expect(() => ensureValidAsl(definition, { dir, validate: invalid.validate, version: '4.0.0' })).toThrow(/definition is invalid[\s\S]*States\.Oops/);
    expect(invalid.calls).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('validates anew a changed definition, or the same under another validator version', () => {
    const dir = cacheDir();
    ensureValidAsl(definition, { dir, validate: counting(true).validate, version: '4.0.0' });
    const changed = counting(true);
    ensureValidAsl({ ...definition, States: { A: { Type: 'Succeed' } } }, { dir, validate: changed.validate, version: '4.0.0' });
    ensureValidAsl(definition, { dir, validate: changed.validate, version: '4.1.0' });
    expect(changed.calls).toHaveLength(2);
  });

  it('validates every time when the validator’s version is unknown', () => {
    const dir = cacheDir();
    const unknown = counting(true);
    ensureValidAsl(definition, { dir, validate: unknown.validate, version: '' });
    ensureValidAsl(definition, { dir, validate: unknown.validate, version: '' });
    expect(unknown.calls).toHaveLength(2);
  });

  it('gives the validator a copy (it writes QueryLanguage into each state), so the runner’s definition is unchanged', () => {
    const asl = loadDefinition('lifecycle');
    const before = JSON.stringify(asl);
    ensureValidAsl(asl, { dir: cacheDir() });
    expect(JSON.stringify(asl)).toBe(before);
  }, 60_000);

  it('passes both real machines with the real validator, and refuses one with a dangling Next', () => {
    const dir = cacheDir();
    ensureValidAsl(loadDefinition('lifecycle'), { dir });
    ensureValidAsl(loadDefinition('exit'), { dir });
    expect(readdirSync(dir)).toHaveLength(2);
    const broken = loadDefinition('exit');
    const [first] = Object.values(broken.States);
    first!.Next = 'NoSuchState';
    expect(() => ensureValidAsl(broken, { dir })).toThrow(/definition is invalid/);
    expect(readdirSync(dir)).toHaveLength(2);
  }, 60_000);
});
