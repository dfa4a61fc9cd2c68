// The gate passing with the decision that completes it (the last approval of the round, or the meeting record when the
// approvals are in): the rule is `passStage` (domain/review.ts); this reads what it needs — the escalation ladder's
// configuration and the project's letters, read with the project (`decisionReads`) — and turns the passing into the
// writes, events and notices of the decision's own transaction. The stage passes on the day of that decision, not
// when the lifecycle, woken through the outbox, reviews it (under load, that can be the next business day), and the
// next stage is entered with it (`entryWithPass`, also used by the review's own pass): the workflow's `Enter stage`
// then finds it entered.
import type { Stage } from '#kernel/domain/codes.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { MAX_TRANSACTION_ITEMS, type WriteOp } from '#kernel/store/client.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { getConfig, getConfigVersion, type ConfigVersion } from '#reference/store/reference.ts';
import type { Letter } from '#supervision/domain/letter.ts';
import { overdueWrites } from '#supervision/departments.ts';
import { reviewLetters } from '#supervision/notices.ts';
import { owedOnRaise } from '#supervision/urging.ts';
import { enterStage } from './domain/entry.ts';
import { summarize, tasksSummaryOf } from './domain/evaluation.ts';
import { gateComplete, outstandingAtLastGate, type Gate, type GateApproval } from './domain/gate.ts';
import { exiting, passStage, type StagePass } from './domain/review.ts';
import type { Task } from './domain/task.ts';
import { stageRecords } from './store/stage-records.ts';
import { insertStageEntry } from './store/stage.ts';
import { insertTask, putGate, putTask } from './store/tasks.ts';

/** The pass as the decision's transaction carries it: `gate` replaces the decision's own write of the gate. */
export type PassAtDecision = Pick<StagePass, 'to' | 'project' | 'gate' | 'events' | 'notices'> & { readonly writes: readonly WriteOp[] };

/**
 * What a pass reads besides the decision's own reads: the escalation ladder's configuration and the project's letters.
 * A decision that may complete its gate reads them in the project's round trip, before it knows whether the gate
 * passes (`decisionReads`): no round trip more on the one that passes the gate.
 */
export type PassReads = readonly [ConfigVersion<'escalation'>, readonly Letter[], ConfigVersion<'lights'>];

/**
 * What a gate decision (an approval, the meeting record) reads with the project: the stage's gate, its approvals, the
 * project's tasks and what a pass needs (`PassReads`) — from one consistent query of the project's partition
 * (`stageRecords`) instead of four reads, the configuration kept. Read with the project, not after it: the decision's
 * commit is conditioned on what it read (the project's version, or the gate's round and count).
 */
export async function decisionReads(projectId: string, stage: Stage): Promise<{ gate: Gate | undefined; approvals: GateApproval[]; tasks: Task[]; passing: PassReads }> {
  const [records, escalation, lights] = await Promise.all([stageRecords(projectId, stage), getConfig('escalation'), getConfig('lights')]);
  return { gate: records.gate, approvals: records.approvals, tasks: records.tasks, passing: [escalation, records.letters, lights] };
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
  const [escalation, letters, lights] = args.reads;
  const pass = passStage({ project, stage: args.stage, gate: args.gate, tasks: args.tasks, letters: reviewLetters(project, letters), now, today: args.today, closedBy: SYSTEM_ACTOR.sub, ladder: escalation.doc, calendar });
  // Work still overdue raised the ladder with the pass (L1 from level 0): its urging letter goes with it, as from the review.
  const urging = await owedOnRaise(pass.ladder, project, pass.project, now, calendar);
  const writes = [putGate(project.id, pass.gate, args.gate), ...pass.closed.flatMap((c) => [putTask(c.task), ...(c.overdue ? overdueWrites(c.overdue) : [])]), ...urging.writes];
  const events = [...pass.events, ...pass.closed.flatMap((c) => c.events), ...urging.events];
  const notices = [...pass.notices, ...pass.closed.flatMap((c) => c.notices), ...urging.notices];
  const closed = new Map(pass.closed.map((c) => [c.task.id, c.task]));
  const after = args.tasks.map((t) => closed.get(t.id) ?? t);
  const entered = await entryWithPass({ project: pass.project, to: pass.to, tasks: after, now, today: args.today, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd, besides: writes.length + events.length + notices.length });
  return {
    pass: {
      to: pass.to,
      project: entered?.project ?? pass.project,
      gate: pass.gate,
      writes: [...writes, ...(entered?.writes ?? [])],
      events: [...events, ...(entered?.events ?? [])],
      notices: [...notices, ...(entered?.notices ?? [])],
    },
  };
}

/**
 * Items a change around a pass may add beside the pass and the entry (the project, its own audit event, the decision's
 * record, the wake-up signal, a gate or task it writes): what an entry leaves free of DynamoDB's 100 a transaction.
 */
const AROUND_PASS = 20;

/**
 * The next stage entered with the pass that moves the project into it, in the pass's own transaction: its entry
 * record, its tasks dated from the pass day, its gate, a task yellow from its first day lit and told (domain/entry.ts,
 * as the workflow's `Enter stage` step would write them). The work is there, on its clock, the moment the gate passes —
 * not when the lifecycle, woken through the outbox, reaches its next stage (seconds later on AWS; after an outage or a
 * crash between the two, days): its deadlines never move with that wait. `Enter stage` then finds the entry and writes
 * nothing. `project` comes back with its light and task summary counting the new tasks (a task yellow from its first
 * day makes the project yellow). Undefined at 达产 (no stage follows), and when the stage's tasks would not fit in the
 * pass's transaction (`besides`: the items the pass itself writes, records and tells) — a matrix with very many tasks
 * in a stage — where `Enter stage` writes them as before, dated from its own run. `project`: as the pass leaves it;
 * `tasks`: every task of the project as the pass leaves them (the stage's recurring work closed).
 */
export async function entryWithPass(args: { project: Project; to: Stage; tasks: readonly Task[]; now: Date; today: string; calendar: CalendarLookup; yellowBeforeWd: number; besides: number }): Promise<{ project: Project; writes: WriteOp[]; events: AuditRecord[]; notices: Notice[] } | undefined> {
  const { project, to } = args;
  if (to === 'PRODUCING' || project.status !== 'ACTIVE') return undefined;
  // A matrix version never changes: kept by a warm function after its first read.
  const matrix = await getConfigVersion('matrix', project.matrixVersion);
  // The first segment of the stage enters it (start-segment.ts: an advance starts segment 1).
  const entering = enterStage({ project, stage: to, segment: 1, matrix: matrix.doc, matrixVersion: matrix.version, now: args.now, today: args.today, yellowBeforeWd: args.yellowBeforeWd, calendar: args.calendar, earlier: args.tasks });
  const writes = [insertStageEntry(project.id, entering.entry), ...entering.tasks.map(insertTask), ...(entering.gate ? [putGate(project.id, entering.gate)] : [])];
  if (args.besides + writes.length + 1 + entering.notices.length > MAX_TRANSACTION_ITEMS - AROUND_PASS) return undefined;
  const summary = summarize([...args.tasks, ...entering.tasks], 'green', to);
  return { project: { ...project, light: summary.light, tasksSummary: tasksSummaryOf(summary) }, writes, events: [entering.event], notices: [...entering.notices] };
}
