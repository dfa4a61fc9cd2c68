// Formal letters 正式函件 over the real handlers and DynamoDB Local: numbered gapless per series and year (20 issued at
// once never share a number), addressed to the enterprise or a department, told in the addressee's inbox, readable by
// the addressee and the project's staff (others: 404), printable as an A4 page, acknowledged once by the addressee.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, lambdaContext, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('letters');
registerFakeWorkflow();
const { handler: send } = await import('../../functions/supervision/http/send-letter.ts');
const { handler: list } = await import('../../functions/supervision/http/list-letters.ts');
const { handler: get } = await import('../../functions/supervision/http/get-letter.ts');
const { handler: ack } = await import('../../functions/supervision/http/ack-letter.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { publishTestConfig, seedConfig } = await import('../support/config.ts');
const { forgetReferenceData, getConfig: getConfigDoc } = await import('../../functions/reference/store/reference.ts');
const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { loadProject, replaceProject } = await import('../../functions/projects/store/projects.ts');
const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');

const { ddb } = await import('../../functions/kernel/store/client.ts');
const { newId } = await import('../../functions/kernel/runtime/ids.ts');
/** Letter items the handlers' queries read (ScannedCount of a query of a project's LETTER# items). */
let lettersRead = 0;
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    const out = await next(args);
    const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
    if (context.commandName === 'QueryCommand' && input.ExpressionAttributeValues?.[':s'] === 'LETTER#') lettersRead += (out.output as { ScannedCount?: number }).ScannedCount ?? 0;
    return out;
  },
  { step: 'initialize', name: 'countLettersRead' },
);
/** The DynamoDB calls made while recorded: the ladder's reads (its configuration, the calendar's stamp and years, a project's letters) by name, the others by command. */
let recordedCalls: string[] | undefined;
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { Key?: Record<string, unknown>; ExpressionAttributeValues?: Record<string, unknown> };
    const values = input.ExpressionAttributeValues ?? {};
    const name =
      input.Key?.pk === 'CALENDAR_STAMP' ? 'calendar stamp'
      : values[':p'] === 'CONFIG#escalation' ? 'config/escalation'
      : values[':p'] === 'CALENDAR' ? 'calendar'
      : context.commandName === 'QueryCommand' && values[':s'] === 'LETTER#' ? 'letters'
      : undefined;
    if (recordedCalls) recordedCalls.push(name ?? String(context.commandName));
    return next(args);
  },
  { step: 'initialize', name: 'nameLadderReads' },
);

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type LetterView = { id: string; number: string; series: string; subject: string; status: string; replyBy: string | null; to: { kind: string }; toName: string; ack: { reply: string } | null };
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
const year = shanghaiDate(new Date()).slice(0, 4);

const newProject = async () => (await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }))).body.id;
const sendAs = (projectId: string, body: unknown, as: User = users.supervisionOfficer) => call<LetterView>(send, apiEvent('POST /projects/{id}/letters', { as, params: { id: projectId }, body }));
const urging = { series: 'urging', to: { kind: 'enterprise' }, subject: '关于督促加快开工的函', body: '请说明未按期开工原因。' };

const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');

describe('formal letters', () => {
  it('are numbered by series and year, reply window in working days, told to the addressee, on the timeline', async () => {
    const id = await newProject();
    const first = await sendAs(id, urging);
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ series: 'urging', status: 'sent', to: { kind: 'enterprise' }, toName: '示例汽车科技有限公司', ack: null });
    expect(first.body.number).toMatch(new RegExp(`^晋综开督函〔${year}〕\\d+号$`));
    expect(first.body.replyBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await sendAs(id, { ...urging, to: { kind: 'department', role: 'park_center' } });
    const n = (l: LetterView) => Number(/〕(\d+)号/.exec(l.number)![1]);
    expect(n(second.body)).toBe(n(first.body) + 1);
    expect(second.body.toName).toBe('汇通产业园园区事业服务中心');
    const notice = await call<LetterView>(send, apiEvent('POST /projects/{id}/letters', { as: users.committeeLeader, params: { id }, body: { ...urging, series: 'notice' } }));
    expect(notice.body).toMatchObject({ number: `晋综开函〔${year}〕1号`, replyBy: null });
    const inbox = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'ENTERPRISE#ent-a' } }))).Items ?? [];
    expect(inbox.some((i) => i.kind === 'letter.issued' && String(i.title).includes(first.body.number))).toBe(true);
    expect((await store.audit(`PROJECT#${id}`)).filter((e) => e.action === 'letter.issued')).toHaveLength(3);
  });

  it('are not issued by hand about a closed case (an exited or rejected project): 409, no number taken', async () => {
    for (const status of ['EXITED', 'REJECTED'] as const) {
      const id = await newProject();
      const p = await loadProject(id);
      await transact(replaceProject({ ...p, status, version: p.version + 1 }, p));
      const before = await store.snapshot();
      expect(expectProblem(await sendAs(id, urging), 409).detail).toContain(`is ${status}: its case is closed`);
      expectProblem(await sendAs(id, { ...urging, series: 'notice' }, users.committeeLeader), 409);
      expect(await store.snapshot()).toEqual(before);
    }
  });

  it('20 issued at once never share a number and leave no gap', async () => {
    const id = await newProject();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => sendAs(id, { ...urging, series: 'notice', subject: `第${i}函` }, users.committeeLeader)));
    for (const r of replies) expect(r.status, r.text).toBe(201);
    const numbers = replies.map((r) => Number(/〕(\d+)号/.exec(r.body.number)![1])).sort((a, b) => a - b);
    // The series' numbers this year go on from the last one issued (a notice above), one each.
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => numbers[0]! + i));
    // Paged like every list: 8 + 8 + 4, each once, oldest first; a cursor of another list is a 400.
    const page = (query: Record<string, string>) => call<{ items: LetterView[]; nextCursor: string | null }>(list, apiEvent('GET /projects/{id}/letters', { as: users.committeeLeader, params: { id }, query }));
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const reply = await page({ limit: '8', ...(cursor ? { cursor } : {}) });
      expect(reply.status, reply.text).toBe(200);
      sizes.push(reply.body.items.length);
      seen.push(...reply.body.items.map((l) => l.id));
      cursor = reply.body.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([8, 8, 4]);
    expect(new Set(seen).size).toBe(20);
    // Without a limit a page holds 20 (api.md's default): a 21st letter is on the next page.
    expect((await page({})).body).toMatchObject({ nextCursor: null });
    expect((await sendAs(id, { ...urging, series: 'notice', subject: '第20函' }, users.committeeLeader)).status).toBe(201);
    const byDefault = await page({});
    expect(byDefault.body.items).toHaveLength(20);
    const rest = await page({ cursor: byDefault.body.nextCursor! });
    expect(rest.body.items.map((l) => l.subject)).toEqual(['第20函']);
    expect(rest.body.nextCursor).toBeNull();
    const other = await newProject();
    const first = await page({ limit: '1' });
    expectProblem(await call(list, apiEvent('GET /projects/{id}/letters', { as: users.committeeLeader, params: { id: other }, query: { cursor: first.body.nextCursor! } })), 400, ['query.cursor']);
    expectProblem(await page({ limit: '0' }), 400, ['query.limit']);
  });

  it('that keeps losing its number to other issuers until its time is up: a 409 to retry (contended), never a 503', async () => {
    const id = await newProject();
    const counter = { pk: `COUNTER#LETTER#notice#${year}`, sk: 'COUNTER' };
    // Another issuer takes the series' next number between each read of the counter and the write that moves it: the
    // letter loses every round until its time is up. Its answer is the race it lost, not a busy service.
    const name = `contended-${Math.random()}`;
    ddb.middlewareStack.add((next, context) => async (args) => {
      if (/^TransactWrite/.test(String(context.commandName))) {
        await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: counter, UpdateExpression: 'ADD seq :one', ExpressionAttributeValues: { ':one': 1 } }));
      }
      return next(args);
    }, { step: 'initialize', name });
    try {
      const before = (await store.audit(`PROJECT#${id}`)).length;
      const event = apiEvent('POST /projects/{id}/letters', { as: users.committeeLeader, params: { id }, body: { ...urging, series: 'notice', subject: '限时函' } });
      const result = await send(event, { ...lambdaContext(), getRemainingTimeInMillis: () => 1_500 });
      expect(result.statusCode, result.body).toBe(409);
      expect(JSON.parse(result.body)).toMatchObject({ type: 'https://zoneflow.dev/problems/concurrent-change', status: 409 });
      expect(JSON.parse(result.body).detail).toMatch(/nothing was written/);
      expect(result.headers?.['retry-after']).toBe('1');
      expect((await store.audit(`PROJECT#${id}`)).length).toBe(before);
    } finally {
      ddb.middlewareStack.remove(name);
    }
  });

  it('a page reads about the page, not the project’s letters; oldest first; an enterprise’s page holds its own letters, full', async () => {
    const id = await newProject();
    // 30 letters, one a millisecond apart and some in the same one: every third to the enterprise, the rest to the park.
    const t0 = Date.parse('2026-03-02T01:00:00Z');
    const ids = Array.from({ length: 30 }, (_, i) => newId('ltr', new Date(t0 + Math.floor(i / 2))));
    const keyOrder = [...ids].sort((a, b) => (a < b ? -1 : 1));
    for (const [i, lid] of ids.entries()) {
      const at = new Date(t0 + Math.floor(i / 2));
      const to = i % 3 === 0 ? { kind: 'enterprise', enterpriseId: 'ent-a', name: '示例汽车科技有限公司' } : { kind: 'department', role: 'park_center', park: 'huitong' };
      // Numbered in key order, as letters issued together are.
      const seq = 900 + keyOrder.indexOf(lid);
      await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: {
        pk: `PROJECT#${id}`, sk: `LETTER#${lid}`, entity: 'letter', id: lid, number: `晋综开函〔2026〕${seq}号`, series: 'notice', year: 2026, seq, projectId: id, projectName: '示例',
        from: 'committee_leader', to, subject: `第${i}函`, body: '。', issuedAt: at.toISOString(), issuedBy: users.committeeLeader.sub, issuedOn: '2026-03-02', replyBy: null, ack: null,
      } }));
    }
    const page = (query: Record<string, string>, as: User = users.committeeLeader) => call<{ items: LetterView[]; nextCursor: string | null }>(list, apiEvent('GET /projects/{id}/letters', { as, params: { id }, query }));
    lettersRead = 0;
    const first = await page({ limit: '5' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((l) => l.id)).toEqual(keyOrder.slice(0, 5));
    // The page and one more to know whether the list goes on (all 30 before).
    expect(lettersRead).toBeLessThanOrEqual(6);
    lettersRead = 0;
    const second = await page({ limit: '5', cursor: first.body.nextCursor! });
    expect(second.body.items.map((l) => l.id)).toEqual(keyOrder.slice(5, 10));
    expect(lettersRead).toBeLessThanOrEqual(6);
    // The whole list, oldest first, each once; the enterprise's, by pages of 3, its 10 letters in the same order.
    const all = async (as: User, limit: string) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const reply = await page({ limit, ...(cursor ? { cursor } : {}) }, as);
        expect(reply.status, reply.text).toBe(200);
        if (reply.body.nextCursor) expect(reply.body.items).toHaveLength(Number(limit));
        seen.push(...reply.body.items.map((l) => l.id));
        cursor = reply.body.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(await all(users.committeeLeader, '7')).toEqual(keyOrder);
    const own = keyOrder.filter((lid) => ids.indexOf(lid) % 3 === 0);
    expect(await all(users.enterpriseA, '3')).toEqual(own);
    expect(await all(users.enterpriseA, '10')).toEqual(own);
    // A cursor is its caller's and its list's: another caller's, or a mangled one, is a 400 on cursor.
    expectProblem(await page({ limit: '2', cursor: first.body.nextCursor! }, users.supervisionOfficer), 400, ['query.cursor']);
    expectProblem(await page({ limit: '2', cursor: `${first.body.nextCursor!.slice(0, -2)}xx` }), 400, ['query.cursor']);
  });

  it('refuses an unknown series (400), a sender the series is not issued by (403), an enterprise sender (403), the exit series by hand and a department writing to itself (400) — writing nothing', async () => {
    const id = await newProject();
    const before = await store.snapshot();
    expectProblem(await sendAs(id, { ...urging, series: 'nope' }), 400, ['series']);
    // A name every object carries is no series (it was taken for one: a 500).
    expectProblem(await sendAs(id, { ...urging, series: 'constructor' }, users.committeeLeader), 400, ['series']);
    // The exit letter follows the committee's exit decision: not even the committee leader sends one by hand.
    const exit = expectProblem(await sendAs(id, { ...urging, series: 'exit' }, users.committeeLeader), 400, ['series']);
    expect(exit.detail).toContain('mechanism');
    expectProblem(await sendAs(id, { ...urging, to: { kind: 'department', role: 'supervision_office' } }), 400, ['to.role']);
    expectProblem(await sendAs(id, { ...urging, series: 'notice', to: { kind: 'department', role: 'committee_leader' } }, users.committeeLeader), 400, ['to.role']);
    expectProblem(await sendAs(id, urging, users.resourcesOfficer), 403);
    expectProblem(await sendAs(id, urging, users.enterpriseA), 403);
    expectProblem(await sendAs(id, { ...urging, to: { kind: 'department', role: 'enterprise' } }), 400, ['to.role']);
    expect(await store.snapshot()).toEqual(before);
  });

  it('is read by its addressee and the project’s staff (others 404), printed as an escaped A4 page, acknowledged once by the addressee', async () => {
    const id = await newProject();
    const letter = (await sendAs(id, { ...urging, body: '<script>alert(1)</script>请说明情况。' })).body;
    const params = { id: letter.id };
    expect((await call<LetterView>(get, apiEvent('GET /letters/{id}', { as: users.enterpriseA, params }))).body.number).toBe(letter.number);
    expectProblem(await call(get, apiEvent('GET /letters/{id}', { as: users.enterpriseB, params })), 404);
    expectProblem(await call(get, apiEvent('GET /letters/{id}', { as: users.kechuangParkCenter, params })), 404);
    expectProblem(await call(get, apiEvent('GET /letters/{id}', { as: users.committeeLeader, params: { id: 'ltr-nothere' } })), 404);
    const page = await call(get, apiEvent('GET /letters/{id}', { as: users.committeeLeader, params, headers: { accept: 'text/html' } }));
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('@page { size: A4');
    expect(page.text).toContain(letter.number);
    expect(page.text).toContain('&lt;script&gt;');
    expect(page.text).not.toContain('<script>');
    // Accept is weighed, not searched: HTML at q=0.1 below JSON gets JSON; a type the letter is not offered in, 406.
    const weighed = await call<LetterView>(get, apiEvent('GET /letters/{id}', { as: users.committeeLeader, params, headers: { accept: 'text/html;q=0.1, application/json' } }));
    expect(weighed.contentType).toMatch(/^application\/json/);
    expectProblem(await call(get, apiEvent('GET /letters/{id}', { as: users.committeeLeader, params, headers: { accept: 'application/pdf' } })), 406);
    expect((await call<{ items: LetterView[] }>(list, apiEvent('GET /projects/{id}/letters', { as: users.enterpriseA, params: { id } }))).body.items.map((l) => l.id)).toEqual([letter.id]);

    expectProblem(await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.huitongParkCenter, params, body: { reply: '收到' } })), 403);
    // Another enterprise, who may not read the project, is told the letter does not exist — as GET tells it — and the
    // answer does not name the project.
    const stranger = expectProblem(await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseB, params, body: { reply: '收到' } })), 404);
    expect(stranger.detail).toBe(`No letter ${letter.id}`);
    expect(JSON.stringify(stranger)).not.toContain(id);
    // Admitted: a lifecycle runs that the answer can wake.
    const admitted = await loadProject(id);
    await transact(replaceProject({ ...admitted, status: 'ACTIVE', matrixVersion: 1, version: admitted.version + 1 }, admitted));
    const wakes = async () => (await store.signals()).filter((x) => x.kind === 'wake' && x.projectId === id).length;
    const before = await wakes();
    const acked = await call<LetterView>(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params, body: { reply: '已收到，将于下周开工。' } }));
    expect(acked.status, acked.text).toBe(200);
    // An urging letter asks for a reply by a date the escalation ladder watches: its answer wakes the lifecycle.
    expect(letter.replyBy).not.toBeNull();
    expect(await wakes()).toBe(before + 1);
    expect(acked.body).toMatchObject({ status: 'acknowledged', ack: { reply: '已收到，将于下周开工。' } });
    // The supervision office that issued it is told of the answer in its inbox (it was told nothing).
    const issuerInbox = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'DEPT#supervision_office' } }))).Items ?? [];
    const answered = issuerInbox.filter((i) => i.kind === 'letter.answered' && String(i.title).includes(letter.number));
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ projectId: id, title: `复函：${letter.number}` });
    expect(String(answered[0]!.body)).toContain('示例汽车科技有限公司已签收');
    expect(String(answered[0]!.body)).toContain('已收到，将于下周开工。');
    expectProblem(await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params, body: { reply: '再次' } })), 409);
    expect((await store.audit(`PROJECT#${id}`)).map((e) => e.action)).toContain('letter.acknowledged');
  });

  it("is read with the project's ETag (GET, the list, as its issue and answer give it), which the answer takes as If-Match: 412 once the project moved", async () => {
    const id = await newProject();
    const issued = await sendAs(id, urging);
    const params = { id: issued.body.id };
    const version = async () => `"${(await loadProject(id)).version}"`;
    expect(issued.headers.etag).toBe(await version());
    const read = await call<LetterView>(get, apiEvent('GET /letters/{id}', { as: users.enterpriseA, params }));
    expect(read.headers.etag).toBe(await version());
    // The printable page is the same letter at the same version.
    expect((await call(get, apiEvent('GET /letters/{id}', { as: users.committeeLeader, params, headers: { accept: 'text/html' } }))).headers.etag).toBe(read.headers.etag);
    expect((await call(list, apiEvent('GET /projects/{id}/letters', { as: users.enterpriseA, params: { id } }))).headers.etag).toBe(read.headers.etag);
    // The project moves on (admitted, its lifecycle running): the ETag read before is stale, nothing acknowledged.
    const admitted = await loadProject(id);
    await transact(replaceProject({ ...admitted, status: 'ACTIVE', matrixVersion: 1, version: admitted.version + 1 }, admitted));
    const stale = await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params, headers: { 'if-match': read.headers.etag! }, body: { reply: '收到' } }));
    expectProblem(stale, 412);
    const fresh = await call<LetterView>(get, apiEvent('GET /letters/{id}', { as: users.enterpriseA, params }));
    expect(fresh.body.ack).toBeNull();
    const acked = await call<LetterView>(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params, headers: { 'if-match': fresh.headers.etag! }, body: { reply: '收到' } }));
    expect(acked.status, acked.text).toBe(200);
    expect(acked.headers.etag).toBe(await version());
  });

  it('issued with a reply window to a running project, moves its version and wakes its lifecycle; one without a window, or to a project not running, neither', async () => {
    const id = await newProject();
    const wakes = async (projectId: string) => (await store.signals()).filter((x) => x.kind === 'wake' && x.projectId === projectId).length;
    // Awaiting admission: no lifecycle runs, the letter is a record (version and wake-ups as they were).
    const waiting = await loadProject(id);
    expect((await sendAs(id, urging)).status).toBe(201);
    expect((await loadProject(id)).version).toBe(waiting.version);
    expect(await wakes(id)).toBe(0);
    await transact(replaceProject({ ...waiting, status: 'ACTIVE', matrixVersion: 1, version: waiting.version + 1 }, waiting));
    // Running: the urging letter's reply window is a deadline of the lifecycle's wait.
    const sent = await sendAs(id, urging);
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.replyBy).not.toBeNull();
    expect(await store.storedProject(id)).toMatchObject({ version: waiting.version + 2, status: 'ACTIVE', stage: waiting.stage });
    expect(sent.headers.etag).toBe(`"${waiting.version + 2}"`);
    expect(await wakes(id)).toBe(1);
    // A notice asks no reply: nothing for the lifecycle.
    const notice = await call<LetterView>(send, apiEvent('POST /projects/{id}/letters', { as: users.committeeLeader, params: { id }, body: { ...urging, series: 'notice' } }));
    expect(notice.body.replyBy).toBeNull();
    expect((await loadProject(id)).version).toBe(waiting.version + 2);
    expect(await wakes(id)).toBe(1);
    // Five at once: each gets its number, each moves the version once and wakes once (the touches do not race).
    const five = await Promise.all(Array.from({ length: 5 }, (_, i) => sendAs(id, { ...urging, subject: `第${i}函` })));
    for (const r of five) expect(r.status, r.text).toBe(201);
    expect(new Set(five.map((r) => r.body.number)).size).toBe(5);
    expect((await loadProject(id)).version).toBe(waiting.version + 7);
    expect(await wakes(id)).toBe(6);
  });

  it('answered, moves a running project’s version (a review computed before the answer must not wait on it), and only a running one’s', async () => {
    const id = await newProject();
    const letter = (await sendAs(id, urging)).body;
    const p = await loadProject(id);
    await transact(replaceProject({ ...p, status: 'ACTIVE', matrixVersion: 1, version: p.version + 1 }, p));
    const acked = await call<LetterView>(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params: { id: letter.id }, body: { reply: '收到。' } }));
    expect(acked.status, acked.text).toBe(200);
    expect(await store.storedProject(id)).toMatchObject({ version: p.version + 2, status: 'ACTIVE', stage: p.stage });
    // A project not running (here still awaiting admission) keeps its version: no lifecycle waits on it.
    const pending = await newProject();
    const other = (await sendAs(pending, urging)).body;
    const before = (await loadProject(pending)).version;
    expect((await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params: { id: other.id }, body: { reply: '收到。' } }))).status).toBe(200);
    expect((await loadProject(pending)).version).toBe(before);
  });

  it('answered, resets the ladder it alone held in the answer’s own transaction — the answer counted in place of the stored, unanswered copy', async () => {
    const id = await newProject();
    const letter = (await sendAs(id, urging)).body;
    // The letter's reply window ended 30 days ago, and the project stands on L1 because of it.
    const today = shanghaiDate(new Date());
    await store.doc.send(new UpdateCommand({ TableName: process.env.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: `LETTER#${letter.id}` }, UpdateExpression: 'SET replyBy = :d', ExpressionAttributeValues: { ':d': addCalendarDays(today, -30) } }));
    const p = await loadProject(id);
    const onL1 = { level: 1, name: 'URGING_LETTER' as const, since: addCalendarDays(today, -3), trigger: { kind: 'task_overdue' as const, item: letter.id, label: `函件${letter.number}未回复`, since: addCalendarDays(today, -30) }, next: { step: 'INTERVIEW', dueDate: addCalendarDays(today, 5) } };
    await transact(replaceProject({ ...p, status: 'ACTIVE', matrixVersion: 1, escalation: onL1, version: p.version + 1 }, p));

    const acked = await call<LetterView>(ack, apiEvent('POST /letters/{id}/ack', { as: users.enterpriseA, params: { id: letter.id }, body: { reply: '已按要求整改。' } }));
    expect(acked.status, acked.text).toBe(200);
    expect(await store.storedProject(id)).toMatchObject({ escalation: { level: 0, name: 'NONE' } });
    const events = (await store.audit(`PROJECT#${id}`)).map((e) => e.action);
    expect(events).toContain('escalation.reset');
    expect(events).toContain('letter.acknowledged');
  });

});

describe('config/letters, as ops publish it', () => {
  type Doc = { series: Record<string, { pattern: string; from: string; replyWd: number; manual?: boolean }>; instantNotices: { task: string; series: string; to: string[] }[] };
  const current = async () => (await call<{ version: number; doc: Doc }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'letters' } }))).body;
  const publish = async (edit: (d: Doc) => Doc) => {
    const c = await current();
    return call<{ version: number }>(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'letters' }, headers: { 'if-match': `"${c.version}"` }, body: { doc: edit(structuredClone(c.doc)) } }));
  };

  it('refuses, naming the field and publishing nothing: a constructor series (a 500), the urging or exit series left out, a task the matrix has not, a pattern an earlier version numbered under another code', async () => {
    const before = (await current()).version;
    expectProblem(await publish((d) => ({ ...d, series: { ...d.series, constructor: { pattern: '晋综开构函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } } })), 400, ['doc.series.constructor']);
    expectProblem(await publish((d) => ({ ...d, instantNotices: [{ task: 'construction_permits', series: 'constructor', to: ['construction_dept'] }] })), 400, ['doc.instantNotices[0].series']);
    const { urging: _u, ...noUrging } = (await current()).doc.series;
    expectProblem(await publish((d) => ({ ...d, series: noUrging })), 400, ['doc.series.urging']);
    expectProblem(await publish((d) => ({ ...d, instantNotices: [...d.instantNotices, { task: 'no_such_task', series: 'notice', to: ['park_center'] }] })), 400, ['doc.instantNotices[1].task']);
    expect((await current()).version).toBe(before);
    // notice moves to another pattern (allowed: its counter goes on), then a new series takes notice's old pattern: refused.
    const old = (await current()).doc.series.notice!.pattern;
    expect((await publish((d) => ({ ...d, series: { ...d.series, notice: { ...d.series.notice!, pattern: '晋综开通函〔{year}〕{n}号' } } }))).status).toBe(200);
    const taken = expectProblem(await publish((d) => ({ ...d, series: { ...d.series, circular: { pattern: old, from: 'committee_leader', replyWd: 0 } } })), 400, ['doc.series.circular.pattern']);
    expect(taken.detail).toContain(`series notice numbered in version ${before}`);
    expect((await current()).version).toBe(before + 1);
  });

  it('refuses a series coded __proto__, naming it, instead of dropping it and publishing the rest (it answered 200)', async () => {
    const c = await current();
    const doc = JSON.stringify({ ...c.doc, series: { ...c.doc.series, memo: { pattern: '晋综开备函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } } });
    const body = `{"doc":${doc.replace('"series":{', '"series":{"__proto__":{"pattern":"晋综开原函〔{year}〕{n}号","from":"committee_leader","replyWd":0},')}}`;
    expect(Object.hasOwn(JSON.parse(body).doc.series, '__proto__')).toBe(true);
    const reply = await call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'letters' }, headers: { 'if-match': `"${c.version}"` }, body }));
    expect(expectProblem(reply, 400, ['doc.series.__proto__']).errors![0]!.code).toBe('not_allowed');
    expect((await current()).version).toBe(c.version);
  });
});

// Last in the file: it publishes a letters series of its own (the version numbers above are the seed's and ops').
describe('the ladder’s reads when a letter is answered', () => {
  it('answered at level 0 past its reply-by day, a letter the ladder does not watch (a department’s, an urging letter) reads no ladder configuration, calendar or letters; one it watches does', async () => {
    // A series of the zone's own asking the enterprise for a reply: the ladder watches such a letter's reply window.
    const letters = (await getConfigDoc('letters')).doc;
    await publishTestConfig('letters', { ...letters, series: { ...letters.series, inquiry: { pattern: '晋综开询函〔{year}〕{n}号', from: 'supervision_office', replyWd: 5 } } }, 'a series the ladder watches');
    const id = await newProject();
    const p = await loadProject(id);
    await transact(replaceProject({ ...p, status: 'ACTIVE', matrixVersion: 1, version: p.version + 1 }, p));
    const toDepartment = (await sendAs(id, { ...urging, to: { kind: 'department', role: 'resources_bureau' } })).body;
    const toEnterprise = (await sendAs(id, urging)).body;
    const watched = (await sendAs(id, { ...urging, series: 'inquiry' })).body;
    // Each reply window ended 30 days ago (the enterprise's inquiry is past its grace): a level-0 project all the same.
    const today = shanghaiDate(new Date());
    for (const l of [toDepartment, toEnterprise, watched]) {
      await store.doc.send(new UpdateCommand({ TableName: process.env.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: `LETTER#${l.id}` }, UpdateExpression: 'SET replyBy = :d', ExpressionAttributeValues: { ':d': addCalendarDays(today, -30) } }));
    }
    const LADDER_READS = ['config/escalation', 'calendar stamp', 'calendar', 'letters'];
    /** The DynamoDB calls one answer makes, as it makes them (nothing kept from before: a cold function). */
    const answered = async (letterId: string, as: User) => {
      forgetReferenceData();
      recordedCalls = [];
      const reply = await call<LetterView>(ack, apiEvent('POST /letters/{id}/ack', { as, params: { id: letterId }, body: { reply: '收到。' } }));
      expect(reply.status, reply.text).toBe(200);
      const reads = recordedCalls;
      recordedCalls = undefined;
      return reads;
    };
    const department = await answered(toDepartment.id, users.resourcesOfficer);
    const enterprise = await answered(toEnterprise.id, users.enterpriseA);
    expect(department.filter((c) => LADDER_READS.includes(c))).toEqual([]);
    expect(enterprise.filter((c) => LADDER_READS.includes(c))).toEqual([]);
    // The counting sees these reads when they are made: the watched letter's answer makes each of them, and more calls.
    const ladder = await answered(watched.id, users.enterpriseA);
    expect(new Set(ladder.filter((c) => LADDER_READS.includes(c)))).toEqual(new Set(LADDER_READS));
    expect(ladder.length).toBeGreaterThanOrEqual(department.length + LADDER_READS.length);
    expect(enterprise.length).toBe(department.length);
    expect((await loadProject(id)).escalation.level).toBe(0);
  });
});
