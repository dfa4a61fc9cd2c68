// A name a user typed (a task, an agreed item, a document), as Chinese wording shows it: one recorded in English only
// is the record's own words, marked so (仅录英文，照录原文) — not passed off as text left untranslated. One rule for the
// notices, the ladder's words and the console's pages (no imports: the console bundles it as it is).

/** The mark beside a name recorded in English only, on Chinese pages and in Chinese notices. */
export const AS_TYPED_ZH = '仅录英文，照录原文';

/** Whether a name has English in it and no Chinese at all. */
export const typedInEnglishOnly = (text: string): boolean => /\p{Script=Latin}/u.test(text) && !/\p{Script=Han}/u.test(text);

/** A typed name in Chinese text: as typed, marked when recorded in English only (`Submit EIA（仅录英文，照录原文）`). */
export const typedZh = (text: string): string => (typedInEnglishOnly(text) ? `${text}（${AS_TYPED_ZH}）` : text);
