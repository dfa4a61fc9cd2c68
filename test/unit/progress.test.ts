// What the enterprise and its park center report: construction progress 建设推进 (it holds the current progress meeting
// 建设推进会, opens the next one of the series and clears a stall 施工停滞) and quarterly production figures 达产达效.
import { describe, expect, it } from 'vitest';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { reportProduction, reportProgress } from '../../functions/lifecycle/domain/progress.ts';
import { ProductionBody } from '../../functions/lifecycle/schemas.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';

// 2026: Mid-Autumn on Friday 25 September, National Day 1–7 October, make-up working day Saturday 10 October.
const calendar = calendarLookup([
  { year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] },
]);
const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });
const created = createProject(
  { name: '示例项目', investor: { name: '示例公司', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 500_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'land' },
  who(['investment_dept']),
  DEFAULT_CONFIG.classification,
  { id: 'prj-1', now: new Date('2026-03-02T02:00:00Z') },
);
const enterprise = who(['enterprise'], { enterprise: 'ent-a' });
const park = who(['park_center'], { park: '汇通产业园' });
const now = new Date('2026-09-21T10:00:00+08:00');

describe('reporting construction progress', () => {
  const building: Project = { ...created, status: 'ACTIVE', stage: 'CONSTRUCTION', stalled: true };
  const meeting: Task = {
    id: 'CONSTRUCTION.progress_meeting',
    projectId: 'prj-1',
    stage: 'CONSTRUCTION',
    code: 'progress_meeting',
    kind: 'recurring',
    name: { zh: '建设推进会', en: 'Progress meeting' },
    lead: 'park_center',
    cooperating: [],
    handler: '',
    standard: '',
    limitWd: 5,
    after: [],
    requiredForGate: false,
    status: 'open',
    startedDate: '2026-09-10',
    dueDate: '2026-09-17',
    yellowDate: '2026-09-15',
    light: 'red',
    calendarProvisional: false,
    matrixVersion: 1,
    park: '汇通产业园',
    enterpriseId: 'ent-a',
    rev: 3,
  };
  const completion = { by: 'u', role: 'park_center' as const, at: 'x', documents: [], deficiencies: [] };
  const held: Task = { ...meeting, status: 'done', light: 'green', completion };
  const commissioning: Task = { ...meeting, id: 'CONSTRUCTION.commissioning', code: 'commissioning', kind: 'matrix', lead: 'enterprise' };
  const operationRecurring: Task = { ...meeting, id: 'OPERATION.visit', code: 'visit', stage: 'OPERATION' };
  const input = { constructionPct: 40, equipmentPct: 15, note: '主体封顶' };
  type Args = Parameters<typeof reportProgress>[0];
  const report = (by: Principal, tasks: Task[], more: Partial<Args> = {}) => reportProgress({ project: building, tasks, by, input, now, today: '2026-09-21', calendar, yellowBeforeWd: 2, ...more });

  it('keeps the latest figures with the day they were reported, and the site is stalled no more', () => {
    const { project, closed, next } = report(enterprise, []);
    expect(project).toStrictEqual({ ...building, progress: { constructionPct: 40, equipmentPct: 15, note: '主体封顶', reportedOn: '2026-09-21' }, stalled: false });
    expect(closed).toBeUndefined();
    expect(next).toBeUndefined();
  });

  it('holds the current progress meeting: done, green, in the reporter’s role', () => {
    const { closed } = report(enterprise, [commissioning, operationRecurring, held, meeting]);
    expect(closed).toStrictEqual({ ...meeting, status: 'done', light: 'green', completion: { by: 'u-enterprise', role: 'enterprise', at: now.toISOString(), note: '主体封顶', documents: [], deficiencies: [] } });
    expect(report(park, [meeting]).closed?.completion?.role).toBe('park_center');
  });

  it('opens the next meeting of the series, numbered after the meetings so far, due one period after today', () => {
    const { next } = report(park, [commissioning, operationRecurring, held, meeting]);
    // 5 working days after Monday 21 September, across the Mid-Autumn Friday: Tuesday 29; yellow 2 working days before.
    expect(next).toStrictEqual({ ...meeting, id: 'CONSTRUCTION.progress_meeting-3', status: 'open', startedDate: '2026-09-21', dueDate: '2026-09-29', yellowDate: '2026-09-24', calendarProvisional: false, light: 'green', completion: undefined, rev: undefined });
  });

  it('holds a period\'s meeting once: a second report the day the next period began keeps the figures and holds none', () => {
    const { next } = report(park, [commissioning, operationRecurring, held, meeting]);
    const again = report(enterprise, [commissioning, operationRecurring, held, { ...meeting, status: 'done' }, next!], { input: { constructionPct: 0, equipmentPct: 0 } });
    expect(again.closed).toBeUndefined();
    expect(again.next).toBeUndefined();
    expect(again.project.progress).toMatchObject({ constructionPct: 0, reportedOn: '2026-09-21' });
    // The next day it holds that period's meeting.
    expect(report(enterprise, [held, { ...meeting, status: 'done' }, next!], { today: '2026-09-22' }).closed?.id).toBe('CONSTRUCTION.progress_meeting-3');
  });

  it('opens nothing when every meeting of the series is held', () => {
    const r = report(enterprise, [held, operationRecurring, commissioning]);
    expect(r.closed).toBeUndefined();
    expect(r.next).toBeUndefined();
    expect(r.project.stalled).toBe(false);
  });

  it('is for the enterprise on its own project and the park center of its park', () => {
    expect(() => report(who(['enterprise'], { enterprise: 'ent-b' }), [meeting])).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('Reporting progress') }));
    expect(() => report(who(['park_center'], { park: '别的园区' }), [meeting])).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => report(who(['committee_leader']), [meeting])).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('is reported only in CONSTRUCTION, while the project is active', () => {
    expect(() => report(enterprise, [meeting], { project: { ...building, stage: 'OPERATION' } })).toThrow(
      expect.objectContaining({ status: 409, message: 'Progress is reported in CONSTRUCTION; project prj-1 is in OPERATION', errors: [{ path: 'path.id', code: 'state', message: 'in OPERATION' }] }),
    );
    // An exited project in CONSTRUCTION is told it is EXITED, not "reported in CONSTRUCTION; … is in CONSTRUCTION" (helper 117).
    expect(() => report(enterprise, [meeting], { project: { ...building, status: 'EXITED' } })).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining('is EXITED'), errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
  });
});

describe('reporting production figures', () => {
  const operating: Project = { ...created, status: 'ACTIVE', stage: 'OPERATION', production: { '2026Q1': { outputValueCny: 1, taxCny: 2, jobs: 3 } } };
  const figures = { outputValueCny: 80_000_000, taxCny: 4_000_000, jobs: 120 };
  const report = (by: Principal, quarter: string, project: Project = operating) => reportProduction({ project, by, input: { quarter, ...figures }, today: '2026-07-01' });

  it('keeps the figures of the quarter beside those of earlier quarters', () => {
    expect(report(enterprise, '2026Q3')).toStrictEqual({ ...operating, production: { '2026Q1': { outputValueCny: 1, taxCny: 2, jobs: 3 }, '2026Q3': figures } });
    expect(report(park, '2026Q2', { ...operating, production: undefined }).production).toStrictEqual({ '2026Q2': figures });
  });

  it('takes figures for a quarter that has begun only', () => {
    expect(() => report(enterprise, '2026Q4')).toThrow(
      expect.objectContaining({ status: 400, message: 'Figures are reported for a quarter that has begun', errors: [{ path: 'quarter', code: 'out_of_range', message: 'must not be after 2026Q3' }] }),
    );
  });

  it('takes no quarter before the one the project entered OPERATION in (its own quarter and after: yes)', () => {
    const since = (quarter: string, operationSince: string | undefined) => () => reportProduction({ project: operating, by: enterprise, input: { quarter, ...figures }, today: '2026-07-01', operationSince });
    expect(since('2026Q1', '2026-05-20')).toThrow(
      expect.objectContaining({ status: 400, message: 'Figures are reported for the quarters the project is in operation: it entered OPERATION on 2026-05-20', errors: [{ path: 'quarter', code: 'out_of_range', message: 'must not be before 2026Q2' }] }),
    );
    expect(since('2025Q4', '2026-04-01')).toThrow(expect.objectContaining({ status: 400 }));
    expect(since('2026Q2', '2026-05-20')().production?.['2026Q2']).toStrictEqual(figures);
    expect(since('2026Q2', '2026-06-30')().production?.['2026Q2']).toStrictEqual(figures);
    // A project from before stage entries were kept: not before the quarter it was registered in (2 March 2026).
    expect(since('2026Q2', undefined)().production?.['2026Q2']).toStrictEqual(figures);
    expect(since('2025Q4', undefined)).toThrow(
      expect.objectContaining({ status: 400, message: 'Figures are reported for quarters since the project was registered on 2026-03-02', errors: [{ path: 'quarter', code: 'out_of_range', message: 'must not be before 2026Q1' }] }),
    );
    // Registered at 07:00 Beijing time on 1 April (23:00 UTC on 31 March): registered in Q2 on the zone's day, so Q1 is
    // refused and the day it names is 1 April — not the UTC date's 31 March, in Q1.
    const earlyMorning = { ...operating, createdAt: '2026-03-31T23:00:00.000Z' };
    expect(() => reportProduction({ project: earlyMorning, by: enterprise, input: { quarter: '2026Q1', ...figures }, today: '2026-07-01' })).toThrow(
      expect.objectContaining({ status: 400, message: 'Figures are reported for quarters since the project was registered on 2026-04-01', errors: [{ path: 'quarter', code: 'out_of_range', message: 'must not be before 2026Q2' }] }),
    );
    // A well-formed quarter long past or far ahead is out of range, not malformed: the body takes any four-digit year.
    for (const q of ['1999Q1', '2100Q4']) expect(ProductionBody.safeParse({ quarter: q, ...figures }).success, q).toBe(true);
    for (const q of ['2027Q5', '2027q1', '27Q1', '20270Q1']) expect(ProductionBody.safeParse({ quarter: q, ...figures }).success, q).toBe(false);
    expect(since('1999Q1', '2026-05-20')).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'quarter', code: 'out_of_range' })] }));
    expect(() => report(enterprise, '2100Q1')).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'quarter', code: 'out_of_range' })] }));
    // Who may report comes first: a stranger is told that (403), not which quarters the project may report.
    expect(() => reportProduction({ project: operating, by: who(['supervision_office']), input: { quarter: '2025Q1', ...figures }, today: '2026-07-01', operationSince: '2026-05-20' })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('files a quarter once: figures for a quarter filed already are a correction, made only on the version read (If-Match)', () => {
    // Ten filings of one quarter at once (the enterprise and its park center with different figures) all answered 200,
    // each showing its own figures, and the last to commit silently replaced the others.
    expect(() => report(park, '2026Q1')).toThrow(
      expect.objectContaining({
        status: 409,
        message: 'The figures of 2026Q1 are filed already (output value 1 CNY, tax 2 CNY, 3 jobs): a correction replaces them only on the version read — send If-Match with the project\'s version',
        errors: [{ path: 'quarter', code: 'state', message: 'filed already: a correction needs If-Match' }],
      }),
    );
    const corrected = reportProduction({ project: operating, by: park, input: { quarter: '2026Q1', ...figures }, today: '2026-07-01', correction: true });
    expect(corrected.production).toStrictEqual({ '2026Q1': figures });
    // Who may report still comes first.
    expect(() => report(who(['supervision_office']), '2026Q1')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('is for the enterprise on its own project and the park center of its park', () => {
    expect(() => report(who(['enterprise'], { enterprise: 'ent-b' }), '2026Q3')).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('Reporting production figures') }));
    expect(() => report(who(['supervision_office']), '2026Q3')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('is reported only in OPERATION, while the project is active', () => {
    expect(() => report(enterprise, '2026Q3', { ...operating, stage: 'CONSTRUCTION' })).toThrow(
      expect.objectContaining({ status: 409, message: 'Production is reported in OPERATION; project prj-1 is in CONSTRUCTION', errors: [{ path: 'path.id', code: 'state', message: 'in CONSTRUCTION' }] }),
    );
    expect(() => report(enterprise, '2026Q3', { ...operating, status: 'EXITED' })).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining('is EXITED'), errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
  });
});
