// The ledger file's rules without I/O: CSV cells (quoting, formula neutralising), 万元, and the columns.
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, LEDGER_COLUMNS, ledgerCsv, wan } from '../../functions/reports/domain/ledger.ts';

describe('the ledger CSV', () => {
  it('quotes what must be quoted and neutralises what Excel would run as a formula', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell('汇通产业园')).toBe('汇通产业园');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`).startsWith(`'${lead}`) || csvCell(`${lead}1+1`).startsWith(`"'${lead}`)).toBe(true);
    expect(csvCell('=A1,B1')).toBe('"\'=A1,B1"');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('starts with a BOM and the Chinese header row; amounts in 万元 with two decimals', () => {
    expect(ledgerCsv([])).toBe(`\uFEFF${LEDGER_COLUMNS.map((c) => c.header).join(',')}\r\n`);
    expect(LEDGER_COLUMNS.map((c) => c.key)).toContain('investmentWan');
    expect(wan(1_200_000_000)).toBe(120_000);
    expect(wan(123_456_789)).toBe(12_345.68);
    expect(wan(0)).toBe(0);
  });
});
