// The daily digest 每日提醒 without DynamoDB: which days it goes out on (the 2026 calendar: weekends and holidays off,
// 调休 make-up days on), which tasks count as red, due today and yellow, what a department is told — and that a
// department with nothing to tell is told nothing — in zh-CN and English, naming at most 20 items.
import { describe, expect, it } from 'vitest';
import { aTask } from '../support/domain.ts';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { chineseDaysYears } from '../../functions/reference/store/seed.ts';
import { projectIdOf, recipientOf, render } from '../../functions/notifications/domain/notices.ts';
import type { Letter } from '../../functions/supervision/domain/letter.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import {
  departmentInbox,
  digestDepartments,
  digestHorizon,
  digestInstant,
  digestNotice,
  isDigestDay,
  listedProjects,
  planDigest,
  taskBucket,
} from '../../functions/supervision/domain/digest.ts';

const calendar = calendarLookup(chineseDaysYears());
const resources = { role: 'resources_bureau' as const, park: null };
const huitong = { role: 'park_center' as const, park: '汇通产业园' };

const task = (id: string, dueDate: string | null, over: Partial<Task> = {}) => aTask(id, { startedDate: dueDate ? '2026-09-01' : null, dueDate, ...over });
const letter = (id: string, over: Partial<Letter> = {}): Letter => ({
  id,
  number: `晋综开督函〔2026〕${id}号`,
  series: 'urging',
  year: 2026,
  seq: 1,
  projectId: 'prj-9',
  projectName: '电池项目',
  from: 'supervision_office',
  to: { kind: 'department', role: 'resources_bureau' },
  subject: '督促函',
  body: '请说明',
  issuedAt: '2026-09-21T02:00:00.000Z',
  issuedBy: 'u-super',
  issuedOn: '2026-09-21',
  replyBy: '2026-09-28',
  ack: null,
  ...over,
});

describe('the days a digest goes out', () => {
  it('every working day of the calendar, 调休 make-up days included; no weekend or holiday', () => {
    expect(isDigestDay('2026-09-29', calendar)).toBe(true); // Tuesday
    expect(isDigestDay('2026-10-17', calendar)).toBe(false); // Saturday
    expect(isDigestDay('2026-10-05', calendar)).toBe(false); // Monday of National Day
    expect(isDigestDay('2026-09-25', calendar)).toBe(false); // Friday, Mid-Autumn
    expect(isDigestDay('2026-10-10', calendar)).toBe(true); // Saturday worked for National Day
    expect(isDigestDay('2026-09-20', calendar)).toBe(true); // Sunday worked for National Day
  });

  it('at 08:30 Asia/Shanghai, the instant every run of that day writes', () => {
    expect(digestInstant('2026-09-29').toISOString()).toBe('2026-09-29T00:30:00.000Z');
  });
});

describe('which tasks a digest counts', () => {
  it('looks yellowBeforeWd working days ahead, across holidays', () => {
    // Thursday 24 September: Friday 25th is Mid-Autumn, so three working days on is Wednesday 30th.
    expect(digestHorizon('2026-09-24', 3, calendar)).toBe('2026-09-30');
    // Tuesday 29 September: 30th, then National Day until 7 October: the 9th.
    expect(digestHorizon('2026-09-29', 3, calendar)).toBe('2026-10-09');
    expect(digestHorizon('2026-09-29', 0, calendar)).toBe('2026-09-29');
  });

  it('red once past due, due today on the day, yellow up to the horizon, nothing beyond it', () => {
    const on = (dueDate: string | null, over: Partial<Task> = {}) => taskBucket(task('t', dueDate, over), '2026-09-29', '2026-10-09');
    expect(on('2026-09-28')).toBe('red');
    expect(on('2026-01-05')).toBe('red');
    expect(on('2026-09-29')).toBe('due_today');
    expect(on('2026-09-30')).toBe('yellow');
    expect(on('2026-10-09')).toBe('yellow');
    // The make-up Saturday after is the fourth working day on: not yet.
    expect(on('2026-10-10')).toBeNull();
  });

  it('only open tasks with a due date', () => {
    const on = (over: Partial<Task>) => taskBucket(task('t', '2026-09-28', over), '2026-09-29', '2026-10-09');
    expect(on({ status: 'done' })).toBeNull();
    expect(on({ status: 'withdrawn' })).toBeNull();
    expect(taskBucket(task('t', null), '2026-09-29', '2026-10-09')).toBeNull();
  });
});

describe('what a department is told', () => {
  const tasks = [
    task('SIGNING.yellow_late', '2026-10-09', { projectId: 'prj-2' }),
    task('SIGNING.red', '2026-09-28', { projectId: 'prj-1' }),
    task('SIGNING.today', '2026-09-29', { projectId: 'prj-1' }),
    task('SIGNING.yellow', '2026-09-30', { projectId: 'prj-2' }),
    task('SIGNING.later', '2026-10-12', { projectId: 'prj-3' }),
  ];
  const letters = [letter('2'), letter('3', { ack: { by: 'u', byName: '经办人', at: '2026-09-22T02:00:00Z', reply: '已办' } })];
  const plan = planDigest({ department: resources, date: '2026-09-29', horizon: '2026-10-09', tasks, letters })!;

  it('counts each kind, a task due today not also as yellow, an acknowledged letter not at all', () => {
    expect(plan.counts).toEqual({ dueToday: 1, yellow: 2, red: 1, letters: 1 });
  });

  it('names red first, then due today, yellow soonest first, then letters', () => {
    expect(plan.listed.map((e) => (e.kind === 'letter' ? `letter:${e.letter.id}` : `${e.kind}:${e.task.id}`))).toEqual([
      'red:SIGNING.red',
      'due_today:SIGNING.today',
      'yellow:SIGNING.yellow',
      'yellow:SIGNING.yellow_late',
      'letter:2',
    ]);
    expect(listedProjects(plan)).toEqual(['prj-1', 'prj-2']);
  });

  it('in zh-CN and English, with project, task and due date, to the department inbox', () => {
    const notice = digestNotice(plan, new Map([['prj-1', '电池项目'], ['prj-2', '电机项目']]));
    expect(recipientOf(notice)).toBe('DEPT#resources_bureau');
    expect(projectIdOf(notice)).toBeUndefined();
    expect(render(notice)).toEqual({
      zh: {
        title: '每日提醒2026-09-29：到期1项，黄灯2项，红灯1项，待复函1件',
        body:
          '规划和自然资源局开发区分局：【红灯】电池项目·任务SIGNING.red（期限2026-09-28）；【今日到期】电池项目·任务SIGNING.today（期限2026-09-29）；' +
          '【黄灯】电机项目·任务SIGNING.yellow（期限2026-09-30）；【黄灯】电机项目·任务SIGNING.yellow_late（期限2026-10-09）；' +
          '【待复函】电池项目·晋综开督函〔2026〕2号（回复期限2026-09-28，已逾期）。',
      },
      en: {
        title: 'Daily digest 2026-09-29: 1 due today, 2 yellow, 1 red, 1 letter(s) awaiting reply',
        body:
          'Planning & natural resources bureau: [Red] 电池项目 · Task SIGNING.red (due 2026-09-28); [Due today] 电池项目 · Task SIGNING.today (due 2026-09-29); ' +
          '[Yellow] 电机项目 · Task SIGNING.yellow (due 2026-09-30); [Yellow] 电机项目 · Task SIGNING.yellow_late (due 2026-10-09); ' +
          '[Awaiting reply] 电池项目 · 晋综开督函〔2026〕2号 (reply by 2026-09-28, overdue).',
      },
    });
  });

  it('a letter still within its reply window, or asking no reply, is awaiting reply, not overdue', () => {
    const only = planDigest({ department: resources, date: '2026-09-24', horizon: '2026-09-30', tasks: [], letters: [letter('5', { replyBy: null }), letter('4')] })!;
    expect(only.counts).toEqual({ dueToday: 0, yellow: 0, red: 0, letters: 2 });
    expect(render(digestNotice(only, new Map())).zh.body).toBe('规划和自然资源局开发区分局：【待复函】电池项目·晋综开督函〔2026〕4号（回复期限2026-09-28）；【待复函】电池项目·晋综开督函〔2026〕5号。');
  });

  it('says so when the day is taken as a working day because its year has no calendar loaded', () => {
    const only = planDigest({ department: resources, date: '2027-01-04', horizon: '2027-01-07', tasks: [], letters: [letter('4')] })!;
    const { zh, en } = render(digestNotice(only, new Map(), true));
    expect(zh.body).toMatch(/2027年工作日历尚未载入/);
    expect(en.body).toMatch(/No working-day calendar is loaded for 2027/);
    expect(render(digestNotice(only, new Map())).zh.body).not.toMatch(/尚未载入/);
  });

  it('orders items of one kind by due date, then project and task; letters by reply date (none asked: last), then issue', () => {
    const same = planDigest({
      department: resources,
      date: '2026-09-29',
      horizon: '2026-10-09',
      tasks: [task('SIGNING.b', '2026-09-28', { projectId: 'prj-2' }), task('SIGNING.b', '2026-09-28', { projectId: 'prj-1' }), task('SIGNING.a', '2026-09-28', { projectId: 'prj-2' })],
      letters: [
        letter('13', { replyBy: null, issuedAt: '2026-09-01T00:00:00.000Z' }),
        letter('12', { replyBy: '2026-09-30', issuedAt: '2026-09-02T00:00:00.000Z' }),
        letter('11', { replyBy: '2026-09-30', issuedAt: '2026-09-03T00:00:00.000Z' }),
        letter('10', { replyBy: '2026-10-09', issuedAt: '2026-09-01T00:00:00.000Z' }),
      ],
    })!;
    expect(same.listed.map((e) => (e.kind === 'letter' ? e.letter.id : `${e.task.projectId}/${e.task.id}`))).toEqual(['prj-1/SIGNING.b', 'prj-2/SIGNING.a', 'prj-2/SIGNING.b', '12', '11', '10', '13']);
  });

  it('tells a department with only one kind of thing, or two', () => {
    const plan = (tasks: Task[], withLetter = false) => planDigest({ department: resources, date: '2026-09-29', horizon: '2026-10-09', tasks, letters: withLetter ? [letter('7')] : [] });
    expect(plan([task('t1', '2026-09-29'), task('t2', '2026-09-30')])?.counts).toEqual({ dueToday: 1, yellow: 1, red: 0, letters: 0 });
    expect(plan([task('t1', '2026-09-28')], true)?.counts).toEqual({ dueToday: 0, yellow: 0, red: 1, letters: 1 });
    expect(plan([task('t1', '2026-09-30')])?.counts).toEqual({ dueToday: 0, yellow: 1, red: 0, letters: 0 });
  });

  it('nothing at all to a department with nothing due by the horizon and no letter awaiting its reply', () => {
    expect(planDigest({ department: resources, date: '2026-09-29', horizon: '2026-10-09', tasks: [task('SIGNING.later', '2026-10-12'), task('SIGNING.done', '2026-09-28', { status: 'done' })], letters: [] })).toBeNull();
    expect(planDigest({ department: resources, date: '2026-09-29', horizon: '2026-10-09', tasks: [], letters: letters.slice(1) })).toBeNull();
  });

  it('names at most 20 items and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => task(`SIGNING.t${String(i).padStart(2, '0')}`, '2026-09-28', { projectId: 'prj-1' }));
    const big = planDigest({ department: huitong, date: '2026-09-29', horizon: '2026-10-09', tasks: many, letters: [letter('6')] })!;
    expect(big.counts).toEqual({ dueToday: 0, yellow: 0, red: 25, letters: 1 });
    expect(big.listed).toHaveLength(20);
    const { zh, en } = render(digestNotice(big, new Map([['prj-1', '电池项目']])));
    expect(zh.title).toBe('每日提醒2026-09-29：到期0项，黄灯0项，红灯25项，待复函1件');
    expect(zh.body).toMatch(/^汇通产业园园区事业服务中心：【红灯】电池项目·任务SIGNING\.t00（期限2026-09-28）；/);
    expect(zh.body).toMatch(/【红灯】电池项目·任务SIGNING\.t19（期限2026-09-28）等26项。$/);
    expect(zh.body.split('【').length - 1).toBe(20);
    expect(en.body).toMatch(/\(due 2026-09-28\) and more \(26 in all\)\.$/);
  });

  it('names exactly 20 without a tail', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => task(`SIGNING.t${String(i).padStart(2, '0')}`, '2026-09-29'));
    const { zh } = render(digestNotice(planDigest({ department: resources, date: '2026-09-29', horizon: '2026-10-09', tasks: twenty, letters: [] })!, new Map()));
    expect(zh.body).not.toContain('等');
    expect(zh.body.endsWith('（期限2026-09-29）。')).toBe(true);
  });
});

describe('which departments are told, where', () => {
  it('every staff department but ops, and each park service center in its park inbox, once, in order', () => {
    const departments = digestDepartments(['科创园', '汇通产业园', '科创园']);
    expect(departments.map(departmentInbox)).toEqual([
      'DEPT#committee_leader',
      'DEPT#investment_dept',
      'DEPT#scitech_dept',
      'DEPT#resources_bureau',
      'DEPT#eco_bureau',
      'DEPT#construction_dept',
      'DEPT#approval_office',
      'DEPT#soe',
      'DEPT#supervision_office',
      'DEPT#discipline_office',
      'DEPT#park_center#汇通产业园',
      'DEPT#park_center#科创园',
    ]);
  });
});
