// Faults on our side are no 500 for the caller: throttling and service faults answer 503 with Retry-After and write
// nothing; lists before the reference data is loaded answer 503 saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('service-faults');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

/** The next DynamoDB call of `command` fails as `make` says (installed on the handlers' own client). */
function failNext(command: RegExp, make: () => Error) {
  let armed = true;
  const name = `fail-${Math.random()}`;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (armed && command.test(String(context.commandName))) {
        armed = false;
        throw make();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => ddb.middlewareStack.remove(name);
}

describe('throttling and service faults', () => {
  it('answer 503 with Retry-After, and write nothing', async () => {
    const before = await store.snapshot();
    const undo = failNext(/^TransactWrite/, () => Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    try {
      const reply = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
      expect(expectProblem(reply, 503).detail).toMatch(/Retry/);
      expect(reply.headers['retry-after']).toBe('1');
    } finally {
      undo();
    }
    expect(await store.snapshot()).toEqual(before);
  });

  it('a transaction cancelled because it was throttled is a transient fault, not a bare cancellation', async () => {
    const { isTransient } = await import('../../functions/kernel/runtime/faults.ts');
    const { insertProject } = await import('../../functions/projects/store/projects.ts');
    const { createProject: build } = await import('../../functions/projects/domain/project.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const project = build(projectBody() as never, users.investmentOfficer, DEFAULT_CONFIG.classification, { id: 'prj-throttled-1', now: new Date() });
    const undo = failNext(/^TransactWrite/, () =>
      Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ThrottlingError' }] }),
    );
    try {
      const err = await transact([...insertProject(project)]).catch((e: unknown) => e);
      expect(isTransient(err)).toBe(true);
    } finally {
      undo();
    }
  });
});

describe('lists before the reference data is loaded', () => {
  it('answer 503 saying what is missing, not 500', async () => {
    for (let i = 0; i < 3; i++) expect((await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: `项目${i}` }) }))).status).toBe(201);
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'SECRET', sk: 'cursor-key' } }));
    const reply = await call(listProjects, apiEvent('GET /projects', { as: users.committeeLeader, query: { limit: '1' } }));
    expect(expectProblem(reply, 503).detail).toMatch(/reference data/);
  });
});
