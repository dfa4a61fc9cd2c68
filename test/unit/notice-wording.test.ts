// What a raised rung says depends on who reads it: its owner and supervision are asked to act by the rung's date; the
// enterprise is told what the rung asks of it (to take part in the interview or the compliance check).
import { describe, expect, it } from 'vitest';
import { render, type Notice } from '../../functions/notifications/domain/notices.ts';
import { currentTrigger, raise, raisedNotices, NONE } from '../../functions/supervision/domain/escalation.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { triggerWords } from '../../functions/supervision/domain/trigger-words.ts';

const project = { id: 'prj-1', name: '电池项目', park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };
const raised = (to: 'enterprise' | 'committee_leader'): Notice => ({ kind: 'escalation.raised', project, to, level: 2, rung: '约谈企业', trigger: '任务逾期：土地出让（2026-11-02 起）', dueDate: '2026-12-18' });

describe('a raised rung told', () => {
  it('says a rung date counted across a year with no calendar is an estimate (loading the year may move it, earlier too)', async () => {
    const { raisedNotices, raise, NONE } = await import('../../functions/supervision/domain/escalation.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const only2026 = calendarLookup([{ year: 2026, holidays: [], workdays: [] }]);
    // L3 raised on Monday 2026-12-28 with its window of 10 working days: into 2027, which has no calendar.
    const step = raise({ state: NONE, level: 3, trigger: { kind: 'task_overdue', item: 't', label: '土地出让', since: '2026-12-01' }, today: '2026-12-28', cfg: DEFAULT_CONFIG.escalation, calendar: only2026 });
    expect(step.state.next).toMatchObject({ dueDate: '2027-01-11', calendarProvisional: true });
    const told = raisedNotices(project, { rung: step.change.rung, state: step.state }, DEFAULT_CONFIG.escalation);
    expect(told.length).toBeGreaterThan(0);
    for (const n of told) {
      const { zh, en } = render(n);
      expect(zh.body).toContain('2027-01-11（暂估：2027年工作日历未加载，加载后可能调整）');
      expect(en.body).toContain('2027-01-11 (an estimate: the 2027 calendar is not loaded yet, and may move it)');
    }
    // On a loaded calendar the date is told as it is.
    const firm = raise({ state: NONE, level: 3, trigger: null, today: '2026-12-14', cfg: DEFAULT_CONFIG.escalation, calendar: only2026 });
    for (const n of raisedNotices(project, { rung: firm.change.rung, state: firm.state }, DEFAULT_CONFIG.escalation)) expect(render(n).zh.body).not.toContain('暂估');
  });

  it('asks its owner to act by the rung date', () => {
    expect(render(raised('committee_leader')).zh).toEqual({ title: '督办升级L2：约谈企业', body: '电池项目：任务逾期：土地出让（2026-11-02 起），已升级至约谈企业，请于2026-12-18前办理' });
  });

  it('tells the enterprise what the rung asks of it, in both languages', () => {
    const { zh, en } = render(raised('enterprise'));
    expect(zh).toEqual({ title: '项目督办升级L2：约谈企业', body: '电池项目：因任务逾期：土地出让（2026-11-02 起），管委会已将项目督办升级至约谈企业，请贵企业于2026-12-18前配合做好“约谈企业”有关工作并提供有关材料' });
    expect(en.title).toBe('Your project is escalated to L2: 约谈企业');
    expect(en.body).toMatch(/Please take part and provide the documents asked for by 2026-12-18\.$/);
    expect(zh.body).not.toContain('请于2026-12-18前办理');
  });

  it('names the rung, a task and a gate in English where it has their English names', () => {
    expect(render({ ...raised('committee_leader'), rungEn: 'Interview' } as Notice).en.title).toBe('Escalated to L2: Interview');
    expect(render({ kind: 'task.overdue', project, to: 'resources_bureau', task: '预选址', taskEn: 'Pre-site selection', dueDate: '2026-11-13' }).en.title).toBe('Red light: Pre-site selection is overdue');
    expect(render({ kind: 'gate.open', project, to: 'committee_leader', gate: '落地转段会议', gateEn: 'Landing transition meeting', stage: 'SIGNING', dueDate: '2026-12-01' }).en.title).toBe('Gate awaiting your decision: Landing transition meeting');
    // What raised it, in English where it has the English name (triggerEn from the trigger's labelEn).
    expect(render({ ...raised('committee_leader'), triggerEn: 'Land transfer (since 2026-11-02)' } as Notice).en.body).toBe('电池项目: Land transfer (since 2026-11-02); now at 约谈企业, act by 2026-12-18');
    // A notice recorded before English names were kept: the Chinese name, as before.
    expect(render({ kind: 'task.yellow', project, to: 'resources_bureau', task: '预选址', dueDate: '2026-11-13' }).en.title).toBe('Yellow light: 预选址');
  });
});

describe('other dates told as estimates', () => {
  it('a letter’s reply-by day and the exit decision’s date counted across a year with no calendar', async () => {
    const { letterNotice } = await import('../../functions/supervision/notices.ts');
    const letter = { number: '督办〔2026〕12号', subject: '关于加快推进项目建设的督办函', to: { kind: 'enterprise' }, replyBy: '2027-01-08', replyProvisional: true } as unknown as Parameters<typeof letterNotice>[1];
    const told = render(letterNotice(project, letter));
    expect(told.zh.body).toContain('请于2027-01-08（暂估：2027年工作日历未加载，加载后可能调整）前回复');
    expect(told.en.body).toContain('Reply by 2027-01-08 (an estimate: the 2027 calendar is not loaded yet, and may move it)');
    expect(render(letterNotice(project, { ...letter, replyProvisional: undefined } as typeof letter)).zh.body).toContain('请于2027-01-08前回复');
    const reminder = render({ kind: 'escalation.exit_reminder', project, dueDate: '2027-01-11', dueProvisional: true });
    expect(reminder.zh.body).toContain('请于2027-01-11（暂估：2027年工作日历未加载，加载后可能调整）前作出退出或延期决定');
    expect(render({ kind: 'escalation.exit_reminder', project, dueDate: '2026-12-11' }).zh.body).not.toContain('暂估');
  });

  it('a red light withdrawn names the date it was due and the date it is due now', () => {
    const told = render({ kind: 'task.overdue_withdrawn', project, to: 'resources_bureau', task: '预选址', taskEn: 'Pre-site selection', was: '2026-06-05', dueDate: '2026-06-08' });
    expect(told.zh).toEqual({ title: '逾期撤销：预选址', body: '电池项目：工作日历已更正，预选址期限由2026-06-05改为2026-06-08，不再逾期，此前的逾期记录已撤销' });
    expect(told.en.title).toBe('Overdue withdrawn: Pre-site selection');
  });

  it('a yellow light withdrawn names the day it turns yellow now and its due date', () => {
    const told = render({ kind: 'task.yellow_withdrawn', project, to: 'resources_bureau', task: '预选址', taskEn: 'Pre-site selection', yellowDate: '2026-06-10', dueDate: '2026-06-12' });
    expect(told.zh.title).toBe('黄灯撤销：预选址');
    expect(told.zh.body).toContain('预选址期限2026-06-12，2026-06-10起亮黄灯，此前的黄灯提醒已撤销');
    expect(told.en.title).toBe('Yellow light withdrawn: Pre-site selection');
    expect(told.en.body).toContain('is due on 2026-06-12 and turns yellow on 2026-06-10');
  });

  it('a letter reminder withdrawn names the day the reply was due and the day it is due now', () => {
    const told = render({ kind: 'letter.overdue_withdrawn', project, inbox: 'ENTERPRISE#ent-a', number: '晋综开督函〔2026〕1号', was: '2026-06-05', replyBy: '2026-06-10' });
    expect(told.zh).toEqual({ title: '函件逾期撤销：晋综开督函〔2026〕1号', body: '电池项目：工作日历已更正，晋综开督函〔2026〕1号回复期限由2026-06-05改为2026-06-10，不再逾期，此前的逾期提醒已撤销' });
    expect(told.en.body).toContain('now due on 2026-06-10 (was 2026-06-05)');
  });
});

describe('what raised a rung, in English', () => {
  const cfg = DEFAULT_CONFIG.escalation;
  const calendar = calendarLookup([]);
  const told = (trigger: ReturnType<typeof currentTrigger>) => {
    const r = raise({ state: NONE, level: 1, trigger, today: '2026-12-01', cfg, calendar });
    return raisedNotices(project, { rung: r.change.rung, state: r.state }).map((n) => render(n).en.body)[0]!;
  };

  it("names the overdue task, the unanswered letter or the stall by their English names", () => {
    const task = currentTrigger({ items: [{ id: 'LANDING.land_transfer', code: 'land_transfer', label: '土地出让', labelEn: 'Land transfer', dueDate: '2026-10-01', open: true }], stalledSince: null, today: '2026-12-01', cfg, calendar });
    expect(task).toMatchObject({ label: '土地出让', labelEn: 'Land transfer' });
    expect(told(task)).toContain('电池项目: Land transfer overdue (due 2026-10-01);');
    const stalled = currentTrigger({ items: [], stalledSince: '2026-10-20', today: '2026-12-01', cfg, calendar });
    expect(told(stalled)).toContain('construction stalled (no progress reported since 2026-10-20)');
    // A trigger recorded before English labels were kept: its Chinese label.
    expect(told({ kind: 'task_overdue', item: 'x', label: '土地出让', since: '2026-10-01' })).toContain('土地出让 overdue (due 2026-10-01)');
  });

  it('says what the date is: a due date, a reply-by day, a planned completion, the last progress report — in Chinese too', () => {
    const zh = (trigger: ReturnType<typeof currentTrigger>) => {
      const r = raise({ state: NONE, level: 1, trigger, today: '2026-12-01', cfg, calendar });
      return raisedNotices(project, { rung: r.change.rung, state: r.state }).map((n) => render(n).zh.body)[0]!;
    };
    expect(zh({ kind: 'task_overdue', item: 'x', label: '土地出让', since: '2026-10-01' })).toContain('电池项目：土地出让逾期（期限2026-10-01），');
    expect(zh({ kind: 'letter_unanswered', item: 'l', label: '函件晋综开督函〔2026〕1号未回复', since: '2026-10-01' })).toContain('函件晋综开督函〔2026〕1号未回复（回复期限2026-10-01）');
    expect(zh({ kind: 'completion_overdue', item: 'completion', label: '逾期竣工', since: '2026-10-01' })).toContain('逾期竣工（计划竣工2026-10-01）');
    expect(zh({ kind: 'stalled', item: 'construction', label: '施工停滞', since: '2026-10-20' })).toContain('施工停滞（2026-10-20以来未报建设进度）');
    // A task recorded in English only, as the project page's ladder line and its task list mark it.
    expect(zh({ kind: 'task_overdue', item: 'x', label: 'Submit EIA', since: '2026-10-01' })).toContain('电池项目：Submit EIA（仅录英文，照录原文）逾期（期限2026-10-01），');
    expect(triggerWords({ kind: 'task_overdue', label: 'Submit EIA', since: '2026-10-01' })).toEqual({ zh: 'Submit EIA（仅录英文，照录原文）逾期（期限2026-10-01）', en: 'Submit EIA overdue (due 2026-10-01)' });
    expect(triggerWords({ kind: 'task_overdue', label: '容缺补正：EIA report', since: '2026-10-01' }).zh).toBe('容缺补正：EIA report逾期（期限2026-10-01）');
  });
});
