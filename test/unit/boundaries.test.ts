// The module boundaries are enforced by lint (eslint.boundaries.js, part of `npm test`): each rule is shown failing on
// a real file of the tree given one forbidden import, and passing on the file as it is.
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The boundary messages ESLint reports for `file` with `prepend` added at its top (the rest of its text unchanged). */
async function boundaryErrors(file: string, prepend = ''): Promise<string[]> {
  const text = prepend + readFileSync(file, 'utf8');
  const [result] = await eslint.lintText(text, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// The first case builds ESLint's typed program (cold): over a minute with other test runs on the machine.
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
