// Notices 通知: what the mechanism tells people, as domain events, and their one home for wording — zh-CN first, with
// English. Who reads a notice follows the inbox addressing rule (inbox.ts): a role within the project's park or
// enterprise, or ops. Pure: the notifier port (notifications/notifier.ts) writes them.
import { ROLE_LABELS, STAGE_LABELS, type Role, type Stage } from '#kernel/domain/codes.ts';
import { periodInWords } from '#kernel/domain/period-words.ts';
import { typedZh } from '#kernel/domain/typed.ts';
import { zh } from '#kernel/domain/zh-spacing.ts';
import { rungWords } from '#kernel/domain/rung-words.ts';
import { roleInbox } from './inbox.ts';

/** What a notice needs of the project it is about. */
export interface NoticeProject {
  readonly id: string;
  readonly name: string;
  readonly park: string;
  readonly investor: { readonly enterpriseId: string };
}

export type Notice =
  /** `taskEn`, `gateEn`, `rungEn`: the English name beside the Chinese one (absent on notices recorded before them). */
  | {
      readonly kind: 'task.yellow';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly task: string;
      readonly taskEn?: string;
      readonly dueDate: string | null;
      /** The task's due date is counted on weekdays for want of its year's calendar: said so, it may move when the year is loaded. */
      readonly dueProvisional?: boolean;
    }
  /** `dueProvisional`: the due date was counted on weekdays for want of its year's calendar (told as an estimate). */
  | { readonly kind: 'task.overdue'; readonly project: NoticeProject; readonly to: Role; readonly task: string; readonly taskEn?: string; readonly dueDate: string | null; readonly dueProvisional?: boolean }
  | { readonly kind: 'supervision.handover'; readonly project: NoticeProject; readonly task: string; readonly taskEn?: string; readonly lead: Role; readonly dueDate: string | null; readonly dueProvisional?: boolean }
  /**
   * A red task no longer overdue: ops corrected the working calendar (its due day made a rest day) and its due date
   * moved to today or later. Its lead department and supervision were told of the red light: both are told it is
   * withdrawn (`was`: the due date it turned red on; `dueDate`: the date it is due now).
   */
  | {
      readonly kind: 'task.overdue_withdrawn';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly task: string;
      readonly taskEn?: string;
      readonly was: string | null;
      readonly dueDate: string | null;
      readonly dueProvisional?: boolean;
    }
  /**
   * A yellow task green again: its dates were counted again (ops corrected the working calendar, or published other
   * lights) and its yellow day moved past today. Its lead department was told of the yellow light: told it is
   * withdrawn, with the day it turns yellow now (`yellowDate`) and its due date; told again when that day comes.
   */
  | {
      readonly kind: 'task.yellow_withdrawn';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly task: string;
      readonly taskEn?: string;
      readonly yellowDate: string | null;
      readonly dueDate: string | null;
      readonly dueProvisional?: boolean;
    }
  | {
      readonly kind: 'gate.open';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly gate: string;
      readonly gateEn?: string;
      readonly stage: Stage;
      readonly dueDate: string | null;
      /** The gate's due date is counted on weekdays for want of its year's calendar: said so, it may move when the year is loaded. */
      readonly dueProvisional?: boolean;
    }
  /**
   * A department told a gate awaited its decision (`gate.open`) that it no longer does: ops moved the project onto
   * another matrix version (`version`) whose gate `approvers` leave it out (POST /projects/{id}/matrix) while no one
   * had decided the gate. Told that the earlier notice is void.
   */
  | { readonly kind: 'gate.open_withdrawn'; readonly project: NoticeProject; readonly to: Role; readonly gate: string; readonly gateEn?: string; readonly stage: Stage; readonly version: number; readonly approvers: readonly Role[] }
  | { readonly kind: 'gate.overdue'; readonly project: NoticeProject; readonly to: Role; readonly gate: string; readonly gateEn?: string; readonly stage: Stage; readonly dueDate: string | null; readonly pending: readonly Role[] }
  /** An overdue gate whose due date a calendar correction moved to today or later: no longer overdue (`was`: its date before). */
  | {
      readonly kind: 'gate.overdue_withdrawn';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly gate: string;
      readonly gateEn?: string;
      readonly stage: Stage;
      readonly was: string | null;
      readonly dueDate: string | null;
      readonly dueProvisional?: boolean;
    }
  | { readonly kind: 'construction.stalled'; readonly project: NoticeProject; readonly since: string }
  /** `years`: the years with no calendar the items' dates fall in (the notice names them: what ops load). */
  | { readonly kind: 'calendar.provisional'; readonly project: NoticeProject; readonly items: readonly string[]; /** As the Chinese wording lists them (a task typed in English only marked); `items` when absent. */ readonly itemsZh?: readonly string[]; readonly years: readonly number[] }
  | { readonly kind: 'workflow.failed'; readonly projectId: string; readonly execution: string; readonly error: string; readonly during: 'step' | 'start' | 'exit' }
  | { readonly kind: 'resource.available'; readonly project: NoticeProject; readonly resource: { readonly kind: string; readonly label: string; readonly id: string; readonly park: string }; readonly score: number; readonly reasons: readonly string[] }
  | {
      readonly kind: 'escalation.raised';
      readonly project: NoticeProject;
      readonly to: Role;
      readonly level: number;
      readonly rung: string;
      readonly rungEn?: string;
      readonly trigger: string;
      readonly triggerEn?: string;
      readonly dueDate: string | null;
      /** The rung's date is counted on weekdays for want of its year's calendar: said so, it may move when the year is loaded. */
      readonly dueProvisional?: boolean;
    }
  | { readonly kind: 'escalation.reset'; readonly project: NoticeProject; readonly from: number; readonly reason: string }
  | { readonly kind: 'escalation.exit_reminder'; readonly project: NoticeProject; readonly dueDate: string | null; readonly dueProvisional?: boolean }
  /** 约谈承诺: the commitments an interview (L2) made a party's work, each with its due date (one notice per party). */
  | { readonly kind: 'interview.commitments'; readonly project: NoticeProject; readonly to: Role; readonly items: readonly string[]; readonly dueDate: string }
  /** 延期: the committee leader gave the project until `until` (the ladder back to 0 from rung `from`, 0 if none). */
  | { readonly kind: 'escalation.extended'; readonly project: NoticeProject; readonly to: Role; readonly until: string; readonly from: number; readonly reason: string }
  | { readonly kind: 'letter.overdue'; readonly project: NoticeProject; readonly inbox: string; readonly number: string; readonly replyBy: string }
  /**
   * A letter reminded as unanswered whose reply-by day a calendar correction moved to today or later: not overdue any
   * more. Its addressee, told it was overdue, is told the reminder is withdrawn (`was`: the day before, when known).
   */
  | { readonly kind: 'letter.overdue_withdrawn'; readonly project: NoticeProject; readonly inbox: string; readonly number: string; readonly was: string | null; readonly replyBy: string; readonly replyProvisional?: boolean }
  /** `replyProvisional`: the reply-by day is counted on weekdays for want of its year's calendar (told as an estimate). */
  | { readonly kind: 'letter.issued'; readonly project: NoticeProject; readonly inbox: string; readonly number: string; readonly subject: string; readonly replyBy: string | null; readonly replyProvisional?: boolean }
  /** 复函: the addressee acknowledged a letter (`addressee`: its name as the letter names it), told to the issuing department. */
  | { readonly kind: 'letter.answered'; readonly project: NoticeProject; readonly inbox: string; readonly number: string; readonly addressee: string; readonly reply: string }
  | { readonly kind: 'assessment.concluded'; readonly project: NoticeProject; readonly to: Role; readonly outcome: 'continue' | 'proceed'; readonly planUntil: string | null }
  | { readonly kind: 'exit.decided'; readonly project: NoticeProject; readonly to: Role; readonly reason: string }
  | { readonly kind: 'project.exited'; readonly project: NoticeProject; readonly to: Role; readonly released: number; readonly letter: string | null }
  | { readonly kind: 'inventory.refresh_due'; readonly inbox: string; readonly inventory: string; readonly period: string; readonly periodEnd: string; readonly unconfirmed: number }
  | { readonly kind: 'inventory.stale'; readonly inbox: string; readonly inventory: string; readonly period: string; readonly stale: number }
  /** 通报提醒: a department on the supervision office's notice list (to the office and to the department). */
  | { readonly kind: 'department.notice'; readonly inbox: string; readonly department: { readonly zh: string; readonly en: string }; readonly count: number; readonly windowFrom: string; readonly windowTo: string; readonly windowWd: number; readonly items: readonly string[]; /** The items as the Chinese wording lists them (a task typed in English only marked); `items` when absent. */ readonly itemsZh?: readonly string[] }
  /** 每日提醒: a department's morning digest of a working day — counts of each kind, the first items named. */
  | { readonly kind: 'digest.daily'; readonly inbox: string; readonly department: { readonly zh: string; readonly en: string }; readonly date: string; readonly counts: DigestCounts; readonly items: readonly DigestItem[]; readonly calendarProvisional?: boolean };

/** What a department's daily digest counts: tasks due today, yellow (due soon), red (overdue); letters awaiting its reply. */
export interface DigestCounts {
  readonly dueToday: number;
  readonly yellow: number;
  readonly red: number;
  readonly letters: number;
}

/** One item a digest names: a task (its name and due date) or a letter (its number and reply-by date). */
export type DigestItem =
  | { readonly kind: 'red' | 'due_today' | 'yellow'; readonly project: string; readonly task: { readonly zh: string; readonly en: string }; readonly dueDate: string }
  | { readonly kind: 'letter'; readonly project: string; readonly number: string; readonly replyBy: string | null; readonly overdue: boolean };

export type NoticeKind = Notice['kind'];

/** Every notice kind (the channels configuration names them; the check below keeps the list and the union equal). */
export const NOTICE_KINDS = [
  'task.yellow',
  'task.overdue',
  'supervision.handover',
  'task.overdue_withdrawn',
  'task.yellow_withdrawn',
  'gate.open',
  'gate.open_withdrawn',
  'gate.overdue',
  'gate.overdue_withdrawn',
  'construction.stalled',
  'calendar.provisional',
  'workflow.failed',
  'resource.available',
  'escalation.raised',
  'escalation.reset',
  'escalation.exit_reminder',
  'escalation.extended',
  'interview.commitments',
  'letter.overdue',
  'letter.overdue_withdrawn',
  'letter.issued',
  'letter.answered',
  'assessment.concluded',
  'exit.decided',
  'project.exited',
  'inventory.refresh_due',
  'inventory.stale',
  'department.notice',
  'digest.daily',
] as const satisfies readonly NoticeKind[];
type Unlisted = Exclude<NoticeKind, (typeof NOTICE_KINDS)[number]>;
/** The year a date (YYYY-MM-DD) falls in. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The years a project's dated work was provisional in: ops were told of each once (a project and year). */
export const provisionalYears = (items: readonly { readonly calendarProvisional?: boolean; readonly dueDate: string | null }[]): Set<number> =>
  new Set(items.filter((x) => x.calendarProvisional && x.dueDate).map((x) => yearOf(x.dueDate!)));

/** Ops told of work dated in a year with no calendar: each item with its date, and the years to load. */
export function provisionalNotice(project: NoticeProject, items: readonly { readonly name: string; readonly date: string }[]): Notice {
  return { kind: 'calendar.provisional', project, items: items.map((i) => `${i.name}（${i.date}）`), itemsZh: items.map((i) => `${typedZh(i.name)}（${i.date}）`), years: [...new Set(items.map((i) => yearOf(i.date)))].sort((a, b) => a - b) };
}

/** Fails to compile when a notice kind is missing from NOTICE_KINDS. */
export const ALL_KINDS_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

export interface Wording {
  readonly title: string;
  readonly body: string;
}

/** The inbox a notice lands in. */
export function recipientOf(n: Notice): string {
  switch (n.kind) {
    case 'supervision.handover':
    case 'construction.stalled':
      return roleInbox('supervision_office', n.project);
    case 'calendar.provisional':
    case 'workflow.failed':
      return 'OPS';
    case 'escalation.reset':
      return roleInbox('supervision_office', n.project);
    case 'escalation.exit_reminder':
      return roleInbox('committee_leader', n.project);
    case 'resource.available':
      return roleInbox('park_center', n.project);
    case 'inventory.refresh_due':
    case 'inventory.stale':
    case 'department.notice':
    case 'digest.daily':
    case 'letter.issued':
    case 'letter.overdue':
    case 'letter.overdue_withdrawn':
    case 'letter.answered':
      return n.inbox;
    default:
      return roleInbox(n.to, n.project);
  }
}

export const projectIdOf = (n: Notice): string | undefined =>
  n.kind === 'workflow.failed' ? n.projectId : n.kind === 'inventory.refresh_due' || n.kind === 'inventory.stale' || n.kind === 'department.notice' || n.kind === 'digest.daily' ? undefined : n.project.id;

/** At most this many items are named in one notice; the rest are counted. */
export const LISTED = 20;
/** The first items named, then the count of all (`total`: when the notice carries only the items it names). */
const list = (items: readonly string[], sep: string, more: (n: number) => string, total = items.length) => {
  const named = items.slice(0, LISTED);
  return named.join(sep) + (total > named.length ? more(total) : '');
};
/** How a Chinese list says the items it does not name. */
const more = (k: number) => `等${k}项`;

const DIGEST_LABELS = {
  red: { zh: '红灯', en: 'Red' },
  due_today: { zh: '今日到期', en: 'Due today' },
  yellow: { zh: '黄灯', en: 'Yellow' },
  letter: { zh: '待复函', en: 'Awaiting reply' },
} as const;

function digestLine(i: DigestItem, lang: 'zh' | 'en'): string {
  const label = DIGEST_LABELS[i.kind][lang];
  if (i.kind === 'letter') {
    if (lang === 'en') return `[${label}] ${i.project} · ${i.number}${i.replyBy ? ` (reply by ${i.replyBy}${i.overdue ? ', overdue' : ''})` : ''}`;
    return `【${label}】${i.project}·${i.number}${i.replyBy ? `（回复期限${i.replyBy}${i.overdue ? '，已逾期' : ''}）` : ''}`;
  }
  return lang === 'en' ? `[${label}] ${i.project} · ${i.task.en} (due ${i.dueDate})` : `【${label}】${i.project}·${typedZh(i.task.zh)}（期限${i.dueDate}）`;
}

/** A reply as a notice quotes it: on one line, its first 200 characters (the letter holds it whole). */
const excerpt = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : line;
};


/** The wording of a notice in zh-CN (the default) and English. */
/** A role or a stage as people read it (its label), never its code. */
const role = (r: Role, lang: 'zh' | 'en') => ROLE_LABELS[r]?.[lang] ?? r;
const stage = (st: Stage, lang: 'zh' | 'en') => STAGE_LABELS[st]?.[lang] ?? st;

/**
 * A date people are asked to act by, as told: counted on weekdays for want of its year's calendar (`dueProvisional`), it
 * is said to be an estimate — loading the year may move it, earlier too by a make-up working day 调休.
 */
function toldDue(n: { readonly dueDate: string | null; readonly dueProvisional?: boolean }, lang: 'zh' | 'en'): string {
  const year = n.dueDate?.slice(0, 4);
  if (!n.dueProvisional) return String(n.dueDate);
  return lang === 'zh' ? `${n.dueDate}（暂估：${year}年工作日历未加载，加载后可能调整）` : `${n.dueDate} (an estimate: the ${year} calendar is not loaded yet, and may move it)`;
}

export function render(n: Notice): { readonly zh: Wording; readonly en: Wording } {
  switch (n.kind) {
    case 'task.yellow':
      return {
        zh: { title: `黄灯提醒：${typedZh(n.task)}`, body: zh`${n.project.name}：${typedZh(n.task)} 将于 ${toldDue(n, 'zh')} 到期` },
        en: { title: `Yellow light: ${n.taskEn ?? n.task}`, body: `${n.project.name}: ${n.taskEn ?? n.task} is due on ${toldDue(n, 'en')}` },
      };
    case 'task.overdue':
      return {
        zh: { title: zh`红灯：${typedZh(n.task)} 已逾期`, body: zh`${n.project.name}：${typedZh(n.task)} 期限 ${toldDue(n, 'zh')}` },
        en: { title: `Red light: ${n.taskEn ?? n.task} is overdue`, body: `${n.project.name}: ${n.taskEn ?? n.task} was due on ${toldDue(n, 'en')}` },
      };
    case 'supervision.handover':
      return {
        zh: { title: zh`督办：${typedZh(n.task)} 逾期`, body: zh`${n.project.name}（${n.project.id}）${typedZh(n.task)} 由 ${role(n.lead, 'zh')} 负责，期限 ${toldDue(n, 'zh')}` },
        en: { title: `Supervision: ${n.taskEn ?? n.task} overdue`, body: `${n.project.name} (${n.project.id}): ${n.taskEn ?? n.task}, led by ${role(n.lead, 'en')}, was due on ${toldDue(n, 'en')}` },
      };
    case 'task.overdue_withdrawn':
      return {
        zh: { title: `逾期撤销：${typedZh(n.task)}`, body: zh`${n.project.name}：工作日历已更正，${typedZh(n.task)} 期限由 ${n.was} 改为 ${toldDue(n, 'zh')}，不再逾期，此前的逾期记录已撤销` },
        en: {
          title: `Overdue withdrawn: ${n.taskEn ?? n.task}`,
          body: `${n.project.name}: the working calendar was corrected; ${n.taskEn ?? n.task} is now due on ${toldDue(n, 'en')} (was ${n.was}) and no longer overdue — its overdue record is withdrawn`,
        },
      };
    case 'task.yellow_withdrawn':
      return {
        zh: { title: `黄灯撤销：${typedZh(n.task)}`, body: zh`${n.project.name}：日期已按更正后的工作日历（或亮灯规则）重新计算，${typedZh(n.task)} 期限 ${toldDue(n, 'zh')}，${n.yellowDate} 起亮黄灯，此前的黄灯提醒已撤销` },
        en: {
          title: `Yellow light withdrawn: ${n.taskEn ?? n.task}`,
          body: `${n.project.name}: its dates were counted again on the corrected working calendar (or lights); ${n.taskEn ?? n.task} is due on ${toldDue(n, 'en')} and turns yellow on ${n.yellowDate} — the earlier yellow-light notice is withdrawn`,
        },
      };
    case 'gate.open':
      return {
        zh: { title: `转段待审：${n.gate}`, body: zh`${n.project.name}：${stage(n.stage, 'zh')}阶段任务已完成，请于 ${toldDue(n, 'zh')} 前审批` },
        en: { title: `Gate awaiting your decision: ${n.gateEn ?? n.gate}`, body: `${n.project.name}: the ${stage(n.stage, 'en')} tasks are done; decide by ${toldDue(n, 'en')}` },
      };
    case 'gate.open_withdrawn': {
      const en = n.approvers.map((r) => role(r, 'en'));
      return {
        zh: {
          title: `转段审批撤回：${n.gate}`,
          body: zh`${n.project.name}：项目已改按第${n.version}版责任矩阵办理，${stage(n.stage, 'zh')}阶段转段改由${n.approvers.map((r) => role(r, 'zh')).join('、')}审批，无需${role(n.to, 'zh')}审批，此前的待审通知作废`,
        },
        en: {
          title: `Gate no longer awaits your decision: ${n.gateEn ?? n.gate}`,
          body: `${n.project.name}: the project now follows matrix version ${n.version}; the ${stage(n.stage, 'en')} gate is decided by ${en.length > 1 ? `${en.slice(0, -1).join(', ')} and ${en.at(-1)}` : en.join('')}, and no longer needs ${role(n.to, 'en')} — the earlier notice is void`,
        },
      };
    }
    case 'gate.overdue':
      return {
        zh: { title: `转段逾期：${n.gate}`, body: zh`${n.project.name}：${stage(n.stage, 'zh')}转段审批期限 ${n.dueDate} 已过，待审：${n.pending.map((r) => role(r, 'zh')).join('、')}` },
        en: { title: `Gate overdue: ${n.gateEn ?? n.gate}`, body: `${n.project.name}: the ${stage(n.stage, 'en')} gate was due on ${n.dueDate}; still to decide: ${n.pending.map((r) => role(r, 'en')).join(', ')}` },
      };
    case 'gate.overdue_withdrawn':
      return {
        zh: { title: `转段逾期撤销：${n.gate}`, body: zh`${n.project.name}：工作日历已更正，${stage(n.stage, 'zh')}转段审批期限由 ${n.was} 改为 ${toldDue(n, 'zh')}，不再逾期` },
        en: { title: `Gate no longer overdue: ${n.gateEn ?? n.gate}`, body: `${n.project.name}: the working calendar was corrected; the ${stage(n.stage, 'en')} gate is now due on ${toldDue(n, 'en')} (was ${n.was}) and no longer overdue` },
      };
    case 'construction.stalled':
      return {
        zh: { title: '施工停滞', body: zh`${n.project.name}：自 ${n.since} 起未报告建设进度` },
        en: { title: 'Construction stalled', body: `${n.project.name}: no progress reported since ${n.since}` },
      };
    case 'calendar.provisional':
      return {
        zh: {
          title: zh`${n.years.join('、')} 年工作日历未加载：期限按工作日暂估`,
          body: zh`${n.project.name}：${list(n.itemsZh ?? n.items, '、', more)}。请加载 ${n.years.join('、')} 年工作日历（PUT /calendar/{year}；国务院办公厅通常于上一年11月公布节假日安排）。`,
        },
        en: {
          title: `No calendar for ${n.years.join(', ')}: due dates estimated on weekdays`,
          body: `${n.project.name}: ${list(n.items, ', ', (k) => ` and more (${k} in all)`)}. Load the calendar of ${n.years.join(', ')} (PUT /calendar/{year}; the State Council usually publishes the holidays in November of the year before).`,
        },
      };
    case 'resource.available':
      return {
        zh: { title: `要素可用：${n.resource.label}`, body: zh`${n.project.name}：${n.resource.park} ${n.resource.label}（${n.resource.id}）重新可用，匹配得分 ${n.score}。${n.reasons.join('；')}` },
        en: { title: `Available again: ${n.resource.label}`, body: `${n.project.name}: ${n.resource.label} (${n.resource.id}) in ${n.resource.park} is available again and fits (score ${n.score}).` },
      };
    case 'escalation.raised': {
      const [dueZh, dueEn] = [toldDue(n, 'zh'), toldDue(n, 'en')];
      // The enterprise is told what the rung asks of it (to take part in the interview, the compliance check), not
      // asked to act on it as the rung's owner is.
      return n.to === 'enterprise'
        ? {
            zh: { title: `项目督办升级${rungWords(n.level, n.rung)}`, body: zh`${n.project.name}：因${n.trigger}，管委会已将项目督办升级至${n.rung}，请贵企业于 ${dueZh} 前配合做好“${n.rung}”有关工作并提供有关材料` },
            en: { title: `Your project is escalated to ${rungWords(n.level, n.rungEn ?? n.rung, 'en')}`, body: `${n.project.name}: ${n.triggerEn ?? n.trigger}; the committee has raised the project's supervision to ${n.rungEn ?? n.rung}. Please take part and provide the documents asked for by ${dueEn}.` },
          }
        : {
            zh: { title: `督办升级${rungWords(n.level, n.rung)}`, body: zh`${n.project.name}：${n.trigger}，已升级至${n.rung}，请于 ${dueZh} 前办理` },
            en: { title: `Escalated to ${rungWords(n.level, n.rungEn ?? n.rung, 'en')}`, body: `${n.project.name}: ${n.triggerEn ?? n.trigger}; now at ${n.rungEn ?? n.rung}, act by ${dueEn}` },
          };
    }
    case 'escalation.reset':
      return {
        zh: { title: '督办解除', body: `${n.project.name}：${n.reason}，督办等级由L${n.from}恢复正常` },
        en: { title: 'Escalation cleared', body: `${n.project.name}: ${n.reason}; back from L${n.from} to none` },
      };
    case 'interview.commitments':
      return {
        zh: { title: `约谈承诺事项${n.items.length}项`, body: zh`${n.project.name}：约谈确定的承诺事项：${list(n.items.map(typedZh), '；', more)}，最早于 ${n.dueDate} 到期` },
        en: { title: `${n.items.length} commitment(s) from the interview`, body: `${n.project.name}: the interview made these your work: ${list(n.items, '; ', (k) => ` and more (${k} in all)`)}; the first is due ${n.dueDate}` },
      };
    case 'escalation.extended':
      return {
        zh: { title: `延期获批：至${n.until}`, body: zh`${n.project.name}：管委会批准延期至 ${n.until}（${n.reason}）${n.from > 0 ? `，督办由L${n.from}解除` : ''}，请于此前完成有关工作` },
        en: { title: `Extended to ${n.until}`, body: `${n.project.name}: the committee extended the deadline to ${n.until} (${n.reason})${n.from > 0 ? `; the escalation is lifted from L${n.from}` : ''}. Finish the work by then.` },
      };
    case 'escalation.exit_reminder':
      return {
        zh: { title: '退出程序待决定', body: zh`${n.project.name}：已进入退出程序，请于 ${toldDue(n, 'zh')} 前作出退出或延期决定` },
        en: { title: 'Exit decision pending', body: `${n.project.name}: exit pending; decide exit or extension by ${toldDue(n, 'en')}` },
      };
    case 'assessment.concluded':
      return n.outcome === 'continue'
        ? {
            zh: { title: '联合研判：限期整改', body: zh`${n.project.name}：联合研判决定继续推进，整改方案须于 ${n.planUntil} 前完成，逾期转履约核查` },
            en: { title: 'Joint assessment: rectify', body: `${n.project.name}: the joint assessment lets the project continue; the rectification plan runs until ${n.planUntil}` },
          }
        : {
            zh: { title: '联合研判：转履约核查', body: `${n.project.name}：联合研判决定转入履约核查` },
            en: { title: 'Joint assessment: compliance check', body: `${n.project.name}: the joint assessment moves the project on to the contract-compliance check` },
          };
    case 'exit.decided':
      return {
        zh: { title: '项目退出程序启动', body: `${n.project.name}：管委会决定启动退出程序（${n.reason}），所涉要素将收回` },
        en: { title: 'Exit procedure started', body: `${n.project.name}: the committee decided to exit the project (${n.reason}); its resources will be reclaimed` },
      };
    case 'project.exited':
      return {
        zh: { title: '项目已退出', body: `${n.project.name}：退出程序完成，收回要素${n.released}项${n.letter ? `，退出函${n.letter}` : ''}` },
        en: { title: 'Project exited', body: `${n.project.name}: the exit is complete; ${n.released} holding(s) reclaimed${n.letter ? `; exit letter ${n.letter}` : ''}` },
      };
    case 'letter.overdue':
      return {
        zh: { title: `函件逾期未回复：${n.number}`, body: zh`${n.project.name}：${n.number} 回复期限 ${n.replyBy} 已过，请尽快回复` },
        en: { title: `Letter unanswered: ${n.number}`, body: `${n.project.name}: the reply to ${n.number} was due on ${n.replyBy}` },
      };
    case 'letter.overdue_withdrawn': {
      const reply = { dueDate: n.replyBy, ...(n.replyProvisional ? { dueProvisional: true } : {}) };
      return {
        zh: { title: `函件逾期撤销：${n.number}`, body: zh`${n.project.name}：工作日历已更正，${n.number} 回复期限${n.was ? `由${n.was}` : ''}改为 ${toldDue(reply, 'zh')}，不再逾期，此前的逾期提醒已撤销` },
        en: {
          title: `Letter no longer overdue: ${n.number}`,
          body: `${n.project.name}: the working calendar was corrected; the reply to ${n.number} is now due on ${toldDue(reply, 'en')}${n.was ? ` (was ${n.was})` : ''} — the overdue reminder is withdrawn`,
        },
      };
    }
    case 'letter.issued': {
      const reply = { dueDate: n.replyBy, ...(n.replyProvisional ? { dueProvisional: true } : {}) };
      return {
        zh: { title: `来函：${n.number}`, body: `${n.project.name}：${n.subject}${n.replyBy ? zh`。请于 ${toldDue(reply, 'zh')} 前回复` : ''}` },
        en: { title: `Formal letter ${n.number}`, body: `${n.project.name}: ${n.subject}${n.replyBy ? `. Reply by ${toldDue(reply, 'en')}` : ''}` },
      };
    }
    case 'letter.answered':
      return {
        zh: { title: `复函：${n.number}`, body: zh`${n.project.name}：${n.addressee} 已签收 ${n.number} 并回复：${excerpt(n.reply)}` },
        en: { title: `Letter answered: ${n.number}`, body: `${n.project.name}: ${n.addressee} acknowledged ${n.number} and replied: ${excerpt(n.reply)}` },
      };
    case 'inventory.refresh_due':
      return {
        zh: { title: `要素清单本期待确认：${n.inventory}`, body: zh`${periodInWords(n.period, 'zh')} 更新期将于 ${n.periodEnd} 结束，尚有 ${n.unconfirmed} 条未确认，请及时更新确认（季度更新、动态清零）。` },
        en: { title: `Inventory due for confirmation: ${n.inventory}`, body: `The ${periodInWords(n.period, 'en')} period ends on ${n.periodEnd}; ${n.unconfirmed} record(s) are not confirmed yet.` },
      };
    case 'inventory.stale':
      return {
        zh: { title: `要素清单待核实：${n.inventory}`, body: zh`${n.stale} 条记录未在 ${periodInWords(n.period, 'zh')} 更新期内确认，已标记为待核实，请核实后确认。` },
        en: { title: `Inventory records stale: ${n.inventory}`, body: `${n.stale} record(s) were not confirmed in ${periodInWords(n.period, 'en')} and are flagged stale; confirm them once checked.` },
      };
    case 'department.notice':
      return {
        zh: {
          title: `通报提醒：${n.department.zh}`,
          body: zh`${n.department.zh} 近 ${n.windowWd} 个工作日（${n.windowFrom} 至 ${n.windowTo}）有 ${n.count} 项任务逾期，已列入督查室通报提醒名单：${list(n.itemsZh ?? n.items, '；', more)}。请尽快办结。`,
        },
        en: {
          title: `Department notice: ${n.department.en}`,
          body: `${n.department.en} had ${n.count} overdue items in the last ${n.windowWd} working days (${n.windowFrom} to ${n.windowTo}) and is on the supervision office's notice list: ${list(n.items, '; ', (k) => ` and more (${k} in all)`)}.`,
        },
      };
    case 'digest.daily': {
      const { dueToday, yellow, red, letters } = n.counts;
      const total = dueToday + yellow + red + letters;
      return {
        zh: {
          title: `每日提醒${n.date}：到期${dueToday}项，黄灯${yellow}项，红灯${red}项，待复函${letters}件`,
          body: `${n.department.zh}：${list(n.items.map((i) => digestLine(i, 'zh')), '；', more, total)}。${n.calendarProvisional ? `（${n.date.slice(0, 4)}年工作日历尚未载入：今日按周一至周五推定为工作日，期限为推定值）` : ''}`,
        },
        en: {
          title: `Daily digest ${n.date}: ${dueToday} due today, ${yellow} yellow, ${red} red, ${letters} letter(s) awaiting reply`,
          body: `${n.department.en}: ${list(n.items.map((i) => digestLine(i, 'en')), '; ', (k) => ` and more (${k} in all)`, total)}.${n.calendarProvisional ? ` (No working-day calendar is loaded for ${n.date.slice(0, 4)}: today is taken as a working day because it is a weekday, and due dates are provisional.)` : ''}`,
        },
      };
    }
    case 'workflow.failed': {
      // The exit procedure 退出程序 is redriven from its failed step (its own state machine), not resumed as a lifecycle.
      if (n.during === 'exit') {
        const redrive = `POST /projects/${n.projectId}/exit/redrive`;
        return {
          zh: { title: '退出程序失败', body: `${n.execution}: ${n.error}。排除原因后请从失败步骤重新执行：${redrive}` },
          en: { title: 'Exit procedure failed', body: `${n.execution}: ${n.error}. Once the cause is fixed, redrive it from the failed step: ${redrive}` },
        };
      }
      const resume = `POST /projects/${n.projectId}/workflow/resume`;
      return n.during === 'start'
        ? {
            zh: { title: '流程启动失败', body: `${n.execution}: ${n.error}。排除原因后请恢复：${resume}` },
            en: { title: 'Lifecycle could not start', body: `${n.execution}: ${n.error}. Once the cause is fixed, resume it: ${resume}` },
          }
        : {
            zh: { title: '流程步骤失败', body: `${n.execution}: ${n.error}。排除原因后请恢复：${resume}` },
            en: { title: 'Lifecycle step failed', body: `${n.execution}: ${n.error}. Once the cause is fixed, resume it: ${resume}` },
          };
    }
  }
}

/** What a group message shows besides the wording: the project, the item (task, gate, letter) and its due date. */
export interface NoticeFacts {
  readonly project?: { readonly id: string; readonly name: string; readonly park: string };
  readonly item?: string;
  readonly dueDate?: string;
}

export function factsOf(n: Notice): NoticeFacts {
  if (n.kind === 'workflow.failed' || n.kind === 'inventory.refresh_due' || n.kind === 'inventory.stale' || n.kind === 'department.notice' || n.kind === 'digest.daily') return {};
  const project = { id: n.project.id, name: n.project.name, park: n.project.park };
  const due = (d: string | null | undefined) => (d ? { dueDate: d } : {});
  switch (n.kind) {
    case 'task.yellow':
    case 'task.overdue':
    case 'supervision.handover':
    case 'task.overdue_withdrawn':
    case 'task.yellow_withdrawn':
      return { project, item: n.task, ...due(n.dueDate) };
    case 'gate.open':
    case 'gate.overdue':
    case 'gate.overdue_withdrawn':
      return { project, item: n.gate, ...due(n.dueDate) };
    case 'gate.open_withdrawn':
      return { project, item: n.gate };
    case 'escalation.raised':
      return { project, item: n.rung, ...due(n.dueDate) };
    case 'escalation.exit_reminder':
      return { project, ...due(n.dueDate) };
    case 'escalation.extended':
      return { project, ...due(n.until) };
    case 'interview.commitments':
      return { project, item: n.items.join('；'), ...due(n.dueDate) };
    case 'letter.overdue':
    case 'letter.overdue_withdrawn':
    case 'letter.issued':
      return { project, item: n.number, ...due(n.replyBy) };
    case 'letter.answered':
      return { project, item: n.number };
    case 'resource.available':
      return { project, item: n.resource.label };
    default:
      return { project };
  }
}
