// The ledger file's rules without I/O: CSV cells (quoting, formula neutralising), 万元, and the columns.
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, LEDGER_COLUMNS, ledgerCsv, ledgerRow, wan } from '../../functions/reports/domain/ledger.ts';
import { createProject } from '../../functions/projects/domain/project.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';

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
    // The day the project was registered, in the console's word for it (登记签约项目, the timeline's 项目登记; English
    // 'Registered on'): not 录入日期, a second word for the same day.
    expect(LEDGER_COLUMNS.find((c) => c.key === 'createdOn')!.header).toBe('登记日期');
    expect(wan(1_200_000_000)).toBe(120_000);
    expect(wan(123_456_789)).toBe(12_345.68);
    expect(wan(0)).toBe(0);
  });
});

describe('a ledger row', () => {
  const base = createProject(
    { name: '流程项目', investor: { name: '测试公司', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'lease' },
    { sub: 'u-1', name: '招商专员', roles: ['investment_dept'] },
    DEFAULT_CONFIG.classification,
    { id: 'prj-ledger-1', now: new Date('2026-09-21T02:00:00Z') },
  );
  const workflow = (status: 'running' | 'failed' | 'start_failed') => ({ segment: 1, executionName: 'prj-ledger-1-SIGNING-1', startedAt: '2026-09-21T02:00:00Z', status });

  it('says what ops must do for a failed lifecycle or exit (the ?workflow=failed export says why each row is there), nothing otherwise', () => {
    expect(ledgerRow({ ...base, status: 'ACTIVE', workflow: workflow('running') }).procedure).toBeNull();
    expect(ledgerRow({ ...base, status: 'ACTIVE', workflow: workflow('failed') }).procedure).toBe('流程失败：待运维恢复');
    expect(ledgerRow({ ...base, status: 'ACTIVE', workflow: workflow('start_failed') }).procedure).toBe('流程启动失败：待运维恢复');
    expect(ledgerRow({ ...base, status: 'ACTIVE', workflow: workflow('running'), exit: { status: 'failed' } as never }).procedure).toBe('退出程序失败：待运维重新执行');
    expect(LEDGER_COLUMNS.at(-1)).toMatchObject({ key: 'procedure', header: '流程异常' });
  });

  it('leaves the rung cells blank (null, not an empty text Excel counts) for a project off the ladder', () => {
    const off = ledgerRow({ ...base, status: 'ACTIVE', escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null } });
    expect(off.escalation).toBeNull();
    expect(off.escalationDue).toBeNull();
    const on = ledgerRow({ ...base, status: 'ACTIVE', escalation: { level: 2, name: 'INTERVIEW', since: '2026-10-08', next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-16' } } });
    expect(on.escalation).toBe('L2：约谈企业');
    expect(on.escalationDue).toBe('2026-10-16');
  });

  it('shows the light of a project under way only: one pending admission, exited, rejected or at 达产 has none (not its last)', () => {
    expect(ledgerRow({ ...base, status: 'ACTIVE', light: 'red' }).light).toBe('红灯');
    for (const status of ['PENDING_ADMISSION', 'EXITED', 'REJECTED', 'COMPLETED'] as const) expect(ledgerRow({ ...base, status, light: 'red' }).light, status).toBeNull();
  });

  it('dates a project recorded on the day of the zone (Shanghai): 07:30 there is still the day before in UTC', () => {
    expect(ledgerRow({ ...base, createdAt: '2026-03-01T23:30:00.000Z' }).createdOn).toBe('2026-03-02');
    expect(ledgerRow({ ...base, createdAt: '2026-03-02T15:59:00.000Z' }).createdOn).toBe('2026-03-02');
  });
});
