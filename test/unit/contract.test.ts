// The contract's terms: the owning department edits a project before admission (a classification field re-classifies
// it and voids the admission decisions taken); after admission the terms are locked and change only by a contract
// amendment 合同变更 the committee leader decides with its reason.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { Conflict, Forbidden, ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { createProject, type Project, type ProjectInput } from '../../functions/projects/domain/project.ts';
import { decideAdmission } from '../../functions/projects/domain/admission.ts';
import { amendContract, CLASSIFICATION_FIELDS, CONTRACT_FIELDS, patchProject } from '../../functions/projects/domain/contract.ts';
import { projectInput } from '../support/domain.ts';
import { errorOf } from '../support/assertions.ts';

const cfg = DEFAULT_CONFIG.classification;
const created = new Date('2026-03-02T02:00:00Z');
const now = new Date('2026-04-10T03:00:00Z');
const NOW = '2026-04-10T03:00:00.000Z';
const who = (roles: Principal['roles'], sub = `u-${roles.join('-')}`, name = 'x'): Principal => ({ sub, name, roles });
const dept = who(['investment_dept']);
const leader = who(['committee_leader'], 'u-wang', '王主任');
const input: ProjectInput = projectInput({ totalInvestmentCny: 300_000_000, targets: { outputValueCny: 4_000, taxCny: 400 } });
const make = (over: Partial<ProjectInput> = {}, id = 'prj-1') => createProject({ ...input, ...over }, dept, cfg, { id, now: created });
const standard = make();
const major = make({ totalInvestmentCny: 1_200_000_000 }, 'prj-m');
/** A major project the department approved, waiting for the committee leader. */
const majorHalfDecided = decideAdmission(major, dept, { decision: 'approve' }, created).project;
const admit = (p: Project) => p.admission.required.reduce((q, r) => decideAdmission(q, who([r]), { decision: 'approve' }, created).project, p);
const activeStandard = admit(standard);
const activeMajor = admit(major);

describe('the contract fields', () => {
  it('classification reads industry, tech level, chain role and total investment; the contract adds the targets', () => {
    expect([...CLASSIFICATION_FIELDS]).toEqual(['industry', 'techLevel', 'chainRole', 'totalInvestmentCny']);
    expect([...CONTRACT_FIELDS]).toEqual(['industry', 'techLevel', 'chainRole', 'totalInvestmentCny', 'targets']);
  });
});

describe('editing a project (PATCH)', () => {
  it('only the owning track department edits, whatever other role the user has', () => {
    const e = errorOf(() => patchProject(standard, who(['scitech_dept', 'committee_leader']), { name: 'n' }, now, cfg));
    expect(e).toBeInstanceOf(Forbidden);
    expect(e.message).toBe('Only investment_dept edits industrial projects');
    const sci = createProject({ ...input, track: 'scitech' }, who(['scitech_dept']), cfg, { id: 'prj-s', now: created });
    expect(() => patchProject(sci, dept, { name: 'n' }, now, cfg)).toThrow(Forbidden);
    expect(patchProject(sci, who(['scitech_dept']), { name: 'n' }, now, cfg).name).toBe('n');
  });

  it('an exited or rejected project can no longer be edited', () => {
    for (const status of ['EXITED', 'REJECTED'] as const) {
      const e = errorOf(() => patchProject({ ...activeStandard, status }, dept, { name: 'n' }, now, cfg));
      expect(e).toBeInstanceOf(Conflict);
      expect(e.message).toBe(`Project prj-1 is ${status} and can no longer be edited`);
      expect(e.errors).toEqual([{ path: 'path.id', code: 'state', message: `is ${status}` }]);
    }
  });

  it('an admitted project keeps its descriptive fields editable; the investor keeps its enterprise id', () => {
    const edited = patchProject(activeStandard, dept, { name: '新名称', attractionMode: 'fund', investor: { name: '新公司' }, needs: { areaM2: 5000 } }, now, cfg);
    expect(edited).toEqual({
      ...activeStandard,
      name: '新名称',
      attractionMode: 'fund',
      investor: { name: '新公司', enterpriseId: 'ent-a' },
      needs: { areaM2: 5000 },
    });
  });

  it('an edit without an investor keeps the investor as it was', () => {
    expect(patchProject(activeStandard, dept, { name: 'n' }, now, cfg).investor).toEqual({ name: '示例公司', enterpriseId: 'ent-a' });
  });

  it('after admission the contract terms are locked: 409 naming each field and the amendment route', () => {
    const e = errorOf(() => patchProject(activeStandard, dept, { targets: { jobs: 9 }, totalInvestmentCny: 400_000_000, name: 'n' }, now, cfg));
    expect(e).toBeInstanceOf(Conflict);
    expect(e.message).toBe(
      "After admission the contract's terms (totalInvestmentCny, targets) change only by a recorded contract amendment: POST /projects/prj-1/amendments (committee_leader)",
    );
    expect(e.errors).toEqual([
      { path: 'totalInvestmentCny', code: 'not_allowed', message: 'locked after admission: use a contract amendment' },
      { path: 'targets', code: 'not_allowed', message: 'locked after admission: use a contract amendment' },
    ]);
    for (const patch of [{ industry: 'equipment' as const }, { techLevel: 'leading' }, { chainRole: 'fill' }]) {
      expect(() => patchProject(activeStandard, dept, patch, now, cfg)).toThrow(Conflict);
    }
  });

  it('an edit whose every value is the project\'s already is a 400 (empty), not a change', () => {
    const same = errorOf(() => patchProject(activeStandard, dept, { name: activeStandard.name, totalInvestmentCny: activeStandard.totalInvestmentCny }, now, cfg)) as Error & { status?: number; errors?: unknown };
    expect(same).toMatchObject({ status: 400, errors: [{ path: '', code: 'empty' }] });
    expect(patchProject(activeStandard, dept, { name: `${activeStandard.name}（一期）` }, now, cfg).name).toBe(`${activeStandard.name}（一期）`);
  });

  it('a completed project keeps its terms locked too', () => {
    expect(() => patchProject({ ...activeStandard, status: 'COMPLETED' }, dept, { totalInvestmentCny: 1 }, now, cfg)).toThrow(Conflict);
  });

  it('after admission, sending the terms back unchanged (keys in any order) is no change', () => {
    const edited = patchProject(
      activeStandard,
      dept,
      { name: 'n', industry: 'nev', techLevel: 'advanced', chainRole: 'extend', totalInvestmentCny: 300_000_000, targets: { taxCny: 400, outputValueCny: 4_000 } },
      now,
      cfg,
    );
    expect(edited).toEqual({ ...activeStandard, name: 'n', targets: { taxCny: 400, outputValueCny: 4_000 } });
  });

  it('before admission, a larger investment re-classifies it as major: reason, both deciders, decisions so far void, 专班 formed now', () => {
    const halfStandard = { ...standard, admission: { ...standard.admission, decisions: [] } };
    const edited = patchProject(halfStandard, dept, { totalInvestmentCny: 1_500_000_000 }, now, cfg);
    expect(edited.category).toBe('major');
    expect(edited.categoryReason).toBe('总投资15亿元 ≥ 10亿元：重大项目；主导产业（新能源汽车），技术层级：先进，产业链：延链');
    expect(edited.categoryReasonEn).toMatch(/^Total investment CNY 1,500 million ≥ CNY 1,000 million: a major project/);
    expect(edited.admission).toEqual({ required: ['investment_dept', 'committee_leader'], decisions: [] });
    expect(edited.dedicatedTeam).toEqual({
      kind: 'leader',
      lead: 'committee_leader',
      members: ['investment_dept', 'park_center', 'resources_bureau', 'approval_office'],
      formedAt: NOW,
    });
    expect(edited.totalInvestmentCny).toBe(1_500_000_000);
    expect(edited.status).toBe('PENDING_ADMISSION');
  });

  it('before admission, a major project made standard loses the committee leader as decider and its 专班; the approval given is void', () => {
    expect(majorHalfDecided.admission.decisions).toHaveLength(1);
    const edited = patchProject(majorHalfDecided, dept, { totalInvestmentCny: 500_000_000 }, now, cfg);
    expect(edited.category).toBe('standard');
    expect(edited.categoryReason).toBe('总投资5亿元 ≥ 1亿元：一般项目；主导产业（新能源汽车），技术层级：先进，产业链：延链');
    expect(edited.admission).toEqual({ required: ['investment_dept'], decisions: [] });
    expect(edited.dedicatedTeam).toBeNull();
  });

  it('before admission, a major project that stays major keeps the 专班 formed at creation, but its decisions are void', () => {
    const edited = patchProject(majorHalfDecided, dept, { industry: 'biomedicine' }, now, cfg);
    expect(edited.category).toBe('major');
    expect(edited.categoryReason).toContain('潜力产业（生物医药）');
    expect(edited.dedicatedTeam).toEqual(major.dedicatedTeam);
    expect(edited.dedicatedTeam?.formedAt).toBe('2026-03-02T02:00:00.000Z');
    expect(edited.admission).toEqual({ required: ['investment_dept', 'committee_leader'], decisions: [] });
  });

  it('before admission, a change of tech level or chain role re-classifies a small project (priority upgrade)', () => {
    const small = make({ totalInvestmentCny: 50_000_000 }, 'prj-s');
    expect(small.category).toBe('small');
    expect(patchProject(small, dept, { techLevel: 'leading' }, now, cfg).category).toBe('standard');
    expect(patchProject(small, dept, { chainRole: 'fill' }, now, cfg).category).toBe('standard');
  });

  it('re-classifies with the configuration in force at the edit', () => {
    const edited = patchProject(standard, dept, { techLevel: 'leading' }, now, { ...cfg, majorMinCny: 200_000_000 });
    expect(edited.category).toBe('major');
    expect(edited.admission.required).toEqual(['investment_dept', 'committee_leader']);
  });

  it('before admission, new targets or descriptive edits keep the category and the decisions taken', () => {
    const edited = patchProject(majorHalfDecided, dept, { targets: { jobs: 80 }, name: 'n' }, now, cfg);
    // The targets merge (RFC 7396): the ones named change, the others stay; one sent as null goes.
    expect(edited).toEqual({ ...majorHalfDecided, targets: { ...majorHalfDecided.targets, jobs: 80 }, name: 'n' });
    expect(patchProject(majorHalfDecided, dept, { targets: { taxCny: null } }, now, cfg).targets).toEqual({ outputValueCny: 4_000 });
    // Removing what a project never had leaves it without the group (not an empty one): with nothing else, no change.
    const bare = { ...majorHalfDecided, needs: undefined };
    expect(patchProject(bare, dept, { name: 'n', needs: { clearHeightM: null } }, now, cfg).needs).toBeUndefined();
    expect(errorOf(() => patchProject(bare, dept, { needs: { clearHeightM: null } }, now, cfg))).toMatchObject({ status: 400, errors: [{ code: 'empty' }] });
  });

  it('before admission, a classification field sent with its current value does not void the decisions', () => {
    const edited = patchProject(majorHalfDecided, dept, { name: 'n', totalInvestmentCny: 1_200_000_000, industry: 'nev', techLevel: undefined }, now, cfg);
    expect(edited.admission.decisions).toHaveLength(1);
    // even if the configuration changed meanwhile, nothing is re-classified
    expect(patchProject(majorHalfDecided, dept, { name: 'n', totalInvestmentCny: 1_200_000_000 }, now, { ...cfg, majorMinCny: 2_000_000_000 }).category).toBe('major');
  });
});

describe('a contract amendment after admission', () => {
  const reason = '企业追加投资';

  it('is decided by the committee leader only', () => {
    const e = errorOf(() => amendContract(activeStandard, who(['investment_dept', 'supervision_office']), { reason, changes: { totalInvestmentCny: 1 } }, now, cfg, 'amd-1'));
    expect(e).toBeInstanceOf(Forbidden);
    expect(e.message).toBe('A contract amendment is decided by the committee leader');
    expect(() => amendContract(standard, dept, { reason, changes: { totalInvestmentCny: 1 } }, now, cfg, 'amd-1')).toThrow(Forbidden);
  });

  it('a project not admitted yet is edited with PATCH instead: 409', () => {
    const e = errorOf(() => amendContract(standard, leader, { reason, changes: { totalInvestmentCny: 1 } }, now, cfg, 'amd-1'));
    expect(e).toBeInstanceOf(Conflict);
    expect(e.message).toBe('Project prj-1 is not admitted yet: its terms are edited with PATCH /projects/prj-1');
    expect(e.errors).toEqual([{ path: 'path.id', code: 'state', message: 'is PENDING_ADMISSION' }]);
  });

  it('a rejected, exited or completed project has its contract closed: 409', () => {
    for (const status of ['REJECTED', 'EXITED', 'COMPLETED'] as const) {
      const e = errorOf(() => amendContract({ ...activeStandard, status }, leader, { reason, changes: { totalInvestmentCny: 1 } }, now, cfg, 'amd-1'));
      expect(e).toBeInstanceOf(Conflict);
      expect(e.message).toBe(`Project prj-1 is ${status}: its contract is closed`);
      expect(e.errors).toEqual([{ path: 'path.id', code: 'state', message: `is ${status}` }]);
    }
  });

  it('an amendment that changes nothing is refused: 400 on changes', () => {
    for (const changes of [{}, { totalInvestmentCny: 300_000_000, targets: { taxCny: 400, outputValueCny: 4_000 } }]) {
      const e = errorOf(() => amendContract(activeStandard, leader, { reason, changes }, now, cfg, 'amd-1'));
      expect(e).toBeInstanceOf(ValidationFailed);
      expect(e.message).toBe('The amendment changes nothing');
      expect(e.errors).toEqual([{ path: 'changes', code: 'empty', message: 'name at least one term with a new value' }]);
    }
  });

  it('a larger investment makes an admitted standard project major: it gets its 专班, keeps its admission, and the amendment records it all', () => {
    const { project, amendment } = amendContract(
      activeStandard,
      leader,
      { reason, changes: { totalInvestmentCny: 1_500_000_000, industry: 'nev' } },
      now,
      cfg,
      'amd-1',
    );
    expect(project.category).toBe('major');
    expect(project.categoryReason).toBe('总投资15亿元 ≥ 10亿元：重大项目；主导产业（新能源汽车），技术层级：先进，产业链：延链');
    expect(project.dedicatedTeam).toEqual({
      kind: 'leader',
      lead: 'committee_leader',
      members: ['investment_dept', 'park_center', 'resources_bureau', 'approval_office'],
      formedAt: NOW,
    });
    expect(project.admission).toEqual(activeStandard.admission);
    expect(project.status).toBe('ACTIVE');
    expect(project.amendmentCount).toBe(1);
    expect(amendment).toEqual({
      id: 'amd-1',
      at: NOW,
      by: 'u-wang',
      byName: '王主任',
      reason,
      changes: { totalInvestmentCny: { before: 300_000_000, after: 1_500_000_000 } },
      classification: {
        before: { category: 'standard', reason: activeStandard.categoryReason },
        after: { category: 'major', reason: project.categoryReason },
      },
    });
  });

  it('a major project amended down to standard keeps its 专班 (a team once formed stays)', () => {
    const { project, amendment } = amendContract(activeMajor, leader, { reason: '缩减投资', changes: { totalInvestmentCny: 500_000_000 } }, now, cfg, 'amd-2');
    expect(project.category).toBe('standard');
    expect(project.dedicatedTeam).toEqual(activeMajor.dedicatedTeam);
    expect(project.admission.required).toEqual(['investment_dept', 'committee_leader']);
    expect(amendment.classification).toEqual({
      before: { category: 'major', reason: activeMajor.categoryReason },
      after: { category: 'standard', reason: '总投资5亿元 ≥ 1亿元：一般项目；主导产业（新能源汽车），技术层级：先进，产业链：延链' },
    });
  });

  it('a standard project that stays non-major gets no 专班 from an amendment', () => {
    const { project } = amendContract(activeStandard, leader, { reason, changes: { techLevel: 'leading', chainRole: 'fill' } }, now, cfg, 'amd-3');
    expect(project.category).toBe('standard');
    expect(project.dedicatedTeam).toBeNull();
    expect(project).toMatchObject({ techLevel: 'leading', chainRole: 'fill' });
  });

  it('new targets alone keep the category the project was admitted with, even under a changed configuration', () => {
    const zone = { ...cfg, standardMinCny: 500_000_000, majorMinCny: 600_000_000 };
    const { project, amendment } = amendContract(activeStandard, leader, { reason: '调整达产目标', changes: { targets: { jobs: 50 } } }, now, zone, 'amd-4');
    expect(project).toEqual({ ...activeStandard, targets: { outputValueCny: 4_000, taxCny: 400, jobs: 50 }, amendmentCount: 1 });
    expect(amendment.changes).toEqual({ targets: { before: { outputValueCny: 4_000, taxCny: 400 }, after: { outputValueCny: 4_000, taxCny: 400, jobs: 50 } } });
    expect(amendment.classification.before).toEqual(amendment.classification.after);
  });

  it('new targets together with a larger investment re-classify the project, and both changes are recorded', () => {
    const { project, amendment } = amendContract(
      activeStandard,
      leader,
      { reason, changes: { targets: { jobs: 300 }, totalInvestmentCny: 1_100_000_000 } },
      now,
      cfg,
      'amd-8',
    );
    expect(project).toMatchObject({ category: 'major', targets: { jobs: 300 }, totalInvestmentCny: 1_100_000_000 });
    expect(Object.keys(amendment.changes)).toEqual(['totalInvestmentCny', 'targets']);
  });

  it('a classification change re-classifies under the configuration in force at the amendment', () => {
    const zone = { ...cfg, standardMinCny: 500_000_000, majorMinCny: 600_000_000 };
    const { project } = amendContract(activeStandard, leader, { reason, changes: { techLevel: 'standard' } }, now, zone, 'amd-5');
    expect(project.category).toBe('small');
  });

  it('records targets the contract never had as null before', () => {
    const noTargets = admit(make({ targets: undefined }, 'prj-n'));
    const { amendment } = amendContract(noTargets, leader, { reason, changes: { targets: { taxCny: 10 } } }, now, cfg, 'amd-6');
    expect(amendment.changes).toEqual({ targets: { before: null, after: { taxCny: 10 } } });
  });

  it('counts the amendments kept on the project', () => {
    const { project } = amendContract({ ...activeStandard, amendmentCount: 2 }, leader, { reason, changes: { techLevel: 'leading' } }, now, cfg, 'amd-7');
    expect(project.amendmentCount).toBe(3);
  });
});
