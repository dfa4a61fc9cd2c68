// What a raised rung says depends on who reads it: its owner and supervision are asked to act by the rung's date; the
// enterprise is told what the rung asks of it (to take part in the interview or the compliance check).
import { describe, expect, it } from 'vitest';
import { render, type Notice } from '../../functions/notifications/domain/notices.ts';

const project = { id: 'prj-1', name: '电池项目', park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };
const raised = (to: 'enterprise' | 'committee_leader'): Notice => ({ kind: 'escalation.raised', project, to, level: 2, rung: '约谈企业', trigger: '任务逾期：土地出让（2026-11-02 起）', dueDate: '2026-12-18' });

describe('a raised rung told', () => {
  it('asks its owner to act by the rung date', () => {
    expect(render(raised('committee_leader')).zh).toEqual({ title: '督办升级 L2：约谈企业', body: '电池项目：任务逾期：土地出让（2026-11-02 起），已升级至 约谈企业，请于 2026-12-18 前办理' });
  });

  it('tells the enterprise what the rung asks of it, in both languages', () => {
    const { zh, en } = render(raised('enterprise'));
    expect(zh).toEqual({ title: '项目督办升级 L2：约谈企业', body: '电池项目：因任务逾期：土地出让（2026-11-02 起），管委会已将项目督办升级至 约谈企业，请贵企业于 2026-12-18 前配合约谈企业并提供有关材料' });
    expect(en.title).toBe('Your project is escalated to L2: 约谈企业');
    expect(en.body).toMatch(/Please take part and provide the documents asked for by 2026-12-18\.$/);
    expect(zh.body).not.toContain('请于 2026-12-18 前办理');
  });

  it('names the rung, a task and a gate in English where it has their English names', () => {
    expect(render({ ...raised('committee_leader'), rungEn: 'Interview' } as Notice).en.title).toBe('Escalated to L2: Interview');
    expect(render({ kind: 'task.overdue', project, to: 'resources_bureau', task: '预选址', taskEn: 'Pre-site selection', dueDate: '2026-11-13' }).en.title).toBe('Red light: Pre-site selection is overdue');
    expect(render({ kind: 'gate.open', project, to: 'committee_leader', gate: '落地转段会议', gateEn: 'Landing transition meeting', stage: 'SIGNING', dueDate: '2026-12-01' }).en.title).toBe('Gate awaiting your decision: Landing transition meeting');
    // A notice recorded before English names were kept: the Chinese name, as before.
    expect(render({ kind: 'task.yellow', project, to: 'resources_bureau', task: '预选址', dueDate: '2026-11-13' }).en.title).toBe('Yellow light: 预选址');
  });
});
