// Tasks 任务 in the domain core: made from the responsibility matrix per stage and site mode, started when their
// predecessors are done, timed in working days with yellow and red lights, completed once by their lead department —
// with documents missing (容缺) each becoming an obligation timed like a task, within the project's cap on open items.
import { describe, expect, it } from 'vitest';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import type { Matrix, MatrixTask } from '../../functions/reference/domain/config.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { schedule } from '../../functions/lifecycle/domain/schedule.ts';
import { presentTask, presentTaskToEnterprise } from '../../functions/lifecycle/present.ts';
import { completeTask, isDone, lightOf, resolveDept, taskId, tasksForStage, type Task, type TaskProject } from '../../functions/lifecycle/domain/task.ts';

// 2026: Mid-Autumn on Friday 25 September, National Day 1–7 October, make-up working day Saturday 10 October.
const calendar = calendarLookup([
  { year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] },
]);
const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });

const def = (t: Partial<MatrixTask> & Pick<MatrixTask, 'code' | 'stage'>): MatrixTask => ({
  name: { zh: t.code, en: t.code },
  lead: 'resources_bureau',
  cooperating: [],
  handler: '经办人',
  standard: '工作标准',
  limitWd: 5,
  siteModes: ['land', 'lease'],
  after: [],
  requiredForGate: true,
  ...t,
});

const matrix: Matrix = {
  tasks: [
    def({ code: 'pre_site', stage: 'SIGNING', name: { zh: '预选址', en: 'Pre-site selection' }, lead: 'track_dept', cooperating: ['park_center', 'track_dept'], handler: '招商专员', standard: '五个工作日内完成', limitWd: 5 }),
    def({ code: 'land_list', stage: 'SIGNING', lead: 'construction_dept', limitWd: 20, siteModes: ['land'], after: ['pre_site'], requiredForGate: false }),
    def({ code: 'factory_match', stage: 'SIGNING', lead: 'park_center', limitWd: 10, siteModes: ['lease'], after: ['land_list'] }),
    def({ code: 'land_transfer', stage: 'LANDING', limitWd: 30 }),
    def({ code: 'progress_meeting', stage: 'CONSTRUCTION', lead: 'park_center', limitWd: 30, recurringEveryWd: 10, requiredForGate: false }),
    def({ code: 'commissioning', stage: 'CONSTRUCTION', lead: 'enterprise', limitWd: null }),
  ],
  gates: [],
};

const project = { id: 'prj-1', track: 'industrial' as const, siteMode: 'land' as const, park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' } };

describe('the tasks of a stage, from the responsibility matrix', () => {
  const signing = tasksForStage(matrix, 3, project, 'SIGNING', '2026-09-21', 2, calendar);

  it('holds only the tasks of that stage and of the project’s site mode', () => {
    expect(signing.map((t) => t.id)).toEqual(['SIGNING.pre_site', 'SIGNING.land_list']);
    expect(tasksForStage(matrix, 3, { ...project, siteMode: 'lease' }, 'SIGNING', '2026-09-21', 2, calendar).map((t) => t.id)).toEqual(['SIGNING.pre_site', 'SIGNING.factory_match']);
    expect(tasksForStage(matrix, 3, project, 'LANDING', '2026-09-21', 2, calendar).map((t) => t.code)).toEqual(['land_transfer']);
  });

  it('starts a task without predecessors today, due in working days across the holiday, yellow 2 working days before', () => {
    expect(signing[0]).toStrictEqual({
      id: 'SIGNING.pre_site',
      projectId: 'prj-1',
      stage: 'SIGNING',
      code: 'pre_site',
      kind: 'matrix',
      name: { zh: '预选址', en: 'Pre-site selection' },
      lead: 'investment_dept',
      cooperating: ['park_center', 'investment_dept'],
      handler: '招商专员',
      standard: '五个工作日内完成',
      limitWd: 5,
      after: [],
      requiredForGate: true,
      status: 'open',
      startedDate: '2026-09-21',
      dueDate: '2026-09-29',
      yellowDate: '2026-09-24',
      calendarProvisional: false,
      light: 'green',
      matrixVersion: 3,
      park: '汇通产业园',
      enterpriseId: 'ent-a',
    });
  });

  it('keeps a task waiting, with no clock, until its predecessors are done', () => {
    expect(signing[1]).toMatchObject({ after: ['SIGNING.pre_site'], startedDate: null, dueDate: null, yellowDate: null, calendarProvisional: false, lead: 'construction_dept', requiredForGate: false, limitWd: 20 });
  });

  it('does not let a predecessor of another site mode block: 厂房匹配 in lease mode starts at once', () => {
    const lease = tasksForStage(matrix, 3, { ...project, siteMode: 'lease' }, 'SIGNING', '2026-09-21', 2, calendar);
    expect(lease[1]).toMatchObject({ id: 'SIGNING.factory_match', after: [], startedDate: '2026-09-21', dueDate: '2026-10-12', lead: 'park_center' });
  });

  it('gives a sci-tech project’s track tasks to the sci-tech department', () => {
    const sci = tasksForStage(matrix, 3, { ...project, track: 'scitech' }, 'SIGNING', '2026-09-21', 2, calendar);
    expect(sci[0]).toMatchObject({ lead: 'scitech_dept', cooperating: ['park_center', 'scitech_dept'] });
    expect(resolveDept('eco_bureau', { track: 'scitech' })).toBe('eco_bureau');
  });

  it('makes recurring work a recurring task timed by its period, and per-contract work a task without a due date', () => {
    const [meeting, commissioning] = tasksForStage(matrix, 3, project, 'CONSTRUCTION', '2026-09-21', 2, calendar);
    expect(meeting).toMatchObject({ kind: 'recurring', limitWd: 10, startedDate: '2026-09-21', dueDate: '2026-10-12', yellowDate: '2026-10-09' });
    expect(commissioning).toMatchObject({ kind: 'matrix', limitWd: null, startedDate: '2026-09-21', dueDate: null, yellowDate: null, lead: 'enterprise' });
  });

  it('flags a due date computed without the year’s calendar as provisional', () => {
    const december = tasksForStage(matrix, 3, project, 'LANDING', '2026-12-14', 2, calendar);
    expect(december[0]).toMatchObject({ calendarProvisional: true, dueDate: '2027-01-25' });
  });

  it('names tasks by stage and code', () => {
    expect(taskId('LANDING', 'land_transfer')).toBe('LANDING.land_transfer');
  });
});

describe('the light of a task', () => {
  const t = { status: 'open' as const, dueDate: '2026-09-29', yellowDate: '2026-09-24' };
  it('is green before its yellow date, yellow from it through the due date, red the day after', () => {
    expect(lightOf(t, '2026-09-23')).toBe('green');
    expect(lightOf(t, '2026-09-24')).toBe('yellow');
    expect(lightOf(t, '2026-09-29')).toBe('yellow');
    expect(lightOf(t, '2026-09-30')).toBe('red');
  });
  it('is green once the task is done, however late, and for a task without a due date', () => {
    expect(lightOf({ ...t, status: 'done' }, '2026-12-01')).toBe('green');
    expect(lightOf({ ...t, status: 'done_with_deficiencies' }, '2026-12-01')).toBe('green');
    expect(lightOf({ status: 'open', dueDate: null, yellowDate: null }, '2026-12-01')).toBe('green');
    expect(isDone({ status: 'open' })).toBe(false);
    expect(isDone({ status: 'done_with_deficiencies' })).toBe(true);
  });
  it('goes from green straight to red when it has no yellow date', () => {
    expect(lightOf({ status: 'open', dueDate: '2026-09-29', yellowDate: null }, '2026-09-29')).toBe('green');
    expect(lightOf({ status: 'open', dueDate: '2026-09-29', yellowDate: null }, '2026-09-30')).toBe('red');
  });
});

describe('a task begun in a holiday', () => {
  it('turns yellow no earlier than the day it started (counted back over the holiday, the date would fall before it)', () => {
    // Begun on 1 October with 3 working days: due Saturday 10 October (a make-up working day); 3 working days back
    // from it is 30 September, before the task existed.
    expect(schedule('2026-10-01', 3, 3, calendar)).toEqual({ dueDate: '2026-10-10', yellowDate: '2026-10-01', calendarProvisional: false });
    expect(schedule('2026-09-21', 5, 3, calendar)).toMatchObject({ dueDate: '2026-09-29', yellowDate: '2026-09-23' });
  });
});

describe('completing a task', () => {
  const tp: TaskProject & { stage: 'SIGNING' } = { id: 'prj-1', status: 'ACTIVE', stage: 'SIGNING', park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' } };
  const [preSite, landList] = tasksForStage(matrix, 3, project, 'SIGNING', '2026-09-21', 2, calendar) as [Task, Task];
  const [progressMeeting, commissioning] = tasksForStage(matrix, 3, project, 'CONSTRUCTION', '2026-09-21', 2, calendar) as [Task, Task];
  const parkTask: Task = { ...preSite, id: 'SIGNING.factory_match', lead: 'park_center' };
  const tasks: Task[] = [preSite, landList, progressMeeting, commissioning, parkTask];
  const limits = { deficiencyWindowWd: 5, openItemsPerProject: 3 };
  const now = new Date('2026-09-22T10:00:00+08:00');
  const today = '2026-09-22';
  const complete = (taskId: string, by: Principal, input: Parameters<typeof completeTask>[0]['input'] = {}, more: Partial<Parameters<typeof completeTask>[0]> = {}) =>
    completeTask({ project: tp, tasks, taskId, by, input, now, today, limits, calendar, yellowBeforeWd: 3, ...more });
  const dept = who(['investment_dept']);

  it('records who completed it, in the lead role, when, and with which documents; the task is done and green', () => {
    const { task, obligations } = complete('SIGNING.pre_site', who(['resources_bureau', 'investment_dept']), { note: '已完成', documents: ['选址意见'] }, { tasks: [{ ...preSite, light: 'red' }] });
    expect(task).toStrictEqual({
      ...preSite,
      status: 'done',
      light: 'green',
      completion: { by: 'u-resources_bureau-investment_dept', role: 'investment_dept', at: now.toISOString(), note: '已完成', documents: ['选址意见'], deficiencies: [] },
    });
    expect(obligations).toEqual([]);
  });

  it('reads as done late 逾期办结 when completed after its due date, on time on or before it (its light is green either way)', () => {
    // Due 2026-09-29 (5 working days from the 21st, over the Mid-Autumn holiday); completed late on the due day, then just after midnight.
    expect(preSite.dueDate).toBe('2026-09-29');
    const at = (instant: string, day: string) => complete('SIGNING.pre_site', dept, {}, { now: new Date(instant), today: day }).task;
    const onDueDay = at('2026-09-29T23:30:00+08:00', '2026-09-29');
    const dayAfter = at('2026-09-30T00:10:00+08:00', '2026-09-30');
    expect(presentTask(onDueDay)).toMatchObject({ light: 'green', completion: { date: '2026-09-29', late: false } });
    expect(presentTask(dayAfter)).toMatchObject({ light: 'green', completion: { date: '2026-09-30', late: true } });
    // The enterprise's view says it too.
    expect(presentTaskToEnterprise(dayAfter).completion).toMatchObject({ date: '2026-09-30', late: true });
    // A task without a due date is never late.
    expect(presentTask({ ...dayAfter, dueDate: null }).completion).toMatchObject({ late: false });
  });

  it('records no documents when none are sent', () => {
    expect(complete('SIGNING.pre_site', dept).task.completion).toMatchObject({ documents: [], deficiencies: [] });
  });

  it('is for its lead department only: a park center only in its park, the enterprise only on its own project', () => {
    expect(() => complete('SIGNING.pre_site', who(['committee_leader']))).toThrow(expect.objectContaining({ status: 403, message: 'Completing 预选址 is for: investment_dept' }));
    expect(() => complete('SIGNING.factory_match', who(['park_center'], { park: '别的园区' }))).toThrow(expect.objectContaining({ status: 403 }));
    expect(complete('SIGNING.factory_match', who(['park_center'], { park: '汇通产业园' })).task.completion?.role).toBe('park_center');
    expect(() => complete('CONSTRUCTION.commissioning', who(['enterprise'], { enterprise: 'ent-b' }))).toThrow(expect.objectContaining({ status: 403 }));
    expect(complete('CONSTRUCTION.commissioning', who(['enterprise'], { enterprise: 'ent-a' })).task.status).toBe('done');
  });

  it('is refused while the project\'s exit is under way, and a withdrawn task says so', () => {
    const exiting = { ...tp, exit: { status: 'running', execution: 'prj-1-EXIT-1' } } as unknown as typeof tp;
    expect(() => complete('SIGNING.pre_site', dept, {}, { project: exiting })).toThrow(expect.objectContaining({ status: 409, message: 'No completion of 预选址: project prj-1 is being exited 退出程序 (running, prj-1-EXIT-1)' }));
    expect(complete('SIGNING.pre_site', dept, {}, { project: { ...exiting, exit: { status: 'done' } } as unknown as typeof tp }).task.status).toBe('done');
    expect(() => complete('SIGNING.pre_site', dept, {}, { tasks: [{ ...preSite, status: 'withdrawn' }] })).toThrow(expect.objectContaining({ status: 409, message: "Task SIGNING.pre_site was withdrawn 已撤销 with its project's exit: nothing to complete", errors: [{ path: 'path.taskId', code: 'state', message: 'is withdrawn' }] }));
    // Before any fault of the body: a 容缺 completion's dates or a document both handed in and missing are moot.
    expect(() => complete('SIGNING.pre_site', dept, { documents: ['规划许可'], deficiencies: [{ document: '规划许可', dueDate: '2020-01-01' }] }, { tasks: [{ ...preSite, status: 'withdrawn' }] })).toThrow(expect.objectContaining({ status: 409, errors: [{ path: 'path.taskId', code: 'state', message: 'is withdrawn' }] }));
  });

  it('answers 404 for a task the project does not have', () => {
    expect(() => complete('SIGNING.nothing', dept)).toThrow(expect.objectContaining({ status: 404, message: 'Project prj-1 has no task SIGNING.nothing' }));
    // The stage the project is in with no task yet is being set up by its lifecycle: retry (409 with Retry-After), not 404.
    const settingUp = { tasks: tasks.filter((t) => t.stage !== 'SIGNING') };
    expect(() => complete('SIGNING.pre_site', dept, {}, settingUp)).toThrow(expect.objectContaining({ status: 409, retryAfterSeconds: 1, message: expect.stringMatching(/^The SIGNING stage's tasks are being set up/) }));
    // Another stage's task, or a project not running, is still unknown.
    expect(() => complete('LANDING.anything', dept, {}, settingUp)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => complete('SIGNING.pre_site', dept, {}, { ...settingUp, project: { ...tp, status: 'PENDING_ADMISSION' } as unknown as typeof tp })).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('is done once: a completed task cannot be completed again', () => {
    const done = complete('SIGNING.pre_site', dept).task;
    expect(() => complete('SIGNING.pre_site', dept, {}, { tasks: [done] })).toThrow(expect.objectContaining({ status: 409, message: 'Task SIGNING.pre_site is already completed', errors: [{ path: 'path.taskId', code: 'state', message: 'is done' }] }));
    expect(() => complete('SIGNING.pre_site', dept, {}, { tasks: [{ ...done, status: 'done_with_deficiencies' }] })).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('does not complete recurring work: that is held by reporting progress', () => {
    expect(() => complete('CONSTRUCTION.progress_meeting', who(['park_center'], { park: '汇通产业园' }))).toThrow(
      // The task the path names is what does not take a completion (errors[], as a task done or withdrawn says).
      expect.objectContaining({ status: 409, message: expect.stringContaining('POST /projects/prj-1/progress'), errors: [{ path: 'path.taskId', code: 'state', message: 'is recurring: held by reporting progress' }] }),
    );
    // As a withdrawn task: no body gets past it, so it is said before the body's faults (a 容缺 completion's dates, a
    // document both handed in and missing) — a 400 would have the caller mend a request that cannot go through.
    expect(() => complete('CONSTRUCTION.progress_meeting', who(['park_center'], { park: '汇通产业园' }), { documents: ['会议纪要'], deficiencies: [{ document: '会议纪要', dueDate: '2020-01-01' }] })).toThrow(
      expect.objectContaining({ status: 409, errors: [{ path: 'path.taskId', code: 'state', message: 'is recurring: held by reporting progress' }] }),
    );
  });

  it('does not complete a task still waiting for its predecessors, and says which', () => {
    expect(() => complete('SIGNING.land_list', who(['construction_dept']))).toThrow(
      expect.objectContaining({ status: 409, message: 'Task SIGNING.land_list has not started: it waits for SIGNING.pre_site' }),
    );
    const twoBefore: Task = { ...landList, after: ['SIGNING.pre_site', 'SIGNING.review'] };
    const review: Task = { ...preSite, id: 'SIGNING.review', code: 'review' };
    expect(() => complete('SIGNING.land_list', who(['construction_dept']), {}, { tasks: [preSite, review, twoBefore] })).toThrow(
      expect.objectContaining({ message: 'Task SIGNING.land_list has not started: it waits for SIGNING.pre_site, SIGNING.review' }),
    );
    // Only the work still open is named: one of the two done, the other is what it waits for.
    expect(() => complete('SIGNING.land_list', who(['construction_dept']), {}, { tasks: [{ ...preSite, status: 'done' }, review, twoBefore] })).toThrow(
      expect.objectContaining({ status: 409, message: 'Task SIGNING.land_list has not started: it waits for SIGNING.review', errors: [{ path: 'path.taskId', code: 'state', message: 'waits for SIGNING.review' }] }),
    );
  });

  it('asks for a retry, not a refusal, when everything a task waits for is done and the lifecycle has yet to start it', () => {
    // The department completed the task before it a moment ago: the review that starts this one runs a moment later.
    const err = (() => {
      try {
        complete('SIGNING.land_list', who(['construction_dept']), {}, { tasks: [{ ...preSite, status: 'done_with_deficiencies' }, landList] });
      } catch (e) {
        return e as { status: number; type: string; message: string; retryAfterSeconds?: number };
      }
      throw new Error('completed a task not started');
    })();
    expect(err).toMatchObject({ status: 409, retryAfterSeconds: 1, message: expect.stringContaining('being started by the project') });
    expect(err.type).toMatch(/concurrent-change$/);
    // A project that is not active starts nothing: that stays the refusal it was.
    expect(() => complete('SIGNING.land_list', who(['construction_dept']), {}, { project: { ...tp, status: 'PENDING_ADMISSION' }, tasks: [{ ...preSite, status: 'done' }, landList] })).toThrow(
      expect.objectContaining({ status: 409, message: 'Task SIGNING.land_list has not started: it waits for SIGNING.pre_site' }),
    );
  });

  it('does not complete tasks of a project that is no longer active', () => {
    expect(() => complete('SIGNING.pre_site', dept, {}, { project: { ...tp, status: 'EXITED' } })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is EXITED', errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
  });

  describe('with documents missing (容缺)', () => {
    const missing = (dueDate: string, document = '环评批复') => ({ document, dueDate });

    it('counts as done with deficiencies and makes each missing document an obligation timed to its due date', () => {
      const { task, obligations } = complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-24'), missing('2026-09-30', '规划许可')] });
      expect(task.status).toBe('done_with_deficiencies');
      expect(task.completion?.deficiencies).toEqual([missing('2026-09-24'), missing('2026-09-30', '规划许可')]);
      expect(obligations).toHaveLength(2);
      expect(obligations[0]).toStrictEqual({
        ...preSite,
        id: 'SIGNING.pre_site.obligation-1',
        code: 'pre_site_obligation',
        kind: 'obligation',
        name: { zh: '容缺补正：环评批复', en: 'Missing document: 环评批复' },
        standard: '补交 环评批复',
        limitWd: null,
        after: [],
        requiredForGate: false,
        status: 'open',
        startedDate: '2026-09-22',
        dueDate: '2026-09-24',
        dueDateSet: '2026-09-24',
        // Scheduled as it is made: three working days before its date is before it started, so from the day it started.
        yellowDate: '2026-09-22',
        light: 'green',
        calendarProvisional: false,
        parentTaskId: 'SIGNING.pre_site',
        completion: undefined,
      });
      expect(obligations[1]).toMatchObject({ id: 'SIGNING.pre_site.obligation-2', dueDate: '2026-09-30', lead: 'investment_dept', name: { en: 'Missing document: 规划许可' } });
    });

    it('names each obligation in both languages from the document’s two names (documentEn, as a follow-up’s itemEn): one language each, not 容缺补正：Land pre-review opinion', () => {
      const { task, obligations } = complete('SIGNING.pre_site', dept, { deficiencies: [{ document: '用地预审意见', documentEn: 'Land pre-review opinion', dueDate: '2026-09-24' }, missing('2026-09-30', '规划许可')] });
      expect(obligations[0]!.name).toEqual({ zh: '容缺补正：用地预审意见', en: 'Missing document: Land pre-review opinion' });
      expect(obligations[0]!.standard).toBe('补交 用地预审意见');
      // Without an English name the document is named as written in both, as before.
      expect(obligations[1]!.name).toEqual({ zh: '容缺补正：规划许可', en: 'Missing document: 规划许可' });
      // The completion keeps what was given.
      expect(task.completion?.deficiencies[0]).toEqual({ document: '用地预审意见', documentEn: 'Land pre-review opinion', dueDate: '2026-09-24' });
    });

    it('numbers the obligations of a task completed again (after its gate reopened it) on from the earlier ones', () => {
      const earlier: Task = { ...preSite, id: 'SIGNING.pre_site.obligation-1', kind: 'obligation', parentTaskId: 'SIGNING.pre_site', status: 'done' };
      const other: Task = { ...landList, id: 'SIGNING.land_list.obligation-1', kind: 'obligation', parentTaskId: 'SIGNING.land_list', status: 'done' };
      const { obligations } = complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-24')] }, { tasks: [preSite, earlier, other] });
      expect(obligations.map((o) => o.id)).toEqual(['SIGNING.pre_site.obligation-2']);
    });

    it('refuses to owe again a document the task still owes from before its gate reopened it: 400 naming the open obligation; one handed in may be owed again', () => {
      const owed: Task = { ...preSite, id: 'SIGNING.pre_site.obligation-1', kind: 'obligation', name: { zh: '容缺补正：环评批复', en: 'Missing document: 环评批复' }, parentTaskId: 'SIGNING.pre_site', status: 'open', dueDateSet: '2026-09-24' };
      expect(() => complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-28', '规划许可'), missing('2026-09-29', '环评 批复')] }, { tasks: [preSite, owed] })).toThrow(
        expect.objectContaining({ status: 400, errors: [{ path: 'deficiencies[1].document', code: 'duplicate', message: '环评 批复 is owed already by SIGNING.pre_site.obligation-1 (due 2026-09-24)' }] }),
      );
      const { obligations } = complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-29')] }, { tasks: [preSite, { ...owed, status: 'done' }] });
      expect(obligations.map((o) => o.id)).toEqual(['SIGNING.pre_site.obligation-2']);
    });

    it('takes a due date from tomorrow up to the last day of the window, counted in working days across the holiday', () => {
      // 5 working days after Tuesday 22 September, across the Mid-Autumn Friday: Wednesday 30 September.
      expect(complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-23'), missing('2026-09-30', '规划许可')] }).obligations).toHaveLength(2);
      expect(() => complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-22'), missing('2026-10-01', '规划许可')] })).toThrow(
        expect.objectContaining({
          status: 400,
          message: '容缺 defers each missing document once, to a day after today (2026-09-22) and at most 5 working days ahead (2026-09-30)',
          errors: [
            { path: 'deficiencies[0].dueDate', code: 'out_of_range', message: 'must be after 2026-09-22' },
            { path: 'deficiencies[1].dueDate', code: 'out_of_range', message: 'must be on or before 2026-09-30 (5 working days)' },
          ],
        }),
      );
    });

    it('defers each missing document once: one named twice (spacing or width aside) is refused, naming the second', () => {
      expect(() => complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-24'), missing('2026-09-25', '规划许可'), missing('2026-09-28', ' 环评批复 ')] })).toThrow(
        expect.objectContaining({ status: 400, errors: [{ path: 'deficiencies[2].document', code: 'duplicate', message: ' 环评批复  is listed twice' }] }),
      );
    });

    it('refuses a document both handed in and missing (spacing or width aside): 400 naming the deficiency and the delivered entry', () => {
      expect(() => complete('SIGNING.pre_site', dept, { documents: ['选址意见', '环评批复'], deficiencies: [missing('2026-09-24', '规划许可'), missing('2026-09-25', ' 环评批复')] })).toThrow(
        expect.objectContaining({ status: 400, errors: [{ path: 'deficiencies[1].document', code: 'duplicate', message: ' 环评批复 is also listed as handed in (documents[1])' }] }),
      );
    });

    it('takes each document handed in once: one named twice (spacing or width aside) is refused, naming the repeat', () => {
      expect(() => complete('SIGNING.pre_site', dept, { documents: ['选址意见', '规划许可', ' 选址意见'] })).toThrow(
        expect.objectContaining({ status: 400, errors: [{ path: 'documents[2]', code: 'duplicate', message: ' 选址意见 is listed twice' }] }),
      );
      // With 容缺 too, and on an obligation: its document is handed in once.
      expect(() => complete('SIGNING.pre_site', dept, { documents: ['选址意见', '选址意见'], deficiencies: [missing('2026-09-24', '规划许可')] })).toThrow(
        expect.objectContaining({ status: 400, errors: [{ path: 'documents[1]', code: 'duplicate', message: '选址意见 is listed twice' }] }),
      );
      expect(complete('SIGNING.pre_site', dept, { documents: ['选址意见', '规划许可'] }).task.completion?.documents).toEqual(['选址意见', '规划许可']);
    });

    it('completes an obligation only with its document: 容缺 on an obligation is refused (400 naming deficiencies), done without them', () => {
      const obligation: Task = { ...preSite, id: 'SIGNING.pre_site.obligation-1', code: 'pre_site_obligation', kind: 'obligation', parentTaskId: 'SIGNING.pre_site', after: [], status: 'open' };
      const tasks = [{ ...preSite, status: 'done_with_deficiencies' as const }, obligation];
      const notAllowed = expect.objectContaining({ status: 400, errors: [{ path: 'deficiencies', code: 'not_allowed', message: 'not allowed on a 容缺 obligation' }] });
      expect(() => complete('SIGNING.pre_site.obligation-1', dept, { deficiencies: [missing('2026-09-24')] }, { tasks })).toThrow(notAllowed);
      // The field is what is wrong, whatever else the request says: not the document "both handed in and missing", not
      // its date, and not the obligation's state (it was a 409 after those, as if a retry could cure it).
      expect(() => complete('SIGNING.pre_site.obligation-1', dept, { documents: ['环评批复'], deficiencies: [missing('2026-09-24')] }, { tasks })).toThrow(notAllowed);
      expect(() => complete('SIGNING.pre_site.obligation-1', dept, { documents: ['环评批复'], deficiencies: [missing('2026-09-24', '规划许可')] }, { tasks })).toThrow(notAllowed);
      expect(() => complete('SIGNING.pre_site.obligation-1', dept, { documents: ['环评批复'], deficiencies: [missing('2020-01-01', '规划许可')] }, { tasks })).toThrow(notAllowed);
      expect(() => complete('SIGNING.pre_site.obligation-1', dept, { documents: ['环评批复'], deficiencies: [missing('2026-09-24', '规划许可')] }, { tasks: [tasks[0]!, { ...obligation, status: 'done' }] })).toThrow(notAllowed);
      // Someone who may not complete it at all is told so first.
      expect(() => complete('SIGNING.pre_site.obligation-1', { ...dept, roles: ['soe'] }, { deficiencies: [missing('2026-09-24')] }, { tasks })).toThrow(expect.objectContaining({ status: 403 }));
      // Withdrawn with the project's exit, it has nothing left to complete whatever the request holds: that is said first
      // (409), not a fault of the body that no body could get past.
      const withdrawn = expect.objectContaining({ status: 409, message: "Task SIGNING.pre_site.obligation-1 was withdrawn 已撤销 with its project's exit: nothing to complete", errors: [{ path: 'path.taskId', code: 'state', message: 'is withdrawn' }] });
      for (const input of [{}, { note: '已补交' }, { documents: [] }, { documents: ['环评批复'], deficiencies: [missing('2020-01-01', '规划许可')] }])
        expect(() => complete('SIGNING.pre_site.obligation-1', dept, input, { tasks: [tasks[0]!, { ...obligation, status: 'withdrawn' }] })).toThrow(withdrawn);
      // Nothing handed in, the document is still missing: done with a note alone, the obligation said the paper was in
      // (the console's 办结 on an obligation sent an empty form and the 容缺 line left the gate).
      for (const input of [{}, { note: '已补交' }, { documents: [] }])
        expect(() => complete('SIGNING.pre_site.obligation-1', dept, input, { tasks })).toThrow(
          expect.objectContaining({ status: 400, errors: [{ path: 'documents', code: 'required', message: 'required' }] }),
        );
      const { task, obligations } = complete('SIGNING.pre_site.obligation-1', dept, { documents: ['环评批复'] }, { tasks });
      expect(task.status).toBe('done');
      expect(obligations).toEqual([]);
    });

    it('respects the cap on open follow-ups and obligations, counting what is already open', () => {
      const openItem: Task = { ...landList, id: 'SIGNING.followup-1', kind: 'followup', status: 'open' };
      const withItem = [preSite, openItem];
      expect(complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-23'), missing('2026-09-24', '规划许可')] }, { tasks: withItem }).obligations).toHaveLength(2);
      expect(() => complete('SIGNING.pre_site', dept, { deficiencies: [missing('2026-09-23'), missing('2026-09-24', '规划许可'), missing('2026-09-25', '消防意见')] }, { tasks: withItem })).toThrow(
        expect.objectContaining({ status: 409, message: expect.stringContaining('already carries 1 open follow-ups') }),
      );
      // A completion that adds no obligation is never refused by the cap.
      const full = [preSite, openItem, { ...openItem, id: 'a' }, { ...openItem, id: 'b' }, { ...openItem, id: 'c' }];
      expect(complete('SIGNING.pre_site', dept, {}, { tasks: full }).task.status).toBe('done');
    });
  });
});
