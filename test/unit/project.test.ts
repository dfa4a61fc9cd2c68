// Project rules: classification 分类研判, admission 准入 by the track department (+ committee leader for major), edits.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { Conflict, Forbidden, PreconditionFailed } from '../../functions/kernel/domain/errors.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { assertReadsAsStaff, canRead, readsAsStaff, seesEnterpriseView } from '../../functions/kernel/domain/principal.ts';
import { classify } from '../../functions/projects/domain/classification.ts';
import { assertVersion, createProject, newProjectId, type ProjectInput, type QuarterFigures } from '../../functions/projects/domain/project.ts';
import { decideAdmission } from '../../functions/projects/domain/admission.ts';
import { patchProject } from '../../functions/projects/domain/contract.ts';
import { productionNeeds, quarterOf, shiftQuarter, targetsMet } from '../../functions/projects/domain/production.ts';
import { errorOf } from '../support/assertions.ts';
import { diff } from '../../functions/kernel/domain/values.ts';
import { projectInput } from '../support/domain.ts';

/** The needs in English, as the API's `message` says them. */
const productionShortfall = (...args: Parameters<typeof productionNeeds>) => productionNeeds(...args).map((n) => n.en);

const cfg = DEFAULT_CONFIG.classification;
const now = new Date('2026-03-02T02:00:00Z');
const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });
const input: ProjectInput = projectInput();

describe('classification', () => {
  it('is major at 10亿 CNY and above, with the reason', () => {
    const c = classify({ ...input, totalInvestmentCny: 1_000_000_000 }, cfg);
    expect(c.category).toBe('major');
    expect(c.reason).toContain('10亿元');
  });
  it('is standard just below 10亿 and at the standard threshold', () => {
    expect(classify({ ...input, totalInvestmentCny: 999_999_999 }, cfg).category).toBe('standard');
    expect(classify({ ...input, totalInvestmentCny: 100_000_000 }, cfg).category).toBe('standard');
  });
  it('is small below the standard threshold unless a leading-industry project is tech-leading or fills the chain', () => {
    expect(classify({ ...input, totalInvestmentCny: 50_000_000 }, cfg).category).toBe('small');
    expect(classify({ ...input, totalInvestmentCny: 50_000_000, techLevel: 'leading' }, cfg).category).toBe('standard');
    expect(classify({ ...input, totalInvestmentCny: 50_000_000, industry: 'other', techLevel: 'leading' }, cfg).category).toBe('small');
  });
  it('follows configured thresholds, not constants', () => {
    expect(classify({ ...input, totalInvestmentCny: 600_000_000 }, { ...cfg, majorMinCny: 500_000_000 }).category).toBe('major');
  });
});

describe('creation and admission', () => {
  const major = createProject(input, who(['investment_dept']), cfg, { id: 'prj-1', now });

  it('a major project gets its dedicated leader-level service team and waits for admission', () => {
    expect(major.dedicatedTeam?.lead).toBe('committee_leader');
    expect(major.status).toBe('PENDING_ADMISSION');
    expect(major.admission.required).toEqual(['investment_dept', 'committee_leader']);
  });

  it('only the track department creates its projects', () => {
    expect(() => createProject(input, who(['scitech_dept']), cfg, { id: 'x', now })).toThrow(Forbidden);
  });

  it('a major project becomes ACTIVE only after both the department and the committee leader approve', () => {
    const first = decideAdmission(major, who(['investment_dept']), { decision: 'approve' }, now);
    expect(first.started).toBe(false);
    expect(first.project.status).toBe('PENDING_ADMISSION');
    const second = decideAdmission(first.project, who(['committee_leader']), { decision: 'approve' }, now);
    expect(second.started).toBe(true);
    expect(second.project.status).toBe('ACTIVE');
    expect(second.project.version).toBe(major.version); // the unit of work bumps it, once per committed change
  });

  it('a rejection by any decider rejects the project', () => {
    const r = decideAdmission(major, who(['committee_leader']), { decision: 'reject', reason: '不符合产业定位' }, now);
    expect(r.project.status).toBe('REJECTED');
    expect(r.started).toBe(false);
  });

  it('the same department cannot decide twice; other roles cannot decide at all', () => {
    const first = decideAdmission(major, who(['investment_dept']), { decision: 'approve' }, now);
    expect(() => decideAdmission(first.project, who(['investment_dept']), { decision: 'approve' }, now)).toThrow(Conflict);
    expect(() => decideAdmission(major, who(['resources_bureau']), { decision: 'approve' }, now)).toThrow(Forbidden);
  });
});

describe('edits and reads', () => {
  const p = createProject({ ...input, totalInvestmentCny: 200_000_000 }, who(['investment_dept']), cfg, { id: 'prj-2', now });

  it('the owning department edits descriptive fields; the audit diff holds only what changed', () => {
    const edited = patchProject(p, who(['investment_dept']), { name: '新名称' }, now, cfg);
    expect(edited.version).toBe(p.version);
    expect(diff(p, edited)).toEqual({ before: { name: '示例项目' }, after: { name: '新名称' } });
  });

  it('an enterprise reads only its own projects; a park center only its park', () => {
    expect(canRead(who(['enterprise'], { enterprise: 'ent-a' }), p)).toBe(true);
    expect(canRead(who(['enterprise'], { enterprise: 'ent-b' }), p)).toBe(false);
    expect(canRead(who(['park_center'], { park: '汇通产业园' }), p)).toBe(true);
    expect(canRead(who(['park_center'], { park: '科创城' }), p)).toBe(false);
    expect(canRead(who(['discipline_office']), p)).toBe(true);
  });

  it('a park center of another park who is also the project’s enterprise reads it as the enterprise: its view, no staff records', () => {
    const both = who(['park_center', 'enterprise'], { park: '科创城', enterprise: 'ent-a' });
    expect(canRead(both, p)).toBe(true);
    expect(readsAsStaff(both, p)).toBe(false);
    expect(seesEnterpriseView(both, p)).toBe(true);
    expect(() => assertReadsAsStaff(both, p)).toThrow(expect.objectContaining({ status: 403, errors: [{ path: 'path.id', code: 'not_allowed', message: `in ${p.park}: a park center reads the staff records of its own park's projects (科创城)` }] }));
    // In its own park it is the park center: the staff's view.
    const here = who(['park_center', 'enterprise'], { park: '汇通产业园', enterprise: 'ent-a' });
    expect(readsAsStaff(here, p)).toBe(true);
    expect(seesEnterpriseView(here, p)).toBe(false);
    expect(seesEnterpriseView(who(['enterprise'], { enterprise: 'ent-a' }), p)).toBe(true);
    expect(() => assertReadsAsStaff(who(['enterprise'], { enterprise: 'ent-b' }), p)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('达产 rule: the contract targets met over a year of figures', () => {
  const targets = { outputValueCny: 4_000, taxCny: 400, jobs: 50 };
  const q = (outputValueCny: number) => ({ outputValueCny, taxCny: 100, jobs: 60 });
  it('is met when the latest four consecutive quarters reach the yearly targets', () => {
    expect(targetsMet({ targets, production: { '2026Q1': q(1000), '2026Q2': q(1000), '2026Q3': q(1000), '2026Q4': q(1000) } }, 1)).toBe(true);
  });
  it('is not met by one huge quarter, nor by four quarters with a gap', () => {
    expect(targetsMet({ targets, production: { '2026Q4': { outputValueCny: 9_999, taxCny: 999, jobs: 99 } } }, 1)).toBe(false);
    expect(targetsMet({ targets, production: { '2025Q4': q(1000), '2026Q1': q(1000), '2026Q3': q(1000), '2026Q4': q(1000) } }, 1)).toBe(false);
  });
  it('follows the configured share and never triggers without targets', () => {
    const year = { '2026Q1': q(800), '2026Q2': q(800), '2026Q3': q(800), '2026Q4': q(800) };
    expect(targetsMet({ targets, production: year }, 1)).toBe(false);
    expect(targetsMet({ targets, production: year }, 0.8)).toBe(true);
    expect(targetsMet({ production: year }, 0.1)).toBe(false);
  });
  it('says what keeps it from being met, as the 达产 gate’s needs show it', () => {
    const year = { '2026Q1': q(800), '2026Q2': q(800), '2026Q3': q(800), '2026Q4': q(800) };
    expect(productionShortfall({ targets, production: year }, 1)).toEqual(['output value 3200 CNY over 2026Q1–2026Q4, short of 4000']);
    expect(productionShortfall({ targets: { ...targets, jobs: 70 }, production: { ...year, '2026Q4': { outputValueCny: 800, taxCny: 50, jobs: 10 } } }, 1)).toEqual([
      'output value 3200 CNY over 2026Q1–2026Q4, short of 4000',
      'tax 350 CNY over 2026Q1–2026Q4, short of 400',
      'jobs 10 in 2026Q4, short of 70',
    ]);
    expect(productionShortfall({ targets, production: year }, 0.8)).toEqual([]);
    expect(productionShortfall({ targets, production: { '2026Q1': q(1000), '2026Q3': q(1000) } }, 1)).toEqual(['production figures of 2025Q4, 2026Q2 not reported: 达产 needs four consecutive quarters up to 2026Q3']);
    expect(productionShortfall({ targets }, 1)).toEqual([expect.stringMatching(/^no quarter of production figures reported yet/)]);
    expect(productionShortfall({ production: year }, 1)).toEqual([expect.stringMatching(/^the contract names no output value, tax or jobs target/)]);
  });
  it('names only quarters that can be reported: none before the quarter the project entered OPERATION in', () => {
    // Entered OPERATION in 2026Q4 and reported it: 2026Q1–Q3 are refused by POST /production (400 on quarter), so the
    // gate must not ask for them — the first year of figures it can have is 2026Q4–2027Q3.
    const needs = productionNeeds({ targets, production: { '2026Q4': q(1000) } }, 1, { firstQuarter: '2026Q4' });
    expect(needs.map((n) => n.en)).toEqual(['production figures of 2027Q1, 2027Q2, 2027Q3 not reported: 达产 needs four consecutive quarters, 2026Q4–2027Q3 at the earliest (figures are taken from 2026Q4, the quarter the project entered OPERATION)']);
    expect(needs.map((n) => n.zh)).toEqual(['2027Q1、2027Q2、2027Q3 的生产数据未填报：达产需连续四个季度，最早为 2026Q4–2027Q3（自进入投产运营的 2026Q4 起填报）']);
    expect(productionShortfall({ targets, production: { '2026Q4': q(1000), '2027Q2': q(1000) } }, 1, { firstQuarter: '2026Q4' })).toEqual([
      'production figures of 2027Q1, 2027Q3 not reported: 达产 needs four consecutive quarters, 2026Q4–2027Q3 at the earliest (figures are taken from 2026Q4, the quarter the project entered OPERATION)',
    ]);
    // Once a year since then can be full, the last four quarters count as before.
    expect(productionShortfall({ targets, production: { '2026Q4': q(1000), '2027Q1': q(1000), '2027Q3': q(1000), '2027Q4': q(1000) } }, 1, { firstQuarter: '2026Q4' })).toEqual([
      'production figures of 2027Q2 not reported: 达产 needs four consecutive quarters up to 2027Q4',
    ]);
    const year = { '2026Q4': q(1000), '2027Q1': q(1000), '2027Q2': q(1000), '2027Q3': q(1000) };
    expect(productionShortfall({ targets, production: year }, 1, { firstQuarter: '2026Q4' })).toEqual([]);
    expect(targetsMet({ targets, production: { '2026Q4': q(9_999) } }, 1)).toBe(false);
  });
  it('counts quarters across a year boundary', () => {
    expect(shiftQuarter('2027Q1', -1)).toBe('2026Q4');
    expect(quarterOf('2026-11-26')).toBe('2026Q4');
  });
});

describe('responsibility matrix checks', () => {
  it('refuses more tasks in one stage than one stage entry can write atomically', async () => {
    const { DEFAULT_MATRIX, MAX_TASKS_PER_STAGE, validateMatrix } = await import('../../functions/reference/domain/config.ts');
    const base = DEFAULT_MATRIX.tasks[0]!;
    const many = Array.from({ length: MAX_TASKS_PER_STAGE + 1 }, (_, i) => ({ ...base, code: `t${i}`, after: [] }));
    expect(validateMatrix({ ...DEFAULT_MATRIX, tasks: many }).map((e) => e.path)).toContain('tasks');
    expect(validateMatrix(DEFAULT_MATRIX)).toEqual([]);
  });
});

describe('a new project', () => {
  it('starts in SIGNING, green, without escalation, classified with its reason and waiting for its track department', () => {
    const p = createProject({ ...input, track: 'scitech', totalInvestmentCny: 200_000_000 }, who(['scitech_dept'], { sub: 'u-zhao' }), cfg, { id: 'prj-9', now });
    expect(p).toEqual({
      ...input,
      track: 'scitech',
      totalInvestmentCny: 200_000_000,
      id: 'prj-9',
      category: 'standard',
      categoryReason: '总投资2亿元 ≥ 1亿元：一般项目；主导产业（新能源汽车），技术层级：先进，产业链：延链',
      categoryReasonEn: 'Total investment CNY 200 million ≥ CNY 100 million: a standard project; leading industry (New-energy vehicles), tech level Advanced, chain role Extends the chain',
      dedicatedTeam: null,
      stage: 'SIGNING',
      status: 'PENDING_ADMISSION',
      light: 'green',
      escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null },
      admission: { required: ['scitech_dept'], decisions: [] },
      matrixVersion: null,
      workflow: null,
      version: 1,
      createdAt: '2026-03-02T02:00:00.000Z',
      createdBy: 'u-zhao',
      updatedAt: '2026-03-02T02:00:00.000Z',
    });
  });

  it('a major project gets its 专班 formed at creation with the owning department in it', () => {
    const p = createProject(input, who(['investment_dept']), cfg, { id: 'prj-1', now });
    expect(p.dedicatedTeam).toEqual({
      kind: 'leader',
      lead: 'committee_leader',
      members: ['investment_dept', 'park_center', 'resources_bureau', 'approval_office'],
      formedAt: '2026-03-02T02:00:00.000Z',
    });
    expect(p.category).toBe('major');
  });

  it('another department is refused with 403 naming who creates the track', () => {
    expect(() => createProject(input, who(['committee_leader', 'park_center']), cfg, { id: 'x', now })).toThrow(
      new Forbidden('Only investment_dept creates industrial projects', [{ path: 'track', code: 'not_allowed', message: 'industrial projects are registered by investment_dept' }]),
    );
    // On the field that makes it not allowed (a form puts it beside the track).
    expect(errorOf(() => createProject(input, who(['scitech_dept']), cfg, { id: 'x', now }))).toMatchObject({ status: 403, errors: [{ path: 'track', code: 'not_allowed' }] });
    expect(() => createProject({ ...input, track: 'scitech' }, who(['investment_dept']), cfg, { id: 'x', now })).toThrow(
      'Only scitech_dept creates scitech projects',
    );
  });
});

describe('the version a caller pinned (If-Match)', () => {
  const p = createProject(input, who(['investment_dept']), cfg, { id: 'prj-1', now });
  it('passes when nothing is pinned or the pinned version is current', () => {
    expect(() => assertVersion(p, undefined)).not.toThrow();
    expect(() => assertVersion(p, 1)).not.toThrow();
  });
  it('is 412 when the project is at another version', () => {
    expect(() => assertVersion(p, 2)).toThrow(PreconditionFailed);
    expect(() => assertVersion({ ...p, version: 4 }, 3)).toThrow('Project prj-1 is at version 4, not 3');
  });
});

describe('project ids', () => {
  it('are prj-, the creation time in base 36, and six random base-36 characters', () => {
    expect(newProjectId(now, () => 0)).toBe('prj-mm8j77k0-000000');
    expect(newProjectId(now, () => 0.999)).toBe('prj-mm8j77k0-zzzzzz');
    const seq = [0.51, 0.02, 0.3, 0.99, 0.5, 0.75];
    expect(newProjectId(now, () => seq.shift()!)).toBe('prj-mm8j77k0-i0azir');
  });
  it('differ from one another with the default randomness', () => {
    const a = newProjectId(now);
    expect(a).toMatch(/^prj-mm8j77k0-[0-9a-z]{6}$/);
    expect(newProjectId(now)).not.toBe(a);
  });
});

describe('达产 rule in detail', () => {
  const fig = (outputValueCny: number, taxCny = 100, jobs = 50): QuarterFigures => ({ outputValueCny, taxCny, jobs });
  const year = (q1: QuarterFigures, q2: QuarterFigures, q3: QuarterFigures, q4: QuarterFigures) => ({ '2026Q1': q1, '2026Q2': q2, '2026Q3': q3, '2026Q4': q4 });
  const ok = year(fig(1000), fig(1000), fig(1000), fig(1000));

  it('is met exactly at the target (sum of the year = target × share)', () => {
    expect(targetsMet({ targets: { outputValueCny: 4_000, taxCny: 400, jobs: 50 }, production: ok }, 1)).toBe(true);
    expect(targetsMet({ targets: { outputValueCny: 4_001 }, production: ok }, 1)).toBe(false);
    expect(targetsMet({ targets: { outputValueCny: 5_000 }, production: ok }, 0.8)).toBe(true);
    expect(targetsMet({ targets: { outputValueCny: 5_001 }, production: ok }, 0.8)).toBe(false);
  });

  it('each target counts on its own: tax alone, jobs alone', () => {
    expect(targetsMet({ targets: { taxCny: 400 }, production: ok }, 1)).toBe(true);
    expect(targetsMet({ targets: { taxCny: 401 }, production: ok }, 1)).toBe(false);
    expect(targetsMet({ targets: { jobs: 50 }, production: ok }, 1)).toBe(true);
    expect(targetsMet({ targets: { jobs: 51 }, production: ok }, 1)).toBe(false);
  });

  it('one target missed is enough to miss', () => {
    expect(targetsMet({ targets: { outputValueCny: 4_000, taxCny: 401, jobs: 50 }, production: ok }, 1)).toBe(false);
    expect(targetsMet({ targets: { outputValueCny: 4_001, taxCny: 400, jobs: 50 }, production: ok }, 1)).toBe(false);
    expect(targetsMet({ targets: { outputValueCny: 4_000, taxCny: 400, jobs: 51 }, production: ok }, 1)).toBe(false);
  });

  it('jobs are those of the latest quarter, not of the year', () => {
    expect(targetsMet({ targets: { jobs: 50 }, production: year(fig(1000, 100, 90), fig(1000, 100, 90), fig(1000, 100, 90), fig(1000, 100, 40)) }, 1)).toBe(false);
    expect(targetsMet({ targets: { jobs: 50 }, production: year(fig(1000, 100, 10), fig(1000, 100, 10), fig(1000, 100, 10), fig(1000, 100, 60)) }, 1)).toBe(true);
  });

  it('only the last four quarters count, whatever order they were reported in', () => {
    const targets = { outputValueCny: 4_000 };
    const late = { '2026Q4': fig(1000), '2026Q2': fig(1000), '2025Q4': fig(0), '2026Q3': fig(1000), '2026Q1': fig(1000) };
    expect(targetsMet({ targets, production: late }, 1)).toBe(true);
    const earlyBoom = { '2025Q4': fig(9_000), '2026Q1': fig(500), '2026Q2': fig(500), '2026Q3': fig(500), '2026Q4': fig(500) };
    expect(targetsMet({ targets, production: earlyBoom }, 1)).toBe(false);
  });

  it('a year across the new year counts', () => {
    const across = { '2026Q3': fig(1000), '2026Q4': fig(1000), '2027Q1': fig(1000), '2027Q2': fig(1000) };
    expect(targetsMet({ targets: { outputValueCny: 4_000 }, production: across }, 1)).toBe(true);
  });

  it('is never met without figures, or with targets that name nothing measured quarterly', () => {
    expect(targetsMet({ targets: { outputValueCny: 1 } }, 1)).toBe(false);
    expect(targetsMet({ targets: { outputValueCny: 1 }, production: {} }, 1)).toBe(false);
    expect(targetsMet({ targets: {}, production: ok }, 1)).toBe(false);
    expect(targetsMet({ targets: { investmentIntensityCnyPerMu: 1 }, production: ok }, 0)).toBe(false);
  });

  it('three quarters are not a year', () => {
    expect(targetsMet({ targets: { outputValueCny: 1 }, production: { '2026Q2': fig(1000), '2026Q3': fig(1000), '2026Q4': fig(1000) } }, 1)).toBe(false);
  });
});

describe('quarters', () => {
  it('shift forward and back across years', () => {
    expect(shiftQuarter('2026Q4', 1)).toBe('2027Q1');
    expect(shiftQuarter('2026Q1', -1)).toBe('2025Q4');
    expect(shiftQuarter('2026Q2', 0)).toBe('2026Q2');
    expect(shiftQuarter('2026Q3', -3)).toBe('2025Q4');
    expect(shiftQuarter('2026Q2', 5)).toBe('2027Q3');
    expect(shiftQuarter('2026Q1', -8)).toBe('2024Q1');
  });
  it('a date falls in its calendar quarter', () => {
    expect(quarterOf('2026-01-01')).toBe('2026Q1');
    expect(quarterOf('2026-03-31')).toBe('2026Q1');
    expect(quarterOf('2026-04-01')).toBe('2026Q2');
    expect(quarterOf('2026-06-30')).toBe('2026Q2');
    expect(quarterOf('2026-07-15')).toBe('2026Q3');
    expect(quarterOf('2027-12-31')).toBe('2027Q4');
  });
});
