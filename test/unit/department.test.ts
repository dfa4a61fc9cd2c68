// Department supervision 部门督办: which department answers for a task, the notice window in working days, the notice
// list 通报提醒 (a threshold of overdue items within the window, once per crossing), handling time, and the report's
// period and rows — at their edges.
import { describe, expect, it } from 'vitest';
import type { Role } from '../../functions/kernel/domain/codes.ts';
import { Forbidden, ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import { DEFAULT_MATRIX } from '../../functions/reference/domain/config.ts';
import { departmentReportCsv } from '../../functions/supervision/present-report.ts';
import {
  completionFact,
  countOpen,
  decideNotice,
  departmentOf,
  departmentRows,
  matrixDepartments,
  noticeNotices,
  noticeWindow,
  overdueFact,
  parkCenterRows,
  projectOfDueKey,
  reportPeriod,
  reportScope,
  type Department,
  type DepartmentFact,
  type NoticeRecord,
  type OverdueFact,
} from '../../functions/supervision/domain/department.ts';
import { render, type Notice } from '../../functions/notifications/domain/notices.ts';
import { scopeLedger } from '../../functions/projects/domain/ledger-scope.ts';
import { aTask, calendar2026, runningTask } from '../support/domain.ts';

// 2026: the Mid-Autumn holiday on Friday 25 September, National Day 1–7 October, Saturday 10 October worked (调休).
const calendar = calendar2026;
const cfg = { departmentNoticeThreshold: 3, departmentNoticeWindowWd: 5 };
const bureau: Department = { role: 'resources_bureau', park: null };

let n = 0;
const red = (date: string, over: Partial<OverdueFact> = {}): OverdueFact => ({
  kind: 'overdue',
  role: 'resources_bureau',
  park: null,
  date,
  projectId: `prj-${++n}`,
  projectName: `项目${n}`,
  taskId: 'SIGNING.planning_conditions',
  task: '规划设计条件',
  dueDate: '2026-09-20',
  ...over,
});

/** A park center's notice of 2026-10-12 (window 30 Sep – 12 Oct, listed until the 19th) listing `items`. */
const parkNotice = (items: NoticeRecord['items']): NoticeRecord => ({
  kind: 'notice',
  role: 'park_center',
  park: '汇通产业园',
  date: '2026-10-12',
  windowFrom: '2026-09-30',
  windowTo: '2026-10-12',
  windowWd: 5,
  threshold: 3,
  items,
  listedUntil: '2026-10-19',
});
const decide = (today: string, facts: readonly DepartmentFact[], listedUntil: string | null = null, department = bureau) => decideNotice({ department, today, facts, listedUntil, cfg, calendar });

describe('the department that answers for a task', () => {
  it('is the lead role; a park’s service center per park; none for the enterprise’s own work', () => {
    expect(departmentOf(aTask('a', { lead: 'resources_bureau', park: '汇通产业园' }))).toEqual({ role: 'resources_bureau', park: null });
    expect(departmentOf(aTask('a', { lead: 'park_center', park: '科创城' }))).toEqual({ role: 'park_center', park: '科创城' });
    expect(departmentOf(aTask('a', { lead: 'enterprise' }))).toBeNull();
  });

  it('records a red task as its department’s overdue fact on the day it turned red, the enterprise’s not at all', () => {
    const project = { id: 'prj-1', name: '示例项目' };
    expect(overdueFact(runningTask('a', { light: 'red' }), project, '2026-09-30')).toEqual({
      kind: 'overdue',
      role: 'resources_bureau',
      park: null,
      date: '2026-09-30',
      projectId: 'prj-1',
      projectName: '示例项目',
      taskId: 'a',
      task: '任务a',
      dueDate: '2026-09-29',
    });
    expect(overdueFact(runningTask('a', { lead: 'enterprise' }), project, '2026-09-30')).toBeNull();
  });
});

describe('the notice window (working days, today included)', () => {
  it('reaches back five working days across National Day and the worked Saturday', () => {
    // Monday 12 October: 10 (worked Saturday), 9, 8, then 30 and 29 September.
    expect(noticeWindow('2026-10-12', 5, calendar)).toEqual({ after: '2026-09-29', from: '2026-09-30', to: '2026-10-12' });
  });

  it('from a holiday counts the working days before it: as many as on a working day', () => {
    // Saturday 3 October, National Day: the last two working days are 29 and 30 September (30 September alone was counted).
    expect(noticeWindow('2026-10-03', 2, calendar)).toEqual({ after: '2026-09-28', from: '2026-09-29', to: '2026-10-03' });
  });
});

describe('the notice list 通报提醒', () => {
  it('lists a department at the threshold, not one item before', () => {
    expect(decide('2026-10-12', [red('2026-10-08'), red('2026-10-09')])).toBeNull();
    const notice = decide('2026-10-12', [red('2026-10-08'), red('2026-10-09'), red('2026-10-12')]);
    expect(notice).toMatchObject({ kind: 'notice', role: 'resources_bureau', park: null, date: '2026-10-12', windowFrom: '2026-09-30', windowTo: '2026-10-12', windowWd: 5, threshold: 3 });
    expect(notice?.items.map((i) => i.date)).toEqual(['2026-10-08', '2026-10-09', '2026-10-12']);
  });

  it('counts the window’s first day and not the day before it', () => {
    expect(decide('2026-10-12', [red('2026-09-29'), red('2026-10-08'), red('2026-10-09')])).toBeNull();
    expect(decide('2026-10-12', [red('2026-09-30'), red('2026-10-08'), red('2026-10-09')])?.items).toHaveLength(3);
  });

  it('decided on a rest day, counts an item of the first of its W working days (a task due Friday turns red on Saturday)', () => {
    // Sunday 4 October: the last five working days are 23 and 24 September (before the Mid-Autumn holiday), 28, 29
    // and 30 September — the notice said 近 5 个工作日 and counted four (its window began on 24 September).
    expect(noticeWindow('2026-10-04', 5, calendar)).toMatchObject({ from: '2026-09-23', to: '2026-10-04' });
    const notice = decide('2026-10-04', [red('2026-09-23'), red('2026-09-30'), red('2026-10-04')]);
    expect(notice).toMatchObject({ date: '2026-10-04', windowFrom: '2026-09-23', windowWd: 5 });
    expect(notice?.items.map((i) => i.date)).toEqual(['2026-09-23', '2026-09-30', '2026-10-04']);
    expect(decide('2026-10-04', [red('2026-09-22'), red('2026-09-30'), red('2026-10-04')])).toBeNull();
  });

  it('counts no item dated after the day it decides for', () => {
    expect(decide('2026-10-09', [red('2026-10-08'), red('2026-10-09'), red('2026-10-12')])).toBeNull();
  });

  it('counts one item once, however often it turned red, and only this department’s overdue items', () => {
    const twice = red('2026-10-08');
    const facts: DepartmentFact[] = [
      twice,
      { ...twice, date: '2026-10-09' },
      red('2026-10-09', { role: 'eco_bureau' }),
      { kind: 'completed', role: 'resources_bureau', park: null, date: '2026-10-09', projectId: 'prj-x', taskId: 't', task: '任务', startedDate: '2026-09-30', handlingWd: 3 },
      red('2026-10-12'),
    ];
    expect(decide('2026-10-12', facts)).toBeNull();
    const notice = decide('2026-10-12', [...facts, red('2026-10-12')]);
    expect(notice?.items).toHaveLength(3);
    expect(notice?.items[0]).toMatchObject({ projectId: twice.projectId, date: '2026-10-08' });
  });

  it('counts a park’s service center by its own park’s items', () => {
    const huitong = { role: 'park_center' as const, park: '汇通产业园' };
    const items = [red('2026-10-08', { role: 'park_center', park: '汇通产业园' }), red('2026-10-09', { role: 'park_center', park: '汇通产业园' }), red('2026-10-09', { role: 'park_center', park: '科创城' })];
    expect(decide('2026-10-12', items, null, huitong)).toBeNull();
    expect(decide('2026-10-12', [...items, red('2026-10-12', { role: 'park_center', park: '汇通产业园' })], null, huitong)).toMatchObject({ role: 'park_center', park: '汇通产业园' });
  });

  it('does not list a listed department again before its listing ends, and lists it for the window’s length', () => {
    const facts = [red('2026-10-08'), red('2026-10-09'), red('2026-10-12')];
    expect(decide('2026-10-12', facts, '2026-10-12')).toBeNull();
    expect(decide('2026-10-12', facts, '2026-10-11')).not.toBeNull();
    // Five working days from Monday 12 October: Tuesday 13 … Monday 19.
    expect(decide('2026-10-12', facts)?.listedUntil).toBe('2026-10-19');
  });

  it('counts each overdue item toward one notice at most: the next window starts after the notice', () => {
    const first = [red('2026-10-08'), red('2026-10-09'), red('2026-10-12')];
    const notice = decide('2026-10-12', first)!;
    const later = [red('2026-10-14'), red('2026-10-15')];
    // The day after the listing ends (Tuesday 20th: the window is 14–20 October), the first notice's items are out of
    // the window: two new ones are not enough…
    expect(decide('2026-10-20', [...first, ...later], notice.listedUntil)).toBeNull();
    // …a third is, and only the new ones are counted.
    const again = decide('2026-10-20', [...first, ...later, red('2026-10-20')], notice.listedUntil);
    expect(again?.items.map((i) => i.date)).toEqual(['2026-10-14', '2026-10-15', '2026-10-20']);
  });

  it('tells the supervision office and the department itself — a park center in its park’s inbox', () => {
    const notice = parkNotice([{ projectId: 'prj-1', projectName: '电池项目', taskId: 'LANDING.service_team', task: '组建服务专班', date: '2026-10-12' }]);
    const [office, park] = noticeNotices(notice) as [Notice, Notice];
    expect(office).toMatchObject({ kind: 'department.notice', inbox: 'DEPT#supervision_office', department: { zh: '汇通产业园园区事业服务中心' }, count: 1, items: ['电池项目·组建服务专班'] });
    expect(park).toMatchObject({ inbox: 'DEPT#park_center#汇通产业园' });
    expect(noticeNotices({ ...notice, role: 'eco_bureau', park: null })[1]).toMatchObject({ inbox: 'DEPT#eco_bureau', department: { zh: '生态环境局开发区分局', en: 'Ecology & environment bureau' } });
  });

  it('marks a task recorded in English only in the Chinese notice list (仅录英文，照录原文), as every task notice does; the English as typed', () => {
    const notice = parkNotice([
      { projectId: 'prj-1', projectName: '电池项目', taskId: 'LANDING.service_team', task: '组建服务专班', date: '2026-10-12' },
      { projectId: 'prj-1', projectName: '电池项目', taskId: 'LANDING.followup-1', task: 'Submit EIA', date: '2026-10-12' },
    ]);
    const { zh, en } = render(noticeNotices(notice)[0]!);
    expect(zh.body).toContain('电池项目·组建服务专班；电池项目·Submit EIA（仅录英文，照录原文）。');
    expect(en.body).toContain('电池项目·组建服务专班; 电池项目·Submit EIA.');
  });
});

describe('handling time', () => {
  it('counts the working days from the task’s start to its completion, the start day not counted', () => {
    // The domain's example: five working days from Monday 21 September is Tuesday 29th, across the Mid-Autumn Friday.
    expect(completionFact(runningTask('a', { status: 'done' }), '2026-09-29', calendar)).toMatchObject({ kind: 'completed', role: 'resources_bureau', date: '2026-09-29', startedDate: '2026-09-21', handlingWd: 5 });
    expect(completionFact(runningTask('a', { status: 'done' }), '2026-09-21', calendar)?.handlingWd).toBe(0);
    expect(completionFact(runningTask('a', { status: 'done', lead: 'park_center' }), '2026-10-12', calendar)).toMatchObject({ role: 'park_center', park: '汇通产业园', handlingWd: 10 });
  });

  it('is not recorded for the enterprise’s work or a task never started', () => {
    expect(completionFact(runningTask('a', { lead: 'enterprise' }), '2026-09-29', calendar)).toBeNull();
    expect(completionFact(aTask('a'), '2026-09-29', calendar)).toBeNull();
  });
});

describe('the report’s period', () => {
  const refused = (query: { from?: string; to?: string }, today = '2026-10-12') => {
    try {
      reportPeriod(query, today);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailed);
      return (err as ValidationFailed).errors ?? [];
    }
    throw new Error('accepted');
  };

  it('is the current month so far by default, or the month of `to`', () => {
    expect(reportPeriod({}, '2026-10-12')).toEqual({ from: '2026-10-01', to: '2026-10-12' });
    expect(reportPeriod({ to: '2026-09-15' }, '2026-10-12')).toEqual({ from: '2026-09-01', to: '2026-09-15' });
    expect(reportPeriod({ from: '2026-10-12' }, '2026-10-12')).toEqual({ from: '2026-10-12', to: '2026-10-12' });
  });

  it('refuses `from` after `to`, naming `from`', () => {
    expect(refused({ from: '2026-10-13', to: '2026-10-12' })).toEqual([{ path: 'query.from', code: 'out_of_range', message: 'must be on or before 2026-10-12' }]);
    expect(refused({ from: '2026-10-13' })).toEqual([{ path: 'query.from', code: 'out_of_range', message: 'must be on or before 2026-10-12' }]);
  });

  it('may run past today but not begin after it, naming the field the start came from', () => {
    expect(reportPeriod({ from: '2026-01-01', to: '2026-12-31' }, '2026-10-12')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(refused({ to: '2030-01-01' })).toEqual([{ path: 'query.to', code: 'out_of_range', message: 'the period must begin on or before today (2026-10-12): it begins 2030-01-01' }]);
    expect(refused({ to: '2026-12-31' })[0]?.path).toBe('query.to');
    expect(refused({ from: '2027-01-01', to: '2027-03-01' })).toEqual([{ path: 'query.from', code: 'out_of_range', message: 'the period must begin on or before today (2026-10-12): it begins 2027-01-01' }]);
    expect(reportPeriod({ to: '2026-10-31' }, '2026-10-12')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('takes at most one year, naming `to` (or `from` when `to` is today’s)', () => {
    expect(reportPeriod({ from: '2026-01-01', to: '2026-12-31' }, '2026-10-12')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(refused({ from: '2026-01-01', to: '2027-01-01' })).toEqual([{ path: 'query.to', code: 'out_of_range', message: 'the period is at most one year: 2026-01-01 to 2026-12-31 at the latest' }]);
    expect(reportPeriod({ from: '2024-02-29', to: '2025-02-28' }, '2026-10-12').to).toBe('2025-02-28');
    expect(refused({ from: '2024-02-29', to: '2025-03-01' })[0]?.path).toBe('query.to');
    expect(refused({ from: '2025-10-11' })[0]?.path).toBe('query.from');
    expect(reportPeriod({ from: '2025-10-12' }, '2026-10-11')).toEqual({ from: '2025-10-12', to: '2026-10-11' });
  });
});

describe('the report’s rows', () => {
  it('has every department of the responsibility matrix, leading or cooperating, and no enterprise', () => {
    expect(matrixDepartments(DEFAULT_MATRIX)).toEqual(['committee_leader', 'investment_dept', 'scitech_dept', 'resources_bureau', 'eco_bureau', 'park_center', 'construction_dept', 'approval_office', 'soe']);
  });

  it('counts a task overdue once its due date has passed, not on the day it is due', () => {
    expect(countOpen(['2026-10-11#prj-1#a', '2026-10-12#prj-1#b', '2026-10-13#prj-2#a'], '2026-10-12')).toEqual({ open: 3, overdue: 1 });
    expect(countOpen([], '2026-10-12')).toEqual({ open: 0, overdue: 0 });
  });

  it('counts the period’s completions with their average handling time, notices and red items; zero rows included', () => {
    const done = (date: string, handlingWd: number): DepartmentFact => ({ kind: 'completed', role: 'resources_bureau', park: null, date, projectId: `prj-${date}-${handlingWd}`, taskId: 't', task: '任务', startedDate: '2026-09-01', handlingWd });
    const notice = { ...decide('2026-10-12', [red('2026-10-08'), red('2026-10-09'), red('2026-10-12')])! };
    const facts = [done('2026-09-30', 30), done('2026-10-01', 2), done('2026-10-09', 3), done('2026-10-12', 3), done('2026-10-13', 40), red('2026-10-01'), red('2026-10-13'), notice];
    const rows = departmentRows({
      departments: ['resources_bureau', 'eco_bureau'],
      open: new Map([['resources_bureau', { open: 4, overdue: 1 }]]),
      facts: new Map([['resources_bureau', facts]]),
      period: { from: '2026-10-01', to: '2026-10-12' },
    });
    expect(rows).toEqual([
      { department: 'resources_bureau', name: '规划和自然资源局开发区分局', open: 4, overdue: 1, completed: 3, averageHandlingWd: 2.7, notices: 1, overdueInPeriod: 1 },
      { department: 'eco_bureau', name: '生态环境局开发区分局', open: 0, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 },
    ]);
  });

  it('counts a task red twice in the period once (a calendar correction moved its due date, and it passed again)', () => {
    const again = (date: string, taskId: string) => red(date, { projectId: 'prj-same', taskId });
    const rows = departmentRows({
      departments: ['resources_bureau'],
      open: new Map(),
      facts: new Map([['resources_bureau', [again('2026-10-08', 'a'), again('2026-10-12', 'a'), again('2026-10-09', 'b')]]]),
      period: { from: '2026-10-01', to: '2026-10-12' },
    });
    expect(rows[0]!.overdueInPeriod).toBe(2);
  });
});

describe('the park centers per park', () => {
  const period = { from: '2026-10-01', to: '2026-10-12' };
  const done = (park: string, date: string, handlingWd: number): DepartmentFact => ({ kind: 'completed', role: 'park_center', park, date, projectId: `prj-${park}-${date}`, taskId: 't', task: '任务', startedDate: '2026-09-01', handlingWd });

  it('lists the zone’s parks in their order, zero rows included, then another park only with open work or records in the period, by name', () => {
    const rows = parkCenterRows({
      listed: ['汇通产业园', '科创城'],
      open: new Map([
        ['科创城', { open: 2, overdue: 1 }],
        ['旧园区', { open: 1, overdue: 1 }],
        ['空园区', { open: 0, overdue: 0 }],
      ]),
      facts: [done('科创城', '2026-10-09', 4), done('科创城', '2026-10-12', 3), done('科创城', '2026-10-13', 40), done('B园区', '2026-10-02', 5), done('A园区', '2026-09-30', 5)],
      period,
    });
    expect(rows.map((r) => r.park)).toEqual(['汇通产业园', '科创城', 'B园区', '旧园区']);
    expect(rows[0]).toEqual({ department: 'park_center', name: '汇通产业园园区事业服务中心', park: '汇通产业园', open: 0, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 });
    expect(rows[1]).toMatchObject({ open: 2, overdue: 1, completed: 2, averageHandlingWd: 3.5 });
    expect(rows[2]).toMatchObject({ name: 'B园区园区事业服务中心', open: 0, completed: 1 });
  });

  it('reads the project of an open task from its due-date key, dated or not', () => {
    expect(projectOfDueKey('2026-10-12#prj-1#SIGNING.a')).toBe('prj-1');
    expect(projectOfDueKey('~#prj-2#OPERATION.production_figures')).toBe('prj-2');
  });

  it('gives the supervision office and the committee leader every department, a park center its own park (403 without one)', () => {
    const p = (roles: Role[], park?: string) => ({ sub: 'u', name: 'u', roles, ...(park ? { park } : {}) });
    expect(reportScope(p(['supervision_office']))).toEqual({});
    expect(reportScope(p(['park_center', 'committee_leader'], '科创城'))).toEqual({});
    expect(reportScope(p(['park_center'], '科创城'))).toEqual({ park: '科创城' });
    expect(() => reportScope(p(['park_center']))).toThrow(Forbidden);
    // Told that its token is the cause and what to do, as the inventories and the ledger tell it.
    expect(() => reportScope(p(['park_center']))).toThrow("Your token names no park: a park center reads its own park's report — ask ops to set your account's park (custom:park), then sign in again");
    expect(() => scopeLedger(p(['park_center']), {})).toThrow("Your token names no park: a park center keeps its own park's ledger — ask ops to set your account's park (custom:park), then sign in again");
  });
});

describe('the department report as a CSV file', () => {
  // A park is named by ops (config/parks) and its center's row carries the name twice: Excel must show it, not run it.
  const row = (park: string) => ({ department: 'park_center' as const, name: `${park}园区事业服务中心`, park, open: 1, overdue: 0, completed: 0, averageHandlingWd: null, notices: 0, overdueInPeriod: 0 });

  it('neutralises a park name Excel would run as a formula (=, +, -, @), as the ledger and the park report do', () => {
    const parks = [row('=HYPERLINK("http://x","y")'), row('+1'), row('-1'), row('@SUM(1)')];
    const lines = departmentReportCsv({ from: '2026-10-01', to: '2026-10-31', departments: [], parks }).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.slice(1)).toEqual([
      `park_center,"'=HYPERLINK(""http://x"",""y"")园区事业服务中心",1,0,0,,0,0,"'=HYPERLINK(""http://x"",""y"")"`,
      "park_center,'+1园区事业服务中心,1,0,0,,0,0,'+1",
      "park_center,'-1园区事业服务中心,1,0,0,,0,0,'-1",
      "park_center,'@SUM(1)园区事业服务中心,1,0,0,,0,0,'@SUM(1)",
    ]);
  });

  it('keeps an ordinary park name as it is, quoted only when it holds a comma', () => {
    const lines = departmentReportCsv({ from: '2026-10-01', to: '2026-10-31', departments: [], parks: [row('汇通产业园'), row('x,y')] }).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.slice(1)).toEqual(['park_center,汇通产业园园区事业服务中心,1,0,0,,0,0,汇通产业园', 'park_center,"x,y园区事业服务中心",1,0,0,,0,0,"x,y"']);
  });
});
