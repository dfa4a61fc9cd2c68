// L2 约谈: who records it, when it may be held, and its commitments becoming timed tasks.
import { describe, expect, it } from 'vitest';
import { recordInterview, type InterviewInput } from '../../functions/supervision/domain/interview.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { aTask, calendar2026 } from '../support/domain.ts';

const project = { id: 'prj-1', park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' }, stage: 'GROUNDBREAKING' as const, status: 'ACTIVE' as const, matrixVersion: 1, escalation: { level: 2, name: 'INTERVIEW', since: '2026-10-08' } };
const leader = { sub: 'u-l', name: '主任', roles: ['committee_leader' as const] };
const input: InterviewInput = { heldOn: '2026-10-09', attendees: ['分管领导', '企业法人'], summary: '企业说明资金问题', commitments: [{ item: '10月底前开工', owner: 'enterprise', dueDate: '2026-10-30' }, { item: '协调施工许可', owner: 'approval_office', dueDate: '2026-10-20' }] };
const run = (over: Partial<Parameters<typeof recordInterview>[0]> = {}) =>
  recordInterview({ project, tasks: [aTask('GROUNDBREAKING.followup-1', { stage: 'GROUNDBREAKING', kind: 'followup' })], input, by: leader, previous: [], now: new Date('2026-10-09T08:00:00Z'), today: '2026-10-09', ladder: DEFAULT_CONFIG.escalation, limits: DEFAULT_CONFIG.limits, dates: { yellowBeforeWd: 3, calendar: calendar2026 }, ...over });

describe('the interview record 约谈', () => {
  it('turns each commitment into a task of its owner, numbered after the stage’s follow-ups', () => {
    const { interview, commitments } = run();
    expect(interview).toMatchObject({ number: 1, level: 2, heldOn: '2026-10-09', recordedBy: 'u-l', taskIds: ['GROUNDBREAKING.followup-2', 'GROUNDBREAKING.followup-3'] });
    expect(commitments.map((t) => [t.id, t.lead, t.dueDate, t.kind, t.code, t.status, t.startedDate])).toEqual([
      ['GROUNDBREAKING.followup-2', 'enterprise', '2026-10-30', 'followup', 'interview_commitment', 'open', '2026-10-09'],
      ['GROUNDBREAKING.followup-3', 'approval_office', '2026-10-20', 'followup', 'interview_commitment', 'open', '2026-10-09'],
    ]);
    expect(commitments[0]).toMatchObject({ standard: '约谈（2026-10-09）承诺事项', name: { zh: '10月底前开工', en: 'Interview commitment (2026-10-09): 10月底前开工' }, cooperating: [], handler: '', after: [], requiredForGate: false, light: 'green', calendarProvisional: false, matrixVersion: 1, yellowDate: '2026-10-27', limitWd: null, park: '汇通产业园', enterpriseId: 'ent-a', projectId: 'prj-1', stage: 'GROUNDBREAKING' });
    // Follow-ups of other stages and other kinds do not count for the numbering; a project without a matrix version is 0.
    const others = [aTask('SIGNING.followup-1', { stage: 'SIGNING', kind: 'followup' }), aTask('GROUNDBREAKING.x', { stage: 'GROUNDBREAKING', kind: 'matrix' })];
    expect(run({ tasks: others }).commitments[0]!.id).toBe('GROUNDBREAKING.followup-1');
    expect(run({ project: { ...project, matrixVersion: null } }).commitments[0]!.matrixVersion).toBe(0);
  });

  it('names a commitment in English as the record gives it (itemEn), else by the interview it came from — never the Chinese text alone', () => {
    const given = run({ input: { ...input, commitments: [{ ...input.commitments[0]!, itemEn: 'Start works by the end of October' }, input.commitments[1]!] } }).commitments;
    expect(given.map((t) => t.name)).toEqual([
      { zh: '10月底前开工', en: 'Start works by the end of October' },
      { zh: input.commitments[1]!.item, en: `Interview commitment (2026-10-09): ${input.commitments[1]!.item}` },
    ]);
  });

  it('is recorded by the rung owner, at L2 or above, held since the rung began and not in the future, commitments after it', () => {
    expect(() => run({ by: { ...leader, roles: ['supervision_office'] } })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => run({ project: { ...project, escalation: { level: 1, name: 'URGING_LETTER', since: '2026-10-01' } } })).toThrow(expect.objectContaining({ status: 409, message: "The interview 约谈 is the ladder's L2 rung; project prj-1 is at L1", errors: [{ path: 'path.id', code: 'state', message: 'at L1' }] }));
    expect(() => run({ project: { ...project, status: 'EXITED' as never } })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is EXITED', errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
    expect(() => run({ by: { ...leader, roles: ['soe'] } })).toThrow('Recording the interview 约谈 is for: committee_leader');
    expect(run({ input: { ...input, heldOn: '2026-10-08' } }).interview.heldOn).toBe('2026-10-08');
    const early = () => run({ input: { ...input, heldOn: '2026-10-07' } });
    expect(early).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must lie between 2026-10-08 (the rung began) and today (2026-10-09)' }] }));
    expect(() => run({ input: { ...input, heldOn: '2026-10-10' } })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => run({ input: { ...input, commitments: [{ item: 'x', owner: 'enterprise', dueDate: '2026-10-09' }] } })).toThrow(expect.objectContaining({ errors: [{ path: 'commitments[0].dueDate', code: 'out_of_range', message: 'must be after the interview (2026-10-09)' }], message: 'commitments[0].dueDate: must be after the interview (2026-10-09)' }));
    expect(() => run({ limits: { ...DEFAULT_CONFIG.limits, openItemsPerProject: 2 } })).toThrow(expect.objectContaining({ status: 409 }));
    expect(run({ project: { ...project, escalation: { level: 5, name: 'EXIT_PENDING', since: '2026-10-08' } } }).interview.level).toBe(5);
  });

  it('takes an interview held on its rung and recorded after the ladder climbed on: bounded by the day the interview rung began, not the current rung', () => {
    const l3 = { ...project, escalation: { level: 3, name: 'JOINT_ASSESSMENT', since: '2026-10-16', rungsSince: { 1: '2026-09-22', 2: '2026-10-08', 3: '2026-10-16' } } };
    const late = (heldOn: string) => run({ project: l3, input: { ...input, heldOn, commitments: [{ item: '10月底前开工', owner: 'enterprise', dueDate: '2026-10-30' }] }, now: new Date('2026-10-19T08:00:00Z'), today: '2026-10-19' });
    expect(late('2026-10-12').interview).toMatchObject({ heldOn: '2026-10-12', level: 3 });
    expect(late('2026-10-08').interview.heldOn).toBe('2026-10-08');
    expect(() => late('2026-10-07')).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'heldOn', code: 'out_of_range', message: 'must lie between 2026-10-08 (the rung began) and today (2026-10-19)' }] }));
    expect(() => late('2026-10-20')).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'heldOn' })] }));
    // A record kept before the rungs' days were: the current rung's day, as before.
    const old = { ...project, escalation: { level: 3, name: 'JOINT_ASSESSMENT', since: '2026-10-16' } };
    expect(() => run({ project: old, input: { ...input, heldOn: '2026-10-12' }, today: '2026-10-19' })).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'heldOn' })] }));
  });

  it('takes each commitment of one owner once: the same item (spacing or width aside) twice is 400 naming the second; another owner’s is its own', () => {
    const twice = { ...input, commitments: [...input.commitments, { item: '10月底前 开工', owner: 'enterprise' as const, dueDate: '2026-10-31' }] };
    expect(() => run({ input: twice })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'commitments[2].item', code: 'duplicate', message: '10月底前 开工 (enterprise) is agreed already' }] }));
    expect(run({ input: { ...input, commitments: [...input.commitments, { item: '10月底前开工', owner: 'approval_office', dueDate: '2026-10-30' }] } }).commitments).toHaveLength(3);
  });

  it('names each attendee once: one named twice (spacing or width aside) is 400 naming the repeat', () => {
    expect(() => run({ input: { ...input, attendees: ['分管领导', '企业法人', '企业 法人'] } })).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'attendees[2]', code: 'duplicate', message: '企业 法人 is listed twice' }] }),
    );
  });

  it('is numbered after those on record, and the same record sent again is refused (a form submitted twice)', () => {
    expect(run({ previous: [{ ...input, heldOn: '2026-10-08' }] }).interview.number).toBe(2);
    // The same facts, their keys in another order: the same interview.
    const again = { summary: input.summary, commitments: input.commitments.map((c) => ({ dueDate: c.dueDate, owner: c.owner, item: c.item })), attendees: input.attendees, heldOn: input.heldOn };
    expect(() => run({ previous: [{ ...input, heldOn: '2026-10-08' }, again] })).toThrow(expect.objectContaining({ status: 409, message: 'This interview 约谈 (2026-10-09) is on record already as no. 2: nothing was recorded again', errors: [{ path: 'heldOn', code: 'duplicate', message: 'on record already as no. 2 (the same day, attendees, summary and commitments)' }] }));
    expect(run({ previous: [{ ...input, summary: '另一次约谈' }] }).interview.number).toBe(2);
    // Sent again with the commitments' English added (or changed): the same interview — its commitments would be given twice.
    const translated = { ...input, commitments: input.commitments.map((c, i) => ({ ...c, itemEn: `Commitment ${i + 1}` })) };
    expect(() => run({ input: translated, previous: [input] })).toThrow(expect.objectContaining({ status: 409, message: 'This interview 约谈 (2026-10-09) is on record already as no. 1: nothing was recorded again' }));
    expect(() => run({ input, previous: [translated] })).toThrow(expect.objectContaining({ status: 409 }));
  });
});
