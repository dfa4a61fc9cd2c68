// The simulator's daily wake-up check (bench/sim/wake-check.ts): a wait computed from the project as it stands must not
// sleep past the end of its ladder's window or of an extension in force.
import { describe, expect, it } from 'vitest';
import { missedWake, type WakeProject, type WakeWait } from '../../bench/sim/wake-check.ts';

const project = (over: Partial<WakeProject> = {}): WakeProject => ({ id: 'prj-a', status: 'ACTIVE', stage: 'SIGNING', version: 7, escalation: { level: 5, next: { dueDate: '2026-03-04' } }, ...over });
const wait = (dueAt: string, over: Partial<WakeWait['wait']> = {}): WakeWait => ({ executionName: 'prj-a-SIGNING-1', registeredAt: '2026-02-12T16:00:00.000Z', wait: { waitId: 'w1', kind: 'deadline', stage: 'SIGNING', dueAt, version: 7, ...over } });

describe('wake check', () => {
  it('passes a wait due at the end of the window’s last day (midnight in Shanghai) or before it', () => {
    expect(missedWake(project(), wait('2026-03-04T16:00:00.000Z'), '2026-02-20')).toBeNull();
    expect(missedWake(project(), wait('2026-03-01T02:00:00.000Z'), '2026-02-20')).toBeNull();
  });

  it('reports a wait sleeping past the window, with the wait and the ladder as evidence', () => {
    const m = missedWake(project(), wait('2026-03-30T03:28:48.000Z', { kind: 'segment' }), '2026-02-20');
    expect(m).toMatchObject({ projectId: 'prj-a', seenOn: '2026-02-20', why: 'ladder window', owedBy: '2026-03-04T16:00:00.000Z', wait: { kind: 'segment', dueAt: '2026-03-30T03:28:48.000Z', executionName: 'prj-a-SIGNING-1' }, project: { level: 5, nextDue: '2026-03-04' } });
  });

  it('reports a wait sleeping past an extension in force at level 0, not one that has ended', () => {
    const extended = project({ escalation: { level: 0, next: null, extendedUntil: '2026-03-25' } });
    expect(missedWake(extended, wait('2026-03-30T03:28:48.000Z'), '2026-02-28')?.why).toBe('extension');
    expect(missedWake(extended, wait('2026-03-25T16:00:00.000Z'), '2026-02-28')).toBeNull();
    expect(missedWake(extended, wait('2026-04-30T00:00:00.000Z'), '2026-03-26')).toBeNull();
  });

  it('ignores a stale wait (the change that made it stale wakes the project), another stage’s, an exit under way and a finished project', () => {
    const late = wait('2026-03-30T03:28:48.000Z');
    expect(missedWake(project({ version: 8 }), late, '2026-02-20')).toBeNull();
    expect(missedWake(project({ stage: 'LANDING' }), late, '2026-02-20')).toBeNull();
    expect(missedWake(project({ exit: { status: 'running' } }), late, '2026-02-20')).toBeNull();
    expect(missedWake(project({ exit: { status: 'done' } }), late, '2026-02-20')).not.toBeNull();
    expect(missedWake(project({ status: 'EXITED' }), late, '2026-02-20')).toBeNull();
    expect(missedWake(project(), undefined, '2026-02-20')).toBeNull();
    expect(missedWake(project({ escalation: { level: 0 } }), late, '2026-02-20')).toBeNull();
  });
});

describe('wake check: a project left with no live wait', () => {
  it('is reported after a whole business day without one at the same version, not for a moment between evaluations', async () => {
    const { wakeChecker } = await import('../../bench/sim/wake-check.ts');
    const items: Record<string, Record<string, unknown>> = {};
    const put = (sk: string, item: Record<string, unknown> | undefined) => (item ? (items[sk] = { pk: 'PROJECT#prj-a', sk, ...item }) : delete items[sk]);
    // A fake DynamoDB answering BatchGetItem from `items` (marshalled as the SDK would).
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const client = { send: async () => ({ Responses: { t: Object.values(items).map((i) => marshall(i, { removeUndefinedValues: true })) }, UnprocessedKeys: {} }) };
    const checker = wakeChecker(client as never, 't');
    put('PROJECT', { id: 'prj-a', status: 'ACTIVE', stage: 'SIGNING', version: 7, escalation: { level: 0 } });
    await checker.check(['prj-a'], () => '2026-03-01'); // no wait: between evaluations, perhaps
    put('WAIT', { wait: { waitId: 'w', kind: 'deadline', stage: 'SIGNING', dueAt: '2026-03-10T16:00:00.000Z', version: 7 } });
    await checker.check(['prj-a'], () => '2026-03-02'); // a live wait: fine
    put('WAIT', { wait: { waitId: 'w', kind: 'deadline', stage: 'SIGNING', dueAt: '2026-03-10T16:00:00.000Z', version: 6 } });
    put('PROJECT', { id: 'prj-a', status: 'ACTIVE', stage: 'SIGNING', version: 8, escalation: { level: 0 } });
    await checker.check(['prj-a'], () => '2026-03-03'); // stale: the change should wake it
    expect(checker.report()).toMatchObject({ asleep: 0 });
    await checker.check(['prj-a'], () => '2026-03-04'); // a day on, still stale, unchanged: asleep
    expect(checker.report()).toMatchObject({ checks: 4, asleep: 1, asleepExamples: [{ projectId: 'prj-a', since: '2026-03-03', seenOn: '2026-03-04', version: 8, wait: { version: 6 } }] });
  });
});
