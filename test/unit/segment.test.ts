// Lifecycle timing and segments: what the workflow sleeps until, when a segment is too old, and how the project
// records a segment starting, running, failing, and ops resuming it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project, type WorkflowRef } from '../../functions/projects/domain/project.ts';
import {
  FORCEABLE,
  IDLE_RECHECK_DAYS,
  nextWait,
  RESUMABLE,
  resumeLifecycle,
  segmentExpired,
  segmentRunning,
  segmentStarting,
  startFailed,
  stepFailed,
} from '../../functions/lifecycle/domain/segment.ts';

const DAY_MS = 86_400_000;
const now = new Date('2026-11-26T10:00:00+08:00');
const base = createProject(
  { name: 'p', investor: { name: 'e', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 1, techLevel: 'advanced', chainRole: 'extend', park: 'P', siteMode: 'land' },
  { sub: 'u', name: 'u', roles: ['investment_dept'] },
  DEFAULT_CONFIG.classification,
  { id: 'prj-1', now },
);
const withWorkflow = (workflow: WorkflowRef | null, extra: Partial<Project> = {}): Project => ({ ...base, status: 'ACTIVE', stage: 'LANDING', workflow, ...extra });
const ref = (status: WorkflowRef['status'], extra: Partial<WorkflowRef> = {}): WorkflowRef => ({
  segment: 2,
  executionName: 'prj-1-LANDING-2',
  startedAt: '2026-10-01T00:00:00.000Z',
  status,
  ...extra,
});
const name = (segment: number) => `prj-1-LANDING-${segment}`;

describe('what the workflow sleeps until', () => {
  // One real second per business day, for readable timeouts.
  const seconds = (at: Date) => Math.round((at.getTime() - now.getTime()) / DAY_MS);
  const after = (days: number, from = now) => new Date(from.getTime() + days * DAY_MS);

  it('the next deadline, when it comes first', () => {
    const wakeAt = after(3);
    expect(nextWait('LANDING', wakeAt, now, now, 300, 7, seconds, 'w-1')).toEqual({
      waitId: 'w-1',
      kind: 'deadline',
      stage: 'LANDING',
      dueAt: wakeAt.toISOString(),
      timeoutSeconds: 3,
      version: 7,
    });
  });

  it('the segment’s age limit, counted from when the segment started, when it comes before the deadline', () => {
    const started = after(-290);
    const wait = nextWait('CONSTRUCTION', after(20), now, started, 300, 7, seconds, 'w-2');
    expect(wait).toMatchObject({ kind: 'segment', stage: 'CONSTRUCTION', dueAt: after(10).toISOString(), timeoutSeconds: 10 });
  });

  it('an idle re-check 30 days on, with nothing timed ahead', () => {
    expect(IDLE_RECHECK_DAYS).toBe(30);
    expect(nextWait('LANDING', null, now, now, 300, 7, seconds, 'w-3')).toMatchObject({ kind: 'idle', dueAt: after(30).toISOString(), timeoutSeconds: 30 });
    // A deadline further off than the re-check still wakes the workflow at the re-check.
    expect(nextWait('LANDING', after(45), now, now, 300, 7, seconds, 'w-3')).toMatchObject({ kind: 'idle', dueAt: after(30).toISOString() });
  });

  it('the segment limit without a deadline when it is nearer than the re-check', () => {
    expect(nextWait('LANDING', null, now, after(-295), 300, 7, seconds, 'w-4')).toMatchObject({ kind: 'segment', dueAt: after(5).toISOString() });
  });

  it('a deadline already past wakes at once', () => {
    expect(nextWait('LANDING', after(-1), now, now, 300, 7, seconds, 'w-5')).toMatchObject({ kind: 'deadline', dueAt: after(-1).toISOString() });
  });

  it('on a tie the idle re-check is named, then the segment limit, before the deadline', () => {
    expect(nextWait('LANDING', after(30), now, after(-270), 300, 7, seconds, 'w-6').kind).toBe('idle');
    expect(nextWait('LANDING', after(10), now, after(-290), 300, 7, seconds, 'w-6').kind).toBe('segment');
  });
});

describe('when a segment is too old', () => {
  const started = new Date('2026-01-01T00:00:00Z');
  it('expires exactly when its maximum age is reached', () => {
    expect(segmentExpired(new Date(started.getTime() + 300 * DAY_MS - 1), started, 300)).toBe(false);
    expect(segmentExpired(new Date(started.getTime() + 300 * DAY_MS), started, 300)).toBe(true);
    expect(segmentExpired(new Date(started.getTime() + 301 * DAY_MS), started, 300)).toBe(true);
    expect(segmentExpired(started, started, 300)).toBe(false);
  });
});

describe('ops resuming a lifecycle', () => {
  it('resumes only failed lifecycles unless forced, over a running or starting record', () => {
    expect(RESUMABLE).toEqual(['failed', 'start_failed']);
    expect(FORCEABLE).toEqual(['running', 'starting']);
  });

  it('starts a fresh segment of the same stage now, from the failed one, naming its error', () => {
    const resumed = resumeLifecycle(withWorkflow(ref('failed', { lastError: 'boom' })), now, name);
    expect(resumed.stage).toBe('LANDING');
    expect(resumed.workflow).toStrictEqual({
      segment: 3,
      executionName: 'prj-1-LANDING-3',
      startedAt: now.toISOString(),
      status: 'starting',
      resumedFrom: 'prj-1-LANDING-2',
      resumedAfter: 'boom',
    });
  });

  it('a failure with no recorded error is resumed without a reason', () => {
    expect(resumeLifecycle(withWorkflow(ref('failed')), now, name).workflow).toStrictEqual({
      segment: 3,
      executionName: 'prj-1-LANDING-3',
      startedAt: now.toISOString(),
      status: 'starting',
      resumedFrom: 'prj-1-LANDING-2',
      resumedAfter: undefined,
    });
  });

  it('force on a plain failure changes nothing: no confirmation is needed', () => {
    const resumed = resumeLifecycle(withWorkflow(ref('failed', { lastError: 'boom' })), now, name, true);
    expect(resumed.workflow).toMatchObject({ resumedAfter: 'boom' });
    expect(resumed.workflow?.confirmStopped).toBeUndefined();
  });

  it('forced over a starting record, the new segment waits until the old execution is confirmed stopped', () => {
    expect(resumeLifecycle(withWorkflow(ref('starting')), now, name, true).workflow).toStrictEqual({
      segment: 3,
      executionName: 'prj-1-LANDING-3',
      startedAt: now.toISOString(),
      status: 'starting',
      resumedFrom: 'prj-1-LANDING-2',
      resumedAfter: 'forced over workflow status starting',
      confirmStopped: true,
    });
  });

  it('a forced resume whose start was refused keeps checking the execution it took over', () => {
    const refused = ref('start_failed', { segment: 3, executionName: 'prj-1-LANDING-3', resumedFrom: 'prj-1-LANDING-2', confirmStopped: true, lastError: 'still running' });
    expect(resumeLifecycle(withWorkflow(refused), now, name).workflow).toStrictEqual({
      segment: 4,
      executionName: 'prj-1-LANDING-4',
      startedAt: now.toISOString(),
      status: 'starting',
      resumedFrom: 'prj-1-LANDING-2',
      resumedAfter: 'still running',
      confirmStopped: true,
    });
  });

  it('a refused start that needed no confirmation resumes from itself, without one', () => {
    const plain = ref('start_failed', { segment: 3, executionName: 'prj-1-LANDING-3', resumedFrom: 'prj-1-LANDING-2', lastError: 'AccessDenied' });
    const resumed = resumeLifecycle(withWorkflow(plain), now, name).workflow;
    expect(resumed).toMatchObject({ segment: 4, resumedFrom: 'prj-1-LANDING-3', resumedAfter: 'AccessDenied' });
    expect(resumed?.confirmStopped).toBeUndefined();
    // Marked to confirm but with no execution recorded to confirm: nothing to keep checking.
    const orphan = ref('start_failed', { confirmStopped: true, lastError: 'x' });
    const again = resumeLifecycle(withWorkflow(orphan), now, name).workflow;
    expect(again).toMatchObject({ resumedFrom: 'prj-1-LANDING-2' });
    expect(again?.confirmStopped).toBeUndefined();
  });

  it('a forced resume that got running and then failed resumes from the execution that failed, with no confirmation', () => {
    // Forced over a running record, the new segment started, recorded itself running (keeping its history), then failed.
    const forced = resumeLifecycle(withWorkflow(ref('running')), now, name, true);
    const running = segmentRunning(forced, 'prj-1-LANDING-3', 'LANDING', 3, now)!;
    expect(running.workflow).toMatchObject({ status: 'running', resumedFrom: 'prj-1-LANDING-2', confirmStopped: true });
    const failed = stepFailed(running, 'prj-1-LANDING-3', 3, 'TypeError: later', now);
    if (failed.stale) throw new Error('not stale');
    const resumed = resumeLifecycle(failed.project, now, name).workflow;
    expect(resumed).toMatchObject({ segment: 4, resumedFrom: 'prj-1-LANDING-3', resumedAfter: 'TypeError: later' });
    expect(resumed?.confirmStopped).toBeUndefined();
  });

  it('refuses a lifecycle that is running, saying it may be forced', () => {
    expect(() => resumeLifecycle(withWorkflow(ref('running')), now, name)).toThrow(
      expect.objectContaining({
        status: 409,
        message:
          'The lifecycle of prj-1 is not failed (status ACTIVE, workflow running): only a failed lifecycle is resumed — send "force": true if its execution is known to have stopped',
        // The project the path names is what is not in a state to resume (errors[], as every other refusal says).
        errors: [{ path: 'path.id', code: 'state', message: 'workflow running' }],
      }),
    );
  });

  it('refuses an ended lifecycle even when forced, and does not offer force', () => {
    expect(() => resumeLifecycle(withWorkflow(ref('ended')), now, name, true)).toThrow(
      expect.objectContaining({ status: 409, message: 'The lifecycle of prj-1 is not failed (status ACTIVE, workflow ended): only a failed lifecycle is resumed', errors: [{ path: 'path.id', code: 'state', message: 'workflow ended' }] }),
    );
  });

  it('refuses a project never started', () => {
    expect(() => resumeLifecycle(withWorkflow(null), now, name, true)).toThrow(
      expect.objectContaining({ status: 409, message: 'The lifecycle of prj-1 is not failed (status ACTIVE, workflow none): only a failed lifecycle is resumed', errors: [{ path: 'path.id', code: 'state', message: 'workflow none' }] }),
    );
  });

  it('refuses a failed lifecycle of a project that is no longer active', () => {
    expect(() => resumeLifecycle(withWorkflow(ref('failed'), { status: 'EXITED' }), now, name, true)).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringContaining('(status EXITED, workflow failed)'), errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }),
    );
  });
});

describe('an execution recording itself as the running segment', () => {
  const later = new Date('2026-11-27T00:00:00Z');

  it('a retried first step of the running execution changes nothing', () => {
    expect(segmentRunning(withWorkflow(ref('running')), 'prj-1-LANDING-2', 'LANDING', 2, later)).toBeUndefined();
  });

  it('the same execution, recorded starting, keeps its history (what it resumed from)', () => {
    const starting = ref('starting', { resumedFrom: 'prj-1-LANDING-1', resumedAfter: 'boom', confirmStopped: true });
    expect(segmentRunning(withWorkflow(starting), 'prj-1-LANDING-2', 'LANDING', 2, later)?.workflow).toStrictEqual({
      segment: 2,
      executionName: 'prj-1-LANDING-2',
      startedAt: later.toISOString(),
      status: 'running',
      resumedFrom: 'prj-1-LANDING-1',
      resumedAfter: 'boom',
      confirmStopped: true,
    });
  });

  it('another execution replaces the record without its history', () => {
    const old = ref('running', { resumedFrom: 'prj-1-LANDING-1', lastError: 'boom' });
    const next = segmentRunning(withWorkflow(old), 'prj-1-LANDING-3', 'LANDING', 3, later);
    expect(next?.workflow).toStrictEqual({ segment: 3, executionName: 'prj-1-LANDING-3', startedAt: later.toISOString(), status: 'running' });
    expect(next?.stage).toBe('LANDING');
  });

  it('an execution of a stage the project has left (resumed from a stale read) takes nothing from the one carrying it', () => {
    // The project passed LANDING and GROUNDBREAKING-1 runs; a SIGNING-1 started again from a record read before the pass.
    const now2 = withWorkflow({ segment: 1, executionName: 'prj-1-GROUNDBREAKING-1', startedAt: now.toISOString(), status: 'running' }, { stage: 'GROUNDBREAKING' });
    expect(segmentRunning(now2, 'prj-1-SIGNING-1', 'SIGNING', 1, later)).toBeUndefined();
    expect(segmentRunning(now2, 'prj-1-GROUNDBREAKING-2', 'GROUNDBREAKING', 2, later)?.workflow?.executionName).toBe('prj-1-GROUNDBREAKING-2');
  });

  it('a project with no record gets one', () => {
    expect(segmentRunning(withWorkflow(null, { stage: 'SIGNING' }), 'prj-1-SIGNING-1', 'SIGNING', 1, later)?.workflow).toStrictEqual({
      segment: 1,
      executionName: 'prj-1-SIGNING-1',
      startedAt: later.toISOString(),
      status: 'running',
    });
  });
});

describe('continue-as-new recording the next segment as starting', () => {
  const later = new Date('2026-11-27T00:00:00Z');

  it('records the next stage and segment, fresh', () => {
    const next = segmentStarting(withWorkflow(ref('running', { lastError: 'x', resumedFrom: 'y' })), 'GROUNDBREAKING', 1, 'prj-1-GROUNDBREAKING-1', later);
    expect(next?.stage).toBe('GROUNDBREAKING');
    expect(next?.workflow).toStrictEqual({ segment: 1, executionName: 'prj-1-GROUNDBREAKING-1', startedAt: later.toISOString(), status: 'starting' });
  });

  it('a retried step that already recorded it changes nothing', () => {
    expect(segmentStarting(withWorkflow(ref('starting')), 'LANDING', 2, 'prj-1-LANDING-2', later)).toBeUndefined();
  });

  it('a project with no record gets one', () => {
    expect(segmentStarting(withWorkflow(null), 'SIGNING', 1, 'prj-1-SIGNING-1', later)?.workflow).toMatchObject({ executionName: 'prj-1-SIGNING-1', status: 'starting' });
  });
});

describe('a step failing after its retries', () => {
  const later = new Date('2026-11-27T00:00:00Z');

  it('marks the running lifecycle failed with the error, keeping its record', () => {
    const result = stepFailed(withWorkflow(ref('running', { resumedFrom: 'prj-1-LANDING-1' })), 'prj-1-LANDING-2', 2, 'TypeError: boom', later);
    expect(result).toStrictEqual({
      stale: false,
      project: withWorkflow({ ...ref('running', { resumedFrom: 'prj-1-LANDING-1' }), status: 'failed', lastError: 'TypeError: boom' }),
    });
  });

  it('a late failure of an execution the project moved on from is stale and changes nothing', () => {
    const moved = withWorkflow(ref('running', { segment: 3, executionName: 'prj-1-LANDING-3' }));
    expect(stepFailed(moved, 'prj-1-LANDING-2', 2, 'boom', later)).toStrictEqual({ stale: true, running: 'prj-1-LANDING-3' });
  });

  it('a newer segment that is only starting never ran: the failure leaves the project without a running execution', () => {
    const starting = withWorkflow(ref('starting', { segment: 3, executionName: 'prj-1-LANDING-3' }));
    const result = stepFailed(starting, 'prj-1-LANDING-2', 2, 'boom', later);
    expect(result.stale).toBe(false);
    expect(!result.stale && result.project.workflow).toStrictEqual({ ...ref('starting', { segment: 3, executionName: 'prj-1-LANDING-3' }), status: 'failed', lastError: 'boom' });
  });

  it('a failure that names no execution marks the project failed', () => {
    const result = stepFailed(withWorkflow(ref('running')), undefined, 2, 'boom', later);
    expect(!result.stale && result.project.workflow).toMatchObject({ executionName: 'prj-1-LANDING-2', status: 'failed', lastError: 'boom' });
  });

  it('a project with no record gets one for the failed execution', () => {
    const result = stepFailed(withWorkflow(null), 'prj-1-SIGNING-1', 1, 'boom', later);
    expect(!result.stale && result.project.workflow).toStrictEqual({ segment: 1, executionName: 'prj-1-SIGNING-1', startedAt: later.toISOString(), status: 'failed', lastError: 'boom' });
    const unnamed = stepFailed(withWorkflow(null), undefined, 1, 'boom', later);
    expect(!unnamed.stale && unnamed.project.workflow).toStrictEqual({ segment: 1, executionName: '', startedAt: later.toISOString(), status: 'failed', lastError: 'boom' });
  });
});

describe('a segment’s start refused for good', () => {
  it('records start_failed with the reason, for ops to resume', () => {
    const starting = ref('starting', { segment: 3, executionName: 'prj-1-LANDING-3', resumedFrom: 'prj-1-LANDING-2', confirmStopped: true });
    expect(startFailed(withWorkflow(starting), 'prj-1-LANDING-3', 'still running')?.workflow).toStrictEqual({ ...starting, status: 'start_failed', lastError: 'still running' });
  });

  it('changes nothing when the project no longer says starting for that execution', () => {
    expect(startFailed(withWorkflow(null), 'prj-1-LANDING-3', 'x')).toBeUndefined();
    expect(startFailed(withWorkflow(ref('starting')), 'prj-1-LANDING-3', 'x')).toBeUndefined();
    expect(startFailed(withWorkflow(ref('running')), 'prj-1-LANDING-2', 'x')).toBeUndefined();
  });
});
