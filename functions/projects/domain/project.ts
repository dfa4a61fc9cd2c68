// The project aggregate 项目: its record, creation (classified at once, admission pending) and the version it is at.
import { nextVersion } from '#kernel/domain/version.ts';
import {
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
import { Conflict, Forbidden, PreconditionFailed, type FieldError } from '#kernel/domain/errors.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import type { HeldReservation } from '#inventory/domain/reservation.ts';
import type { HeldAllocation } from '#inventory/domain/fund.ts';
import type { EscalationState } from '#supervision/domain/escalation.ts';
import type { ExitRecord } from '#supervision/domain/exit.ts';
import { admissionDeciders, classify, dedicatedTeamFor } from './classification.ts';

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

/** The escalation ladder's state on the project (supervision/domain/escalation.ts). */
export type Escalation = EscalationState;

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

/** A task of the current stage its gate 转段 waits for (required, not done yet), with its names. */
export interface GateWait {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
}

export interface TasksSummary {
  readonly open: number;
  readonly overdue: number;
  readonly nextDue: string | null;
  /** The current stage's tasks its gate waits for (absent on a summary recorded before it was kept). */
  readonly gateWaits?: readonly GateWait[];
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
  /** The reason in English (absent on projects classified before it was kept). */
  readonly categoryReasonEn?: string;
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
  /** Resources the project holds (reservations not released; each is a record of its own). */
  readonly reservations?: readonly HeldReservation[];
  /** Pre-work fund allocations not released. */
  readonly fundAllocations?: readonly HeldAllocation[];
  /** 计划竣工: the planned completion date, recorded at the groundbreaking gate's meeting, moved only by an extension (逾期竣工 past it). */
  readonly plannedCompletion?: string | null;
  /** Ops loaded or corrected a year of the calendar since the last review: its next review recomputes every open date. */
  readonly datesToRecompute?: boolean;
  /** The exit procedure 退出程序, once the committee leader decided it (supervision/domain/exit.ts). */
  readonly exit?: ExitRecord;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

export function createProject(
  input: ProjectInput,
  by: Principal,
  cfg: ClassificationConfig,
  ids: { id: string; now: Date },
): Project {
  const owner = TRACK_DEPARTMENT[input.track];
  if (!hasRole(by, owner)) throw new Forbidden(`Only ${owner} creates ${input.track} projects`, [{ path: 'track', code: 'not_allowed', message: `${input.track} projects are registered by ${owner}` }]);
  const at = ids.now.toISOString();
  const { category, reason, reasonEn } = classify(input, cfg);
  return {
    ...input,
    id: ids.id,
    category,
    categoryReason: reason,
    categoryReasonEn: reasonEn,
    dedicatedTeam: dedicatedTeamFor(category, owner, at),
    stage: 'SIGNING',
    status: 'PENDING_ADMISSION',
    light: 'green',
    escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null },
    admission: { required: admissionDeciders(input.track, category), decisions: [] },
    matrixVersion: null,
    workflow: null,
    version: nextVersion(undefined),
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

export function newProjectId(now: Date, random: () => number = Math.random): string {
  const rand = Array.from({ length: 6 }, () => Math.floor(random() * 36).toString(36)).join('');
  return `prj-${now.getTime().toString(36)}-${rand}`;
}

/**
 * 409 refusing a change for the state of the project the path names — its case closed (EXITED, COMPLETED, REJECTED),
 * not opened (PENDING_ADMISSION) or being exited 退出程序, a ladder round concluded, a check on record — naming `path.id`
 * with code `state` and the state in its message, as every such refusal does (a letter, a reservation, a task
 * completed), so a client tells it from a conflict with the request's own fields. `state`: "is EXITED", "being exited
 * 退出程序 (running)". `at`: the path parameter naming what is in that state when it is not the project — a gate is
 * `path.stage` (passed already, not open, decided by this role).
 */
export function projectStateConflict(detail: string, state: string, at: `path.${string}` = 'path.id'): Conflict {
  const errors: FieldError[] = [{ path: at, code: 'state', message: state }];
  return new Conflict(detail, errors);
}

/** The same 409 for a project not ACTIVE: "Project prj-1 is EXITED" unless `detail` says more. */
export const notActive = (project: { readonly id: string; readonly status: string }, detail = `Project ${project.id} is ${project.status}`): Conflict =>
  projectStateConflict(detail, `is ${project.status}`);

/**
 * 409 once the project's case is closed (EXITED, COMPLETED, REJECTED) or not opened (PENDING_ADMISSION): its work takes
 * no more changes, and the answer says why — not what the work would need were the project still running (a gate left
 * open by an exit is not "waiting for its meeting").
 */
export function assertActive(project: Pick<Project, 'id' | 'status'>, what: string): void {
  if (project.status !== 'ACTIVE') throw notActive(project, `${what}: project ${project.id} is ${project.status}`);
}

/**
 * 409 while the project's exit 退出程序 is under way (decided, not done): its work closes with it — no task completed,
 * gate decided or meeting recorded, progress or production reported, no contract amendment, extension or ladder record
 * (an interview included) — until the exit ends it. Its letters are still answered, and its descriptive fields edited.
 */
export function assertNoExitUnderway(project: Pick<Project, 'id' | 'exit'>, what: string): void {
  if (project.exit && project.exit.status !== 'done') {
    throw projectStateConflict(`${what}: project ${project.id} is being exited 退出程序 (${project.exit.status}, ${project.exit.execution})`, `being exited 退出程序 (${project.exit.status})`);
  }
}

/** A group of figures (targets, needs) with every figure removed by a merge patch reads as one never given: null. */
export const figures = <T extends object>(group: T | null | undefined): T | null => (group && Object.keys(group).length ? group : null);
