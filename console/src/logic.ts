// The console's pure rules: what the signed-in user may do on a project (hints only — the API decides), how a
// problem+json answer maps onto form fields, the ledger query, the stage progress line. No DOM: unit-tested in Node.
import type { T, Word } from './i18n.ts';
import { CATEGORIES, ESCALATION_LEVELS, LIGHTS, ROLE_LABELS, STAGES, STATUSES, TRACKS, WORK_OWNER_ROLES, type Role, type Stage } from '../../functions/kernel/domain/codes.ts';
import { actsAs, type Principal, type ReadableProject } from '../../functions/kernel/domain/principal.ts';
import { typedInEnglishOnly as inEnglishOnly } from '../../functions/kernel/domain/typed.ts';
import { periodInWords } from '../../functions/kernel/domain/period-words.ts';
import { isSeedNote } from '../../functions/reference/domain/seed-note.ts';
import { besideZh, zh, zhFill } from '../../functions/kernel/domain/zh-spacing.ts';
import { checkOfThisRung } from '../../functions/supervision/domain/compliance.ts';
import { EXIT_STEPS, type ExitStep } from '../../functions/supervision/domain/exit.ts';
import { mayDrawOn, RESERVERS } from '../../functions/inventory/domain/reservation.ts';
import { DEFAULT_FUNDS_CONFIG, FUND_READERS } from '../../functions/inventory/domain/fund.ts';
import { DEFAULT_INVENTORY_CONFIG, type InventoryConfig } from '../../functions/inventory/domain/period.ts';
import { areaMu, UNIT_LABELS, ID_PREFIX, INVENTORY_KINDS, inventoryReaders as readersOfSomeKind, M2_PER_MU, READINESS_ITEMS, type InventoryKind } from '../../functions/inventory/domain/resource.ts';

/** What the console reads from the token's payload: the API's principal (display and hints; the API verifies it). */
export type Identity = Principal;

/** The payload of a JWT, unverified (the API is the authority); undefined when it is not a JWT. */
export function decodeIdentity(token: string): Identity | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    // Cognito ID tokens carry the groups as cognito:groups; the API maps them to roles the same way.
    const roles = (Array.isArray(claims.roles) ? claims.roles : Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : []) as Role[];
    const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
    return {
      sub: str('sub') ?? '',
      name: str('name') ?? str('email') ?? str('sub') ?? '',
      roles,
      department: str('department') ?? str('custom:department'),
      enterprise: str('enterprise') ?? str('custom:enterprise'),
      park: str('park') ?? str('custom:park'),
    };
  } catch {
    return undefined;
  }
}

export const isStaff = (id: Identity | undefined) => !!id && id.roles.some((r) => r !== 'enterprise');
const has = (id: Identity | undefined, role: Role) => !!id && id.roles.includes(role);
/** The API's own rule: one of `roles`, a park center in the project's park only, an enterprise on its own project only. */
const actsOn = (id: Identity | undefined, roles: readonly Role[], p: ReadableProject) => !!id && roles.some((r) => actsAs(id, r, p));

/** A project as read, with its exit 退出程序 when one was decided. */
export interface ExitingProject extends ReadableProject {
  readonly exit?: { readonly status: string } | null;
  readonly status?: string;
}

/**
 * A case closed — exited, completed 达产, not admitted: its gate and open work ended with it (the exit withdrew its
 * tasks, a gate left open stays shut to decisions), so nothing of it is pending, lit or offered.
 */
export const caseClosed = (p: { readonly status?: string }) => p.status === 'EXITED' || p.status === 'COMPLETED' || p.status === 'REJECTED';

/**
 * Whether a project's light is shown (`status` of the project; none given: a task's, lit by the caller's rule): only
 * while its work is under way (ACTIVE). Pending admission or ended it shows none, as the ledger's export and the API's
 * `?light=` filter have it — the page showed 绿灯 for a project pending admission that 亮灯 绿灯 did not list.
 */
export const projectLit = (status: string | undefined) => status === undefined || status === 'ACTIVE';

/**
 * What a task's light cell shows: `late` for work done after its date; `none` for work with no clock running — not
 * started, or withdrawn with its project's case (the API's green on a withdrawn task read as "on time"); else the API's.
 */
export function taskLight(x: { readonly status: string; readonly startedDate?: string | null; readonly light: string; readonly completion?: { readonly late?: boolean } | null }): string {
  if (x.completion?.late) return 'late';
  if (x.status === 'withdrawn' || (x.status === 'open' && !x.startedDate)) return 'none';
  return x.light;
}

/**
 * The project's exit is under way (decided, not done): the API refuses the work it closes — no task completed, gate
 * decided or meeting recorded or amended, progress or production reported, contract amended, interview recorded, and
 * nothing new held (projects/domain/project.ts assertNoExitUnderway) — so the console offers none of it.
 */
export const exitUnderWay = (p: { readonly exit?: { readonly status: string } | null }) => !!p.exit && p.exit.status !== 'done';

export interface TaskLike {
  readonly lead: Role;
  readonly status: string;
  readonly startedDate: string | null;
  /** `recurring`: work held by reporting (建设推进会 by a progress report), never completed by hand. */
  readonly kind?: string;
}

/** The task's lead department may complete it once it has started and while it is open; recurring work it does not (the API refuses). */
export const canComplete = (id: Identity | undefined, t: TaskLike, p: ExitingProject) => t.status === 'open' && !!t.startedDate && t.kind !== 'recurring' && !exitUnderWay(p) && actsOn(id, [t.lead], p);

export interface GateLike {
  readonly stage: Stage;
  readonly open: boolean;
  readonly round?: number;
  /** Absent in an enterprise's view of the project. */
  readonly requiredApprovals?: readonly Role[];
  readonly approvals?: readonly { readonly role: Role; readonly decision: string; readonly round?: number; readonly comment?: string }[];
  readonly meetingRequired?: boolean;
  readonly meetingRecorded?: boolean;
}

/** The approver roles of the gate this user holds and has not yet decided on in the current round. */
export function pendingApprovals(id: Identity | undefined, g: GateLike, p: ExitingProject): Role[] {
  if (!g.open || exitUnderWay(p) || caseClosed(p)) return [];
  const decided = new Set((g.approvals ?? []).filter((a) => a.round === undefined || g.round === undefined || a.round === g.round).map((a) => a.role));
  return (g.requiredApprovals ?? []).filter((r) => actsOn(id, [r], p) && !decided.has(r));
}

const MEETING_KEEPERS: readonly Role[] = ['committee_leader', 'park_center'];

/**
 * The 容缺 documents still owed at a gate (obligations open), soonest due first: the tasks they came with count as done
 * for the gate, so it opens — and its approvers and meeting decide knowing what is still to come in. One owed from an
 * earlier stage is owed still (the gate it let through does not settle it).
 */
export function owedAtGate<X extends { readonly kind?: string; readonly status: string; readonly dueDate: string | null }>(tasks: readonly X[]): X[] {
  return soonestFirst(tasks.filter((x) => x.kind === 'obligation' && x.status === 'open'));
}

/** The transition meeting is recorded by the committee leader or the project's park center, once the gate is open. */
export const canRecordMeeting = (id: Identity | undefined, g: GateLike, p: ExitingProject) =>
  g.open && !!g.meetingRequired && !g.meetingRecorded && !exitUnderWay(p) && !caseClosed(p) && actsOn(id, MEETING_KEEPERS, p);

/**
 * A recorded meeting is corrected by an amendment 会议记录更正 (the record stays, the amendment beside it): the committee
 * leader, or a park center (the API lets a park center amend only a record a park center made).
 */
export const canAmendMeeting = (id: Identity | undefined, g: GateLike, p: ExitingProject) => !!g.meetingRecorded && !exitUnderWay(p) && !caseClosed(p) && actsOn(id, MEETING_KEEPERS, p);

/** Who reports a project's progress and production figures (as lifecycle/domain/progress.ts asks). */
const REPORTERS: readonly Role[] = ['enterprise', 'park_center'];

/** Construction progress is reported by the enterprise or the park center while the project is under construction. */
export const canReportProgress = (id: Identity | undefined, p: ExitingProject & { status: string; stage: Stage }) =>
  p.status === 'ACTIVE' && p.stage === 'CONSTRUCTION' && !exitUnderWay(p) && actsOn(id, REPORTERS, p);

/** A signed project is registered by an investment department (its track's: the API checks the track). */
export const canRegister = (id: Identity | undefined) => has(id, 'investment_dept') || has(id, 'scitech_dept');

export interface AdmissionLike {
  readonly status: string;
  /** Staff view only: the deciders and the decisions so far. */
  readonly admission?: { readonly required: readonly Role[]; readonly decisions: readonly { readonly role: Role }[] };
}

/** The admission deciders this user holds who have not decided yet (the API takes the first; one decision a request). */
export function pendingAdmission(id: Identity | undefined, p: AdmissionLike): Role[] {
  if (p.status !== 'PENDING_ADMISSION' || !p.admission) return [];
  const decided = new Set(p.admission.decisions.map((d) => d.role));
  return p.admission.required.filter((r) => has(id, r) && !decided.has(r));
}

export interface LadderLike {
  readonly status: string;
  /** `since`: the day the current rung began. */
  readonly escalation: { readonly level: number; readonly since?: string | null };
  readonly exit?: unknown;
}

/** The committee leader extends 延期 a project on the ladder (L1–L4; at L5 the exit decision offers it). */
export const canExtend = (id: Identity | undefined, p: LadderLike) => p.status === 'ACTIVE' && p.escalation.level >= 1 && p.escalation.level < 5 && has(id, 'committee_leader');

/** At the exit rung (L5) the committee leader decides: exit or extend — once (an exit under way is not decided again). */
export const canDecideExit = (id: Identity | undefined, p: LadderLike) => p.status === 'ACTIVE' && p.escalation.level === 5 && !p.exit && has(id, 'committee_leader');

/** The registration form's fields, as the API names them (problem+json paths land on them). */
export const REGISTER_FIELDS = [
  'name', 'investor.name', 'investor.enterpriseId', 'track', 'industry', 'attractionMode', 'totalInvestmentCny', 'techLevel', 'chainRole', 'park', 'siteMode',
  'targets.outputValueCny', 'targets.taxCny', 'targets.jobs', 'needs.areaM2', 'needs.powerKva', 'needs.floorLoadKnM2', 'needs.clearHeightM',
] as const;
/** Amounts the form takes in 万元 (as the zone's forms state them) and the API in yuan. */
const IN_WAN = new Set(['totalInvestmentCny', 'targets.outputValueCny', 'targets.taxCny']);

/**
 * The body of POST /projects from the registration form: text trimmed, amounts in 万元 turned into whole yuan, numbers
 * as numbers; an empty field is left out (and `targets`/`needs` with nothing in them). What is not a number
 * is sent as it is typed, so the API's 400 names that field.
 */
export function registrationBody(values: Record<string, string | undefined>): Record<string, unknown> {
  // An empty field is left out: the API names it as required, rather than as a wrong value.
  const v = (k: string) => (values[k] ?? '').trim() || undefined;
  const num = (k: string): unknown => (IN_WAN.has(k) ? wanToYuan(values[k]) : numberOf(values[k]));
  const group = (keys: readonly string[]) => {
    const entries = keys.map((k) => [k.split('.')[1]!, num(k)] as const).filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  return {
    name: v('name'),
    investor: { name: v('investor.name'), enterpriseId: v('investor.enterpriseId') },
    track: v('track'),
    industry: v('industry'),
    attractionMode: v('attractionMode'),
    totalInvestmentCny: num('totalInvestmentCny'),
    techLevel: v('techLevel'),
    chainRole: v('chainRole'),
    park: v('park'),
    siteMode: v('siteMode'),
    targets: group(['targets.outputValueCny', 'targets.taxCny', 'targets.jobs']),
    needs: group(['needs.areaM2', 'needs.powerKva', 'needs.floorLoadKnM2', 'needs.clearHeightM']),
  };
}

/** The field names of `count` rows of a list (`deficiencies[0].document`, …): problem+json paths land on them. */
/**
 * A work item's row (a meeting's follow-up, an interview's commitment, a rectification item): its name, its English
 * name (optional: sent only when filled, as rowsOf leaves an empty field out), who does it and by when.
 */
export const WORK_ITEM_KEYS = ['item', 'itemEn', 'owner', 'dueDate'] as const;

export const rowFields = (list: string, keys: readonly string[], count: number) => Array.from({ length: count }, (_, i) => keys.map((k) => `${list}[${i}].${k}`)).flat();

/**
 * The rows of a list in a form, as the user sees them (none left out, so the API's `list[i].key` names the row on the
 * screen): each row's fields trimmed, an empty one left out (the API names it as required).
 */
export function rowsOf(values: Record<string, string | undefined>, list: string, keys: readonly string[], count: number): Record<string, string>[] {
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(keys.flatMap((k) => {
      const v = (values[`${list}[${i}].${k}`] ?? '').trim();
      return v ? [[k, v]] : [];
    })),
  );
}

/** The rows of a list whose `key` is typed with no Chinese character: each asked for in Chinese beside the field. */
function withoutChinese(values: Record<string, string | undefined>, list: string, key: string, count: number, message: string): FormProblem | undefined {
  const fields: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = (values[`${list}[${i}].${key}`] ?? '').trim();
    if (name && !/\p{Script=Han}/u.test(name)) fields[`${list}[${i}].${key}`] = message;
  }
  return Object.keys(fields).length ? { fields } : undefined;
}

/**
 * A 容缺 row's document typed with no Chinese character: its obligation is a Chinese record (容缺补正：<document>, on
 * the Chinese page, the ledger, the notices), so the form asks for the document's Chinese name beside the field before
 * sending — its English name has a column of its own. An empty one is the API's to name (required).
 */
export const deficienciesWithoutChinese = (values: Record<string, string | undefined>, count: number, message: string) =>
  withoutChinese(values, 'deficiencies', 'document', count, message);

/**
 * A work item (a meeting's follow-up, an interview's commitment, a rectification item) typed with no Chinese
 * character: its item names the task it becomes on the Chinese page, the ledger and the notices, so it is asked for in
 * Chinese beside the field, as a 容缺 document is — the English has its own column (itemEn).
 */
export const workItemsWithoutChinese = (values: Record<string, string | undefined>, list: string, count: number, message: string) =>
  withoutChinese(values, list, 'item', count, message);

/**
 * A name recorded in English only (no Chinese character, a Latin letter) read on the Chinese page: a record made
 * through the API or before the forms asked for Chinese. It is shown as typed, marked so — not translated by guess.
 */
export const typedInEnglishOnly = (text: string, lang: 'zh' | 'en') => lang === 'zh' && inEnglishOnly(text);

/** Lines of a text area, trimmed, blank ones left out (attendees, decisions, documents). */
export const linesOf = (v: string | undefined) => (v ?? '').split('\n').map((x) => x.trim()).filter(Boolean);

/** Production figures 达产达效 are reported by the enterprise or the park center while the project is in operation. */
export const canReportProduction = (id: Identity | undefined, p: ExitingProject & { status: string; stage: Stage }) =>
  p.status === 'ACTIVE' && p.stage === 'OPERATION' && !exitUnderWay(p) && actsOn(id, REPORTERS, p);

/** The quarter a business date falls in (`2027Q1`) and the three before it: the quarters a report may be for. */
export function recentQuarters(today: string, count = 4): string[] {
  let y = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${y}Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

/** The console's fields typed in 万元 (wanToYuan sends them in yuan); a rent per m² stays in yuan. */
export const WAN_FIELD = /(^|\.)(amountCny|totalInvestmentCny|outputValueCny|taxCny)$/;

/**
 * A message about a yuan amount with its whole numbers said in 万元 (0 stays 0): `at most 500000` → `at most 50 万元`; on
 * an English page in the unit its field is labelled in (`at most 50 × 10,000 yuan`), not in 万元.
 */
export function amountsInWan(message: string, lang: 'zh' | 'en' = 'zh'): string {
  return message.replace(/(?<![\w.-])(\d+)(?![\w.-])/g, (n) => (n === '0' ? n : lang === 'zh' ? besideZh(String(Number((Number(n) / 10_000).toFixed(4))), '万元') : `${Number((Number(n) / 10_000).toFixed(4))} × 10,000 yuan`));
}

/** An amount typed in 万元 as whole yuan; what is not a number is sent as typed (the API names the field). */
export function wanToYuan(v: string | undefined): unknown {
  const raw = (v ?? '').trim();
  if (!raw) return undefined;
  const wan = Number(raw);
  if (!Number.isFinite(wan)) return raw;
  // Whole yuan; a fraction of a yuan (0.00001 万元) is sent as it is, for the API to refuse, not rounded to 0.
  const yuan = Math.round(wan * 10_000);
  return Math.abs(yuan - wan * 10_000) < 1e-6 ? yuan : wan * 10_000;
}

/** A number typed; what is not one is sent as typed (the API names the field). */
export function numberOf(v: string | undefined): unknown {
  const raw = (v ?? '').trim();
  if (!raw) return undefined;
  // Any number the browser's number field takes (1e3, -5, 1.5) as a number: the API names what is wrong with it.
  return Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

/** A project as the letter form needs it: a closed case takes no letter; an exit under way no letter asking a reply. */
export interface LetterCase {
  readonly status: string;
  readonly exit?: { readonly status: string } | null;
}

/**
 * The letter series this user may issue 发函 about the project (a series' issuing department, or the committee leader
 * any), by code — as the API rules: none once the case is closed (已退出, 未准入); while an exit is under way only a
 * series that asks no reply (a 函告: a reply window would outlive the case).
 */
export function issuableSeries(id: Identity | undefined, series: Record<string, { readonly from: Role; readonly manual?: boolean; readonly replyWd?: number }> | undefined, project?: LetterCase): string[] {
  if (!id || !series) return [];
  if (project && (project.status === 'EXITED' || project.status === 'REJECTED')) return [];
  const exiting = !!project?.exit && project.exit.status !== 'done';
  // The exit letter is the exit decision's, whatever the stored document says (as the API rules: letter.ts).
  return Object.entries(series).flatMap(([code, s]) => (code !== 'exit' && s.manual !== false && (has(id, s.from) || has(id, 'committee_leader')) && (!exiting || !s.replyWd) ? [code] : []));
}

/**
 * Who a letter 发函 is addressed to besides the project's enterprise: the departments that may be given work — not the
 * discipline office 纪检监察 nor the platform's operators — other than the series' issuing department (the sender's own
 * office: the API refuses a department writing to itself).
 */
export const letterAddressees = (from: Role | undefined): Role[] => WORK_OWNER_ROLES.filter((r) => r !== 'enterprise' && r !== from);

/** The pre-work fund 项目前期保障经费 is allocated to a project by ops or the committee leader while it is active, no exit decided. */
export const canAllocateFund = (id: Identity | undefined, p: { status: string; exit?: { readonly status: string } | null }) => p.status === 'ACTIVE' && !p.exit && canManageFund(id);

/** A lifecycle whose execution failed (or could not start) is resumed by ops from what DynamoDB holds. */
export const canResumeWorkflow = (id: Identity | undefined, p: { workflow?: { status: string } | null }) => has(id, 'ops') && (p.workflow?.status === 'failed' || p.workflow?.status === 'start_failed');

/** A failed exit procedure is redriven by ops from the step that failed. */
export const canRedriveExit = (id: Identity | undefined, p: { exit?: { status: string } | null }) => has(id, 'ops') && p.exit?.status === 'failed';

/** The department report 部门督办 is the supervision office's and the committee leader's; a park center reads its own park's center's row. */
export const mayReadDepartmentReport = (id: Identity | undefined) => has(id, 'supervision_office') || has(id, 'committee_leader') || has(id, 'park_center');

/** The zone's audit is queried by the discipline office 纪检监察 and the supervision office. */
export const mayQueryAudit = (id: Identity | undefined) => has(id, 'discipline_office') || has(id, 'supervision_office');

/** A year's pre-work fund is read by the API's FUND_READERS (the inventory page shows it to them only). */
export const mayReadFunds = (id: Identity | undefined) => FUND_READERS.some((r) => has(id, r));

/** Who reads an inventory by the `inventory` configuration (GET /config/inventory; the default until it is read): the API's rule. */
export const inventoryReaders = (cfg: Pick<InventoryConfig, 'readers' | 'kinds'> = DEFAULT_INVENTORY_CONFIG): Role[] => readersOfSomeKind(cfg);

/**
 * Whether the inventory page is in the menu: those who read an inventory (by the configuration read, else its default)
 * and the fund's readers. The page itself shows the kinds GET /inventory answers.
 */
export const mayOpenInventory = (id: Identity | undefined, cfg?: Pick<InventoryConfig, 'readers' | 'kinds'>) => mayReadFunds(id) || inventoryReaders(cfg).some((r) => has(id, r));

/** Spending against an allocation, and releasing what it did not spend: ops or the committee leader, in any status. */
export const canManageFund = (id: Identity | undefined) => has(id, 'ops') || has(id, 'committee_leader');

/** Dates typed one a line (or separated by commas or spaces), as the calendar takes them; anything else as typed. */
export const datesOf = (v: string | undefined) => (v ?? '').split(/[\s,，、]+/).map((x) => x.trim()).filter(Boolean);

/** A configuration document typed as JSON: the document, or the parse error's message for its field. */
export function parseDoc(text: string | undefined): { doc: unknown } | { error: string } {
  try {
    return { doc: JSON.parse(text ?? '') as unknown };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Who keeps a kind of inventory record (the `inventory` configuration's owners; a park center only in its own park). */
export const mayKeep = (id: Identity | undefined, owners: readonly Role[] | undefined, park: string | undefined) =>
  !!id && (owners ?? []).some((r) => has(id, r) && (r !== 'park_center' || (park !== undefined && id.park === park)));

/** The inventory kinds (api.md), the unit kinds first, then the quotas; and 亩 as the API counts it (1 亩 = 10,000/15 m²). */
export { INVENTORY_KINDS, M2_PER_MU, READINESS_ITEMS, type InventoryKind };

/** An area typed in 亩 as m², to the cent of a m² (the API's areaMu of it gives the 亩 typed back). */
export const muToM2 = (mu: number) => Math.round(mu * M2_PER_MU * 100) / 100;

/** An area typed with its unit (`mu` 亩 or m²) as the API's areaM2; what is not a number is sent as typed. */
export function areaM2Of(v: string | undefined, unit: string | undefined): unknown {
  const n = numberOf(v);
  return typeof n === 'number' && unit === 'mu' ? muToM2(n) : n;
}

/** A figure as the zone reads it: thousands separated, at most two decimals (`133,333.33`); none: —. */
export function numberText(n: number | null | undefined, lang: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 });
}

/** A refresh period as people say it: `2026` → 2026年度, `2026Q4` → 2026年第4季度 (English: 2026, 2026 Q4). */
export const periodText = periodInWords;

/**
 * What a new record's form sends (POST /inventory/{kind}): numbers as numbers, a parcel's area typed in 亩 (`areaUnit`
 * `mu`) in m², readiness dates (each may be empty: not done); an empty field is left out (the API names it).
 */
export function resourceBody(kind: InventoryKind, values: Record<string, string | undefined>): Record<string, unknown> {
  const v = (k: string) => (values[k] ?? '').trim() || undefined;
  const n = (k: string) => numberOf(values[k]);
  switch (kind) {
    case 'parcels':
      return {
        code: v('code'),
        park: v('park'),
        areaM2: areaM2Of(values.areaM2, values.areaUnit),
        use: v('use'),
        supply: v('supply'),
        readiness: Object.fromEntries(READINESS_ITEMS.map((k) => [k, v(`readiness.${k}`) ?? null])),
      };
    case 'facilities':
      return { code: v('code'), park: v('park'), owner: v('owner'), areaM2: n('areaM2'), floorLoadKnM2: n('floorLoadKnM2'), clearHeightM: n('clearHeightM'), powerKva: n('powerKva'), rentCnyPerM2Month: n('rentCnyPerM2Month'), facilityType: v('facilityType') };
    case 'energy':
      return { year: n('year'), totalTce: n('totalTce') };
    case 'environment':
      return { year: n('year'), pollutant: v('pollutant'), totalTonnes: n('totalTonnes') };
    case 'utilities':
      return { park: v('park'), utility: v('utility'), capacity: n('capacity'), unit: v('unit') };
  }
}

/**
 * The facts an owner may correct on a record (PATCH /inventory/{kind}/{id}); what identifies it — a code and its park,
 * a year, a pollutant, a park's utility — stays (the API refuses a change of it: retire the record, add another).
 */
export const EDITABLE_FACTS: Record<InventoryKind, readonly string[]> = {
  parcels: ['areaM2', 'use', 'supply', ...READINESS_ITEMS.map((i) => `readiness.${i}`)],
  facilities: ['owner', 'facilityType', 'areaM2', 'floorLoadKnM2', 'clearHeightM', 'powerKva', 'rentCnyPerM2Month'],
  energy: ['totalTce'],
  environment: ['totalTonnes'],
  utilities: ['capacity', 'unit'],
};
const NUMERIC_FACTS = new Set(['areaM2', 'floorLoadKnM2', 'clearHeightM', 'powerKva', 'rentCnyPerM2Month', 'totalTce', 'totalTonnes', 'capacity']);
/** Facts a record may lack: a readiness item not done (empty), a facility's type never stated. */
const optionalFact = (key: string) => key === 'facilityType' || key.startsWith('readiness.');

/** What an edit form shows of a fact when it opens: a readiness date or empty, an area in the unit chosen (`mu` 亩). */
export function shownFact(record: Record<string, unknown>, key: string, areaUnit?: string): string {
  if (key === 'areaM2' && areaUnit === 'mu' && typeof record.areaM2 === 'number') return String(typeof record.areaMu === 'number' ? record.areaMu : areaMu(record.areaM2));
  const v = at(record, key);
  return v === undefined || v === null ? '' : String(v);
}

/**
 * The PATCH body of an edit form (fields `facts.<fact>`, `status`, `areaUnit`): the facts whose typed value differs from
 * what the form showed — a parcel's readiness whole once any of its dates changed (the API takes it whole), an area in
 * 亩 sent in m² — and the status when changed. A required fact emptied is sent empty (the API names it); an optional one
 * emptied is left as it is. Undefined members when nothing changed.
 */
export function resourcePatch(kind: InventoryKind, values: Record<string, string | undefined>, record: Record<string, unknown>): { facts?: Record<string, unknown>; status?: string } {
  const facts: Record<string, unknown> = {};
  let readiness = false;
  for (const key of EDITABLE_FACTS[kind]) {
    const typed = (values[`facts.${key}`] ?? '').trim();
    if (typed === shownFact(record, key, values.areaUnit)) continue;
    if (key.startsWith('readiness.')) readiness = true;
    else if (key === 'areaM2') facts.areaM2 = areaM2Of(typed, values.areaUnit) ?? '';
    else if (NUMERIC_FACTS.has(key)) facts[key] = numberOf(typed) ?? '';
    else if (typed || !optionalFact(key)) facts[key] = typed;
  }
  if (readiness) facts.readiness = Object.fromEntries(READINESS_ITEMS.map((i) => [i, (values[`facts.readiness.${i}`] ?? '').trim() || null]));
  const status = values.status?.trim();
  return { facts: Object.keys(facts).length ? facts : undefined, status: status && status !== record.status ? status : undefined };
}

/** An edit form's required facts left empty, each told beside its field before anything is sent. */
export function emptiedFacts(kind: InventoryKind, values: Record<string, string | undefined>, required: string): FormProblem | undefined {
  const fields: Record<string, string> = {};
  for (const key of EDITABLE_FACTS[kind]) if (!optionalFact(key) && `facts.${key}` in values && !(values[`facts.${key}`] ?? '').trim()) fields[`facts.${key}`] = required;
  return Object.keys(fields).length ? { fields } : undefined;
}

/**
 * Who is still to decide the joint assessment of the project's stay on L3: the open round's pending departments; with
 * no round yet for this stay (one raised before the review opened rounds at the raise), every department the configuration names — each
 * may open it. None once concluded, or off L3.
 */
export function assessmentPending(p: LadderLike, rounds: readonly { readonly rungSince: string; readonly pending: readonly Role[]; readonly outcome: unknown }[], named: readonly Role[]): readonly Role[] {
  if (p.escalation.level !== 3) return [];
  const current = rounds.find((r) => r.rungSince === p.escalation.since);
  if (current) return current.outcome ? [] : current.pending;
  return named;
}

/**
 * The ladder's records the user may make now (hints: the API decides): 约谈 at L2+, 联合研判 at L3 (a department still to
 * decide, a park center in its park), 履约核查 at L4, and at exit pending only while this climb has none (`checks`:
 * the project's compliance checks, from its supervision file).
 */
export function ladderRecords(id: Identity | undefined, p: LadderLike & ReadableProject, pending: readonly Role[] = [], checks: readonly { readonly recordedAt: string }[] = []) {
  const level = p.status === 'ACTIVE' ? p.escalation.level : 0;
  const checked = level > 4 && checkOfThisRung(checks, p.escalation.since ?? null) !== undefined;
  return {
    interview: level >= 2 && !p.exit && has(id, 'committee_leader'),
    assessment: level === 3 && pending.some((r) => actsOn(id, [r], p)),
    compliance: level >= 4 && !p.exit && !checked && (has(id, 'supervision_office') || has(id, 'committee_leader')),
  };
}

/** Rows whose `key` is a yes/no choice, as booleans (an unchosen one left out: the API names it as required). */
export const withBooleans = (rows: readonly Record<string, string>[], key: string) =>
  rows.map((r) => (key in r ? { ...r, [key]: r[key] === 'yes' } : r));

/** Resources are reserved for a project by its park's center or the resources bureau (the API's RESERVERS). */
export const canReserve = (id: Identity | undefined, p: ExitingProject & { status: string }) => p.status === 'ACTIVE' && !p.exit && actsOn(id, RESERVERS, p);

/**
 * Whether the user may release 释放 a reservation: one only reserved, as the API rules — land transferred 已出让 or a
 * facility leased 已租赁 comes back to the inventory only through the exit procedure (the API's 409 for a user's release).
 */
export const canRelease = (id: Identity | undefined, p: ExitingProject & { status: string }, r: { readonly status: string }) => r.status === 'reserved' && canReserve(id, p);

/**
 * A reservation its keepers see held with no 释放: land transferred (土地出让) or a facility leased comes back to the
 * inventory only through the exit procedure (land reclaimed 盘活) — the API refuses a release with a 409 saying so. The
 * page says it beside the record, where the keeper looked for the button (seen live: 已出让, and nothing more).
 */
export const backOnlyByExit = (id: Identity | undefined, p: ExitingProject & { status: string }, r: { readonly status: string }) => (r.status === 'transferred' || r.status === 'leased') && canReserve(id, p);

/** Whether the user may reserve a site of `park` for the project, by the API's rule (mayDrawOn). */
export const mayReserveFrom = (id: Identity | undefined, p: ReadableProject, park: string) => !!id && mayDrawOn(id, p, park);

/**
 * The candidates the reservation form offers, in the API's order (those that fit best first, then those that do not):
 * the sites the user may reserve from, and of the project's own kind — a land project's parcels, a lease project's
 * facilities — a misfit too (a site the enterprise will adapt); of the other kind, which the API refuses, none.
 */
export function reservable<M extends { readonly park: string; readonly fits: boolean }>(id: Identity | undefined, p: ReadableProject & { readonly siteMode?: string }, kind: 'parcels' | 'facilities', items: readonly M[]): M[] {
  const own = (p.siteMode === 'lease' ? 'facilities' : 'parcels') === kind;
  return items.filter((m) => (m.fits || own) && mayReserveFrom(id, p, m.park));
}

/**
 * A fund bucket's name in the page's language: as the year's fund names it (`read`, where the reader reads the fund),
 * else as the default buckets do (a park center, an exited project's page, which reads no bucket), else its code.
 */
export function bucketLabel(code: string, lang: 'zh' | 'en', read?: readonly { readonly code: string; readonly name: string; readonly nameEn?: string }[]): string {
  const b = read?.find((x) => x.code === code);
  if (b) return lang === 'en' && b.nameEn ? b.nameEn : b.name;
  return DEFAULT_FUNDS_CONFIG.buckets.find((x) => x.code === code)?.name[lang] ?? code;
}

type ShownBucket = { readonly code: string; readonly name: string; readonly nameEn?: string; readonly retired?: boolean };

/**
 * A bucket's row in a year's fund table: its name in the page's language, and for one config/funds no longer lists
 * (`retired`: its accounts kept, nothing new drawn) that it is retired, with its code — a code changed leaves two rows of
 * one name.
 */
export function bucketRowLabel(b: ShownBucket, lang: 'zh' | 'en'): string {
  const name = lang === 'en' && b.nameEn ? b.nameEn : b.name;
  if (!b.retired) return name;
  return lang === 'en' ? `${name} (retired · ${b.code})` : `${name}（已停用 · ${b.code}）`;
}

/** The buckets an allocation may draw on: a retired one keeps its accounts and takes nothing new (the API's 409). */
export const drawableBuckets = <B extends { readonly retired?: boolean }>(buckets: readonly B[]): B[] => buckets.filter((b) => !b.retired);

/**
 * Whether an extension 延期 is still in force on the business clock's `today` (its last day included, as the ladder
 * counts it): one whose date has passed — the ladder climbed again since, and work done put it back — is not said as
 * 已延期至 any more. Unknown today: not said.
 */
export const extensionInForce = (extendedUntil: string | null | undefined, today: string | undefined) => !!extendedUntil && !!today && today <= extendedUntil;

/** The timeline's events of the closed loop's records: an interview 约谈, a joint-assessment decision, a compliance check. */
const LADDER_RECORDS = new Set(['escalation.interview', 'escalation.assessment', 'escalation.compliance_check']);
/**
 * Whether the project's timeline shows records of the closed loop: then its supervision file is shown also off the
 * ladder (after an extension or the work done put it back, after an exit), not only while a rung stands.
 */
export const ladderRecorded = (events: readonly { readonly action: string }[] | undefined) => !!events?.some((e) => LADDER_RECORDS.has(e.action));

/** What an exit record says of its course: each step with when it finished (null: not yet), and what it gave back. */
export interface ExitCourse {
  readonly steps: readonly { readonly step: ExitStep; readonly at: string | null }[];
  /** The holdings the exit released, each as the project's own lists name it (an id neither list knows, by its id). */
  readonly released: readonly (
    | { readonly what: 'reservation'; readonly id: string; readonly kind: string; readonly label: string; readonly amount: number; readonly unit: string }
    | { readonly what: 'allocation'; readonly id: string; readonly bucket: string; readonly returnedCny: number | null }
    | { readonly what: 'unknown'; readonly id: string }
  )[];
  readonly letter: string | null;
}

/**
 * The exit's course as the project page tells it: which steps are done and when, and each reservation (land reclaimed, a
 * facility, a quota's amount) and fund allocation it released — read beside the project's reservations and allocations
 * (released ones included), since the exit record names them by id only.
 */
export function exitCourse(
  exit: { readonly steps?: Partial<Record<string, string>>; readonly released?: readonly string[]; readonly letter?: { readonly number: string } | null },
  reservations: readonly { readonly id: string; readonly kind: string; readonly resourceLabel: string; readonly amount: number; readonly unit: string }[],
  allocations: readonly { readonly id: string; readonly bucket: string; readonly released?: { readonly returnedCny: number } | null }[],
): ExitCourse {
  return {
    steps: EXIT_STEPS.map((step) => ({ step, at: exit.steps?.[step] ?? null })),
    released: (exit.released ?? []).map((id) => {
      const r = reservations.find((x) => x.id === id);
      if (r) return { what: 'reservation' as const, id, kind: r.kind, label: r.resourceLabel, amount: r.amount, unit: r.unit };
      const a = allocations.find((x) => x.id === id);
      if (a) return { what: 'allocation' as const, id, bucket: a.bucket, returnedCny: a.released?.returnedCny ?? null };
      return { what: 'unknown' as const, id };
    }),
    letter: exit.letter?.number ?? null,
  };
}

/** The quotas a project draws an amount from (a reservation of energy, environmental capacity, a park's utility). */
export const QUOTA_KINDS = ['energy', 'environment', 'utilities'] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number];
/** A quota as GET /inventory lists it under its kind: the API's label (`2026 能耗指标`, `2026 COD`, `汇通产业园 power`). */
export interface QuotaRecord {
  readonly id: string;
  readonly label: string;
  readonly remaining: number;
  readonly unit: string;
}

/** A quota's year and what it is of, read from its label (its facts are not in the list). */
const quotaParts = (kind: string, label: string): { year?: number; of?: string; park?: string } => {
  if (kind === 'utilities') {
    const m = /^(.+) (water|power|gas|heat)$/.exec(label);
    return m ? { park: m[1], of: m[2] } : {};
  }
  const m = /^(\d{4}) (.+)$/.exec(label);
  return m ? { year: Number(m[1]), of: m[2] } : {};
};

/**
 * A quota's name in the page's language (the API labels it in Chinese, a utility by its code: 汇通产业园 power): its year
 * and kind or pollutant, a park's utility. A label of another shape is shown as it is.
 */
export function quotaLabel(kind: string, label: string, t: T, parkName: (name: string) => string = (n) => n): string {
  const q = quotaParts(kind, label);
  if (kind === 'energy' && q.year) return t.yearly(q.year, t.resourceKind('energy'));
  if (kind === 'environment' && q.year && q.of) return t.yearly(q.year, t.pollutant(q.of));
  if (kind === 'utilities' && q.park && q.of) return t.beside(parkName(q.park), t.utility(q.of));
  return label;
}

/**
 * The quotas of `kind` the reservation form offers a project, by the API's rules: something left, a year not over
 * (`year`: this year on the business clock; a later year is an earmark), and a utility of the project's own park.
 */
export function drawableQuotas(kind: QuotaKind, quotas: readonly QuotaRecord[], p: { readonly park: string }, year: number): QuotaRecord[] {
  return quotas.filter((r) => {
    const q = quotaParts(kind, r.label);
    return r.remaining > 0 && (q.year === undefined || q.year >= year) && (kind !== 'utilities' || q.park === p.park);
  });
}

export type Addressee = { readonly kind: 'enterprise'; readonly enterpriseId: string } | { readonly kind: 'department'; readonly role: Role; readonly park?: string };

/** The letter's addressee may acknowledge it while it is not yet acknowledged. */
export function canAcknowledge(id: Identity | undefined, letter: { readonly to: Addressee; readonly status: string }): boolean {
  if (!id || letter.status === 'acknowledged') return false;
  const to = letter.to;
  if (to.kind === 'enterprise') return has(id, 'enterprise') && id.enterprise === to.enterpriseId;
  return has(id, to.role) && (to.role !== 'park_center' || id.park === to.park);
}

/** A problem+json answer as the forms show it: messages by field (first path segment) and what is left for the form. */
export interface FormProblem {
  readonly fields: Record<string, string>;
  readonly general?: string;
}

/**
 * The API's field messages that every form meets, in Chinese (the API words them in English; the rest of a message —
 * a date, a bound, what a record says — is kept as it is). An unknown message is shown as the API gave it.
 */
const ZH_MESSAGES: readonly (readonly [RegExp, string])[] = [
  // Missing, and what a field must be (the API's validation of every body).
  [/^(?:is )?required$/, '必填'],
  [/^is required when rejecting$/, '不同意时必填理由'],
  [/^required when decision is extend$/, '决定延期时必填'],
  [/^required at this gate$/, '本次转段须填写'],
  [/^only with decision reject$/, '仅在不同意时填写'],
  // An exit on a check that found no breach (at `decision`); a list past the cap of open items (config/limits).
  [/^compliance check no\. (\d+) found no clause breached: only extend$/, '第 $1 号履约核查未认定违约：只能决定延期'],
  [/^(\d+) to add; the project has room for (\d+) \((\d+) of (\d+) open: config\/limits openItemsPerProject\)$/, '新增 $1 项，本项目仅可再增 $2 项（未办结 $3 项，上限 $4 项：config/limits openItemsPerProject）'],
  [/^(?:Invalid input: )?expected int(?:, received .*)?$/, '须为整数'],
  [/^(?:Invalid input: )?expected number(?:, received .*)?$/, '须为数字'],
  [/^(?:Invalid input: )?expected string(?:, received .*)?$/, '须为文字'],
  [/^(?:Invalid input: )?expected boolean(?:, received .*)?$/, '须为是或否'],
  [/^(?:Invalid input: )?expected array(?:, received .*)?$/, '须为列表'],
  [/^must be one of: (.+)$/, '须为以下之一：$1'],
  [/^must be > (.+)$/, '须大于 $1'],
  [/^must be (?:>=|≥) (.+)$/, '须不小于 $1'],
  [/^must be < (.+)$/, '须小于 $1'],
  [/^must be (?:<=|≤) (.+)$/, '须不大于 $1'],
  [/^must have at most (\d+) decimal places?$/, '至多 $1 位小数'],
  [/^must have at least (\d+) items?$/, '至少 $1 项'],
  [/^must have at most (\d+) items?$/, '至多 $1 项'],
  // At least one character: a required text left blank (the API's min length 1), said as 'is required' is.
  [/^must have at least 1 character$/, '必填'],
  [/^must have at least (\d+) characters?$/, '至少 $1 个字'],
  [/^must have at most (\d+) characters?$/, '至多 $1 个字'],
  [/^unknown field$/, '不接受此字段'],
  [/^has a character that does not show.*$/, '含有不显示的字符（零宽字符、控制字符或特殊空格）'],
  [/^must not contain control characters$/, '不得含有控制字符'],
  [/^must be one line \(no line breaks or tabs\)$/, '须为一行（不得含换行或制表符）'],
  [/^must not contain bidirectional override characters$/, '不得含有文字方向控制字符'],
  [/^must have a visible character$/, '须含有可见文字'],
  [/^must be an http\(s\) URL$/, '须为 http(s) 网址'],
  // Dates: the specific ones (today, a meeting, an interview, a rung) before the general ones.
  [/^must be a real YYYY-MM-DD date.*$/, '请填写有效日期（年-月-日）'],
  [/^must be a valid YYYY-MM-DD date$/, '请填写有效日期（年-月-日）'],
  [/^must be a date in (\d{4})$/, '须为 $1 年内的日期'],
  [/^must not be after today \((.+)\)$/, '不得晚于今天（$1）'],
  // A payment's day (spentOn): not after today, not before its allocation, not after the project's exit was decided.
  [/^on or before today, (\S+)$/, '不得晚于今天（$1）'],
  [/^on or after (\S+), the day the allocation was made$/, '不得早于资金安排之日（$1）'],
  [/^on or before (\S+), the day the exit was decided$/, '项目已于 $1 决定退出，此后的支出不再记录（不得晚于 $1）'],
  [/^must be after today \((.+)\) and on or before (.+)$/, '须晚于今天（$1），且不晚于 $2'],
  [/^must be after the interview \((.+)\)$/, '须晚于约谈日期（$1）'],
  [/^must be after (.+) and on or before (.+)$/, '须晚于 $1，且不晚于 $2'],
  [/^must not be before the meeting \((.+)\)$/, '不得早于会议日期（$1）'],
  [/^must not be before this gate round began \((.+)\)$/, '不得早于本轮转段开始之日（$1）'],
  [/^must not be after the due date of a follow-up it set \((.+)\)$/, '不得晚于其议定事项的期限（$1）'],
  [/^must lie between (.+) \(the rung began\) and today \((.+)\)$/, '须在所属督办等级开始之日（$1）至今天（$2）之间'],
  [/^must be on or before (.+) \(a year from today\)$/, '不得晚于 $1（一年之内）'],
  [/^must be on or before (.+) \((\d+) working days\)$/, '不得晚于 $1（$2 个工作日内）'],
  [/^must be on or before (.+)$/, '不得晚于 $1'],
  [/^must be after (.+)$/, '须晚于 $1'],
  [/^must not be after (.+)$/, '不得晚于 $1'],
  [/^must not be before (.+)$/, '不得早于 $1'],
  [/^(.+) cannot be done in the future \(today is (.+)\)$/, '$1的完成日期不得晚于今天（$2）'],
  [/^a make-up working day \(调休\) must be a Saturday or Sunday$/, '调休上班日须为周六或周日'],
  [/^also listed as a holiday$/, '已列为放假日期'],
  [/^duplicate date$/, '日期重复'],
  [/^the period is at most one year: (.+) to (.+) at the latest$/, '统计期间至多一年：自 $1 起，最晚至 $2'],
  // Amounts and quantities (a bound in yuan already said in 万元 beside a 万元 field).
  [/^at most (.+) remain$/, '余额仅 $1'],
  [/^at most (.+)$/, '至多 $1'],
  [/^must be at least (.+)$/, '须不少于 $1'],
  [/^projects hold (.+)$/, '项目已占用 $1'],
  // Parks and inventory records.
  [/^(.+) is not one of the zone's parks: (.+?) \(GET \/config\/parks.*$/, '$1 不是本区的园区（本区园区：$2）'],
  [/^a park center keeps the records of its own park \((.+)\)$/, '园区事业服务中心只维护本园区（$1）的记录'],
  [/^your token names no park: .*$/, '您的账号未设置所属园区：请联系平台运维设置后重新登录'],
  [/^already in the inventory$/, '清单中已有此编号'],
  [/^held by a project$/, '已被项目占用'],
  // A site another project took first (a reservation's 409 names the record's state).
  [/^reserved$/, '已被其他项目预留'],
  [/^transferred$/, '已出让给其他项目'],
  [/^leased$/, '已租给其他项目'],
  [/^retired$/, '已停用（不在清单中）'],
  [/^already held by this project$/, '本项目已预留'],
  [/^identifies the record and cannot change: retire it and create a new one$/, '此项标识记录，不能修改：请停用此记录后另行新增'],
  // The project's terms, letters, the ladder's records.
  [/^locked after admission: use a contract amendment$/, '准入后不能直接修改：请通过合同变更'],
  [/^industrial projects are registered by .+$/, '产业项目由产业规划与创新管理部登记'],
  [/^scitech projects are registered by .+$/, '科创项目由科技服务中心登记'],
  [/^send at least one changed field$/, '请至少修改一项'],
  [/^name at least one term with a new value$/, '请至少填写一项变更后的条款'],
  [/^not allowed on a 容缺 obligation$/, '容缺补正事项不能再次容缺'],
  [/^the issuing department \(.+\)$/, '不能发给发函单位本身'],
  [/^a decision to continue names at least one rectification item$/, '继续推进须列出至少一项整改事项'],
  [/^a decision to proceed has no rectification plan$/, '进入履约核查时不填整改计划'],
  // A refusal of what the project lacks or of a round moved on (no field of the form: said with what it concerns).
  [/^no parcels reservation held$/, '项目尚未预留土地（由园区事业服务中心或规划和自然资源局在“资源预留”中预留）'],
  [/^no facilities reservation held$/, '项目尚未预留闲置厂房/楼宇（由园区事业服务中心或规划和自然资源局在“资源预留”中预留）'],
  [/^the gate is in round (\d+)$/, '转段已进入第 $1 轮（页面已刷新，请按最新情况重新提交）'],
  [/^filed already: a correction needs If-Match$/, '该季度数据已报送（刷新页面后可查看并更正）'],
  [/^clause (.+) is listed twice$/, '条款“$1”重复'],
  [/^(.+) is listed twice$/, '“$1”重复'],
  [/^(.+) is also listed as handed in \(documents\[(\d+)\]\)$/, '“$1”已列为已交材料，不能同时容缺'],
  [/^(.+) is owed already by (\S+) \(due (.+)\)$/, '“$1”已有容缺补正事项（$2，期限 $3），请按该事项补交'],
  [/^(.+) \((\w+)\) is agreed already$/, '“$1”已列为该单位的事项，不能重复'],
  [/^a meeting record holds at most (\d+) follow-ups: it has (\d+), (\d+) more fit$/, '一份会议记录至多 $1 项跟进事项：已有 $2 项，还可增加 $3 项'],
  [/^a round's rectification plan holds at most (\d+) items: the departments named (\d+) before, (\d+) more fit$/, '本轮整改计划（各部门合计）至多 $1 项：其他部门已提出 $2 项，还可提出 $3 项'],
];

/**
 * The API's bare state words for a site another project took first (a reservation's 409 names the record's state), said
 * whole on an English page too: `reserved` alone beside the field reads as if this project held it.
 */
const EN_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/^reserved$/, 'reserved by another project'],
  [/^transferred$/, 'transferred to another project'],
  [/^leased$/, 'leased to another project'],
  [/^retired$/, 'retired (no longer in the inventory)'],
];

/** A field message in the console's language (`zh`: the common ones translated; `en`: the bare state words said whole). */
export function inLanguage(message: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return EN_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? message;
  // Filled as the notices write Chinese (kernel/domain/zh-spacing.ts): 须大于0, 不得晚于2027-01-20, EIA 报告.
  for (const [pattern, words] of ZH_MESSAGES) {
    const m = pattern.exec(quotaUnitsInZh(message));
    if (m) return zhFill(words, m.slice(1));
  }
  return message;
}

/** A quota's unit as a Chinese page says it (余额仅120吨, not 余额仅 120 t); kVA and MW are said as they are. */
const quotaUnitsInZh = (said: string) => said.replace(/(\d) (tce|t\/d|t\/h|m3\/d|t)(?=$|[\s)），;；])/g, (_, d: string, u: string) => besideZh(d, UNIT_LABELS[u]!.zh));

/**
 * What a field error's stable code says, in Chinese: the lead of a message the page has no translation for (the
 * English is kept after it, since it names the dates, records and bounds).
 */
const ZH_CODES: Readonly<Record<string, string>> = {
  required: '必填',
  type: '类型不对',
  enum: '不是可选的值',
  format: '格式不对',
  too_small: '过小',
  too_big: '过大',
  out_of_range: '超出允许的范围',
  not_allowed: '不允许',
  unknown_field: '不接受此字段',
  unknown_ref: '所指的记录不存在',
  duplicate: '重复',
  empty: '没有任何改动',
  state: '当前状态不允许',
  malformed: '无法读取',
  invalid: '不符合要求',
  stale: '记录已被修改',
};

/** A field error in the page's language: its message translated, else (in Chinese) its code's words before the English. */
export function fieldMessage(e: { code?: string; message?: string }, lang: 'zh' | 'en', prepare: (m: string) => string = (m) => m): string {
  const message = prepare(e.message ?? '');
  const said = inLanguage(message, lang);
  const lead = e.code === undefined ? undefined : ZH_CODES[e.code];
  return lang === 'zh' && said === message && lead !== undefined ? (message ? `${lead}（${message}）` : lead) : said;
}

/**
 * A detail worded in Chinese (the page's own, put in a problem it re-throws): Chinese characters and no English words
 * in a row — the API's details are English sentences, whichever Chinese names they carry or begin with.
 */
const inChinese = (detail: string) => /[\u3400-\u9fff]/.test(detail) && !/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(detail);

export function problemToForm(problem: { status?: number; type?: string; title?: string; detail?: string; errors?: { path?: string; code?: string; message?: string }[] }, fieldNames: readonly string[], lang: 'zh' | 'en' = 'en'): FormProblem {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of problem.errors ?? []) {
    // A path parameter (`path.aid`: the allocation released) names the record the page acts on, not a field of the
    // form: the detail says what is wrong with it, whole.
    if (e.path?.startsWith('path.')) continue;
    // A request header the page sets itself (a stale If-Match: the record moved on) is no field either: the refusal's
    // detail, said whole, tells the user what happened.
    if (e.path === 'If-Match' || e.path === 'Idempotency-Key') continue;
    // A list's or report's query parameter (`query.from`) is its filter form's field (`from`).
    const path = (e.path ?? '').replace(/^query\./, '');
    // The field the path names: the form's own name for it (`investor.name`) if it has one, else its first segment.
    const field = fieldNames.filter((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`)).sort((a, b) => b.length - a.length)[0] ?? path.split(/[.[]/)[0] ?? '';
    // A path inside the field (a configuration's `doc.tasks[7].limitWd`, a calendar's `holidays[2]`) is named with its
    // message: which entry, which line (#3 for the third).
    const inner = fieldNames.includes(field) && path !== field ? path.slice(field.length).replace(/^\./, '').replace(/^\[(\d+)\]\.?/, (_, n: string) => `#${Number(n) + 1} `).trim() : '';
    // A field typed in 万元 is sent in yuan: the API's bounds (at most 500000) are said in 万元 beside it (50 万元).
    const said = fieldMessage(e, lang, (m) => (WAN_FIELD.test(field) ? amountsInWan(m, lang) : m));
    const message = inner ? `${inner}: ${said}` : said;
    if (fieldNames.includes(field)) fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    // Not a field of the form (what the project lacks, the gate's round): on a Chinese page named in words, not by the
    // API's path ("reservation: 必填（no parcels reservation held）" told a department nothing it could act on).
    else rest.push(e.path ? (lang === 'zh' ? `${NON_FIELD_WORDS[e.path] ?? e.path}：${message}` : `${e.path}: ${message}`) : message);
  }
  // The detail is shown unless the field messages already say everything it says; on a Chinese page led by what the
  // refusal is (the API's detail is English).
  const own = refusalDetail(problem, lang);
  const detail = own ?? problem.detail ?? problem.title;
  // (Not before a detail the page already words in Chinese: its own message for a record changed meanwhile. The API's
  // English naming something in Chinese — 'The 落地转段会议 gate is not open', or beginning with it: '汇通产业园 power is
  // leased: …' — is English still, and led all the same.)
  // A 409 concurrent-change is no conflict with the state: the write kept losing its race to others, nothing was
  // written, and the same submission again goes through (said as such, not as 与当前状态冲突).
  const lead = lang === 'zh' && problem.status !== undefined && own === undefined && !inChinese(detail ?? '') ? (contended(problem) ? ZH_CONTENDED : ZH_STATUS[problem.status]) : undefined;
  const general = rest.length ? rest.join('; ') : Object.keys(fields).length ? undefined : lead && detail ? `${lead}：${detail}` : detail;
  return { fields, general };
}

/** A list of role codes as the API names them (`a, b`), in the page's language. */
const rolesIn = (codes: string, lang: 'zh' | 'en') =>
  codes
    .split(/,\s*/)
    .map((c) => ROLE_LABELS[c as Role]?.[lang] ?? c)
    .join(lang === 'zh' ? '、' : ', ');

/**
 * The refusals every form can meet whatever it records, said whole in the page's language (the API's detail is English,
 * and a Chinese lead before it read 无权办理：This action needs one of the roles: committee_leader): a role that may not,
 * a record another official saved first (412), a submission key that went with another body (422), a record not there.
 * Undefined for any other detail (shown as the API gave it).
 */
export function refusalDetail(problem: { status?: number; type?: string; detail?: string }, lang: 'zh' | 'en'): string | undefined {
  const detail = problem.detail ?? '';
  const type = problem.type ?? '';
  // (Worded as the inventory's record form words it; the version it is at now, where the API names it.)
  if (type.endsWith('/stale-version')) {
    const now = / is at version (\d+)/.exec(detail)?.[1];
    return lang === 'zh'
      ? `保存未成功：此记录在您打开后已被他人修改${now ? zh`（现为版本 ${now}）` : ''}，页面已载入最新内容。请核对后再保存。`
      : `Not saved: someone changed this record after you opened it${now ? ` (it is at version ${now} now)` : ''}. The page now shows the current record; check it and save again.`;
  }
  if (type.endsWith('/idempotency-key-reused')) return lang === 'zh' ? '未保存：本次提交与此前一次提交的内容不同，未写入任何内容，请再次提交' : 'Not saved: this submission differed from the one before it, and nothing was written. Submit again.';
  const roles = /^.+ needs one of the roles: (.+)$/.exec(detail) ?? /^.+ is for: (.+?)(?: \(of the project’s park\))?$/.exec(detail);
  if (problem.status === 403 && roles) return lang === 'zh' ? `无权办理：此事项由${rolesIn(roles[1]!, 'zh')}办理` : `Not allowed: this is done by ${rolesIn(roles[1]!, 'en')}`;
  // A park center's account with no park set (kernel/domain/principal.ts tokenNamesNoPark): the cause and what to do.
  if (problem.status === 403 && /^Your token names no park: /.test(detail))
    return lang === 'zh'
      ? '无权办理：您的账号未设置所属园区，园区事业服务中心只办理本园区的事务。请联系平台运维为账号设置所属园区后重新登录'
      : "Not allowed: your account names no park, and a park service center acts only in its own park. Ask ops to set your account's park, then sign in again";
  if (problem.status === 403 && / is for the zone's departments and offices, not an enterprise$/.test(detail)) return lang === 'zh' ? '无权办理：此事项由开发区各部门办理，企业不能办理' : "Not allowed: this is done by the zone's departments, not by an enterprise";
  const missing = /^No (project|letter) (\S+)$/.exec(detail);
  if (problem.status === 404 && missing && lang === 'zh') return `${missing[1] === 'project' ? '项目' : '函件'} ${missing[2]} 不存在或无权查看`;
  if (problem.status === 409 && lang === 'zh') return exitRefusalInZh(detail) ?? gateRefusalInZh(detail);
  return undefined;
}

/**
 * A gate not open (yet) when an approval or its meeting was sent (the form was offered on a reading since changed: a task
 * reopened, another tab): said whole in Chinese, the gate by its own name. Undefined for any other detail.
 */
function gateRefusalInZh(detail: string): string | undefined {
  let x: RegExpExecArray | null;
  if ((x = /^The (\S+) gate is not open yet: its meeting is recorded once the stage's tasks are done$/.exec(detail))) return `${x[1]}尚未开启：本阶段任务办结后方可记录转段会议；页面已刷新`;
  if ((x = /^The (\S+) gate is not open: the stage's required tasks are not done$/.exec(detail))) return `${x[1]}尚未开启：本阶段必办任务尚未全部办结；页面已刷新`;
  if ((x = /^The (\S+) gate is not open: it opens once .+$/.exec(detail))) return `${x[1]}尚未开启：本阶段必办任务办结、项目所欠事项办结且一年达产数据达到合同目标后开启；页面已刷新`;
  return undefined;
}

/** A project's status and its exit's, as a Chinese refusal names them. */
const ZH_PROJECT_STATUS: Readonly<Record<string, string>> = { PENDING_ADMISSION: '待准入', ACTIVE: '推进中', REJECTED: '未准入', EXITED: '已退出', COMPLETED: '已达产' };
const ZH_EXIT_STATUS: Readonly<Record<string, string>> = { decided: '已决定', running: '执行中', failed: '执行失败', done: '已完成' };

/**
 * The rarer 409s of the ladder's last rung, said whole in Chinese (a 与当前状态冲突 lead before the API's English told
 * the committee leader nothing): an exit decided already (another tab, another leader), a decision after the ladder
 * left the exit rung (an extension meanwhile), a project no longer active or being exited, an exit with no check that
 * found a breach. Undefined for any other detail.
 */
function exitRefusalInZh(detail: string): string | undefined {
  const m = (re: RegExp) => re.exec(detail);
  let x: RegExpExecArray | null;
  if ((x = m(/^The exit of project (\S+) is (\w+) \(.+\)$/))) return `项目 ${x[1]} 的退出已经决定（退出程序${ZH_EXIT_STATUS[x[2]!] ?? x[2]}），不能再次决定；页面已刷新`;
  if ((x = m(/^The exit decision is taken at the ladder's exit rung \(L(\d+)\); project (\S+) is at L(\d+)$/)))
    return `退出决定只在督办 L${x[1]}（退出程序）作出：项目 ${x[2]} 现处于 L${x[3]}，页面已刷新`;
  if ((x = m(/^(?:.+: )?[Pp]roject (\S+) is being exited 退出程序 \((\w+), .+\)$/))) return `项目 ${x[1]} 正在退出程序中（${ZH_EXIT_STATUS[x[2]!] ?? x[2]}），此事项不再办理`;
  if ((x = m(/^No compliance check 履约核查 \(L4\) of this climb is on record for project (\S+): .+$/))) return `项目 ${x[1]} 本轮督办尚无履约核查记录：退出须以认定违约的履约核查为据，请先记录履约核查或决定延期`;
  if ((x = m(/^The compliance check no\. (\d+) \((.+)\) found no clause breached: extend instead of exiting$/))) return zh`第 ${x[1]} 号履约核查（${x[2]}）未认定违约：不能退出，请决定延期`;
  if ((x = m(/^The (interview 约谈|joint assessment 联合研判|compliance check 履约核查) is the ladder's L(\d+) rung; project (\S+) is at L(\d+)$/)))
    return `${x[1]!.split(' ')[1]}在督办 L${x[2]} 记录：项目 ${x[3]} 现处于 L${x[4]}，页面已刷新`;
  if ((x = m(/^(?:.+: )?[Pp]roject (\S+) is ([A-Z_]+)$/)) && ZH_PROJECT_STATUS[x[2]!]) return `项目 ${x[1]} 现为“${ZH_PROJECT_STATUS[x[2]!]}”，此事项不能办理`;
  if ((x = m(/^The project is ([A-Z_]+): nothing to extend$/)) && ZH_PROJECT_STATUS[x[1]!]) return `项目${ZH_PROJECT_STATUS[x[1]!]}，无需延期`;
  return undefined;
}

/** What an error names that is not a field of any form (the API's path), on a Chinese page. */
const NON_FIELD_WORDS: Readonly<Record<string, string>> = { reservation: '资源预留', round: '会签轮次' };

/** A write that kept losing its race to others (409 concurrent-change): nothing written, the same request goes through. */
const contended = (problem: { status?: number; type?: string }) => problem.status === 409 && !!problem.type?.endsWith('/concurrent-change');

/**
 * What a button's refused write says (no form around it: a record retired, a run resumed), or undefined for the page's
 * usual 出错 line: a lost race (409 concurrent-change) is said as one to try again, in the page's language.
 */
export function raceLost(problem: { status?: number; type?: string; title?: string; detail?: string } | undefined, lang: 'zh' | 'en'): string | undefined {
  return problem && contended(problem) ? problemToForm(problem, [], lang).general : undefined;
}

/** A write that kept losing its race to others (409 concurrent-change), on a Chinese page: retry it. */
const ZH_CONTENDED = '记录正被他人同时修改，本次未写入任何内容，请稍后重新提交';

/** What a refusal without a field is, on a Chinese page (its English detail follows). */
const ZH_STATUS: Readonly<Record<number, string>> = {
  400: '请求有误',
  403: '无权办理',
  404: '未找到',
  409: '与当前状态冲突',
  412: '记录已被修改，请刷新后重试',
  413: '内容过大',
  429: '请求过于频繁，请稍后再试',
  503: '服务暂不可用，请稍后再试',
};

/** `matrixVersion`: ops' and the committee leader's only (others are refused 403 on `query.matrixVersion`). */
export const LEDGER_FILTERS = ['stage', 'status', 'park', 'light', 'track', 'category', 'escalation', 'matrixVersion'] as const;
export type LedgerFilters = Partial<Record<(typeof LEDGER_FILTERS)[number], string>>;

/** Who may list the projects by the responsibility matrix version they follow (GET /projects?matrixVersion=N). */
export const mayFilterByMatrix = (id: Identity | undefined) => has(id, 'ops') || has(id, 'committee_leader');
/** A matrix version as GET /projects takes it: a whole number from 1. */
const MATRIX_VERSION = /^[1-9][0-9]{0,8}$/;

/** The filters that are set as a query string, in a stable order (GET /projects, the exports, the page's hash). */
export function filterParams(filters: LedgerFilters, keys: readonly (typeof LEDGER_FILTERS)[number][] = LEDGER_FILTERS): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of keys) {
    const v = filters[k]?.trim();
    if (v) q.set(k, v);
  }
  return q;
}

/** The ledger's filters in the page's hash (`#/ledger?light=red`): only the filters the ledger knows. */
/**
 * The codes a coded filter may take (the page's dropdowns offer these and "all"); the park is the zone's own name, kept
 * as the address gives it.
 */
const FILTER_CODES: Partial<Record<(typeof LEDGER_FILTERS)[number], readonly string[]>> = { stage: STAGES, status: STATUSES, light: LIGHTS, track: TRACKS, category: CATEGORIES, escalation: ESCALATION_LEVELS.slice(1) };

/**
 * The ledger filters an address names: a coded filter with a value that is none of its codes (an edited or old link,
 * `?escalation=1`) is left out — the page shows "all" for it, and asking the API with it would only answer a 400 in
 * place of the ledger. The matrix version likewise, and for `me` only where they may filter by it (another role's
 * link naming it would be a 403).
 */
export function hashFilters(hash: string, me?: Identity): LedgerFilters {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  return Object.fromEntries(
    LEDGER_FILTERS.flatMap((k): [string, string][] => {
      const v = q.get(k)?.trim();
      if (k === 'matrixVersion') return v && mayFilterByMatrix(me) && MATRIX_VERSION.test(v) ? [[k, v]] : [];
      return v && (FILTER_CODES[k]?.includes(v) ?? true) ? [[k, v]] : [];
    }),
  ) as LedgerFilters;
}

/**
 * The ledger export (CSV or XLSX) of what the page shows: the same filters as its GET /projects (the matrix version
 * too: the export routes take it, with the same rule of who may ask), in the page's language (`lang=en` on the English page; the Chinese
 * file is the API's default).
 */
export function exportPath(ext: 'csv' | 'xlsx', filters: LedgerFilters, cursor?: string, lang: 'zh' | 'en' = 'zh'): string {
  const params = filterParams(filters);
  // The file after the first (5,000 rows a file): the cursor the previous file's X-Next-Cursor named.
  if (cursor) params.set('cursor', cursor);
  if (lang === 'en') params.set('lang', 'en');
  const q = params.toString();
  return `/reports/ledger.${ext}${q ? `?${q}` : ''}`;
}

/** GET /projects with the filters that are set, in a stable order; `cursor` for the page after the first. */
export function ledgerQuery(filters: LedgerFilters, limit = 100, cursor?: string): string {
  const q = filterParams(filters);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return `/projects?${q.toString()}`;
}

/** A list's path with `cursor` added when there is one. */
export const withCursor = (path: string, cursor?: string) => (cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path);

export type StepState = 'done' | 'current' | 'todo';

/** The progress line: stages before the current one are done; a completed project has done them all. */
export function stageSteps(stage: Stage, status: string): { stage: Stage; state: StepState }[] {
  const at = STAGES.indexOf(stage);
  return STAGES.map((s, i) => ({ stage: s, state: status === 'COMPLETED' || i < at ? 'done' : i === at ? 'current' : 'todo' }));
}

/** Open tasks soonest due first; tasks without a due date (not started) last. */
export function soonestFirst<T extends { dueDate: string | null }>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => (a.dueDate ?? '9999') .localeCompare(b.dueDate ?? '9999'));
}

/** The year of a business date (`YYYY-MM-DD`, the API's today). */
export const yearOf = (today: string) => Number(today.slice(0, 4));

/** The years the ops page checks for a loaded calendar: last year to two years ahead of the business date. */
export const calendarYearsToCheck = (today: string) => [-1, 0, 1, 2].map((d) => yearOf(today) + d);

/** Asia/Shanghai is UTC+8 all year (no daylight saving): an instant's wall clock there. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const shanghaiIso = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
};

/**
 * A date as people in the zone read it: a calendar date (`YYYY-MM-DD`, already a Shanghai date in the API) as it is;
 * an instant (`…T…Z`) as its Shanghai date.
 */
export function shanghaiDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return shanghaiIso(value)?.slice(0, 10) ?? value;
}

/** An instant as its Shanghai date and time to the minute (`YYYY-MM-DD HH:mm`). */
export function shanghaiInstant(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const s = shanghaiIso(value);
  return s ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : value;
}

/**
 * An amount in yuan: 亿元 from 1亿, 万元 below it (元 below 1万); in English millions, plain yuan below a million. Said
 * to the yuan (as many decimals as the unit needs, none shown when they are 0): a fund bucket's 3,995,000 left read
 * 'CNY 4 M' with two decimals — more than remains.
 */
export function yuanText(n: number | null | undefined, lang: string): string {
  if (n === null || n === undefined) return '—';
  const fmt = (v: number, locale: string, decimals: number) => v.toLocaleString(locale, { maximumFractionDigits: decimals });
  if (lang === 'zh') {
    if (Math.abs(n) >= 1e8) return besideZh(fmt(n / 1e8, 'zh-CN', 8), '亿元');
    if (Math.abs(n) >= 1e4) return besideZh(fmt(n / 1e4, 'zh-CN', 4), '万元');
    return besideZh(fmt(n, 'zh-CN', 2), '元');
  }
  return Math.abs(n) >= 1e6 ? `CNY ${fmt(n / 1e6, 'en', 6)} M` : `CNY ${fmt(n, 'en', 2)}`;
}

/**
 * The progress form's percentages before they are sent: each required, a number from 0 to 100 — an empty field is
 * not 0 (Number('') is), which would wipe the progress reported so far. Undefined when both are good.
 */
export function percentProblem(values: Record<string, string | undefined>, names: readonly string[], words: { required: string; range: string }): FormProblem | undefined {
  const fields: Record<string, string> = {};
  for (const name of names) {
    const v = (values[name] ?? '').trim();
    if (!v) fields[name] = words.required;
    else if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 100) fields[name] = words.range;
  }
  return Object.keys(fields).length ? { fields } : undefined;
}

/** A rejection of a gate as the timeline records it (gate.reject: the approver's role, comment and round). */
export interface Rejection {
  readonly at: string;
  readonly role?: string;
  readonly by?: string;
  readonly comment?: string;
  readonly round?: number;
}

/**
 * The rejection that ended the gate's previous round, from the timeline: the gate's view carries this round's decisions
 * only, so after a rejection it would show nothing of who rejected it and why. Undefined when the round is the first.
 */
export function lastRejection(
  events: readonly { at: string; action: string; actorName?: string; actor?: string; after?: Record<string, unknown> }[],
  stage: string,
  round: number | undefined,
): Rejection | undefined {
  let found: Rejection | undefined;
  for (const e of events) {
    if (e.action !== 'gate.reject' || e.after?.stage !== stage) continue;
    const r = typeof e.after.round === 'number' ? e.after.round : undefined;
    if (round !== undefined && r !== undefined && r >= round) continue;
    if (found && e.at < found.at) continue;
    found = { at: e.at, role: typeof e.after.role === 'string' ? e.after.role : undefined, by: e.actorName ?? e.actor, comment: typeof e.after.comment === 'string' ? e.after.comment : undefined, round: r };
  }
  return found;
}

/** Why a gate's round began, as GET /projects/{id} says it (`gate.previousRound`, null in round 1). */
export interface PreviousRound {
  readonly round: number;
  readonly rejections: readonly { readonly role: string; readonly by: string; readonly at: string; readonly comment?: string }[];
}

/**
 * The rejections that ended the gate's previous round: the gate view's (`previousRound`), each approver named as the
 * timeline names them (its gate.reject event; the account otherwise). The timeline's last rejection only where the gate
 * view says nothing of it (an older API); none in round 1.
 */
export function previousRejections(
  g: { readonly stage: string; readonly round?: number; readonly previousRound?: PreviousRound | null },
  events: Parameters<typeof lastRejection>[0],
): Rejection[] {
  const prev = g.previousRound;
  if (prev === null) return [];
  if (prev === undefined) {
    const last = lastRejection(events, g.stage, g.round);
    return last ? [last] : [];
  }
  return prev.rejections.map((r) => {
    const e = events.find((x) => x.action === 'gate.reject' && x.after?.stage === g.stage && x.after.role === r.role && x.after.round === prev.round && (x.actor === undefined || x.actor === r.by));
    return { at: r.at, role: r.role, by: e?.actorName ?? r.by, comment: r.comment, round: prev.round };
  });
}

/**
 * A project's descriptive fields are edited (PATCH, over the version read) by its track's department unless the project
 * was exited or rejected: a COMPLETED one still is (the API takes it), as are open ones.
 */
export const canEditProject = (id: Identity | undefined, p: { track: string; status: string }) =>
  p.status !== 'EXITED' && p.status !== 'REJECTED' && has(id, p.track === 'scitech' ? 'scitech_dept' : 'investment_dept');

/** The contract's terms change after admission only by an amendment 合同变更, decided by the committee leader. */
export const canAmendContract = (id: Identity | undefined, p: { status: string; exit?: { readonly status: string } | null }) => p.status === 'ACTIVE' && !exitUnderWay(p) && has(id, 'committee_leader');

/** The groups of figures (numbers each; the API merges a change of one into what the project holds). */
const NUMERIC_GROUPS = new Set(['targets', 'needs']);
const at = (record: Record<string, unknown>, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), record);

/** What a field prefilled from a record shows: an amount in 万元 (yuan / 10,000), a number or text as it is; absent, empty. */
export function shownValue(record: Record<string, unknown>, key: string): string {
  const v = at(record, key);
  if (v === undefined || v === null) return '';
  return IN_WAN.has(key) && typeof v === 'number' ? String(Number((v / 10_000).toFixed(4))) : String(v);
}

/**
 * What a contract amendment changed, term by term in the order `keys` lists them, from the API's record of it
 * (`changes`: each contract field changed with its `before` and `after`, a group such as `targets` whole): each term
 * whose value moved, before and after as the forms show them (万元 where they use 万元), null where it had none or has
 * none now. Terms that did not move are left out.
 */
export function changedTerms(changes: Record<string, unknown>, keys: readonly string[]): { key: string; before: string | null; after: string | null }[] {
  return keys.flatMap((key) => {
    const [head, ...rest] = key.split('.');
    const change = changes[head!];
    if (!change || typeof change !== 'object') return [];
    const { before, after } = change as { before?: unknown; after?: unknown };
    const side = (v: unknown) => {
      const shown = shownValue({ [head!]: v }, [head!, ...rest].join('.'));
      return shown === '' ? null : shown;
    };
    const was = side(before);
    const now = side(after);
    return was === now ? [] : [{ key, before: was, after: now }];
  });
}

/**
 * A prefilled form's changes in the API's shape: each field whose typed value differs from what it showed; a group
 * (`targets`, `needs`: merged by the API, RFC 7396) with its changed fields only; `investor.name` as
 * `investor: { name }`. Amounts typed in 万元 go in yuan, numbers as numbers; a group's field emptied is sent as null
 * (the API removes it), another field emptied is sent empty (for the API to say it is required).
 */
export function changesOf(values: Record<string, string | undefined>, record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const typed = (values[key] ?? '').trim();
    if (typed === shownValue(record, key)) continue;
    const [head, sub] = key.split('.') as [string, string | undefined];
    const numeric = IN_WAN.has(key) || NUMERIC_GROUPS.has(head);
    const value = IN_WAN.has(key) ? wanToYuan(typed) : numeric ? numberOf(typed) : typed || undefined;
    // A field that had a value and was emptied is sent empty, so the API names it (a name cannot be blank), rather than
    // left out as unchanged.
    if (sub === undefined) {
      out[head] = value ?? '';
    } else if (head === 'investor') {
      out.investor = { name: value ?? '' };
    } else {
      out[head] = { ...((out[head] as Record<string, unknown> | undefined) ?? {}), [sub]: value ?? null };
    }
  }
  return out;
}

/** What an audit event is about (its `subject` key), as the audit query shows it: a project, a record, a document… */
export type AuditSubject =
  /** `name`: the project's name when the event was recorded (`subjectName`; absent on older events). */
  | { readonly kind: 'project'; readonly id: string; readonly name?: string }
  /**
   * An inventory record: its kind (by its id's prefix), what names it when the event's change carries it (its code,
   * year…) and what the zone called it when the event was recorded (`subjectName`; absent on older events).
   */
  | { readonly kind: 'resource'; readonly id: string; readonly resourceKind?: InventoryKind; readonly facts: { readonly code?: string; readonly year?: number; readonly pollutant?: string; readonly park?: string; readonly utility?: string }; readonly name?: string }
  | { readonly kind: 'config'; readonly name: string }
  | { readonly kind: 'calendar'; readonly year: string }
  | { readonly kind: 'department'; readonly role: string; readonly park?: string }
  | { readonly kind: 'channel'; readonly id: string }
  | { readonly kind: 'fund'; readonly year: string }
  | { readonly kind: 'other'; readonly key: string };

const KIND_OF_PREFIX = new Map(INVENTORY_KINDS.map((k) => [ID_PREFIX[k], k] as const));

/** An audit event's subject (`PROJECT#…`, `RESOURCE#…`, `CONFIG#…`, `CALENDAR#…`, `DEPARTMENT#…`, `CHANNEL#…`, `FUND#…`) read. */
export function auditSubject(e: { readonly subject: string; readonly subjectName?: string | null; readonly before?: Record<string, unknown>; readonly after?: Record<string, unknown> }): AuditSubject {
  const named = typeof e.subjectName === 'string' && e.subjectName ? { name: e.subjectName } : {};
  const cut = e.subject.indexOf('#');
  const [head, rest] = cut < 0 ? [e.subject, ''] : [e.subject.slice(0, cut), e.subject.slice(cut + 1)];
  if (!rest) return { kind: 'other', key: e.subject };
  switch (head) {
    case 'PROJECT':
      return { kind: 'project', id: rest, ...named };
    case 'CONFIG':
      return { kind: 'config', name: rest };
    case 'CALENDAR':
      return { kind: 'calendar', year: rest };
    case 'CHANNEL':
      return { kind: 'channel', id: rest };
    case 'FUND':
      return { kind: 'fund', year: rest };
    case 'DEPARTMENT': {
      const [role = '', park] = rest.split('#');
      return park ? { kind: 'department', role, park } : { kind: 'department', role };
    }
    case 'RESOURCE': {
      // What names the record, as far as the event recorded it (a new record's facts; a change records what changed).
      const factsIn = (v: Record<string, unknown> | undefined) => (v && typeof v.facts === 'object' && v.facts !== null ? (v.facts as Record<string, unknown>) : {});
      const all = { ...factsIn(e.before), ...factsIn(e.after) };
      const str = (k: string) => (typeof all[k] === 'string' ? (all[k] as string) : undefined);
      const facts = { code: str('code'), year: typeof all.year === 'number' ? all.year : undefined, pollutant: str('pollutant'), park: str('park'), utility: str('utility') };
      return { kind: 'resource', id: rest, resourceKind: KIND_OF_PREFIX.get(rest.split('-')[0] ?? ''), facts: Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)), ...named };
    }
    default:
      return { kind: 'other', key: e.subject };
  }
}

/**
 * A configuration version's note as the page shows it: the seed's on a built-in configuration in the page's words (an
 * earlier seed stored an English developer note, defaults from domain.md); ops' own note as they wrote it.
 */
export const configNote = (note: string, t: T): string => (isSeedNote(note) ? t.t('seedNote') : note);

/** An audit event's fields the pages have a word for (dotted: a field inside another): the label they show it under. */
const AUDIT_FIELD_WORDS: Readonly<Record<string, Word>> = {
  name: 'name',
  park: 'park',
  stage: 'stage',
  status: 'status',
  light: 'light',
  track: 'track',
  category: 'category',
  industry: 'industry',
  attractionMode: 'attractionMode',
  techLevel: 'techLevel',
  chainRole: 'chainRole',
  siteMode: 'siteMode',
  'investor.name': 'investor',
  'investor.enterpriseId': 'enterpriseId',
  totalInvestmentCny: 'investment',
  'targets.outputValueCny': 'annualOutput',
  'targets.taxCny': 'tax',
  'targets.jobs': 'jobs',
  'needs.areaM2': 'area',
  'needs.powerKva': 'needPowerKva',
  'needs.floorLoadKnM2': 'floorLoad',
  plannedCompletion: 'plannedCompletion',
  dedicatedTeam: 'team',
  matrixVersion: 'matrixVersion',
  'escalation.name': 'escalation',
  dueDate: 'dueDate',
  lead: 'lead',
  decision: 'decision',
  comment: 'comment',
  note: 'comment',
  reason: 'reason',
  version: 'version',
  subject: 'subject',
};
/** A project's status in words; a task's (open, done…); another record's (an inventory record's: available, reserved…). */
const statusWords = (t: T, c: string) => ((STATUSES as readonly string[]).includes(c) ? t.status(c) : (t.auditCode('taskStatus', c) ?? t.resourceStatus(c)));
/** A code in the audit's words for it (i18n AUDIT_CODE), as it is where it has none. */
const auditCode = (field: Parameters<T['auditCode']>[0]) => (t: T, c: string) => t.auditCode(field, c) ?? c;
/** The codes a field holds, in the page's words (a department by its name wherever a value is a role's code). */
const AUDIT_CODE_WORDS: Readonly<Record<string, (t: T, code: string) => string>> = {
  stage: (t, c) => t.stage(c),
  status: statusWords,
  light: (t, c) => t.light(c),
  track: (t, c) => t.track(c),
  category: (t, c) => t.category(c),
  industry: (t, c) => t.industry(c),
  attractionMode: (t, c) => t.attractionMode(c),
  techLevel: (t, c) => t.techLevel(c),
  chainRole: (t, c) => t.chainRole(c),
  siteMode: (t, c) => t.siteMode(c),
  'escalation.name': (t, c) => t.escalation(c),
  note: (t, c) => configNote(c, t),
  kind: (t, c) => t.resourceKind(c),
  'exit.status': (t, c) => t.exitStatus(c),
  'workflow.status': auditCode('workflow.status'),
  'trigger.kind': auditCode('trigger.kind'),
  'escalation.trigger.kind': auditCode('trigger.kind'),
  'next.step': (t, c) => t.escalation(c),
  'escalation.next.step': (t, c) => t.escalation(c),
  'dedicatedTeam.kind': auditCode('dedicatedTeam.kind'),
  'to.kind': auditCode('to.kind'),
  cause: auditCode('cause'),
  effect: auditCode('effect'),
  'gateKept.because': auditCode('gateKept.because'),
  decision: auditCode('decision'),
  'outcome.decision': auditCode('decision'),
  bucket: (t, c) => bucketLabel(c, t.lang),
  'facts.supply': auditCode('facts.supply'),
  'facts.facilityType': auditCode('facts.facilityType'),
  'facts.outline.type': auditCode('facts.outline.type'),
  'facts.pollutant': auditCode('facts.pollutant'),
  'facts.utility': (t, c) => t.utility(c),
  'facts.unit': (t, c) => t.unit(c),
  'facts.use': (t, c) => t.landUse(c),
  'facts.industries': (t, c) => t.industry(c),
  stopped: auditCode('stopped'),
  source: auditCode('source'),
  reason: auditCode('reason'),
  // A published configuration: the settings it changed, and the codes its settings hold.
  changed: (t, c) => t.auditField(`doc.${c}`) ?? c,
  'doc.ladderTasks': auditCode('ladderTasks'),
  ...Object.fromEntries(INVENTORY_KINDS.map((k) => [`doc.kinds.${k}.refresh`, auditCode('refresh')])),
  'doc.priorityUpgrade.industries': (t, c) => t.industry(c),
  'doc.priorityUpgrade.techLevels': (t, c) => t.techLevel(c),
  'doc.priorityUpgrade.chainRoles': (t, c) => t.chainRole(c),
};
/**
 * A map's keys that are codes (a letter series, a fund bucket, a rung): the key in words beside the map's word
 * (函件文号格式（督办函）). Any other map's key (a quarter, 2027Q1; a channel's id) is shown as it is.
 */
const AUDIT_MAP_KEY_WORDS: Readonly<Record<string, (t: T, code: string) => string>> = {
  'doc.series.*': (t, c) => t.letterSeries(c),
  'budgetCny.*': (t, c) => bucketLabel(c, t.lang),
  'escalation.rungsSince.*': (t, c) => t.escalation(c),
};
/**
 * The page's names for the matrix's tasks by their code (GET /config/matrix, read by the page showing the events): an
 * event records a task by its id (`SIGNING.pre_site_selection`) or its code (`land_list`). Undefined: no name known.
 */
export type TaskNames = (code: string) => string | undefined;
/** The fields that hold a task's id or code (each item of a list of them). */
const AUDIT_TASK_KEYS = new Set(['taskIds', 'tasks', 'trigger.item', 'escalation.trigger.item', 'outcome.taskIds']);
/** A task's id or code by its name where the page knows it (预选址（签约落地）), as recorded where it does not. */
function taskWords(v: string, t: T, task: TaskNames | undefined): string {
  const cut = v.indexOf('.');
  const [stage, code] = cut < 0 ? [undefined, v] : [v.slice(0, cut), v.slice(cut + 1)];
  const name = task?.(code);
  if (!name) return v;
  return stage && (STAGES as readonly string[]).includes(stage) ? `${name}${t.open}${t.stage(stage)}${t.close}` : name;
}
/**
 * The records a list holds that no name names (a configuration's rules): each in words, what it says (挂地：土地·关联预留).
 */
const AUDIT_ITEM_WORDS: Readonly<Record<string, (x: Record<string, unknown>, t: T, task: TaskNames | undefined) => string>> = {
  'doc.taskLinks': (x, t, task) => `${taskWords(String(x.task), t, task)}${t.colon}${t.resourceKind(String(x.kind))}${t.lang === 'zh' ? '·' : ' · '}${t.auditCode('effect', String(x.effect)) ?? String(x.effect)}`,
  'doc.gateNeeds': (x, t) => `${t.stage(String(x.stage))}${t.open}${t.siteMode(String(x.siteMode))}${t.close}${t.colon}${t.resourceKind(String(x.kind))}`,
  'doc.instantNotices': (x, t, task) =>
    `${taskWords(String(x.task), t, task)}${t.colon}${t.letterSeries(String(x.series))} → ${(Array.isArray(x.to) ? x.to : []).map((r) => t.role(String(r))).join(t.listSep)}`,
};
/**
 * A publication's warning (`warnings` of PUT /config/{name} and PUT /calendar/{year}: stored, but maybe not what ops
 * meant) in the page's language: the API says them in English (config.ts lightsWarnings and matrixWarnings, budgets.ts,
 * calendar.ts calendarWarnings); one the page does not know is shown as the API gave it.
 */
export function publishWarningWords(w: string, t: T): string {
  if (t.lang !== 'zh') return w;
  let x: RegExpExecArray | null;
  if ((x = /^(\d+) task\(s\) of the matrix in force are yellow from the day they start \(a limit within (\d+) working days\): (.+)$/.exec(w)))
    return `现行责任矩阵有${x[1]}项任务的办理时限不超过${x[2]}个工作日，自开始之日即亮黄灯：${x[3]!.replace(/ (\d+) WD/g, '（$1个工作日）')}`;
  if ((x = /^config\/letters has 即时函告 rules for task\(s\) this matrix does not have \(they act only for projects on an older matrix\): (.+)$/.exec(w)))
    return `函件规则中的即时函告规则涉及本版责任矩阵没有的任务（仅对仍按旧版矩阵推进的项目生效）：${x[1]!.split(', ').join('、')}`;
  if ((x = /^config\/inventory links task\(s\) this matrix does not have to reservations \(only for projects on an older matrix\): (.+)$/.exec(w)))
    return `资源要素配置中“任务办结对资源的影响”涉及本版责任矩阵没有的任务（仅对仍按旧版矩阵推进的项目生效）：${x[1]!.split(', ').join('、')}`;
  if ((x = /^(\d{4}) (\S+): budget (\d+) → (\d+) CNY \((\d+) allocated\)$/.exec(w)))
    return `${x[1]}年${bucketLabel(x[2]!, 'zh')}：预算 ${yuanText(Number(x[3]), 'zh')} → ${yuanText(Number(x[4]), 'zh')}（已安排 ${yuanText(Number(x[5]), 'zh')}）`;
  if ((x = /^(\d{4}) (\S+): no longer in config\/funds — its (\d+) CNY allocated stay on its account \(retired: nothing new is drawn from it\)$/.exec(w)))
    return `${x[1]}年${bucketLabel(x[2]!, 'zh')}：已不在经费配置中，已安排的 ${yuanText(Number(x[3]), 'zh')} 仍记在该科目（已停用：不再从中安排）`;
  if ((x = /^Only (\d+) of the holidays of (\d{4}) fall on weekdays: /.exec(w)))
    return `${x[2]}年的放假日期只有${x[1]}天在工作日：国务院办公厅放假通知每年安排法定节假日13天（2025年前为11天），大多在工作日。${x[2]}年的所有期限已按此日历计算，请与通知核对。`;
  return w;
}

/** A list of more than this many items is shortened to its first ones and its count. */
const AUDIT_LIST_SHOWN = 3;
const AUDIT_TEXT_SHOWN = 80;
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaves of a recorded value, by dotted key (a list is one leaf). */
function auditLeaves(v: Record<string, unknown> | undefined, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, x] of Object.entries(v ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlain(x) && Object.keys(x).length) auditLeaves(x, key, out);
    else out.set(key, x);
  }
  return out;
}

/** One recorded value as the pages show it: an amount in 万元/亿元, an instant at Shanghai time, a department by its name, a code in words, a task by its name. */
function auditValue(key: string, v: unknown, t: T, task?: TaskNames): string {
  if (v === null || v === undefined || (isPlain(v) && !Object.keys(v).length)) return t.t('none');
  if (typeof v === 'boolean') return t.t(v ? 'yes' : 'no');
  // A year as a year (2026, not 2,026); an amount in 万元/亿元.
  if (typeof v === 'number') return /(^|\.)year$/.test(key) ? String(v) : /Cny$/.test(key) ? yuanText(v, t.lang) : numberText(v, t.lang);
  if (typeof v === 'string') {
    const coded = AUDIT_CODE_WORDS[key];
    const shown = coded ? coded(t, v) : AUDIT_TASK_KEYS.has(key) ? taskWords(v, t, task) : v in ROLE_LABELS ? t.role(v) : /^\d{4}-\d{2}-\d{2}T/.test(v) ? shanghaiInstant(v) : v;
    return shown.length > AUDIT_TEXT_SHOWN ? `${shown.slice(0, AUDIT_TEXT_SHOWN)}…` : shown;
  }
  if (Array.isArray(v)) {
    if (!v.length) return t.t('none');
    const items = v.slice(0, AUDIT_LIST_SHOWN).map((x) => auditItem(key, x, t, task));
    const list = items.join(t.listSep);
    if (v.length <= AUDIT_LIST_SHOWN) return list;
    return t.lang === 'zh' ? `${list}等${v.length}项` : `${list}${t.listSep}… (${v.length} in all)`;
  }
  return auditItem(key, v, t, task);
}

/**
 * An item of a recorded list: a value as it is shown, a record by what names it (its Chinese or English name, label, a
 * task by its name, role or id), a rule no name names in words (AUDIT_ITEM_WORDS), else its fields' values as shown.
 */
function auditItem(key: string, x: unknown, t: T, task?: TaskNames): string {
  if (!isPlain(x)) return auditValue(key, x, t, task);
  const words = AUDIT_ITEM_WORDS[key];
  if (words) return words(x, t, task);
  // (A matrix's task or gate is named in both languages: its name.zh, name.en.)
  const both = isPlain(x.name) ? x.name : x;
  const named = [t.lang === 'zh' ? both.zh : both.en, x.name, x.label].find((n) => typeof n === 'string' && n);
  if (typeof named === 'string') return named;
  if (typeof x.taskId === 'string' && x.taskId) return taskWords(x.taskId, t, task);
  if (typeof x.id === 'string' && x.id) return x.id;
  if (typeof x.role === 'string') return t.role(x.role);
  const fields = Object.entries(x).flatMap(([f, v]) => (v === null || v === undefined ? [] : [auditValue(`${key}.${f}`, v, t, task)]));
  return fields.length ? fields.join(t.lang === 'zh' ? '·' : ' · ') : t.t('none');
}

/**
 * An audit event's field (a dotted key: a field inside another) in the page's words: the pages' own word for it, else
 * the audit's (i18n AUDIT_FIELD); a map's key (a quarter, a fund bucket) beside its word (产值（2027Q1）); a field
 * inside a record with no word of its own as the record's word and its own (督办·触发事由). Undefined: no word for it.
 */
export function auditFieldLabel(key: string, t: T): string | undefined {
  const own = AUDIT_FIELD_WORDS[key];
  if (own) return t.t(own);
  const word = t.auditField(key);
  if (word) return word;
  const parts = key.split('.');
  for (let i = 0; i < parts.length; i++) {
    const mapped = t.auditField([...parts.slice(0, i), '*', ...parts.slice(i + 1)].join('.'));
    if (mapped) return `${mapped}${t.open}${AUDIT_MAP_KEY_WORDS[[...parts.slice(0, i), '*'].join('.')]?.(t, parts[i]!) ?? parts[i]}${t.close}`;
  }
  for (let i = 1; i < parts.length; i++) {
    const head = auditFieldLabel(parts.slice(0, i).join('.'), t);
    const rest = head && auditFieldLabel(parts.slice(i).join('.'), t);
    if (rest) return `${head}${t.lang === 'zh' ? '·' : ' · '}${rest}`;
  }
  return undefined;
}

/**
 * What an audit event changed (its `before` and `after` as recorded), field by field: each field's label as the pages
 * name it (auditFieldLabel; the key where they have no word for it), its value before and after as the pages show values (null where it
 * had none, or has none now); fields that stayed the same left out.
 */
export function auditChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  t: T,
  action = '',
  task?: TaskNames,
): { key: string; label: string; before: string | null; after: string | null }[] {
  const was = auditLeaves(before);
  const now = auditLeaves(after);
  const keys = [...new Set([...now.keys(), ...was.keys()])];
  // An escalation event records the rung by its `name`: the rung's words, not the project's name.
  const termOf = (key: string) => (action.startsWith('escalation.') && key === 'name' ? 'escalation.name' : key);
  // A field empty on one side whose other side holds a record: the record's fields are the lines (not 无 → 无 besides).
  const heldOn = (side: Map<string, unknown>, key: string) => [...side.keys()].some((k) => k.startsWith(`${key}.`));
  return keys.flatMap((key) => {
    if ((!now.has(key) && heldOn(now, key)) || (!was.has(key) && heldOn(was, key))) return [];
    const term = termOf(key);
    const shown = { before: was.has(key) ? auditValue(term, was.get(key), t, task) : null, after: now.has(key) ? auditValue(term, now.get(key), t, task) : null };
    // Nothing the page can show changed (the same value, an instant moved within its minute): no line.
    if (was.has(key) && now.has(key) && shown.before === shown.after) return [];
    return [{ key, label: auditFieldLabel(term, t) ?? key, ...shown }];
  });
}

/**
 * What an audit event's calendar year, fund year or inventory record is called on the pages: 工作日历（2027年）,
 * 项目前期保障经费（2027年）, 能耗指标：2026年, 环境容量：2026年 SO₂, 水电气热：汇通产业园供电, 土地：JZ2026-01 (the name the
 * zone gave it then when the event carries none; undefined when nothing names it). Other subjects: undefined.
 */
export function auditSubjectWords(s: AuditSubject, t: T, parkName: (name: string) => string = (n) => n): string | undefined {
  switch (s.kind) {
    case 'calendar':
      return t.ofYear(t.t('calendar'), s.year);
    case 'fund':
      return t.ofYear(t.t('preworkFund'), s.year);
    case 'resource': {
      const f = s.facts;
      const label =
        f.code ??
        (f.year !== undefined ? t.yearly(f.year, f.pollutant ? t.pollutant(f.pollutant) : '') : f.park !== undefined ? t.beside(parkName(f.park), f.utility ? t.utility(f.utility) : '') : s.name);
      if (!label) return undefined;
      return `${s.resourceKind ? t.resourceKind(s.resourceKind) : t.t('inventories')}${t.colon}${label}`;
    }
    default:
      return undefined;
  }
}

/** A progress report as `GET /projects/{id}/progress` lists it (newest first; the sender to staff only). */
export interface ProgressReport {
  readonly constructionPct: number;
  readonly equipmentPct: number;
  readonly note?: string;
  readonly reportedOn: string;
  readonly reportedAt: string;
  readonly reportedBy?: { readonly name: string };
}

/**
 * The percentages typed lower than the last report's (a figure that went back: a typo, or a real setback to say so):
 * told, not refused. Empty or not-a-number fields are not compared (percentProblem names them).
 */
export function progressDrops(values: Record<string, string | undefined>, last: { readonly constructionPct?: number; readonly equipmentPct?: number } | null | undefined): ('constructionPct' | 'equipmentPct')[] {
  if (!last) return [];
  return (['constructionPct', 'equipmentPct'] as const).filter((k) => {
    const v = (values[k] ?? '').trim();
    const before = last[k];
    return v !== '' && Number.isFinite(Number(v)) && before !== undefined && Number(v) < before;
  });
}

/** A percentage as people write it: `35.5%` (none: —). */
export const pctText = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n}%`);

/**
 * A gate's name as the page's language says it: the API names it in Chinese; the English page takes its English name
 * from the matrix configuration (its gates' names in both languages) — the same gate by stage and Chinese name, else
 * by its Chinese name — and, when the configuration is not read (an enterprise reads none), the stage it closes.
 */
export function gateWords(gate: { readonly stage: string; readonly name: string; readonly nameEn?: string }, lang: 'zh' | 'en', gates: readonly { readonly stage: string; readonly name: { readonly zh: string; readonly en: string } }[] | undefined, stageWords: (stage: string) => string): string {
  if (lang === 'zh') return gate.name;
  // The API names the gate in English since 2026-12-03 (to enterprises too); the configuration's name before.
  if (gate.nameEn) return gate.nameEn;
  const same = gates?.find((g) => g.stage === gate.stage && g.name.zh === gate.name) ?? gates?.find((g) => g.name.zh === gate.name);
  return same?.name.en ?? stageWords(gate.stage);
}

/**
 * The mechanism's routine records on a project's timeline: its evaluation after every change (阶段评估) and its
 * workflow's bookkeeping — by the system, noise beside what people did and what the mechanism decided (a light turned
 * red, a rung raised, a letter sent), which stay.
 */
const ROUTINE_ACTIONS = new Set(['stage.evaluated', 'workflow.running', 'workflow.segment', 'workflow.recompute_requested']);
export const isRoutine = (e: { readonly action: string; readonly actor?: string }) => ROUTINE_ACTIONS.has(e.action) && (e.actor === undefined || e.actor.startsWith('system:'));

/** The timeline as shown: without the routine system records unless asked for (`routine`), and how many were left out. */
export function timelineShown<E extends { readonly action: string; readonly actor?: string }>(events: readonly E[], routine: boolean): { shown: E[]; hidden: number } {
  const shown = routine ? [...events] : events.filter((e) => !isRoutine(e));
  return { shown, hidden: events.length - shown.length };
}

/** Pages of nothing (with a cursor) a list reads past before it shows what it has and offers more. */
export const EMPTY_PAGES_READ_ON = 10;

/**
 * Reads a paged list (`{ items, nextCursor }`) from `cursor` on: up to `maxPages` pages, each page's own cursor kept
 * with it. A selective filter can come back with a page of nothing and a cursor (the API bounds each page's reads):
 * such a page is read past without counting, up to EMPTY_PAGES_READ_ON of them, so a list does not stop on an empty
 * table with "more" while matches remain. `next`: the cursor to go on from, null at the end.
 */
export async function readPages<I>(
  get: (cursor: string | undefined) => Promise<{ items: I[]; nextCursor?: string | null }>,
  cursor: string | undefined,
  maxPages: number,
): Promise<{ pages: { cursor?: string; items: I[] }[]; next: string | null }> {
  const pages: { cursor?: string; items: I[] }[] = [];
  let next: string | null = null;
  let at = cursor;
  for (let n = 0, empty = 0; n < maxPages; n++) {
    const page = await get(at);
    pages.push({ cursor: at, items: page.items });
    next = page.nextCursor ?? null;
    if (!next) break;
    at = next;
    if (page.items.length === 0 && empty < EMPTY_PAGES_READ_ON) {
      empty += 1;
      n -= 1;
    }
  }
  return { pages, next };
}

/**
 * The project a typed name or id stands for, among `projects` (the active ones offered): an id as typed (`prj-…`), else
 * the one project of that exact name; none, or several of that name (`many`: the id is asked for), said as a problem.
 */
export function projectNamed(typed: string, projects: readonly { id: string; name: string }[]): { id: string } | { problem: 'empty' | 'none' | 'many' } {
  const text = typed.trim();
  if (!text) return { problem: 'empty' };
  if (/^prj-/.test(text)) return { id: text };
  const named = projects.filter((p) => p.name === text);
  return named.length === 1 ? { id: named[0]!.id } : { problem: named.length ? 'many' : 'none' };
}

/** What one call of POST /deliveries/route answers (the console reads these). */
export interface Rerouted {
  readonly examined: number;
  readonly routed: number;
  readonly queued: Record<string, number>;
  readonly superseded: number;
  readonly more: boolean;
  readonly cursor: string | null;
}

/** A window as sent to POST /deliveries/route: `to` absent when the operator left 止 empty (it ends at the first call's now). */
export interface RerouteWindow {
  readonly from: string;
  readonly to?: string;
}

/** How far a window of POST /deliveries/route has been routed, over every submission that worked on it. */
export interface RerouteProgress {
  readonly window: RerouteWindow;
  /** The window's totals so far (per channel summed). */
  readonly examined: number;
  readonly routed: number;
  readonly superseded: number;
  readonly queued: Record<string, number>;
  /** Calls the API answered for this window, all submissions together (each call's Idempotency-Key is told by it). */
  readonly calls: number;
  /** The API said `more: false` (or gave no cursor to go on with): the window is routed whole. */
  readonly done: boolean;
  /** Where the window goes on when it is not done (null: from its start). */
  readonly cursor: string | null;
  /** The call that failed, when one did: what the calls before it did is kept, and the window goes on from there. */
  readonly error?: unknown;
  /**
   * The API refused the window's cursor (`error`: a 400 naming `cursor` — the window started too long ago to be
   * continued, or the cursor is no longer one): it cannot be finished from where it was. Not kept, no cursor to send
   * again: submitted again, the window starts over from 起 (what was queued is not queued twice).
   */
  readonly abandoned?: boolean;
}

/** Calls one submission of the console's 重新路由通知 makes at most (200 notices a call: about 2,000 notices). */
export const REROUTE_CALLS = 10;

/** A refusal of the cursor a call sent (a 400 whose invalid-params name `cursor`): going on from it is refused for good. */
export function cursorRefused(error: unknown): boolean {
  const problem = (error as { problem?: { status?: unknown; errors?: unknown } } | null | undefined)?.problem;
  return problem?.status === 400 && Array.isArray(problem.errors) && problem.errors.some((e: { path?: unknown } | null) => e?.path === 'cursor');
}

const sameWindow = (a: RerouteWindow, b: RerouteWindow) => a.from === b.from && (a.to ?? null) === (b.to ?? null);

/**
 * Routes a window again (POST /deliveries/route) call after call while the API says `more`, at most `maxCalls` calls;
 * `send` makes one call (`n`: the call's number in the window, from 0 — its Idempotency-Key is the submission's and n).
 * `resume`: the progress an earlier submission left unfinished — taken up from its cursor, its totals carried on, when
 * it is of the same window (from, and `to` as sent: a window without `to` goes on to the end its cursor keeps); another
 * window starts from its start. A call that fails ends the run with `error`, what was done before it kept; one whose
 * cursor is refused (cursorRefused) ends it `abandoned`, without a cursor: that window cannot be gone on with (given
 * as `resume`, it is started over).
 */
export async function rerouteWindow(
  send: (body: RerouteWindow & { readonly cursor?: string }, n: number) => Promise<Rerouted>,
  window: RerouteWindow,
  resume?: RerouteProgress,
  maxCalls = REROUTE_CALLS,
): Promise<RerouteProgress> {
  const sent: RerouteWindow = { from: window.from, ...(window.to !== undefined ? { to: window.to } : {}) };
  const from = resume && !resume.done && !resume.abandoned && sameWindow(resume.window, sent) ? resume : undefined;
  let progress: RerouteProgress = {
    window: sent,
    examined: from?.examined ?? 0,
    routed: from?.routed ?? 0,
    superseded: from?.superseded ?? 0,
    queued: { ...from?.queued },
    calls: from?.calls ?? 0,
    done: false,
    cursor: from?.cursor ?? null,
  };
  for (let call = 0; call < maxCalls && !progress.done; call++) {
    let r: Rerouted;
    try {
      r = await send({ ...sent, ...(progress.cursor ? { cursor: progress.cursor } : {}) }, progress.calls);
    } catch (error) {
      if (progress.cursor !== null && cursorRefused(error)) return { ...progress, cursor: null, error, abandoned: true };
      return { ...progress, error };
    }
    const queued = { ...progress.queued };
    for (const [channel, n] of Object.entries(r.queued)) queued[channel] = (queued[channel] ?? 0) + n;
    progress = {
      window: sent,
      examined: progress.examined + r.examined,
      routed: progress.routed + r.routed,
      superseded: progress.superseded + r.superseded,
      queued,
      calls: progress.calls + 1,
      // `more` without a cursor cannot go on (the API gives one with every `more`): nothing to continue from.
      done: !r.more || !r.cursor,
      cursor: r.more && r.cursor ? r.cursor : null,
    };
  }
  return progress;
}

/** What the status line of 重新路由通知 tells of a window's progress: the totals, per channel, and whether it is unfinished. */
export function rerouteTold(t: T, progress: RerouteProgress): string {
  const channels = Object.entries(progress.queued).map(([channel, n]) => `${channel} ${n}`).join(t.listSep);
  // t.open is the parenthesis as the language writes it after a word: full-width and unspaced in Chinese, ' (' in English.
  return (
    `${t.beside(t.t('rerouteExamined'), progress.examined)}${t.semicolon}${t.beside(t.t('rerouteRouted'), progress.routed)}${channels ? `${t.open}${channels}${t.close}` : ''}` +
    `${progress.superseded ? `${t.semicolon}${t.beside(t.t('superseded'), progress.superseded)}` : ''}${progress.done ? '' : `${t.open}${t.t(progress.abandoned ? 'rerouteAbandoned' : progress.error ? 'rerouteStopped' : 'rerouteMore')}${t.close}`}`
  );
}

/**
 * What the form says when the API refused an unfinished window's cursor (an `abandoned` run): in the console's language
 * that the window could not be continued and is no longer kept, then why, as the API said it.
 */
export function rerouteRefusedSaid(t: T, error: unknown): string {
  const problem = (error as { problem?: { detail?: unknown; title?: unknown } } | null | undefined)?.problem;
  const why = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : error instanceof Error ? error.message : '';
  return why ? `${t.t('rerouteCursorRefused')}${t.colon}${why}` : t.t('rerouteCursorRefused');
}

/** The storage a window left unfinished is kept in (sessionStorage: this tab, across a reload or a visit to another page). */
export type KeptStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const rerouteKey = (sub: string) => `zoneflow.reroute.${sub}`;

/**
 * Keeps the window of 重新路由通知 a submission left unfinished, for the signed-in user (`sub`: its cursor is sealed to
 * them), so that leaving the ops page or reloading it loses nothing; removes it once the window is done, when the API
 * refused its cursor (abandoned: it cannot be finished), or when a submission did nothing on it (another window refused
 * at its first call: nothing to go on from). The error of a call
 * refused is not kept (the window goes on from that call). A storage that refuses: kept in the page only.
 */
export function keepUnfinished(storage: KeptStorage, sub: string, progress: RerouteProgress | undefined): void {
  try {
    if (!progress || progress.done || progress.abandoned || progress.calls === 0) storage.removeItem(rerouteKey(sub));
    else {
      const { error: _error, ...kept } = progress;
      storage.setItem(rerouteKey(sub), JSON.stringify(kept));
    }
  } catch {
    // Private mode or a full storage: nothing more to do.
  }
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The window the signed-in user left unfinished (keepUnfinished), if one is kept and is one; anything else there is dropped. */
export function unfinishedOf(storage: KeptStorage, sub: string): RerouteProgress | undefined {
  let v: unknown;
  try {
    const raw = storage.getItem(rerouteKey(sub));
    if (raw === null) return undefined;
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  const p = v as Partial<Record<keyof RerouteProgress, unknown>> | undefined;
  const w = p?.window as Partial<Record<keyof RerouteWindow, unknown>> | undefined;
  const ok =
    typeof p === 'object' && p !== null && !Array.isArray(p) &&
    typeof w === 'object' && w !== null && typeof w.from === 'string' && (w.to === undefined || typeof w.to === 'string') &&
    count(p.examined) && count(p.routed) && count(p.superseded) && count(p.calls) && p.calls > 0 &&
    typeof p.queued === 'object' && p.queued !== null && !Array.isArray(p.queued) && Object.values(p.queued).every(count) &&
    p.done === false && typeof p.cursor === 'string';
  if (ok) return p as unknown as RerouteProgress;
  try {
    storage.removeItem(rerouteKey(sub));
  } catch {
    // As above.
  }
  return undefined;
}

/** A window's 起 and 止 as the form's datetime-local fields hold them (the wall time typed, its +08:00 taken off; 止 '' when not sent). */
export function rerouteFields(window: RerouteWindow): { from: string; to: string } {
  const local = (instant: string) => instant.replace(/\+08:00$/, '').replace(/^(.{16}):00$/, '$1');
  return { from: local(window.from), to: window.to === undefined ? '' : local(window.to) };
}

/**
 * The ledger page's columns, in order: each one's label (a console word) and the ledger export's column it shows
 * (functions/reports/domain/ledger.ts). An official reads the page beside the CSV it printed: the two name a column alike.
 */
export const LEDGER_PAGE_COLUMNS = [
  { label: 'name', column: 'name' },
  { label: 'park', column: 'park' },
  { label: 'ledgerStage', column: 'stage' },
  { label: 'status', column: 'status' },
  { label: 'ledgerCategory', column: 'category' },
  { label: 'light', column: 'light' },
  { label: 'escalation', column: 'escalation' },
  { label: 'unfinishedTasks', column: 'openTasks' },
  { label: 'ledgerOverdue', column: 'overdueTasks' },
  { label: 'ledgerNextDue', column: 'nextDue' },
] as const satisfies readonly { readonly label: Word; readonly column: string }[];

/**
 * A project's reservations as its page lists them: those it holds, then those it held and gave back (released by hand,
 * on a rejected admission or reclaimed by the exit), latest first — after an exit the page says what went back and
 * when, not a bare 无预留.
 */
export function reservationsHeldAndReleased<R extends { readonly status: string; readonly released?: { readonly at: string } | null }>(items: readonly R[]): { held: R[]; released: R[] } {
  return {
    held: items.filter((r) => r.status !== 'released'),
    released: items.filter((r) => r.status === 'released').sort((a, b) => (b.released?.at ?? '').localeCompare(a.released?.at ?? '')),
  };
}

/**
 * How My work shows a notification: `void` once a re-pin withdrew it (`voidedAt`: the gate it announced no longer waits
 * for this inbox — read by then, but not to be taken as a plain read notice), else `read` (by the API, or marked here
 * since the list was read) or `unread`.
 */
export function noticeState(n: { readonly read: boolean; readonly voidedAt?: string | null; readonly voidedBy?: string | null }, markedHere: boolean): 'void' | 'read' | 'unread' {
  if (n.voidedAt) return 'void';
  return n.read || markedHere ? 'read' : 'unread';
}
