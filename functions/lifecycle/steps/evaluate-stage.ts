// Workflow steps "Evaluate stage" and "Deadline reached": loads the project's tasks, gate and approvals, has the
// domain review the stage (lifecycle/domain/review.ts), commits the review through the project's unit of work, and
// decides: advance through the gate (passed here, or already by the decision that completed it), end, start a fresh
// segment, or wait until the next deadline.
import { nextStage, type Stage } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { stageGate } from '#lifecycle/domain/gate.ts';
import { reviewStage, type Review } from '#lifecycle/domain/review.ts';
import { nextWait, segmentExpired, type Wait } from '#lifecycle/domain/segment.ts';
import { stageRecords } from '#lifecycle/store/stage-records.ts';
import { getGate, putGate, putTask } from '#lifecycle/store/tasks.ts';
import { changeProjectAs } from '#projects/change.ts';
import { targetsMet } from '#projects/domain/production.ts';
import { DEFAULT_CONFIG } from '#reference/domain/config.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#reference/store/reference.ts';
import { overdueWrites, withdrawalWrites } from '#supervision/departments.ts';
import { owedOnRaise } from '#supervision/urging.ts';
import { reviewLetters } from '#supervision/notices.ts';
import { addWorkingDays } from '#reference/domain/calendar.ts';
import { recountReply } from '#supervision/domain/letter.ts';
import { clearReminded, markReminded, setReplyBy } from '#supervision/store/letters.ts';
import { entryWithPass } from '#lifecycle/stage-pass.ts';
import { newWaitId, type StepInput } from './input.ts';

/** `wait` is always present (null unless waiting) so the state machine's ResultSelector resolves on every branch. */
export type Decision = { next: 'wait'; wait: Wait; stage: Stage } | { next: 'advance' | 'continue' | 'end'; stage: Stage; wait: null };

type Outcome = { early: Decision } | { review: Review; now: Date };

export const handler = workflowStep(async (input: StepInput & { reason?: string }): Promise<Decision> => {
  const stage = input.stage;
  // The configuration in force and the calendar are read in the project's round trip (`alongside`); the stage's records
  // after it, never before (lifecycle/store/stage-records.ts), in one query of the project's partition.
  const references = () => Promise.all([getConfig('lights'), getConfig('recurring'), loadCalendar(), getConfig('escalation')]);
  // Set by the last attempt of the unit of work: a change that lost a race is reviewed again on the new state.
  let outcome = { early: { next: 'end', stage, wait: null } } as Outcome;
  const {
    project,
    read: [, recurring],
  } = await changeProjectAs(SYSTEM_ACTOR, input.projectId, async (project, now, [lights, recurring, calendar, escalation]) => {
    if (project.status === 'ACTIVE' && project.stage !== stage) {
      // The gate passed already — by the decision that completed it (the last approval or the meeting, stage-pass.ts),
      // or by this step's first run before a retry: hand over to the next stage (the start is idempotent by name).
      const passed = (await getGate(project.id, stage))?.passedAt;
      if (passed && project.stage === nextStage(stage)) return void (outcome = { early: { next: 'advance', stage: project.stage, wait: null } });
    }
    if (project.status !== 'ACTIVE' || project.stage !== stage) return void (outcome = { early: { next: 'end', stage: project.stage, wait: null } });
    const { tasks, gate: storedGate, approvals, entry, letters: stored } = await stageRecords(project.id, stage);
    // Unanswered letters' reply-by days follow the calendar too (a year loaded or corrected; one counted across a
    // missing year), written with this review.
    const recounted = stored.map((l) => ({ letter: l, moved: recountReply(l, project.datesToRecompute === true, (from, wd) => addWorkingDays(from, wd, calendar)) }));
    const projectLetters = recounted.map(({ letter, moved }) => (moved ? { ...letter, ...moved } : letter));
    const moves = new Map(recounted.flatMap(({ letter, moved }) => (moved ? [[letter.id, moved] as const] : [])));
    const review = reviewStage({
      project,
      stage,
      tasks,
      gate: storedGate ?? stageGate((await getConfigVersion('matrix', project.matrixVersion)).doc.gates, stage, project),
      gateStored: storedGate !== undefined,
      approvals,
      enteredDate: entry?.enteredDate,
      targetsMet: targetsMet(project, recurring.doc.producingTargetShare),
      yellowBeforeWd: lights.doc.yellowBeforeWd,
      stalledAfterWd: recurring.doc.stalledAfterWd,
      calendar,
      now,
      today: shanghaiDate(now),
      closedBy: SYSTEM_ACTOR.sub,
      ladder: escalation.doc,
      // A letter whose day moved says the day before (a reminder withdrawn names it).
      letters: reviewLetters(project, projectLetters).map((l) => (moves.has(l.id) ? { ...l, was: stored.find((s) => s.id === l.id)?.replyBy ?? null } : l)),
    });
    outcome = { review, now };
    if (!review.changed && moves.size === 0) return undefined;
    // A letter reminded now, or its reminder withdrawn, whose day also moved: one write of both.
    const replyWrites = [...moves].filter(([id]) => !review.remindedLetters.includes(id) && !review.unremindedLetters.includes(id)).map(([id, moved]) => setReplyBy(project.id, id, moved));
    // L1 发函督促: the urging letter to the enterprise, numbered, in this change's transaction.
    const urging = await owedOnRaise(review.ladder, project, review.project, now, calendar);
    // The gate passed by this review: the next stage entered with it, in the same transaction (stage-pass.ts).
    const own = [...(review.gate ? [putGate(project.id, review.gate)] : []), ...urging.writes, ...review.remindedLetters.map((id) => markReminded(project.id, id, now, moves.get(id))), ...review.unremindedLetters.map((id) => clearReminded(project.id, id, moves.get(id)))];
    const reviewed = new Map(review.tasks.map((c) => [c.task.id, c.task]));
    const entered = review.passedTo ? await entryWithPass({ project: review.project, to: review.passedTo, tasks: tasks.map((t) => reviewed.get(t.id) ?? t), now, today: shanghaiDate(now), calendar, yellowBeforeWd: lights.doc.yellowBeforeWd, besides: own.length + replyWrites.length + review.events.length + urging.events.length + review.notices.length + urging.notices.length }) : undefined;
    // A red light withdrawn (the calendar corrected): its department's overdue fact, found by a read of those days.
    const withdrawals = await Promise.all(review.tasks.map((c) => (c.withdrawn ? withdrawalWrites(c.withdrawn, shanghaiDate(now)) : [])));
    return {
      project: entered?.project ?? review.project,
      action: 'stage.evaluated',
      // One atomic group per task: the task, its overdue record and its notices commit together or not at all, so a
      // light change is told exactly once (a retried step finds the light already changed), and no day on which many
      // items turn red can make one transaction too large. Groups committed before a lost race stay committed; the
      // next review does not repeat them.
      // A department's red task carries its overdue fact and the signal that counts it for the notice list (通报提醒).
      groups: review.tasks.map((c, i) => ({ writes: [putTask(c.task), ...(c.overdue ? overdueWrites(c.overdue) : []), ...withdrawals[i]!], events: c.events, notices: c.notices })),
      writes: [...own, ...replyWrites, ...(entered?.writes ?? [])],
      events: [...review.events, ...urging.events, ...(entered?.events ?? [])],
      notices: [...review.notices, ...urging.notices, ...(entered?.notices ?? [])],
      signal: null,
    };
  }, { alongside: references });
  if ('early' in outcome) return outcome.early;
  const { review, now } = outcome;
  if (review.passedTo) return review.passedTo === 'PRODUCING' ? { next: 'end', stage: 'PRODUCING', wait: null } : { next: 'advance', stage: review.passedTo, wait: null };
  const segmentStart = new Date(project.workflow?.startedAt ?? now.toISOString());
  const wakeUps = recurring.doc.segmentMaxWakeUps ?? DEFAULT_CONFIG.recurring.segmentMaxWakeUps;
  if (segmentExpired(now, segmentStart, recurring.doc.segmentMaxDays) || (input.cycles ?? 0) >= wakeUps) return { next: 'continue', stage, wait: null };
  const wait = nextWait(stage, review.wakeAt, now, segmentStart, recurring.doc.segmentMaxDays, project.version, (at) => clock.realSecondsUntil(at), newWaitId(now));
  return { next: 'wait', wait, stage };
});
