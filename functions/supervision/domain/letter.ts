// Formal letters 正式函件: numbered documents between departments and to enterprises, with a reply window and an
// acknowledgement. Numbers are gapless per series and year (`晋综开督函〔2026〕17号`): a number is taken in the same
// transaction that issues the letter, so an issue that fails takes none. Pure: who may send and acknowledge, the number,
// the wording from the zh-CN templates with the project's facts, the status.
import { ROLE_LABELS, STAGE_LABELS, type Role, type Stage } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '#kernel/domain/errors.ts';
import { projectStateConflict } from '#projects/domain/project.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import { typedZh } from '#kernel/domain/typed.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';

/** Who a letter is addressed to: an enterprise (the project's investor) or a department (a park center: of a park). */
export type Addressee = { readonly kind: 'enterprise'; readonly enterpriseId: string; readonly name: string } | { readonly kind: 'department'; readonly role: Role; readonly park?: string };

export interface LetterSeries {
  /** The number's pattern: `{year}` and `{n}` are replaced (e.g. `晋综开督函〔{year}〕{n}号`). */
  readonly pattern: string;
  /** The department that issues letters of this series. */
  readonly from: Role;
  /** Working days the addressee has to reply (0: no reply asked). */
  readonly replyWd: number;
  /**
   * false: only the mechanism issues letters of this series (the exit letter follows the committee's exit decision);
   * a department cannot send one by hand. Absent: true.
   */
  readonly manual?: boolean;
}

export interface LettersConfig {
  readonly series: Readonly<Record<string, LetterSeries>>;
  /**
   * 即时函告: completing one of these tasks sends letters of `series` to the departments named, at once — the approval
   * office's completed construction permits go to the construction department and the park's service center.
   */
  readonly instantNotices: readonly { readonly task: string; readonly series: string; readonly to: readonly Role[] }[];
}

// Stryker disable all: default series and notices are data.
export const DEFAULT_LETTERS_CONFIG: LettersConfig = {
  series: {
    urging: { pattern: '晋综开督函〔{year}〕{n}号', from: 'supervision_office', replyWd: 5 },
    notice: { pattern: '晋综开函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0 },
    exit: { pattern: '晋综开退函〔{year}〕{n}号', from: 'committee_leader', replyWd: 0, manual: false },
  },
  instantNotices: [{ task: 'construction_permits', series: 'notice', to: ['construction_dept', 'park_center'] }],
};
// Stryker restore all

export type LetterStatus = 'sent' | 'acknowledged' | 'overdue';

export interface Letter {
  readonly id: string;
  readonly number: string;
  readonly series: string;
  readonly year: number;
  readonly seq: number;
  readonly projectId: string;
  readonly projectName: string;
  readonly from: Role;
  readonly to: Addressee;
  readonly subject: string;
  readonly body: string;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly issuedOn: string;
  /** The last day to reply (YYYY-MM-DD), or null when no reply is asked. */
  readonly replyBy: string | null;
  /**
   * The reply window in working days from `issuedOn` (recorded since 2026-12-01): `replyBy` is counted again when a
   * year of the calendar is loaded or corrected, while the letter is unanswered. `replyProvisional`: counted across a
   * year with no calendar loaded.
   */
  readonly replyWd?: number;
  readonly replyProvisional?: boolean;
  readonly ack: { readonly by: string; readonly byName: string; readonly at: string; readonly reply: string } | null;
  /** When the addressee was reminded that the reply window passed (once). */
  readonly remindedAt?: string;
}

/**
 * The series the exit step issues its letter in: never by hand, whatever the stored configuration says (a zone that
 * published `config/letters` before `manual` existed keeps a document without it).
 */
export const EXIT_SERIES = 'exit';

/**
 * The series of the urging letter 督办函, L1 发函督促's instrument (the mechanism's, or the supervision office's by hand):
 * it urges the late work, whose doing is the answer the ladder waits for — so the ladder watches that work, never the
 * letter's reply (lifecycle/domain/review.ts ladderItems).
 */
export const URGING_SERIES = 'urging';

/** The series a code names, an own key of the document only (`constructor` names none: every object carries one). */
export const seriesOf = (cfg: LettersConfig, code: string): LetterSeries | undefined => (Object.hasOwn(cfg.series, code) ? cfg.series[code] : undefined);

/** Whether people may issue letters of a series (the mechanism issues every series). */
export const issuedByHand = (code: string, series: Pick<LetterSeries, 'manual'>): boolean => code !== EXIT_SERIES && series.manual !== false;

/** Who issues letters by hand (POST /projects/{id}/letters): the issuers of the series issued by hand, and the committee leader. */
export const handIssuers = (cfg: LettersConfig): Role[] => [...new Set<Role>([...Object.entries(cfg.series).filter(([code, s]) => issuedByHand(code, s)).map(([, s]) => s.from), 'committee_leader'])];

/** The number of the `seq`-th letter of a series in a year. */
export const letterNumber = (series: LetterSeries, year: number, seq: number): string => series.pattern.replaceAll('{year}', String(year)).replaceAll('{n}', String(seq));

/**
 * A letter number two patterns can both give (for some year and counts), or undefined when none: `晋综开函〔{year}〕{n}号`
 * and `晋综开函〔{year}〕1{n}号` both give 晋综开函〔2026〕11号 (the 11th of one, the 1st of the other). A pattern read as
 * what it spells — its characters, then `{year}` four digits and `{n}` a count (1-9, then any digits) — and the two
 * walked together, one character at a time, until both end at once. The year is any from 2000 to 2099 in each (numbers
 * of two years must differ too).
 */
export function sharedNumber(a: string, b: string): string | undefined {
  // Letters other than digits are the same in the same order in both, or the numbers differ (cheap: most pairs stop here).
  const letters = (p: string) => p.replaceAll('{year}', '').replaceAll('{n}', '').replace(/[0-9]/g, '');
  if (letters(a) !== letters(b)) return undefined;
  const pa = numberSteps(a);
  const pb = numberSteps(b);
  const key = (i: number, j: number) => i * (pb.steps.length + 1) + j;
  const from = new Map<number, { prev: number; ch: string }>([[0, { prev: -1, ch: '' }]]);
  const queue = [0];
  const end = key(pa.steps.length, pb.steps.length);
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === end) {
      let out = '';
      for (let k = at; k !== 0; k = from.get(k)!.prev) out = from.get(k)!.ch + out;
      return out;
    }
    const i = Math.floor(at / (pb.steps.length + 1));
    const j = at % (pb.steps.length + 1);
    for (const [sa, ni] of moves(pa, i)) {
      for (const [sb, nj] of moves(pb, j)) {
        const ch = bothSpell(sa, sb);
        const next = key(ni, nj);
        if (ch === undefined || from.has(next)) continue;
        from.set(next, { prev: at, ch });
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** One character of a number: a given one, any digit (`like` the one an example shows), or a digit but 0 (a count's first). */
type NumberStep = { readonly ch: string } | { readonly digit: 'any' | 'nonzero'; readonly like: string };

function numberSteps(pattern: string): { steps: NumberStep[]; loops: Set<number> } {
  const steps: NumberStep[] = [];
  // After a count's first digit, any more digits: the state after it loops on a digit.
  const loops = new Set<number>();
  for (let i = 0; i < pattern.length; ) {
    if (pattern.startsWith('{year}', i)) {
      // The years the product keeps: 2000 to 2099.
      steps.push({ ch: '2' }, { ch: '0' }, { digit: 'any', like: '2' }, { digit: 'any', like: '6' });
      i += 6;
    } else if (pattern.startsWith('{n}', i)) {
      steps.push({ digit: 'nonzero', like: '1' });
      loops.add(steps.length);
      i += 3;
    } else {
      const ch = String.fromCodePoint(pattern.codePointAt(i)!);
      steps.push({ ch });
      i += ch.length;
    }
  }
  return { steps, loops };
}

function moves(p: { steps: NumberStep[]; loops: Set<number> }, i: number): [NumberStep, number][] {
  return [...(i < p.steps.length ? [[p.steps[i]!, i + 1] as [NumberStep, number]] : []), ...(p.loops.has(i) ? [[{ digit: 'any', like: '1' } as NumberStep, i] as [NumberStep, number]] : [])];
}

/** A character both steps may be, or undefined. */
function bothSpell(a: NumberStep, b: NumberStep): string | undefined {
  const fits = (s: NumberStep, ch: string) => ('ch' in s ? s.ch === ch : /^[0-9]$/.test(ch) && (s.digit === 'any' || ch !== '0'));
  if ('ch' in a) return fits(b, a.ch) ? a.ch : undefined;
  if ('ch' in b) return fits(a, b.ch) ? b.ch : undefined;
  return fits(b, a.like) ? a.like : fits(a, b.like) ? b.like : '1';
}

/** sent, acknowledged, or overdue once its reply window passed unanswered. */
export const letterStatus = (l: Pick<Letter, 'ack' | 'replyBy'>, today: string): LetterStatus => (l.ack ? 'acknowledged' : l.replyBy !== null && today > l.replyBy ? 'overdue' : 'sent');

/** The addressee's display name in the letter's salutation. */
export function addresseeName(to: Addressee): string {
  if (to.kind === 'enterprise') return to.name;
  return to.role === 'park_center' && to.park ? `${to.park}${ROLE_LABELS.park_center.zh}` : ROLE_LABELS[to.role].zh;
}

/** The inbox of a letter's addressee: the enterprise's, or the department's (a park center: its park's). */
export function addresseeInboxOf(to: Addressee): string {
  return to.kind === 'enterprise' ? `ENTERPRISE#${to.enterpriseId}` : roleInbox(to.role, { park: to.park ?? '', investor: { enterpriseId: '' } });
}

/** What a letter's template needs of its project. */
export interface LetterProject {
  readonly id: string;
  readonly name: string;
  readonly park: string;
  readonly stage: Stage;
  readonly investor: { readonly name: string; readonly enterpriseId: string };
  /** A closed project (EXITED, REJECTED) takes no letter by hand; the exit step issues its own. */
  readonly status?: string;
  /** An exit under way (decided, not done) takes no letter asking for a reply: the case is ending. */
  readonly exit?: { readonly status: string; readonly execution?: string };
}

/** The statuses a case is closed in: nothing more is asked of the enterprise or a department about it. */
const CLOSED = new Set(['EXITED', 'REJECTED']);

/** May this user acknowledge the letter: the enterprise it is addressed to, or the department (of the park). */
export function isAddressee(p: Principal, to: Addressee): boolean {
  if (to.kind === 'enterprise') return hasRole(p, 'enterprise') && p.enterprise === to.enterpriseId;
  if (!hasRole(p, to.role)) return false;
  return to.role !== 'park_center' || p.park === to.park;
}

/** Who may read a letter: its addressee, and staff who may read its project (`readsProject`: the project read rule). */
export function mayRead(p: Principal, l: Pick<Letter, 'to'>, readsProject: boolean): boolean {
  return isAddressee(p, l.to) || (readsProject && p.roles.some((r) => r !== 'enterprise'));
}

export interface NewLetter {
  readonly series: string;
  readonly to: Addressee;
  readonly subject: string;
  readonly body: string;
}

/**
 * A letter of `series` as the `seq`-th of its year. Issued by the series' department (or the committee leader, who may
 * sign any series) unless the system issues it (a ladder rung, 即时函告, exit). 400 on an unknown series, on a series
 * only the mechanism issues, and on a department writing to itself.
 */
export function issueLetter(args: {
  project: LetterProject;
  input: NewLetter;
  cfg: LettersConfig;
  by: Principal;
  system?: boolean;
  id: string;
  seq: number;
  now: Date;
  today: string;
  replyBy: (wd: number) => { date: string; provisional: boolean };
  /** A letter the mechanism issues on a rung: the reply window is the rung's (the ladder's next step), not the series'. */
  replyWd?: number;
}): Letter {
  const { project, input, cfg, by } = args;
  const series = seriesOf(cfg, input.series);
  if (!series) throw new ValidationFailed(`No letter series ${input.series}: ${Object.keys(cfg.series).join(', ')}`, [{ path: 'series', code: 'unknown_ref', message: 'unknown series' }]);
  if (!args.system) {
    if (!issuedByHand(input.series, series)) throw new ValidationFailed(`Letters of the ${input.series} series are issued by the mechanism only (the exit letter by the exit decision)`, [{ path: 'series', code: 'not_allowed', message: 'not issued by hand' }]);
    if (!hasRole(by, series.from, 'committee_leader')) {
      const who = `${series.from}${series.from === 'committee_leader' ? '' : ' (or the committee leader)'}`;
      throw new Forbidden(`Letters of the ${input.series} series are issued by ${who}`, [{ path: 'series', code: 'not_allowed', message: `issued by ${who}` }]);
    }
    if (input.to.kind === 'department' && input.to.role === series.from) {
      throw new ValidationFailed(`Letters of the ${input.series} series are issued by ${series.from}: not addressed to it`, [{ path: 'to.role', code: 'invalid', message: `the issuing department (${series.from})` }]);
    }
    if (project.status !== undefined && CLOSED.has(project.status)) {
      throw projectStateConflict(`Project ${project.id} is ${project.status}: its case is closed, no letter is issued about it`, `is ${project.status}`);
    }
    // The exit decided, a letter asking the enterprise or a department to reply within a window would outlive the case
    // (and show overdue on it once closed); a notice 函告 that asks no reply may still go.
    if (project.exit && project.exit.status !== 'done' && series.replyWd > 0) {
      throw projectStateConflict(`Project ${project.id} is being exited 退出程序 (${project.exit.status}): no ${input.series} letter asking for a reply is issued about it`, 'being exited: no letter asking for a reply');
    }
  }
  const year = Number(args.today.slice(0, 4));
  return {
    id: args.id,
    number: letterNumber(series, year, args.seq),
    series: input.series,
    year,
    seq: args.seq,
    projectId: project.id,
    projectName: project.name,
    from: series.from,
    to: input.to,
    subject: input.subject,
    body: input.body,
    issuedAt: args.now.toISOString(),
    issuedBy: by.sub,
    issuedOn: args.today,
    ...replyOf(args.system && args.replyWd !== undefined ? args.replyWd : series.replyWd, args.replyBy),
    ack: null,
  };
}

function replyOf(wd: number, count: (wd: number) => { date: string; provisional: boolean }): Pick<Letter, 'replyBy' | 'replyWd' | 'replyProvisional'> {
  if (wd <= 0) return { replyBy: null };
  const due = count(wd);
  return { replyBy: due.date, replyWd: wd, ...(due.provisional ? { replyProvisional: true } : {}) };
}

/**
 * An unanswered letter's reply-by day counted again on the calendar as it stands (`all`: a year was loaded or
 * corrected; else only one counted across a missing year); undefined when it has not moved.
 */
export function recountReply(l: Letter, all: boolean, count: (from: string, wd: number) => { date: string; provisional: boolean }): Pick<Letter, 'replyBy' | 'replyProvisional'> | undefined {
  if (l.ack || l.replyWd === undefined || l.replyBy === null || (!all && !l.replyProvisional)) return undefined;
  const due = count(l.issuedOn, l.replyWd);
  return due.date === l.replyBy && due.provisional === (l.replyProvisional ?? false) ? undefined : { replyBy: due.date, replyProvisional: due.provisional };
}

/** The addressee acknowledges (with a reply): once. */
export function acknowledge(letter: Letter | undefined, id: string, by: Principal, reply: string, now: Date): Letter {
  if (!letter) throw new NotFound(`No letter ${id}`);
  if (!isAddressee(by, letter.to)) {
    throw new Forbidden(`Letter ${letter.number} is addressed to ${addresseeName(letter.to)}: only its addressee acknowledges it`, [{ path: 'path.id', code: 'not_allowed', message: `addressed to ${addresseeName(letter.to)}` }]);
  }
  if (letter.ack) {
    const on = shanghaiDate(new Date(letter.ack.at));
    throw new Conflict(`Letter ${letter.number} was acknowledged on ${on}`, [{ path: 'path.id', code: 'state', message: `acknowledged on ${on}` }]);
  }
  return { ...letter, ack: { by: by.sub, byName: by.name, at: now.toISOString(), reply } };
}

/** A day as a letter writes it 公文日期 (2026年11月30日), not YYYY-MM-DD. */
export const chineseDate = (d: string): string => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/**
 * Why the urging letter (L1) is sent, as it reads after 「贵单位投资建设的…（园区）」: by what raised the ladder — overdue
 * work (since its due date), an earlier letter left unanswered (its reply-by day), a stalled site (since the last progress
 * report) or the planned completion missed. Null (none recorded): 推进滞后.
 */
export function urgingReason(trigger: { readonly kind: string; readonly label: string; readonly since: string } | null | undefined): string {
  if (!trigger) return '推进滞后';
  const on = chineseDate(trigger.since);
  switch (trigger.kind) {
    case 'letter_unanswered': {
      // The watched letter's label is 函件{number}未回复 (lifecycle/domain/review.ts ladderItems).
      const number = /^函件(.+)未回复$/.exec(trigger.label)?.[1] ?? trigger.label;
      return `有关函件${number}逾期未回复（回复期限${on}）`;
    }
    case 'stalled':
      return `施工停滞，自${on}以来未报告建设进度`;
    case 'completion_overdue':
      return `计划于${on}竣工，逾期未竣工`;
    default:
      return `${typedZh(trigger.label)}自${on}起逾期未办结`;
  }
}

/** The zh-CN wording of the letters the mechanism sends by itself (days as letters write them: chineseDate). */
export const TEMPLATES = {
  /** 即时函告: a task done that another department waits for. */
  instantNotice: (project: LetterProject, task: string, doneOn: string): Pick<NewLetter, 'subject' | 'body'> => ({
    subject: `关于${project.name}${typedZh(task)}已办结的函`,
    body: `${project.name}（${project.park}，项目编号 ${project.id}）${typedZh(task)}已于${chineseDate(doneOn)}办结，现处于${STAGE_LABELS[project.stage].zh}阶段。请按职责及时开展后续工作。`,
  }),
  /** L1 发函督促: the urging letter to the enterprise. */
  urging: (project: LetterProject, reason: string, replyWd: number): Pick<NewLetter, 'subject' | 'body'> => ({
    subject: `关于督促${project.name}加快推进的函`,
    body: `${project.investor.name}：贵单位投资建设的${project.name}（${project.park}）${reason}。请于收函后${replyWd}个工作日内书面说明情况并提出整改措施。`,
  }),
  /** The exit letter. */
  exit: (project: LetterProject, reason: string): Pick<NewLetter, 'subject' | 'body'> => ({
    subject: `关于${project.name}退出的函`,
    body: `${project.investor.name}：经管委会研究，${project.name}（${project.park}）因${exitCause(reason)}，决定按合同约定启动退出程序，所涉土地、厂房及各类要素依法收回。`,
  }),
};

/** Punctuation a cause may end with, which the letter's own sentence follows. */
const TRAILING = /[\s。．.，,；;：:！!、]+$/u;
/** A closing clause that says what the letter's next words say (…，启动退出程序). */
const SAYS_EXIT = /[，,；;]\s*(?:现|拟|故|决定|依约|按合同约定)?\s*(?:启动|进入)(?:项目)?退出(?:程序)?$/u;

/**
 * The exit decision's reason as the exit letter's cause (因<cause>，决定按合同约定启动退出程序): without the full stop or
 * comma it was typed with, and without a closing clause that already says the exit is started — "企业严重违约，启动退出程序"
 * made the letter read 因企业严重违约，启动退出程序，决定按合同约定启动退出程序. A reason that is nothing but such words is
 * kept as written. The record keeps the reason as typed.
 */
export function exitCause(reason: string): string {
  const trimmed = reason.replace(TRAILING, '');
  const cause = trimmed.replace(SAYS_EXIT, '').replace(TRAILING, '');
  return cause || trimmed || reason.trim();
}
