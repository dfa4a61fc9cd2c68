// Formal letters' rules without DynamoDB: numbers, status, addressees, who may read and acknowledge, who may issue, and
// the wording of the letters the mechanism sends by itself.
import { describe, expect, it } from 'vitest';
import { acknowledge, addresseeName, DEFAULT_LETTERS_CONFIG, isAddressee, issueLetter, letterNumber, letterStatus, sharedNumber, mayRead, recountReply, TEMPLATES, exitCause, urgingReason, type Letter } from '../../functions/supervision/domain/letter.ts';

const cfg = DEFAULT_LETTERS_CONFIG;
const project = { id: 'prj-1', name: '示例项目', park: '汇通产业园', stage: 'GROUNDBREAKING' as const, investor: { name: '示例公司', enterpriseId: 'ent-a' } };
const enterpriseTo = { kind: 'enterprise' as const, enterpriseId: 'ent-a', name: '示例公司' };
const parkTo = { kind: 'department' as const, role: 'park_center' as const, park: '汇通产业园' };
const now = new Date('2026-11-30T02:00:00Z');
const who = (roles: string[], extra: Record<string, string> = {}) => ({ sub: 'u', name: '经办人', roles: roles as never, ...extra });
const issue = (over: Partial<Parameters<typeof issueLetter>[0]> = {}) =>
  issueLetter({ project, input: { series: 'urging', to: enterpriseTo, subject: '督促函', body: '请说明' }, cfg, by: who(['supervision_office']), id: 'ltr-1', seq: 17, now, today: '2026-11-30', replyBy: (wd) => ({ date: `reply+${wd}`, provisional: false }), ...over });

describe('letters', () => {
  it('number by pattern, year and sequence', () => {
    expect(letterNumber(cfg.series.urging!, 2026, 17)).toBe('晋综开督函〔2026〕17号');
    expect(letterNumber({ pattern: '{year}-{n}/{n}', from: 'ops', replyWd: 0 }, 2027, 3)).toBe('2027-3/3');
  });

  it('are sent, acknowledged, or overdue once the reply window passed unanswered', () => {
    expect(letterStatus({ ack: null, replyBy: '2026-12-07' }, '2026-12-07')).toBe('sent');
    expect(letterStatus({ ack: null, replyBy: '2026-12-07' }, '2026-12-08')).toBe('overdue');
    expect(letterStatus({ ack: { by: 'u', byName: 'u', at: '', reply: '' }, replyBy: '2026-12-07' }, '2026-12-08')).toBe('acknowledged');
    expect(letterStatus({ ack: null, replyBy: null }, '2099-01-01')).toBe('sent');
  });

  it('name their addressee and know who that is', () => {
    expect([addresseeName(enterpriseTo), addresseeName(parkTo), addresseeName({ kind: 'department', role: 'construction_dept' }), addresseeName({ kind: 'department', role: 'park_center' })]).toEqual([
      '示例公司',
      '汇通产业园园区事业服务中心',
      '园区建设管理部',
      '园区事业服务中心',
    ]);
    expect(isAddressee(who(['enterprise'], { enterprise: 'ent-a' }), enterpriseTo)).toBe(true);
    expect(isAddressee(who(['enterprise'], { enterprise: 'ent-b' }), enterpriseTo)).toBe(false);
    expect(isAddressee(who(['park_center'], { park: '汇通产业园' }), parkTo)).toBe(true);
    expect(isAddressee(who(['park_center'], { park: '科创城' }), parkTo)).toBe(false);
    expect(isAddressee(who(['construction_dept']), { kind: 'department', role: 'construction_dept' })).toBe(true);
    expect(isAddressee(who(['approval_office']), { kind: 'department', role: 'construction_dept' })).toBe(false);
    expect(mayRead(who(['enterprise'], { enterprise: 'ent-b' }), { to: enterpriseTo }, true)).toBe(false);
    expect(mayRead(who(['enterprise'], { enterprise: 'ent-a' }), { to: enterpriseTo }, false)).toBe(true);
    expect(mayRead(who(['soe']), { to: enterpriseTo }, true)).toBe(true);
    // Staff who may not read the project (a park center of another park) may not read its letters either.
    expect(mayRead(who(['park_center'], { park: '科创城' }), { to: enterpriseTo }, false)).toBe(false);
    expect(mayRead(who(['park_center'], { park: '科创城' }), { to: { kind: 'department', role: 'park_center', park: '科创城' } }, false)).toBe(true);
  });

  it('are issued by the series’ department or the committee leader (or the system), with a reply date only when asked', () => {
    expect(issue()).toEqual({
      id: 'ltr-1',
      number: '晋综开督函〔2026〕17号',
      series: 'urging',
      year: 2026,
      seq: 17,
      projectId: 'prj-1',
      projectName: '示例项目',
      from: 'supervision_office',
      to: enterpriseTo,
      subject: '督促函',
      body: '请说明',
      issuedAt: now.toISOString(),
      issuedBy: 'u',
      issuedOn: '2026-11-30',
      replyBy: 'reply+5',
      replyWd: 5,
      ack: null,
    });
    expect(issue({ by: who(['committee_leader']) }).from).toBe('supervision_office');
    expect(() => issue({ by: who(['soe']) })).toThrow(expect.objectContaining({ status: 403, message: 'Letters of the urging series are issued by supervision_office (or the committee leader)' }));
    expect(issue({ by: who([]), system: true }).number).toBe('晋综开督函〔2026〕17号');
    expect(issue({ input: { series: 'notice', to: parkTo, subject: 's', body: 'b' }, by: who(['committee_leader']) }).replyBy).toBeNull();
    expect(() => issue({ input: { series: 'nope', to: parkTo, subject: 's', body: 'b' } })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'series', code: 'unknown_ref', message: 'unknown series' }], message: 'No letter series nope: urging, notice, exit' }));
    // The exit series is the mechanism's: by hand it is refused, even to the committee leader; the exit step issues it.
    const exitInput = { series: 'exit', to: enterpriseTo, subject: 's', body: 'b' };
    expect(() => issue({ input: exitInput, by: who(['committee_leader']) })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'series', code: 'not_allowed', message: 'not issued by hand' }] }));
    expect(issue({ input: exitInput, by: who([]), system: true }).series).toBe('exit');
    // Even from a document published before `manual` existed (no flag on the exit series).
    const older = { ...DEFAULT_LETTERS_CONFIG, series: { ...DEFAULT_LETTERS_CONFIG.series, exit: { pattern: '晋综开退函〔{year}〕{n}号', from: 'committee_leader' as const, replyWd: 0 } } };
    expect(() => issue({ input: exitInput, by: who(['committee_leader']), cfg: older })).toThrow(expect.objectContaining({ status: 400 }));
    // A department does not write to itself (the committee leader signing an urging letter does not make it theirs).
    const toSelf = { series: 'urging', to: { kind: 'department' as const, role: 'supervision_office' as const }, subject: 's', body: 'b' };
    for (const by of [who(['supervision_office']), who(['committee_leader'])]) {
      expect(() => issue({ input: toSelf, by })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'to.role', code: 'invalid', message: 'the issuing department (supervision_office)' }] }));
    }
    expect(issue({ input: { ...toSelf, to: parkTo } }).to).toEqual(parkTo);
  });

  it('asking for a reply are refused while the project’s exit is under way; a notice may still go, and the system’s own', () => {
    const exiting = { ...project, status: 'ACTIVE', exit: { status: 'running', execution: 'prj-1-EXIT-1' } };
    expect(() => issue({ project: exiting })).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining('being exited 退出程序 (running)') }));
    expect(() => issue({ project: { ...exiting, exit: { status: 'decided' } } })).toThrow(expect.objectContaining({ status: 409 }));
    expect(issue({ project: exiting, input: { series: 'notice', to: parkTo, subject: 's', body: 'b' }, by: who(['committee_leader']) }).series).toBe('notice');
    expect(issue({ project: exiting, by: who([]), system: true }).series).toBe('urging');
    expect(issue({ project: { ...exiting, exit: { status: 'done' } } }).series).toBe('urging');
  });

  it('are acknowledged once, by the addressee', () => {
    const letter: Letter = issue();
    const acked = acknowledge(letter, 'ltr-1', who(['enterprise'], { enterprise: 'ent-a' }), '收到', now);
    expect(acked.ack).toEqual({ by: 'u', byName: '经办人', at: now.toISOString(), reply: '收到' });
    expect(() => acknowledge(acked, 'ltr-1', who(['enterprise'], { enterprise: 'ent-a' }), '再次', now)).toThrow(expect.objectContaining({ status: 409, message: 'Letter 晋综开督函〔2026〕17号 was acknowledged on 2026-11-30' }));
    expect(() => acknowledge(letter, 'ltr-1', who(['supervision_office']), '收到', now)).toThrow(expect.objectContaining({ status: 403, message: 'Letter 晋综开督函〔2026〕17号 is addressed to 示例公司: only its addressee acknowledges it' }));
    expect(() => acknowledge(undefined, 'ltr-9', who(['enterprise']), '', now)).toThrow(expect.objectContaining({ status: 404, message: 'No letter ltr-9' }));
  });

  it('refused, name what the refusal is about: the series a sender may not issue, the project closed or being exited (path.id), the letter not the caller’s or answered already (path.id)', () => {
    const at = (path: string, code: string) => expect.objectContaining({ errors: [expect.objectContaining({ path, code })] });
    expect(() => issue({ by: who(['soe']) })).toThrow(at('series', 'not_allowed'));
    expect(() => issue({ project: { ...project, status: 'EXITED' } })).toThrow(at('path.id', 'state'));
    expect(() => issue({ project: { ...project, status: 'ACTIVE', exit: { status: 'running', execution: 'x' } } })).toThrow(at('path.id', 'state'));
    const letter: Letter = issue();
    expect(() => acknowledge(letter, 'ltr-1', who(['supervision_office']), '收到', now)).toThrow(at('path.id', 'not_allowed'));
    const acked = acknowledge(letter, 'ltr-1', who(['enterprise'], { enterprise: 'ent-a' }), '收到', now);
    expect(() => acknowledge(acked, 'ltr-1', who(['enterprise'], { enterprise: 'ent-a' }), '再次', now)).toThrow(at('path.id', 'state'));
  });

  it('word the mechanism’s own letters with the project’s facts', () => {
    expect(TEMPLATES.instantNotice(project, '施工手续', '2026-11-30')).toEqual({
      subject: '关于示例项目施工手续已办结的函',
      body: '示例项目（汇通产业园，项目编号 prj-1）施工手续已于2026年11月30日办结，现处于项目开工阶段。请按职责及时开展后续工作。',
    });
    expect(TEMPLATES.urging(project, '开工自2026年9月14日起逾期未办结', 5)).toEqual({
      subject: '关于督促示例项目加快推进的函',
      body: '示例公司：贵单位投资建设的示例项目（汇通产业园）开工自2026年9月14日起逾期未办结。请于收函后5个工作日内书面说明情况并提出整改措施。',
    });
    // A task recorded in English only is named as typed and marked so, as the notices and the console mark it.
    expect(TEMPLATES.instantNotice(project, 'Construction permits', '2026-11-30').subject).toBe('关于示例项目Construction permits（仅录英文，照录原文）已办结的函');
    expect(urgingReason({ kind: 'task_overdue', label: 'Submit EIA', since: '2026-09-24' })).toBe('Submit EIA（仅录英文，照录原文）自2026年9月24日起逾期未办结');
    // The reason the urging letter gives, by what raised the ladder (helper 117: an unanswered letter, a stall and a
    // missed completion read 「函件…未回复自…起逾期未办结」, 「施工停滞自…起逾期未办结」, 「逾期竣工自…起逾期未办结」).
    expect(urgingReason({ kind: 'task_overdue', label: '预选址', since: '2026-09-24' })).toBe('预选址自2026年9月24日起逾期未办结');
    expect(urgingReason({ kind: 'start_overdue', label: '开工', since: '2026-09-14' })).toBe('开工自2026年9月14日起逾期未办结');
    expect(urgingReason({ kind: 'letter_unanswered', label: '函件晋综开督函〔2026〕2号未回复', since: '2026-10-16' })).toBe('有关函件晋综开督函〔2026〕2号逾期未回复（回复期限2026年10月16日）');
    expect(urgingReason({ kind: 'stalled', label: '施工停滞', since: '2026-10-16' })).toBe('施工停滞，自2026年10月16日以来未报告建设进度');
    expect(urgingReason({ kind: 'completion_overdue', label: '逾期竣工', since: '2027-06-30' })).toBe('计划于2027年6月30日竣工，逾期未竣工');
    expect(urgingReason(null)).toBe('推进滞后');
    expect(TEMPLATES.exit(project, '未按期开工')).toEqual({
      subject: '关于示例项目退出的函',
      body: '示例公司：经管委会研究，示例项目（汇通产业园）因未按期开工，决定按合同约定启动退出程序，所涉土地、厂房及各类要素依法收回。',
    });
    // A reason typed as a sentence of its own, or saying the exit itself (helper-144: 「因企业严重违约，启动退出程序，决定按合同
    // 约定启动退出程序」): the letter says its cause once, and the decision once.
    expect(TEMPLATES.exit(project, '企业严重违约，启动退出程序').body).toContain('因企业严重违约，决定按合同约定启动退出程序，');
    expect(TEMPLATES.exit(project, '企业严重违约，现启动退出程序。').body).toContain('因企业严重违约，决定按合同约定启动退出程序，');
    expect(TEMPLATES.exit(project, '未按期开工。 ').body).toContain('因未按期开工，决定');
    expect(TEMPLATES.exit(project, '未按期开工；经约谈仍未整改').body).toContain('因未按期开工；经约谈仍未整改，决定');
    // Nothing but the exit's own words: kept as typed (less its full stop), not left empty.
    expect(exitCause('启动退出程序。')).toBe('启动退出程序');
    expect(exitCause('退出程序启动后土地收回')).toBe('退出程序启动后土地收回');
  });
});

describe('a letter\'s reply-by day after a calendar change', () => {
  const count = (from: string, wd: number) => ({ date: `${from}+${wd}`, provisional: false });
  it('is counted again while unanswered: always after a change (all), else only when it was provisional', () => {
    const l = { ...issue(), replyBy: '2027-01-06', replyWd: 5, issuedOn: '2026-12-30', replyProvisional: true };
    expect(recountReply(l, false, count)).toEqual({ replyBy: '2026-12-30+5', replyProvisional: false });
    expect(recountReply({ ...l, replyProvisional: false }, false, count)).toBeUndefined();
    expect(recountReply({ ...l, replyProvisional: false }, true, count)).toEqual({ replyBy: '2026-12-30+5', replyProvisional: false });
    // Unchanged, answered, asking no reply, or stored before the window was recorded: nothing to write.
    expect(recountReply({ ...l, replyBy: '2026-12-30+5', replyProvisional: false }, true, count)).toBeUndefined();
    expect(recountReply({ ...l, ack: { by: 'u', byName: 'u', at: '', reply: '' } }, true, count)).toBeUndefined();
    expect(recountReply({ ...l, replyBy: null }, true, count)).toBeUndefined();
    expect(recountReply({ ...l, replyWd: undefined }, true, count)).toBeUndefined();
  });
});

describe('two letter number patterns meeting on one number', () => {
  it('is found where one pattern\'s count runs into the other\'s digits, or their years and counts trade places', () => {
    expect(sharedNumber('晋综开函〔{year}〕{n}号', '晋综开函〔{year}〕1{n}号')).toBe('晋综开函〔2026〕11号');
    expect(sharedNumber('晋综开函〔{year}〕{n}号', '晋综开函〔{year}〕{n}号')).toBe('晋综开函〔2026〕1号');
    expect(sharedNumber('X{year}-{n}', 'X{n}-{year}')).toBe('X2026-2011') // 2026's 2011th, 2011's 2026th;
    expect(sharedNumber('{n}{year}', '{year}{n}')).toBeDefined();
  });

  it('is not found where the letters differ, a digit of their own tells them apart, or a count would start with 0', () => {
    expect(sharedNumber('晋综开函〔{year}〕{n}号', '晋综开督函〔{year}〕{n}号')).toBeUndefined();
    expect(sharedNumber('晋综开1函〔{year}〕{n}号', '晋综开2函〔{year}〕{n}号')).toBeUndefined();
    expect(sharedNumber('A{year}{n}', 'A{year}0{n}')).toBeUndefined();
    // A year is 2000 to 2099: 19{n} is never a year.
    expect(sharedNumber('A{year}-{n}', 'A19{n}-{n}')).toBeUndefined();
  });
});
