// The API representation of a project (api.md field names), with zh-CN labels for portals.
import { STAGE_LABELS } from '#domain/codes.ts';
import type { Project } from '#domain/project.ts';

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
    targets: p.targets ?? null,
    needs: p.needs ? { ...p.needs, areaMu: p.needs.areaM2 === undefined ? undefined : Math.round((p.needs.areaM2 / (10_000 / 15)) * 100) / 100 } : null,
    category: p.category,
    categoryReason: p.categoryReason,
    dedicatedTeam: p.dedicatedTeam,
    stage: p.stage,
    stageLabel: STAGE_LABELS[p.stage].zh,
    status: p.status,
    light: p.light,
    escalation: p.escalation,
    admission: p.admission,
    matrixVersion: p.matrixVersion,
    /** The current stage's gate 转段; GET /projects/{id} fills it in (null until the stage is entered). */
    gate: null as unknown,
    tasksSummary: p.tasksSummary ?? { open: 0, overdue: 0, nextDue: null },
    progress: p.progress ?? null,
    stalled: p.stalled ?? false,
    production: p.production ?? null,
    workflow: p.workflow ? { executionName: p.workflow.executionName, segment: p.workflow.segment, status: p.workflow.status } : null,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
