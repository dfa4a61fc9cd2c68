// A rung of the escalation ladder in words, one wording for every place that names one: the notices (督办升级L2：约谈企业),
// the ledger export's 督办等级 column and the console's pages (the ledger, the project's ladder line, the rung filter).
// No imports: the console bundles it as it is.

/** A rung by its level and its name in that language: L2：约谈企业 in Chinese, L2: Interview in English. */
export const rungWords = (level: number, name: string, lang: 'zh' | 'en' = 'zh'): string => (lang === 'zh' ? `L${level}：${name}` : `L${level}: ${name}`);
