// What a person writes must show something: a name of default-ignorable characters only (nothing drawn in any font)
// was taken, and the ledger, a letter's heading and a group message showed a blank where the project's name goes.
import { describe, expect, it } from 'vitest';
import { line, text } from '../../functions/kernel/http/schemas.ts';

const refused = (v: string) => {
  const r = line(200).safeParse(v);
  return r.success ? undefined : r.error.issues.map((i) => i.message).join('; ');
};

describe('text shows something', () => {
  it('refuses a text of invisible characters only, whatever block they come from', () => {
    // Musical-symbol format controls, shorthand format controls, Egyptian hieroglyph format controls, Khmer inherent
    // vowels, Mongolian free variation selectors, the combining grapheme joiner, a Hangul filler, tag characters.
    for (const v of ['\u{1D173}', '\u{1D173}\u{1D17A}', '\u{1BCA0}', '\u{13430}', '\u17B4', '\u180B', '\u034F', '\u3164', '\u{E0001}', '\u{E0020}\u{E007F}', '\u2065']) {
      expect(refused(v), JSON.stringify(v)).toMatch(/visible character/);
    }
    expect(text(200).safeParse('\u{1D173}\n\u{1D174}').success).toBe(false);
  });

  it('takes text with something visible among them: emoji sequences, CJK, a name with a joiner inside', () => {
    for (const v of ['👨‍👩‍👧', '🏳️‍🌈', '示例\u200D项目', 'a\u{1D173}', '𠀀', '한국', 'مشروع']) expect(refused(v), JSON.stringify(v)).toBeUndefined();
  });
});
