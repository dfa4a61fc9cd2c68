// The module boundaries are enforced by lint (eslint.boundaries.js, part of `npm test`): each rule is shown failing on
// a real file of the tree given one forbidden import, and passing on the file as it is. The rules are run as
// eslint.boundaries.js states them, with the TypeScript parser and no type information (the project's whole lint builds
// a typed program first: over a minute of this file's time with other test runs on the machine, for rules that read
// import strings); that the project's lint applies exactly these rules to each file is checked apart.
import { readFileSync } from 'node:fs';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.boundaries.js';

const rulesOnly = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...boundaries] });

/** The boundary messages ESLint reports for `file` with `prepend` added at its top (the rest of its text unchanged). */
async function boundaryErrors(file: string, prepend = ''): Promise<string[]> {
  const text = prepend + readFileSync(file, 'utf8');
  const [result] = await rulesOnly.lintText(text, { filePath: file });
  expect(result!.messages.filter((m) => m.fatal), file).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the project lint (eslint.config.js)', () => {
  it('applies the boundary rules of eslint.boundaries.js to each kind of file, as stated there', async () => {
    const project = new ESLint({ cwd: process.cwd() });
    const files = ['functions/projects/domain/production.ts', 'functions/lifecycle/store/stage.ts', 'functions/lifecycle/http/complete-task.ts', 'functions/lifecycle/steps/register-wait.ts', 'functions/kernel/http/route.ts'];
    for (const file of files) {
      const inForce = ((await project.calculateConfigForFile(file)) as { rules: Record<string, unknown> }).rules['no-restricted-imports'];
      const stated = ((await rulesOnly.calculateConfigForFile(file)) as { rules: Record<string, unknown> }).rules['no-restricted-imports'];
      expect(stated, file).toBeDefined();
      expect(inForce, file).toEqual(stated);
    }
  });
});

describe('module boundaries (lint)', { timeout: 180_000 }, () => {
  it.each([
    ['a domain importing a store', 'functions/projects/domain/production.ts', "import { loadProject } from '#projects/store/projects.ts';\nvoid loadProject;\n", /The domain imports only the domain/],
    ['a domain importing the DynamoDB SDK', 'functions/lifecycle/domain/schedule.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';\nvoid GetCommand;\n", /pure TypeScript/],
    ['a domain importing HTTP code', 'functions/lifecycle/domain/gate.ts', "import { route } from '#kernel/http/route.ts';\nvoid route;\n", /The domain imports only the domain/],
    ['a domain importing the notifier adapter', 'functions/lifecycle/domain/review.ts', "import { noticeOps } from '#notifications/notifier.ts';\nvoid noticeOps;\n", /The domain imports only the domain/],
    ['a store importing HTTP code', 'functions/lifecycle/store/stage.ts', "import { route } from '#kernel/http/route.ts';\nvoid route;\n", /A store does not import HTTP/],
    ['a handler importing the DynamoDB client', 'functions/lifecycle/http/complete-task.ts', "import { transact } from '#kernel/store/client.ts';\nvoid transact;\n", /A handler does not use the DynamoDB client/],
    ['a workflow step importing the DynamoDB SDK', 'functions/lifecycle/steps/register-wait.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';\nvoid GetCommand;\n", /A handler does not use the DynamoDB client/],
    ['the kernel importing a module', 'functions/kernel/http/route.ts', "import { loadProject } from '#projects/store/projects.ts';\nvoid loadProject;\n", /The kernel imports no module/],
    ['the kernel importing a module still to come', 'functions/kernel/store/client.ts', "import { x } from '#inventory/domain/parcel.ts';\nvoid x;\n", /The kernel imports no module/],
  ])('fails on %s', async (_, file, prepend, message) => {
    expect(await boundaryErrors(file)).toEqual([]);
    const errors = await boundaryErrors(file, prepend);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});
