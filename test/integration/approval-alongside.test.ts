// An approval that leaves its gate waiting changes nothing of the project, so it commits under its own conditions — one
// decision per approver and round, the gate open in that round, the project active at that stage in its park, holding
// the reservations the gate needs — and moves the project's version by one (touchProject) instead of replacing the
// project on the version it read. So does a meeting record that leaves the gate waiting and sets no plan or follow-up.
// The gate counts its round's decisions, so that the one that completes it can never pass as one that leaves it waiting. Another change of the project between its read and its commit (another approver, a
// task's light, the lifecycle's review) no longer refuses it; a change of what it depends on still does, and the
// approval is read and decided again. Each case changes the store at that very moment: just before the approval's
// transaction is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { exitDecidedBehind } from '../support/exit-behind.ts';
import { apiEvent, call, users, type User } from '../support/events.ts';

const store = isolatedStore('approval-alongside');
const { handler: decideGate } = await import('../../functions/lifecycle/http/decide-gate.ts');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { getGate, listApprovals } = await import('../../functions/lifecycle/store/tasks.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');
const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

// Writes behind the product's back, as another writer would: not through the product's client (whose middleware is
// what holds the approval's transaction).
const other = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));
const projectKey = (id: string) => ({ TableName: process.env.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: 'PROJECT' } });
/** The project's version moved on, with `more` of the update expression (`, stage = :s`, ` REMOVE reservations`). */
const bumpVersion = (id: string, more = '', values: Record<string, unknown> = {}) =>
  other.send(new UpdateCommand({ ...projectKey(id), UpdateExpression: `SET version = version + :one${more}`, ExpressionAttributeValues: { ':one': 1, ...values } }));

/**
 * Runs `body` with `meanwhile` done just before each of the first `times` transactions the product sends; counts the
 * transactions sent and those refused.
 */
async function between<T>(meanwhile: () => Promise<unknown>, body: () => Promise<T>, times = 1): Promise<{ result: T; sent: number; refused: number }> {
  let sent = 0;
  let refused = 0;
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      if (sent++ < times) await meanwhile();
      try {
        return await next(args);
      } catch (err) {
        refused += 1;
        throw err;
      }
    },
    { step: 'initialize', name: 'betweenReadAndCommit' },
  );
  try {
    return { result: await body(), sent, refused };
  } finally {
    ddb.middlewareStack.remove('betweenReadAndCommit');
  }
}

/** Runs two requests so that both have read before either commits (their first transactions wait for each other). */
function bothReadFirst<T>(body: () => Promise<T>) {
  let arrived = 0;
  let release!: () => void;
  const both = new Promise<void>((r) => (release = r));
  return between(
    async () => {
      if (++arrived === 2) release();
      await both;
    },
    body,
    2,
  );
}

async function project() {
  // The signing gate of a land project needs a parcel reservation (config/inventory gateNeeds): it holds one.
  const reservations = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'parcel-1', amount: 1, status: 'reserved' as const }];
  const { project: p } = await signingGateProject({ prefix: 'aa', startedDaysAgo: 20, tasksDone: true, project: { reservations } });
  return p;
}

const approve = (id: string, as: User, headers: Record<string, string> = {}, round?: number) =>
  call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as, params: { id, stage: 'SIGNING' }, body: { decision: 'approve', ...(round === undefined ? {} : { round }) }, headers }));
const followUp = { item: '补充环评材料', owner: 'approval_office', dueDate: addCalendarDays(today, 10) };
const meet = (id: string, followUps: (typeof followUp)[] = []) =>
  call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps } }));
const gateKey = (id: string) => ({ TableName: process.env.TABLE_PROJECTS, Key: { pk: `PROJECT#${id}`, sk: 'GATE#SIGNING' } });
const version = async (id: string) => Number((await store.storedProject(id))?.version);

describe('an approval that leaves its gate waiting', () => {
  it('is not refused by another change of the project between its read and its commit: one transaction, the version moved by both', async () => {
    const p = await project();
    const before = await version(p.id);
    const { result, sent, refused } = await between(() => bumpVersion(p.id), () => approve(p.id, users.investmentOfficer));
    expect(result.status).toBe(201);
    expect([sent, refused]).toEqual([1, 0]);
    expect(await version(p.id)).toBe(before + 2);
    // The version this approval made, read before the other change landed: stale, so If-Match with it is a 412.
    expect(result.headers.etag).toBe(`"${before + 1}"`);
    expect((await listApprovals(p.id, 'SIGNING')).map((a) => a.role)).toEqual(['investment_dept']);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'gate.approve')).toHaveLength(1);
    expect((await store.signals()).filter((s) => s.projectId === p.id && s.kind === 'wake')).toHaveLength(1);
    expect((await store.storedProject(p.id))?.stage).toBe('SIGNING');
  });

  it('is refused when the caller pinned the version it read (If-Match) and the project moved', async () => {
    const p = await project();
    const before = await version(p.id);
    const { result } = await between(() => bumpVersion(p.id), () => approve(p.id, users.investmentOfficer, { 'if-match': `"${before}"` }));
    expectProblem(result, 412);
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
  });

  it('is read and decided again when the project left the stage meanwhile: 409, nothing written', async () => {
    const p = await project();
    const { result, refused } = await between(() => bumpVersion(p.id, ', stage = :s', { ':s': 'LANDING' }), () => approve(p.id, users.investmentOfficer));
    expectProblem(result, 409);
    expect(refused).toBe(1);
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'gate.approve')).toEqual([]);
  });

  it('is read and decided again when the reservation the gate needs was released meanwhile: 409 naming it, nothing written', async () => {
    const p = await project();
    const { result, refused } = await between(() => bumpVersion(p.id, ' REMOVE reservations'), () => approve(p.id, users.investmentOfficer));
    expectProblem(result, 409);
    expect(JSON.stringify(result.body)).toContain('parcels');
    expect(refused).toBe(1);
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
  });

  it('is read and decided again when the project’s exit was decided meanwhile: 409 naming the exit, nothing written', async () => {
    const p = await project();
    const { result, sent, refused } = await between(() => exitDecidedBehind(p.id), () => approve(p.id, users.investmentOfficer));
    expect(expectProblem(result, 409).detail).toContain('is being exited 退出程序');
    expect([sent, refused]).toEqual([1, 1]);
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'gate.approve')).toEqual([]);
  });

  it('is read again and refused (409) when a rejection began a new round meanwhile: the decider saw the round before, nothing is recorded', async () => {
    const p = await project();
    const nextRound = () => other.send(new UpdateCommand({ ...gateKey(p.id), UpdateExpression: 'SET #r = :r', ExpressionAttributeNames: { '#r': 'round' }, ExpressionAttributeValues: { ':r': 2 } }));
    const { result, sent, refused } = await between(nextRound, () => approve(p.id, users.investmentOfficer));
    expect(expectProblem(result, 409, ['round']).detail).toBe('Round 1 of the 落地转段会议 gate is over: a rejection began round 2 meanwhile. Nothing was recorded; decide again on round 2');
    expect([sent, refused]).toEqual([1, 1]);
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
    // Sent again for the round it now sees, it is recorded there.
    expect((await approve(p.id, users.investmentOfficer, {}, 2)).status).toBe(201);
    expect((await listApprovals(p.id, 'SIGNING')).map((a) => a.round)).toEqual([2]);
  });

  it('names the round it was decided on (as the console does): another round is a 409 naming `round`, nothing recorded', async () => {
    const p = await project();
    expect(expectProblem(await approve(p.id, users.investmentOfficer, {}, 2), 409, ['round']).detail).toBe('The 落地转段会议 gate is in round 1, not 2');
    expect(await listApprovals(p.id, 'SIGNING')).toEqual([]);
    expect((await approve(p.id, users.investmentOfficer, {}, 1)).status).toBe(201);
  });

  it('of two last approvals that each missed the other, the round’s count lets one through; the other is read again and passes the gate', async () => {
    const p = await project();
    expect((await meet(p.id)).status).toBe(201);
    expect((await approve(p.id, users.committeeLeader)).status).toBe(201);
    const { result, sent, refused } = await bothReadFirst(() => Promise.all([approve(p.id, users.investmentOfficer), approve(p.id, users.resourcesOfficer)]));
    expect(result.map((r) => r.status)).toEqual([201, 201]);
    expect(result.map((r) => (r.body as { passedTo: unknown }).passedTo).sort()).toEqual(['LANDING', null]);
    expect([sent, refused]).toEqual([3, 1]);
    // Passed in the decision's own transaction: no review has run.
    expect(await store.storedProject(p.id)).toMatchObject({ stage: 'LANDING', status: 'ACTIVE' });
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ passedAt: expect.any(String) });
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'stage.passed')).toHaveLength(1);
  });

  it('counts from the decisions as read on a gate whose round has no count yet (stored before it was kept)', async () => {
    const p = await project();
    expect((await meet(p.id)).status).toBe(201);
    expect((await approve(p.id, users.committeeLeader)).status).toBe(201);
    await other.send(new UpdateCommand({ ...gateKey(p.id), UpdateExpression: 'REMOVE roundDecisions' }));
    const { result } = await bothReadFirst(() => Promise.all([approve(p.id, users.investmentOfficer), approve(p.id, users.resourcesOfficer)]));
    expect(result.map((r) => (r.body as { passedTo: unknown }).passedTo).sort()).toEqual(['LANDING', null]);
    expect((await store.storedProject(p.id))?.stage).toBe('LANDING');
  });

  it('a user who approves for two departments, one of them taken meanwhile by someone else, is read again and decides for the other', async () => {
    const p = await project();
    const dual: User = { sub: 'u-dual-1', name: '双职', roles: ['investment_dept', 'resources_bureau'], department: 'investment_dept' };
    // Both departments open as the dual user reads; the investment department's own officer decides before it commits.
    const { result, sent, refused } = await between(() => approve(p.id, users.investmentOfficer), () => approve(p.id, dual));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ approval: { role: 'resources_bureau', by: 'u-dual-1' } });
    expect([sent, refused]).toEqual([3, 1]);
    expect((await listApprovals(p.id, 'SIGNING')).map((a) => [a.role, a.by]).sort()).toEqual([
      ['investment_dept', 'u-invest-1'],
      ['resources_bureau', 'u-dual-1'],
    ]);
    // The same user again: nothing left to decide, a 409 (not a retry loop).
    expectProblem(await approve(p.id, dual), 409);
  });

  it('a user holding two of the deciding roles, sending both approvals at once, gives one say: one recorded, the other 409', async () => {
    const p = await project();
    const dual: User = { sub: 'u-dual-2', name: '双职', roles: ['investment_dept', 'resources_bureau'], department: 'investment_dept' };
    // Both read the gate with neither decided and pick the same role (the first undecided): one takes it, the other is
    // read again and finds the user's own decision — the role-keyed record and the re-read keep it to one say.
    const { result } = await bothReadFirst(() => Promise.all([approve(p.id, dual), approve(p.id, dual)]));
    expect(result.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await listApprovals(p.id, 'SIGNING')).map((a) => a.by)).toEqual(['u-dual-2']);
    // Another person decides the other role.
    const other = (await listApprovals(p.id, 'SIGNING'))[0]!.role === 'investment_dept' ? users.resourcesOfficer : users.investmentOfficer;
    expect((await approve(p.id, other)).status).toBe(201);
  });
});

describe('a meeting record that leaves its gate waiting', () => {
  it('is not refused by another change of the project meanwhile, and leaves the rest of the gate as that change made it', async () => {
    const p = await project();
    const before = await version(p.id);
    // The other writer: the project's version moved, and the gate marked overdue (what the lifecycle's review does).
    const meanwhile = async () => {
      await bumpVersion(p.id);
      await other.send(new UpdateCommand({ ...gateKey(p.id), UpdateExpression: 'SET overdueSince = :d', ExpressionAttributeValues: { ':d': today } }));
    };
    const { result, sent, refused } = await between(meanwhile, () => meet(p.id));
    expect(result.status).toBe(201);
    expect([sent, refused]).toEqual([1, 0]);
    expect(await version(p.id)).toBe(before + 2);
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ overdueSince: today, meeting: { heldOn: today, round: 1 }, round: 1, open: true, passedAt: null });
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'gate.meeting_recorded')).toHaveLength(1);
  });

  it('is read and decided again when the project’s exit was decided meanwhile: 409, no meeting on the gate', async () => {
    const p = await project();
    const { result, refused } = await between(() => exitDecidedBehind(p.id), () => meet(p.id));
    expect(expectProblem(result, 409).detail).toContain('is being exited 退出程序');
    expect(refused).toBe(1);
    expect((await getGate(p.id, 'SIGNING'))?.meeting ?? null).toBeNull();
  });

  it('is read and recorded again in the new round when a rejection began one meanwhile', async () => {
    const p = await project();
    const nextRound = () => other.send(new UpdateCommand({ ...gateKey(p.id), UpdateExpression: 'SET #r = :r, roundStartedDate = :d', ExpressionAttributeNames: { '#r': 'round' }, ExpressionAttributeValues: { ':r': 2, ':d': today } }));
    const { result, refused } = await between(nextRound, () => meet(p.id));
    expect(result.status).toBe(201);
    expect(refused).toBe(1);
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ round: 2, meeting: { round: 2 } });
  });

  it('with follow-ups (numbered on the tasks as read) takes the project at the version it read: refused, read again, recorded', async () => {
    const p = await project();
    const { result, sent, refused } = await between(() => bumpVersion(p.id), () => meet(p.id, [followUp]));
    expect(result.status).toBe(201);
    expect([sent, refused]).toEqual([2, 1]);
    expect((result.body as { followUpTasks: string[] }).followUpTasks).toHaveLength(1);
  });

  it('and the last approval, each missing the other: the count lets one through, the other passes the gate', async () => {
    const p = await project();
    for (const as of [users.committeeLeader, users.investmentOfficer]) expect((await approve(p.id, as)).status).toBe(201);
    const { result } = await bothReadFirst(() => Promise.all([meet(p.id), approve(p.id, users.resourcesOfficer)]));
    expect(result.map((r) => r.status)).toEqual([201, 201]);
    expect(result.map((r) => (r.body as { passedTo: unknown }).passedTo).sort()).toEqual(['LANDING', null]);
    expect(await store.storedProject(p.id)).toMatchObject({ stage: 'LANDING' });
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ passedAt: expect.any(String), meeting: { heldOn: today } });
  });
});
