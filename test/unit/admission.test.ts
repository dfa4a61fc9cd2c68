// Admission 准入: each required decider decides once; a rejection rejects the project; the last approval makes it
// ACTIVE and its lifecycle starts on the responsibility matrix version in force.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { Conflict, Forbidden } from '../../functions/kernel/domain/errors.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { createProject, type Project, type ProjectInput } from '../../functions/projects/domain/project.ts';
import { decideAdmission, startLifecycle } from '../../functions/projects/domain/admission.ts';
import { projectInput } from '../support/domain.ts';
import { errorOf } from '../support/assertions.ts';

const cfg = DEFAULT_CONFIG.classification;
const now = new Date('2026-03-02T02:00:00Z');
const later = new Date('2026-03-05T06:30:00Z');
const who = (roles: Principal['roles'], sub = `u-${roles.join('-')}`): Principal => ({ sub, name: 'x', roles });
const input: ProjectInput = projectInput();
const major = createProject(input, who(['investment_dept']), cfg, { id: 'prj-major', now });
const standard = createProject({ ...input, totalInvestmentCny: 300_000_000 }, who(['investment_dept']), cfg, { id: 'prj-std', now });
const scitech = createProject({ ...input, track: 'scitech', totalInvestmentCny: 300_000_000 }, who(['scitech_dept']), cfg, { id: 'prj-sci', now });

describe('deciding admission', () => {
  it('a standard project becomes ACTIVE with its track department approval alone, and its lifecycle may start', () => {
    const r = decideAdmission(standard, who(['investment_dept'], 'u-li'), { decision: 'approve', reason: '符合产业定位' }, later);
    expect(r.started).toBe(true);
    expect(r.project.status).toBe('ACTIVE');
    expect(r.project.admission).toEqual({
      required: ['investment_dept'],
      decisions: [{ role: 'investment_dept', by: 'u-li', decision: 'approve', reason: '符合产业定位', at: '2026-03-05T06:30:00.000Z' }],
    });
  });

  it('a sci-tech project is admitted by the sci-tech department, not the investment department', () => {
    expect(() => decideAdmission(scitech, who(['investment_dept']), { decision: 'approve' }, now)).toThrow(Forbidden);
    expect(decideAdmission(scitech, who(['scitech_dept']), { decision: 'approve' }, now).project.status).toBe('ACTIVE');
  });

  it('a major project keeps waiting after the first approval and records it; the second approval activates it', () => {
    const first = decideAdmission(major, who(['committee_leader'], 'u-wang'), { decision: 'approve' }, now);
    expect(first).toMatchObject({ started: false, project: { status: 'PENDING_ADMISSION' } });
    expect(first.project.admission.decisions).toEqual([{ role: 'committee_leader', by: 'u-wang', decision: 'approve', reason: undefined, at: '2026-03-02T02:00:00.000Z' }]);
    const second = decideAdmission(first.project, who(['investment_dept'], 'u-li'), { decision: 'approve' }, later);
    expect(second).toMatchObject({ started: true, project: { status: 'ACTIVE' } });
    expect(second.project.admission.decisions.map((d) => [d.role, d.by, d.at])).toEqual([
      ['committee_leader', 'u-wang', '2026-03-02T02:00:00.000Z'],
      ['investment_dept', 'u-li', '2026-03-05T06:30:00.000Z'],
    ]);
    expect(second.project.admission.required).toEqual(['investment_dept', 'committee_leader']);
  });

  it('a rejection after an approval still rejects the project, with its reason kept', () => {
    const first = decideAdmission(major, who(['investment_dept']), { decision: 'approve' }, now);
    const r = decideAdmission(first.project, who(['committee_leader']), { decision: 'reject', reason: '不符合产业定位' }, now);
    expect(r).toMatchObject({ started: false, project: { status: 'REJECTED' } });
    expect(r.project.admission.decisions[1]).toMatchObject({ role: 'committee_leader', decision: 'reject', reason: '不符合产业定位' });
  });

  it('a rejection of a standard project by its only decider rejects it', () => {
    const r = decideAdmission(standard, who(['investment_dept']), { decision: 'reject', reason: '投资强度不足' }, now);
    expect(r).toMatchObject({ started: false, project: { status: 'REJECTED' } });
  });

  it('one person holding both roles decides for one of them only (each department its own say): the other is another person\'s', () => {
    const both = who(['investment_dept', 'committee_leader'], 'u-both');
    const first = decideAdmission(major, both, { decision: 'approve' }, now);
    expect(first.project.admission.decisions.map((d) => d.role)).toEqual(['investment_dept']);
    expect(first.started).toBe(false);
    const again = errorOf(() => decideAdmission(first.project, both, { decision: 'approve' }, now));
    expect(again).toBeInstanceOf(Conflict);
    expect(again.message).toBe(`You decided the admission of ${major.id} for investment_dept already: committee_leader is decided by another person`);
    expect(again.errors).toEqual([{ path: 'path.id', code: 'state', message: 'you decided for investment_dept' }]);
    const second = decideAdmission(first.project, who(['committee_leader'], 'u-leader'), { decision: 'approve' }, now);
    expect(second.project.admission.decisions.map((d) => [d.role, d.by])).toEqual([['investment_dept', 'u-both'], ['committee_leader', 'u-leader']]);
    expect(second.started).toBe(true);
  });

  it('the same department cannot decide twice: 409 saying it already decided', () => {
    const first = decideAdmission(major, who(['investment_dept']), { decision: 'approve' }, now);
    const e = errorOf(() => decideAdmission(first.project, who(['investment_dept']), { decision: 'approve' }, now));
    expect(e).toBeInstanceOf(Conflict);
    expect(e.message).toBe('Your department already decided the admission of prj-major');
    expect(e.errors).toEqual([{ path: 'path.id', code: 'state', message: 'investment_dept decided' }]);
  });

  it('a role that is not a decider gets 403 naming who decides', () => {
    const e = errorOf(() => decideAdmission(major, who(['resources_bureau', 'park_center']), { decision: 'approve' }, now));
    expect(e).toBeInstanceOf(Forbidden);
    expect(e.message).toBe('Admission of this project is decided by: investment_dept, committee_leader');
  });

  it('a project already admitted or rejected cannot be decided again', () => {
    const active = decideAdmission(standard, who(['investment_dept']), { decision: 'approve' }, now).project;
    const e = errorOf(() => decideAdmission(active, who(['investment_dept']), { decision: 'approve' }, now));
    expect(e).toBeInstanceOf(Conflict);
    expect(e.message).toBe('Admission of prj-std is already decided (status ACTIVE)');
    expect(e.errors).toEqual([{ path: 'path.id', code: 'state', message: 'is ACTIVE' }]);
    const rejected = decideAdmission(standard, who(['investment_dept']), { decision: 'reject' }, now).project;
    expect(() => decideAdmission(rejected, who(['investment_dept']), { decision: 'approve' }, now)).toThrow(Conflict);
  });

  it('leaves everything else of the project as it was', () => {
    const r = decideAdmission(standard, who(['investment_dept']), { decision: 'approve' }, later).project;
    expect({ ...r, status: standard.status, admission: standard.admission }).toEqual(standard);
  });
});

describe('starting the lifecycle of an admitted project', () => {
  it('records the matrix version in force and a first execution segment, starting', () => {
    const active: Project = decideAdmission(standard, who(['investment_dept']), { decision: 'approve' }, now).project;
    const segments: number[] = [];
    const started = startLifecycle(active, 7, later, (segment) => {
      segments.push(segment);
      return `prj-std-SIGNING-${segment}`;
    });
    expect(segments).toEqual([1]);
    expect(started.matrixVersion).toBe(7);
    expect(started.workflow).toEqual({ segment: 1, executionName: 'prj-std-SIGNING-1', startedAt: '2026-03-05T06:30:00.000Z', status: 'starting' });
    expect({ ...started, matrixVersion: null, workflow: null }).toEqual(active);
  });
});
