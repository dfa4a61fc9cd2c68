// Entering a stage 进入阶段: the stage's tasks from the responsibility matrix for the project's site mode (摘地 or
// 租赁厂房), timed in working days from the day of entry; the stage's gate 转段; ops told when a due date falls in a
// year without a calendar; and the audit record of the entry.
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../functions/kernel/domain/codes.ts';
import type { CalendarLookup } from '../../functions/reference/domain/calendar.ts';
import { DEFAULT_CONFIG, DEFAULT_MATRIX, type Matrix } from '../../functions/reference/domain/config.ts';
import { createProject, type Project, type ProjectInput } from '../../functions/projects/domain/project.ts';
import { enterStage } from '../../functions/lifecycle/domain/entry.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import { calendar2026, projectInput } from '../support/domain.ts';

// 2026: the Mid-Autumn holiday on Friday 25 September, National Day 1–7 October, Saturday 10 October worked (调休).
const calendar = calendar2026;

const input: ProjectInput = projectInput({ totalInvestmentCny: 500_000_000 });
const make = (over: Partial<ProjectInput> = {}): Project => ({
  ...createProject({ ...input, ...over }, { sub: 'u', name: '招商', roles: ['investment_dept', 'scitech_dept'] }, DEFAULT_CONFIG.classification, { id: 'prj-1', now: new Date('2026-09-01T02:00:00Z') }),
  status: 'ACTIVE',
  matrixVersion: 3,
});

const now = new Date('2026-09-21T02:30:00Z');
const enter = (stage: Stage, over: { project?: Project; matrix?: Matrix; today?: string; calendar?: CalendarLookup; segment?: number; yellowBeforeWd?: number; earlier?: Task[] } = {}) =>
  enterStage({
    project: over.project ?? make(),
    stage,
    segment: over.segment ?? 1,
    matrix: over.matrix ?? DEFAULT_MATRIX,
    matrixVersion: 3,
    now,
    today: over.today ?? '2026-09-21',
    yellowBeforeWd: over.yellowBeforeWd ?? 2,
    calendar: over.calendar ?? calendar,
    earlier: over.earlier,
  });

describe('the tasks of a stage, for the site mode', () => {
  it('gives a 摘地 project the land tasks of SIGNING, the first one started on entry and the others waiting for theirs', () => {
    const { tasks } = enter('SIGNING');
    expect(tasks.map((t) => t.id)).toEqual(['SIGNING.pre_site_selection', 'SIGNING.planning_conditions', 'SIGNING.land_list', 'SIGNING.project_review', 'SIGNING.land_listing']);
    // 5 working days from Monday 21 September, across the Mid-Autumn Friday: Tuesday 29th.
    expect(tasks[0]).toMatchObject({
      projectId: 'prj-1',
      stage: 'SIGNING',
      kind: 'matrix',
      lead: 'investment_dept',
      cooperating: ['park_center'],
      status: 'open',
      startedDate: '2026-09-21',
      dueDate: '2026-09-29',
      yellowDate: '2026-09-24',
      light: 'green',
      calendarProvisional: false,
      matrixVersion: 3,
      park: '汇通产业园',
      enterpriseId: 'ent-a',
      requiredForGate: true,
    });
    expect(tasks[3]).toMatchObject({ code: 'project_review', lead: 'committee_leader', cooperating: ['investment_dept'], after: ['SIGNING.planning_conditions'], startedDate: null, dueDate: null });
    expect(tasks.slice(1).every((t) => t.startedDate === null)).toBe(true);
  });

  it('lights a task yellow from its first day at entry, with its notice (not a step later, maybe the next day)', () => {
    // 组建服务专班: 3 working days; with yellow 3 working days before the due date (the default) it is yellow from
    // Monday 21 September, the day it starts.
    const { tasks, notices } = enter('LANDING', { project: make({ siteMode: 'land' }), yellowBeforeWd: 3 });
    const team = tasks.find((t) => t.code === 'service_team')!;
    expect(team).toMatchObject({ startedDate: '2026-09-21', yellowDate: '2026-09-21', light: 'yellow' });
    expect(notices.filter((n) => n.kind === 'task.yellow')).toEqual([
      { kind: 'task.yellow', project: expect.objectContaining({ id: 'prj-1' }), to: 'park_center', task: '组建服务专班', taskEn: 'Park service team', dueDate: team.dueDate },
    ]);
    // Every other started task is green on its first day, and a task not started has no light to turn.
    expect(tasks.filter((t) => t.code !== 'service_team').every((t) => t.light === 'green')).toBe(true);
    expect(enter('SIGNING', { yellowBeforeWd: 3 }).notices).toEqual([]);
    // With the 2-day margin it starts green.
    expect(enter('LANDING', { project: make({ siteMode: 'land' }) }).notices).toEqual([]);
  });

  it('gives a 租赁厂房 project factory matching instead of the land list and listing', () => {
    const { tasks } = enter('SIGNING', { project: make({ siteMode: 'lease' }) });
    expect(tasks.map((t) => t.code)).toEqual(['pre_site_selection', 'planning_conditions', 'project_review', 'factory_matching']);
  });

  it('starts at once every LANDING task of a lease project: none waits, and there is no land transfer', () => {
    const { tasks, entry } = enter('LANDING', { project: make({ siteMode: 'lease' }) });
    expect(tasks.map((t) => [t.code, t.startedDate, t.dueDate])).toEqual([
      ['eia_guidance', '2026-09-21', '2026-10-26'],
      ['service_team', '2026-09-21', '2026-09-24'],
      ['lease_signing', '2026-09-21', '2026-10-19'],
    ]);
    expect(entry.tasks).toBe(3);
  });

  it('gives the sci-tech track department the tasks the matrix gives the track department', () => {
    const { tasks, gate } = enter('SIGNING', { project: make({ track: 'scitech' }) });
    expect(tasks[0]?.lead).toBe('scitech_dept');
    expect(gate?.requiredApprovals).toEqual(['committee_leader', 'scitech_dept', 'resources_bureau']);
  });

  it('makes the progress meeting recurring work, timed by its period', () => {
    const { tasks } = enter('CONSTRUCTION');
    expect(tasks.map((t) => [t.code, t.kind, t.limitWd, t.requiredForGate])).toEqual([
      ['progress_meeting', 'recurring', 10, false],
      ['equipment_commissioning', 'matrix', null, true],
    ]);
  });
});

describe("the stage's gate", () => {
  it('is the one the matrix names for the stage, closed until the tasks are done', () => {
    const { gate } = enter('GROUNDBREAKING');
    expect(gate).toEqual({
      stage: 'GROUNDBREAKING',
      name: { zh: '建设转段会议', en: 'Construction transition meeting' },
      requiredApprovals: ['committee_leader', 'construction_dept', 'approval_office'],
      meetingRequired: true,
      limitWd: 10,
      open: false,
      openedDate: null,
      dueDate: null,
      round: 1,
      meeting: null,
      passedAt: null,
    });
  });

  it('is none when the matrix names no gate for the stage (the review then uses the default gate)', () => {
    const matrix: Matrix = { tasks: DEFAULT_MATRIX.tasks, gates: DEFAULT_MATRIX.gates.filter((g) => g.stage !== 'LANDING') };
    expect(enter('LANDING', { matrix }).gate).toBeNull();
    expect(enter('SIGNING', { matrix }).gate?.stage).toBe('SIGNING');
  });
});

describe('the record of the entry', () => {
  it('records the stage, segment, moment, day and matrix version, and audits the task ids', () => {
    const { entry, event, tasks } = enter('LANDING', { segment: 2 });
    expect(entry).toEqual({ stage: 'LANDING', segment: 2, enteredAt: '2026-09-21T02:30:00.000Z', enteredDate: '2026-09-21', matrixVersion: 3, tasks: 3 });
    expect(event).toEqual({ action: 'stage.entered', before: {}, after: { ...entry, taskIds: ['LANDING.land_transfer', 'LANDING.eia_guidance', 'LANDING.service_team'] } });
    expect(tasks).toHaveLength(3);
  });

  it('tells ops nothing when every due date is on a loaded calendar', () => {
    expect(enter('LANDING').notices).toEqual([]);
  });

  it('tells ops which due dates fall in a year without a calendar', () => {
    // Entered Monday 2026-12-21: 30 and 20 working days reach into 2027 (not loaded), 3 working days do not.
    const { notices, tasks } = enter('LANDING', { today: '2026-12-21' });
    expect(tasks.map((t) => t.calendarProvisional)).toEqual([true, true, false]);
    expect(notices).toEqual([
      { kind: 'calendar.provisional', project: expect.objectContaining({ id: 'prj-1' }), items: ['土地出让（2027-02-01）', '环评指导（2027-01-18）'], itemsZh: ['土地出让（2027-02-01）', '环评指导（2027-01-18）'], years: [2027] },
    ]);
  });

  it('does not tell ops again of a year an earlier stage of the project already had a provisional date in (once a project and year)', () => {
    const signing = enter('SIGNING', { today: '2026-12-21' }).tasks;
    const told = signing.map((t) => ({ ...t, calendarProvisional: true, dueDate: '2027-01-08', status: 'done' as const }));
    expect(enter('LANDING', { today: '2026-12-21', earlier: told }).notices).toEqual([]);
    // Told of 2026 only (a loaded year's flag from a corrected calendar): 2027 is still told.
    const otherYear = signing.map((t) => ({ ...t, calendarProvisional: true, dueDate: '2026-12-30' }));
    expect(enter('LANDING', { today: '2026-12-21', earlier: otherYear }).notices).toEqual([expect.objectContaining({ kind: 'calendar.provisional', years: [2027] })]);
  });

  it("does not tell ops again of a year the project's escalation ladder already had its next window provisional in", () => {
    const onL1 = { ...make(), escalation: { level: 1, name: 'URGING_LETTER', since: '2026-12-21', next: { step: 'INTERVIEW', dueDate: '2027-01-04', calendarProvisional: true } } };
    expect(enter('LANDING', { today: '2026-12-21', project: onL1 }).notices).toEqual([]);
    const firm = { ...onL1, escalation: { ...onL1.escalation, next: { step: 'INTERVIEW', dueDate: '2026-12-28', calendarProvisional: false } } };
    expect(enter('LANDING', { today: '2026-12-21', project: firm }).notices).toEqual([expect.objectContaining({ kind: 'calendar.provisional', years: [2027] })]);
  });
});
