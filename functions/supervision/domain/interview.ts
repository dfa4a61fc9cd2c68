// L2 约谈企业: the interview record of a project on the escalation ladder — held on a day since the ladder reached the
// interview rung, who attended, what was said, and the enterprise's (or a department's) commitments, each with its due
// date; every commitment becomes a task timed like a meeting follow-up, so a commitment missed is overdue work the
// ladder sees. Recorded by the rung's owner (config/escalation: the committee leader by default).
import { addYears } from '#kernel/domain/dates.ts';
import { Conflict, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { Role } from '#kernel/domain/codes.ts';
import type { LimitsConfig } from '#reference/domain/config.ts';
import { agreedTasks, assertRoomForItems, followUpCount, type Task } from '#lifecycle/domain/task.ts';
import type { SetDates } from '#lifecycle/domain/schedule.ts';
import type { Project } from '#projects/domain/project.ts';
import type { LadderConfig } from './escalation.ts';

export interface Commitment {
  readonly item: string;
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

export function recordInterview(args: {
  project: Pick<Project, 'id' | 'park' | 'investor' | 'stage' | 'status' | 'escalation' | 'matrixVersion'>;
  tasks: readonly Task[];
  input: InterviewInput;
  by: Principal;
  number: number;
  now: Date;
  today: string;
  ladder: LadderConfig;
  limits: LimitsConfig;
  /** How the commitments are scheduled (config/lights, the calendar). */
  dates: SetDates;
}): { interview: Interview; commitments: Task[] } {
  const { project, input, today } = args;
  const owner = (args.ladder.rungs.find((r) => r.level === INTERVIEW_LEVEL)?.owner ?? 'committee_leader') as Role;
  requireActsAs(args.by, [owner], project, 'Recording the interview 约谈');
  if (project.status !== 'ACTIVE') throw new Conflict(`Project ${project.id} is ${project.status}`);
  const { level, since } = project.escalation;
  if (level < INTERVIEW_LEVEL || !since) throw new Conflict(`The interview 约谈 is the ladder's L${INTERVIEW_LEVEL} rung; project ${project.id} is at L${level}`);
  const errors: FieldError[] = [];
  if (input.heldOn > today || input.heldOn < since) errors.push({ path: 'heldOn', message: `must lie between ${since} (the rung began) and today (${today})` });
  const latest = addYears(today, 1);
  input.commitments.forEach((c, i) => {
    if (c.dueDate <= input.heldOn) errors.push({ path: `commitments[${i}].dueDate`, message: `must be after the interview (${input.heldOn})` });
    else if (c.dueDate > latest) errors.push({ path: `commitments[${i}].dueDate`, message: `must be on or before ${latest} (a year from today)` });
  });
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  assertRoomForItems(args.tasks, input.commitments.length, args.limits);
  const commitments = agreedTasks(project, project.stage, input.commitments, { code: 'interview_commitment', standard: `约谈（${input.heldOn}）承诺事项`, startedDate: input.heldOn, matrixVersion: project.matrixVersion ?? 0, startIndex: followUpCount(args.tasks, project.stage), dates: args.dates });
  return {
    interview: { ...input, number: args.number, level, recordedBy: args.by.sub, recordedAt: args.now.toISOString(), taskIds: commitments.map((t) => t.id) },
    commitments,
  };
}
