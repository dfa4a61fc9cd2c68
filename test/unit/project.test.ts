// Project rules: classification 分类研判, admission 准入 by the track department (+ committee leader for major), edits.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { Conflict, Forbidden } from '../../functions/kernel/domain/errors.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { canRead } from '../../functions/kernel/domain/principal.ts';
import { classify } from '../../functions/projects/domain/classification.ts';
import { createProject, type ProjectInput } from '../../functions/projects/domain/project.ts';
import { decideAdmission } from '../../functions/projects/domain/admission.ts';
import { patchProject } from '../../functions/projects/domain/contract.ts';
import { quarterOf, shiftQuarter, targetsMet } from '../../functions/projects/domain/production.ts';
import { diff } from '../../functions/kernel/domain/values.ts';

const cfg = DEFAULT_CONFIG.classification;
const now = new Date('2026-03-02T02:00:00Z');
const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });
const input: ProjectInput = {
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
};

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
