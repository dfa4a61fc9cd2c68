// The synthetic zone of the simulation, drawn from a seed: projects (tracks, industries, parks, investment sizes, land
// vs lease, some `major`) and how the people who work on them behave — per role, how many working days a task takes
// (most on time, a tail late, some never). Every draw comes from a stream named by what it decides (project, task,
// round), so a run is the same zone whatever order the asynchronous simulation happens to ask in.
import type { Role } from '../../functions/kernel/domain/codes.ts';

/** mulberry32 over a 32-bit state: small, fast, good enough for a simulation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random stream for `name` under the run's seed (FNV-1a of the name, mixed with the seed). */
export function stream(seed: number, name: string): () => number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return prng(h >>> 0);
}

const pick = <T>(r: () => number, weighted: readonly (readonly [T, number])[]): T => {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted.at(-1)![0];
};
export const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export const PARKS = ['汇通产业园', '科创城', '智造港'] as const;

const INDUSTRY_ZH = { nev: '新能源汽车', equipment: '装备制造', infotech: '信息创新', biomedicine: '生物医药', medical_devices: '医疗器械', other: '综合' } as const;
type Industry = keyof typeof INDUSTRY_ZH;

export interface ProjectSpec {
  readonly index: number;
  readonly body: {
    readonly name: string;
    readonly investor: { readonly name: string; readonly enterpriseId: string };
    readonly track: 'industrial' | 'scitech';
    readonly industry: Industry;
    readonly attractionMode: 'leader' | 'chain' | 'business' | 'fund' | 'market';
    readonly totalInvestmentCny: number;
    readonly techLevel: 'leading' | 'advanced' | 'standard';
    readonly chainRole: 'extend' | 'fill' | 'strengthen' | 'none';
    readonly park: string;
    readonly siteMode: 'land' | 'lease';
    readonly targets: { readonly outputValueCny: number; readonly taxCny: number; readonly jobs: number };
  };
  /** Business days after the start of the run the project is signed (and created). */
  readonly arrivalDay: number;
}

/** Project `index` of the zone of `seed`, arriving within the first `arrivalDays` days. */
export function projectSpec(seed: number, index: number, arrivalDays: number): ProjectSpec {
  const r = stream(seed, `project-${index}`);
  const track = r() < 0.8 ? 'industrial' : 'scitech';
  const industry = pick<Industry>(r, [['nev', 25], ['equipment', 25], ['infotech', 15], ['biomedicine', 10], ['medical_devices', 10], ['other', 15]]);
  // Log-uniform 20 million to 3 billion yuan: about one project in seven is major (≥ 1 billion).
  const totalInvestmentCny = Math.round(Math.exp(Math.log(2e7) + r() * (Math.log(3e9) - Math.log(2e7))) / 10_000) * 10_000;
  const enterpriseId = `ent-s${seed}-${index}`;
  return {
    index,
    arrivalDay: Math.floor(r() * Math.max(1, arrivalDays)),
    body: {
      name: `模拟${INDUSTRY_ZH[industry]}项目${index + 1}号`,
      investor: { name: `模拟企业${index + 1}有限公司`, enterpriseId },
      track,
      industry,
      attractionMode: pick(r, [['leader', 1], ['chain', 3], ['business', 2], ['fund', 1], ['market', 3]] as const),
      totalInvestmentCny,
      techLevel: pick(r, [['leading', 1], ['advanced', 3], ['standard', 4]] as const),
      chainRole: pick(r, [['extend', 2], ['fill', 2], ['strengthen', 2], ['none', 3]] as const),
      park: pick(r, [[PARKS[0], 5], [PARKS[1], 3], [PARKS[2], 2]] as const),
      siteMode: r() < 0.55 ? 'land' : 'lease',
      targets: { outputValueCny: Math.round(totalInvestmentCny * 1.2), taxCny: Math.round(totalInvestmentCny * 0.05), jobs: between(r, 30, 800) },
    },
  };
}

/** Per role: the share of tasks done late (past the limit) and never done. Enterprises and land work run late most. */
export const BEHAVIOUR: Partial<Record<Role, { readonly late: number; readonly never: number }>> & { readonly default: { readonly late: number; readonly never: number } } = {
  default: { late: 0.08, never: 0.004 },
  resources_bureau: { late: 0.15, never: 0.006 },
  construction_dept: { late: 0.12, never: 0.005 },
  approval_office: { late: 0.1, never: 0.004 },
  enterprise: { late: 0.2, never: 0.01 },
};

/**
 * Working days after its start that a task's lead completes it, or null (never). On time: 1 to the limit (the last
 * `yellowBeforeWd` of them after the yellow light); late: 1 to 8 past the limit. No limit (per contract): 20–60.
 */
export function taskDelay(seed: number, projectId: string, taskId: string, lead: Role, limitWd: number | null): number | null {
  const r = stream(seed, `task-${projectId}-${taskId}`);
  const b = BEHAVIOUR[lead] ?? BEHAVIOUR.default;
  const u = r();
  if (limitWd === null) return between(r, 20, 60);
  if (u < b.never) return null;
  if (u < b.never + b.late) return limitWd + between(r, 1, 8);
  return between(r, 1, limitWd);
}

/** Working days after a gate opens that an approver decides (10 is the gate's limit): a tail decides late. */
export function approvalDelay(seed: number, projectId: string, stage: string, round: number, role: Role): number {
  const r = stream(seed, `gate-${projectId}-${stage}-${round}-${role}`);
  return r() < 0.06 ? between(r, 11, 14) : between(r, 1, 6);
}

/** Working days between construction progress reports: every 5–9, now and then a gap (meeting red, site stalled). */
export function progressGap(seed: number, projectId: string, n: number): number {
  const r = stream(seed, `progress-${projectId}-${n}`);
  return r() < 0.07 ? between(r, 12, 22) : between(r, 5, 9);
}

/**
 * Minutes after midnight a person acts on a working day: 10:00–15:00 office hours, some business hours after the
 * midnight deadline wake-ups and before the next midnight. On a fast clock the product's real latency is business
 * hours (0.1 s is 2.4 h at one day a second): an action close to midnight would race the deadline wake-ups, and a
 * stage entered just before midnight would light its start-day yellow the next day.
 */
export function actMinute(seed: number, name: string): number {
  return between(stream(seed, `minute-${name}`), 10 * 60, 15 * 60);
}

/**
 * How a project's people answer the escalation ladder (issue 12), drawn per project, rung and the day the rung began,
 * so a run is reproducible: the enterprise acknowledges an urging letter within its reply window (most), late, or never;
 * the committee leader grants an extension 延期 at L1–L2 for a share; at L2 the interview is recorded; at L3 the joint
 * assessment proceeds for a share, for another every named department asks for a rectification plan 整改方案 (the
 * ladder held at L3 until the plan's last date; the enterprise does the items as any task), else the window runs out; at L4 the compliance check is recorded (finding a breach
 * for most); at L5 the committee leader decides exit for a share, extends for another, and leaves the rest to the
 * reminders. Delays are working days after the rung began (or the letter was issued).
 */
export const LADDER = {
  letter: { inWindow: 0.75, late: 0.15 },
  extension: 0.12,
  assessment: { proceed: 0.5, continue: 0.25 },
  compliance: { recorded: 0.8, breach: 0.85 },
  exit: { exit: 0.6, extend: 0.2 },
} as const;

export type RungResponse =
  | { readonly kind: 'none' }
  | { readonly kind: 'extension'; readonly afterWd: number; readonly extendWd: number }
  | { readonly kind: 'interview'; readonly afterWd: number }
  /** `continue`: each department's plan item is due `planWd` working days after the decision (one more per department). */
  | { readonly kind: 'assessment'; readonly afterWd: number; readonly decision: 'proceed' | 'continue'; readonly planWd: number }
  | { readonly kind: 'compliance'; readonly afterWd: number; readonly breach: boolean }
  | { readonly kind: 'exit'; readonly afterWd: number }
  | { readonly kind: 'extend'; readonly afterWd: number; readonly extendWd: number };

/**
 * Working days after its issue that the enterprise acknowledges a letter with a reply window of `replyWd`, or null.
 * Named by the project's index in the zone and the day the letter was issued (ids and letter numbers differ per run).
 */
export function letterReply(seed: number, project: number, issuedOn: string, replyWd: number): number | null {
  const r = stream(seed, `letter-${project}-${issuedOn}`);
  const u = r();
  if (u < LADDER.letter.inWindow) return between(r, 1, Math.max(1, replyWd));
  if (u < LADDER.letter.inWindow + LADDER.letter.late) return replyWd + between(r, 1, 4);
  return null;
}

/** What is done about the rung `level` project number `project` reached on `since` (the rung's window is `windowWd`). */
export function rungResponse(seed: number, project: number, level: number, since: string, windowWd: number): RungResponse {
  const r = stream(seed, `rung-${project}-${level}-${since}`);
  const u = r();
  const within = () => between(r, 1, Math.max(1, windowWd - 1));
  if (level <= 2 && u < LADDER.extension) return { kind: 'extension', afterWd: within(), extendWd: between(r, 10, 30) };
  if (level === 2) return { kind: 'interview', afterWd: within() };
  if (level === 3) {
    if (u < LADDER.assessment.proceed) return { kind: 'assessment', afterWd: within(), decision: 'proceed', planWd: 0 };
    if (u < LADDER.assessment.proceed + LADDER.assessment.continue) return { kind: 'assessment', afterWd: within(), decision: 'continue', planWd: between(r, 5, 15) };
    return { kind: 'none' };
  }
  if (level === 4) return u < LADDER.compliance.recorded ? { kind: 'compliance', afterWd: within(), breach: r() < LADDER.compliance.breach } : { kind: 'none' };
  if (level >= 5) {
    if (u < LADDER.exit.exit) return { kind: 'exit', afterWd: within() };
    if (u < LADDER.exit.exit + LADDER.exit.extend) return { kind: 'extend', afterWd: within(), extendWd: between(r, 10, 30) };
  }
  return { kind: 'none' };
}
