// An exit 退出程序 under way (decided, not done) closes the project's work: a transition meeting recorded or amended,
// an interview 约谈 recorded or a contract amendment made meanwhile would set new tasks, numbers or a new class for a
// project that is leaving — each is a 409 naming the exit, and nothing is written. Its descriptive fields can still be
// edited (a contact corrected while it leaves).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { exitDecidedBehind } from '../support/exit-behind.ts';
import { apiEvent, call, users } from '../support/events.ts';

const store = isolatedStore('exit-closes-work');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: amendMeeting } = await import('../../functions/lifecycle/http/amend-meeting.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { handler: amendContract } = await import('../../functions/projects/http/amend-contract.ts');
const { handler: recordInterview } = await import('../../functions/supervision/http/record-interview.ts');
const { getGate, listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
const { listInterviews } = await import('../../functions/supervision/store/interviews.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');
const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

/** A land project at its signing gate, on the ladder's exit-pending rung (an interview there is a late one). */
const project = async () => (await signingGateProject({ prefix: 'ec', startedDaysAgo: 20, tasksDone: true, project: { escalation: { level: 5, name: 'EXIT_PENDING', since: addCalendarDays(today, -2), trigger: 'SIGNING.pre_site_selection' } as never } })).project;
const followUp = { item: '补充环评材料', owner: 'approval_office', dueDate: addCalendarDays(today, 10) };
const meet = (id: string, followUps: (typeof followUp)[] = []) =>
  call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps } }));
const exiting = (reply: Awaited<ReturnType<typeof call<Record<string, unknown>>>>) => expect(expectProblem(reply, 409).detail).toContain('is being exited 退出程序');

describe('while an exit is under way', () => {
  it('no transition meeting is recorded, with follow-ups or without: 409, no meeting, no task', async () => {
    const p = await project();
    const tasks = (await listTasks(p.id)).length;
    await exitDecidedBehind(p.id, 'running');
    exiting(await meet(p.id, [followUp]));
    exiting(await meet(p.id));
    expect((await getGate(p.id, 'SIGNING'))?.meeting ?? null).toBeNull();
    expect(await listTasks(p.id)).toHaveLength(tasks);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'gate.meeting_recorded')).toEqual([]);
  });

  it('no meeting recorded before it is amended: 409, its follow-ups not added', async () => {
    const p = await project();
    expect((await meet(p.id)).status).toBe(201);
    const tasks = (await listTasks(p.id)).length;
    await exitDecidedBehind(p.id, 'running');
    exiting(await call(amendMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting/amendments', { as: users.committeeLeader, params: { id: p.id, stage: 'SIGNING' }, body: { reason: '补记', addFollowUps: [followUp] } })));
    expect(await listTasks(p.id)).toHaveLength(tasks);
    expect((await getGate(p.id, 'SIGNING'))?.meeting).toMatchObject({ amendmentCount: 0, followUps: [] });
  });

  it('no interview 约谈 is recorded: 409, no number taken, no commitment task', async () => {
    const p = await project();
    const interview = () => call(recordInterview, apiEvent('POST /projects/{id}/interviews', { as: users.committeeLeader, params: { id: p.id }, body: { heldOn: today, attendees: ['企业法人'], summary: '约谈', commitments: [{ item: '月底前开工', owner: 'enterprise', dueDate: addCalendarDays(today, 20) }] } }));
    const tasks = (await listTasks(p.id)).length;
    await exitDecidedBehind(p.id, 'running');
    exiting(await interview());
    expect(await listTasks(p.id)).toHaveLength(tasks);
    expect(await listInterviews(p.id)).toEqual([]);
    expect((await store.audit(`PROJECT#${p.id}`)).filter((e) => e.action === 'escalation.interview')).toEqual([]);
  });

  it('no contract amendment: 409, the class and terms as they were; its descriptive fields are still edited', async () => {
    const p = await project();
    await exitDecidedBehind(p.id, 'running');
    exiting(await call(amendContract, apiEvent('POST /projects/{id}/amendments', { as: users.committeeLeader, params: { id: p.id }, body: { reason: '增资', changes: { totalInvestmentCny: 5_000_000_000 } } })));
    const stored = await store.storedProject(p.id);
    expect(stored).toMatchObject({ totalInvestmentCny: 300_000_000, category: p.category });
    expect(stored?.amendmentCount ?? 0).toBe(0);
    const edited = await call(updateProject, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id: p.id }, body: { name: '更名项目' }, headers: { 'if-match': `"${stored?.version}"` } }));
    expect(edited.status, edited.text).toBe(200);
  });
});
