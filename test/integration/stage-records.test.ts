// The review's read of a stage (lifecycle/store/stage-records.ts): one query of the project's partition gives exactly
// what the five reads it replaced give — the project's tasks, the stage's gate, approvals and entry, its letters — and
// nothing of another stage, whatever else the partition holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users } from '../support/events.ts';

const store = isolatedStore('stage-records');
const { handler: send } = await import('../../functions/supervision/http/send-letter.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { getGate, insertApproval, listApprovals, listTasks, putGate, insertMeeting } = await import('../../functions/lifecycle/store/tasks.ts');
const { getStageEntry, recordStageEntry } = await import('../../functions/lifecycle/store/stage.ts');
const { listLetters } = await import('../../functions/supervision/store/letters.ts');
const { stageRecords } = await import('../../functions/lifecycle/store/stage-records.ts');
const { newGate } = await import('../../functions/lifecycle/domain/gate.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

describe('a stage review reads its records in one query', () => {
  it('gives what the separate reads give, for the stage asked and no other', async () => {
    const { project } = await signingGateProject({ prefix: 'sr', startedDaysAgo: 5 });
    const at = new Date().toISOString();
    const landing = { ...newGate(DEFAULT_CONFIG.matrix.gates.find((g) => g.stage === 'LANDING')!, project), open: true, openedDate: today };
    await transact([
      insertApproval(project.id, 'SIGNING', { role: 'committee_leader', by: 'u-leader', decision: 'approve', comment: '同意', at, round: 0 }),
      insertApproval(project.id, 'SIGNING', { role: 'investment_dept', by: 'u-inv', decision: 'approve', comment: '同意', at, round: 0 }),
      // Another stage's gate and approval, and a meeting record: in the partition, not in SIGNING's records.
      putGate(project.id, landing),
      insertApproval(project.id, 'LANDING', { role: 'committee_leader', by: 'u-leader', decision: 'reject', comment: '材料不全', at, round: 0 }),
      insertMeeting(project.id, 'SIGNING', { round: 0, heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps: [], recordedBy: 'u-leader', recordedAt: at } as never),
    ]);
    await recordStageEntry(project.id, { stage: 'SIGNING', enteredDate: today, enteredAt: at } as never, [], project.matrixVersion);
    await recordStageEntry(project.id, { stage: 'LANDING', enteredDate: today, enteredAt: at } as never, [], project.matrixVersion);
    for (const subject of ['关于督促加快签约的函', '关于补充材料的函']) {
      const sent = await call(send, apiEvent('POST /projects/{id}/letters', { as: users.supervisionOfficer, params: { id: project.id }, body: { series: 'urging', to: { kind: 'enterprise' }, subject, body: '请说明情况。' } }));
      expect(sent.status).toBe(201);
    }

    const records = await stageRecords(project.id, 'SIGNING');
    expect(records).toEqual({
      tasks: await listTasks(project.id),
      gate: await getGate(project.id, 'SIGNING'),
      approvals: await listApprovals(project.id, 'SIGNING'),
      entry: await getStageEntry(project.id, 'SIGNING'),
      letters: await listLetters(project.id),
    });
    expect(records.tasks.length).toBeGreaterThan(0);
    expect(records.approvals.map((a) => a.role).sort()).toEqual(['committee_leader', 'investment_dept']);
    expect(records.gate?.stage).toBe('SIGNING');
    expect(records.entry?.stage).toBe('SIGNING');
    expect(records.letters.map((l) => l.subject)).toEqual(['关于督促加快签约的函', '关于补充材料的函']);

    const other = await stageRecords(project.id, 'LANDING');
    expect(other.gate?.stage).toBe('LANDING');
    expect(other.approvals.map((a) => a.decision)).toEqual(['reject']);
    expect(other.entry?.stage).toBe('LANDING');
    expect(other.tasks).toEqual(records.tasks);
  });
});
