// POST /projects/{id}/matrix — ops move a running project off a responsibility matrix published by mistake: the
// project follows another published version for the stages it has not entered yet; the stage it is in keeps its tasks
// and gate as entered. Refused (409 naming the field) for a project not running, a version never published or one older
// than the version it follows.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { startOnWorkday } from '../support/workday-clock.ts';
import { apiEvent, call, users, type User } from '../support/events.ts';
import type { Matrix } from '../../functions/reference/domain/config.ts';

const store = isolatedStore('matrix-repin');
startOnWorkday();
const { handler: repin } = await import('../../functions/lifecycle/http/repin-matrix.ts');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: decideGate } = await import('../../functions/lifecycle/http/decide-gate.ts');
const { handler: enterStage } = await import('../../functions/lifecycle/steps/enter-stage.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { gateDecided, getGate, listTasks, putGate } = await import('../../functions/lifecycle/store/tasks.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { seedConfig, publishTestConfig } = await import('../support/config.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { beforeTransaction } = await import('../support/transaction-hook.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');

/**
 * v2, published by mistake: 土地出让 in 300 working days, the signing gate decided by the eco bureau instead of the
 * resources bureau. v3, the correction: 25, and the resources bureau again.
 */
const WRONG_SIGNING_APPROVERS = ['committee_leader', 'track_dept', 'eco_bureau'] as const;
const withLandTransfer = (limitWd: number, signingApprovers?: readonly string[]): Matrix => ({
  ...DEFAULT_CONFIG.matrix,
  tasks: DEFAULT_CONFIG.matrix.tasks.map((t) => (t.code === 'land_transfer' ? { ...t, limitWd } : t)),
  gates: DEFAULT_CONFIG.matrix.gates.map((g) => (g.stage === 'SIGNING' && signingApprovers ? { ...g, approvers: [...signingApprovers] as typeof g.approvers } : g)),
});

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
  await publishTestConfig('matrix', withLandTransfer(300, WRONG_SIGNING_APPROVERS), '误发：土地出让 300 个工作日，落地转段审批部门有误');
  await publishTestConfig('matrix', withLandTransfer(25), '更正：土地出让 25 个工作日');
});
afterAll(() => {
  delete process.env.ZONEFLOW_CLOCK_START;
  return store.destroy();
});

const move = (id: string, body: unknown, headers: Record<string, string> = {}, as: User = users.opsEngineer) =>
  call<Record<string, unknown>>(repin, apiEvent('POST /projects/{id}/matrix', { as, params: { id }, body, headers }));

const codes = (problem: { errors?: readonly { code: string }[] }) => (problem.errors ?? []).map((e) => e.code);

/**
 * An ACTIVE land project at its signing gate (every task done, a parcel held), admitted under the mistaken v2: its open
 * gate waits for the eco bureau.
 */
async function admittedUnderTheMistake() {
  const reservations = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'parcel-1', amount: 1, status: 'reserved' as const }];
  const { project } = await signingGateProject({ prefix: 'mr', startedDaysAgo: 20, tasksDone: true, project: { matrixVersion: 2, reservations } });
  const gate = (await getGate(project.id, 'SIGNING'))!;
  await transact([putGate(project.id, { ...gate, requiredApprovals: ['committee_leader', 'investment_dept', 'eco_bureau'] })]);
  return project;
}
type Admitted = Awaited<ReturnType<typeof admittedUnderTheMistake>>;
/**
 * The eco bureau told of `p`'s signing gate as its opening and its reviews tell it: a gate.open for `p` and for `other`
 * (another project's, not a move of `p`'s to void) `openAgoMs` ago, then a gate.overdue for `p` per age in `overdueAgoMs`.
 * Answers the gate as read.
 */
async function ecoToldOfGate(p: Admitted, other: Admitted, openAgoMs: number, overdueAgoMs: readonly number[]) {
  const { noticeOps } = await import('../../functions/notifications/notifier.ts');
  const { clock } = await import('../../functions/kernel/runtime/clock.ts');
  const gate = (await getGate(p.id, 'SIGNING'))!;
  const told = (project: typeof p) => ({ project, to: 'eco_bureau' as const, gate: gate.name.zh, gateEn: gate.name.en, stage: 'SIGNING' as const, dueDate: gate.dueDate });
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  await transact(noticeOps([{ kind: 'gate.open', ...told(p) }, { kind: 'gate.open', ...told(other) }], ago(openAgoMs)));
  for (const ms of overdueAgoMs) await transact(noticeOps([{ kind: 'gate.overdue', ...told(p), pending: gate.requiredApprovals }], ago(ms)));
  return gate;
}
const approve = (id: string, as: User) => call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as, params: { id, stage: 'SIGNING' }, body: { decision: 'approve' } }));

/** The default matrix's tasks in LANDING for a land project (v2 and v3 differ only in one limit). */
const LANDING_TASKS = DEFAULT_CONFIG.matrix.tasks.filter((t) => t.stage === 'LANDING' && t.siteModes.includes('land')).length;

/** The stage's entry, tasks and gate taken out of the store: the stage passed into but not entered. */
async function withoutEntry(id: string, stage: string) {
  const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
  const tasks = (await listTasks(id)).filter((t) => t.stage === stage);
  const keys = [{ pk: `PROJECT#${id}`, sk: `STAGE#${stage}` }, ...tasks.map((t) => ({ pk: `PROJECT#${id}`, sk: `TASK#${t.id}` })), { pk: `PROJECT#${id}`, sk: `GATE#${stage}` }];
  for (const Key of keys) await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_PROJECTS, Key }));
  expect((await listTasks(id)).filter((t) => t.stage === stage)).toHaveLength(0);
}

/**
 * Ops move the project (on v2) onto v3 after `enter` read it and before the transaction that enters LANDING commits:
 * LANDING is entered once, on v3 (土地出让 in 25 working days).
 */
async function enteredOnMovedVersion(id: string, enter: () => Promise<unknown>) {
  let moved: Awaited<ReturnType<typeof move>> | undefined;
  const remove = beforeTransaction(ddb, 'STAGE#LANDING', async () => {
    const read = (await store.storedProject(id))!;
    moved = await move(id, { version: 3, note: '更正' }, { 'if-match': `"${read.version}"` });
  });
  try {
    await enter();
  } finally {
    remove();
  }
  expect(moved?.status, moved?.text).toBe(200);
  expect(await store.storedProject(id)).toMatchObject({ stage: 'LANDING', matrixVersion: 3 });
  const landTransfer = (await listTasks(id)).filter((t) => t.stage === 'LANDING' && t.code === 'land_transfer');
  expect(landTransfer).toHaveLength(1);
  expect(landTransfer[0]).toMatchObject({ limitWd: 25, matrixVersion: 3 });
}

async function passSigningGate(id: string) {
  const meeting = await call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps: [] } }));
  expect(meeting.status).toBe(201);
  for (const as of [users.committeeLeader, users.investmentOfficer, users.resourcesOfficer]) {
    const reply = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as, params: { id, stage: 'SIGNING' }, body: { decision: 'approve' } }));
    expect(reply.status).toBe(201);
  }
  expect((await store.storedProject(id))?.stage).toBe('LANDING');
}

describe('moving a running project onto the corrected matrix', () => {
  it('the next stage entered takes its tasks from the version moved to; the current stage keeps its own', async () => {
    const p = await admittedUnderTheMistake();
    const before = await listTasks(p.id);
    const gateBefore = await getGate(p.id, 'SIGNING');

    const reply = await move(p.id, { version: 3, note: '第 2 版误发，改按第 3 版' }, { 'if-match': `"${p.version}"`, 'idempotency-key': 'repin-1' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: p.id, matrixVersion: 3, version: p.version + 1 });
    expect(reply.headers.etag).toBe(`"${p.version + 1}"`);
    // Sent again with its key: the same answer, nothing moved twice.
    const again = await move(p.id, { version: 3, note: '第 2 版误发，改按第 3 版' }, { 'if-match': `"${p.version}"`, 'idempotency-key': 'repin-1' });
    expect(again.status).toBe(200);
    expect((await store.storedProject(p.id))?.version).toBe(p.version + 1);
    // Audited with before and after and the note.
    const event = (await store.audit(`PROJECT#${p.id}`)).find((e) => e.action === 'matrix.repinned');
    expect(event).toMatchObject({ before: { matrixVersion: 2 }, after: { matrixVersion: 3, note: '第 2 版误发，改按第 3 版' } });
    // The stage it is in: its tasks untouched; its gate, decided by no one yet, waits for the approvers v3 names.
    expect(await listTasks(p.id)).toEqual(before);
    expect(await getGate(p.id, 'SIGNING')).toEqual({ ...gateBefore, requiredApprovals: ['committee_leader', 'investment_dept', 'resources_bureau'] });
    expect(event).toMatchObject({ before: { gateApprovers: ['committee_leader', 'investment_dept', 'eco_bureau'] }, after: { gateApprovers: ['committee_leader', 'investment_dept', 'resources_bureau'] } });
    expectProblem(await approve(p.id, users.ecoOfficer), 403);
    // The department the gate now waits for is told it is open, as at its opening.
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    expect(inbox.filter((n) => n.kind === 'gate.open' && n.projectId === p.id).map((n) => n.recipient)).toEqual(['DEPT#resources_bureau']);

    // Into LANDING: entered with the pass, on the version the project follows at that moment; the lifecycle's
    // `Enter stage` then finds it entered and writes nothing.
    await passSigningGate(p.id);
    const landTransfer = (await listTasks(p.id)).filter((t) => t.stage === 'LANDING' && t.code === 'land_transfer');
    expect(landTransfer).toHaveLength(1);
    expect(landTransfer[0]).toMatchObject({ limitWd: 25, matrixVersion: 3 });
    const entered = (await enterStage({ projectId: p.id, stage: 'LANDING', segment: 1 })) as { entered: boolean };
    expect(entered.entered).toBe(false);
    expect((await listTasks(p.id)).filter((t) => t.stage === 'LANDING')).toHaveLength(LANDING_TASKS);
  });

  it('the department the gate no longer waits for is told, in Chinese and English; the gate and its lists stop naming it', async () => {
    const p = await admittedUnderTheMistake();
    expect((await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${p.version}"` })).status).toBe(200);
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    const withdrawn = inbox.filter((n) => n.kind === 'gate.open_withdrawn' && n.projectId === p.id);
    // The eco bureau alone: the committee leader and the investment department still decide it.
    expect(withdrawn.map((n) => n.recipient)).toEqual(['DEPT#eco_bureau']);
    expect(withdrawn[0]).toMatchObject({
      title: '转段审批撤回：落地转段会议',
      body: `${p.name}：项目已改按第3版责任矩阵办理，招商签约阶段转段改由管委会分管领导、产业规划与创新管理部、规划和自然资源局开发区分局审批，无需生态环境局开发区分局审批，此前的待审通知作废`,
      en: {
        title: 'Gate no longer awaits your decision: Landing transition meeting',
        body: `${p.name}: the project now follows matrix version 3; the Signing gate is decided by Committee leader in charge, Industrial planning & investment department and Planning & natural resources bureau, and no longer needs Ecology & environment bureau — the earlier notice is void`,
      },
    });
    // Its view of the project names it no more among the approvers; it cannot decide the gate.
    const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
    const seen = await call<{ gate: { requiredApprovals: string[] } }>(getProject, apiEvent('GET /projects/{id}', { as: users.ecoOfficer, params: { id: p.id } }));
    expect(seen.body.gate.requiredApprovals).not.toContain('eco_bureau');
    expectProblem(await approve(p.id, users.ecoOfficer), 403);
  });

  it("the department the gate no longer waits for finds its earlier gate.open and gate.overdue notices settled: read, voided by the withdrawal", async () => {
    const p = await admittedUnderTheMistake();
    const other = await admittedUnderTheMistake();
    const { handler: myNotifications } = await import('../../functions/notifications/http/my-notifications.ts');
    // As the gate's opening and the review told it: it awaits the eco bureau, then it is overdue; the other project's too.
    await ecoToldOfGate(p, other, 60_000, [30_000]);
    type Page = { items: { kind: string; projectId: string | null; read: boolean; readAt: string | null; readBy: string | null; voidedAt: string | null; voidedBy: string | null }[]; unread: number };
    const inbox = () => call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: users.ecoOfficer, query: { limit: '100' } }));
    const unreadBefore = (await inbox()).body.unread;

    expect((await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${p.version}"` })).status).toBe(200);
    const page = (await inbox()).body;
    const mine = page.items.filter((n) => n.projectId === p.id);
    // The withdrawal arrives unread; the notices it voids are read (by no one: settled by the re-pin) and say so.
    expect(mine.map((n) => [n.kind, n.read]).sort()).toEqual([['gate.open', true], ['gate.open_withdrawn', false], ['gate.overdue', true]]);
    for (const n of mine.filter((m) => m.kind !== 'gate.open_withdrawn')) expect(n).toMatchObject({ readAt: expect.any(String), readBy: null, voidedAt: expect.any(String), voidedBy: 'gate.open_withdrawn' });
    expect(mine.find((n) => n.kind === 'gate.open_withdrawn')).toMatchObject({ voidedAt: null, voidedBy: null });
    // One unread for the project now (the withdrawal) where there were two; the other project's notice untouched.
    expect(page.unread).toBe(unreadBefore - 1);
    expect(page.items.find((n) => n.projectId === other.id && n.kind === 'gate.open')).toMatchObject({ read: false, voidedAt: null });
    const unreadOnly = await call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: users.ecoOfficer, query: { unread: 'true', limit: '100' } }));
    expect(unreadOnly.body.items.filter((n) => n.projectId === p.id).map((n) => n.kind)).toEqual(['gate.open_withdrawn']);
  });

  it("a gate with an approval recorded keeps its approvers; an approval decided on the approvers read before they moved does not count", async () => {
    const p = await admittedUnderTheMistake();
    expect((await approve(p.id, users.committeeLeader)).status).toBe(201);
    const read = (await store.storedProject(p.id))!;
    const gateBefore = await getGate(p.id, 'SIGNING');
    const reply = await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${read.version}"` });
    expect(reply.status).toBe(200);
    expect(await getGate(p.id, 'SIGNING')).toEqual(gateBefore);

    // A second project: the eco bureau's approval was decided on the gate as read before ops moved its approvers.
    const q = await admittedUnderTheMistake();
    const stale = (await getGate(q.id, 'SIGNING'))!;
    expect((await move(q.id, { version: 3, note: '更正' }, { 'if-match': `"${q.version}"` })).status).toBe(200);
    await expect(transact([gateDecided(q.id, stale, [])])).rejects.toThrow(/changed meanwhile/);
  });

  it('a gate whose round someone decided keeps its approvers: the answer and the audit say so, and what the version names', async () => {
    const p = await admittedUnderTheMistake();
    expect((await approve(p.id, users.committeeLeader)).status).toBe(201);
    const read = (await store.storedProject(p.id))!;
    const reply = await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${read.version}"` });
    expect(reply.status, reply.text).toBe(200);
    const wrong = ['committee_leader', 'investment_dept', 'eco_bureau'];
    const named = ['committee_leader', 'investment_dept', 'resources_bureau'];
    expect(reply.body.gateApprovers).toEqual({
      stage: 'SIGNING',
      round: 1,
      before: wrong,
      after: wrong,
      versionNames: named,
      moved: false,
      keptBecause: 'decided',
      decisions: [{ role: 'committee_leader', decision: 'approve', at: expect.any(String) }],
    });
    const event = (await store.audit(`PROJECT#${p.id}`)).find((e) => e.action === 'matrix.repinned');
    expect(event).toMatchObject({ before: { matrixVersion: 2, gateApprovers: wrong }, after: { matrixVersion: 3, note: '更正', gateApprovers: wrong, gateKept: { because: 'decided', versionNames: named } } });
  });

  it("after the wrong department's rejection the new round, decided by no one, takes the approvers the version names", async () => {
    const p = await admittedUnderTheMistake();
    const rejected = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: users.ecoOfficer, params: { id: p.id, stage: 'SIGNING' }, body: { decision: 'reject', comment: '材料不全' } }));
    expect(rejected.status, rejected.text).toBe(201);
    const read = (await store.storedProject(p.id))!;
    const reply = await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${read.version}"` });
    expect(reply.status, reply.text).toBe(200);
    const named = ['committee_leader', 'investment_dept', 'resources_bureau'];
    expect(reply.body.gateApprovers).toEqual({ stage: 'SIGNING', round: 2, before: ['committee_leader', 'investment_dept', 'eco_bureau'], after: named, versionNames: named, moved: true, keptBecause: null, decisions: [] });
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ round: 2, requiredApprovals: named });
    expectProblem(await approve(p.id, users.ecoOfficer), 403);
    expect((await approve(p.id, users.resourcesOfficer)).status).toBe(201);
  });

  it('a rejection after a re-pin that kept the approvers begins the next round on the approvers of the version the project follows', async () => {
    const p = await admittedUnderTheMistake();
    expect((await approve(p.id, users.committeeLeader)).status).toBe(201);
    const read = (await store.storedProject(p.id))!;
    expect((await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${read.version}"` })).body.gateApprovers).toMatchObject({ moved: false, keptBecause: 'decided' });
    // The eco bureau was told at the gate's opening that it awaits its decision.
    const { noticeOps } = await import('../../functions/notifications/notifier.ts');
    const { clock } = await import('../../functions/kernel/runtime/clock.ts');
    const open = (await getGate(p.id, 'SIGNING'))!;
    await transact(noticeOps([{ kind: 'gate.open', project: p, to: 'eco_bureau', gate: open.name.zh, gateEn: open.name.en, stage: 'SIGNING', dueDate: open.dueDate }], new Date(clock.now().getTime() - 60_000)));
    const rejected = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: users.investmentOfficer, params: { id: p.id, stage: 'SIGNING' }, body: { decision: 'reject', comment: '需补充用地论证' } }));
    expect(rejected.status, rejected.text).toBe(201);
    const named = ['committee_leader', 'investment_dept', 'resources_bureau'];
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ round: 2, open: true, requiredApprovals: named });
    // Told as a re-pin tells them: the resources bureau that the gate is open, the eco bureau that it no longer decides it.
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    const mine = inbox.filter((n) => n.projectId === p.id);
    expect(mine.filter((n) => n.kind === 'gate.open').map((n) => n.recipient).sort()).toEqual(['DEPT#eco_bureau', 'DEPT#resources_bureau']);
    expect(mine.filter((n) => n.kind === 'gate.open_withdrawn').map((n) => n.recipient)).toEqual(['DEPT#eco_bureau']);
    // Its earlier gate.open is settled with the withdrawal: read, voided by it; the withdrawal itself unread.
    expect(mine.find((n) => n.kind === 'gate.open' && n.recipient === 'DEPT#eco_bureau')).toMatchObject({ read: true, voidedBy: 'gate.open_withdrawn' });
    expect(mine.find((n) => n.kind === 'gate.open' && n.recipient === 'DEPT#eco_bureau')?.gsiUnread).toBeUndefined();
    expect(mine.find((n) => n.kind === 'gate.open_withdrawn')).toMatchObject({ read: false, gsiUnread: 'DEPT#eco_bureau' });
    const event = (await store.audit(`PROJECT#${p.id}`)).find((e) => e.action === 'gate.reject');
    expect(event).toMatchObject({ after: { round: 1, nextRound: { round: 2, approvers: named, matrixVersion: 3 } } });
    expectProblem(await approve(p.id, users.ecoOfficer), 403);
    expect((await approve(p.id, users.resourcesOfficer)).status).toBe(201);
  });

  it('a gate already overdue: the departments the re-pin adds are reminded it is overdue, as the others were', async () => {
    const p = await admittedUnderTheMistake();
    // Past its due date, undecided: the review reminded its approvers and supervision (gate.overdue) the day it passed.
    const gate = (await getGate(p.id, 'SIGNING'))!;
    await transact([putGate(p.id, { ...gate, dueDate: gate.openedDate, overdueSince: today })]);
    expect((await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${p.version}"` })).status).toBe(200);
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    const told = inbox.filter((n) => n.projectId === p.id && n.recipient === 'DEPT#resources_bureau');
    expect(told.map((n) => n.kind).sort()).toEqual(['gate.open', 'gate.overdue']);
    expect(told.find((n) => n.kind === 'gate.overdue')).toMatchObject({
      title: '转段逾期：落地转段会议',
      body: `${p.name}：招商签约转段审批期限${gate.openedDate}已过，待审：管委会分管领导、产业规划与创新管理部、规划和自然资源局开发区分局`,
    });
    // The gate stays overdue since the day it was: the review does not remind the others again.
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ overdueSince: today, requiredApprovals: ['committee_leader', 'investment_dept', 'resources_bureau'] });
  });

  it('a re-pin answered while the gate passing into the next stage is committed: that stage is entered on the version moved to', async () => {
    // Admitted under v2 (its signing gate the right one): the last approval passes the gate and enters LANDING in one
    // transaction; ops move the project onto v3 after the approval read it and before that transaction commits.
    const reservations = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'parcel-1', amount: 1, status: 'reserved' as const }];
    const { project } = await signingGateProject({ prefix: 'mr', startedDaysAgo: 20, tasksDone: true, project: { matrixVersion: 2, reservations } });
    // Refused by the move, the pass is decided again on v3.
    await enteredOnMovedVersion(project.id, () => passSigningGate(project.id));
  });

  it('a re-pin answered while the lifecycle enters a stage its pass did not: that stage is entered on the version moved to', async () => {
    // A stage passed without its entry (a matrix with more tasks in it than the pass's transaction holds): the
    // lifecycle's `Enter stage` writes it, conditioned on the matrix version it read.
    const reservations = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'parcel-1', amount: 1, status: 'reserved' as const }];
    const { project } = await signingGateProject({ prefix: 'mr', startedDaysAgo: 20, tasksDone: true, project: { matrixVersion: 2, reservations } });
    await passSigningGate(project.id);
    await withoutEntry(project.id, 'LANDING');
    // The stage it had not entered when the re-pin was answered.
    await enteredOnMovedVersion(project.id, () => enterStage({ projectId: project.id, stage: 'LANDING', segment: 2 }));
  });

  it('a rejection read on the gate before the re-pin moved its approvers neither counts nor puts the old approvers back', async () => {
    const p = await admittedUnderTheMistake();
    // The eco bureau's rejection: the gate read (its approvers the mistaken ones), then ops move the project onto v3,
    // then the project read — as the decision's reads run side by side.
    let released!: () => void;
    const repinned = new Promise<void>((resolve) => (released = resolve));
    let moved: Awaited<ReturnType<typeof move>> | undefined;
    let gateRead = false;
    let projectRead = false;
    const name = 'repin-between-reads';
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const input = JSON.stringify((args as { input: unknown }).input);
        if (!gateRead && context.commandName === 'QueryCommand' && input.includes(`PROJECT#${p.id}`)) {
          gateRead = true;
          const out = await next(args);
          moved = await move(p.id, { version: 3, note: '更正' }, { 'if-match': `"${p.version}"` });
          released();
          return out;
        }
        if (!projectRead && context.commandName === 'GetItemCommand' && input.includes(`PROJECT#${p.id}`) && /"sk":(\{"S":)?"PROJECT"/.test(input)) {
          projectRead = true;
          await repinned;
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    let rejected: Awaited<ReturnType<typeof call>>;
    try {
      rejected = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: users.ecoOfficer, params: { id: p.id, stage: 'SIGNING' }, body: { decision: 'reject', comment: '环评材料不全' } }));
    } finally {
      ddb.middlewareStack.remove(name);
    }
    // The reads did interleave as meant: the gate before the move, the project after it.
    expect([gateRead, projectRead]).toEqual([true, true]);
    expect(moved?.status, moved?.text).toBe(200);
    // The gate waits for the approvers v3 names, in its first round: the eco bureau no longer decides it.
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ round: 1, requiredApprovals: ['committee_leader', 'investment_dept', 'resources_bureau'] });
    expect(rejected.status, rejected.text).toBe(403);
  });

  it('a dry run answers what the move would do — the gate, who would be told, the stages to come — and writes nothing', async () => {
    const p = await admittedUnderTheMistake();
    const gateBefore = await getGate(p.id, 'SIGNING');
    const ifMatch = { 'if-match': `"${p.version}"` };
    const preview = await move(p.id, { version: 3, note: '第 2 版误发', dryRun: true }, ifMatch);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.headers.etag).toBe(`"${p.version}"`);
    const named = ['committee_leader', 'investment_dept', 'resources_bureau'];
    expect(preview.body).toMatchObject({ id: p.id, dryRun: true, matrixVersion: 3, version: p.version, gateApprovers: { stage: 'SIGNING', moved: true, before: ['committee_leader', 'investment_dept', 'eco_bureau'], after: named } });
    expect(preview.body.told).toEqual([
      { kind: 'gate.open', inbox: 'DEPT#resources_bureau' },
      { kind: 'gate.open_withdrawn', inbox: 'DEPT#eco_bureau' },
    ]);
    // The eco bureau was never told of this gate here: nothing of its inbox to void.
    expect(preview.body.voids).toEqual([]);
    // LANDING, not entered yet: 土地出让 in 25 working days on v3 instead of v2's 300; the signing gate is the current one.
    expect(preview.body.stages).toEqual([{ stage: 'LANDING', tasks: { added: [], removed: [], changed: [{ code: 'land_transfer', fields: ['limitWd'] }] }, gateApprovers: null }]);
    // Nothing written, told or audited.
    expect(await store.storedProject(p.id)).toMatchObject({ version: p.version, matrixVersion: 2 });
    expect(await getGate(p.id, 'SIGNING')).toEqual(gateBefore);
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    expect(inbox.filter((n) => n.projectId === p.id)).toEqual([]);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'matrix.repinned')).toEqual([]);
    // The same refusals as the move; then the move itself on the same If-Match.
    expect(codes(expectProblem(await move(p.id, { version: 1, note: 'x', dryRun: true }, ifMatch), 409, ['version']))).toEqual(['out_of_range']);
    expectProblem(await move(p.id, { version: 3, note: 'x', dryRun: true }, { 'if-match': '"99"' }), 412);
    expectProblem(await move(p.id, { version: 3, note: 'x', dryRun: true }), 428);
    // A preview writes no audit: it needs no note (the move itself still does — 400 naming note — and writes nothing).
    const noted = await move(p.id, { version: 3, dryRun: true }, ifMatch);
    expect(noted.status, noted.text).toBe(200);
    expect(noted.body.gateApprovers).toEqual(preview.body.gateApprovers);
    expectProblem(await move(p.id, { version: 3, dryRun: false }, ifMatch), 400, ['note']);
    expect(await store.storedProject(p.id)).toMatchObject({ version: p.version, matrixVersion: 2 });
    const moved = await move(p.id, { version: 3, note: '第 2 版误发' }, ifMatch);
    expect(moved.status).toBe(200);
    expect(moved.body.gateApprovers).toEqual(preview.body.gateApprovers);
  });

  it("a dry run names the earlier notices the move would void — each one the move then voids, read back in the department's inbox", async () => {
    const p = await admittedUnderTheMistake();
    const other = await admittedUnderTheMistake();
    const { handler: myNotifications } = await import('../../functions/notifications/http/my-notifications.ts');
    // The gate's opening told the eco bureau it awaits its decision, the review that it is overdue (twice: two days);
    // the other project's gate.open is not this move's to void.
    await ecoToldOfGate(p, other, 90_000, [60_000, 30_000]);
    type Page = { items: { id: string; inbox: string; kind: string; projectId: string | null; voidedBy: string | null }[] };
    const ecoInbox = async () => (await call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: users.ecoOfficer, query: { limit: '100' } }))).body.items;
    const before = await ecoInbox();
    const ifMatch = { 'if-match': `"${p.version}"` };

    const preview = await move(p.id, { version: 3, dryRun: true }, ifMatch);
    expect(preview.status, preview.text).toBe(200);
    const voids = preview.body.voids as { id: string; kind: string; inbox: string }[];
    const sorted = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    // The three notices of this project's gate, as the inbox names them; nothing voided by the preview itself.
    const earlier = before.filter((n) => n.projectId === p.id && (n.kind === 'gate.open' || n.kind === 'gate.overdue'));
    expect(earlier).toHaveLength(3);
    expect(sorted(voids)).toEqual(sorted(earlier.map((n) => ({ id: n.id, kind: n.kind, inbox: n.inbox }))));
    expect((await ecoInbox()).filter((n) => n.voidedBy !== null)).toEqual(before.filter((n) => n.voidedBy !== null));

    // The move voids exactly those: read back as the eco bureau, each voided by the withdrawal, and no other.
    expect((await move(p.id, { version: 3, note: '第 2 版误发' }, ifMatch)).status).toBe(200);
    const after = await ecoInbox();
    const voidedNow = after.filter((n) => n.voidedBy === 'gate.open_withdrawn' && !before.some((b) => b.id === n.id && b.voidedBy !== null));
    expect(sorted(voidedNow.map((n) => ({ id: n.id, kind: n.kind, inbox: n.inbox })))).toEqual(sorted(voids));
    // The other project's gate.open stays unread and standing: its gate still waits for the eco bureau.
    expect(after.find((n) => n.projectId === other.id && n.kind === 'gate.open')).toMatchObject({ voidedBy: null });
  });

  it('refuses a project not running, a version never published or older, and a stale or missing If-Match', async () => {
    const p = await admittedUnderTheMistake();
    const ifMatch = { 'if-match': `"${p.version}"` };
    expectProblem(await move(p.id, { version: 3, note: 'x' }), 428);
    expectProblem(await move(p.id, { version: 3, note: 'x' }, { 'if-match': '"99"' }), 412);
    expectProblem(await move(p.id, { version: 3, note: 'x' }, ifMatch, users.investmentOfficer), 403);
    expectProblem(await move(p.id, { version: 'three', note: 'x' }, ifMatch), 400, ['version']);
    expectProblem(await move(p.id, { version: 3 }, ifMatch), 400, ['note']);
    expect(codes(expectProblem(await move(p.id, { version: 9, note: 'x' }, ifMatch), 409, ['version']))).toEqual(['unknown_ref']);
    expect(codes(expectProblem(await move(p.id, { version: 1, note: 'x' }, ifMatch), 409, ['version']))).toEqual(['out_of_range']);
    expect(codes(expectProblem(await move(p.id, { version: 2, note: 'x' }, ifMatch), 409, ['version']))).toEqual(['out_of_range']);
    expectProblem(await move('prj-none', { version: 3, note: 'x' }, { 'if-match': '"1"' }), 404);
    // Nothing written by any of them.
    expect(await store.storedProject(p.id)).toMatchObject({ version: p.version, matrixVersion: 2 });

    const { project: closed } = await signingGateProject({ prefix: 'mr', startedDaysAgo: 20, project: { status: 'EXITED', matrixVersion: 2 } });
    expect(codes(expectProblem(await move(closed.id, { version: 3, note: 'x' }, { 'if-match': `"${closed.version}"` }), 409, ['path.id']))).toEqual(['state']);
  });
});

describe('finding the projects a mistaken matrix was pinned to', () => {
  const ledger = (query: Record<string, string>, as: User = users.opsEngineer) =>
    call<{ items: { id: string; matrixVersion: number | null }[]; nextCursor: string | null }>(listProjects, apiEvent('GET /projects', { as, query }));
  /** Every page of the ledger for this filter, one project a page (the cursor carried from page to page). */
  async function everyPage(query: Record<string, string>, as?: User): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await ledger({ ...query, limit: '1', ...(cursor ? { cursor } : {}) }, as);
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('GET /projects?matrixVersion=2 lists the projects that follow v2, page by page, for ops and the committee leader', async () => {
    const a = await admittedUnderTheMistake();
    const b = await admittedUnderTheMistake();
    const moved = await admittedUnderTheMistake();
    expect((await move(moved.id, { version: 3, note: '更正' }, { 'if-match': `"${moved.version}"` })).status).toBe(200);
    const { project: onV1 } = await signingGateProject({ prefix: 'mr', startedDaysAgo: 20 });

    const stored = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_PROJECTS, ConsistentRead: true }))).Items ?? [];
    const following = (v: number) => stored.filter((i) => i.sk === 'PROJECT' && i.matrixVersion === v).map((i) => String(i.id)).sort();
    const onV2 = await everyPage({ matrixVersion: '2' });
    expect([...onV2].sort()).toEqual(following(2));
    expect(onV2).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(onV2).not.toContain(moved.id);
    expect(onV2).not.toContain(onV1.id);
    expect(await everyPage({ matrixVersion: '3' })).toContain(moved.id);
    // With the other filters: the running ones of a stage.
    const running = await ledger({ matrixVersion: '2', status: 'ACTIVE', stage: 'SIGNING', limit: '100' }, users.committeeLeader);
    expect(running.status).toBe(200);
    expect(running.body.items.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(running.body.items.every((p) => p.matrixVersion === 2)).toBe(true);
  });

  it('refuses the filter to other callers and a value that is no version, and a cursor of another version', async () => {
    expectProblem(await ledger({ matrixVersion: '2' }, users.investmentOfficer), 403, ['query.matrixVersion']);
    expectProblem(await ledger({ matrixVersion: 'two' }), 400, ['query.matrixVersion']);
    expectProblem(await ledger({ matrixVersion: '0' }), 400, ['query.matrixVersion']);
    await admittedUnderTheMistake();
    await admittedUnderTheMistake();
    const first = await ledger({ matrixVersion: '2', limit: '1' });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expectProblem(await ledger({ matrixVersion: '3', limit: '1', cursor: first.body.nextCursor! }), 400, ['query.cursor']);
  });
});
