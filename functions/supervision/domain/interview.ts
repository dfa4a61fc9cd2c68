// L2 约谈企业: the interview record of a project on the escalation ladder — held on a day since the ladder reached the
// interview rung, who attended, what was said, and the enterprise's (or a department's) commitments, each with its due
// date; every commitment becomes a task timed like a meeting follow-up, so a commitment missed is overdue work the
// ladder sees. Recorded by the rung's owner (config/escalation: the committee leader by default).
import { addYears } from '#kernel/domain/dates.ts';
import { Conflict, repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { sameValue, typedKey } from '#kernel/domain/values.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { Role } from '#kernel/domain/codes.ts';
import type { LimitsConfig } from '#reference/domain/config.ts';
import { agreedItemRepeats, agreedTasks, assertRoomForItems, followUpCount, type Task } from '#lifecycle/domain/task.ts';
import type { SetDates } from '#lifecycle/domain/schedule.ts';
import { assertNoExitUnderway, notActive, projectStateConflict, type Project } from '#projects/domain/project.ts';
import { rungSince, type LadderConfig } from './escalation.ts';

export interface Commitment {
  readonly item: string;
  /** The commitment in English (optional): its task's nameEn, else `Interview commitment (<heldOn>): <item>`. */
  readonly itemEn?: string;
  readonly owner: Role;
  readonly dueDate: string;
}

export interface InterviewInput {
  readonly heldOn: string;
  readonly attendees: readonly string[];
  readonly summary: string;
  readonly commitments: readonly Commitment[];
}

export interface Interview extends InterviewInput {
  readonly number: number;
  readonly level: number;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly taskIds: readonly string[];
}

const INTERVIEW_LEVEL = 2;

/** Who records the interview 约谈: the owner of the ladder's interview rung. */
export const interviewer = (ladder: Pick<LadderConfig, 'rungs'>): Role => (ladder.rungs.find((r) => r.level === INTERVIEW_LEVEL)?.owner ?? 'committee_leader') as Role;

/** What an interview says (what a repeat would say again). */
// A commitment's English (itemEn) names its task; it does not make the interview another one.
const interviewFacts = (i: InterviewInput): InterviewInput => ({ heldOn: i.heldOn, attendees: i.attendees, summary: i.summary, commitments: i.commitments.map((c) => ({ item: c.item, owner: c.owner, dueDate: c.dueDate })) });

export function recordInterview(args: {
  project: Pick<Project, 'id' | 'park' | 'investor' | 'stage' | 'status' | 'escalation' | 'matrixVersion'>;
  tasks: readonly Task[];
  input: InterviewInput;
  by: Principal;
  /** The project's interviews on record: the new one is numbered after them, and is not one of them sent again. */
  previous: readonly InterviewInput[];
  now: Date;
  today: string;
  ladder: LadderConfig;
  limits: LimitsConfig;
  /** How the commitments are scheduled (config/lights, the calendar). */
  dates: SetDates;
}): { interview: Interview; commitments: Task[] } {
  const { project, input, today } = args;
  requireActsAs(args.by, [interviewer(args.ladder)], project, 'Recording the interview 约谈');
  if (project.status !== 'ACTIVE') throw notActive(project);
  assertNoExitUnderway(project, 'No interview 约谈 recorded');
  const { level } = project.escalation;
  // Held since the interview rung began in this climb: recorded after the ladder climbed on, it keeps its own day.
  const since = rungSince(project.escalation, INTERVIEW_LEVEL);
  if (level < INTERVIEW_LEVEL || !since) throw projectStateConflict(`The interview 约谈 is the ladder's L${INTERVIEW_LEVEL} rung; project ${project.id} is at L${level}`, `at L${level}`);
  const errors: FieldError[] = [];
  if (input.heldOn > today || input.heldOn < since) errors.push({ path: 'heldOn', code: 'out_of_range', message: `must lie between ${since} (the rung began) and today (${today})` });
  const latest = addYears(today, 1);
  input.commitments.forEach((c, i) => {
    if (c.dueDate <= input.heldOn) errors.push({ path: `commitments[${i}].dueDate`, code: 'out_of_range', message: `must be after the interview (${input.heldOn})` });
    else if (c.dueDate > latest) errors.push({ path: `commitments[${i}].dueDate`, code: 'out_of_range', message: `must be on or before ${latest} (a year from today)` });
  });
  // One commitment of one owner is made once: named twice it would be two timed tasks for the same work.
  errors.push(...agreedItemRepeats(input.commitments, 'commitments'));
  // One who attended is named once.
  errors.push(...repeatsIn(input.attendees, 'attendees', typedKey));
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  // The same record sent twice (a form submitted again, without an Idempotency-Key) would give the enterprise each
  // commitment twice: an interview with the same day, attendees, summary and commitments as one on record is refused.
  const same = args.previous.findIndex((p) => sameValue(interviewFacts(p), interviewFacts(input)));
  if (same >= 0) {
    throw new Conflict(`This interview 约谈 (${input.heldOn}) is on record already as no. ${same + 1}: nothing was recorded again`, [
      { path: 'heldOn', code: 'duplicate', message: `on record already as no. ${same + 1} (the same day, attendees, summary and commitments)` },
    ]);
  }
  assertRoomForItems(args.tasks, input.commitments.length, args.limits, 'commitments');
  const commitments = agreedTasks(project, project.stage, input.commitments, { code: 'interview_commitment', standard: `约谈（${input.heldOn}）承诺事项`, en: (item) => `Interview commitment (${input.heldOn}): ${item}`, startedDate: input.heldOn, matrixVersion: project.matrixVersion ?? 0, startIndex: followUpCount(args.tasks, project.stage), dates: args.dates });
  return {
    interview: { ...input, number: args.previous.length + 1, level, recordedBy: args.by.sub, recordedAt: args.now.toISOString(), taskIds: commitments.map((t) => t.id) },
    commitments,
  };
}
