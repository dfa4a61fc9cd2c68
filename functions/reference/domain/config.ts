// Zone configuration with its defaults from domain.md: responsibility matrix 责任矩阵, gates 转段, escalation ladder,
// lights, classification thresholds, recurring work. Stored versioned in DynamoDB; these values only seed it.
import { ESCALATION_LEVELS, GATE_STAGES, WORK_OWNER_ROLES, type CONFIG_NAMES, type Role, type SiteMode, type Stage } from '#kernel/domain/codes.ts';
import { repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { assertPinned, nextVersion } from '#kernel/domain/version.ts';
import { sameValue } from '#kernel/domain/values.ts';
import { DEFAULT_INVENTORY_CONFIG, type InventoryConfig } from '#inventory/domain/period.ts';
import { DEFAULT_FUNDS_CONFIG, type FundsConfig } from '#inventory/domain/fund.ts';
import { DEFAULT_LETTERS_CONFIG, EXIT_SERIES, sharedNumber, type LettersConfig } from '#supervision/domain/letter.ts';
import { DEFAULT_PARKS_CONFIG, parksErrors, type ParksConfig } from './parks.ts';

/** A department reference in the matrix: a role code, or `track_dept` = the project's track department. */
export type DeptRef = Role | 'track_dept';

export interface MatrixTask {
  readonly code: string;
  readonly stage: Stage;
  readonly name: { readonly zh: string; readonly en: string };
  readonly lead: DeptRef;
  readonly cooperating: readonly DeptRef[];
  /** 经办人: the handler's post; the department assigns the person. */
  readonly handler: string;
  /** 工作标准 */
  readonly standard: string;
  /** Time limit in working days; null = per contract or recurring. */
  readonly limitWd: number | null;
  readonly siteModes: readonly SiteMode[];
  /** Codes of tasks of the same stage that must be done before this one starts. */
  readonly after: readonly string[];
  readonly requiredForGate: boolean;
  readonly recurringEveryWd?: number;
}

export interface GateDef {
  readonly stage: Stage;
  readonly name: { readonly zh: string; readonly en: string };
  /** Parallel approval 并联审批: every listed department approves, in any order. */
  readonly approvers: readonly DeptRef[];
  readonly meetingRequired: boolean;
  /** Working days from the gate opening to the decision. */
  readonly limitWd: number;
}

export interface Matrix {
  readonly tasks: readonly MatrixTask[];
  readonly gates: readonly GateDef[];
}

export interface EscalationRung {
  readonly level: number;
  readonly code: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly responseWd: number;
  readonly owner: Role;
}

export interface EscalationConfig {
  readonly rungs: readonly EscalationRung[];
  /** Overdue items within the window that put a department on the supervision notice list 通报提醒. */
  readonly departmentNoticeThreshold: number;
  readonly departmentNoticeWindowWd: number;
  /** Working days an item may be overdue before the ladder starts (supervision/domain/escalation.ts). @default 5 */
  readonly graceWd?: number;
  /** The departments whose parallel decisions make the L3 joint assessment 联合研判 (supervision/domain/assessment.ts). */
  readonly assessmentDepartments?: readonly Role[];
  /**
   * Whose overdue tasks raise the project's ladder. `all` (the default, domain.md §4: "overdue task or 容缺
   * obligation"): every task, whoever leads it. `enterprise`: only the work the investor owes — the tasks it leads
   * (开工 未按期开工, 设备调试, a meeting's follow-up it was given) and every 容缺 obligation (a missing document is the
   * applicant's) — as the mechanism's article aims the ladder at the enterprise's 未按期开工/施工停滞/逾期竣工; a
   * department's overdue task then has its red light, its department's reminder and the 通报提醒 list, not a letter to
   * the enterprise. A stalled site, an overdue completion and an enterprise's unanswered letter count either way.
   * @default 'all'
   */
  readonly ladderTasks?: LadderTasks;
}

/** `config/escalation`'s `ladderTasks`: whose overdue tasks raise a project's ladder. */
export const LADDER_TASKS = ['all', 'enterprise'] as const;
export type LadderTasks = (typeof LADDER_TASKS)[number];

export interface LightsConfig {
  /** Yellow light 黄灯 this many working days before the due date; red 红灯 when overdue. */
  readonly yellowBeforeWd: number;
}

export interface ClassificationConfig {
  /** 重大项目: total investment ≥ this (CNY yuan). */
  readonly majorMinCny: number;
  /** standard ≥ this, else small. */
  readonly standardMinCny: number;
  /** A small project in one of these industries with one of these tech levels or chain roles is treated as standard. */
  readonly priorityUpgrade: {
    readonly enabled: boolean;
    readonly industries: readonly string[];
    readonly techLevels: readonly string[];
    readonly chainRoles: readonly string[];
  };
}

export interface RecurringConfig {
  /** 施工停滞: no progress reported for this many working days. */
  readonly stalledAfterWd: number;
  /** Share of each contract target the quarterly figures must reach for PRODUCING 达产. */
  readonly producingTargetShare: number;
  /** Segment length limit in calendar days (Step Functions executions die after one year). */
  readonly segmentMaxDays: number;
  /** Wake-ups per segment (~15 history events each) before a fresh segment: keeps executions far below 25,000 events. */
  readonly segmentMaxWakeUps: number;
}

/** What users may add to a project: bounded, so no user action can grow a write set without limit. */
export interface LimitsConfig {
  /** 容缺办理: a missing document is due at the latest this many working days after the completion. */
  readonly deficiencyWindowWd: number;
  /** Open meeting follow-ups and 容缺 obligations one project may carry at once (each is a timed task). */
  readonly openItemsPerProject: number;
}

export interface ConfigDocs {
  matrix: Matrix;
  escalation: EscalationConfig;
  lights: LightsConfig;
  classification: ClassificationConfig;
  recurring: RecurringConfig;
  limits: LimitsConfig;
  /** Resource inventories: owners and refresh cycle per kind, task links and gate needs (inventory/domain/period.ts). */
  inventory: InventoryConfig;
  /** The pre-work fund's yearly buckets (inventory/domain/fund.ts). */
  funds: FundsConfig;
  /** Formal letters: numbering series and 即时函告 (supervision/domain/letter.ts). */
  letters: LettersConfig;
  /** The zone's parks 园区: a project or inventory record names one of them (reference/domain/parks.ts). */
  parks: ParksConfig;
}
export type ConfigName = keyof ConfigDocs;
export { CONFIG_NAMES } from '#kernel/domain/codes.ts';
/** Compile-time: every configuration document has its name in CONFIG_NAMES and the other way round. */
export type ConfigNamesComplete = [Exclude<ConfigName, (typeof CONFIG_NAMES)[number]>, Exclude<(typeof CONFIG_NAMES)[number], ConfigName>] extends [never, never] ? true : never;
const _complete: ConfigNamesComplete = true;
void _complete;

// Stryker disable all: the default responsibility matrix and configuration are data (domain.md), not rules.
const both: readonly SiteMode[] = ['land', 'lease'];
const task = (t: Omit<MatrixTask, 'cooperating' | 'after' | 'requiredForGate' | 'siteModes'> & Partial<MatrixTask>) =>
  ({ cooperating: [], after: [], requiredForGate: true, siteModes: both, ...t }) as MatrixTask;

export const DEFAULT_MATRIX: Matrix = {
  tasks: [
    task({ code: 'pre_site_selection', stage: 'SIGNING', name: { zh: '预选址', en: 'Pre-site selection' }, lead: 'track_dept', cooperating: ['park_center'], handler: '招商专员', standard: '提出预选址方案并经园区确认', limitWd: 5 }),
    task({ code: 'planning_conditions', stage: 'SIGNING', name: { zh: '规划设计条件', en: 'Planning & design conditions' }, lead: 'resources_bureau', handler: '规划科经办人', standard: '出具规划设计条件', limitWd: 10, after: ['pre_site_selection'] }),
    task({ code: 'land_list', stage: 'SIGNING', name: { zh: '土地清单/配套完善', en: 'Land list & supporting works' }, lead: 'construction_dept', cooperating: ['resources_bureau'], handler: '建设管理部经办人', standard: '完成进地清单作业与配套，达到标准地条件', limitWd: 20, after: ['pre_site_selection'], siteModes: ['land'] }),
    task({ code: 'project_review', stage: 'SIGNING', name: { zh: '项目审议', en: 'Project review' }, lead: 'committee_leader', cooperating: ['track_dept'], handler: '规划委员会/管委会', standard: '规划委员会或管委会会议审议通过', limitWd: 10, after: ['planning_conditions'] }),
    task({ code: 'land_listing', stage: 'SIGNING', name: { zh: '挂地', en: 'Land listing' }, lead: 'resources_bureau', handler: '土地储备经办人', standard: '完成土地挂牌', limitWd: 5, after: ['project_review'], siteModes: ['land'] }),
    task({ code: 'factory_matching', stage: 'SIGNING', name: { zh: '厂房匹配', en: 'Factory matching' }, lead: 'park_center', cooperating: ['soe'], handler: '园区服务专员', standard: '从闲置厂房库匹配并确认厂房', limitWd: 10, after: ['pre_site_selection'], siteModes: ['lease'] }),
    task({ code: 'land_transfer', stage: 'LANDING', name: { zh: '土地出让', en: 'Land transfer' }, lead: 'resources_bureau', handler: '土地出让经办人', standard: '30个工作日内完成土地出让', limitWd: 30, siteModes: ['land'] }),
    task({ code: 'eia_guidance', stage: 'LANDING', name: { zh: '环评指导', en: 'EIA guidance' }, lead: 'eco_bureau', handler: '环评指导专人', standard: '明确专人指导环评编制与报批', limitWd: 20 }),
    task({ code: 'service_team', stage: 'LANDING', name: { zh: '组建服务专班', en: 'Park service team' }, lead: 'park_center', handler: '园区负责人', standard: '组建项目服务专班并明确专员', limitWd: 3 }),
    task({ code: 'lease_signing', stage: 'LANDING', name: { zh: '厂房租赁签约', en: 'Lease signing' }, lead: 'park_center', cooperating: ['soe'], handler: '园区服务专员', standard: '签订厂房租赁合同', limitWd: 15, siteModes: ['lease'] }),
    task({ code: 'construction_permits', stage: 'GROUNDBREAKING', name: { zh: '施工手续', en: 'Construction permits' }, lead: 'approval_office', cooperating: ['resources_bureau', 'eco_bureau'], handler: '代办专员', standard: '并联办理施工手续，办结即时函告相关部门', limitWd: 20 }),
    task({ code: 'start_of_works', stage: 'GROUNDBREAKING', name: { zh: '开工', en: 'Start of works' }, lead: 'enterprise', cooperating: ['park_center'], handler: '企业项目负责人', standard: '摘地施工承诺或租赁签约后开工', limitWd: 30, after: ['construction_permits'] }),
    task({ code: 'progress_meeting', stage: 'CONSTRUCTION', name: { zh: '建设推进会', en: 'Progress meeting' }, lead: 'park_center', handler: '园区服务专员', standard: '定期召开推进会，报告建设与设备安装进度', limitWd: null, requiredForGate: false, recurringEveryWd: 10 }),
    task({ code: 'equipment_commissioning', stage: 'CONSTRUCTION', name: { zh: '设备调试', en: 'Equipment commissioning' }, lead: 'enterprise', cooperating: ['park_center'], handler: '企业项目负责人', standard: '按合同约定开始设备调试', limitWd: null }),
    task({ code: 'production_figures', stage: 'OPERATION', name: { zh: '达产达效', en: 'Production vs targets' }, lead: 'park_center', cooperating: ['enterprise'], handler: '园区服务专员', standard: '按季度报送产值、税收、就业，兑现惠企政策', limitWd: null, requiredForGate: false }),
  ],
  gates: [
    { stage: 'SIGNING', name: { zh: '落地转段会议', en: 'Landing transition meeting' }, approvers: ['committee_leader', 'track_dept', 'resources_bureau'], meetingRequired: true, limitWd: 10 },
    { stage: 'LANDING', name: { zh: '开工节点', en: 'Groundbreaking milestone' }, approvers: ['committee_leader', 'approval_office', 'park_center'], meetingRequired: false, limitWd: 10 },
    { stage: 'GROUNDBREAKING', name: { zh: '建设转段会议', en: 'Construction transition meeting' }, approvers: ['committee_leader', 'construction_dept', 'approval_office'], meetingRequired: true, limitWd: 10 },
    { stage: 'CONSTRUCTION', name: { zh: '投产转段', en: 'Production transition' }, approvers: ['committee_leader', 'park_center', 'eco_bureau'], meetingRequired: true, limitWd: 10 },
    { stage: 'OPERATION', name: { zh: '达产', en: 'Producing at target' }, approvers: ['committee_leader', 'park_center'], meetingRequired: false, limitWd: 10 },
  ],
};

export const DEFAULT_CONFIG: ConfigDocs = {
  matrix: DEFAULT_MATRIX,
  escalation: {
    rungs: [
      { level: 1, code: 'URGING_LETTER', name: { zh: '发函督促', en: 'Urging letter' }, responseWd: 5, owner: 'supervision_office' },
      { level: 2, code: 'INTERVIEW', name: { zh: '约谈企业', en: 'Interview' }, responseWd: 5, owner: 'committee_leader' },
      { level: 3, code: 'JOINT_ASSESSMENT', name: { zh: '联合研判', en: 'Joint assessment' }, responseWd: 10, owner: 'committee_leader' },
      { level: 4, code: 'COMPLIANCE_CHECK', name: { zh: '履约核查', en: 'Contract-compliance check' }, responseWd: 10, owner: 'supervision_office' },
      { level: 5, code: 'EXIT_PENDING', name: { zh: '退出程序', en: 'Exit procedure' }, responseWd: 10, owner: 'committee_leader' },
    ],
    departmentNoticeThreshold: 3,
    departmentNoticeWindowWd: 20,
    graceWd: 5,
    ladderTasks: 'all',
    assessmentDepartments: ['investment_dept', 'resources_bureau', 'construction_dept', 'park_center'],
  },
  lights: { yellowBeforeWd: 3 },
  classification: {
    majorMinCny: 1_000_000_000,
    standardMinCny: 100_000_000,
    priorityUpgrade: { enabled: true, industries: ['nev', 'equipment', 'infotech'], techLevels: ['leading'], chainRoles: ['fill', 'strengthen'] },
  },
  recurring: { stalledAfterWd: 20, producingTargetShare: 1, segmentMaxDays: 330, segmentMaxWakeUps: 150 },
  limits: { deficiencyWindowWd: 20, openItemsPerProject: 200 },
  inventory: DEFAULT_INVENTORY_CONFIG,
  funds: DEFAULT_FUNDS_CONFIG,
  letters: DEFAULT_LETTERS_CONFIG,
  parks: DEFAULT_PARKS_CONFIG,
};

// Stryker restore all

export const MAX_TASKS_PER_STAGE = 90;

/** Semantic checks the schema cannot express; returns field errors. */
export function validateMatrix(matrix: Matrix): FieldError[] {
  const errors: FieldError[] = [];
  matrix.tasks.forEach((t, i) => {
    const sameStage = matrix.tasks.filter((o) => o.stage === t.stage).map((o) => o.code);
    if (matrix.tasks.findIndex((o) => o.code === t.code) !== i) errors.push({ path: `tasks[${i}].code`, code: 'duplicate', message: 'duplicate task code' });
    t.after.forEach((dep, j) => {
      if (!sameStage.includes(dep)) errors.push({ path: `tasks[${i}].after[${j}]`, code: 'unknown_ref', message: `no task ${dep} in stage ${t.stage}` });
    });
  });
  // Entering a stage writes all its tasks in one transaction (at most 100 items with the entry, gate and audit).
  for (const stage of new Set(matrix.tasks.map((t) => t.stage))) {
    const count = matrix.tasks.filter((t) => t.stage === stage).length;
    if (count > MAX_TASKS_PER_STAGE) errors.push({ path: 'tasks', code: 'too_big', message: `${stage} has ${count} tasks; at most ${MAX_TASKS_PER_STAGE} per stage` });
  }
  // A cycle in `after` means tasks that wait for each other and never start. Each cycle is told once, on each of its
  // own `after` entries (a task that only waits for one of its tasks is not part of it).
  const state = new Map<number, 'visiting' | 'done'>();
  const path: { task: number; dep: number }[] = [];
  const visit = (i: number) => {
    state.set(i, 'visiting');
    const t = matrix.tasks[i]!;
    for (const [j, dep] of t.after.entries()) {
      const k = matrix.tasks.findIndex((o) => o.code === dep && o.stage === t.stage);
      if (k < 0) continue;
      path.push({ task: i, dep: j });
      if (state.get(k) === 'visiting') {
        const cycle = path.slice(path.findIndex((e) => e.task === k));
        const names = [...cycle.map((e) => matrix.tasks[e.task]!.code), dep].join(' → ');
        for (const e of cycle) errors.push({ path: `tasks[${e.task}].after[${e.dep}]`, code: 'invalid', message: `circular: ${names} (each waits for the next)` });
      } else if (state.get(k) === undefined) visit(k);
      path.pop();
    }
    state.set(i, 'done');
  };
  matrix.tasks.forEach((_, i) => {
    if (state.get(i) === undefined) visit(i);
  });
  matrix.gates.forEach((g, i) => {
    if (matrix.gates.findIndex((o) => o.stage === g.stage) !== i) errors.push({ path: `gates[${i}].stage`, code: 'duplicate', message: 'duplicate gate' });
    // A gate is decided by the departments that do the work: not the discipline office (read-only oversight), the platform or the investor.
    g.approvers.forEach((a, j) => {
      if (!mayDecide(a)) errors.push({ path: `gates[${i}].approvers[${j}]`, code: 'not_allowed', message: `${a} does not approve a transition` });
      else if (g.approvers.indexOf(a) !== j) errors.push({ path: `gates[${i}].approvers[${j}]`, code: 'duplicate', message: `${a} is named already` });
    });
  });
  // Every stage ends in its gate 转段 (the mechanism's formal step); a stage without one would pass on a stand-in.
  for (const stage of GATE_STAGES) if (!matrix.gates.some((g) => g.stage === stage)) errors.push({ path: 'gates', code: 'required', message: `no gate for ${stage}` });
  matrix.tasks.forEach((t, i) => {
    if (!mayBeGiven(t.lead)) errors.push({ path: `tasks[${i}].lead`, code: 'not_allowed', message: `${t.lead} is not given work` });
    t.cooperating.forEach((c, j) => {
      if (!mayBeGiven(c)) errors.push({ path: `tasks[${i}].cooperating[${j}]`, code: 'not_allowed', message: `${c} is not given work` });
      else if (t.cooperating.indexOf(c) !== j) errors.push({ path: `tasks[${i}].cooperating[${j}]`, code: 'duplicate', message: `${c} is named already` });
    });
  });
  return errors;
}

/** A department the matrix may give work to (the track's department stands for one): not the oversight of discipline, nor the platform. */
const mayBeGiven = (r: string) => r === 'track_dept' || (WORK_OWNER_ROLES as readonly string[]).includes(r);
/** A department that may decide for the zone (a gate, a rung, a joint assessment): given work, and not the investor. */
const mayDecide = (r: string) => r !== 'enterprise' && mayBeGiven(r);


/**
 * The closed loop's ladder: its five rungs, each at its level (L1 urging letter … L5 exit: without all five, a stalled
 * project could never be taken to exit), each owned — and the joint assessment made — by departments of the zone
 * that do its work, not the investor, the discipline office or the platform.
 */
function escalationErrors(e: ConfigDocs['escalation']): FieldError[] {
  const errors: FieldError[] = e.rungs.flatMap((r, i) => (r.level === i + 1 ? [] : [{ path: `doc.rungs[${i}].level`, code: 'invalid', message: `must be ${i + 1}` }]));
  const codes = ESCALATION_LEVELS.slice(1);
  e.rungs.forEach((r, i) => {
    if (codes[r.level - 1] !== r.code) errors.push({ path: `doc.rungs[${i}].code`, code: 'invalid', message: `level ${r.level} is ${codes[r.level - 1]}` });
    if (!mayDecide(r.owner)) errors.push({ path: `doc.rungs[${i}].owner`, code: 'not_allowed', message: `${r.owner} does not own a rung` });
  });
  if (e.rungs.length !== codes.length) errors.push({ path: 'doc.rungs', code: 'invalid', message: `the ladder has ${codes.length} rungs, L1 ${codes[0]} to L${codes.length} ${codes.at(-1)}` });
  const assessors = e.assessmentDepartments ?? [];
  assessors.forEach((d, i) => {
    if (!mayDecide(d)) errors.push({ path: `doc.assessmentDepartments[${i}]`, code: 'not_allowed', message: `${d} does not assess` });
  });
  return [...errors, ...repeatsIn(assessors, 'doc.assessmentDepartments')];
}

/**
 * What a document's checks read beyond it and the version in force (the handler loads them for the documents that
 * name them): the matrix's task codes in force, and every series code and pattern a published letters version held.
 */
export interface ConfigRefs {
  readonly matrixTasks?: ReadonlySet<string>;
  readonly pastLetterSeries?: readonly { readonly code: string; readonly pattern: string; readonly version: number }[];
}

/**
 * Semantic checks of a configuration document the schema cannot express (field errors, paths under `doc`); `current`
 * is the document in force, for the checks that let stand what it already holds.
 */
export function configErrors(name: ConfigName, doc: ConfigDocs[ConfigName], current?: ConfigDocs[ConfigName], refs: ConfigRefs = {}): FieldError[] {
  if (name === 'matrix') return validateMatrix(doc as Matrix).map((e) => ({ ...e, path: `doc.${e.path}` }));
  if (name === 'classification') {
    const c = doc as ConfigDocs['classification'];
    if (c.standardMinCny >= c.majorMinCny) return [{ path: 'doc.standardMinCny', code: 'invalid', message: 'must be below majorMinCny' }];
  }
  if (name === 'escalation') return escalationErrors(doc as ConfigDocs['escalation']);
  if (name === 'inventory') {
    const inv = doc as InventoryConfig;
    const readers = inv.readers ?? [];
    // A link names a task of the matrix in force, or one the document in force links already (projects on an older
    // matrix still complete it): a link to no task would never take a reservation on.
    const linked = new Set(((current as InventoryConfig | undefined)?.taskLinks ?? []).map((l) => l.task));
    const unknown = (task: string) => refs.matrixTasks !== undefined && !refs.matrixTasks.has(task) && !linked.has(task);
    return [
      ...inv.taskLinks.flatMap((l, i) => (inv.taskLinks.findIndex((o) => o.task === l.task) === i ? [] : [{ path: `doc.taskLinks[${i}].task`, code: 'duplicate', message: 'duplicate task' } as const])),
      ...inv.taskLinks.flatMap((l, i) => (unknown(l.task) ? [{ path: `doc.taskLinks[${i}].task`, code: 'unknown_ref' as const, message: `no task ${l.task} in the matrix in force: the link would never move a reservation on` }] : [])),
      ...repeatsIn(readers, 'doc.readers'),
      // One need once: the same stage, site mode and kind twice asks for nothing more, and hides which entry an edit meant.
      ...inv.gateNeeds.flatMap((n, i) => (inv.gateNeeds.findIndex((o) => o.stage === n.stage && o.siteMode === n.siteMode && o.kind === n.kind) === i ? [] : [{ path: `doc.gateNeeds[${i}]`, code: 'duplicate' as const, message: `${n.stage} ${n.siteMode} ${n.kind} is listed twice` }])),
    ];
  }
  if (name === 'letters') return lettersErrors(doc as LettersConfig, current as LettersConfig | undefined, refs);
  if (name === 'parks') return parksErrors(doc as ParksConfig, current as ParksConfig | undefined).map((e) => ({ ...e, path: `doc.${e.path}` }));
  if (name === 'funds') {
    const f = doc as FundsConfig;
    return f.buckets.flatMap((b, i) => (f.buckets.findIndex((o) => o.code === b.code) === i ? [] : [{ path: `doc.buckets[${i}].code`, code: 'duplicate', message: 'duplicate bucket' }]));
  }
  return [];
}

/** The series the mechanism numbers its own letters in: the ladder's urging letter (L1) and the exit letter (L5). */
const MECHANISM_SERIES = { urging: "the escalation ladder's urging letter 督办函 (L1)", [EXIT_SERIES]: "the exit letter 退出告知函 (L5)" } as const;

/**
 * A letters document: its series (below), and its 即时函告 rules — each naming a series of the document (an own key:
 * `constructor` names none), a task of the matrix in force (or one the document in force names already: a rule that
 * never fires is refused, one kept for projects on an older matrix stands), once per task and series, and departments
 * of the zone, each once and other than the series' issuer (the enterprise has its own letters).
 */
function lettersErrors(l: LettersConfig, current: LettersConfig | undefined, refs: ConfigRefs): FieldError[] {
  const errors = letterSeriesErrors(l, current, refs);
  const named = new Set((current?.instantNotices ?? []).map((n) => n.task));
  const rules = new Set<string>();
  l.instantNotices.forEach((n, i) => {
    const path = `doc.instantNotices[${i}]`;
    const series = Object.hasOwn(l.series, n.series) ? l.series[n.series] : undefined;
    if (!series) errors.push({ path: `${path}.series`, code: 'unknown_ref', message: `no series ${n.series}` });
    else if (n.series === EXIT_SERIES) errors.push({ path: `${path}.series`, code: 'not_allowed', message: `the ${EXIT_SERIES} series numbers the exit letter 退出告知函 only: a task's notice would take an exit letter's number` });
    if (refs.matrixTasks && !refs.matrixTasks.has(n.task) && !named.has(n.task)) errors.push({ path: `${path}.task`, code: 'unknown_ref', message: `no task ${n.task} in the matrix in force: the rule would never send a letter` });
    const rule = `${n.task}\u0000${n.series}`;
    if (rules.has(rule)) errors.push({ path, code: 'duplicate', message: `a second rule for task ${n.task} in series ${n.series}: each completion would send its letters twice` });
    rules.add(rule);
    n.to.forEach((r, j) => {
      if (!mayDecide(r)) errors.push({ path: `${path}.to[${j}]`, code: 'not_allowed', message: `${r} is not a department of the zone a notice goes to` });
      else if (series && r === series.from) errors.push({ path: `${path}.to[${j}]`, code: 'invalid', message: `${r} issues the ${n.series} series: its letters are not addressed to it` });
    });
    errors.push(...repeatsIn(n.to, `${path}.to`));
  });
  return errors;
}

/**
 * A letter number 文号 names one letter: each series counts from 1 every year (its counter is the series' and the
 * year's), so its pattern must hold the year, and no two series may share a pattern or give one number from two
 * patterns (sharedNumber) — nor a pattern a published
 * version numbered under one code be given to another (the old code still there or not: its letters are out) — or
 * two letters would carry the same number (晋综开函〔2026〕1号 twice). The mechanism's two series are always there, each
 * series is issued by a department of the zone, and a code is a name of its own (`constructor` is every object's).
 */
function letterSeriesErrors(l: LettersConfig, current: LettersConfig | undefined, refs: ConfigRefs): FieldError[] {
  const errors: FieldError[] = [];
  for (const [code, what] of Object.entries(MECHANISM_SERIES)) {
    if (!Object.hasOwn(l.series, code)) errors.push({ path: `doc.series.${code}`, code: 'required', message: `is required: ${what} is numbered in it` });
  }
  // Every pattern a code numbered (the one in force first), once.
  const listed = new Set<string>();
  const past = [
    ...Object.entries(current?.series ?? {}).map(([c, cs]) => ({ code: c, pattern: cs.pattern, version: undefined as number | undefined })),
    ...(refs.pastLetterSeries ?? []),
  ].filter((p) => !listed.has(`${p.code}\u0000${p.pattern}`) && listed.add(`${p.code}\u0000${p.pattern}`));
  // A pattern the document in force gives the same code numbers as it did: two such that overlap were published before
  // this check, and stand (refused, ops could change neither alone).
  const kept = (code: string, pattern: string) => current !== undefined && Object.hasOwn(current.series, code) && current.series[code]!.pattern === pattern;
  const seen = new Map<string, string>();
  const earlier: { code: string; pattern: string }[] = [];
  for (const [code, s] of Object.entries(l.series)) {
    if (code in Object.prototype) {
      errors.push({ path: `doc.series.${code}`, code: 'invalid', message: `${code} is a name every object carries: choose another code` });
      continue;
    }
    if (!mayDecide(s.from)) errors.push({ path: `doc.series.${code}.from`, code: 'not_allowed', message: `${s.from} does not issue the zone's letters` });
    if (code === EXIT_SERIES && s.replyWd > 0) {
      errors.push({ path: `doc.series.${code}.replyWd`, code: 'invalid', message: 'must be 0: the exit letter closes the case, no reply is asked (the window would show it overdue on an exited project)' });
    }
    const path = `doc.series.${code}.pattern`;
    if (!s.pattern.includes('{year}')) errors.push({ path, code: 'invalid', message: 'must contain {year}: a series counts from 1 again every year, so a number without its year repeats' });
    const other = seen.get(s.pattern);
    const isKept = kept(code, s.pattern);
    if (other !== undefined) errors.push({ path, code: 'duplicate', message: `is the pattern of series ${other} too: their letters would share numbers` });
    else {
      seen.set(s.pattern, code);
      // Patterns that differ can still give one number (晋综开函〔{year}〕{n}号's 11th is 晋综开函〔{year}〕1{n}号's 1st).
      const clash = firstShared(earlier, s.pattern, (e) => isKept && kept(e.code, e.pattern));
      if (clash) errors.push({ path, code: 'duplicate', message: `can give the numbers of series ${clash.code} (${clash.pattern}): both would number a letter ${clash.number}` });
    }
    earlier.push({ code, pattern: s.pattern });
    const before = past.find((p) => p.code !== code && p.pattern === s.pattern);
    const where = (p: { version?: number }) => (p.version === undefined ? 'in force' : `numbered in version ${p.version}`);
    if (before && other === undefined) {
      errors.push({ path, code: 'invalid', message: `is the pattern of series ${before.code} ${where(before)}: numbered from 1 again under ${code}, its letters would repeat that series' numbers (keep the code ${before.code})` });
    } else if (!before && !isKept && !errors.some((e) => e.path === path)) {
      const overlap = firstShared(past, s.pattern, (p) => p.code === code);
      if (overlap) errors.push({ path, code: 'invalid', message: `can give the numbers of series ${overlap.code} ${where(overlap)} (${overlap.pattern}): a letter numbered ${overlap.number} under ${code} may be one of that series' already` });
    }
  }
  return errors;
}

/** The first series of `list` (but those `skip` passes over) whose pattern can give a number `pattern` gives, with it. */
function firstShared<T extends { readonly pattern: string }>(list: readonly T[], pattern: string, skip: (t: T) => boolean): (T & { number: string }) | undefined {
  for (const t of list) {
    const number = skip(t) ? undefined : sharedNumber(t.pattern, pattern);
    if (number !== undefined) return { ...t, number };
  }
  return undefined;
}

/**
 * Publishing a configuration 配置发布: a valid document (400 naming each field) becomes the next version of `name`,
 * only over the version the caller pinned (412). Versions are never rewritten: a project keeps the one it recorded.
 */
export function publishConfig<N extends ConfigName>(name: N, doc: ConfigDocs[N], note: string | undefined, current: { readonly version: number; readonly doc?: ConfigDocs[N] }, pinned: () => number, by: string, now: Date, refs: ConfigRefs = {}) {
  const errors = configErrors(name, doc, current.doc, refs);
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  assertPinned(name, current.version, pinned());
  return { name, version: nextVersion(current), doc, publishedAt: now.toISOString(), publishedBy: by, note };
}

/**
 * What a lights configuration does that ops may not mean: the matrix's timed tasks whose whole limit lies within the
 * yellow margin are yellow from the day they start (with their notice). Said in the answer, not refused.
 */
export function lightsWarnings(lights: { readonly yellowBeforeWd: number }, matrix: Pick<Matrix, 'tasks'>): string[] {
  const early = matrix.tasks.filter((t) => t.limitWd !== null && t.limitWd <= lights.yellowBeforeWd);
  return early.length
    ? [`${early.length} task(s) of the matrix in force are yellow from the day they start (a limit within ${lights.yellowBeforeWd} working days): ${early.map((t) => `${t.name.zh} ${t.limitWd} WD`).join('、')}`]
    : [];
}

/**
 * What a matrix leaves behind that ops may not mean: the 即时函告 rules (config/letters) and inventory task links
 * (config/inventory) that name a task it no longer has — they stand for the projects on an older matrix and never act
 * for a project started on this one. Said in the answer, not refused.
 */
export function matrixWarnings(matrix: Pick<Matrix, 'tasks'>, letters: Pick<LettersConfig, 'instantNotices'>, inventory: Pick<InventoryConfig, 'taskLinks'>): string[] {
  const tasks = new Set(matrix.tasks.map((t) => t.code));
  const rules = [...new Set(letters.instantNotices.map((n) => n.task).filter((t) => !tasks.has(t)))];
  const links = [...new Set(inventory.taskLinks.map((l) => l.task).filter((t) => !tasks.has(t)))];
  return [
    ...(rules.length ? [`config/letters has 即时函告 rules for task(s) this matrix does not have (they act only for projects on an older matrix): ${rules.join(', ')}`] : []),
    ...(links.length ? [`config/inventory links task(s) this matrix does not have to reservations (only for projects on an older matrix): ${links.join(', ')}`] : []),
  ];
}

/** The largest before/after the audit record carries whole; past it (a long matrix) it names the fields changed. */
const AUDITED_DOC_BYTES = 16_000;

/**
 * What a publication changed, for the audit log (全程可溯): the fields of the document that changed, before and after —
 * or, for a document too long to carry twice, their names. Every version stays readable whole: GET /config/{name}?version=N.
 */
export function publishedChange(current: { version: number; doc: unknown }, next: { version: number; doc: unknown; note?: string }): { before: Record<string, unknown>; after: Record<string, unknown> } {
  // Compared whatever order the keys come in (a document read back from the store need not keep the order sent).
  const b = current.doc as Record<string, unknown>;
  const a = next.doc as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !sameValue(b[k], a[k])).sort();
  const d = { before: Object.fromEntries(fields.filter((k) => k in b).map((k) => [k, b[k]])), after: Object.fromEntries(fields.filter((k) => k in a).map((k) => [k, a[k]])) };
  const whole = JSON.stringify(d).length <= AUDITED_DOC_BYTES;
  return {
    before: { version: current.version, ...(whole ? { doc: d.before } : {}) },
    after: { version: next.version, note: next.note, changed: fields, ...(whole ? { doc: d.after } : {}) },
  };
}
