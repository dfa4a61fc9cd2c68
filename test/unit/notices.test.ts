// Notices 通知: which inbox each one lands in, and its exact wording — zh-CN is what the zone's officials read.
import { describe, expect, it } from 'vitest';
import { projectIdOf, provisionalNotice, recipientOf, render, type Notice } from '../../functions/notifications/domain/notices.ts';
import { inboxesOf, roleInbox } from '../../functions/notifications/domain/inbox.ts';

const project = { id: 'prj-7', name: '新能源电池项目', park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };

const yellow: Notice = { kind: 'task.yellow', project, to: 'park_center', task: '供地方案', dueDate: '2026-12-01' };
const overdue: Notice = { kind: 'task.overdue', project, to: 'enterprise', task: '环评批复', dueDate: '2026-11-20' };
const handover: Notice = { kind: 'supervision.handover', project, task: '施工许可', lead: 'construction_dept', dueDate: '2026-11-18' };
const gateOpen: Notice = { kind: 'gate.open', project, to: 'committee_leader', gate: '落地转段', stage: 'SIGNING', dueDate: '2026-12-04' };
const gateOverdue: Notice = {
  kind: 'gate.overdue',
  project,
  to: 'investment_dept',
  gate: '开工转段',
  stage: 'LANDING',
  dueDate: '2026-12-04',
  pending: ['committee_leader', 'resources_bureau'],
};
const stalled: Notice = { kind: 'construction.stalled', project, since: '2026-10-01' };
const provisional: Notice = provisionalNotice(project, [{ name: '供地方案', date: '2027-01-11' }, { name: '环评批复', date: '2028-03-01' }]);
const stepFailure: Notice = { kind: 'workflow.failed', projectId: 'prj-9', execution: 'prj-9-LANDING-2', error: 'TypeError: boom', during: 'step' };
const startFailure: Notice = { kind: 'workflow.failed', projectId: 'prj-9', execution: 'prj-9-LANDING-3', error: 'ExecutionAlreadyExists', during: 'start' };

describe('who a notice goes to', () => {
  it('a task or gate notice goes to the role it names, scoped to the project’s park or enterprise', () => {
    expect(recipientOf(yellow)).toBe('DEPT#park_center#汇通产业园');
    expect(recipientOf(overdue)).toBe('ENTERPRISE#ent-a');
    expect(recipientOf(gateOpen)).toBe('DEPT#committee_leader');
    expect(recipientOf(gateOverdue)).toBe('DEPT#investment_dept');
  });

  it('an overdue handover and a stalled site go to the supervision office, whoever leads the task', () => {
    expect(recipientOf(handover)).toBe('DEPT#supervision_office');
    expect(recipientOf(stalled)).toBe('DEPT#supervision_office');
  });

  it('a missing calendar and a failed lifecycle go to ops', () => {
    expect(recipientOf(provisional)).toBe('OPS');
    expect(recipientOf(stepFailure)).toBe('OPS');
    expect(recipientOf(startFailure)).toBe('OPS');
  });

  it('is read by the users of that role, and of that park, only', () => {
    expect(inboxesOf({ sub: 'u-1', name: 'x', roles: ['park_center'], park: '汇通产业园' })).toContain(recipientOf(yellow));
    expect(inboxesOf({ sub: 'u-2', name: 'x', roles: ['park_center'], park: '科创城' })).not.toContain(recipientOf(yellow));
    expect(inboxesOf({ sub: 'u-3', name: 'x', roles: ['supervision_office'] })).toContain(recipientOf(handover));
    expect(inboxesOf({ sub: 'u-4', name: 'x', roles: ['ops'] })).toContain(recipientOf(stepFailure));
  });

  it('is about the project it names; a failed lifecycle names only the project’s id', () => {
    expect(projectIdOf(yellow)).toBe('prj-7');
    expect(projectIdOf(stalled)).toBe('prj-7');
    expect(projectIdOf(provisional)).toBe('prj-7');
    expect(projectIdOf(stepFailure)).toBe('prj-9');
  });
});

describe('inbox addressing', () => {
  const p = { park: '科创城', investor: { enterpriseId: 'ent-z' } };

  it('a role’s inbox is its department, a park center’s its park’s, an enterprise’s its own, ops one for all', () => {
    expect(roleInbox('ops', p)).toBe('OPS');
    expect(roleInbox('park_center', p)).toBe('DEPT#park_center#科创城');
    expect(roleInbox('enterprise', p)).toBe('ENTERPRISE#ent-z');
    expect(roleInbox('eco_bureau', p)).toBe('DEPT#eco_bureau');
  });

  it('a user reads one inbox per role held and their own, each once', () => {
    expect(inboxesOf({ sub: 'u-9', name: 'x', roles: ['ops', 'park_center', 'soe', 'enterprise'], park: '科创城', enterprise: 'ent-z' })).toEqual([
      'OPS',
      'DEPT#park_center#科创城',
      'DEPT#soe',
      'ENTERPRISE#ent-z',
      'USER#u-9',
    ]);
    expect(inboxesOf({ sub: 'u-9', name: 'x', roles: ['soe', 'soe'] })).toEqual(['DEPT#soe', 'USER#u-9']);
    expect(inboxesOf({ sub: 'u-9', name: 'x', roles: [] })).toEqual(['USER#u-9']);
    // An enterprise user without the claim that scopes it reads only their own inbox.
    expect(inboxesOf({ sub: 'u-8', name: 'x', roles: ['enterprise'] })).toEqual(['USER#u-8']);
  });
});

describe('the wording of each notice', () => {
  it('a yellow light', () => {
    expect(render(yellow)).toEqual({
      zh: { title: '黄灯提醒：供地方案', body: '新能源电池项目：供地方案将于2026-12-01到期' },
      en: { title: 'Yellow light: 供地方案', body: '新能源电池项目: 供地方案 is due on 2026-12-01' },
    });
  });

  it('a red light', () => {
    expect(render(overdue)).toEqual({
      zh: { title: '红灯：环评批复已逾期', body: '新能源电池项目：环评批复期限2026-11-20' },
      en: { title: 'Red light: 环评批复 is overdue', body: '新能源电池项目: 环评批复 was due on 2026-11-20' },
    });
  });

  it('an overdue task handed to supervision names the project id and who leads it (the department by name, never its code)', () => {
    expect(render(handover)).toEqual({
      zh: { title: '督办：施工许可逾期', body: '新能源电池项目（prj-7）施工许可由园区建设管理部负责，期限2026-11-18' },
      en: { title: 'Supervision: 施工许可 overdue', body: '新能源电池项目 (prj-7): 施工许可, led by Park construction department, was due on 2026-11-18' },
    });
  });

  it('a task named in Chinese sits in the sentence without spaces, as dates and figures do (预选址已逾期, 将于2026-12-01到期); a name recorded in English only is marked as the page marks it', () => {
    const named = (task: string) => render({ ...overdue, task } as Notice).zh;
    expect(named('预选址')).toEqual({ title: '红灯：预选址已逾期', body: '新能源电池项目：预选址期限2026-11-20' });
    expect(named('EIA report')).toEqual({ title: '红灯：EIA report（仅录英文，照录原文）已逾期', body: '新能源电池项目：EIA report（仅录英文，照录原文）期限2026-11-20' });
    expect(named('EIA 报告').title).toBe('红灯：EIA 报告已逾期');
    expect(render({ ...yellow, task: '预选址', dueDate: '2027-01-05', dueProvisional: true } as Notice).zh.body).toBe('新能源电池项目：预选址将于2027-01-05（暂估：2027年工作日历未加载，加载后可能调整）到期');
    expect(render({ ...yellow, task: 'Site survey' } as Notice).zh).toEqual({ title: '黄灯提醒：Site survey（仅录英文，照录原文）', body: '新能源电池项目：Site survey（仅录英文，照录原文）将于2026-12-01到期' });
    // The English wording names it as typed, unmarked.
    expect(render({ ...yellow, task: 'Site survey' } as Notice).en.title).toBe('Yellow light: Site survey');
    expect(render({ ...handover, task: 'Submit EIA' } as Notice).zh).toEqual({ title: '督办：Submit EIA（仅录英文，照录原文）逾期', body: '新能源电池项目（prj-7）Submit EIA（仅录英文，照录原文）由园区建设管理部负责，期限2026-11-18' });
  });

  it('the commitments an interview made, typed by whoever recorded it, are marked when recorded in English only, as a task is', () => {
    const commitments = render({ kind: 'interview.commitments', project, to: 'enterprise', items: ['补交环评材料', 'Submit EIA'], dueDate: '2026-12-01' } as Notice);
    expect(commitments.zh.body).toBe('新能源电池项目：约谈确定的承诺事项：补交环评材料；Submit EIA（仅录英文，照录原文），最早于2026-12-01到期');
    expect(commitments.en.body).toContain('Submit EIA;');
    expect(commitments.en.body).not.toContain('仅录英文');
  });

  it('the tasks a missing calendar leaves estimated are marked in Chinese when recorded in English only, as a task notice marks them', () => {
    const n = render(provisionalNotice(project, [{ name: '供地方案', date: '2027-01-11' }, { name: 'Submit EIA', date: '2027-01-12' }]));
    expect(n.zh.body).toContain('新能源电池项目：供地方案（2027-01-11）、Submit EIA（仅录英文，照录原文）（2027-01-12）。');
    expect(n.en.body).not.toContain('仅录英文');
  });

  it('a letter and a gate say their dates without spaces in Chinese, as the other notices do', () => {
    const letter = { project, inbox: 'DEPT#resources_bureau', number: '晋开函〔2026〕3号' };
    expect(render({ kind: 'letter.issued', ...letter, subject: '请报送用地材料', replyBy: '2026-12-10' } as Notice).zh.body).toBe('新能源电池项目：请报送用地材料。请于2026-12-10前回复');
    expect(render({ kind: 'letter.overdue', ...letter, replyBy: '2026-12-10' } as Notice).zh.body).toBe('新能源电池项目：晋开函〔2026〕3号回复期限2026-12-10已过，请尽快回复');
    expect(render({ kind: 'letter.overdue_withdrawn', ...letter, was: '2026-12-10', replyBy: '2026-12-14' } as Notice).zh.body).toBe('新能源电池项目：工作日历已更正，晋开函〔2026〕3号回复期限由2026-12-10改为2026-12-14，不再逾期，此前的逾期提醒已撤销');
    expect(render({ kind: 'gate.overdue_withdrawn', project, to: 'committee_leader', gate: '落地转段', stage: 'SIGNING', was: '2026-12-04', dueDate: '2026-12-07' } as Notice).zh.body).toBe('新能源电池项目：工作日历已更正，招商签约转段审批期限由2026-12-04改为2026-12-07，不再逾期');
    expect(render({ kind: 'escalation.extended', project, to: 'enterprise', until: '2027-03-01', reason: '企业资金到位', from: 2 } as Notice).zh).toEqual({ title: '延期获批：至2027-03-01', body: '新能源电池项目：管委会批准延期至2027-03-01（企业资金到位），督办由L2解除，请于此前完成有关工作' });
    expect(render({ kind: 'inventory.refresh_due', inbox: 'DEPT#soe', inventory: '闲置厂房/楼宇', period: '2026Q4', periodEnd: '2026-12-31', unconfirmed: 3 } as Notice).zh.body).toBe('2026年第4季度更新期将于2026-12-31结束，尚有3条未确认，请及时更新确认（季度更新、动态清零）。');
  });

  it('a gate awaiting a decision', () => {
    expect(render(gateOpen)).toEqual({
      zh: { title: '转段待审：落地转段', body: '新能源电池项目：招商签约阶段任务已完成，请于2026-12-04前审批' },
      en: { title: 'Gate awaiting your decision: 落地转段', body: '新能源电池项目: the Signing tasks are done; decide by 2026-12-04' },
    });
  });

  it('an overdue gate lists who has still to decide', () => {
    expect(render(gateOverdue)).toEqual({
      zh: { title: '转段逾期：开工转段', body: '新能源电池项目：落地摘地转段审批期限2026-12-04已过，待审：管委会分管领导、规划和自然资源局开发区分局' },
      en: {
        title: 'Gate overdue: 开工转段',
        body: '新能源电池项目: the Landing & land transfer gate was due on 2026-12-04; still to decide: Committee leader in charge, Planning & natural resources bureau',
      },
    });
  });

  it('a stalled construction site', () => {
    expect(render(stalled)).toEqual({
      zh: { title: '施工停滞', body: '新能源电池项目：自2026-10-01起未报告建设进度' },
      en: { title: 'Construction stalled', body: '新能源电池项目: no progress reported since 2026-10-01' },
    });
  });

  it('a missing calendar names the estimated items and the years to load, and when they are usually published', () => {
    expect(provisional).toMatchObject({ items: ['供地方案（2027-01-11）', '环评批复（2028-03-01）'], years: [2027, 2028] });
    expect(render(provisional)).toEqual({
      zh: { title: '2027、2028年工作日历未加载：期限按工作日暂估', body: '新能源电池项目：供地方案（2027-01-11）、环评批复（2028-03-01）。请加载2027、2028年工作日历（PUT /calendar/{year}；国务院办公厅通常于上一年11月公布节假日安排）。' },
      en: { title: 'No calendar for 2027, 2028: due dates estimated on weekdays', body: '新能源电池项目: 供地方案（2027-01-11）, 环评批复（2028-03-01）. Load the calendar of 2027, 2028 (PUT /calendar/{year}; the State Council usually publishes the holidays in November of the year before).' },
    });
  });

  it('a failed step tells ops how to resume', () => {
    expect(render(stepFailure)).toEqual({
      zh: { title: '流程步骤失败', body: 'prj-9-LANDING-2: TypeError: boom。排除原因后请恢复：POST /projects/prj-9/workflow/resume' },
      en: { title: 'Lifecycle step failed', body: 'prj-9-LANDING-2: TypeError: boom. Once the cause is fixed, resume it: POST /projects/prj-9/workflow/resume' },
    });
  });

  it('a failed exit procedure tells ops to redrive it (a lifecycle resume answers 409 there)', () => {
    const exitFailure: Notice = { kind: 'workflow.failed', projectId: 'prj-9', execution: 'prj-9-EXIT-1', error: 'Error: counter', during: 'exit' };
    expect(render(exitFailure)).toEqual({
      zh: { title: '退出程序失败', body: 'prj-9-EXIT-1: Error: counter。排除原因后请从失败步骤重新执行：POST /projects/prj-9/exit/redrive' },
      en: { title: 'Exit procedure failed', body: 'prj-9-EXIT-1: Error: counter. Once the cause is fixed, redrive it from the failed step: POST /projects/prj-9/exit/redrive' },
    });
  });

  it('a refused start tells ops how to resume', () => {
    expect(render(startFailure)).toEqual({
      zh: { title: '流程启动失败', body: 'prj-9-LANDING-3: ExecutionAlreadyExists。排除原因后请恢复：POST /projects/prj-9/workflow/resume' },
      en: {
        title: 'Lifecycle could not start',
        body: 'prj-9-LANDING-3: ExecutionAlreadyExists. Once the cause is fixed, resume it: POST /projects/prj-9/workflow/resume',
      },
    });
  });
});

describe('a department on the notice list 通报提醒', () => {
  const notice: Notice = {
    kind: 'department.notice',
    inbox: 'DEPT#park_center#汇通产业园',
    department: { zh: '汇通产业园园区事业服务中心', en: 'Park service center (汇通产业园)' },
    count: 3,
    windowFrom: '2026-09-14',
    windowTo: '2026-10-12',
    windowWd: 20,
    items: ['电池项目·组建服务专班', '电机项目·组建服务专班', '电控项目·厂房租赁签约'],
  };

  it('goes to the inbox it names and is about no one project', () => {
    expect(recipientOf(notice)).toBe('DEPT#park_center#汇通产业园');
    expect(projectIdOf(notice)).toBeUndefined();
  });

  it('names the department, the window and the overdue items', () => {
    expect(render(notice)).toEqual({
      zh: {
        title: '通报提醒：汇通产业园园区事业服务中心',
        body: '汇通产业园园区事业服务中心近20个工作日（2026-09-14至2026-10-12）有3项任务逾期，已列入督查室通报提醒名单：电池项目·组建服务专班；电机项目·组建服务专班；电控项目·厂房租赁签约。请尽快办结。',
      },
      en: {
        title: 'Department notice: Park service center (汇通产业园)',
        body: "Park service center (汇通产业园) had 3 overdue items in the last 20 working days (2026-09-14 to 2026-10-12) and is on the supervision office's notice list: 电池项目·组建服务专班; 电机项目·组建服务专班; 电控项目·厂房租赁签约.",
      },
    });
  });
});

describe('a notice names at most 20 items and counts the rest', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => `任务${i + 1}`);
  const bodies = (n: number) => render({ kind: 'calendar.provisional', project, items: items(n), years: [2027] });

  it('names all of exactly 20', () => {
    const { zh, en } = bodies(20);
    expect(zh.body).toBe(`新能源电池项目：${items(20).join('、')}。请加载2027年工作日历（PUT /calendar/{year}；国务院办公厅通常于上一年11月公布节假日安排）。`);
    expect(en.body).toBe(`新能源电池项目: ${items(20).join(', ')}. Load the calendar of 2027 (PUT /calendar/{year}; the State Council usually publishes the holidays in November of the year before).`);
  });

  it('names the first 20 of 21 and says how many there are in all', () => {
    const { zh, en } = bodies(21);
    expect(zh.body).toBe(`新能源电池项目：${items(20).join('、')}等21项。请加载2027年工作日历（PUT /calendar/{year}；国务院办公厅通常于上一年11月公布节假日安排）。`);
    expect(en.body).toBe(`新能源电池项目: ${items(20).join(', ')} and more (21 in all). Load the calendar of 2027 (PUT /calendar/{year}; the State Council usually publishes the holidays in November of the year before).`);
    expect(zh.body).not.toContain('任务21');
  });
});
