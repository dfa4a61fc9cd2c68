// Zone configuration 配置: the semantic checks a published document must pass (responsibility matrix, classification
// thresholds, escalation ladder) and publishing it as the next version over the one the caller pinned.
import { describe, expect, it } from 'vitest';
import {
  publishedChange,
  configErrors,
  DEFAULT_CONFIG,
  DEFAULT_MATRIX,
  MAX_TASKS_PER_STAGE,
  publishConfig,
  validateMatrix,
  type Matrix,
  type MatrixTask,
} from '../../functions/reference/domain/config.ts';
import { PreconditionFailed, ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import type { Role, Stage } from '../../functions/kernel/domain/codes.ts';
import { errorOf } from '../support/assertions.ts';
import { configSchema } from '../../functions/reference/schemas.ts';

const base = DEFAULT_MATRIX.tasks[0]!;
const t = (code: string, after: string[] = [], stage: Stage = 'SIGNING'): MatrixTask => ({ ...base, code, stage, after });
const matrix = (...tasks: MatrixTask[]): Matrix => ({ tasks, gates: DEFAULT_MATRIX.gates });

describe('responsibility matrix checks', () => {
  it('the default matrix is valid', () => {
    expect(validateMatrix(DEFAULT_MATRIX)).toEqual([]);
  });

  it('a chain of tasks waiting for earlier ones in the same stage is valid, also when several wait for one', () => {
    expect(validateMatrix(matrix(t('a'), t('b', ['a']), t('c', ['a']), t('d', ['b', 'c']), t('e', ['d', 'a'])))).toEqual([]);
    // order in the list does not matter
    expect(validateMatrix(matrix(t('d', ['b', 'c']), t('b', ['a']), t('c', ['a']), t('a')))).toEqual([]);
  });

  it('names a duplicate task code at its second occurrence, in any stage', () => {
    expect(validateMatrix(matrix(t('a'), t('b'), t('a')))).toEqual([{ path: 'tasks[2].code', code: 'duplicate', message: 'duplicate task code' }]);
    expect(validateMatrix(matrix(t('a'), t('a', [], 'LANDING')))).toEqual([{ path: 'tasks[1].code', code: 'duplicate', message: 'duplicate task code' }]);
  });

  it('a task may wait only for a task of its own stage', () => {
    expect(validateMatrix(matrix(t('a'), t('b', ['a', 'ghost'])))).toEqual([{ path: 'tasks[1].after[1]', code: 'unknown_ref', message: 'no task ghost in stage SIGNING' }]);
    expect(validateMatrix(matrix(t('a'), t('b', ['a'], 'LANDING')))).toEqual([{ path: 'tasks[1].after[0]', code: 'unknown_ref', message: 'no task a in stage LANDING' }]);
  });

  it('tasks of different stages waiting for each other are reported as missing, not as a cycle', () => {
    expect(validateMatrix(matrix(t('a', ['b']), t('b', ['a'], 'LANDING')))).toEqual([
      { path: 'tasks[0].after[0]', code: 'unknown_ref', message: 'no task b in stage SIGNING' },
      { path: 'tasks[1].after[0]', code: 'unknown_ref', message: 'no task a in stage LANDING' },
    ]);
  });

  it('refuses two tasks that wait for each other: they would never start', () => {
    expect(validateMatrix(matrix(t('a', ['b']), t('b', ['a'])))).toEqual([
      { path: 'tasks[0].after[0]', code: 'invalid', message: 'circular: a → b → a (each waits for the next)' },
      { path: 'tasks[1].after[0]', code: 'invalid', message: 'circular: a → b → a (each waits for the next)' },
    ]);
  });

  it('refuses a task that waits for itself', () => {
    expect(validateMatrix(matrix(t('a', ['a'])))).toEqual([{ path: 'tasks[0].after[0]', code: 'invalid', message: 'circular: a → a (each waits for the next)' }]);
  });

  it('finds a longer cycle behind a task that is fine, naming each of its own dependencies', () => {
    const errors = validateMatrix(matrix(t('start'), t('x', ['start', 'z']), t('y', ['x']), t('z', ['y'])));
    const message = 'circular: x → z → y → x (each waits for the next)';
    expect(errors).toEqual([
      { path: 'tasks[1].after[1]', code: 'invalid', message },
      { path: 'tasks[3].after[0]', code: 'invalid', message },
      { path: 'tasks[2].after[0]', code: 'invalid', message },
    ]);
  });

  it('does not name the tasks that only wait for a cycle (listed before or after it): they are not part of it', () => {
    const message = 'circular: a → b → a (each waits for the next)';
    const cycle = [{ path: 'tasks[1].after[0]', code: 'invalid', message }, { path: 'tasks[2].after[0]', code: 'invalid', message }];
    expect(validateMatrix(matrix(t('before', ['a']), t('a', ['b']), t('b', ['a']), t('after', ['b'])))).toEqual(cycle);
  });

  it('accepts a long stage where each task waits for the two before it (each task is checked once)', () => {
    const tasks = Array.from({ length: 80 }, (_, i) => t(`w${i}`, i === 0 ? [] : i === 1 ? ['w0'] : [`w${i - 1}`, `w${i - 2}`]));
    expect(validateMatrix(matrix(...tasks.reverse()))).toEqual([]);
  });

  it('a task depending on one already checked is not a cycle', () => {
    expect(validateMatrix(matrix(t('a'), t('b', ['a']), t('c', ['b', 'a'])))).toEqual([]);
  });

  it('allows at most 90 tasks in one stage, counting each stage on its own', () => {
    expect(MAX_TASKS_PER_STAGE).toBe(90);
    const signing = Array.from({ length: 90 }, (_, i) => t(`s${i}`));
    expect(validateMatrix(matrix(...signing, t('l0', [], 'LANDING')))).toEqual([]);
    expect(validateMatrix(matrix(...signing, t('s90')))).toEqual([{ path: 'tasks', code: 'too_big', message: 'SIGNING has 91 tasks; at most 90 per stage' }]);
  });

  it('names a second gate for the same stage', () => {
    const gates = [...DEFAULT_MATRIX.gates, { ...DEFAULT_MATRIX.gates[1]! }];
    expect(validateMatrix({ tasks: DEFAULT_MATRIX.tasks, gates })).toEqual([{ path: 'gates[5].stage', code: 'duplicate', message: 'duplicate gate' }]);
  });
});

describe('configuration documents', () => {
  it('reports matrix errors under doc', () => {
    expect(configErrors('matrix', matrix(t('a'), t('a')))).toEqual([{ path: 'doc.tasks[1].code', code: 'duplicate', message: 'duplicate task code' }]);
    expect(configErrors('matrix', DEFAULT_MATRIX)).toEqual([]);
  });

  it('the standard threshold must stay below the major one', () => {
    const c = DEFAULT_CONFIG.classification;
    const err = [{ path: 'doc.standardMinCny', code: 'invalid', message: 'must be below majorMinCny' }];
    expect(configErrors('classification', { ...c, standardMinCny: 1_000_000_000 })).toEqual(err);
    expect(configErrors('classification', { ...c, standardMinCny: 2_000_000_000 })).toEqual(err);
    expect(configErrors('classification', { ...c, standardMinCny: 999_999_999 })).toEqual([]);
  });

  it('the escalation rungs are numbered 1, 2, 3… in order', () => {
    const rungs = DEFAULT_CONFIG.escalation.rungs;
    expect(configErrors('escalation', DEFAULT_CONFIG.escalation)).toEqual([]);
    const swapped = [rungs[1]!, rungs[0]!, ...rungs.slice(2)];
    expect(configErrors('escalation', { ...DEFAULT_CONFIG.escalation, rungs: swapped })).toEqual([
      { path: 'doc.rungs[0].level', code: 'invalid', message: 'must be 1' },
      { path: 'doc.rungs[1].level', code: 'invalid', message: 'must be 2' },
    ]);
  });

  it('the ladder keeps its five rungs, each its own code, owned and assessed by departments that do the work', () => {
    const e = DEFAULT_CONFIG.escalation;
    // Cut to L1–L2, exit would be unreachable.
    expect(configErrors('escalation', { ...e, rungs: e.rungs.slice(0, 2) })).toEqual([{ path: 'doc.rungs', code: 'invalid', message: 'the ladder has 5 rungs, L1 URGING_LETTER to L5 EXIT_PENDING' }]);
    const owned = (i: number, owner: string) => e.rungs.map((r, j) => (j === i ? { ...r, owner: owner as Role } : r));
    expect(configErrors('escalation', { ...e, rungs: owned(0, 'enterprise') })).toEqual([{ path: 'doc.rungs[0].owner', code: 'not_allowed', message: 'enterprise does not own a rung' }]);
    expect(configErrors('escalation', { ...e, rungs: owned(4, 'discipline_office') })).toEqual([{ path: 'doc.rungs[4].owner', code: 'not_allowed', message: 'discipline_office does not own a rung' }]);
    expect(configErrors('escalation', { ...e, rungs: e.rungs.map((r, j) => (j === 2 ? { ...r, code: 'EXIT_PENDING' as const } : r)) })).toEqual([{ path: 'doc.rungs[2].code', code: 'invalid', message: 'level 3 is JOINT_ASSESSMENT' }]);
    expect(configErrors('escalation', { ...e, assessmentDepartments: ['investment_dept', 'discipline_office', 'ops'] as Role[] })).toEqual([
      { path: 'doc.assessmentDepartments[1]', code: 'not_allowed', message: 'discipline_office does not assess' },
      { path: 'doc.assessmentDepartments[2]', code: 'not_allowed', message: 'ops does not assess' },
    ]);
    // A department named twice would be asked twice and counted once: refused, as every other list's duplicates are.
    expect(configErrors('escalation', { ...e, assessmentDepartments: ['investment_dept', 'park_center', 'investment_dept'] as Role[] })).toEqual([
      { path: 'doc.assessmentDepartments[2]', code: 'duplicate', message: 'investment_dept is listed twice' },
    ]);
  });

  it('the matrix gives every stage its gate, decided and worked by departments — not the oversight offices, the platform or the investor at a gate', () => {
    const m = DEFAULT_CONFIG.matrix;
    expect(configErrors('matrix', m)).toEqual([]);
    expect(configErrors('matrix', { ...m, gates: m.gates.filter((g) => g.stage !== 'SIGNING') })).toEqual([{ path: 'doc.gates', code: 'required', message: 'no gate for SIGNING' }]);
    const gate = m.gates.findIndex((g) => g.stage === 'LANDING');
    const approvers = (list: string[]) => m.gates.map((g, i) => (i === gate ? { ...g, approvers: list as Role[] } : g));
    expect(configErrors('matrix', { ...m, gates: approvers(['committee_leader', 'enterprise', 'discipline_office', 'ops']) })).toEqual([
      { path: `doc.gates[${gate}].approvers[1]`, code: 'not_allowed', message: 'enterprise does not approve a transition' },
      { path: `doc.gates[${gate}].approvers[2]`, code: 'not_allowed', message: 'discipline_office does not approve a transition' },
      { path: `doc.gates[${gate}].approvers[3]`, code: 'not_allowed', message: 'ops does not approve a transition' },
    ]);
    expect(configErrors('matrix', { ...m, tasks: m.tasks.map((t, i) => (i === 0 ? { ...t, lead: 'ops' as Role, cooperating: ['discipline_office' as Role] } : t)) })).toEqual([
      { path: 'doc.tasks[0].lead', code: 'not_allowed', message: 'ops is not given work' },
      { path: 'doc.tasks[0].cooperating[0]', code: 'not_allowed', message: 'discipline_office is not given work' },
    ]);
    // A department named twice at a gate or on a task is refused, as every other list's duplicates are.
    expect(configErrors('matrix', { ...m, gates: approvers(['committee_leader', 'park_center', 'committee_leader']), tasks: m.tasks.map((t, i) => (i === 0 ? { ...t, cooperating: ['park_center', 'park_center'] as Role[] } : t)) })).toEqual([
      { path: `doc.gates[${gate}].approvers[2]`, code: 'duplicate', message: 'committee_leader is named already' },
      { path: 'doc.tasks[0].cooperating[1]', code: 'duplicate', message: 'park_center is named already' },
    ]);
  });

  it('other documents have no semantic checks beyond the schema', () => {
    expect(configErrors('lights', DEFAULT_CONFIG.lights)).toEqual([]);
    expect(configErrors('recurring', DEFAULT_CONFIG.recurring)).toEqual([]);
    expect(configErrors('limits', DEFAULT_CONFIG.limits)).toEqual([]);
  });
});

describe('letter series 函件文号', () => {
  const letters = DEFAULT_CONFIG.letters;
  const withSeries = (series: Record<string, { pattern: string; from: Role; replyWd: number }>) => ({ ...letters, series: { ...letters.series, ...series } });

  it('the default series are valid', () => {
    expect(configErrors('letters', letters, letters)).toEqual([]);
  });

  it('a pattern is one line of visible text: a line break, a control or bidi override character is refused, spaces around it dropped', () => {
    const parsed = (pattern: string) => configSchema('letters').safeParse(withSeries({ memo: { pattern, from: 'committee_leader', replyWd: 0 } }));
    for (const bad of ['晋综\n开备函〔{year}〕{n}号', '\u202e晋综开备函〔{year}〕{n}号', '晋综开备函\u0007〔{year}〕{n}号', '晋综开备函〔{year}〕\t{n}号']) {
      const result = parsed(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['series.memo.pattern']);
    }
    // A space after it would make a number that reads as notice's but is another (晋综开函〔2026〕1号 twice on paper).
    expect(parsed(' 晋综开函〔{year}〕{n}号 ').data?.series.memo?.pattern).toBe('晋综开函〔{year}〕{n}号');
    expect(parsed('晋综开备函〔{year}〕{n}号').success).toBe(true);
  });

  it('refuses a second series with a pattern already used: both would number their letters 晋综开函〔2026〕1号', () => {
    expect(configErrors('letters', withSeries({ notice2: { pattern: '晋综开函〔{year}〕{n}号', from: 'investment_dept', replyWd: 0 } }), letters)).toEqual([
      { path: 'doc.series.notice2.pattern', code: 'duplicate', message: 'is the pattern of series notice too: their letters would share numbers' },
    ]);
  });

  it('refuses a pattern without the year: a series counts from 1 again each year', () => {
    expect(configErrors('letters', withSeries({ urging: { pattern: '晋综开督函{n}号', from: 'supervision_office', replyWd: 5 } }), letters)).toEqual([
      { path: 'doc.series.urging.pattern', code: 'invalid', message: 'must contain {year}: a series counts from 1 again every year, so a number without its year repeats' },
    ]);
  });

  it('refuses a series renamed with the pattern in force (numbered from 1 again), not a pattern changed under its code', () => {
    const { notice: _n, ...rest } = letters.series;
    const renamed = { ...letters, series: { ...rest, notices: { pattern: '晋综开函〔{year}〕{n}号', from: 'committee_leader' as Role, replyWd: 0 } }, instantNotices: [] };
    expect(configErrors('letters', renamed, letters)).toEqual([
      {
        path: 'doc.series.notices.pattern',
        code: 'invalid',
        message: "is the pattern of series notice in force: numbered from 1 again under notices, its letters would repeat that series' numbers (keep the code notice)",
      },
    ]);
    expect(configErrors('letters', withSeries({ notice: { pattern: '晋综开通函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } }), letters)).toEqual([]);
  });

  it('refuses a pattern an earlier version numbered under another code, whether that code is still there or not', () => {
    // v2 had 晋综开通函 under notice; notice moved on to another pattern, and a new series takes 晋综开通函 again.
    const past = [{ code: 'notice', pattern: '晋综开通函〔{year}〕{n}号', version: 2 }];
    const doc = withSeries({ circular: { pattern: '晋综开通函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } });
    expect(configErrors('letters', doc, letters, { pastLetterSeries: past })).toEqual([
      {
        path: 'doc.series.circular.pattern',
        code: 'invalid',
        message: "is the pattern of series notice numbered in version 2: numbered from 1 again under circular, its letters would repeat that series' numbers (keep the code notice)",
      },
    ]);
    // The same code taking its old pattern back counts on: allowed.
    expect(configErrors('letters', withSeries({ notice: { pattern: '晋综开通函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } }), letters, { pastLetterSeries: past })).toEqual([]);
  });

  it('refuses a pattern that differs but gives numbers of another series: 晋综开函〔{year}〕1{n}号\'s 1st is notice\'s 11th', () => {
    expect(configErrors('letters', withSeries({ memo: { pattern: '晋综开函〔{year}〕1{n}号', from: 'committee_leader', replyWd: 0 } }), letters)).toEqual([
      { path: 'doc.series.memo.pattern', code: 'duplicate', message: 'can give the numbers of series notice (晋综开函〔{year}〕{n}号): both would number a letter 晋综开函〔2026〕11号' },
    ]);
    // One an earlier version numbered under another code, too (notice has moved on since).
    const past = [{ code: 'notice', pattern: '晋综开通函〔{year}〕{n}号', version: 2 }];
    expect(configErrors('letters', withSeries({ circular: { pattern: '晋综开通函〔{year}〕-{n}号', from: 'committee_leader', replyWd: 0 } }), letters, { pastLetterSeries: past })).toEqual([]);
    expect(configErrors('letters', withSeries({ circular: { pattern: '晋综开通函〔{year}〕2{n}号', from: 'committee_leader', replyWd: 0 } }), letters, { pastLetterSeries: past })).toEqual([
      {
        path: 'doc.series.circular.pattern',
        code: 'invalid',
        message: "can give the numbers of series notice numbered in version 2 (晋综开通函〔{year}〕{n}号): a letter numbered 晋综开通函〔2026〕21号 under circular may be one of that series' already",
      },
    ]);
    // Patterns told apart by a digit of their own never meet: 晋综开1函 and 晋综开2函; nor a count that cannot start with 0.
    expect(configErrors('letters', withSeries({ a: { pattern: '晋综开1函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 }, b: { pattern: '晋综开2函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 } }), letters)).toEqual([]);
    expect(configErrors('letters', withSeries({ memo: { pattern: '晋综开函〔{year}〕0{n}号', from: 'committee_leader', replyWd: 0 } }), letters)).toEqual([]);
  });

  it('lets two overlapping patterns the document in force already holds stand (published before the check: neither could change alone)', () => {
    const legacy = withSeries({ memo: { pattern: '晋综开函〔{year}〕1{n}号', from: 'committee_leader', replyWd: 0 } });
    expect(configErrors('letters', legacy, legacy, { pastLetterSeries: Object.entries(legacy.series).map(([code, s]) => ({ code, pattern: s.pattern, version: 3 })) })).toEqual([]);
    // memo moving to another pattern that overlaps notice is refused still.
    expect(configErrors('letters', withSeries({ memo: { pattern: '晋综开函〔{year}〕2{n}号', from: 'committee_leader', replyWd: 0 } }), legacy).map((e) => e.path)).toEqual(['doc.series.memo.pattern']);
  });

  it('holds at most 30 series (each is checked against every other; 700 were taken and took most of a second to check)', () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { pattern: `晋综开${i}函〔{year}〕{n}号`, from: 'committee_leader' as Role, replyWd: 0 }]));
    const refused = configSchema('letters').safeParse({ ...letters, series: { ...letters.series, ...many(28) } });
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['series', 'at most 30 series']]);
    expect(configSchema('letters').safeParse({ ...letters, series: { ...letters.series, ...many(27) } }).success).toBe(true);
  });

  it('keeps the exit series to the exit letter: no 即时函告 numbered in it, no reply window on a letter that closes the case', () => {
    const rule = { ...letters, instantNotices: [{ task: 'construction_permits', series: 'exit', to: ['construction_dept' as Role] }] };
    expect(configErrors('letters', rule, letters)).toEqual([
      { path: 'doc.instantNotices[0].series', code: 'not_allowed', message: "the exit series numbers the exit letter 退出告知函 only: a task's notice would take an exit letter's number" },
    ]);
    expect(configErrors('letters', withSeries({ exit: { ...letters.series.exit!, replyWd: 10 } }), letters).map((e) => `${e.path} ${e.code}`)).toEqual(['doc.series.exit.replyWd invalid']);
    expect(configErrors('letters', withSeries({ urging: { ...letters.series.urging!, replyWd: 10 } }), letters)).toEqual([]);
  });

  it('keeps the urging and exit series: the ladder numbers its urging letter and the exit its letter in them', () => {
    const { urging: _u, exit: _e, ...rest } = letters.series;
    expect(configErrors('letters', { ...letters, series: rest }, letters)).toEqual([
      { path: 'doc.series.urging', code: 'required', message: "is required: the escalation ladder's urging letter 督办函 (L1) is numbered in it" },
      { path: 'doc.series.exit', code: 'required', message: 'is required: the exit letter 退出告知函 (L5) is numbered in it' },
    ]);
  });

  it('refuses a series code every object carries, and never takes it for a series (a 500 on PUT before)', () => {
    const doc = withSeries({ constructor: { pattern: '晋综开构函〔{year}〕{n}号', from: 'committee_leader' as Role, replyWd: 0 } });
    expect(configErrors('letters', doc, letters).map((e) => e.path)).toEqual(['doc.series.constructor']);
    const rule = { ...letters, instantNotices: [{ task: 'construction_permits', series: 'constructor', to: ['construction_dept' as Role] }] };
    expect(configErrors('letters', rule, letters)).toEqual([{ path: 'doc.instantNotices[0].series', code: 'unknown_ref', message: 'no series constructor' }]);
  });

  it('refuses a series issued by the enterprise, the discipline office or the platform', () => {
    for (const from of ['enterprise', 'discipline_office', 'ops'] as const) {
      expect(configErrors('letters', withSeries({ notice: { pattern: '晋综开函〔{year}〕{n}号', from, replyWd: 0 } }), letters)).toEqual([
        { path: 'doc.series.notice.from', code: 'not_allowed', message: `${from} does not issue the zone's letters` },
      ]);
    }
  });

  it('即时函告: refuses a task not in the matrix, a rule twice, a department twice, the enterprise or the issuer as addressee', () => {
    const tasks = new Set(['construction_permits', 'land_transfer']);
    const rule = (task: string, to: Role[], series = 'notice') => ({ task, series, to });
    const check = (...rules: ReturnType<typeof rule>[]) => configErrors('letters', { ...letters, instantNotices: rules }, letters, { matrixTasks: tasks });
    expect(check(rule('land_transfer', ['park_center']))).toEqual([]);
    expect(check(rule('no_such_task', ['park_center']))).toEqual([
      { path: 'doc.instantNotices[0].task', code: 'unknown_ref', message: 'no task no_such_task in the matrix in force: the rule would never send a letter' },
    ]);
    expect(check(rule('land_transfer', ['park_center']), rule('land_transfer', ['eco_bureau'])).map((e) => [e.path, e.code])).toEqual([['doc.instantNotices[1]', 'duplicate']]);
    expect(check(rule('land_transfer', ['park_center', 'park_center'])).map((e) => [e.path, e.code])).toEqual([['doc.instantNotices[0].to[1]', 'duplicate']]);
    expect(check(rule('land_transfer', ['enterprise'])).map((e) => [e.path, e.code])).toEqual([['doc.instantNotices[0].to[0]', 'not_allowed']]);
    expect(check(rule('land_transfer', ['committee_leader'])).map((e) => [e.path, e.code])).toEqual([['doc.instantNotices[0].to[0]', 'invalid']]);
    // A rule the document in force names already stands (projects on an older matrix still complete that task).
    const kept = { ...letters, instantNotices: [rule('old_task', ['park_center'])] };
    expect(configErrors('letters', kept, kept, { matrixTasks: tasks })).toEqual([]);
  });
});

describe('publishing a configuration', () => {
  const now = new Date('2026-05-06T01:02:03Z');

  it('a valid document becomes the next version, stamped with who and when', () => {
    const doc = { yellowBeforeWd: 5 };
    expect(publishConfig('lights', doc, '提前五天黄灯', { version: 3 }, () => 3, 'u-ops', now)).toEqual({
      name: 'lights',
      version: 4,
      doc,
      publishedAt: '2026-05-06T01:02:03.000Z',
      publishedBy: 'u-ops',
      note: '提前五天黄灯',
    });
  });

  it('the first version of a document is published over nothing (version 0)', () => {
    expect(publishConfig('limits', DEFAULT_CONFIG.limits, undefined, { version: 0 }, () => 0, 'u-ops', now)).toMatchObject({ version: 1, note: undefined });
  });

  it('refuses a version the caller did not read: 412', () => {
    const e = errorOf(() => publishConfig('lights', { yellowBeforeWd: 5 }, undefined, { version: 3 }, () => 2, 'u-ops', now));
    expect(e).toBeInstanceOf(PreconditionFailed);
    expect(e.message).toBe('lights is at version 3, not 2');
  });

  it('refuses an invalid document with 400 naming every field, before looking at the pinned version', () => {
    const bad = { ...DEFAULT_CONFIG.escalation, rungs: [DEFAULT_CONFIG.escalation.rungs[1]!, DEFAULT_CONFIG.escalation.rungs[0]!] };
    const e = errorOf(() =>
      publishConfig('escalation', bad, undefined, { version: 1 }, () => {
        throw new Error('If-Match not asked for yet');
      }, 'u-ops', now),
    );
    expect(e).toBeInstanceOf(ValidationFailed);
    expect(e.message).toBe('doc.rungs[0].level: must be 1; doc.rungs[1].level: must be 2; doc.rungs: the ladder has 5 rungs, L1 URGING_LETTER to L5 EXIT_PENDING');
    expect(e.errors).toEqual([
      { path: 'doc.rungs[0].level', code: 'invalid', message: 'must be 1' },
      { path: 'doc.rungs[1].level', code: 'invalid', message: 'must be 2' },
      { path: 'doc.rungs', code: 'invalid', message: 'the ladder has 5 rungs, L1 URGING_LETTER to L5 EXIT_PENDING' },
    ]);
  });
});

describe('what the audit records of a publication', () => {
  it('the fields changed, before and after, whatever order their keys come in; only their names for a document too long to carry twice', () => {
    const before = { version: 3, doc: { graceWd: 5, rungs: [{ level: 1, responseWd: 5 }] } };
    const after = { version: 4, note: '宽限延长', doc: { rungs: [{ responseWd: 5, level: 1 }], graceWd: 10 } };
    expect(publishedChange(before, after)).toEqual({ before: { version: 3, doc: { graceWd: 5 } }, after: { version: 4, note: '宽限延长', changed: ['graceWd'], doc: { graceWd: 10 } } });
    const long = (n: number) => ({ tasks: Array.from({ length: 200 }, (_, i) => ({ code: `t${i}`, standard: '办'.repeat(60), limitWd: n })) });
    expect(publishedChange({ version: 1, doc: long(5) }, { version: 2, doc: long(6) })).toEqual({ before: { version: 1 }, after: { version: 2, note: undefined, changed: ['tasks'] } });
  });
});
