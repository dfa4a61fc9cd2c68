// The contract's terms: edited freely before admission (a classification field re-classifies), locked after it and
// changed only by a recorded contract amendment 合同变更 of the committee leader.
import { TRACK_DEPARTMENT, type Industry } from '#kernel/domain/codes.ts';
import { Conflict, Forbidden, ValidationFailed } from '#kernel/domain/errors.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import { sameValue } from '#kernel/domain/values.ts';
import type { ClassificationConfig } from '#reference/domain/config.ts';
import { admissionDeciders, classify, dedicatedTeamFor } from './classification.ts';
import { assertNoExitUnderway, notActive, type ContractAmendment, type Needs, type Project, type Targets } from './project.ts';

/** The fields classification 分类研判 reads: changing one re-classifies the project. */
export const CLASSIFICATION_FIELDS = ['industry', 'techLevel', 'chainRole', 'totalInvestmentCny'] as const;
/** The contract's terms: after admission they change only through a recorded amendment (committee leader). */
export const CONTRACT_FIELDS = [...CLASSIFICATION_FIELDS, 'targets'] as const;
type ContractField = (typeof CONTRACT_FIELDS)[number];

/**
 * A change of a group of figures (`targets`, `needs`) as JSON Merge Patch (RFC 7396) has it: a field named is set, a
 * field sent as null is removed, a field left out is kept.
 */
export type GroupPatch<T> = { readonly [K in keyof T]?: T[K] | null };

/** Fields an owning department may edit (PATCH); everything else is set by the mechanism. */
export interface ProjectPatch {
  readonly name?: string;
  readonly investor?: { readonly name: string };
  readonly industry?: Industry;
  readonly attractionMode?: string;
  readonly techLevel?: string;
  readonly chainRole?: string;
  readonly totalInvestmentCny?: number;
  readonly targets?: GroupPatch<Targets>;
  readonly needs?: GroupPatch<Needs>;
}

/**
 * A group with its patch applied: the fields named set, those sent as null removed, the others kept. A project with
 * no such group that is left with nothing in it keeps having none (removing what was never there changes nothing).
 */
export function mergeGroup<T extends object>(current: T | null | undefined, patch: GroupPatch<T>): T | undefined {
  const out: Record<string, unknown> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return (current === null || current === undefined) && Object.keys(out).length === 0 ? undefined : (out as T);
}

/** The patch with its groups merged into the project's: each group whole, as the project will hold it. */
function withGroups<P extends { readonly targets?: GroupPatch<Targets>; readonly needs?: GroupPatch<Needs> }>(project: Project, patch: P): Omit<P, 'targets' | 'needs'> & { targets?: Targets; needs?: Needs } {
  const { targets, needs, ...rest } = patch;
  return { ...rest, ...(targets ? { targets: mergeGroup(project.targets, targets) } : {}), ...(needs ? { needs: mergeGroup(project.needs, needs) } : {}) };
}

const changed = (project: Project, patch: Partial<Record<ContractField, unknown>>, fields: readonly ContractField[]) =>
  fields.filter((f) => patch[f] !== undefined && !sameValue(patch[f], project[f]));

/**
 * Re-classifies a project whose classification inputs changed. Before admission the decisions taken so far are void
 * (the deciders may change with the category); a project that becomes major gets its 专班 (a team once formed stays).
 */
function reclassified(project: Project, next: Project, cfg: ClassificationConfig, at: string, voidDecisions: boolean): Project {
  const { category, reason, reasonEn } = classify(next, cfg);
  const owner = TRACK_DEPARTMENT[project.track];
  return {
    ...next,
    category,
    categoryReason: reason,
    categoryReasonEn: reasonEn,
    // Before admission the team follows the category; after it, a team once formed stays with the project.
    dedicatedTeam: voidDecisions
      ? category === 'major' ? (project.dedicatedTeam ?? dedicatedTeamFor(category, owner, at)) : null
      : (project.dedicatedTeam ?? dedicatedTeamFor(category, owner, at)),
    admission: voidDecisions ? { required: admissionDeciders(project.track, category), decisions: [] } : next.admission,
  };
}

/** Who edits a project's record: its track's department (403 for anyone else). */
export function requireEditor(project: Pick<Project, 'track'>, by: Principal): void {
  const owner = TRACK_DEPARTMENT[project.track];
  if (!hasRole(by, owner)) throw new Forbidden(`Only ${owner} edits ${project.track} projects`);
}

/**
 * PATCH: the owning department edits the project. Before admission a change of a classification field re-classifies
 * it (category, reason, required admissions; earlier admission decisions void). After admission the contract's terms
 * (classification fields and targets) are locked: 409, and the change goes through POST /projects/{id}/amendments.
 */
export function patchProject(project: Project, by: Principal, request: ProjectPatch, now: Date, cfg: ClassificationConfig): Project {
  const patch = withGroups(project, request);
  requireEditor(project, by);
  if (project.status === 'EXITED' || project.status === 'REJECTED') {
    throw notActive(project, `Project ${project.id} is ${project.status} and can no longer be edited`);
  }
  const at = now.toISOString();
  const contract = changed(project, patch, CONTRACT_FIELDS);
  if (project.status !== 'PENDING_ADMISSION' && contract.length) {
    throw new Conflict(
      `After admission the contract's terms (${contract.join(', ')}) change only by a recorded contract amendment: POST /projects/${project.id}/amendments (committee_leader)`,
      contract.map((f) => ({ path: f, code: 'not_allowed', message: 'locked after admission: use a contract amendment' })),
    );
  }
  const { investor, ...rest } = patch;
  const next: Project = {
    ...project,
    ...rest,
    investor: investor ? { ...project.investor, name: investor.name } : project.investor,
  };
  // An edit whose every value is the project's already would move its version (other clients' If-Match then fails) and
  // record an empty change: told instead, nothing written.
  if (sameValue(next, project)) throw new ValidationFailed('The patch changes nothing: every value is the project\'s already', [{ path: '', code: 'empty', message: 'equals the project' }]);
  const reclassify = changed(project, patch, CLASSIFICATION_FIELDS).length > 0;
  return reclassify ? reclassified(project, next, cfg, at, true) : next;
}

export interface AmendmentInput {
  readonly reason: string;
  /** `targets` as a merge patch (see GroupPatch): the targets named change, the others stay. */
  readonly changes: Partial<Pick<Project, Exclude<ContractField, 'targets'>>> & { readonly targets?: GroupPatch<Targets> };
}

/**
 * A contract amendment 合同变更 after admission, decided by the committee leader with its reason: the terms change,
 * the project is re-classified (a project that becomes major gets its 专班), and the amendment is kept on the project.
 */
export interface AmendmentResult {
  readonly project: Project;
  readonly amendment: ContractAmendment;
}

export function amendContract(project: Project, by: Principal, input: AmendmentInput, now: Date, cfg: ClassificationConfig, id: string): AmendmentResult {
  if (!hasRole(by, 'committee_leader')) throw new Forbidden('A contract amendment is decided by the committee leader');
  if (project.status === 'PENDING_ADMISSION') {
    throw notActive(project, `Project ${project.id} is not admitted yet: its terms are edited with PATCH /projects/${project.id}`);
  }
  if (project.status !== 'ACTIVE') throw notActive(project, `Project ${project.id} is ${project.status}: its contract is closed`);
  assertNoExitUnderway(project, 'No contract amendment');
  const changes = withGroups(project, input.changes);
  const fields = changed(project, changes, CONTRACT_FIELDS);
  if (fields.length === 0) throw new ValidationFailed('The amendment changes nothing', [{ path: 'changes', code: 'empty', message: 'name at least one term with a new value' }]);
  const at = now.toISOString();
  const terms: Project = { ...project, ...Object.fromEntries(fields.map((f) => [f, changes[f]])) };
  // Only a change of what classification reads re-classifies: new targets alone keep the category it was admitted with.
  const next = fields.some((f) => (CLASSIFICATION_FIELDS as readonly string[]).includes(f)) ? reclassified(project, terms, cfg, at, false) : terms;
  const amendment: ContractAmendment = {
    id,
    at,
    by: by.sub,
    byName: by.name,
    reason: input.reason,
    changes: Object.fromEntries(fields.map((f) => [f, { before: project[f] ?? null, after: next[f] ?? null }])),
    classification: { before: { category: project.category, reason: project.categoryReason }, after: { category: next.category, reason: next.categoryReason } },
  };
  return { project: { ...next, amendmentCount: (project.amendmentCount ?? 0) + 1 }, amendment };
}
