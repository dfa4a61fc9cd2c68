// The project aggregate: creation with classification 分类研判, admission 准入, descriptive edits, audit diffs.
import {
  LEADING_INDUSTRIES,
  POTENTIAL_INDUSTRIES,
  TRACK_DEPARTMENT,
  type Category,
  type Industry,
  type Light,
  type Role,
  type SiteMode,
  type Stage,
  type Status,
  type Track,
} from '#kernel/domain/codes.ts';
import type { ClassificationConfig } from '#reference/domain/config.ts';
import { Conflict, Forbidden, PreconditionFailed, ValidationFailed } from '#kernel/domain/errors.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import { sameValue } from '#kernel/domain/values.ts';

export interface Targets {
  readonly outputValueCny?: number;
  readonly taxCny?: number;
  readonly jobs?: number;
  readonly investmentIntensityCnyPerMu?: number;
}

export interface Needs {
  readonly areaM2?: number;
  readonly powerKva?: number;
  readonly floorLoadKnM2?: number;
  readonly clearHeightM?: number;
}

export interface ProjectInput {
  readonly name: string;
  readonly investor: { readonly name: string; readonly enterpriseId: string };
  readonly track: Track;
  readonly industry: Industry;
  readonly attractionMode: string;
  readonly totalInvestmentCny: number;
  readonly techLevel: string;
  readonly chainRole: string;
  readonly park: string;
  readonly siteMode: SiteMode;
  readonly targets?: Targets;
  readonly needs?: Needs;
}

export interface AdmissionDecision {
  readonly role: Role;
  readonly by: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
  readonly at: string;
}

export interface DedicatedTeam {
  /** leader: 领导专班 for major projects. */
  readonly kind: 'leader';
  readonly lead: Role;
  readonly members: readonly Role[];
  readonly formedAt: string;
}

export interface Escalation {
  readonly level: number;
  readonly name: string;
  readonly since: string | null;
}

export interface WorkflowRef {
  readonly segment: number;
  readonly executionName: string;
  readonly startedAt: string;
  readonly status: 'starting' | 'running' | 'start_failed' | 'failed' | 'ended';
  readonly lastError?: string;
  /** Set when ops resumed a failed lifecycle: the execution that failed, and why. */
  readonly resumedFrom?: string;
  readonly resumedAfter?: string;
  /** A forced resume (the record said running): start only once `resumedFrom` is confirmed not running. */
  readonly confirmStopped?: boolean;
}

export interface TasksSummary {
  readonly open: number;
  readonly overdue: number;
  readonly nextDue: string | null;
}

export interface Progress {
  readonly constructionPct: number;
  readonly equipmentPct: number;
  readonly reportedOn: string;
  readonly note?: string;
}

export interface QuarterFigures {
  readonly outputValueCny: number;
  readonly taxCny: number;
  readonly jobs: number;
}

/** A recorded contract amendment 合同变更 (after admission): what changed, why, and how the project was re-classified. */
export interface ContractAmendment {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly byName: string;
  readonly reason: string;
  readonly changes: Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;
  readonly classification: {
    readonly before: { readonly category: Category; readonly reason: string };
    readonly after: { readonly category: Category; readonly reason: string };
  };
}

export interface Project extends ProjectInput {
  readonly id: string;
  readonly category: Category;
  readonly categoryReason: string;
  readonly dedicatedTeam: DedicatedTeam | null;
  readonly stage: Stage;
  readonly status: Status;
  readonly light: Light;
  readonly escalation: Escalation;
  readonly admission: { readonly required: readonly Role[]; readonly decisions: readonly AdmissionDecision[] };
  readonly matrixVersion: number | null;
  readonly workflow: WorkflowRef | null;
  readonly tasksSummary?: TasksSummary;
  /** CONSTRUCTION: the latest progress report 建设推进 and whether the site is stalled 施工停滞. */
  readonly progress?: Progress;
  readonly stalled?: boolean;
  /** OPERATION: quarterly figures 达产达效 by quarter ("2027Q1"). */
  readonly production?: Readonly<Record<string, QuarterFigures>>;
  /** Contract amendments since admission (each is a record of its own; the timeline shows them). */
  readonly amendmentCount?: number;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

const CATEGORY_ZH: Record<Category, string> = { major: '重大项目', standard: '一般项目', small: '小型项目' };
const yi = (cny: number) => `${(cny / 100_000_000).toLocaleString('en-US', { maximumFractionDigits: 2 })}亿元`;

/** Classification by size, industry, tech level and chain relevance, with the reason a zone official can read. */
export function classify(
  input: Pick<ProjectInput, 'totalInvestmentCny' | 'industry' | 'techLevel' | 'chainRole'>,
  cfg: ClassificationConfig,
): { category: Category; reason: string } {
  const total = input.totalInvestmentCny;
  const industryKind = LEADING_INDUSTRIES.includes(input.industry)
    ? '主导产业'
    : POTENTIAL_INDUSTRIES.includes(input.industry)
      ? '潜力产业'
      : '其他产业';
  const facts = `${industryKind}(${input.industry}), 技术层级 ${input.techLevel}, 产业链 ${input.chainRole}`;
  if (total >= cfg.majorMinCny) {
    return { category: 'major', reason: `总投资${yi(total)} ≥ ${yi(cfg.majorMinCny)}: ${CATEGORY_ZH.major}; ${facts}` };
  }
  if (total >= cfg.standardMinCny) {
    return { category: 'standard', reason: `总投资${yi(total)} ≥ ${yi(cfg.standardMinCny)}: ${CATEGORY_ZH.standard}; ${facts}` };
  }
  const up = cfg.priorityUpgrade;
  if (
    up.enabled &&
    up.industries.includes(input.industry) &&
    (up.techLevels.includes(input.techLevel) || up.chainRoles.includes(input.chainRole))
  ) {
    return {
      category: 'standard',
      reason: `总投资${yi(total)} < ${yi(cfg.standardMinCny)}, 但属重点产业且技术领先或补链强链: 按${CATEGORY_ZH.standard}研判; ${facts}`,
    };
  }
  return { category: 'small', reason: `总投资${yi(total)} < ${yi(cfg.standardMinCny)}: ${CATEGORY_ZH.small}; ${facts}` };
}

export function admissionDeciders(track: Track, category: Category): Role[] {
  return category === 'major' ? [TRACK_DEPARTMENT[track], 'committee_leader'] : [TRACK_DEPARTMENT[track]];
}

function dedicatedTeamFor(category: Category, owner: Role, at: string): DedicatedTeam | null {
  return category === 'major' ? { kind: 'leader', lead: 'committee_leader', members: [owner, 'park_center', 'resources_bureau', 'approval_office'], formedAt: at } : null;
}

export function createProject(
  input: ProjectInput,
  by: Principal,
  cfg: ClassificationConfig,
  ids: { id: string; now: Date },
): Project {
  const owner = TRACK_DEPARTMENT[input.track];
  if (!hasRole(by, owner)) throw new Forbidden(`Only ${owner} creates ${input.track} projects`);
  const at = ids.now.toISOString();
  const { category, reason } = classify(input, cfg);
  return {
    ...input,
    id: ids.id,
    category,
    categoryReason: reason,
    dedicatedTeam: dedicatedTeamFor(category, owner, at),
    stage: 'SIGNING',
    status: 'PENDING_ADMISSION',
    light: 'green',
    escalation: { level: 0, name: 'NONE', since: null },
    admission: { required: admissionDeciders(input.track, category), decisions: [] },
    matrixVersion: null,
    workflow: null,
    version: 1,
    createdAt: at,
    createdBy: by.sub,
    updatedAt: at,
  };
}

export function assertVersion(project: Project, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== project.version) {
    throw new PreconditionFailed(`Project ${project.id} is at version ${project.version}, not ${ifMatch}`);
  }
}

/**
 * Records one admission decision. A rejection by any required decider rejects the project; once every required
 * decider approved, the project becomes ACTIVE and its lifecycle starts (`started: true`).
 */
export function decideAdmission(
  project: Project,
  by: Principal,
  decision: { decision: 'approve' | 'reject'; reason?: string },
  now: Date,
): { project: Project; started: boolean } {
  if (project.status !== 'PENDING_ADMISSION') {
    throw new Conflict(`Admission of ${project.id} is already decided (status ${project.status})`);
  }
  const pending = project.admission.required.filter((r) => !project.admission.decisions.some((d) => d.role === r));
  const role = pending.find((r) => hasRole(by, r));
  if (!role) {
    const decided = project.admission.required.some((r) => hasRole(by, r));
    if (decided) throw new Conflict(`Your department already decided the admission of ${project.id}`);
    throw new Forbidden(`Admission of this project is decided by: ${project.admission.required.join(', ')}`);
  }
  const at = now.toISOString();
  const decisions = [...project.admission.decisions, { role, by: by.sub, decision: decision.decision, reason: decision.reason, at }];
  const approvedAll = project.admission.required.every((r) => decisions.some((d) => d.role === r && d.decision === 'approve'));
  const status: Status = decision.decision === 'reject' ? 'REJECTED' : approvedAll ? 'ACTIVE' : 'PENDING_ADMISSION';
  return {
    project: { ...project, admission: { ...project.admission, decisions }, status, updatedAt: at, version: project.version + 1 },
    started: status === 'ACTIVE',
  };
}

/** The fields classification 分类研判 reads: changing one re-classifies the project. */
export const CLASSIFICATION_FIELDS = ['industry', 'techLevel', 'chainRole', 'totalInvestmentCny'] as const;
/** The contract's terms: after admission they change only through a recorded amendment (committee leader). */
export const CONTRACT_FIELDS = [...CLASSIFICATION_FIELDS, 'targets'] as const;
type ContractField = (typeof CONTRACT_FIELDS)[number];

/** Fields an owning department may edit (PATCH); everything else is set by the mechanism. */
export interface ProjectPatch {
  readonly name?: string;
  readonly investor?: { readonly name: string };
  readonly industry?: Industry;
  readonly attractionMode?: string;
  readonly techLevel?: string;
  readonly chainRole?: string;
  readonly totalInvestmentCny?: number;
  readonly targets?: Targets;
  readonly needs?: Needs;
}

const changed = (project: Project, patch: Partial<Record<ContractField, unknown>>, fields: readonly ContractField[]) =>
  fields.filter((f) => patch[f] !== undefined && !sameValue(patch[f], project[f]));

/**
 * Re-classifies a project whose classification inputs changed. Before admission the decisions taken so far are void
 * (the deciders may change with the category); a project that becomes major gets its 专班 (a team once formed stays).
 */
function reclassified(project: Project, next: Project, cfg: ClassificationConfig, at: string, voidDecisions: boolean): Project {
  const { category, reason } = classify(next, cfg);
  const owner = TRACK_DEPARTMENT[project.track];
  return {
    ...next,
    category,
    categoryReason: reason,
    // Before admission the team follows the category; after it, a team once formed stays with the project.
    dedicatedTeam: voidDecisions
      ? category === 'major' ? (project.dedicatedTeam ?? dedicatedTeamFor(category, owner, at)) : null
      : (project.dedicatedTeam ?? dedicatedTeamFor(category, owner, at)),
    admission: voidDecisions ? { required: admissionDeciders(project.track, category), decisions: [] } : next.admission,
  };
}

/**
 * PATCH: the owning department edits the project. Before admission a change of a classification field re-classifies
 * it (category, reason, required admissions; earlier admission decisions void). After admission the contract's terms
 * (classification fields and targets) are locked: 409, and the change goes through POST /projects/{id}/amendments.
 */
export function patchProject(project: Project, by: Principal, patch: ProjectPatch, now: Date, cfg: ClassificationConfig): Project {
  const owner = TRACK_DEPARTMENT[project.track];
  if (!hasRole(by, owner)) throw new Forbidden(`Only ${owner} edits ${project.track} projects`);
  if (project.status === 'EXITED' || project.status === 'REJECTED') {
    throw new Conflict(`Project ${project.id} is ${project.status} and can no longer be edited`);
  }
  const at = now.toISOString();
  const contract = changed(project, patch, CONTRACT_FIELDS);
  if (project.status !== 'PENDING_ADMISSION' && contract.length) {
    throw new Conflict(
      `After admission the contract's terms (${contract.join(', ')}) change only by a recorded contract amendment: POST /projects/${project.id}/amendments (committee_leader)`,
      contract.map((f) => ({ path: f, message: 'locked after admission: use a contract amendment' })),
    );
  }
  const { investor, ...rest } = patch;
  const next: Project = {
    ...project,
    ...rest,
    investor: investor ? { ...project.investor, name: investor.name } : project.investor,
    updatedAt: at,
    version: project.version + 1,
  };
  const reclassify = changed(project, patch, CLASSIFICATION_FIELDS).length > 0;
  return reclassify ? reclassified(project, next, cfg, at, true) : next;
}

export interface AmendmentInput {
  readonly reason: string;
  readonly changes: Partial<Pick<Project, ContractField>>;
}

/**
 * A contract amendment 合同变更 after admission, decided by the committee leader with its reason: the terms change,
 * the project is re-classified (a project that becomes major gets its 专班), and the amendment is kept on the project.
 */
export function amendContract(project: Project, by: Principal, input: AmendmentInput, now: Date, cfg: ClassificationConfig, id: string): { project: Project; amendment: ContractAmendment } {
  if (!hasRole(by, 'committee_leader')) throw new Forbidden('A contract amendment is decided by the committee leader');
  if (project.status === 'PENDING_ADMISSION') {
    throw new Conflict(`Project ${project.id} is not admitted yet: its terms are edited with PATCH /projects/${project.id}`);
  }
  if (project.status !== 'ACTIVE') throw new Conflict(`Project ${project.id} is ${project.status}: its contract is closed`);
  const fields = changed(project, input.changes, CONTRACT_FIELDS);
  if (fields.length === 0) throw new ValidationFailed('The amendment changes nothing', [{ path: 'changes', message: 'name at least one term with a new value' }]);
  const at = now.toISOString();
  const terms: Project = { ...project, ...Object.fromEntries(fields.map((f) => [f, input.changes[f]])), updatedAt: at, version: project.version + 1 };
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

/** Field-level before/after of a change, for the audit log (only changed top-level fields). */
export function diff(before: object | null, after: object | null): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === 'updatedAt' || key === 'version') continue;
    if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) {
      if (key in b) out.before[key] = b[key];
      if (key in a) out.after[key] = a[key];
    }
  }
  return out;
}

export function newProjectId(now: Date, random: () => number = Math.random): string {
  const rand = Array.from({ length: 6 }, () => Math.floor(random() * 36).toString(36)).join('');
  return `prj-${now.getTime().toString(36)}-${rand}`;
}


/**
 * 达产 rule: the last four reported quarters reach `share` of the contract's yearly output value and tax, and the
 * latest quarter's jobs reach `share` of the jobs target. A project without targets never meets them automatically.
 */
export function targetsMet(p: Pick<Project, 'targets' | 'production'>, share: number): boolean {
  const t = p.targets;
  const reported = Object.keys(p.production ?? {}).sort();
  const latest = reported.at(-1);
  if (!t || !latest || (t.outputValueCny === undefined && t.taxCny === undefined && t.jobs === undefined)) return false;
  // A year of figures: the latest quarter and the three before it, all reported.
  const quarters = [3, 2, 1, 0].map((back) => shiftQuarter(latest, -back));
  if (!quarters.every((q) => reported.includes(q))) return false;
  const figures = quarters.map((q) => p.production![q]!);
  const sum = (k: 'outputValueCny' | 'taxCny') => figures.reduce((a, f) => a + f[k], 0);
  const latestJobs = figures.at(-1)!.jobs;
  return (
    (t.outputValueCny === undefined || sum('outputValueCny') >= t.outputValueCny * share) &&
    (t.taxCny === undefined || sum('taxCny') >= t.taxCny * share) &&
    (t.jobs === undefined || latestJobs >= t.jobs * share)
  );
}

/** "2027Q1" shifted by n quarters. */
export function shiftQuarter(quarter: string, n: number): string {
  const index = Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(5)) - 1 + n;
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
