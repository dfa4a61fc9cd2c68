// What users add to a project is bounded and cannot rewrite history: one transition meeting per gate round, held
// between the gate's opening and today, corrected only by an amendment that keeps the original; 容缺 defers a document
// by at most the configured window; open follow-ups and obligations are capped per project (409, nothing written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users, type User } from '../support/events.ts';

const store = isolatedStore('gate-records');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: amendMeeting } = await import('../../functions/lifecycle/http/amend-meeting.ts');
const { handler: completeTask } = await import('../../functions/lifecycle/http/complete-task.ts');
const { handler: decideGate } = await import('../../functions/lifecycle/http/decide-gate.ts');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertTask, putTask, listTasks, getGate } = await import('../../functions/lifecycle/store/tasks.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { addWorkingDays } = await import('../../functions/reference/domain/calendar.ts');
const { addCalendarDays, addYears } = await import('../../functions/kernel/domain/dates.ts');
const { signingGateProject, today, noCalendar } = await import('../support/signing-gate.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

/** An ACTIVE project in SIGNING whose tasks started ten days ago; its gate open since three days ago unless `gateOpen` is false. */
async function project(opts: { gateOpen?: boolean; openItems?: number } = {}) {
  const { project: p, tasks } = await signingGateProject({ prefix: 'gr', startedDaysAgo: 10, gateOpen: opts.gateOpen });
  // Open items already carried (follow-ups of an earlier meeting), written directly.
  for (let i = 0; i < (opts.openItems ?? 0); i += 50) {
    await transact(
      Array.from({ length: Math.min(50, (opts.openItems ?? 0) - i) }, (_, k) =>
        insertTask({ ...tasks[0]!, id: `SIGNING.followup-${i + k + 1}`, code: 'meeting_followup', kind: 'followup', startedDate: today, dueDate: addCalendarDays(today, 30), after: [], requiredForGate: false }),
      ),
    );
  }
  return p;
}

const meetingBody = (heldOn: string, followUps: { item: string; owner: string; dueDate: string }[] = []) => ({ heldOn, attendees: ['分管领导', '园区'], decisions: ['同意转段'], followUps });
const meeting = (id: string, body: unknown, as: User = users.committeeLeader) =>
  call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as, params: { id, stage: 'SIGNING' }, body }));
const amend = (id: string, body: unknown, as: User = users.committeeLeader) =>
  call(amendMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting/amendments', { as, params: { id, stage: 'SIGNING' }, body }));
const complete = (id: string, taskId: string, body: unknown, as: User = users.investmentOfficer) =>
  call(completeTask, apiEvent('POST /projects/{id}/tasks/{taskId}/complete', { as, params: { id, taskId }, body }));

describe('the transition meeting 转段会议', () => {
  it('cannot be backdated before the gate opened, nor dated in the future; nothing is written', async () => {
    const p = await project();
    const before = await store.snapshot();
    expectProblem(await meeting(p.id, meetingBody('2000-01-01')), 400, ['heldOn']);
    expectProblem(await meeting(p.id, meetingBody(addCalendarDays(today, -4))), 400, ['heldOn']);
    expectProblem(await meeting(p.id, meetingBody(addCalendarDays(today, 1))), 400, ['heldOn']);
    expect(await store.snapshot()).toEqual(before);
    expect((await meeting(p.id, meetingBody(addCalendarDays(today, -3)))).status).toBe(201);
  });

  it('gives work only to who can do it, within a year: not the discipline office or ops, not 2099; nothing is written', async () => {
    const p = await project();
    const before = await store.snapshot();
    const item = (owner: string, dueDate = addCalendarDays(today, 10)) => ({ item: '跟进', owner, dueDate });
    expectProblem(await meeting(p.id, meetingBody(today, [item('discipline_office')])), 400, ['followUps[0].owner']);
    expectProblem(await meeting(p.id, meetingBody(today, [item('resources_bureau'), item('ops')])), 400, ['followUps[1].owner']);
    expectProblem(await meeting(p.id, meetingBody(today, [item('resources_bureau', '2099-12-31')])), 400, ['followUps[0].dueDate']);
    expect(await store.snapshot()).toEqual(before);
    expect((await meeting(p.id, meetingBody(today, [item('enterprise', addYears(today, 1))]))).status).toBe(201);
    expectProblem(await amend(p.id, { reason: '补充', addFollowUps: [item('resources_bureau', addCalendarDays(addYears(today, 1), 1))] }), 400, ['addFollowUps[0].dueDate']);
  });

  it('agrees one item of one owner once: named twice in the record, or again by an amendment, it is 400 naming it; nothing is written', async () => {
    const p = await project();
    const due = addCalendarDays(today, 10);
    const before = await store.snapshot();
    const twice = await meeting(p.id, meetingBody(today, [{ item: '补充用地资料', owner: 'resources_bureau', dueDate: due }, { item: '补充 用地资料', owner: 'resources_bureau', dueDate: addCalendarDays(due, 5) }]));
    expectProblem(twice, 400, ['followUps[1].item']);
    expect(await store.snapshot()).toEqual(before);
    const recorded = await meeting(p.id, meetingBody(today, [{ item: '补充用地资料', owner: 'resources_bureau', dueDate: due }, { item: '补充用地资料', owner: 'enterprise', dueDate: due }]));
    expect(recorded.status, recorded.text).toBe(201);
    const recordedOnly = await store.snapshot();
    expectProblem(await amend(p.id, { reason: '补记', addFollowUps: [{ item: '补充用地资料', owner: 'resources_bureau', dueDate: addCalendarDays(due, 3) }] }), 400, ['addFollowUps[0].item']);
    expect(await store.snapshot()).toEqual(recordedOnly);
    expect((await listTasks(p.id)).filter((t) => t.kind === 'followup')).toHaveLength(2);
  });

  it('holds at most 100 follow-ups, as recorded and amended together: the next is 400 on addFollowUps, never a record too large to store (500)', async () => {
    const p = await project();
    const long = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ item: `${tag}${i}-${'事'.repeat(480)}`, owner: 'approval_office', dueDate: addCalendarDays(today, 30) }));
    expect((await meeting(p.id, meetingBody(today, long('会', 40)))).status).toBe(201);
    const statuses: number[] = [];
    for (let k = 0; k < 7; k++) {
      // The items done meanwhile (the cap on open items is another bound): written straight to the store.
      const open = (await listTasks(p.id)).filter((t) => t.kind === 'followup' && t.status === 'open');
      await transact(open.map((t) => putTask({ ...t, status: 'done', completion: { by: 'u', role: t.lead, at: new Date().toISOString(), documents: [], deficiencies: [] } })));
      const reply = await amend(p.id, { reason: `补记${k}`, addFollowUps: long(`补${k}-`, 40) });
      statuses.push(reply.status);
      if (reply.status === 400) expect(expectProblem(reply, 400, ['addFollowUps']).errors?.[0]?.message).toMatch(/at most 100 follow-ups: it has 80, 20 more fit/);
    }
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400, 400]);
    expect((await getGate(p.id, 'SIGNING'))?.meeting?.followUps).toHaveLength(80);
    expect((await amend(p.id, { reason: '补记', addFollowUps: long('末', 20) })).status).toBe(201);
  });

  it('is not recorded for a gate that has not opened (409), nor for PRODUCING, which has no gate (400 on the stage)', async () => {
    const p = await project({ gateOpen: false });
    expectProblem(await meeting(p.id, meetingBody(today)), 409);
    expectProblem(await call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id: p.id, stage: 'PRODUCING' }, body: meetingBody(today) })), 400, ['path.stage']);
  });

  it('is recorded once per gate round: a second record is a 409 and the first stands — even from another role', async () => {
    const p = await project();
    expect((await meeting(p.id, meetingBody(today), users.committeeLeader)).status).toBe(201);
    const second = await meeting(p.id, { ...meetingBody(today), decisions: ['不同意'] }, users.huitongParkCenter);
    expect(expectProblem(second, 409).detail).toMatch(/amendment/);
    expect((await getGate(p.id, 'SIGNING'))?.meeting).toMatchObject({ decisions: ['同意转段'], recordedBy: users.committeeLeader.sub, round: 1 });
  });

  it('ten records sent at once: exactly one is kept', async () => {
    const p = await project();
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => meeting(p.id, { ...meetingBody(today), decisions: [`决定${i}`] })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status !== 201).map((r) => r.status)).toEqual(Array(9).fill(409));
  });

  it('is corrected by an amendment that keeps the original in the record and on the timeline', async () => {
    const p = await project();
    expect((await meeting(p.id, meetingBody(addCalendarDays(today, -1)))).status).toBe(201);
    const reply = await amend(p.id, { reason: '补记与会人员', attendees: ['分管领导', '园区', '自然资源局'], addFollowUps: [{ item: '补充用地资料', owner: 'resources_bureau', dueDate: addCalendarDays(today, 10) }] });
    expect(reply.status, reply.text).toBe(201);
    const gate = await getGate(p.id, 'SIGNING');
    expect(gate?.meeting).toMatchObject({ heldOn: addCalendarDays(today, -1), attendees: ['分管领导', '园区', '自然资源局'], amendmentCount: 1 });
    expect(reply.body).toMatchObject({ amendment: { number: 1, by: users.committeeLeader.sub, role: 'committee_leader', reason: '补记与会人员', changes: { attendees: { before: ['分管领导', '园区'], after: ['分管领导', '园区', '自然资源局'] } } } });
    // The amendment is a record of its own, beside the meeting record.
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const records = await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_PROJECTS, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${p.id}`, ':s': 'MEETING#' } }));
    expect((records.Items ?? []).map((i) => i.sk)).toEqual(['MEETING#SIGNING#001', 'MEETING#SIGNING#001#AMD#0001']);
    const followUps = (await listTasks(p.id)).filter((t) => t.kind === 'followup');
    // Its English name says where it came from (the item was given in Chinese only).
    expect(followUps).toEqual([expect.objectContaining({ lead: 'resources_bureau', name: { zh: '补充用地资料', en: `Gate meeting follow-up (${addCalendarDays(today, -1)}): 补充用地资料` } })]);
    const events = await store.audit(`PROJECT#${p.id}`);
    expect(events.map((e) => e.action)).toEqual(['gate.meeting_recorded', 'gate.meeting_amended']);
    expect(events[1]).toMatchObject({ before: { attendees: ['分管领导', '园区'] }, after: { attendees: ['分管领导', '园区', '自然资源局'], reason: '补记与会人员' } });
  });

  it("a park center may not amend the committee leader's record; an amendment cannot backdate either", async () => {
    const p = await project();
    expect((await meeting(p.id, meetingBody(today))).status).toBe(201);
    expectProblem(await amend(p.id, { reason: '改写', decisions: ['不同意'] }, users.huitongParkCenter), 403);
    expectProblem(await amend(p.id, { reason: '改日期', heldOn: '2000-01-01' }), 400, ['heldOn']);
    expectProblem(await amend(p.id, { reason: '无变化', decisions: ['同意转段'] }), 400);
    expect((await getGate(p.id, 'SIGNING'))?.meeting).toMatchObject({ decisions: ['同意转段'], amendmentCount: 0 });
  });
});

describe('work with a date a person set, in the answer that creates it', () => {
  /** The first Saturday after `from` (no calendar is loaded here: Saturdays and Sundays are rest days). */
  const saturdayAfter = (from: string) => {
    let d = addCalendarDays(from, 1);
    while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 6) d = addCalendarDays(d, 1);
    return d;
  };
  type Dated = { id: string; dueDate: string; dueDateSet: string; yellowDate: string | null; startedDate: string };
  const expectMoved = (t: Dated, set: string) => {
    const monday = addCalendarDays(set, 2);
    expect(t).toMatchObject({ dueDateSet: set, dueDate: monday });
    // Its yellow light three working days before (config/lights), or the day it started if that is later.
    const yellow = addWorkingDays(monday, -DEFAULT_CONFIG.lights.yellowBeforeWd, noCalendar).date;
    expect(t.yellowDate).toBe(yellow < t.startedDate ? t.startedDate : yellow);
  };

  it('a 容缺 document and a meeting’s follow-up due on a Saturday show Monday, the date as set and the yellow date, as stored', async () => {
    const p = await project();
    const saturday = saturdayAfter(today);
    const done = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: saturday }] });
    expect(done.status, done.text).toBe(200);
    const obligation = (done.body as { obligations: Dated[] }).obligations[0]!;
    expectMoved(obligation, saturday);
    const recorded = await meeting(p.id, meetingBody(today, [{ item: '补充用地资料', owner: 'resources_bureau', dueDate: addCalendarDays(saturday, 7) }]));
    expect(recorded.status, recorded.text).toBe(201);
    const amended = await amend(p.id, { reason: '补记事项', addFollowUps: [{ item: '补充规划资料', itemEn: 'Planning documents to supply', owner: 'resources_bureau', dueDate: addCalendarDays(saturday, 14) }] });
    expect(amended.status, amended.text).toBe(201);
    const stored = await listTasks(p.id);
    // An item given in English too is the task's English name, and the meeting record keeps it.
    expect(stored.find((t) => t.id === (amended.body as { followUpTasks: string[] }).followUpTasks[0])?.name).toEqual({ zh: '补充规划资料', en: 'Planning documents to supply' });
    expect((amended.body as { meeting: { followUps: { itemEn?: string }[] } }).meeting.followUps.at(-1)).toMatchObject({ itemEn: 'Planning documents to supply' });
    const byId = (id: string) => stored.find((t) => t.id === id) as unknown as Dated;
    expect(byId(obligation.id)).toMatchObject({ dueDate: obligation.dueDate, yellowDate: obligation.yellowDate });
    expectMoved(byId((recorded.body as { followUpTasks: string[] }).followUpTasks[0]!), addCalendarDays(saturday, 7));
    expectMoved(byId((amended.body as { followUpTasks: string[] }).followUpTasks[0]!), addCalendarDays(saturday, 14));
  });
});

describe('容缺办理: completing a task with documents missing', () => {
  it('refuses a missing document due beyond the window (20 working days by default), naming the field; nothing is written', async () => {
    const p = await project();
    const before = await store.snapshot();
    const reply = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: addCalendarDays(today, 5) }, { document: '土地证明', dueDate: '2099-12-31' }] });
    expectProblem(reply, 400, ['deficiencies[1].dueDate']);
    expect(await store.snapshot()).toEqual(before);
    const last = addWorkingDays(today, 20, noCalendar).date;
    expect((await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: last }] })).status).toBe(200);
  });

  it('names an obligation in each language when the document is given in both (documentEn, as an item’s itemEn): the answer and the stored task; one too long is refused by name, nothing written', async () => {
    const p = await project();
    const due = addCalendarDays(today, 3);
    const before = await store.snapshot();
    expectProblem(await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '用地预审意见', documentEn: 'x'.repeat(401), dueDate: due }] }), 400, ['deficiencies[0].documentEn']);
    expect(await store.snapshot()).toEqual(before);
    const done = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '用地预审意见', documentEn: 'Land pre-review opinion', dueDate: due }, { document: '选址意见书', dueDate: due }] });
    expect(done.status, done.text).toBe(200);
    const answered = (done.body as { obligations: { name: string; nameEn: string }[] }).obligations;
    expect(answered.map((o) => [o.name, o.nameEn])).toEqual([
      ['容缺补正：用地预审意见', 'Missing document: Land pre-review opinion'],
      ['容缺补正：选址意见书', 'Missing document: 选址意见书'],
    ]);
    const stored = (await listTasks(p.id)).filter((t) => t.kind === 'obligation');
    expect(stored.map((t) => t.name)).toEqual([
      { zh: '容缺补正：用地预审意见', en: 'Missing document: Land pre-review opinion' },
      { zh: '容缺补正：选址意见书', en: 'Missing document: 选址意见书' },
    ]);
  });

  it('takes the window from config/limits', async () => {
    const published = await call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'limits' }, headers: { 'if-match': '"0"' }, body: { doc: { deficiencyWindowWd: 5, openItemsPerProject: 200 }, note: '收紧容缺期限' } }));
    expect(published.status, published.text).toBe(200);
    try {
      const p = await project();
      const reply = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: addWorkingDays(today, 6, noCalendar).date }] });
      expect(expectProblem(reply, 400, ['deficiencies[0].dueDate']).errors?.[0]?.message).toMatch(/5 working days/);
    } finally {
      await call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'limits' }, headers: { 'if-match': '"1"' }, body: { doc: DEFAULT_CONFIG.limits } }));
    }
  });

  it('numbers the obligations of a task completed a second time (reopened at its gate) after the first ones', async () => {
    const p = await project();
    const due = addCalendarDays(today, 3);
    expect((await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '甲', dueDate: due }] })).status).toBe(200);
    const done = (await listTasks(p.id)).find((t) => t.id === 'SIGNING.pre_site_selection')!;
    await transact([putTask({ ...done, status: 'open', completion: undefined })]);
    const again = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '乙', dueDate: due }] });
    expect(again.status, again.text).toBe(200);
    expect((await listTasks(p.id)).filter((t) => t.kind === 'obligation').map((t) => t.id).sort()).toEqual([
      'SIGNING.pre_site_selection.obligation-1',
      'SIGNING.pre_site_selection.obligation-2',
    ]);
  });
  it('does not owe a document twice: a task its gate reopened, completed again, names a document its open obligation owes — 400, nothing written', async () => {
    const p = await project();
    const due = addCalendarDays(today, 3);
    expect((await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: due }] })).status).toBe(200);
    const rejected = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: users.resourcesOfficer, params: { id: p.id, stage: 'SIGNING' }, body: { decision: 'reject', comment: '选址方案需调整', reopenTasks: ['SIGNING.pre_site_selection'] } }));
    expect(rejected.status, rejected.text).toBe(201);
    const before = await store.snapshot();
    const twice = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址 意见书', dueDate: addCalendarDays(today, 5) }] });
    expect(expectProblem(twice, 400, ['deficiencies[0].document']).errors?.[0]?.message).toMatch(/SIGNING\.pre_site_selection\.obligation-1/);
    expect(await store.snapshot()).toEqual(before);
    expect((await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '土地证明', dueDate: due }] })).status).toBe(200);
    const obligations = (await listTasks(p.id)).filter((t) => t.kind === 'obligation');
    expect(obligations.map((t) => [t.id, t.name.zh])).toEqual([
      ['SIGNING.pre_site_selection.obligation-1', '容缺补正：选址意见书'],
      ['SIGNING.pre_site_selection.obligation-2', '容缺补正：土地证明'],
    ]);
  });
});

describe('the cap on open follow-ups and obligations per project (200 by default)', () => {
  it('refuses a 容缺 completion beyond the cap with 409 and writes nothing', async () => {
    const p = await project({ openItems: 200 });
    const before = await store.snapshot();
    const reply = await complete(p.id, 'SIGNING.pre_site_selection', { deficiencies: [{ document: '选址意见书', dueDate: addCalendarDays(today, 3) }] });
    expect(expectProblem(reply, 409).detail).toMatch(/200/);
    expect(await store.snapshot()).toEqual(before);
    // Without missing documents the completion adds nothing and goes through.
    expect((await complete(p.id, 'SIGNING.pre_site_selection', {})).status).toBe(200);
  });

  it('refuses meeting follow-ups beyond the cap with 409 and writes nothing; up to the cap they are accepted', async () => {
    const p = await project({ openItems: 160 });
    const followUps = (count: number) => Array.from({ length: count }, (_, i) => ({ item: `事项${i}`, owner: 'approval_office', dueDate: addCalendarDays(today, 10) }));
    const before = await store.snapshot();
    expectProblem(await meeting(p.id, meetingBody(today, followUps(41))), 409);
    expect(await store.snapshot()).toEqual(before);
    expect((await meeting(p.id, meetingBody(today, followUps(40)))).status).toBe(201);
    expect((await listTasks(p.id)).filter((t) => t.kind === 'followup' && t.status === 'open')).toHaveLength(200);
  });
});
