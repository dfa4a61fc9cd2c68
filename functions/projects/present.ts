// The API representations of a project (api.md field names, zh-CN labels for portals): the staff view, and the
// investing enterprise's own view with an explicit field list — no classification reasons, admission decisions,
// staff ids, approval comments or workflow internals.
import { STAGE_LABELS } from '#kernel/domain/codes.ts';
import { areaMu } from '#kernel/domain/values.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import { figures, type Project } from '#projects/domain/project.ts';
import { currentMeeting, gateComplete, type Gate, type GateApproval } from '#lifecycle/domain/gate.ts';
import { seesEnterpriseView } from '#kernel/domain/principal.ts';
import { rungDays } from '#supervision/domain/escalation.ts';

const muOf = (m2: number | undefined) => (m2 === undefined ? undefined : areaMu(m2));

const needsOf = (p: Project) => {
  const needs = figures(p.needs);
  return needs ? { ...needs, areaMu: muOf(needs.areaM2) } : null;
};

/**
 * The staff view of a project. Its current gate 转段 is not part of it: GET /projects/{id} adds it (`gate`: null until
 * the stage is entered); lists and write answers leave it out rather than show a gate that exists as null.
 */
/** The task counts as read (the gate's waiting tasks it also keeps are said by GET /projects/{id} in `gate.needs`). */
/** The day each rung of this climb began; a ladder raised before they were kept: its current rung's day (`since`). */
const tasksSummaryView = (p: Project) => ({ open: p.tasksSummary?.open ?? 0, overdue: p.tasksSummary?.overdue ?? 0, nextDue: p.tasksSummary?.nextDue ?? null });

export function presentProject(p: Project) {
  return {
    id: p.id,
    name: p.name,
    investor: p.investor,
    track: p.track,
    industry: p.industry,
    attractionMode: p.attractionMode,
    totalInvestmentCny: p.totalInvestmentCny,
    techLevel: p.techLevel,
    chainRole: p.chainRole,
    park: p.park,
    siteMode: p.siteMode,
    targets: figures(p.targets),
    needs: needsOf(p),
    category: p.category,
    categoryReason: p.categoryReason,
    categoryReasonEn: p.categoryReasonEn ?? null,
    dedicatedTeam: p.dedicatedTeam,
    stage: p.stage,
    stageLabel: STAGE_LABELS[p.stage].zh,
    status: p.status,
    light: p.light,
    // Every field in every state (a project never escalated was stored without trigger and next).
    escalation: { trigger: null, next: null, ...p.escalation, rungsSince: rungDays(p.escalation) },
    admission: p.admission,
    matrixVersion: p.matrixVersion,
    tasksSummary: tasksSummaryView(p),
    progress: p.progress ?? null,
    stalled: p.stalled ?? false,
    production: p.production ?? null,
    amendmentCount: p.amendmentCount ?? 0,
    reservations: p.reservations ?? [],
    fundAllocations: p.fundAllocations ?? [],
    plannedCompletion: p.plannedCompletion ?? null,
    exit: p.exit ? presentExit(p.exit) : null,
    workflow: p.workflow
      ? { executionName: p.workflow.executionName, segment: p.workflow.segment, status: p.workflow.status, lastError: p.workflow.lastError ?? null, resumedFrom: p.workflow.resumedFrom ?? null }
      : null,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The exit procedure 退出程序 as staff see it (the execution name is what an operator redrives). */
export function presentExit(e: NonNullable<Project['exit']>) {
  const { status, execution, decidedBy, decidedAt, reason, complianceCheck, steps, released, letter, failure, redrives } = e;
  return { status, execution, decidedBy, decidedAt, reason, complianceCheck, steps, released, letter, failure, redrives };
}

/** A gate round's meeting record as staff read it: when, who attended, what was decided and agreed, amendments made. */
function presentMeeting(m: ReturnType<typeof currentMeeting>) {
  if (!m) return null;
  const { heldOn, attendees, decisions, followUps, recordedAt, recordedRole } = m;
  return { heldOn, attendees, decisions, followUps: followUps.map(({ item, itemEn, owner, dueDate }) => ({ item, ...(itemEn ? { itemEn } : {}), owner, dueDate })), recordedAt, recordedRole: recordedRole ?? null, amendmentCount: m.amendmentCount ?? 0 };
}

/** The staff view of the current gate: approvals so far (with who and why), meeting, due date. */
export function presentGate(gate: Gate, approvals: readonly GateApproval[]) {
  return {
    stage: gate.stage,
    name: gate.name.zh,
    nameEn: gate.name.en,
    open: gate.open,
    requiredApprovals: gate.requiredApprovals,
    approvals: approvals.filter((a) => a.round === gate.round).map(({ role, by, decision, at, comment }) => ({ role, by, decision, at, comment })),
    meetingRequired: gate.meetingRequired,
    /** This round's meeting (a rejection starts a round that needs its own). */
    meetingRecorded: currentMeeting(gate) !== null,
    /** What this round's meeting recorded, as amended so far (null: none yet) — read by those who approve after it. */
    meeting: presentMeeting(currentMeeting(gate)),
    /**
     * Every decision of this round is in. An open gate that says so waits for nothing from its approvers: at the last
     * gate (达产) it is held for the project's open obligations and follow-ups (GET /projects/{id} names them,
     * `heldFor`), then passes.
     */
    // (A gate record the workflow could not read — a bug ops are fixing — still shows, undecided.)
    decided: Array.isArray(gate.requiredApprovals) && gateComplete(gate, approvals),
    dueDate: gate.dueDate,
    calendarProvisional: gate.calendarProvisional ?? false,
    round: gate.round,
    /**
     * Why this round began (a rejection ends its round): the previous round's rejections, with who and why, so the gate
     * view says what the new round answers — not only the timeline. Null in round 1.
     */
    previousRound:
      gate.round > 1
        ? { round: gate.round - 1, rejections: approvals.filter((a) => a.round === gate.round - 1 && a.decision === 'reject').map(({ role, by, at, comment }) => ({ role, by, at, comment })) }
        : null,
  };
}

/** What the investing enterprise sees of its own project: where it stands, what is due, its figures. */
export function presentProjectToEnterprise(p: Project, gate?: Gate | null) {
  return {
    id: p.id,
    name: p.name,
    investor: p.investor,
    track: p.track,
    industry: p.industry,
    totalInvestmentCny: p.totalInvestmentCny,
    park: p.park,
    siteMode: p.siteMode,
    targets: figures(p.targets),
    needs: needsOf(p),
    stage: p.stage,
    stageLabel: STAGE_LABELS[p.stage].zh,
    status: p.status,
    light: p.light,
    escalation: { level: p.escalation.level, name: p.escalation.name, since: p.escalation.since },
    // Read by GET /projects/{id} only (`gate` undefined: not read — a list leaves it out, as the staff view does).
    ...(gate === undefined ? {} : { gate: gate ? { stage: gate.stage, name: gate.name.zh, nameEn: gate.name.en, open: gate.open, dueDate: gate.dueDate, passed: gate.passedAt !== null } : null }),
    tasksSummary: tasksSummaryView(p),
    progress: p.progress ? { constructionPct: p.progress.constructionPct, equipmentPct: p.progress.equipmentPct, reportedOn: p.progress.reportedOn } : null,
    stalled: p.stalled ?? false,
    production: p.production ?? null,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The project as this caller may see it (without the gate: GET /projects/{id} adds it). */
export function presentProjectFor(viewer: Principal, p: Project) {
  return seesEnterpriseView(viewer, p) ? presentProjectToEnterprise(p) : presentProject(p);
}
