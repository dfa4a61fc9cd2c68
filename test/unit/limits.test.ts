// What users may add to a project, as domain rules: the 容缺 window and the cap on open follow-ups and obligations;
// and resuming a failed lifecycle.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { resumeLifecycle } from '../../functions/lifecycle/domain/segment.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { assertRoomForItems, deficiencyDueDateErrors, type Task } from '../../functions/lifecycle/domain/task.ts';

const item = (kind: Task['kind'], status: Task['status'] = 'open') => ({ kind, status });

describe('the cap on open follow-ups and obligations', () => {
  const limits = { deficiencyWindowWd: 20, openItemsPerProject: 3 };

  it('counts only open follow-ups and obligations against the cap', () => {
    const tasks = [item('followup'), item('obligation'), item('matrix'), item('recurring'), item('followup', 'done'), item('obligation', 'done_with_deficiencies')];
    expect(() => assertRoomForItems(tasks, 1, limits, 'followUps')).not.toThrow();
    // The list sent that would go past the cap is named (errors[]): the meeting's followUps, the interview's commitments…
    expect(() => assertRoomForItems(tasks, 2, limits, 'commitments')).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringMatching(/2 open .* limit of 3/), errors: [{ path: 'commitments', code: 'state', message: '2 to add; the project has room for 1 (2 of 3 open: config/limits openItemsPerProject)' }] }),
    );
  });

  it('never refuses a change that adds nothing, even over the cap', () => {
    expect(() => assertRoomForItems([item('followup'), item('followup'), item('followup'), item('followup')], 0, limits, 'followUps')).not.toThrow();
  });

  it('is 200 by default', () => {
    expect(DEFAULT_CONFIG.limits.openItemsPerProject).toBe(200);
    expect(DEFAULT_CONFIG.limits.deficiencyWindowWd).toBe(20);
  });
});

describe('the 容缺 window', () => {
  let n = 0;
  const d = (dueDate: string) => ({ document: `材料${++n}`, dueDate });
  it('takes a due date after today up to the last day of the window, and names each one outside it', () => {
    expect(deficiencyDueDateErrors([d('2026-11-27'), d('2026-12-24')], '2026-11-26', '2026-12-24', 20)).toEqual([]);
    expect(deficiencyDueDateErrors([d('2026-11-26'), d('2026-12-25'), d('2099-12-31')], '2026-11-26', '2026-12-24', 20)).toEqual([
      { path: 'deficiencies[0].dueDate', code: 'out_of_range', message: 'must be after 2026-11-26' },
      { path: 'deficiencies[1].dueDate', code: 'out_of_range', message: 'must be on or before 2026-12-24 (20 working days)' },
      { path: 'deficiencies[2].dueDate', code: 'out_of_range', message: 'must be on or before 2026-12-24 (20 working days)' },
    ]);
  });
});

describe('resuming a failed lifecycle', () => {
  const now = new Date('2026-11-26T10:00:00+08:00');
  const base = createProject(
    { name: 'p', investor: { name: 'e', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 1, techLevel: 'advanced', chainRole: 'extend', park: 'P', siteMode: 'land' },
    { sub: 'u', name: 'u', roles: ['investment_dept'] },
    DEFAULT_CONFIG.classification,
    { id: 'prj-1', now },
  );
  const failed: Project = { ...base, status: 'ACTIVE', stage: 'LANDING', workflow: { segment: 2, executionName: 'prj-1-LANDING-2', startedAt: 'x', status: 'failed', lastError: 'TypeError: boom' } };
  const name = (segment: number) => `prj-1-LANDING-${segment}`;

  it('starts the next segment of the same stage, remembering which execution failed and why', () => {
    const resumed = resumeLifecycle(failed, now, name);
    expect(resumed.workflow).toEqual({ segment: 3, executionName: 'prj-1-LANDING-3', startedAt: now.toISOString(), status: 'starting', resumedFrom: 'prj-1-LANDING-2', resumedAfter: 'TypeError: boom' });
    // The domain decides; the unit of work moves the version (test/unit/unit-of-work.test.ts).
    expect(resumed.version).toBe(failed.version);
  });

  it('resumes a start that failed too', () => {
    expect(resumeLifecycle({ ...failed, workflow: { ...failed.workflow!, status: 'start_failed' } }, now, name).workflow?.segment).toBe(3);
  });

  it('takes over a lifecycle whose record says running only when forced, and then only once its execution is confirmed stopped', () => {
    const running = { ...failed, workflow: { ...failed.workflow!, status: 'running' as const, lastError: undefined } };
    expect(() => resumeLifecycle(running, now, name)).toThrow(expect.objectContaining({ status: 409, message: expect.stringMatching(/force/) }));
    const forced = resumeLifecycle(running, now, name, true);
    expect(forced.workflow).toMatchObject({ segment: 3, status: 'starting', resumedFrom: 'prj-1-LANDING-2', confirmStopped: true, resumedAfter: 'forced over workflow status running' });
    // Its start refused (the old one still ran), a later resume keeps checking the same execution.
    const refused = { ...forced, workflow: { ...forced.workflow!, status: 'start_failed' as const, lastError: 'still running' } };
    expect(resumeLifecycle(refused, now, name).workflow).toMatchObject({ segment: 4, resumedFrom: 'prj-1-LANDING-2', confirmStopped: true });
    // A plain failure needs no confirmation.
    expect(resumeLifecycle(failed, now, name).workflow?.confirmStopped).toBeUndefined();
  });

  it.each([
    ['a running lifecycle', { ...failed, workflow: { ...failed.workflow!, status: 'running' as const } }],
    ['a project that exited', { ...failed, status: 'EXITED' as const }],
    ['a project never started', { ...failed, workflow: null }],
  ])('refuses %s with 409', (_, project) => {
    expect(() => resumeLifecycle(project, now, name)).toThrow(expect.objectContaining({ status: 409 }));
  });
});
