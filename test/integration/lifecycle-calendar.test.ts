// A due date in a year with no calendar loaded: computed on weekdays only, flagged calendarProvisional, ops told;
// recomputed when ops load that year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-12-28T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('provisional due dates across the end of the loaded calendar', () => {
  it('flags a task due in 2027, tells ops, and recomputes it when 2027 is loaded', async () => {
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection'));
    await until(async () => ((await import('../../functions/adapters/dynamodb/lifecycle.ts')).getWait(project.id)));
    // 5 working days after 2026-12-28 on weekdays only: 2027-01-04 (2027 has no calendar yet).
    expect(pre).toMatchObject({ dueDate: '2027-01-04', calendarProvisional: true });

    const { ddb } = await import('../../functions/adapters/dynamodb/client.ts');
    const ops = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'OPS' } }));
    expect((ops.Items ?? []).some((n) => n.kind === 'calendar.provisional' && n.projectId === project.id)).toBe(true);

    const putCalendar = ((await import('../../functions/put-calendar.ts')) as { handler: Handler }).handler;
    const reply = await call(putCalendar, apiEvent('PUT /calendar/{year}', { as: api.as('ops'), params: { year: '2027' }, body: { holidays: ['2027-01-01'], workdays: [] } }));
    expect(reply.status).toBe(201);
    expect(Number(reply.headers['x-projects-recomputing'])).toBeGreaterThanOrEqual(1);
    // 2027-01-01 is a holiday: the fifth working day is now 2027-01-05, and no longer provisional.
    const recomputed = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && !t.calendarProvisional));
    expect(recomputed.dueDate).toBe('2027-01-05');
  });
});
