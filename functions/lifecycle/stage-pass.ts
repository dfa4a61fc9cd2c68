// The gate passing with the decision that completes it (the last approval of the round, or the meeting record when the
// approvals are in): the rule is `passStage` (domain/review.ts); this reads what it needs — the escalation ladder's
// configuration and the project's letters, read with the project (`decisionReads`) — and turns the passing into the
// writes, events and notices of the decision's own transaction. The stage passes on the day of that decision, not
// when the lifecycle, woken through the outbox, reviews it (under load, that can be the next business day); the
// workflow then only enters the next stage.
import type { Stage } from '#kernel/domain/codes.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Project } from '#projects/domain/project.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { getConfig, type ConfigVersion } from '#reference/store/reference.ts';
import type { Letter } from '#supervision/domain/letter.ts';
import { overdueWrites } from '#supervision/departments.ts';
import { reviewLetters } from '#supervision/notices.ts';
import { owedOnRaise } from '#supervision/urging.ts';
import { gateComplete, outstandingAtLastGate, type Gate, type GateApproval } from './domain/gate.ts';
import { exiting, passStage, type StagePass } from './domain/review.ts';
import type { Task } from './domain/task.ts';
import { stageRecords } from './store/stage-records.ts';
import { putGate, putTask } from './store/tasks.ts';

/** The pass as the decision's transaction carries it: `gate` replaces the decision's own write of the gate. */
export type PassAtDecision = Pick<StagePass, 'to' | 'project' | 'gate' | 'events' | 'notices'> & { readonly writes: readonly WriteOp[] };

/**
 * What a pass reads besides the decision's own reads: the escalation ladder's configuration and the project's letters.
 * A decision that may complete its gate reads them in the project's round trip, before it knows whether the gate
 * passes (`decisionReads`): no round trip more on the one that passes the gate.
 */
export type PassReads = readonly [ConfigVersion<'escalation'>, readonly Letter[]];

/**
 * What a gate decision (an approval, the meeting record) reads with the project: the stage's gate, its approvals, the
 * project's tasks and what a pass needs (`PassReads`) — from one consistent query of the project's partition
 * (`stageRecords`) instead of four reads, the configuration kept. Read with the project, not after it: the decision's
 * commit is conditioned on what it read (the project's version, or the gate's round and count).
 */
export async function decisionReads(projectId: string, stage: Stage): Promise<{ gate: Gate | undefined; approvals: GateApproval[]; tasks: Task[]; passing: PassReads }> {
  const [records, escalation] = await Promise.all([stageRecords(projectId, stage), getConfig('escalation')]);
  return { gate: records.gate, approvals: records.approvals, tasks: records.tasks, passing: [escalation, records.letters] };
}

/**
 * What a gate decision comes to: `pass`, the gate passed with it; `heldFor`, the round complete but its pass held — the
 * last gate's open obligations and follow-ups (task ids; none while an exit is under way), which the review passes it
 * after; neither, the gate still waits for a decision.
 */
export interface DecisionOutcome {
  readonly pass?: PassAtDecision;
  readonly heldFor?: readonly string[];
}

/**
 * `project`, `gate`, `approvals` and `tasks`: as they stand after the decision (its approval counted, its meeting on the
 * gate); `reads`: what `decisionReads` read of the project with it.
 */
export async function passAtDecision(args: { project: Project; stage: Stage; gate: Gate; approvals: readonly GateApproval[]; tasks: readonly Task[]; now: Date; today: string; calendar: CalendarLookup; reads: PassReads }): Promise<DecisionOutcome> {
  const { project, now, calendar } = args;
  if (project.stage !== args.stage || project.status !== 'ACTIVE' || !gateComplete(args.gate, args.approvals)) return {};
  // The last gate waits for the work still owed (the review passes it once that is done).
  const owed = outstandingAtLastGate(args.stage, args.tasks);
  if (owed.length > 0) return { heldFor: owed.map((t) => t.id) };
  // Nor while an exit is under way: the project leaves by its exit, not into production.
  if (exiting(project)) return { heldFor: [] };
  const [escalation, letters] = args.reads;
  const pass = passStage({ project, stage: args.stage, gate: args.gate, tasks: args.tasks, letters: reviewLetters(project, letters), now, today: args.today, closedBy: SYSTEM_ACTOR.sub, ladder: escalation.doc, calendar });
  // Work still overdue raised the ladder with the pass (L1 from level 0): its urging letter goes with it, as from the review.
  const urging = await owedOnRaise(pass.ladder, project, pass.project, now, calendar);
  return {
    pass: {
      to: pass.to,
      project: pass.project,
      gate: pass.gate,
      writes: [putGate(project.id, pass.gate, args.gate), ...pass.closed.flatMap((c) => [putTask(c.task), ...(c.overdue ? overdueWrites(c.overdue) : [])]), ...urging.writes],
      events: [...pass.events, ...pass.closed.flatMap((c) => c.events), ...urging.events],
      notices: [...pass.notices, ...pass.closed.flatMap((c) => c.notices), ...urging.notices],
    },
  };
}
