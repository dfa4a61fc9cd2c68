// The transition meeting 转段会议 rules in the domain core: once per gate round, held between the gate's opening and
// today, amended only explicitly (the committee leader any record, a park center its own), every change kept.
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { describe, expect, it } from 'vitest';
import { amendMeeting, meetingAmended, meetingRecorded, recordMeeting } from '../../functions/lifecycle/domain/meeting.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import { newGate, type Gate } from '../../functions/lifecycle/domain/gate.ts';

const closed: Gate = newGate({ stage: 'SIGNING', name: { zh: '落地转段会议', en: 'gate' }, approvers: ['committee_leader'], meetingRequired: true, limitWd: 10 }, { track: 'industrial' });
const open: Gate = { ...closed, open: true, openedDate: '2026-11-20', dueDate: '2026-12-04' };
const now = new Date('2026-11-26T10:00:00+08:00');
const input = { heldOn: '2026-11-25', attendees: ['分管领导'], decisions: ['同意转段'], followUps: [] };
const leader = { sub: 'u-leader', role: 'committee_leader' as const };

describe('recording the meeting', () => {
  it('records it for the current round, with who recorded it in which role', () => {
    expect(recordMeeting(open, input, leader, now, '2026-11-26')).toMatchObject({ ...input, recordedBy: 'u-leader', recordedRole: 'committee_leader', round: 1, amendmentCount: 0 });
  });

  it.each([
    ['the day the gate opened', '2026-11-20', true],
    ['today', '2026-11-26', true],
    ['the day before the gate opened', '2026-11-19', false],
    ['tomorrow', '2026-11-27', false],
    ['a date long past', '2000-01-01', false],
  ])('held on %s: %s', (_, heldOn, ok) => {
    const record = () => recordMeeting(open, { ...input, heldOn }, leader, now, '2026-11-26');
    if (ok) expect(record().heldOn).toBe(heldOn);
    else expect(record).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'heldOn' })] }));
  });

  it('refuses a follow-up due before the meeting, naming it', () => {
    expect(() => recordMeeting(open, { ...input, followUps: [{ item: 'x', owner: 'soe', dueDate: '2026-11-24' }] }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ path: 'followUps[0].dueDate' })] }),
    );
  });

  it('refuses an attendee named twice (spacing or width aside), naming the repeat — in the record and in an amendment', () => {
    expect(() => recordMeeting(open, { ...input, attendees: ['分管领导', '园区中心', '分管 领导'] }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'attendees[2]', code: 'duplicate', message: '分管 领导 is listed twice' }] }),
    );
    const gate: Gate = { ...open, meeting: recordMeeting(open, input, leader, now, '2026-11-26') };
    expect(() => amendMeeting(gate, { reason: '补记出席', attendees: ['园区中心', '园区中心'] }, { sub: 'u-leader', roles: ['committee_leader'] }, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'attendees[1]', code: 'duplicate', message: '园区中心 is listed twice' }] }),
    );
  });

  it('a gate waiting for its meeting does not pass on the meeting of an earlier round', async () => {
    const { currentMeeting } = await import('../../functions/lifecycle/domain/gate.ts');
    const first = recordMeeting(open, input, leader, now, '2026-11-26');
    expect(currentMeeting({ ...open, meeting: first })).toBe(first);
    expect(currentMeeting({ ...open, round: 2, meeting: first })).toBeNull();
  });

  it('refuses a gate that is not open, one that passed, and a second record in the same round', () => {
    expect(() => recordMeeting(closed, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => recordMeeting({ ...open, passedAt: '2026-11-25T00:00:00Z' }, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
    const first = recordMeeting(open, input, leader, now, '2026-11-26');
    expect(() => recordMeeting({ ...open, meeting: first }, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
    // A record without a round (made before rounds were stored) belongs to round 1.
    expect(() => recordMeeting({ ...open, meeting: { ...first, round: undefined } }, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('takes a new record in the next round (after a rejection), held on or after the day that round began', () => {
    const first = recordMeeting(open, input, leader, now, '2026-11-26');
    const round2 = { ...open, round: 2, roundStartedDate: '2026-11-24', meeting: first };
    expect(recordMeeting(round2, { ...input, heldOn: '2026-11-24' }, leader, now, '2026-11-26').round).toBe(2);
    expect(() => recordMeeting(round2, { ...input, heldOn: '2026-11-23' }, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('amending the meeting', () => {
  const byPark = recordMeeting(open, input, { sub: 'u-park', role: 'park_center' }, now, '2026-11-26');
  const byLeader = recordMeeting(open, input, leader, now, '2026-11-26');

  it('keeps what the record said before, field by field, as an amendment of its own, and adds follow-ups without dropping any', () => {
    const withFollowUp = { ...byLeader, followUps: [{ item: '甲', owner: 'soe' as const, dueDate: '2026-12-01' }] };
    const { meeting, amendment, added, role } = amendMeeting({ ...open, meeting: withFollowUp }, { reason: '补记', decisions: ['同意转段', '补充材料'], addFollowUps: [{ item: '乙', owner: 'soe', dueDate: '2026-12-02' }] }, { sub: 'u-leader', roles: ['committee_leader'] }, now, '2026-11-26');
    expect(role).toBe('committee_leader');
    expect(added).toEqual([{ item: '乙', owner: 'soe', dueDate: '2026-12-02' }]);
    expect(meeting.followUps.map((f) => f.item)).toEqual(['甲', '乙']);
    expect(meeting.amendmentCount).toBe(1);
    expect(amendment).toMatchObject({ number: 1, round: 1, by: 'u-leader', reason: '补记', changes: { decisions: { before: ['同意转段'], after: ['同意转段', '补充材料'] }, followUps: { before: [], after: added } } });
    expect(Object.keys(amendment.changes)).not.toContain('heldOn');
    // The next one is number 2.
    expect(amendMeeting({ ...open, meeting }, { reason: '再改', attendees: ['园区'] }, { sub: 'u-leader', roles: ['committee_leader'] }, now, '2026-11-26').amendment.number).toBe(2);
  });

  it('treats the same values in another key order as no change', () => {
    const withFollowUp = { ...byLeader, decisions: ['同意转段'] };
    expect(() => amendMeeting({ ...open, meeting: withFollowUp }, { reason: 'x', decisions: ['同意转段'] }, { sub: 'u', roles: ['committee_leader'] }, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 400 }));
  });

  it("does not amend an earlier round's meeting: the current round needs its own record", () => {
    expect(() => amendMeeting({ ...open, round: 2, meeting: byLeader }, { reason: 'x', decisions: ['改'] }, { sub: 'u', roles: ['committee_leader'] }, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringMatching(/round 2 needs its own/) }),
    );
  });

  it('lets a park center amend what a park center recorded, and only that', () => {
    const park = { sub: 'u-park2', roles: ['park_center' as const] };
    expect(amendMeeting({ ...open, meeting: byPark }, { reason: '更正', attendees: ['园区', '企业'] }, park, now, '2026-11-26').role).toBe('park_center');
    expect(() => amendMeeting({ ...open, meeting: byLeader }, { reason: '改写', decisions: ['不同意'] }, park, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses an amendment that changes nothing, backdates, or comes after the gate passed', () => {
    const as = { sub: 'u-leader', roles: ['committee_leader' as const] };
    expect(() => amendMeeting({ ...open, meeting: byLeader }, { reason: 'x', decisions: ['同意转段'] }, as, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => amendMeeting({ ...open, meeting: byLeader }, { reason: 'x', heldOn: '2026-11-01' }, as, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => amendMeeting({ ...open, meeting: byLeader, passedAt: 'x' }, { reason: 'x', decisions: ['改'] }, as, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => amendMeeting(open, { reason: 'x', decisions: ['改'] }, as, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
  });
});

describe('the days a meeting may be held on', () => {
  it('names the day the round began, or today, when a record falls outside the round', () => {
    expect(() => recordMeeting(open, { ...input, heldOn: '2026-11-19' }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({
        message: 'The meeting record is not valid: heldOn must not be before this gate round began (2026-11-20)',
        errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must not be before this gate round began (2026-11-20)' }],
      }),
    );
    expect(() => recordMeeting(open, { ...input, heldOn: '2026-11-27' }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must not be after today (2026-11-26)' }] }),
    );
  });

  it('counts the round from the later of the gate’s opening and the rejection that began the round', () => {
    // Rejected on the 18th with tasks reopened, the gate opened again on the 20th: the meeting comes after that.
    const reopened = { ...open, round: 2, roundStartedDate: '2026-11-18' };
    expect(() => recordMeeting(reopened, { ...input, heldOn: '2026-11-19' }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must not be before this gate round began (2026-11-20)' }] }),
    );
    expect(recordMeeting({ ...reopened, roundStartedDate: null }, { ...input, heldOn: '2026-11-20' }, leader, now, '2026-11-26').round).toBe(2);
  });

  it('names every follow-up due before the meeting together with a wrong date', () => {
    const followUps = [
      { item: '甲', owner: 'soe' as const, dueDate: '2026-11-25' },
      { item: '乙', owner: 'soe' as const, dueDate: '2026-11-24' },
    ];
    expect(() => recordMeeting(open, { ...input, heldOn: '2026-11-30', followUps }, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({
        errors: [
          { path: 'heldOn', code: 'out_of_range', message: 'must not be after today (2026-11-26)' },
          { path: 'followUps[0].dueDate', code: 'out_of_range', message: 'must not be before the meeting (2026-11-30)' },
          { path: 'followUps[1].dueDate', code: 'out_of_range', message: 'must not be before the meeting (2026-11-30)' },
        ],
      }),
    );
    expect(() => recordMeeting(open, { ...input, heldOn: '2026-11-30', followUps }, leader, now, '2026-11-26')).toThrow(
      'The meeting record is not valid: heldOn must not be after today (2026-11-26); followUps[0].dueDate must not be before the meeting (2026-11-30); followUps[1].dueDate must not be before the meeting (2026-11-30)',
    );
    expect(recordMeeting(open, { ...input, heldOn: '2026-11-24', followUps }, leader, now, '2026-11-26').followUps).toEqual(followUps);
  });

  it('needs the gate opened on a known day, and says why when it is not open', () => {
    expect(() => recordMeeting({ ...open, openedDate: null }, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => recordMeeting(closed, input, leader, now, '2026-11-26')).toThrow(expect.objectContaining({ message: expect.stringContaining('落地转段会议 gate is not open yet'), errors: [{ path: 'path.stage', code: 'state', message: 'not open yet' }] }));
    const first = recordMeeting(open, input, leader, now, '2026-11-26');
    expect(() => recordMeeting({ ...open, meeting: first }, input, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('meeting of round 1 is recorded already (2026-11-25)'), errors: [{ path: 'path.stage', code: 'state', message: 'its meeting of round 1 is recorded (2026-11-25)' }] }),
    );
    expect(recordMeeting(open, input, leader, now, '2026-11-26').recordedAt).toBe(now.toISOString());
    expect(() => recordMeeting({ ...open, meeting: first, passedAt: '2026-11-26T00:00:00Z' }, input, leader, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 409, message: 'The 落地转段会议 gate was passed already', errors: [{ path: 'path.stage', code: 'state', message: 'passed already' }] }),
    );
  });
});

describe('amending the meeting, field by field', () => {
  const as = { sub: 'u-leader', roles: ['committee_leader' as const] };
  const recorded = recordMeeting(open, input, { sub: 'u-park', role: 'park_center' }, now, '2026-11-26');
  const gate = { ...open, meeting: recorded };

  it('moves the day it was held on, keeping the day it said before, and leaves everything else as recorded', () => {
    const { meeting, amendment, added } = amendMeeting(gate, { reason: '日期记错', heldOn: '2026-11-24', attendees: ['分管领导'] }, as, now, '2026-11-26');
    expect(meeting).toStrictEqual({ ...recorded, heldOn: '2026-11-24', amendmentCount: 1 });
    expect(added).toEqual([]);
    expect(amendment).toStrictEqual({ number: 1, round: 1, at: now.toISOString(), by: 'u-leader', role: 'committee_leader', reason: '日期记错', changes: { heldOn: { before: '2026-11-25', after: '2026-11-24' } } });
  });

  it('never dates the meeting after a follow-up it set: the due date already recorded holds (400 on heldOn)', () => {
    const withFollowUp = { ...recorded, heldOn: '2026-11-23', followUps: [{ item: '补充材料', owner: 'soe' as const, dueDate: '2026-11-24' }] };
    const moved = () => amendMeeting({ ...open, meeting: withFollowUp }, { reason: '日期记错', heldOn: '2026-11-25' }, as, now, '2026-11-26');
    expect(moved).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must not be after the due date of a follow-up it set (2026-11-24)' }] }));
    // On the follow-up's own due date, or earlier, it may move.
    expect(amendMeeting({ ...open, meeting: withFollowUp }, { reason: '日期记错', heldOn: '2026-11-24' }, as, now, '2026-11-26').meeting.heldOn).toBe('2026-11-24');
  });

  it('replaces the attendees and decisions it names, keeping the other as recorded', () => {
    const a = amendMeeting(gate, { reason: '补记出席', attendees: ['分管领导', '园区中心'] }, as, now, '2026-11-26');
    expect(a.meeting).toMatchObject({ attendees: ['分管领导', '园区中心'], decisions: ['同意转段'], heldOn: '2026-11-25' });
    expect(a.amendment.changes).toStrictEqual({ attendees: { before: ['分管领导'], after: ['分管领导', '园区中心'] } });
    const d = amendMeeting(gate, { reason: '补记决定', decisions: ['同意转段', '限期补件'] }, as, now, '2026-11-26');
    expect(d.meeting).toMatchObject({ attendees: ['分管领导'], decisions: ['同意转段', '限期补件'] });
  });

  it('checks a new day against the round and today, and new follow-ups against the day the meeting was held', () => {
    expect(() => amendMeeting(gate, { reason: 'x', heldOn: '2026-11-27' }, as, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 400, message: 'The amendment is not valid: heldOn must not be after today (2026-11-26)' }),
    );
    expect(() => amendMeeting(gate, { reason: 'x', addFollowUps: [{ item: '丙', owner: 'soe', dueDate: '2026-11-24' }] }, as, now, '2026-11-26')).toThrow(
      expect.objectContaining({ errors: [{ path: 'addFollowUps[0].dueDate', code: 'out_of_range', message: 'must not be before the meeting (2026-11-25)' }] }),
    );
    // Moved earlier in the same amendment, the meeting comes before that follow-up's due date.
    expect(amendMeeting(gate, { reason: 'x', heldOn: '2026-11-23', addFollowUps: [{ item: '丙', owner: 'soe', dueDate: '2026-11-24' }] }, as, now, '2026-11-26').added).toHaveLength(1);
  });

  it('says an amendment that changes nothing changes nothing', () => {
    expect(() => amendMeeting(gate, { reason: 'x', heldOn: '2026-11-25', attendees: ['分管领导'], addFollowUps: [] }, as, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 400, message: 'The amendment changes nothing', errors: [{ path: '', code: 'empty', message: 'send at least one changed field' }] }),
    );
  });

  it('says what to do when there is no record to amend', () => {
    expect(() => amendMeeting(open, { reason: 'x', decisions: ['改'] }, as, now, '2026-11-26')).toThrow(expect.objectContaining({ message: 'No 落地转段会议 meeting is recorded: record it first', errors: [{ path: 'path.stage', code: 'state', message: 'no meeting recorded' }] }));
    expect(() => amendMeeting({ ...gate, round: 2 }, { reason: 'x', decisions: ['改'] }, as, now, '2026-11-26')).toThrow(
      expect.objectContaining({ message: 'The recorded 落地转段会议 meeting belongs to round 1; round 2 needs its own record', errors: [{ path: 'path.stage', code: 'state', message: 'no meeting recorded in round 2' }] }),
    );
    expect(() => amendMeeting({ ...gate, passedAt: 'x' }, { reason: 'x', decisions: ['改'] }, as, now, '2026-11-26')).toThrow(
      expect.objectContaining({ message: 'The 落地转段会议 gate was passed already; its meeting record is closed', errors: [{ path: 'path.stage', code: 'state', message: 'passed already' }] }),
    );
  });

  it('amends as committee leader a user who is also a park center; a park center may not amend a record of unknown role', () => {
    expect(amendMeeting(gate, { reason: 'x', decisions: ['改'] }, { sub: 'u', roles: ['park_center', 'committee_leader'] }, now, '2026-11-26').amendment.role).toBe('committee_leader');
    const legacy = { ...recorded, recordedRole: undefined };
    expect(() => amendMeeting({ ...open, meeting: legacy }, { reason: 'x', decisions: ['改'] }, { sub: 'u', roles: ['park_center'] }, now, '2026-11-26')).toThrow(
      expect.objectContaining({ status: 403, message: 'A meeting record is amended by the committee leader, or by a park center when a park center recorded it' }),
    );
    expect(() => amendMeeting(gate, { reason: 'x', decisions: ['改'] }, { sub: 'u', roles: ['eco_bureau'] }, now, '2026-11-26')).toThrow(expect.objectContaining({ status: 403 }));
  });
});

describe('recording and amending through the project: who may, and the follow-ups that become tasks', () => {
  const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });
  const project = { id: 'prj-1', status: 'ACTIVE' as const, park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' }, matrixVersion: 4 };
  const limits = { deficiencyWindowWd: 20, openItemsPerProject: 3 };
  const item = (id: string, kind: Task['kind'], stage: Task['stage'] = 'SIGNING', status: Task['status'] = 'open') => ({ id, kind, stage, status }) as Task;
  const followUps = [
    { item: '完善供地方案', owner: 'resources_bureau' as const, dueDate: '2026-12-04' },
    { item: '落实服务专班', owner: 'park_center' as const, dueDate: '2026-12-10' },
  ];
  const dates = { yellowBeforeWd: 3, calendar: calendarLookup([{ year: 2026, holidays: [], workdays: [] }]) };
  const ctx = { project, stage: 'SIGNING' as const, gate: open, tasks: [] as Task[], by: who(['committee_leader']), now, today: '2026-11-26', limits, dates };

  it('makes each follow-up of the meeting a task of the stage, owned and due as decided, with no clock of its own', () => {
    const { meeting, followUps: tasks } = meetingRecorded({ ...ctx, input: { ...input, followUps } });
    expect(meeting).toMatchObject({ recordedBy: 'u-committee_leader', recordedRole: 'committee_leader', followUps });
    expect(tasks[0]).toStrictEqual({
      id: 'SIGNING.followup-1',
      projectId: 'prj-1',
      stage: 'SIGNING',
      code: 'meeting_followup',
      kind: 'followup',
      name: { zh: '完善供地方案', en: 'Gate meeting follow-up (2026-11-25): 完善供地方案' },
      lead: 'resources_bureau',
      cooperating: [],
      handler: '',
      standard: '转段会议（2026-11-25）确定事项',
      limitWd: null,
      after: [],
      requiredForGate: false,
      status: 'open',
      startedDate: '2026-11-25',
      dueDate: '2026-12-04',
      dueDateSet: '2026-12-04',
      // Scheduled as it is made: its yellow light three working days before (config/lights).
      yellowDate: '2026-12-01',
      light: 'green',
      calendarProvisional: false,
      matrixVersion: 4,
      park: '汇通产业园',
      enterpriseId: 'ent-a',
    });
    expect(tasks[1]).toMatchObject({ id: 'SIGNING.followup-2', lead: 'park_center', dueDate: '2026-12-10' });
  });

  it('numbers follow-ups on from those the stage already has, and takes matrix version 0 for a project without one', () => {
    const tasks = [item('SIGNING.followup-1', 'followup', 'SIGNING', 'done'), item('LANDING.followup-1', 'followup', 'LANDING'), item('SIGNING.pre_site', 'matrix'), item('SIGNING.x.obligation-1', 'obligation', 'SIGNING', 'done')];
    const r = meetingRecorded({ ...ctx, project: { ...project, matrixVersion: null }, tasks, input: { ...input, followUps } });
    expect(r.followUps.map((t) => t.id)).toEqual(['SIGNING.followup-2', 'SIGNING.followup-3']);
    expect(r.followUps[0]?.matrixVersion).toBe(0);
  });

  it('lets the committee leader or the park center of the project’s park record it, in that role', () => {
    expect(meetingRecorded({ ...ctx, by: who(['park_center'], { park: '汇通产业园' }), input }).meeting.recordedRole).toBe('park_center');
    expect(() => meetingRecorded({ ...ctx, by: who(['park_center'], { park: '别的园区' }), input })).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('Recording a transition meeting') }));
    expect(() => meetingRecorded({ ...ctx, by: who(['investment_dept']), input })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses a meeting or an amendment on a project that has exited (or completed), its gate left open: no follow-up tasks on a closed case', () => {
    // helper 117: an exit decided while the gate stood open (its tasks done, its approvals pending) left the gate open;
    // the meeting recorded after the project was EXITED wrote its follow-ups as open tasks nobody could complete.
    for (const status of ['EXITED', 'COMPLETED'] as const) {
      const closedCase = { ...project, status, exit: { status: 'done' as const, execution: 'prj-1-EXIT-1' } };
      expect(() => meetingRecorded({ ...ctx, project: closedCase, input: { ...input, followUps } } as never)).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining(`is ${status}`), errors: [{ path: 'path.id', code: 'state', message: `is ${status}` }] }));
      const { meeting } = meetingRecorded({ ...ctx, input });
      expect(() => meetingAmended({ ...ctx, project: closedCase, gate: { ...open, meeting }, input: { reason: '补充', addFollowUps: followUps } } as never)).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining(`is ${status}`), errors: [{ path: 'path.id', code: 'state', message: `is ${status}` }] }));
    }
  });

  it('answers 404 while the stage has no gate', () => {
    expect(() => meetingRecorded({ ...ctx, gate: undefined, input })).toThrow(expect.objectContaining({ status: 404, message: 'Project prj-1 has no SIGNING gate yet' }));
    expect(() => meetingAmended({ ...ctx, gate: undefined, input: { reason: 'x', decisions: ['改'] } })).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('refuses follow-ups beyond the project’s cap on open items, counting those already open', () => {
    const tasks = [item('SIGNING.followup-1', 'followup'), item('LANDING.a.obligation-1', 'obligation', 'LANDING')];
    expect(() => meetingRecorded({ ...ctx, tasks, input: { ...input, followUps } })).toThrow(expect.objectContaining({ status: 409 }));
    expect(meetingRecorded({ ...ctx, tasks, input: { ...input, followUps: followUps.slice(1) } }).followUps.map((t) => t.id)).toEqual(['SIGNING.followup-2']);
  });

  it('names the list sent that goes past the cap: followUps of a meeting, addFollowUps of an amendment (its body has no followUps)', () => {
    const tasks = [item('SIGNING.followup-1', 'followup'), item('LANDING.a.obligation-1', 'obligation', 'LANDING')];
    expect(() => meetingRecorded({ ...ctx, tasks, input: { ...input, followUps } })).toThrow(expect.objectContaining({ status: 409, errors: [expect.objectContaining({ path: 'followUps', code: 'state' })] }));
    const { meeting } = meetingRecorded({ ...ctx, input });
    expect(() => meetingAmended({ ...ctx, gate: { ...open, meeting }, tasks, input: { reason: '补充', addFollowUps: followUps } })).toThrow(
      expect.objectContaining({ status: 409, errors: [expect.objectContaining({ path: 'addFollowUps', code: 'state' })] }),
    );
  });

  it('makes tasks of only the follow-ups an amendment adds, numbered on from the earlier ones', () => {
    const { meeting } = meetingRecorded({ ...ctx, input: { ...input, followUps: followUps.slice(0, 1) } });
    const tasks = [item('SIGNING.followup-1', 'followup')];
    const r = meetingAmended({ ...ctx, gate: { ...open, meeting }, tasks, input: { reason: '补充', addFollowUps: followUps.slice(1) } });
    expect(r.role).toBe('committee_leader');
    expect(r.amendment.number).toBe(1);
    expect(r.meeting.followUps).toEqual(followUps);
    expect(r.followUps.map((t) => [t.id, t.name.zh])).toEqual([['SIGNING.followup-2', '落实服务专班']]);
    expect(meetingAmended({ ...ctx, gate: { ...open, meeting }, tasks, input: { reason: '更正', attendees: ['园区'] } }).followUps).toEqual([]);
  });

  it('lets only the committee leader or the park center of the park amend', () => {
    const { meeting } = meetingRecorded({ ...ctx, by: who(['park_center'], { park: '汇通产业园' }), input });
    const gate = { ...open, meeting };
    expect(() => meetingAmended({ ...ctx, gate, by: who(['park_center'], { park: '别的园区' }), input: { reason: 'x', decisions: ['改'] } })).toThrow(
      expect.objectContaining({ status: 403, message: expect.stringContaining('Amending a transition meeting') }),
    );
    expect(meetingAmended({ ...ctx, gate, by: who(['park_center'], { park: '汇通产业园' }), input: { reason: 'x', decisions: ['改'] } }).role).toBe('park_center');
  });
});
