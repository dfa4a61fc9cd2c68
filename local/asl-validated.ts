// The embedded runner's check of a state machine definition — paths and ARNs checked, as aws-local-stepfunctions does by
// default, but with the project's own asl-validator (4.x, the one test/unit/asl.test.ts uses) rather than the 3.x copy
// the library bundles — made once per definition on this machine: a definition that passed is
// recorded in .cache/ by the digest of its text and the validator's version, and a later process building the same
// runner skips the validator. It compiles its JSON schemas on first use, 2–4 s of CPU in every process that built the
// runner — each lifecycle test file (its own process) and each e2e runtime paid it for the same two definitions. A
// definition that fails is refused every time, and never recorded; one that changed is checked anew.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// @ts-expect-error asl-validator ships no type declarations
import aslValidator from 'asl-validator';
import { projectRoot } from './paths.ts';

export type AslValidate = (definition: unknown, opts: { checkPaths: boolean; checkArn: boolean }) => { isValid: boolean; errorsText: (separator?: string) => string };

const OPTIONS = { checkPaths: true, checkArn: true } as const;
const DEFAULT_DIR = join(projectRoot, '.cache', 'asl-validated');

/** The validator's version: a newer one may refuse what this one passed, so it is part of the digest. */
function validatorVersion(): string | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('asl-validator/package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Throws the validator's errors unless `definition` is valid ASL; validates only when no earlier check of this very
 * definition (same text, same validator version) passed in `dir`. Without a known validator version it always validates.
 */
export function ensureValidAsl(definition: unknown, opts: { dir?: string; validate?: AslValidate; version?: string } = {}): void {
  const validate = opts.validate ?? (aslValidator as AslValidate);
  const version = opts.version ?? validatorVersion();
  const dir = opts.dir ?? DEFAULT_DIR;
  const digest = version ? createHash('sha256').update(`asl-validator@${version}\n${JSON.stringify(OPTIONS)}\n${JSON.stringify(definition)}`).digest('hex') : undefined;
  const marker = digest ? join(dir, digest) : undefined;
  if (marker && existsSync(marker)) return;
  // A copy: the validator writes each state's QueryLanguage into what it is given.
  const { isValid, errorsText } = validate(structuredClone(definition), { ...OPTIONS });
  if (!isValid) throw new Error(`State machine definition is invalid, see error(s) below:\n ${errorsText('\n')}`);
  if (!marker) return;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // A read-only checkout validates every time, as before.
  }
}
