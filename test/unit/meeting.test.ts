// The transition meeting 转段会议 rules in the domain core: once per gate round, held between the gate's opening and
// today, amended only explicitly (the committee leader any record, a park center its own), every change kept.
import { describe, expect, it } from 'vitest';
import { amendMeeting, recordMeeting } from '../../functions/lifecycle/domain/meeting.ts';
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
