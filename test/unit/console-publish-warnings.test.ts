// A publication's warnings (PUT /config/{name}, PUT /calendar/{year}: stored, but maybe not what ops meant) reach the
// ops page in the API's English: the Chinese page says each of them in Chinese. The warnings are made here by the
// writers themselves, so a warning reworded or added fails this test until the page has words for it.
import { describe, expect, it } from 'vitest';
import { publishWarningWords } from '../../console/src/logic.ts';
import { translator } from '../../console/src/i18n.ts';
import { DEFAULT_MATRIX, lightsWarnings, matrixWarnings } from '../../functions/reference/domain/config.ts';
import { calendarWarnings } from '../../functions/reference/domain/calendar.ts';
import { budgetChangedNote, DEFAULT_FUNDS_CONFIG, retiredNotes } from '../../functions/inventory/domain/fund.ts';
import { DEFAULT_INVENTORY_CONFIG } from '../../functions/inventory/domain/period.ts';
import { DEFAULT_LETTERS_CONFIG } from '../../functions/supervision/domain/letter.ts';

const clearance = DEFAULT_FUNDS_CONFIG.buckets[0]!;
const warnings = [
  ...lightsWarnings({ yellowBeforeWd: 5 }, DEFAULT_MATRIX),
  ...matrixWarnings({ tasks: [] }, DEFAULT_LETTERS_CONFIG, DEFAULT_INVENTORY_CONFIG),
  budgetChangedNote(2027, { code: clearance.code, before: 10_000_000, after: 12_000_000, allocatedCny: 3_000_000 }),
  ...retiredNotes({ buckets: DEFAULT_FUNDS_CONFIG.buckets.slice(1) }, DEFAULT_FUNDS_CONFIG, [{ year: 2027, code: clearance.code, name: clearance.name, budgetCny: 10_000_000, allocatedCny: 3_000_000, spentCny: 0 }]),
  ...calendarWarnings({ year: 2027, holidays: [] }),
];

describe('a publication’s warnings on the ops page', () => {
  it('are made by every writer (else the test below checks less than it says)', () => {
    expect(warnings).toHaveLength(6);
  });

  it('are said in Chinese on the Chinese page, amounts in 万元 and a fund bucket by its name', () => {
    const zh = translator('zh');
    const english = warnings.map((w) => publishWarningWords(w, zh)).filter((w) => /[A-Za-z]{3,}[ (]+[A-Za-z]{2,}/.test(w) || / CNY|WD\b/.test(w));
    expect(english).toEqual([]);
    expect(publishWarningWords(warnings[3]!, zh)).toBe('2027年进地清单：预算 1,000万元 → 1,200万元（已安排 300万元）');
    expect(publishWarningWords(warnings[0]!, zh)).toMatch(/^现行责任矩阵有3项任务.*预选址（5个工作日）/);
  });

  it('are the API’s own on the English page', () => {
    const en = translator('en');
    expect(warnings.map((w) => publishWarningWords(w, en))).toEqual(warnings);
  });
});
