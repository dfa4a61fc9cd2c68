// Classification 分类研判: by size, industry, tech level and chain relevance into a category with the reason a zone
// official can read; who decides admission; the 专班 a major project gets.
import { CHAIN_ROLE_LABELS, INDUSTRY_LABELS, inWords, LEADING_INDUSTRIES, POTENTIAL_INDUSTRIES, TECH_LEVEL_LABELS, TRACK_DEPARTMENT, type Category, type Role, type Track } from '#kernel/domain/codes.ts';
import type { ClassificationConfig } from '#reference/domain/config.ts';
import type { DedicatedTeam, ProjectInput } from './project.ts';

const CATEGORY_ZH: Record<Category, string> = { major: '重大项目', standard: '一般项目', small: '小型项目' };
/** An amount in 亿元, exact to the yuan (eight decimals at most): rounded, 99,999,999 would read "1亿元 < 1亿元". */
const yi = (cny: number) => `${(cny / 100_000_000).toLocaleString('en-US', { maximumFractionDigits: 8 })}亿元`;

/** Classification by size, industry, tech level and chain relevance, with the reason a zone official can read. */
export function classify(
  input: Pick<ProjectInput, 'totalInvestmentCny' | 'industry' | 'techLevel' | 'chainRole'>,
  cfg: ClassificationConfig,
): { category: Category; reason: string } {
  const total = input.totalInvestmentCny;
  const industryKind = LEADING_INDUSTRIES.includes(input.industry)
    ? '主导产业'
    : POTENTIAL_INDUSTRIES.includes(input.industry)
      ? '潜力产业'
      : '其他产业';
  // In the words a zone official reads.
  const facts = `${industryKind}(${inWords(INDUSTRY_LABELS, input.industry, 'zh')}), 技术层级 ${inWords(TECH_LEVEL_LABELS, input.techLevel, 'zh')}, 产业链 ${inWords(CHAIN_ROLE_LABELS, input.chainRole, 'zh')}`;
  if (total >= cfg.majorMinCny) {
    return { category: 'major', reason: `总投资${yi(total)} ≥ ${yi(cfg.majorMinCny)}: ${CATEGORY_ZH.major}; ${facts}` };
  }
  if (total >= cfg.standardMinCny) {
    return { category: 'standard', reason: `总投资${yi(total)} ≥ ${yi(cfg.standardMinCny)}: ${CATEGORY_ZH.standard}; ${facts}` };
  }
  const up = cfg.priorityUpgrade;
  if (
    up.enabled &&
    up.industries.includes(input.industry) &&
    (up.techLevels.includes(input.techLevel) || up.chainRoles.includes(input.chainRole))
  ) {
    return {
      category: 'standard',
      reason: `总投资${yi(total)} < ${yi(cfg.standardMinCny)}, 但属重点产业且技术领先或补链强链: 按${CATEGORY_ZH.standard}研判; ${facts}`,
    };
  }
  return { category: 'small', reason: `总投资${yi(total)} < ${yi(cfg.standardMinCny)}: ${CATEGORY_ZH.small}; ${facts}` };
}

export function admissionDeciders(track: Track, category: Category): Role[] {
  return category === 'major' ? [TRACK_DEPARTMENT[track], 'committee_leader'] : [TRACK_DEPARTMENT[track]];
}

/** The 专班 of a major project: a leader-level service team (专班专属服务). */
export function dedicatedTeamFor(category: Category, owner: Role, at: string): DedicatedTeam | null {
  return category === 'major' ? { kind: 'leader', lead: 'committee_leader', members: [owner, 'park_center', 'resources_bureau', 'approval_office'], formedAt: at } : null;
}
