// GET/PUT /calendar/{year} — the working-day calendar 工作日历 ops maintain per year (public holidays and 调休
// make-up working days), versioned with If-Match and audited. Each test uses its own year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users, type User } from '../support/events.ts';

const store = isolatedStore('calendar');
const { handler: getCalendar } = await import('../../functions/reference/http/get-calendar.ts');
const { handler: putCalendar } = await import('../../functions/reference/http/put-calendar.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

type Calendar = { year: number; holidays: string[]; workdays: string[]; version: number; source: string; updatedBy: string };

/** 2027: 元旦 Fri 1 Jan, 春节 from Sat 6 Feb with Mon 8 Feb off, make-up working Saturday 20 Feb. */
const CAL_2027 = { holidays: ['2027-02-08', '2027-01-01', '2027-02-06', '2027-02-07'], workdays: ['2027-02-20'] };

/** A calendar body for any year: New Year's Day off, no make-up days. */
const simple = (year: number) => ({ holidays: [`${year}-01-01`], workdays: [] as string[] });

const put = (year: number, body: unknown, opts: { ifMatch?: string; as?: User } = {}) =>
  call<Calendar>(
    putCalendar,
    apiEvent('PUT /calendar/{year}', {
      as: opts.as ?? users.opsEngineer,
      params: { year: String(year) },
      body,
      headers: opts.ifMatch === undefined ? {} : { 'if-match': opts.ifMatch },
    }),
  );
const get = (year: string) => call<Calendar>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year } }));

async function loaded(year: number): Promise<void> {
  const reply = await put(year, simple(year));
  expect(reply.status).toBe(201);
}

describe('loading a year’s calendar', () => {
  it('lets ops load the 2027 calendar: 201 with ETag "1"', async () => {
    const reply = await put(2027, CAL_2027);

    expect(reply.status).toBe(201);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({
      year: 2027,
      holidays: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08'],
      workdays: ['2027-02-20'],
      version: 1,
      source: 'ops',
      updatedBy: users.opsEngineer.sub,
    });
  });

  it('stores a year with too few weekday holidays to be the State Council\'s notice, and says so in warnings', async () => {
    const thin = await put(2061, { holidays: ['2061-01-01', '2061-01-04'], workdays: [] });
    expect(thin.status, thin.text).toBe(201);
    expect((thin.body as unknown as { warnings: string[] }).warnings).toEqual([expect.stringContaining('Only 1 of the holidays of 2061 fall on weekdays')]);
    // A year as the notice gives it: no warnings.
    const full = ['2062-01-01', '2062-02-11', '2062-02-12', '2062-02-13', '2062-02-16', '2062-04-05', '2062-05-03', '2062-05-04', '2062-06-14', '2062-09-20', '2062-10-01', '2062-10-04', '2062-10-05'];
    const notice = await put(2062, { holidays: full, workdays: [] });
    expect(notice.status, notice.text).toBe(201);
    expect(notice.body).not.toHaveProperty('warnings');
  });

  it('serves a loaded calendar to anyone, without a token, with its ETag', async () => {
    await put(2028, { holidays: ['2028-01-01'], workdays: ['2028-01-29'] });

    const reply = await get('2028');

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({ year: 2028, holidays: ['2028-01-01'], workdays: ['2028-01-29'], version: 1 });
  });

  it('records the load in the audit log (calendar.put)', async () => {
    await loaded(2029);

    const events = await store.audit('CALENDAR#2029');

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'calendar.put', actor: users.opsEngineer.sub, before: {}, after: { year: 2029, holidays: ['2029-01-01'], workdays: [] } });
  });

  it('answers 404 for a year that is not loaded, saying due dates fall back to weekdays', async () => {
    const reply = await get('2099');

    const problem = expectProblem(reply, 404);
    expect(problem.detail).toMatch(/No calendar is loaded for 2099/);
  });

  it('refuses a year that is not one from 2000 to 2099, the dates the product keeps (400 naming the year)', async () => {
    for (const year of ['27', '1999', '2100', '9999', 'abc']) expectProblem(await get(year), 400, ['path.year']);
  });

  it('says a well-formed year outside 2000–2099 is out of range (not badly formatted), on PUT as on GET, naming the range', async () => {
    for (const year of ['1999', '2100']) {
      const putReply = await call(putCalendar, apiEvent('PUT /calendar/{year}', { as: users.opsEngineer, params: { year }, body: { holidays: [], workdays: [] } }));
      for (const reply of [putReply, await get(year)]) {
        expect(expectProblem(reply, 400, ['path.year']).errors).toEqual([{ path: 'path.year', code: 'out_of_range', message: 'must be a year from 2000 to 2099 (the dates the product keeps)' }]);
      }
    }
    for (const year of ['27', 'abc', '20x6']) expect(expectProblem(await get(year), 400, ['path.year']).errors?.map((e) => e.code)).toEqual(['format']);
  });
});

describe('correcting a loaded calendar (If-Match)', () => {
  it('requires If-Match once the year exists (428) and changes nothing', async () => {
    await loaded(2030);

    const reply = await put(2030, { holidays: ['2030-01-01', '2030-02-04'], workdays: [] });

    expectProblem(reply, 428);
    expect((await get('2030')).body).toMatchObject({ holidays: ['2030-01-01'], version: 1 });
  });

  it('refuses a stale If-Match (412) and changes nothing', async () => {
    await loaded(2031);
    expect((await put(2031, { holidays: ['2031-01-01', '2031-01-02'], workdays: [] }, { ifMatch: '"1"' })).status).toBe(200);

    const reply = await put(2031, { holidays: [], workdays: [] }, { ifMatch: '"1"' });

    expectProblem(reply, 412);
    expect((await get('2031')).body).toMatchObject({ holidays: ['2031-01-01', '2031-01-02'], version: 2 });
  });

  it('applies a correction with the current If-Match: 200, version 2, ETag "2"', async () => {
    await loaded(2032);

    const reply = await put(2032, { holidays: ['2032-01-01'], workdays: ['2032-01-10'] }, { ifMatch: '"1"' });

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"2"');
    expect(reply.body).toMatchObject({ workdays: ['2032-01-10'], version: 2 });
  });

  it('stores nothing when the year as stored is sent again (the dates in any order): 200 with the version in force, said in x-calendar-unchanged; no version, no audit, no project recomputed', async () => {
    await loaded(2044);
    const signals = (await store.signals()).length;

    const again = await put(2044, { holidays: ['2044-01-01'], workdays: [] }, { ifMatch: '"1"' });

    expect(again.status, again.text).toBe(200);
    expect(again.headers).toMatchObject({ etag: '"1"', 'x-calendar-unchanged': 'true', 'x-projects-recomputing': '0' });
    expect(again.body).toMatchObject({ holidays: ['2044-01-01'], version: 1 });
    expect((await get('2044')).body.version).toBe(1);
    expect(await store.audit('CALENDAR#2044')).toHaveLength(1);
    expect((await store.signals()).length).toBe(signals);
    // Still pinned: a stale If-Match is told the year changed, whatever it sends.
    expect((await put(2044, { holidays: ['2044-01-01', '2044-01-03'], workdays: [] }, { ifMatch: '"1"' })).status).toBe(200);
    expectProblem(await put(2044, { holidays: ['2044-01-03', '2044-01-01'], workdays: [] }, { ifMatch: '"1"' }), 412);
    const reordered = await put(2044, { holidays: ['2044-01-03', '2044-01-01'], workdays: [] }, { ifMatch: '"2"' });
    expect(reordered.headers).toMatchObject({ etag: '"2"', 'x-calendar-unchanged': 'true' });
  });

  it('lets only one of two operators loading the same new year at once succeed', async () => {
    const replies = await Promise.all([put(2043, simple(2043)), put(2043, { holidays: ['2043-01-01', '2043-01-02'], workdays: [] })]);

    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    // The other sent no If-Match: it is told, as one arriving a moment later is, that the year exists now and a change of
    // it names the version read (428, If-Match required) — not a 412 naming an If-Match 'stale' it never sent.
    const loser = replies.find((r) => r.status !== 201)!;
    expectProblem(loser, 428);
    expect((loser.body as unknown as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'If-Match', code: 'required' })]);
    expect((await get('2043')).body.version).toBe(1);
    expect(await store.audit('CALENDAR#2043')).toHaveLength(1);
  });

  it('refuses an If-Match for a year that was never loaded (412)', async () => {
    const reply = await put(2033, simple(2033), { ifMatch: '"4"' });

    expectProblem(reply, 412);
    expectProblem(await get('2033'), 404);
  });
});

describe('what a calendar may contain', () => {
  async function refused(year: number, body: unknown, status: number, paths?: string[]) {
    const before = await store.snapshot();
    const reply = await put(year, body);
    expectProblem(reply, status, paths);
    expect(await store.snapshot()).toEqual(before);
  }

  it('refuses a make-up working day (调休) on a weekday, naming workdays[0]', async () => {
    await refused(2034, { holidays: [], workdays: ['2034-02-06'] }, 400, ['workdays[0]']); // a Monday
  });

  it('refuses a date outside the year, naming holidays[0]', async () => {
    await refused(2035, { holidays: ['2034-12-31'], workdays: [] }, 400, ['holidays[0]']);
  });

  it('refuses a date that does not exist (30 February)', async () => {
    await refused(2036, { holidays: ['2036-02-30'], workdays: [] }, 400, ['holidays[0]']);
  });

  it('refuses a date that is not YYYY-MM-DD', async () => {
    await refused(2037, { holidays: ['2037/01/01'], workdays: [] }, 400, ['holidays[0]']);
  });

  it('refuses the same holiday twice, naming the repeat', async () => {
    await refused(2038, { holidays: ['2038-01-01', '2038-01-01'], workdays: [] }, 400, ['holidays[1]']);
  });

  it('refuses a day that is both a holiday and a make-up working day', async () => {
    await refused(2039, { holidays: ['2039-01-01', '2039-01-02'], workdays: ['2039-01-02'] }, 400, ['workdays[0]']); // a Sunday
  });

  it('refuses a calendar without its workdays list', async () => {
    await refused(2040, { holidays: ['2040-01-01'] }, 400, ['workdays']);
  });
});

describe('who may edit the calendar', () => {
  it.each([
    ['the committee leader', users.committeeLeader],
    ['the investment department', users.investmentOfficer],
    ['an enterprise', users.enterpriseA],
  ] as const)('refuses %s (403) and writes nothing', async (_, as) => {
    const before = await store.snapshot();

    const reply = await put(2041, simple(2041), { as });

    expectProblem(reply, 403);
    expect(await store.snapshot()).toEqual(before);
  });

  it('refuses a PUT without a token (401)', async () => {
    const reply = await call(putCalendar, apiEvent('PUT /calendar/{year}', { params: { year: '2042' }, body: simple(2042) }));

    expectProblem(reply, 401);
  });
});

describe('the calendar kept by a warm function under its stamp', () => {
  it('reads the years once per stamp (a small GetItem otherwise), and sees a year loaded at once', async () => {
    const { loadCalendar, calendarStampOp } = await import('../../functions/reference/store/reference.ts');
    const { ddb, transact } = await import('../../functions/kernel/store/client.ts');
    const commands: string[] = [];
    ddb.middlewareStack.add((next, context) => async (args) => {
      commands.push(context.commandName ?? '');
      return next(args);
    }, { step: 'initialize', name: 'countCalendarReads' });
    try {
      await loaded(2041);
      // No stamp yet in this store apart from the one the PUT wrote: the first read queries, the next only checks.
      commands.length = 0;
      const first = await loadCalendar();
      expect(first(2041)).toBeDefined();
      await loadCalendar();
      expect(commands.filter((c) => c === 'QueryCommand')).toHaveLength(1);
      expect(commands.filter((c) => c === 'GetItemCommand')).toHaveLength(2);
      // A year loaded through the API rewrites the stamp in its transaction: the next read sees it.
      await loaded(2042);
      expect((await loadCalendar())(2042)).toBeDefined();
      // A stamp rewritten (a deploy's bootstrap) makes every warm function read again.
      commands.length = 0;
      await transact([calendarStampOp()]);
      await loadCalendar();
      expect(commands).toContain('QueryCommand');
    } finally {
      ddb.middlewareStack.remove('countCalendarReads');
    }
  });

  it('reads the stamp strongly consistent: a review woken by a correction must not keep the years of the stamp before it', async () => {
    // On AWS an eventually consistent GetItem may answer the stamp before the correction for a moment: the review the
    // correction woke would then recompute on the old years and clear the project's flag (DynamoDB Local never lags,
    // so the read itself is checked).
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const reads: { command: string; consistent: unknown }[] = [];
    ddb.middlewareStack.add((next, context) => async (args) => {
      reads.push({ command: context.commandName ?? '', consistent: (args.input as { ConsistentRead?: unknown }).ConsistentRead });
      return next(args);
    }, { step: 'initialize', name: 'watchCalendarReads' });
    try {
      await loadCalendar();
      await loadCalendar();
    } finally {
      ddb.middlewareStack.remove('watchCalendarReads');
    }
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((r) => r.consistent !== true)).toEqual([]);
  });
});
