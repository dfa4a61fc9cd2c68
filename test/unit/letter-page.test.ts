// The printable A4 page 公文 of a letter (GET /letters/{id} with Accept: text/html): what an official prints and files.
import { describe, expect, it } from 'vitest';
import { acknowledge, type Letter } from '../../functions/supervision/domain/letter.ts';
import { letterPage } from '../../functions/supervision/present.ts';

const urging: Letter = {
  id: 'ltr-1',
  number: '晋综开督函〔2026〕1号',
  series: 'urging',
  year: 2026,
  seq: 1,
  projectId: 'prj-1',
  projectName: '示例项目',
  from: 'supervision_office',
  to: { kind: 'enterprise', enterpriseId: 'ent-a', name: '示例公司' },
  subject: '关于督促示例项目加快推进的函',
  // As the mechanism words it (TEMPLATES.urging): the body opens with the addressee.
  body: '示例公司：贵单位投资建设的示例项目（汇通产业园）开工自 2026-09-14 起逾期未办结。请于收函后 5 个工作日内书面说明情况并提出整改措施。',
  issuedAt: '2026-11-30T02:00:00.000Z',
  issuedBy: 'system',
  issuedOn: '2026-11-30',
  replyBy: '2026-12-07',
  replyWd: 5,
  ack: null,
};
const bodyOf = (page: string) => [...page.matchAll(/<p class="body">(.*?)<\/p>/gs)].map((m) => m[1]);

describe('the printable letter', () => {
  it('names its addressee once, on its own line above the body (the urging letter’s body opens with it too)', () => {
    const page = letterPage(urging, '2026-12-01');
    expect(page.split('示例公司：').length - 1).toBe(1);
    expect(page).toContain('<p>示例公司：</p>');
    expect(bodyOf(page)[0]).toBe('贵单位投资建设的示例项目（汇通产业园）开工自 2026-09-14 起逾期未办结。请于收函后 5 个工作日内书面说明情况并提出整改措施。');
  });

  it('sets each paragraph of a hand-written body as its own indented paragraph, escaped', () => {
    const page = letterPage({ ...urging, body: '第一段<b>。\n\n　　第二段 & "引号"。\r\n第三段' }, '2026-12-01');
    expect(bodyOf(page).slice(0, 3)).toEqual(['第一段&lt;b&gt;。', '第二段 &amp; &quot;引号&quot;。', '第三段']);
  });

  it('dates the acknowledgement on the zone’s day, as the letter is dated (an answer at 01:00 Shanghai is the next day)', () => {
    // 2026-12-01T17:30Z is 2026-12-02 01:30 in Shanghai.
    const acked = acknowledge(urging, urging.id, { sub: 'u', name: '张三', roles: ['enterprise'], enterprise: 'ent-a' }, '已收到\n下周开工', new Date('2026-12-01T17:30:00Z'));
    const page = letterPage(acked, '2026-12-02');
    expect(page).toContain('已签收：张三，2026年12月2日。回复：已收到\n下周开工</div>');
    expect(() => acknowledge(acked, acked.id, { sub: 'u', name: '张三', roles: ['enterprise'], enterprise: 'ent-a' }, '再次', new Date('2026-12-02T03:00:00Z'))).toThrow(/acknowledged on 2026-12-02/);
  });
});
