// The transition meeting 转段会议 of a gate: recorded once per gate round, held between the start of the round (the
// gate's opening, or the rejection that began the round) and today, corrected only by an explicit amendment — a record
// of its own that keeps what the meeting record said before. Pure: no I/O.
import { addYears } from '#kernel/domain/dates.ts';
import type { Role, Stage } from '#kernel/domain/codes.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { LimitsConfig } from '#reference/domain/config.ts';
import { assertActive, assertNoExitUnderway, projectStateConflict, type Project } from '#projects/domain/project.ts';
import { agreedItemRepeats, assertRoomForItems, followUpTasks, type Task, type TaskProject } from './task.ts';
import type { SetDates } from './schedule.ts';
import { Forbidden, NotFound, repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { sameValue, typedKey } from '#kernel/domain/values.ts';
import { currentMeeting, meetingRound, type Gate } from './gate.ts';

export interface FollowUp {
  readonly item: string;
  /** The item in English (optional): its task's nameEn, else `Gate meeting follow-up (<heldOn>): <item>`. */
  readonly itemEn?: string;
  readonly owner: Role;
  readonly dueDate: string;
}

export interface MeetingAmendment {
  /** 1, 2, … within the meeting record. */
  readonly number: number;
  readonly round: number;
  readonly at: string;
  readonly by: string;
  readonly role: Role;
  readonly reason: string;
  /** Field by field, what the record said before and says after this amendment (follow-ups: the ones it added). */
  readonly changes: Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;
}

export interface Meeting {
  readonly heldOn: string;
  readonly attendees: readonly string[];
  readonly decisions: readonly string[];
  readonly followUps: readonly FollowUp[];
  readonly recordedBy: string;
  /** The role the record was made in (a park center may amend only what a park center recorded). */
  readonly recordedRole?: Role;
  readonly recordedAt: string;
  /** The gate round the meeting belongs to (records made before rounds were stored have none: round 1). */
  readonly round?: number;
  /** Amendments made to this record so far (each is its own record: the record itself stays bounded). */
  readonly amendmentCount?: number;
}

export interface MeetingInput {
  readonly heldOn: string;
  readonly attendees: readonly string[];
  readonly decisions: readonly string[];
  readonly followUps: readonly FollowUp[];
  /** GROUNDBREAKING only: the planned completion 计划竣工 the meeting fixes (逾期竣工 is measured against it). */
  readonly plannedCompletionDate?: string;
}

/** The stage whose gate meeting fixes the planned completion: the groundbreaking gate (开工转段). */
export const COMPLETION_FIXED_AT: Stage = 'GROUNDBREAKING';

/**
 * The planned completion a meeting record sets, checked: at the groundbreaking gate's meeting it is required while the
 * project has none (the ladder's 逾期竣工 is measured against it, and nothing later sets one: an extension only moves
 * it), only there, after the meeting, within ten years. Undefined at the other gates, or when a date is kept.
 */
export function plannedCompletionOf(stage: Stage, input: Pick<MeetingInput, 'heldOn' | 'plannedCompletionDate'>, fixed: string | null = null): string | undefined {
  const date = input.plannedCompletionDate;
  if (date === undefined) {
    // A later round's meeting (the gate rejected, met again) keeps the date an earlier one fixed (or an extension moved).
    if (stage === COMPLETION_FIXED_AT && fixed === null) throw new ValidationFailed('The groundbreaking gate\'s meeting fixes the planned completion 计划竣工', [{ path: 'plannedCompletionDate', code: 'required', message: 'required at this gate' }]);
    return undefined;
  }
  const limit = addYears(input.heldOn, 10);
  if (stage !== COMPLETION_FIXED_AT) throw new ValidationFailed('The planned completion is fixed at the groundbreaking gate', [{ path: 'plannedCompletionDate', code: 'not_allowed', message: `only for the ${COMPLETION_FIXED_AT} gate's meeting` }]);
  if (date <= input.heldOn || date > limit) throw new ValidationFailed('The planned completion lies after the meeting and within ten years', [{ path: 'plannedCompletionDate', code: 'out_of_range', message: `must be after ${input.heldOn} and on or before ${limit}` }]);
  return date;
}

export interface AmendmentInput {
  readonly reason: string;
  readonly heldOn?: string;
  readonly attendees?: readonly string[];
  readonly decisions?: readonly string[];
  /** Further follow-up items; those already recorded stay (each is a task by now). */
  readonly addFollowUps?: readonly FollowUp[];
}

/**
 * The follow-ups one meeting record holds, as recorded and amended together: the record is stored whole (its own item
 * and the gate's), and DynamoDB stores an item of at most 400 KB — 100 follow-ups of 500 characters each, beside the
 * attendees and decisions a record may hold, fit; amendments adding 40 long items each failed the sixth time (500).
 */
export const MAX_MEETING_FOLLOW_UPS = 100;

/** The first day a meeting of the gate's current round may be held on. */
const roundStart = (gate: Gate) => [gate.openedDate, gate.roundStartedDate].filter((d): d is string => Boolean(d)).sort().at(-1) ?? null;

function heldOnErrors(gate: Gate, heldOn: string, today: string, path = 'heldOn'): FieldError[] {
  if (heldOn > today) return [{ path, code: 'out_of_range', message: `must not be after today (${today})` }];
  const start = roundStart(gate);
  if (start && heldOn < start) return [{ path, code: 'out_of_range', message: `must not be before this gate round began (${start})` }];
  return [];
}

/**
 * A follow-up is due on or after the meeting and within a year of today, as a joint assessment's plan; one item of one
 * owner is agreed once (in the record, or in the record an amendment adds to).
 */
function followUpErrors(followUps: readonly FollowUp[], heldOn: string, today: string, path: string, recorded: readonly FollowUp[] = []): FieldError[] {
  const latest = addYears(today, 1);
  const dates = followUps.flatMap((f, i): FieldError[] => {
    if (f.dueDate < heldOn) return [{ path: `${path}[${i}].dueDate`, code: 'out_of_range', message: `must not be before the meeting (${heldOn})` }];
    if (f.dueDate > latest) return [{ path: `${path}[${i}].dueDate`, code: 'out_of_range', message: `must be on or before ${latest} (a year from today)` }];
    return [];
  });
  return [...agreedItemRepeats(followUps, path, recorded), ...dates];
}

function throwIf(errors: FieldError[], detail: string): void {
  if (errors.length) throw new ValidationFailed(`${detail}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
}

/**
 * 409 for a round's meeting on record already (its gate, `path.stage`): read when recording it, or found by the write
 * when another recorded it meanwhile (store/tasks.ts insertMeeting).
 */
export const meetingOnRecord = (gateName: string, round: number, heldOn?: string) =>
  projectStateConflict(`The ${gateName} meeting of round ${round} is recorded already${heldOn ? ` (${heldOn})` : ''}; correct it with an amendment`, `its meeting of round ${round} is recorded${heldOn ? ` (${heldOn})` : ''}`, 'path.stage');

/** Records the meeting of the gate's current round: the gate must be open and have no meeting in this round yet. */
export function recordMeeting(gate: Gate, input: MeetingInput, by: { sub: string; role: Role }, now: Date, today: string): Meeting {
  // The gate the path names (`path.stage`) is what takes no record now.
  if (gate.passedAt) throw projectStateConflict(`The ${gate.name.zh} gate was passed already`, 'passed already', 'path.stage');
  if (!gate.open || !gate.openedDate) throw projectStateConflict(`The ${gate.name.zh} gate is not open yet: its meeting is recorded once the stage's tasks are done`, 'not open yet', 'path.stage');
  const existing = currentMeeting(gate);
  if (existing) throw meetingOnRecord(gate.name.zh, gate.round, existing.heldOn);
  // One who attended is named once: a record naming them twice is a slip, not two attendances.
  throwIf([...heldOnErrors(gate, input.heldOn, today), ...repeatsIn(input.attendees, 'attendees', typedKey), ...followUpErrors(input.followUps, input.heldOn, today, 'followUps')], 'The meeting record is not valid');
  return { ...input, recordedBy: by.sub, recordedRole: by.role, recordedAt: now.toISOString(), round: gate.round, amendmentCount: 0 };
}

/**
 * Amends the meeting of the gate's current round: the committee leader may amend any record, a park center only one a
 * park center made. Returns the amended meeting and the amendment, which holds the before and after of each change.
 */
export function amendMeeting(
  gate: Gate,
  input: AmendmentInput,
  by: { sub: string; roles: readonly Role[] },
  now: Date,
  today: string,
): { meeting: Meeting; amendment: MeetingAmendment; added: readonly FollowUp[]; role: Role } {
  if (gate.passedAt) throw projectStateConflict(`The ${gate.name.zh} gate was passed already; its meeting record is closed`, 'passed already', 'path.stage');
  const meeting = currentMeeting(gate);
  if (!meeting) {
    throw gate.meeting
      ? projectStateConflict(`The recorded ${gate.name.zh} meeting belongs to round ${meetingRound(gate.meeting)}; round ${gate.round} needs its own record`, `no meeting recorded in round ${gate.round}`, 'path.stage')
      : projectStateConflict(`No ${gate.name.zh} meeting is recorded: record it first`, 'no meeting recorded', 'path.stage');
  }
  const role: Role | undefined = by.roles.includes('committee_leader')
    ? 'committee_leader'
    : by.roles.includes('park_center') && (meeting.recordedRole ?? 'committee_leader') === 'park_center'
      ? 'park_center'
      : undefined;
  if (!role) throw new Forbidden('A meeting record is amended by the committee leader, or by a park center when a park center recorded it');
  const heldOn = input.heldOn ?? meeting.heldOn;
  const added = input.addFollowUps ?? [];
  // A meeting is never dated after a follow-up it set: moving the date past one recorded already is refused.
  const earliestFollowUp = meeting.followUps.map((f) => f.dueDate).sort()[0];
  const movedPastFollowUp: FieldError[] = input.heldOn && earliestFollowUp && input.heldOn > earliestFollowUp ? [{ path: 'heldOn', code: 'out_of_range', message: `must not be after the due date of a follow-up it set (${earliestFollowUp})` }] : [];
  const overfull: FieldError[] =
    meeting.followUps.length + added.length > MAX_MEETING_FOLLOW_UPS
      ? [{ path: 'addFollowUps', code: 'too_big', message: `a meeting record holds at most ${MAX_MEETING_FOLLOW_UPS} follow-ups: it has ${meeting.followUps.length}, ${Math.max(0, MAX_MEETING_FOLLOW_UPS - meeting.followUps.length)} more fit` }]
      : [];
  throwIf([...(input.heldOn ? heldOnErrors(gate, input.heldOn, today) : []), ...repeatsIn(input.attendees, 'attendees', typedKey), ...movedPastFollowUp, ...overfull, ...followUpErrors(added, heldOn, today, 'addFollowUps', meeting.followUps)], 'The amendment is not valid');
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of ['heldOn', 'attendees', 'decisions'] as const) {
    const after = input[field];
    if (after !== undefined && !sameValue(after, meeting[field])) changes[field] = { before: meeting[field], after };
  }
  if (added.length) changes.followUps = { before: [], after: added };
  if (Object.keys(changes).length === 0) throw new ValidationFailed('The amendment changes nothing', [{ path: '', code: 'empty', message: 'send at least one changed field' }]);
  const number = (meeting.amendmentCount ?? 0) + 1;
  const amended: Meeting = {
    ...meeting,
    heldOn,
    attendees: input.attendees ?? meeting.attendees,
    decisions: input.decisions ?? meeting.decisions,
    followUps: [...meeting.followUps, ...added],
    amendmentCount: number,
  };
  return { meeting: amended, amendment: { number, round: gate.round, at: now.toISOString(), by: by.sub, role, reason: input.reason, changes }, added, role };
}

interface MeetingContext {
  readonly project: TaskProject & Pick<Project, 'matrixVersion'>;
  readonly stage: Stage;
  readonly gate: Gate | undefined;
  readonly tasks: readonly Task[];
  readonly by: Principal;
  readonly now: Date;
  readonly today: string;
  readonly limits: LimitsConfig;
  /** How the agreed items are scheduled (config/lights, the calendar). */
  readonly dates: SetDates;
}

/** `at`: the body's list that adds them — a meeting's `followUps`, an amendment's `addFollowUps` (the 409 names it). */
const followUpsOf = (c: MeetingContext, meeting: Meeting, added: readonly FollowUp[], at: 'followUps' | 'addFollowUps') => {
  assertRoomForItems(c.tasks, added.length, c.limits, at);
  const existing = c.tasks.filter((t) => t.stage === c.stage && t.kind === 'followup').length;
  return followUpTasks(c.project, c.stage, { ...meeting, followUps: added }, c.project.matrixVersion ?? 0, existing, c.dates);
};

const gateOf = (c: MeetingContext): Gate => {
  if (!c.gate) throw new NotFound(`Project ${c.project.id} has no ${c.stage} gate yet`);
  return c.gate;
};

/** The committee leader, or the park center of the project's park, records the meeting; its follow-ups become tasks. */
export function meetingRecorded(c: MeetingContext & { input: MeetingInput }): { meeting: Meeting; followUps: Task[] } {
  const role = requireActsAs(c.by, ['committee_leader', 'park_center'], c.project, 'Recording a transition meeting');
  // An exit leaves the stage's gate as it stood (open, say): the case closed, its meeting writes no follow-up tasks.
  assertActive(c.project, 'No transition meeting recorded');
  assertNoExitUnderway(c.project, 'No transition meeting recorded');
  const meeting = recordMeeting(gateOf(c), c.input, { sub: c.by.sub, role }, c.now, c.today);
  return { meeting, followUps: followUpsOf(c, meeting, meeting.followUps, 'followUps') };
}

/** An amendment of the recorded meeting; the follow-ups it adds become tasks. */
export function meetingAmended(c: MeetingContext & { input: AmendmentInput }): { meeting: Meeting; amendment: MeetingAmendment; followUps: Task[]; role: Role } {
  requireActsAs(c.by, ['committee_leader', 'park_center'], c.project, 'Amending a transition meeting');
  assertActive(c.project, 'No transition meeting amended');
  assertNoExitUnderway(c.project, 'No transition meeting amended');
  const { meeting, amendment, added, role } = amendMeeting(gateOf(c), c.input, c.by, c.now, c.today);
  return { meeting, amendment, role, followUps: followUpsOf(c, meeting, added, 'addFollowUps') };
}
