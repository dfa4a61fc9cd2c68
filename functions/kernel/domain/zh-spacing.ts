// Spacing in Chinese text around a name, a date or a figure: one rule for the notices (functions/notifications) and the
// console's pages (console/src/i18n.ts) — no space beside a date or a figure in Chinese (回复期限2026-12-07, 未读3,
// （期限2026-12-07）, 下降-5个百分点, 进度35.5%已报送), a space kept beside an English word (EIA 报告). No imports: the console
// bundles it as it is.

/**
 * A Chinese character or Chinese punctuation (（）、：…): text that takes no space beside another such — the quotes,
 * ellipsis and dash Chinese writes with the general-punctuation characters too (“” ‘’ … ——).
 */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014]/u;
const cjk = (c: string | undefined) => c !== undefined && CJK.test(c);
/**
 * Whether a value's first (`head`) or last (`tail`) edge sits in Chinese text with no space beside Chinese: Chinese
 * itself, and a figure — a date, a count, a year, with its sign (-5, +5%, −3.5) and its percent (35.5%, 5‰).
 */
const heads = (s: string) => cjk([...s][0]) || /^[-+\u2212]?\d/u.test(s);
const tails = (s: string) => cjk([...s].at(-1)) || /\d[%\u2030\uff05]?$/u.test(s);

/**
 * Two parts of Chinese text, a word and a value beside it (a label and its date, a count and its unit): joined with no
 * space where one side's edge is Chinese and the other's Chinese or a figure, with a space otherwise (重新投递 ops-mail).
 */
export function besideZh(a: string, b: string): string {
  if (!a || !b) return `${a}${b}`;
  return (cjk([...a].at(-1)) && heads(b)) || (tails(a) && cjk([...b][0])) ? `${a}${b}` : `${a} ${b}`;
}

/**
 * Chinese wording around a name, a date or a figure: the space written beside a value is dropped where the word beside
 * it is Chinese and the value's edge is Chinese or a figure (预选址已逾期, 由园区建设管理部负责, 将于2026-12-01到期, 近20个工作日,
 * （暂估…）到期), and kept beside an English word (EIA 报告已逾期). A space that is all that stands between two values
 * separates them: kept. Every notice's Chinese title and body is written with it, and the console's Chinese phrases.
 */
export function zh(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const value = String(v);
    const before = [...strings[i]!];
    const after = [...strings[i + 1]!];
    if (before.length > 1 && before.at(-1) === ' ' && cjk(before.at(-2)) && heads(value)) out = out.slice(0, -1);
    const dropAfter = after.length > 1 && after[0] === ' ' && cjk(after[1]) && tails(value);
    out += value + (dropAfter ? strings[i + 1]!.slice(1) : strings[i + 1]!);
  });
  return out;
}

/**
 * A Chinese wording kept as a string with numbered places for its values ($1, $2 … — a translation table's, as
 * String.replace takes them: '须为 $1 年内的日期'), filled as the zh template fills its values: 须为2026年内的日期.
 */
export function zhFill(template: string, values: readonly (string | undefined)[]): string {
  const strings: string[] = [];
  const filled: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\$(\d)/g)) {
    strings.push(template.slice(last, m.index));
    filled.push(values[Number(m[1]) - 1] ?? '');
    last = m.index + m[0].length;
  }
  strings.push(template.slice(last));
  return zh(Object.assign(strings, { raw: strings }), ...filled);
}
