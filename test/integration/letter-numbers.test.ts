// A letter's number 文号 is never issued twice: each number issued claims its own item (series, year, number) in the
// letter's transaction, so a counter deleted, set back or left malformed by hand can neither reuse a number nor stop
// the series — the next letter skips past what is taken, and a malformed counter is repaired (and said in the log).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('letter-numbers');
registerFakeWorkflow();
const { handler: send } = await import('../../functions/supervision/http/send-letter.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
const { log } = await import('../../functions/kernel/runtime/log.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

const year = Number(shanghaiDate(new Date()).slice(0, 4));
const counter = { pk: `COUNTER#LETTER#notice#${year}`, sk: 'COUNTER' };
const newProject = async () => (await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }))).body.id;
const notice = (projectId: string, subject: string) =>
  call<{ number: string }>(send, apiEvent('POST /projects/{id}/letters', { as: users.committeeLeader, params: { id: projectId }, body: { series: 'notice', to: { kind: 'enterprise' }, subject, body: '。' } }));
const n = (number: string) => Number(/〕(\d+)号/.exec(number)![1]);
const counterSeq = async () => (await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: counter, ConsistentRead: true }))).Item?.seq;

describe('letter numbers', () => {
  it('a counter deleted or set back skips past the numbers issued; a malformed one is repaired, said in the log', async () => {
    const id = await newProject();
    const issued: number[] = [];
    const issue = async (subject: string) => {
      const r = await notice(id, subject);
      expect(r.status, r.text).toBe(201);
      issued.push(n(r.body.number));
      return n(r.body.number);
    };
    expect(await issue('一')).toBe(1);
    expect(await issue('二')).toBe(2);
    expect(await issue('三')).toBe(3);
    // Set back by hand: the next letter is no. 4, not no. 2 again; the counter is moved on past it.
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: counter, UpdateExpression: 'SET seq = :n', ExpressionAttributeValues: { ':n': 1 } }));
    expect(await issue('四')).toBe(4);
    expect(await counterSeq()).toBe(4);
    // Deleted: no. 5.
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_PROJECTS, Key: counter }));
    expect(await issue('五')).toBe(6 - 1);
    const warn = vi.spyOn(log, 'warn');
    try {
      // Malformed: seq 0, missing, a string, not a number at all — each repaired by the next letter, which takes the next number.
      for (const [bad, seq] of [[{ seq: 0 }, 6], [{}, 7], [{ seq: '7' }, 8], [{ seq: 'abc' }, 9], [{ seq: { n: 1 } }, 10], [{ seq: -3 }, 11], [{ seq: 2.5 }, 12]] as const) {
        await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: { ...counter, entity: 'letter-counter', series: 'notice', year, ...bad } }));
        expect(await issue(`第${seq}`)).toBe(seq);
        expect(await counterSeq()).toBe(seq);
      }
      expect(warn.mock.calls.filter(([message]) => /letter counter/.test(String(message))).length).toBeGreaterThanOrEqual(7);
    } finally {
      warn.mockRestore();
    }
    expect(new Set(issued).size).toBe(issued.length);
    // Each number issued claims its item in the counter's partition, naming its letter.
    const claim = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: counter.pk, sk: 'NUMBER#0000000004' }, ConsistentRead: true }));
    expect(claim.Item).toMatchObject({ entity: 'letter-number', series: 'notice', year, seq: 4, projectId: id });
  });

  it('20 letters at once still take 20 different numbers with the counter set back meanwhile', async () => {
    const id = await newProject();
    // Some letters of the series issued first (whatever the case before left).
    for (const subject of ['甲', '乙']) expect((await notice(id, subject)).status).toBe(201);
    const first = await notice(id, '首');
    expect(first.status, first.text).toBe(201);
    const before = n(first.body.number);
    expect(before).toBeGreaterThan(2);
    await store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: counter, UpdateExpression: 'SET seq = :n', ExpressionAttributeValues: { ':n': 1 } }));
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => notice(id, `并发${i}`)));
    for (const r of replies) expect(r.status, r.text).toBe(201);
    const numbers = replies.map((r) => n(r.body.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
  });
});
