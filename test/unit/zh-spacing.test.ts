// The spacing rule of Chinese text beside a value (functions/kernel/domain/zh-spacing.ts): a figure is a figure with its
// sign and its percent too — no space on either side of it in Chinese, as for a bare count.
import { describe, expect, it } from 'vitest';
import { besideZh, zh } from '../../functions/kernel/domain/zh-spacing.ts';

describe('zh spacing beside a signed figure or a percentage', () => {
  it('drops the space on both sides of a negative or signed figure, as of a bare one', () => {
    expect(zh`较上月下降 ${-5} 个百分点`).toBe('较上月下降-5个百分点');
    expect(zh`变化 ${'−3.5'} 万元`).toBe('变化−3.5万元');
    expect(zh`增长 ${'+5%'} 以上`).toBe('增长+5%以上');
    expect(besideZh('变动', '-5')).toBe('变动-5');
  });

  it('drops the space after a percentage as before it', () => {
    expect(zh`进度 ${'35.5%'} 已报送`).toBe('进度35.5%已报送');
    expect(besideZh('35.5%', '完成')).toBe('35.5%完成');
    expect(besideZh('达产率', '80%')).toBe('达产率80%');
  });

  it('keeps what it kept: a space beside an English word, a hyphen that is no sign, a space between two values', () => {
    expect(zh`由 ${'ops-mail'} 投递 ${3} 次`).toBe('由 ops-mail 投递3次');
    expect(besideZh('重新投递', '-mail')).toBe('重新投递 -mail');
    expect(zh`${'-5'} ${'35%'}`).toBe('-5 35%');
    expect(zh`EIA 报告 ${3} 份`).toBe('EIA 报告3份');
    expect(zh`（${'2026-12-01'} 至 ${'2026-12-07'}）`).toBe('（2026-12-01至2026-12-07）');
    expect(besideZh('%', '完成')).toBe('% 完成');
  });
});

describe('zh spacing beside Chinese quotes, ellipsis and dash', () => {
  it('takes “” ‘’ … — for the Chinese punctuation they are: no space between them and a figure or Chinese', () => {
    expect(zh`请配合“${'整改'}” ${3} 项`).toBe('请配合“整改”3项');
    expect(zh`‘${'预选址'}’ ${2} 次`).toBe('‘预选址’2次');
    expect(zh`等 ${5} 项… ${2026} 年`).toBe('等5项…2026年');
    expect(zh`期限—— ${'2026-12-07'}`).toBe('期限——2026-12-07');
    expect(zh`“ ${'整改'} ”`).toBe('“整改”');
    expect(besideZh('事项”', '3')).toBe('事项”3');
    expect(besideZh('…', '整改')).toBe('…整改');
  });

  it('keeps a space beside an English word next to them', () => {
    expect(zh`“${'EIA'}” ${'report'}`).toBe('“EIA” report');
    expect(besideZh('”', 'EIA')).toBe('” EIA');
  });
});
