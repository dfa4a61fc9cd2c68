// Fixtures for the domain's unit tests: a project's input, a task in any state, and a 2026 calendar with the holidays
// the lifecycle tests count across (Mid-Autumn Friday 25 September, National Day 1–7 October, Saturday 10 October
// worked 调休). Built inline from the domain: no store, no seed data.
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import type { ProjectInput } from '../../functions/projects/domain/project.ts';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';

/** A major industrial project (12亿元) in 汇通产业园, by 招商局 on land: override what a test is about. */
export const projectInput = (over: Partial<ProjectInput> = {}): ProjectInput => ({
  name: '示例项目',
  investor: { name: '示例公司', enterpriseId: 'ent-a' },
  track: 'industrial',
  industry: 'nev',
  attractionMode: 'chain',
  totalInvestmentCny: 1_200_000_000,
  techLevel: 'advanced',
  chainRole: 'extend',
  park: '汇通产业园',
  siteMode: 'land',
  ...over,
});

export const calendar2026 = calendarLookup([{ year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }]);

/** The instant a due date ends: midnight in Shanghai (ms). */
export const endOf = (date: string) => new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000;
/** 10:00 in Shanghai on `today`. */
export const nowOn = (today: string) => new Date(`${today}T10:00:00+08:00`);

/** A SIGNING matrix task of project prj-1, not started: override what a test is about. */
export const aTask = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  projectId: 'prj-1',
  stage: 'SIGNING',
  code: id,
  kind: 'matrix',
  name: { zh: `任务${id}`, en: `Task ${id}` },
  lead: 'resources_bureau',
  cooperating: [],
  handler: '经办人',
  standard: '标准',
  limitWd: 5,
  after: [],
  requiredForGate: true,
  status: 'open',
  startedDate: null,
  dueDate: null,
  yellowDate: null,
  light: 'green',
  calendarProvisional: false,
  matrixVersion: 1,
  park: '汇通产业园',
  enterpriseId: 'ent-a',
  ...over,
});
/** A 5-working-day task started Monday 2026-09-21: due Tuesday 29th across the holiday, yellow from Thursday 24th. */
export const runningTask = (id: string, over: Partial<Task> = {}) => aTask(id, { startedDate: '2026-09-21', dueDate: '2026-09-29', yellowDate: '2026-09-24', ...over });
export const doneTask = (id: string, over: Partial<Task> = {}) => runningTask(id, { status: 'done', ...over });
