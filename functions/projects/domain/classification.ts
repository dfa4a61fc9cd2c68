// Classification 分类研判: by size, industry, tech level and chain relevance into a category with the reason a zone
// official can read; who decides admission; the 专班 a major project gets.
import { CATEGORY_LABELS, CHAIN_ROLE_LABELS, INDUSTRY_LABELS, inWords, LEADING_INDUSTRIES, POTENTIAL_INDUSTRIES, TECH_LEVEL_LABELS, TRACK_DEPARTMENT, type Category, type Role, type Track } from '#kernel/domain/codes.ts';
import type { ClassificationConfig } from '#reference/domain/config.ts';
import type { DedicatedTeam, ProjectInput } from './project.ts';

const CATEGORY_WORDS: Record<Category, { zh: string; en: string }> = {
  major: { zh: CATEGORY_LABELS.major.zh, en: 'a major project' },
  standard: { zh: CATEGORY_LABELS.standard.zh, en: 'a standard project' },
  small: { zh: CATEGORY_LABELS.small.zh, en: 'a small project' },
};
/** An amount in 亿元, exact to the yuan (eight decimals at most): rounded, 99,999,999 would read "1亿元 < 1亿元". */
const yi = (cny: number) => `${(cny / 100_000_000).toLocaleString('en-US', { maximumFractionDigits: 8 })}亿元`;
/** The same amount in English: millions of yuan, exact to the yuan. */
const million = (cny: number) => `CNY ${(cny / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 6 })} million`;

/**
 * Classification by size, industry, tech level and chain relevance, with the reason a zone official can read
 * (`reason`) and its English (`reasonEn`, for the console's English page and foreign-language readers).
 */
export function classify(
  input: Pick<ProjectInput, 'totalInvestmentCny' | 'industry' | 'techLevel' | 'chainRole'>,
  cfg: ClassificationConfig,
): { category: Category; reason: string; reasonEn: string } {
  const total = input.totalInvestmentCny;
  const kind = LEADING_INDUSTRIES.includes(input.industry)
    ? { zh: '主导产业', en: 'leading industry' }
    : POTENTIAL_INDUSTRIES.includes(input.industry)
      ? { zh: '潜力产业', en: 'potential industry' }
      : { zh: '其他产业', en: 'other industry' };
  // In the words a zone official reads: the Chinese punctuated full-width (，；：（）), as Chinese text is.
  const facts = `${kind.zh}（${inWords(INDUSTRY_LABELS, input.industry, 'zh')}），技术层级：${inWords(TECH_LEVEL_LABELS, input.techLevel, 'zh')}，产业链：${inWords(CHAIN_ROLE_LABELS, input.chainRole, 'zh')}`;
  const factsEn = `${kind.en} (${inWords(INDUSTRY_LABELS, input.industry, 'en')}), tech level ${inWords(TECH_LEVEL_LABELS, input.techLevel, 'en')}, chain role ${inWords(CHAIN_ROLE_LABELS, input.chainRole, 'en')}`;
  const by = (category: Category, zh: string, en: string) => ({ category, reason: `${zh}；${facts}`, reasonEn: `${en}; ${factsEn}` });
  if (total >= cfg.majorMinCny) {
    return by('major', `总投资${yi(total)} ≥ ${yi(cfg.majorMinCny)}：${CATEGORY_WORDS.major.zh}`, `Total investment ${million(total)} ≥ ${million(cfg.majorMinCny)}: ${CATEGORY_WORDS.major.en}`);
  }
  if (total >= cfg.standardMinCny) {
    return by('standard', `总投资${yi(total)} ≥ ${yi(cfg.standardMinCny)}：${CATEGORY_WORDS.standard.zh}`, `Total investment ${million(total)} ≥ ${million(cfg.standardMinCny)}: ${CATEGORY_WORDS.standard.en}`);
  }
  const up = cfg.priorityUpgrade;
  if (
    up.enabled &&
    up.industries.includes(input.industry) &&
    (up.techLevels.includes(input.techLevel) || up.chainRoles.includes(input.chainRole))
  ) {
    return by(
      'standard',
      `总投资${yi(total)} < ${yi(cfg.standardMinCny)}，但属重点产业且技术领先或补链强链：按${CATEGORY_WORDS.standard.zh}研判`,
      `Total investment ${million(total)} < ${million(cfg.standardMinCny)}, but a priority industry with leading technology or filling/strengthening the chain: classified as ${CATEGORY_WORDS.standard.en}`,
    );
  }
  return by('small', `总投资${yi(total)} < ${yi(cfg.standardMinCny)}：${CATEGORY_WORDS.small.zh}`, `Total investment ${million(total)} < ${million(cfg.standardMinCny)}: ${CATEGORY_WORDS.small.en}`);
}

export function admissionDeciders(track: Track, category: Category): Role[] {
  return category === 'major' ? [TRACK_DEPARTMENT[track], 'committee_leader'] : [TRACK_DEPARTMENT[track]];
}

/** The 专班 of a major project: a leader-level service team (专班专属服务). */
export function dedicatedTeamFor(category: Category, owner: Role, at: string): DedicatedTeam | null {
  return category === 'major' ? { kind: 'leader', lead: 'committee_leader', members: [owner, 'park_center', 'resources_bureau', 'approval_office'], formedAt: at } : null;
}
