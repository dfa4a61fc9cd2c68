// A 容缺 completion whose missing document is promised in a year with no calendar loaded: the obligation is flagged
// calendarProvisional and ops are told of that year with the completion. Before, nobody was told — and the tasks the
// completion started (due in that year too) were not told either: the obligation, already flagged in the same change,
// counted as a year ops had been told of.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-12-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

const opsNotices = async (projectId: string) => {
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const ops = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'OPS' } }));
  return (ops.Items ?? []).filter((n) => n.kind === 'calendar.provisional' && n.projectId === projectId);
};

describe('a 容缺 obligation dated in a year with no calendar', () => {
  it('is flagged provisional and ops are told of that year with the completion, once', async () => {
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.dueDate));
    await api.settle();
    // 5 working days from 2026-12-21: 2026-12-28, on the loaded calendar; nothing told yet.
    expect(pre).toMatchObject({ dueDate: '2026-12-28', calendarProvisional: false });
    expect(await opsNotices(project.id)).toHaveLength(0);

    const reply = await api.complete(pre, { note: '容缺办理', documents: ['预选址方案'], deficiencies: [{ document: '园区确认函', dueDate: '2027-01-08' }] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const obligation = (await api.tasks()).find((t) => t.kind === 'obligation');
    expect(obligation).toMatchObject({ dueDate: '2027-01-08', calendarProvisional: true });
    // Told in the completion's own transaction, naming the year.
    const told = await opsNotices(project.id);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toContain('2027');
    expect(JSON.stringify(told[0])).toContain('园区确认函');

    // The review the completion wakes does not tell the same year again.
    await api.settle();
    expect(await opsNotices(project.id)).toHaveLength(1);
  });
});
