// The transition meeting 转段会议 of a gate: recorded once per gate round, held between the day the gate opened and
// today, corrected only by an explicit amendment that keeps what the record said before. Pure: no I/O.
import type { Role } from './codes.ts';
import { Conflict, Forbidden, ValidationFailed, type FieldError } from './errors.ts';
import type { FollowUp, Gate, Meeting } from './tasks.ts';

export interface MeetingInput {
  readonly heldOn: string;
  readonly attendees: readonly string[];
  readonly decisions: readonly string[];
  readonly followUps: readonly FollowUp[];
}

export interface AmendmentInput {
  readonly reason: string;
  readonly heldOn?: string;
  readonly attendees?: readonly string[];
  readonly decisions?: readonly string[];
  /** Further follow-up items; those already recorded stay (each is a task by now). */
  readonly addFollowUps?: readonly FollowUp[];
}

const meetingRound = (m: Meeting) => m.round ?? 1;

/** A meeting of this gate is held on a day between the gate's opening and today. */
function heldOnErrors(gate: Gate, heldOn: string, today: string, path = 'heldOn'): FieldError[] {
  if (heldOn > today) return [{ path, message: `must not be after today (${today})` }];
  if (gate.openedDate && heldOn < gate.openedDate) return [{ path, message: `must not be before the gate opened (${gate.openedDate})` }];
  return [];
}

function followUpErrors(followUps: readonly FollowUp[], heldOn: string, path: string): FieldError[] {
  return followUps.flatMap((f, i) => (f.dueDate < heldOn ? [{ path: `${path}[${i}].dueDate`, message: `must not be before the meeting (${heldOn})` }] : []));
}

function throwIf(errors: FieldError[], detail: string): void {
  if (errors.length) throw new ValidationFailed(`${detail}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
}

/** Records the meeting of the gate's current round: the gate must be open and have no meeting in this round yet. */
export function recordMeeting(gate: Gate, input: MeetingInput, by: { sub: string; role: Role }, now: Date, today: string): Meeting {
  if (gate.passedAt) throw new Conflict(`The ${gate.name.zh} gate was passed already`);
  if (!gate.open || !gate.openedDate) throw new Conflict(`The ${gate.name.zh} gate is not open yet: its meeting is recorded once the stage's tasks are done`);
  if (gate.meeting && meetingRound(gate.meeting) === gate.round) {
    throw new Conflict(`The ${gate.name.zh} meeting of round ${gate.round} is recorded already (${gate.meeting.heldOn}); correct it with an amendment`);
  }
  throwIf([...heldOnErrors(gate, input.heldOn, today), ...followUpErrors(input.followUps, input.heldOn, 'followUps')], 'The meeting record is not valid');
  return { ...input, recordedBy: by.sub, recordedRole: by.role, recordedAt: now.toISOString(), round: gate.round, amendments: [] };
}

/**
 * Amends the recorded meeting: the committee leader may amend any record, a park center only one a park center made.
 * Returns the amended meeting; its `amendments` keep every earlier value.
 */
export function amendMeeting(gate: Gate, input: AmendmentInput, by: { sub: string; roles: readonly Role[] }, now: Date, today: string): { meeting: Meeting; added: readonly FollowUp[]; role: Role } {
  const meeting = gate.meeting;
  if (!meeting) throw new Conflict(`No ${gate.name.zh} meeting is recorded: record it first`);
  if (gate.passedAt) throw new Conflict(`The ${gate.name.zh} gate was passed already; its meeting record is closed`);
  const role: Role | undefined = by.roles.includes('committee_leader')
    ? 'committee_leader'
    : by.roles.includes('park_center') && (meeting.recordedRole ?? 'committee_leader') === 'park_center'
      ? 'park_center'
      : undefined;
  if (!role) throw new Forbidden('A meeting record is amended by the committee leader, or by a park center when a park center recorded it');
  const heldOn = input.heldOn ?? meeting.heldOn;
  const added = input.addFollowUps ?? [];
  throwIf([...(input.heldOn ? heldOnErrors(gate, input.heldOn, today) : []), ...followUpErrors(added, heldOn, 'addFollowUps')], 'The amendment is not valid');
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const fields = ['heldOn', 'attendees', 'decisions'] as const;
  for (const field of fields) {
    const after = input[field];
    if (after !== undefined && JSON.stringify(after) !== JSON.stringify(meeting[field])) changes[field] = { before: meeting[field], after };
  }
  if (added.length) changes.followUps = { before: meeting.followUps, after: [...meeting.followUps, ...added] };
  if (Object.keys(changes).length === 0) throw new ValidationFailed('The amendment changes nothing', [{ path: '', message: 'send at least one changed field' }]);
  const amended: Meeting = {
    ...meeting,
    heldOn,
    attendees: input.attendees ?? meeting.attendees,
    decisions: input.decisions ?? meeting.decisions,
    followUps: [...meeting.followUps, ...added],
    amendments: [...(meeting.amendments ?? []), { at: now.toISOString(), by: by.sub, role, reason: input.reason, changes }],
  };
  return { meeting: amended, added, role };
}
