// The escalation ladder's oracle of the simulation (issue 12): from each project's watched items (tasks and 容缺
// obligations with their due dates and completion instants, the enterprise's letters with their reply-by dates and
// acknowledgements (not its urging letters: the ladder watches the work they urge), the planned completion while in construction, progress reports for the stall), the gates passed,
// the extensions 延期, the rung records that move the ladder (a joint assessment that proceeds, a compliance check) and
// the exit decision, it replays the ladder of domain.md §4 and docs/design.md on its own working-day arithmetic
// (calendar.ts, not functions/supervision/domain/escalation.ts) and says on which business day each rung should be
// raised, each reset recorded and each exit reminder sent; then it checks the product's audit events
// (`escalation.raised` / `escalation.reset` / `escalation.exit_reminder` on the timeline): lost, doubled, early, late
// (on a later business day than due) or spurious — the definitions and the cutoff rule of oracle.ts.
//
// The rules replayed: an item triggers the ladder the day after its due date plus `graceWd` working days (the day the
// period starts not counted), the longest-overdue open item or, in construction, a site without a progress report for
// `stalledAfterWd` working days; the trigger standing, level 0 climbs to L1 that day and a rung whose window
// (`responseWd` working days from the day it was raised) has ended climbs one rung (one per review: each rung gets its
// full window); at the top the committee leader is reminded once per window until the exit decision; a rung or a
// reminder owed on a rest day comes on the next working day (domain.md §3: periods on the zone's calendar; a letter
// from a government office is dated on a working day). The trigger gone
// (the work done, the letter answered, the gate passed with nothing overdue left) resets the ladder; an extension puts it back to level 0 with no
// trigger until its date has passed (recorded as the extension, not as a reset). A joint assessment concluding
// `proceed` raises L4 at once, one concluding `continue` holds L3 until its rectification plan's last date (L4 the day
// after, the trigger standing; the plan's items are watched work like any task), a compliance check at L4 raises L5 at once. From the exit decision the ladder stands
// still. The product reviews at each midnight a deadline falls on and after every change by a user: the replay
// evaluates every project at each midnight and after each of its inputs.
import { dayOf, plusDays, type WorkCalendar } from './calendar.ts';

export type LadderStream = 'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'reset' | 'reminder';
export const LADDER_STREAMS: readonly LadderStream[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'reset', 'reminder'];
export type LadderDefectKind = 'lost' | 'doubled' | 'early' | 'late' | 'spurious';

/** What the oracle reads of `config/escalation` and `config/recurring`. */
export interface LadderRules {
  readonly rungs: readonly { readonly level: number; readonly responseWd: number }[];
  readonly graceWd: number;
  readonly stalledAfterWd: number;
  /** `config/escalation` `ladderTasks`: every task's lateness raises the ladder (`all`), or the enterprise's work only. */
  readonly ladderTasks?: 'all' | 'enterprise';
}

/** Work the ladder watches: open from its start until `closedAt` (a completion, an acknowledgement). */
export interface LadderItem {
  readonly id: string;
  readonly dueDate: string;
  /** Business instant (ISO) it was closed; null while open. */
  readonly closedAt: string | null;
}

/** An input of the replay at a business instant (ISO). */
export type LadderInput =
  | { readonly at: string; readonly kind: 'entered'; readonly stage: string }
  | { readonly at: string; readonly kind: 'passed'; readonly to: string }
  | { readonly at: string; readonly kind: 'progress' }
  | { readonly at: string; readonly kind: 'extended'; readonly until: string }
  | { readonly at: string; readonly kind: 'assessment_proceed' }
  /** The joint assessment concluded to continue: the ladder held at L3 until the rectification plan's last date. */
  | { readonly at: string; readonly kind: 'assessment_continue'; readonly until: string }
  | { readonly at: string; readonly kind: 'compliance_check' }
  | { readonly at: string; readonly kind: 'exit_decided' };

export interface LadderProject {
  readonly projectId: string;
  /** The business day the project was created (the replay starts there). */
  readonly firstDay: string;
  readonly items: readonly LadderItem[];
  /** 计划竣工: watched while the project is in CONSTRUCTION. */
  readonly plannedCompletion: string | null;
  readonly inputs: readonly LadderInput[];
}

/** A ladder event the product recorded (from the timeline). */
export interface RecordedRung {
  readonly projectId: string;
  readonly stream: LadderStream;
  readonly at: string;
}

export interface ExpectedRung {
  readonly projectId: string;
  readonly stream: LadderStream;
  readonly day: string;
  /** Why: the trigger item (or `stall`, `assessment`, `compliance check`), for the report. */
  readonly why: string;
}

export interface LadderDefect {
  readonly kind: LadderDefectKind;
  readonly stream: LadderStream;
  readonly projectId: string;
  readonly expectedDay: string | null;
  readonly actualDay: string | null;
  readonly why?: string;
}

export interface LadderReport {
  readonly projectsChecked: number;
  /** Per stream: events the oracle expects by the cutoff (due before the cutoff day), and events the product recorded. */
  readonly expected: Record<LadderStream, number>;
  readonly recorded: Record<LadderStream, number>;
  readonly defects: readonly LadderDefect[];
  readonly counts: Record<LadderDefectKind, number>;
}

/**
 * Replays one project's ladder up to `cutoffDay` (inclusive) and returns the events it expects, each on its day.
 */
export function expectedRungs(p: LadderProject, rules: LadderRules, calendar: WorkCalendar, cutoffDay: string): ExpectedRung[] {
  const out: ExpectedRung[] = [];
  const top = Math.max(...rules.rungs.map((r) => r.level));
  const windowOf = (level: number) => rules.rungs.find((r) => r.level === level)?.responseWd ?? 0;
  // The first day each item triggers: the day after its due date plus the grace.
  const items = p.items.map((i) => ({ ...i, from: plusDays(calendar.addWorkdays(i.dueDate, rules.graceWd), 1), closed: i.closedAt ? Date.parse(i.closedAt) : Infinity }));
  // Every input and every closing is an instant the product reviews the project after.
  const reviews: { t: number; input: LadderInput | null }[] = [
    ...p.inputs.map((input) => ({ t: Date.parse(input.at), input })),
    ...items.filter((i) => i.closedAt).map((i) => ({ t: i.closed, input: null })),
  ].sort((a, b) => a.t - b.t);
  let level = 0;
  let nextDue = '';
  let extendedUntil: string | null = null;
  let current = '';
  let enteredDay: string | null = null;
  let lastProgress: string | null = null;
  let still = false;
  let why = '';

  const triggerAt = (t: number, day: string): string | null => {
    if (extendedUntil !== null && day <= extendedUntil) return null;
    let best: { id: string; due: string } | null = null;
    for (const i of items) {
      if (i.closed <= t || day < i.from) continue;
      if (!best || i.dueDate < best.due || (i.dueDate === best.due && i.id < best.id)) best = { id: i.id, due: i.dueDate };
    }
    if (current === 'CONSTRUCTION' && p.plannedCompletion !== null && day > calendar.addWorkdays(p.plannedCompletion, rules.graceWd)) {
      if (!best || p.plannedCompletion < best.due) best = { id: 'completion', due: p.plannedCompletion };
    }
    if (best) return best.id;
    const since = lastProgress ?? enteredDay;
    if (current === 'CONSTRUCTION' && since !== null && day > calendar.addWorkdays(since, rules.stalledAfterWd)) return 'stall';
    return null;
  };
  const raise = (to: number, day: string, reason: string) => {
    level = to;
    nextDue = calendar.addWorkdays(day, windowOf(to));
    out.push({ projectId: p.projectId, stream: `L${to}` as LadderStream, day, why: reason });
  };
  const review = (t: number, day: string) => {
    if (still) return;
    const trigger = triggerAt(t, day);
    if (trigger === null) {
      if (level > 0) out.push({ projectId: p.projectId, stream: 'reset', day, why: `${why} cleared` });
      level = 0;
      return;
    }
    why = trigger;
    // A rung and a reminder are a government office's acts (a letter, an interview, a notice): one owed on a rest day
    // (a weekend not worked, a public holiday) comes on the next working day, the first review of that day.
    if (!calendar.isWorkday(day)) return;
    if (level === 0) raise(1, day, trigger);
    else if (day > nextDue) {
      if (level < top) raise(level + 1, day, trigger);
      else {
        nextDue = calendar.addWorkdays(day, windowOf(top));
        out.push({ projectId: p.projectId, stream: 'reminder', day, why: trigger });
      }
    }
  };

  let r = 0;
  for (let day = p.firstDay; day <= cutoffDay; day = plusDays(day, 1)) {
    review(Date.parse(`${day}T00:00:00+08:00`), day);
    const end = Date.parse(`${plusDays(day, 1)}T00:00:00+08:00`);
    for (; r < reviews.length && reviews[r]!.t < end; r++) {
      const { t, input } = reviews[r]!;
      if (still) continue;
      switch (input?.kind) {
        case 'entered':
          current = input.stage;
          if (input.stage === 'CONSTRUCTION') enteredDay = dayOf(input.at);
          break;
        case 'passed':
          current = input.to;
          if (input.to === 'CONSTRUCTION') enteredDay = day;
          // The last gate ends the ladder.
          if (input.to === 'PRODUCING') {
            if (level > 0) out.push({ projectId: p.projectId, stream: 'reset', day, why: `gate passed to ${input.to}` });
            level = 0;
            still = true;
          }
          // Any other is progress: what held the project at the stage it left is behind it, and the review that follows
          // (below) resets the ladder — unless work that outlives the stage is still overdue past its grace: then the
          // project stays on its rung (or, from level 0, climbs to L1), as on any other review.
          break;
        case 'progress':
          lastProgress = dayOf(input.at);
          break;
        case 'extended':
          level = 0;
          extendedUntil = input.until;
          break;
        case 'assessment_proceed':
          if (level === 3) raise(4, day, 'assessment');
          break;
        case 'assessment_continue':
          // L3's window becomes the plan's: L4 the day after its last date, if the trigger still stands then.
          if (level === 3) nextDue = input.until;
          break;
        case 'compliance_check':
          if (level === 4) raise(5, day, 'compliance check');
          break;
        case 'exit_decided':
          still = true;
          continue;
        default:
      }
      review(t, day);
    }
  }
  return out;
}

/**
 * Checks the recorded ladder events of every project against the replay. `cutoffDay`: the business day the run stopped
 * on — an event due before it must be there, one due on it may still have been in flight, none after it may be there.
 */
export function checkLadder(input: { readonly projects: readonly LadderProject[]; readonly recorded: readonly RecordedRung[]; readonly rules: LadderRules; readonly calendar: WorkCalendar; readonly cutoffDay: string }): LadderReport & { readonly expectedEvents: readonly ExpectedRung[] } {
  const { projects, recorded, rules, calendar, cutoffDay } = input;
  const zero = () => Object.fromEntries(LADDER_STREAMS.map((s) => [s, 0])) as Record<LadderStream, number>;
  const expected = zero();
  const recordedCount = zero();
  const defects: LadderDefect[] = [];
  const expectedEvents: ExpectedRung[] = [];
  const known = new Set(projects.map((p) => p.projectId));
  const byKey = new Map<string, string[]>();
  for (const e of recorded) {
    recordedCount[e.stream] += 1;
    if (!known.has(e.projectId)) {
      defects.push({ kind: 'spurious', stream: e.stream, projectId: e.projectId, expectedDay: null, actualDay: dayOf(e.at) });
      continue;
    }
    const k = `${e.projectId}\u0000${e.stream}`;
    byKey.set(k, [...(byKey.get(k) ?? []), dayOf(e.at)]);
  }
  for (const p of projects) {
    const mine = expectedRungs(p, rules, calendar, cutoffDay);
    expectedEvents.push(...mine);
    for (const stream of LADDER_STREAMS) {
      const exp = mine.filter((e) => e.stream === stream);
      expected[stream] += exp.filter((e) => e.day < cutoffDay).length;
      const actual = [...(byKey.get(`${p.projectId}\u0000${stream}`) ?? [])].sort();
      defects.push(...match(p.projectId, stream, exp, actual, cutoffDay));
    }
  }
  const counts: Record<LadderDefectKind, number> = { lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 };
  for (const d of defects) counts[d.kind] += 1;
  return { projectsChecked: projects.length, expected, recorded: recordedCount, defects, counts, expectedEvents };
}

/**
 * One project's stream: recorded days matched to expected days — the same day first, then in order (earlier → early,
 * later → late); an expected event left over is lost unless due on the cutoff day; a recorded one left over is doubled
 * when its day already has its expected event, else spurious.
 */
export function match(projectId: string, stream: LadderStream, exp: readonly ExpectedRung[], actual: readonly string[], cutoffDay: string): LadderDefect[] {
  const defects: LadderDefect[] = [];
  const leftExp = [...exp].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const leftAct: string[] = [];
  const matchedDays = new Set<string>();
  for (const day of [...actual].sort()) {
    const i = leftExp.findIndex((e) => e.day === day);
    if (i >= 0) {
      leftExp.splice(i, 1);
      matchedDays.add(day);
    } else leftAct.push(day);
  }
  const extra: string[] = [];
  for (const day of leftAct) {
    if (matchedDays.has(day)) extra.push(day);
    else {
      const e = leftExp.shift();
      if (!e) extra.push(day);
      else defects.push({ kind: day < e.day ? 'early' : 'late', stream, projectId, expectedDay: e.day, actualDay: day, why: e.why });
    }
  }
  for (const day of extra) defects.push({ kind: matchedDays.has(day) ? 'doubled' : 'spurious', stream, projectId, expectedDay: null, actualDay: day });
  for (const e of leftExp) if (e.day < cutoffDay) defects.push({ kind: 'lost', stream, projectId, expectedDay: e.day, actualDay: null, why: e.why });
  return defects;
}
