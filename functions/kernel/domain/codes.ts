// Codes of the mechanism 招商落地开工建设投产一体化 with their zh-CN (default) and en labels: roles, stages, statuses, classifications.

export const ROLES = [
  'committee_leader',
  'investment_dept',
  'scitech_dept',
  'resources_bureau',
  'eco_bureau',
  'park_center',
  'construction_dept',
  'approval_office',
  'soe',
  'supervision_office',
  'discipline_office',
  'enterprise',
  'ops',
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'enterprise');

/**
 * Who may be given work (a follow-up, a commitment, a rectification item): every department and the enterprise — not
 * the discipline office (read-only oversight) nor the platform's operators.
 */
export const WORK_OWNER_ROLES = ROLES.filter((r): r is Exclude<Role, 'discipline_office' | 'ops'> => r !== 'discipline_office' && r !== 'ops');

/** A code in words (`lang`) from its labels; a code the labels do not know (an older record's) as it is. */
export const inWords = <C extends string>(labels: Readonly<Record<C, { readonly zh: string; readonly en: string }>>, code: string, lang: 'zh' | 'en'): string =>
  (labels as Partial<Record<string, { zh: string; en: string }>>)[code]?.[lang] ?? code;

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  committee_leader: { zh: '管委会分管领导', en: 'Committee leader in charge' },
  investment_dept: { zh: '产业规划与创新管理部', en: 'Industrial planning & investment department' },
  scitech_dept: { zh: '科技服务中心', en: 'Sci-tech service center' },
  resources_bureau: { zh: '规划和自然资源局开发区分局', en: 'Planning & natural resources bureau' },
  eco_bureau: { zh: '生态环境局开发区分局', en: 'Ecology & environment bureau' },
  park_center: { zh: '园区事业服务中心', en: 'Park service center' },
  construction_dept: { zh: '园区建设管理部', en: 'Park construction department' },
  approval_office: { zh: '审批代办', en: 'Approval & agency office' },
  soe: { zh: '区属国企', en: 'Zone state-owned enterprise' },
  supervision_office: { zh: '督查室', en: 'Supervision office' },
  discipline_office: { zh: '纪检监察', en: 'Discipline inspection' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  ops: { zh: '平台运维', en: 'Platform operations' },
};

export const STAGES = ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION', 'PRODUCING'] as const;
/** The stages that end in a gate 转段 (PRODUCING is where the project arrives, not a stage with a gate). */
export const GATE_STAGES = ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  SIGNING: { zh: '招商签约', en: 'Signing' },
  LANDING: { zh: '落地摘地', en: 'Landing & land transfer' },
  GROUNDBREAKING: { zh: '项目开工', en: 'Groundbreaking' },
  CONSTRUCTION: { zh: '项目建设', en: 'Construction' },
  OPERATION: { zh: '投产运营', en: 'Operation' },
  PRODUCING: { zh: '达产达效', en: 'Producing at target' },
};

export function nextStage(stage: Stage): Stage | undefined {
  return STAGES[STAGES.indexOf(stage) + 1];
}

export const STATUSES = ['PENDING_ADMISSION', 'ACTIVE', 'REJECTED', 'EXITED', 'COMPLETED'] as const;
export type Status = (typeof STATUSES)[number];

export const TRACKS = ['industrial', 'scitech'] as const;
export type Track = (typeof TRACKS)[number];
/** A track as the zone names it (the console, the ledger's files). */
export const TRACK_LABELS: Record<Track, { zh: string; en: string }> = {
  industrial: { zh: '产业项目', en: 'Industrial' },
  scitech: { zh: '科创项目', en: 'Sci-tech' },
};

/** The department that owns a track's projects (creates, classifies, decides admission). */
export const TRACK_DEPARTMENT: Record<Track, Role> = { industrial: 'investment_dept', scitech: 'scitech_dept' };

export const INDUSTRIES = ['nev', 'equipment', 'infotech', 'biomedicine', 'medical_devices', 'other'] as const;
export type Industry = (typeof INDUSTRIES)[number];
/** 主导产业 leading industries and 潜力产业 potential industries of the zone. */
export const LEADING_INDUSTRIES: readonly Industry[] = ['nev', 'equipment', 'infotech'];
export const POTENTIAL_INDUSTRIES: readonly Industry[] = ['biomedicine', 'medical_devices'];

export const INDUSTRY_LABELS: Record<Industry, { zh: string; en: string }> = {
  nev: { zh: '新能源汽车', en: 'New-energy vehicles' },
  equipment: { zh: '装备制造', en: 'Equipment manufacturing' },
  infotech: { zh: '信息创新', en: 'Information innovation' },
  biomedicine: { zh: '生物医药', en: 'Biomedicine' },
  medical_devices: { zh: '医疗器械', en: 'Medical devices' },
  other: { zh: '其他', en: 'Other' },
};

export const ATTRACTION_MODES = ['leader', 'chain', 'business', 'fund', 'market'] as const;
export const TECH_LEVELS = ['leading', 'advanced', 'standard'] as const;
export type TechLevel = (typeof TECH_LEVELS)[number];
export const TECH_LEVEL_LABELS: Record<TechLevel, { zh: string; en: string }> = {
  leading: { zh: '国际/国内领先', en: 'Leading' },
  advanced: { zh: '先进', en: 'Advanced' },
  standard: { zh: '一般', en: 'Standard' },
};
export const CHAIN_ROLES = ['extend', 'fill', 'strengthen', 'none'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];
export const CHAIN_ROLE_LABELS: Record<ChainRole, { zh: string; en: string }> = {
  extend: { zh: '延链', en: 'Extends the chain' },
  fill: { zh: '补链', en: 'Fills a gap' },
  strengthen: { zh: '强链', en: 'Strengthens' },
  none: { zh: '无', en: 'None' },
};
export const SITE_MODES = ['land', 'lease'] as const;
export type SiteMode = (typeof SITE_MODES)[number];

export const CATEGORIES = ['major', 'standard', 'small'] as const;
export type Category = (typeof CATEGORIES)[number];
/** A category as the zone names it (the classification's reason, the console, the ledger's files). */
export const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  major: { zh: '重大项目', en: 'Major' },
  standard: { zh: '一般项目', en: 'Standard' },
  small: { zh: '小型项目', en: 'Small' },
};

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];

export const ESCALATION_LEVELS = [
  'NONE',
  'URGING_LETTER',
  'INTERVIEW',
  'JOINT_ASSESSMENT',
  'COMPLIANCE_CHECK',
  'EXIT_PENDING',
] as const;
export type EscalationName = (typeof ESCALATION_LEVELS)[number];

/**
 * The ladder's rungs in words (and the exit decision taken at its top): the console's pages and the ledger export name
 * them so, each with its level as rung-words.ts writes it (L2：约谈企业).
 */
export const ESCALATION_LABELS: Record<EscalationName | 'EXIT_DECISION', { zh: string; en: string }> = {
  NONE: { zh: '无', en: 'None' },
  URGING_LETTER: { zh: '发函督促', en: 'Urging letter' },
  INTERVIEW: { zh: '约谈企业', en: 'Interview' },
  JOINT_ASSESSMENT: { zh: '联合研判', en: 'Joint assessment' },
  COMPLIANCE_CHECK: { zh: '履约核查', en: 'Compliance check' },
  EXIT_PENDING: { zh: '退出程序', en: 'Exit pending' },
  EXIT_DECISION: { zh: '退出决定', en: 'Exit decision' },
};

/** The zone's configuration documents (GET/PUT /config/{name}); their shapes and defaults are in reference/domain/config.ts. */
export const CONFIG_NAMES = ['matrix', 'escalation', 'lights', 'classification', 'recurring', 'limits', 'inventory', 'funds', 'letters', 'parks'] as const;
