// Faults on our side are no 500 for the caller: throttling and service faults answer 503 with Retry-After and write
// nothing; lists before the reference data is loaded answer 503 saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, lambdaContext, projectBody, users } from '../support/events.ts';

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

/** The DynamoDB calls of `command` wait `ms` first — before the write gate (`outer`: not yet a write sent) or inside it. */
function delay(command: RegExp, ms: number, outer: boolean) {
  const name = `delay-${Math.random()}`;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (command.test(String(context.commandName))) await new Promise((r) => setTimeout(r, ms));
      return next(args);
    },
    { step: 'initialize', name, priority: outer ? 'high' : 'low' },
  );
  return () => ddb.middlewareStack.remove(name);
}

/** Calls the handler as Lambda does with `remainingMs` of the function's time left. */
async function callWithin(remainingMs: number, event: ReturnType<typeof apiEvent>) {
  const result = await createProject(event, { ...lambdaContext(), getRemainingTimeInMillis: () => remainingMs });
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) as Record<string, unknown> };
}

describe('a write whose outcome the store does not tell', () => {
  it('answers 503 saying the change may have been applied (outcome: unknown), not "nothing was written"', async () => {
    const undo = failNext(/^TransactWrite/, () => Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } }));
    try {
      const reply = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
      const problem = expectProblem(reply, 503);
      expect(problem.detail).toMatch(/may have been applied/);
      expect(problem.detail).not.toMatch(/nothing was written/);
      expect((reply.body as { outcome?: string }).outcome).toBe('unknown');
      expect(reply.headers['retry-after']).toBe('1');
    } finally {
      undo();
    }
  });
});

describe('a write the SDK retried after an attempt whose outcome was unknown', () => {
  it('answers outcome: unknown even when its last attempt was refused (throttled): the first may have been applied', async () => {
    const before = (await store.projects()).length;
    // Per attempt (inside the SDK's retries): the first is sent and applied, then answered with a server fault; every
    // later one is throttled without being sent.
    let attempt = 0;
    const name = `attempts-${Math.random()}`;
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        if (!/^TransactWrite/.test(String(context.commandName))) return next(args);
        attempt += 1;
        if (attempt === 1) {
          await next(args);
          throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
        }
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'deserialize', priority: 'high', name },
    );
    try {
      const reply = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: '重试项目' }) }));
      const problem = expectProblem(reply, 503);
      expect(attempt).toBeGreaterThan(1);
      expect((reply.body as { outcome?: string }).outcome).toBe('unknown');
      expect(problem.detail).not.toMatch(/nothing was written/);
    } finally {
      ddb.middlewareStack.remove(name);
    }
    // It was applied: telling the client "nothing was written" would have had it create the project twice.
    expect((await store.projects()).length).toBe(before + 1);
  });
});

describe('a request out of its time', () => {
  it('is answered 503 "nothing was written" before it writes, and never writes afterwards', async () => {
    const before = await store.snapshot();
    // The write is held back before it is sent (as a slow read before it would be) past the request's budget: 1,200
    // ms left, 1,000 kept to answer.
    const undo = delay(/^TransactWrite/, 1500, true);
    try {
      const started = Date.now();
      const reply = await callWithin(1200, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: '超时项目' }) }));
      expect(reply.status).toBe(503);
      expect(reply.body.detail).toMatch(/nothing was written/);
      expect(reply.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(1500);
      // The handler goes on in the background; its write, once released, is refused: nothing lands.
      await new Promise((r) => setTimeout(r, 1800));
    } finally {
      undo();
    }
    expect(await store.snapshot()).toEqual(before);
  });

  it('with a write under way at its deadline, is waited for and answered with what the write did', async () => {
    // Sent before the budget (100 ms) ends, answered after it — and after the time middy's own early answer took.
    const undo = delay(/^TransactWrite/, 1300, false);
    try {
      const reply = await callWithin(1100, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: '写入中项目' }) }));
      expect(reply.status).toBe(201);
      expect(await store.storedProject(String(reply.body.id))).toMatchObject({ name: '写入中项目' });
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
