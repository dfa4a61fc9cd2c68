// Classification 分类研判: the category a zone official reads with its reason (size, industry, tech level, chain role),
// who decides admission, and the leader-level 专班 a major project gets.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ClassificationConfig } from '../../functions/reference/domain/config.ts';
import { CHAIN_ROLES, INDUSTRIES, TECH_LEVELS } from '../../functions/kernel/domain/codes.ts';
import { admissionDeciders, classify, dedicatedTeamFor } from '../../functions/projects/domain/classification.ts';

const cfg: ClassificationConfig = DEFAULT_CONFIG.classification;
const base = { industry: 'nev' as const, techLevel: 'advanced', chainRole: 'extend', totalInvestmentCny: 1_200_000_000 };

describe('category by total investment', () => {
  it('is major from 10亿元 up, and says the amount and threshold in 亿元', () => {
    expect(classify(base, cfg)).toEqual({
      category: 'major',
      reason: '总投资12亿元 ≥ 10亿元：重大项目；主导产业（新能源汽车），技术层级：先进，产业链：延链',
      reasonEn: 'Total investment CNY 1,200 million ≥ CNY 1,000 million: a major project; leading industry (New-energy vehicles), tech level Advanced, chain role Extends the chain',
    });
    expect(classify({ ...base, totalInvestmentCny: 1_000_000_000 }, cfg).category).toBe('major');
  });

  it('is standard one yuan below 10亿 down to exactly 1亿', () => {
    expect(classify({ ...base, totalInvestmentCny: 999_999_999 }, cfg).category).toBe('standard');
    expect(classify({ ...base, totalInvestmentCny: 100_000_000 }, cfg)).toEqual({
      category: 'standard',
      reason: '总投资1亿元 ≥ 1亿元：一般项目；主导产业（新能源汽车），技术层级：先进，产业链：延链',
      reasonEn: 'Total investment CNY 100 million ≥ CNY 100 million: a standard project; leading industry (New-energy vehicles), tech level Advanced, chain role Extends the chain',
    });
  });

  it('is small one yuan below 1亿 when nothing upgrades it', () => {
    expect(classify({ ...base, totalInvestmentCny: 99_999_999 }, cfg).category).toBe('small');
    expect(classify({ ...base, totalInvestmentCny: 50_000_000 }, cfg)).toEqual({
      category: 'small',
      reason: '总投资0.5亿元 < 1亿元：小型项目；主导产业（新能源汽车），技术层级：先进，产业链：延链',
      reasonEn: 'Total investment CNY 50 million < CNY 100 million: a small project; leading industry (New-energy vehicles), tech level Advanced, chain role Extends the chain',
    });
  });

  it('writes amounts in 亿元 exact to the yuan, with thousands separators: the comparison it states is true as written', () => {
    expect(classify({ ...base, totalInvestmentCny: 1_234_567_890 }, cfg).reason).toMatch(/^总投资12\.3456789亿元 ≥ 10亿元/);
    expect(classify({ ...base, totalInvestmentCny: 150_000_000_000 }, cfg).reason).toMatch(/^总投资1,500亿元 ≥/);
    expect(classify({ ...base, industry: 'other', totalInvestmentCny: 12_345_678 }, cfg).reason).toMatch(/^总投资0\.12345678亿元 < 1亿元/);
    // Just under a threshold reads under it (rounded to two decimals it read "1亿元 < 1亿元").
    expect(classify({ ...base, industry: 'other', totalInvestmentCny: 99_999_999 }, cfg).reason).toMatch(/^总投资0\.99999999亿元 < 1亿元/);
    expect(classify({ ...base, totalInvestmentCny: 999_999_999 }, cfg).reason).toMatch(/^总投资9\.99999999亿元 ≥ 1亿元：一般项目/);
    expect(classify({ ...base, industry: 'other', totalInvestmentCny: 1 }, cfg).reason).toMatch(/^总投资0\.00000001亿元 < 1亿元/);
    // In English in millions, exact to the yuan as well.
    expect(classify({ ...base, totalInvestmentCny: 1_234_567_890 }, cfg).reasonEn).toMatch(/^Total investment CNY 1,234\.56789 million ≥ CNY 1,000 million/);
    expect(classify({ ...base, industry: 'other', totalInvestmentCny: 99_999_999 }, cfg).reasonEn).toMatch(/^Total investment CNY 99\.999999 million < CNY 100 million/);
  });

  it('follows the configured thresholds, not constants', () => {
    const zone = { ...cfg, majorMinCny: 500_000_000, standardMinCny: 20_000_000 };
    expect(classify({ ...base, totalInvestmentCny: 600_000_000 }, zone)).toEqual({
      category: 'major',
      reason: '总投资6亿元 ≥ 5亿元：重大项目；主导产业（新能源汽车），技术层级：先进，产业链：延链',
      reasonEn: 'Total investment CNY 600 million ≥ CNY 500 million: a major project; leading industry (New-energy vehicles), tech level Advanced, chain role Extends the chain',
    });
    expect(classify({ ...base, totalInvestmentCny: 30_000_000 }, zone).reason).toMatch(/^总投资0\.3亿元 ≥ 0\.2亿元：一般项目/);
    expect(classify({ ...base, totalInvestmentCny: 10_000_000 }, zone).reason).toMatch(/^总投资0\.1亿元 < 0\.2亿元：小型项目/);
  });
});

describe('industry in the reason', () => {
  it('names leading 主导, potential 潜力 and other 其他 industries', () => {
    // The zone's own words for its leading industries (the mechanism: 新能源汽车、装备制造、信息创新主导产业).
    expect(classify({ ...base, industry: 'equipment' }, cfg).reason).toContain('主导产业（装备制造）');
    expect(classify({ ...base, industry: 'infotech' }, cfg).reason).toContain('主导产业（信息创新）');
    expect(classify({ ...base, industry: 'biomedicine' }, cfg).reason).toContain('潜力产业（生物医药）');
    expect(classify({ ...base, industry: 'medical_devices' }, cfg).reason).toContain('潜力产业（医疗器械）');
    expect(classify({ ...base, industry: 'other' }, cfg).reason).toContain('其他产业（其他）');
  });
});

describe('the reason in Chinese', () => {
  it('is punctuated full-width (，；：（）) whatever the category, industry, tech level and chain role — half-width only in numbers', () => {
    const amounts = [1_500_000_000, 200_000_000, 50_000_000, 12_345_678];
    for (const totalInvestmentCny of amounts)
      for (const industry of INDUSTRIES)
        for (const techLevel of TECH_LEVELS)
          for (const chainRole of CHAIN_ROLES) {
            const { reason } = classify({ totalInvestmentCny, industry, techLevel, chainRole }, cfg);
            // A thousands separator or decimal point inside a number is not punctuation of the sentence.
            expect(reason.replace(/\d[,.]\d/g, ''), reason).not.toMatch(/[,;:()]/);
          }
  });
});

describe('priority upgrade of a small project to standard', () => {
  const small = { ...base, totalInvestmentCny: 50_000_000 };

  it('a leading-industry project that is tech-leading is judged as standard, and the reason says why', () => {
    expect(classify({ ...small, techLevel: 'leading' }, cfg)).toEqual({
      category: 'standard',
      reason: '总投资0.5亿元 < 1亿元，但属重点产业且技术领先或补链强链：按一般项目研判；主导产业（新能源汽车），技术层级：国际/国内领先，产业链：延链',
      reasonEn:
        'Total investment CNY 50 million < CNY 100 million, but a priority industry with leading technology or filling/strengthening the chain: classified as a standard project; leading industry (New-energy vehicles), tech level Leading, chain role Extends the chain',
    });
  });

  it('a leading-industry project that fills or strengthens the chain is judged as standard', () => {
    expect(classify({ ...small, chainRole: 'fill' }, cfg).category).toBe('standard');
    expect(classify({ ...small, industry: 'infotech', chainRole: 'strengthen' }, cfg).category).toBe('standard');
  });

  it('a leading-industry project neither tech-leading nor filling the chain stays small', () => {
    expect(classify({ ...small, techLevel: 'standard', chainRole: 'extend' }, cfg).category).toBe('small');
  });

  it('a project outside the priority industries stays small even when tech-leading and filling the chain', () => {
    expect(classify({ ...small, industry: 'biomedicine', techLevel: 'leading', chainRole: 'fill' }, cfg).category).toBe('small');
  });

  it('does not apply when the zone switched it off', () => {
    const off = { ...cfg, priorityUpgrade: { ...cfg.priorityUpgrade, enabled: false } };
    expect(classify({ ...small, techLevel: 'leading', chainRole: 'fill' }, off).category).toBe('small');
  });

  it('follows the configured industries, tech levels and chain roles', () => {
    const zone = { ...cfg, priorityUpgrade: { enabled: true, industries: ['biomedicine'], techLevels: ['advanced'], chainRoles: ['extend'] } };
    expect(classify({ ...small, industry: 'biomedicine', techLevel: 'advanced', chainRole: 'x' }, zone).category).toBe('standard');
    expect(classify({ ...small, industry: 'biomedicine', techLevel: 'x', chainRole: 'extend' }, zone).category).toBe('standard');
    expect(classify({ ...small, industry: 'nev', techLevel: 'leading', chainRole: 'fill' }, zone).category).toBe('small');
  });

  it('never touches a project already standard or major', () => {
    expect(classify({ ...base, totalInvestmentCny: 200_000_000, techLevel: 'leading' }, cfg).reason).toMatch(/^总投资2亿元 ≥ 1亿元：一般项目/);
  });
});

describe('who decides admission', () => {
  it('a major project needs the track department and the committee leader', () => {
    expect(admissionDeciders('industrial', 'major')).toEqual(['investment_dept', 'committee_leader']);
    expect(admissionDeciders('scitech', 'major')).toEqual(['scitech_dept', 'committee_leader']);
  });
  it('a standard or small project needs only the track department', () => {
    expect(admissionDeciders('industrial', 'standard')).toEqual(['investment_dept']);
    expect(admissionDeciders('scitech', 'small')).toEqual(['scitech_dept']);
  });
});

describe('the 专班 of a major project', () => {
  it('is a leader-level team led by the committee leader with the owner, park, resources and approval offices', () => {
    expect(dedicatedTeamFor('major', 'scitech_dept', '2026-03-02T02:00:00.000Z')).toEqual({
      kind: 'leader',
      lead: 'committee_leader',
      members: ['scitech_dept', 'park_center', 'resources_bureau', 'approval_office'],
      formedAt: '2026-03-02T02:00:00.000Z',
    });
  });
  it('a standard or small project has none', () => {
    expect(dedicatedTeamFor('standard', 'investment_dept', 'x')).toBeNull();
    expect(dedicatedTeamFor('small', 'investment_dept', 'x')).toBeNull();
  });
});
