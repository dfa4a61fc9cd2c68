// The simulation's meter (bench/sim/meter.ts) without DynamoDB: item sizes as DynamoDB counts them, capacity read from
// responses by the command's kind, TransactWriteItems and refused writes priced as AWS bills them, the runtime hook
// counting invocations, durations, capacity and log bytes per function, and project-years.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMeter, itemBytes, projectYears, Usage, waits, writeUnits } from '../../bench/sim/meter.ts';

const usage = () =>
  new Usage([
    { physical: 'zf-projects', id: 'projects', keys: ['pk', 'sk'], indexes: [{ name: 'byStage', keys: ['gsiStage'] }, { name: 'byTally', keys: ['gsiTally'], keysOnly: true }] },
  ]);

describe('item sizes', () => {
  it('counts names and UTF-8 strings in bytes: a Chinese character is three', () => {
    expect(itemBytes({ pk: 'ab' })).toBe(3 + 1 + 2 + 2);
    expect(itemBytes('项目')).toBe(6);
  });
  it('counts numbers by their digits, booleans and null as one byte, lists and maps with their overhead', () => {
    expect(itemBytes(12345)).toBe(4);
    expect(itemBytes(true)).toBe(1);
    expect(itemBytes(null)).toBe(1);
    expect(itemBytes(['a', 'b'])).toBe(3 + 2 + 2);
  });
  it('counts a number by its digits, without sign, point or exponent; sums nested lists, maps and sets', () => {
    expect(itemBytes(-12345)).toBe(4);
    expect(itemBytes(12.5)).toBe(3);
    expect(itemBytes(1.5e-7)).toBe(2);
    expect(itemBytes(10n ** 30n)).toBe(17);
    expect(itemBytes({ a: [1, 'xy', { b: null }], s: new Set(['ab', 'c']) })).toBe(3 + (1 + 1 + (3 + (1 + 2) + (1 + 2) + (1 + (3 + 1 + 1 + 1)))) + (1 + 1 + 3));
  });
  it('prices writes per KB begun, at least one unit, doubled in a transaction', () => {
    expect(writeUnits(10, false)).toBe(1);
    expect(writeUnits(1024, false)).toBe(1);
    expect(writeUnits(1025, false)).toBe(2);
    expect(writeUnits(5000, true)).toBe(10);
  });
});

describe('capacity from responses', () => {
  it('adds a read’s ConsumedCapacity to reads and a write’s to writes, per logical table', () => {
    const u = usage();
    u.answered('GetItemCommand', { TableName: 'zf-projects' }, { ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 0.5 } });
    u.answered('QueryCommand', { TableName: 'zf-projects' }, { ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 2 } });
    u.answered('PutItemCommand', { TableName: 'zf-projects', Item: { pk: 'a', sk: 'b' } }, { ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 3 } });
    u.answered('BatchGetItemCommand', { RequestItems: {} }, { ConsumedCapacity: [{ TableName: 'zf-projects', CapacityUnits: 1.5 }] });
    expect(u.tables.get('projects')).toEqual({ readUnits: 4, writeUnits: 3, reads: 3, writes: 1, refusedWriteUnits: 0, indexWriteUnits: 0 });
  });
  it('ignores commands that are not billed as reads or writes', () => {
    const u = usage();
    u.answered('DescribeTableCommand', {}, { ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 9 } });
    expect(u.tables.size).toBe(0);
  });
  it('prices a TransactWriteItems at 2 units per KB of each item: puts by their size, updates by the size last seen of the key', () => {
    const u = usage();
    const big = { pk: 'p1', sk: 'PROJECT', doc: 'x'.repeat(3000) };
    u.answered('GetItemCommand', { TableName: 'zf-projects' }, { Item: big, ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 0.5 } });
    const by = { fn: 'complete-task', readUnits: 0, writeUnits: 0, logBytes: 0, calls: [], refusedWrites: 0, transactionItems: [] };
    u.answered(
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } },
          { Put: { TableName: 'zf-projects', Item: { pk: 'p1', sk: 'EVENT#1', a: 1 } } },
          { ConditionCheck: { TableName: 'zf-projects', Key: { pk: 'unseen', sk: 'x' } } },
        ],
      },
      { ConsumedCapacity: [{ TableName: 'zf-projects', CapacityUnits: 4 }] },
      by,
    );
    // 3 KB project: 3 × 2; the small event: 1 × 2; an item never seen: 1 KB assumed, × 2. Local's flat 4 is ignored.
    expect(u.tables.get('projects')?.writeUnits).toBe(6 + 2 + 2);
    expect(by.writeUnits).toBe(10);
  });
  it('adds the index writes of a transactional write: an entry put, rewritten, moved (old and new) or removed; a keys-only entry that keeps its key is not written', () => {
    const u = usage();
    const project = { pk: 'p1', sk: 'PROJECT', gsiStage: 'SIGNING', gsiTally: 't', doc: 'x'.repeat(1500) };
    const tw = (...items: Record<string, unknown>[]) => u.answered('TransactWriteItemsCommand', { TransactItems: items }, {});
    // New item: the table 2 × 2 KB, the ALL index its 2 KB once, the KEYS_ONLY index its keys (1 unit).
    tw({ Put: { TableName: 'zf-projects', Item: project } });
    expect(u.tables.get('projects')).toMatchObject({ writeUnits: 4 + 2 + 1, indexWriteUnits: 3 });
    // Replaced with another stage: the byStage entry moves (old and new); byTally keeps its key and projects keys only,
    // so DynamoDB does not write it.
    tw({ Put: { TableName: 'zf-projects', Item: { ...project, gsiStage: 'LANDING' } } });
    expect(u.tables.get('projects')?.indexWriteUnits).toBe(3 + 2 + 2);
    // Replaced with another tally key: the keys-only entry moves too (old and new, 1 unit each).
    tw({ Put: { TableName: 'zf-projects', Item: { ...project, gsiStage: 'LANDING', gsiTally: 'u' } } });
    expect(u.tables.get('projects')?.indexWriteUnits).toBe(7 + 2 + 1 + 1);
    // Updated: taken to keep its index keys — the ALL entry rewritten once, the keys-only one not at all.
    tw({ Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } });
    expect(u.tables.get('projects')?.indexWriteUnits).toBe(11 + 2);
    // Deleted: each entry removed, and the item forgotten (a later update counts 1 KB, no index).
    tw({ Delete: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } });
    tw({ Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } });
    expect(u.tables.get('projects')).toMatchObject({ indexWriteUnits: 13 + 3, writeUnits: 7 + 8 + 8 + 6 + 7 + 2 });
  });
  it('tells apart which included attribute holds a value: one moving to another is a change', () => {
    const u = new Usage([{ physical: 'zf-projects', id: 'projects', keys: ['pk', 'sk'], indexes: [{ name: 'byPark', keys: ['gsiPark'], include: ['a', 'b'] }] }]);
    const tw = (item: Record<string, unknown>) => u.answered('TransactWriteItemsCommand', { TransactItems: [{ Put: { TableName: 'zf-projects', Item: { pk: 'p', sk: 'P', gsiPark: 'A', ...item } } }] }, {});
    tw({ a: 'x' });
    tw({ b: 'x' });
    expect(u.tables.get('projects')!.indexWriteUnits).toBe(2);
  });
  it('rewrites an INCLUDE entry that keeps its key only when an included attribute changes (by a put, or an update that sets it)', () => {
    const u = new Usage([{ physical: 'zf-projects', id: 'projects', keys: ['pk', 'sk'], indexes: [{ name: 'byPark', keys: ['gsiPark'], include: ['stage'] }] }]);
    const project = { pk: 'p1', sk: 'PROJECT', gsiPark: 'A', stage: 'SIGNING', version: 1, doc: 'x'.repeat(3000) };
    const tw = (...items: Record<string, unknown>[]) => u.answered('TransactWriteItemsCommand', { TransactItems: items }, {});
    const indexUnits = () => u.tables.get('projects')!.indexWriteUnits;
    // New: the entry is the keys and the stage (a few bytes: 1 unit), not the 3 KB project.
    tw({ Put: { TableName: 'zf-projects', Item: project } });
    expect(indexUnits()).toBe(1);
    // A new version, same park and stage: the index is not written.
    tw({ Put: { TableName: 'zf-projects', Item: { ...project, version: 2, doc: 'y'.repeat(3000) } } });
    expect(indexUnits()).toBe(1);
    // Another stage: the entry is rewritten in place.
    tw({ Put: { TableName: 'zf-projects', Item: { ...project, version: 3, stage: 'LANDING' } } });
    expect(indexUnits()).toBe(2);
    // An update of the version alone does not touch it; one that sets the stage (through a placeholder) does.
    tw({ Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' }, UpdateExpression: 'SET #v = #v + :one, updatedAt = :now', ExpressionAttributeNames: { '#v': 'version' } } });
    expect(indexUnits()).toBe(2);
    // A value placeholder named like the attribute (:stage) is not the attribute.
    tw({ Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' }, UpdateExpression: 'SET updatedAt = :stage' } });
    expect(indexUnits()).toBe(2);
    tw({ Update: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'stage' } } });
    expect(indexUnits()).toBe(3);
    // A query of the index returns partial items: not remembered as the project's size.
    u.answered('QueryCommand', { TableName: 'zf-projects', IndexName: 'byPark' }, { Items: [{ pk: 'p1', sk: 'PROJECT', gsiPark: 'A', stage: 'LANDING' }] });
    tw({ ConditionCheck: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } });
    // Seven transactional writes, each priced at the 3 KB project (2 units a KB begun): the query did not shrink it.
    expect(u.tables.get('projects')!.writeUnits - u.tables.get('projects')!.indexWriteUnits).toBe(7 * 3 * 2);
  });
  it('does not remember a partial item (a projection) as the item’s size', () => {
    const u = usage();
    u.see('zf-projects', [{ pk: 'p1', sk: 'PROJECT', doc: 'x'.repeat(3000) }]);
    u.answered('GetItemCommand', { TableName: 'zf-projects', ProjectionExpression: 'pk' }, { Item: { pk: 'p1', sk: 'PROJECT' } });
    u.answered('TransactWriteItemsCommand', { TransactItems: [{ ConditionCheck: { TableName: 'zf-projects', Key: { pk: 'p1', sk: 'PROJECT' } } }] }, {});
    expect(u.tables.get('projects')?.writeUnits).toBe(6);
  });
  it('bills a write refused by its condition and a cancelled transaction apart, as AWS does', () => {
    const u = usage();
    u.refused('PutItemCommand', { TableName: 'zf-projects', Item: { pk: 'a', sk: 'b' } }, { name: 'ConditionalCheckFailedException' });
    u.refused('TransactWriteItemsCommand', { TransactItems: [{ Put: { TableName: 'zf-projects', Item: { pk: 'a', sk: 'c' } } }] }, { name: 'TransactionCanceledException' });
    u.refused('GetItemCommand', { TableName: 'zf-projects' }, { name: 'ResourceNotFoundException' });
    expect(u.tables.get('projects')).toMatchObject({ writeUnits: 0, refusedWriteUnits: 1 + 2 });
  });
});

describe('the runtime hook', () => {
  const meter = createMeter({ tables: [{ physical: 'zf-projects', id: 'projects', keys: ['pk', 'sk'] }], sampled: ['deliver'] });
  afterEach(() => meter.stop());

  it('counts nothing before start, then invocations, errors, capacity and log bytes per function', async () => {
    const handler = async (event: unknown) => {
      console.log('{"level":"info"}');
      // A DynamoDB call inside the handler, through the middleware: its units go to this invocation.
      await meter.middleware(async () => ({ output: { ConsumedCapacity: { TableName: 'zf-projects', CapacityUnits: 1 } } }), { commandName: 'PutItemCommand' })({ input: { TableName: 'zf-projects', Item: { pk: 'x', sk: 'y' } } });
      if (event === 'fail') throw new Error('boom');
      return 'ok';
    };
    const wrapped = meter.instrument('create-project', handler);
    const ctx = { awsRequestId: 'r', functionName: 'create-project' };
    const silent = console.log;
    console.log = () => {};
    try {
      await wrapped('before', ctx);
      meter.captureLogs();
      meter.start();
      await wrapped('ok', ctx);
      await expect(wrapped('fail', ctx)).rejects.toThrow('boom');
    } finally {
      meter.stop();
      console.log = silent;
    }
    const f = meter.usage.functions.get('create-project');
    expect(f).toMatchObject({ invocations: 2, errors: 1, writeUnits: 2, logBytes: 2 * '{"level":"info"}\n'.length });
    expect(f!.durationMs).toBeGreaterThanOrEqual(0);
    expect(meter.usage.tables.get('projects')?.writeUnits).toBe(2);
  });
  it('counts per function the writes refused and the invocations that had one, and remembers their requests', async () => {
    const refuse = (name: string, codes: string[] = []) =>
      meter.middleware(async () => Promise.reject(Object.assign(new Error(name), { name, CancellationReasons: codes.map((Code) => ({ Code })) })), { commandName: 'TransactWriteItemsCommand' });
    const write = { input: { TransactItems: [{ Put: { TableName: 'zf-projects', Item: { pk: 'a', sk: 'b' } } }, { Put: { TableName: 'zf-projects', Item: { pk: 'a', sk: 'c' } } }] } };
    const handler = async (event: unknown) => {
      // A lost race, re-read and retried: two refusals in one invocation (a conflict, then a failed condition named
      // after whatever else the transaction met); a throttled write is no refusal.
      const why = [['None', 'TransactionConflict'], ['TransactionConflict', 'ConditionalCheckFailed']];
      for (let i = 0; i < Number(event); i++) await refuse('TransactionCanceledException', why[i])(write).catch(() => {});
      await refuse('ThrottlingException')(write).catch(() => {});
    };
    const wrapped = meter.instrument('complete-task', handler);
    meter.start();
    try {
      for (const event of [2, 0, 1]) await wrapped(event, { awsRequestId: `r${event}`, functionName: 'complete-task' });
    } finally {
      meter.stop();
    }
    expect(meter.usage.functions.get('complete-task')).toMatchObject({ invocations: 3, refusedWrites: 3, invocationsRefused: 2 });
    // The requests they served, so the simulator can tell their latencies apart.
    expect([...meter.usage.refusedRequests].sort()).toEqual(['r1', 'r2']);
    // Why: the first of each invocation met a transaction in flight, the second a changed item.
    expect(Object.fromEntries(meter.usage.refusalReasons)).toEqual({ TransactionConflict: 2, ConditionalCheckFailed: 1 });
  });
  it('asks every billed command for its consumed capacity, and no other', async () => {
    meter.start();
    const seen: Record<string, unknown>[] = [];
    const next = async (args: { input: Record<string, unknown> }) => (seen.push({ ...args.input }), { output: {} });
    await meter.middleware(next, { commandName: 'QueryCommand' })({ input: {} });
    await meter.middleware(next, { commandName: 'DescribeTableCommand' })({ input: {} });
    expect(seen).toEqual([{ ReturnConsumedCapacity: 'TOTAL' }, {}]);
  });
  it('counts an invocation’s DynamoDB calls, the round trips among them (calls at once are one, calls in turn are more) and the time it waited on them', async () => {
    // On a fake clock (timers and performance.now): the spans are exact, whatever the machine is doing.
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      meter.start();
      const call = (ms: number) => meter.middleware(() => new Promise((r) => setTimeout(() => r({ output: {} }), ms)), { commandName: 'GetItemCommand' })({ input: {} });
      const run = meter.instrument('get-project', async () => {
        await Promise.all([call(5), call(10), call(1)]);
        await call(1);
      })({}, { awsRequestId: 'r', functionName: 'get-project' });
      await vi.advanceTimersByTimeAsync(20);
      await run;
      // Waited 10 ms on the three at once and 1 on the last: 11 of the invocation's 11, not the 17 the calls add up to.
      expect(meter.usage.functions.get('get-project')).toMatchObject({ invocations: 1, dynamodbCalls: 4, dynamodbRoundTrips: 2, dynamodbMs: 11, durationMs: 11 });
    } finally {
      vi.useRealTimers();
    }
  });
  it('times every call by its command, and counts the items of each transactional write, refused ones too', async () => {
    meter.start();
    const ok = async () => ({ output: {} });
    const cancelled = async () => {
      throw Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    };
    const gets = meter.usage.commands.get('GetItemCommand')?.ms.length ?? 0;
    await meter.middleware(ok, { commandName: 'GetItemCommand' })({ input: {} });
    await meter.middleware(ok, { commandName: 'TransactWriteCommand' })({ input: { TransactItems: [{ Put: { TableName: 'x', Item: { pk: 'a' } } }, { Put: { TableName: 'x', Item: { pk: 'b' } } }] } });
    await expect(meter.middleware(cancelled, { commandName: 'TransactWriteCommand' })({ input: { TransactItems: [{ ConditionCheck: { TableName: 'x', Key: { pk: 'a' } } }] } })).rejects.toThrow('cancelled');
    expect(meter.usage.commands.get('GetItemCommand')?.ms).toHaveLength(gets + 1);
    expect(meter.usage.commands.get('GetItemCommand')?.items).toEqual([]);
    expect(meter.usage.commands.get('TransactWriteCommand')?.items).toEqual([2, 1]);
    expect(meter.usage.commands.get('TransactWriteCommand')?.ms).toHaveLength(2);
    // And by function, for the calls an invocation made.
    await meter.instrument('decide-gate', async () => {
      await meter.middleware(ok, { commandName: 'TransactWriteCommand' })({ input: { TransactItems: [{}, {}, {}] } });
      await meter.middleware(ok, { commandName: 'TransactWriteCommand' })({ input: { TransactItems: [{}] } });
    })({}, { awsRequestId: 'r2', functionName: 'decide-gate' });
    expect(meter.usage.functions.get('decide-gate')).toMatchObject({ transactions: 2, transactionItems: 4 });
  });
  it('keeps every invocation of a sampled function', async () => {
    meter.start();
    await meter.instrument('deliver', async () => 'ok')({}, { awsRequestId: 'r', functionName: 'deliver' });
    expect(meter.samples.get('deliver')).toHaveLength(1);
  });
});

describe('what an invocation waited on its calls', () => {
  it('is the union of the calls’ spans: overlaps once, gaps not at all, in whatever order they are listed', () => {
    expect(waits([]).ms).toBe(0);
    expect(waits([[0, 10], [1, 5], [2, 12]]).ms).toBe(12);
    expect(waits([[20, 30], [0, 10], [10, 15], [12, 18]]).ms).toBe(28);
    expect(waits([[5, 6], [0, 1]]).ms).toBe(2);
  });
  it('groups calls that overlap in time into round trips, in whatever order they are listed', () => {
    expect(waits([]).roundTrips).toBe(0);
    expect(waits([[0, 10], [1, 5], [2, 12]]).roundTrips).toBe(1);
    expect(waits([[20, 30], [0, 10], [10, 15], [12, 18]]).roundTrips).toBe(3);
    expect(waits([[5, 6], [0, 1]]).roundTrips).toBe(2);
  });
});

describe('project-years', () => {
  it('sums each project from its creation to its end, or to the end of the run', () => {
    const day = 86_400_000;
    const lives = new Map([
      ['a', { created: 0, ended: 73 * day }],
      ['b', { created: 0 }],
      ['c', { created: 400 * day }],
    ]);
    expect(projectYears(lives, 365 * day)).toBeCloseTo(73 / 365 + 1, 10);
  });
});
