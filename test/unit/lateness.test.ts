// What a person's closing of a task records of its lights that the review had not recorded yet (lifecycle/lateness.ts):
// past due, the red light at completion; on or after its yellow day, the yellow notice — so what is told never depends
// on when the day's review ran (it may run after a completion just past midnight).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { TABLES } from '../../functions/kernel/store/tables.ts';
import { projectInput, runningTask } from '../support/domain.ts';

// The module writes through the stores (the overdue fact's table): named, never reached by these pure calls.
for (const t of TABLES) process.env[t.envVar] ??= `unit-${t.id}`;
const { latenessAtClosing } = await import('../../functions/lifecycle/lateness.ts');

const project: Project = {
  ...createProject(projectInput({ totalInvestmentCny: 500_000_000 }), { sub: 'u-inv', name: '招商', roles: ['investment_dept'] }, DEFAULT_CONFIG.classification, { id: 'prj-1', now: new Date('2026-09-01T02:00:00Z') }),
  status: 'ACTIVE',
};
// Started Monday 21 September, yellow from Thursday 24, due Tuesday 29.
const task = runningTask('SIGNING.t', { lead: 'resources_bureau' });

describe('a closing the day\'s review has not caught up with', () => {
  it('before its yellow day: nothing', () => {
    expect(latenessAtClosing(task, project, '2026-09-23')).toEqual({ writes: [], events: [], notices: [] });
  });

  it('on or after its yellow day, still green (not told): the yellow notice to its lead, once', () => {
    const told = latenessAtClosing(task, project, '2026-09-24');
    expect(told.events).toEqual([]);
    expect(told.notices).toEqual([expect.objectContaining({ kind: 'task.yellow', to: 'resources_bureau', dueDate: '2026-09-29' })]);
    expect(latenessAtClosing(task, project, '2026-09-29').notices.map((n) => n.kind)).toEqual(['task.yellow']);
    // Already told (the review lit it): nothing more.
    expect(latenessAtClosing({ ...task, light: 'yellow' }, project, '2026-09-25').notices).toEqual([]);
  });

  it('past due without its red light: the red light at completion (not also a yellow)', () => {
    const late = latenessAtClosing(task, project, '2026-09-30');
    expect(late.notices.map((n) => n.kind)).not.toContain('task.yellow');
    expect(late.events).toEqual([expect.objectContaining({ action: 'task.overdue', after: expect.objectContaining({ atCompletion: true }) })]);
  });

  it('work without a yellow day (no limit) or not open: nothing', () => {
    expect(latenessAtClosing({ ...task, yellowDate: null }, project, '2026-09-25').notices).toEqual([]);
    expect(latenessAtClosing({ ...task, status: 'done' }, project, '2026-09-25').notices).toEqual([]);
  });
});
