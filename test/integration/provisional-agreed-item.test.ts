// Work a person dates in a year with no calendar loaded — here a transition meeting's follow-up — is flagged
// calendarProvisional like the work the matrix times, and ops are told of that year in the change that creates it
// (once a project and year), as the README promises: before, the follow-up was flagged and nobody was told (seen on
// `npm start`: a 2027 follow-up recorded on 2026-11-04, the ops inbox empty, the review never told either — it tells
// of dates that turn provisional, and this one was stored so).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-11-02T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

const opsNotices = async (projectId: string) => {
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const ops = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'OPS' } }));
  return (ops.Items ?? []).filter((n) => n.kind === 'calendar.provisional' && n.projectId === projectId);
};

describe('a meeting follow-up dated in a year with no calendar', () => {
  it('is flagged provisional and ops are told of that year with the meeting, once', async () => {
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await api.finishTasks('SIGNING');
    const gate = await until(async () => ((await api.project()).gate?.open ? (await api.project()).gate : undefined));
    // Nothing of the stage reaches 2027 from 2026-11-02: ops have not been told of any year.
    expect(gate?.calendarProvisional).toBe(false);
    expect((await api.tasks()).some((t) => t.calendarProvisional)).toBe(false);
    expect(await opsNotices(project.id)).toHaveLength(0);

    const reply = await api.meeting('SIGNING', '2026-11-02', [{ item: '编制2027年度施工计划', owner: 'construction_dept', dueDate: '2027-01-15' }]);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const followUp = (await api.tasks()).find((t) => t.kind === 'followup');
    expect(followUp).toMatchObject({ dueDate: '2027-01-15', calendarProvisional: true });
    // Told in the meeting's own transaction, naming the year and the item.
    const told = await opsNotices(project.id);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toContain('2027');
    expect(JSON.stringify(told[0])).toContain('编制2027年度施工计划');

    // The review the meeting wakes does not tell the same year again.
    await api.settle();
    expect(await opsNotices(project.id)).toHaveLength(1);
  });

  it('ops are told when an amendment of the meeting adds one', async () => {
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await api.finishTasks('SIGNING');
    await until(async () => ((await api.project()).gate?.open ? true : undefined));
    const recorded = await api.meeting('SIGNING', '2026-11-02');
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    await api.settle();
    expect(await opsNotices(project.id)).toHaveLength(0);

    const amendMeeting = ((await import('../../functions/lifecycle/http/amend-meeting.ts')) as { handler: Handler }).handler;
    const amended = await call(amendMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting/amendments', { as: api.as('committee_leader'), params: { id: project.id, stage: 'SIGNING' }, body: { reason: '补记会议确定事项', addFollowUps: [{ item: '落实2027年用地指标', owner: 'resources_bureau', dueDate: '2027-01-20' }] } }));
    expect(amended.status, amended.text).toBe(201);
    const told = await opsNotices(project.id);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toContain('落实2027年用地指标');
  });
});
