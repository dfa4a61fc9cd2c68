// L4 履约核查: the day a check may be dated — since its rung began in this climb, not in the future.
import { describe, expect, it } from 'vitest';
import { recordComplianceCheck, type ComplianceInput } from '../../functions/supervision/domain/compliance.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';

const office = { sub: 'u-s', name: '督查', roles: ['supervision_office' as const] };
const input: ComplianceInput = { checkedOn: '2026-11-10', findings: [{ clause: '第七条 开工时限', finding: '未开工', breached: true }], summary: '未按期开工' };
const l5 = { level: 5, name: 'EXIT_PENDING', since: '2026-11-20', rungsSince: { 2: '2026-10-08', 3: '2026-10-16', 4: '2026-11-05', 5: '2026-11-20' } };
const project = { id: 'prj-1', park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' }, status: 'ACTIVE' as const, exit: null, escalation: l5 };
const run = (checkedOn: string, escalation: object = l5) =>
  recordComplianceCheck({ project: { ...project, escalation } as never, input: { ...input, checkedOn }, earlier: [], by: office, number: 1, now: new Date('2026-11-23T08:00:00Z'), today: '2026-11-23', ladder: DEFAULT_CONFIG.escalation });

describe('the compliance check 履约核查 recorded late, at exit pending', () => {
  it('is dated since the compliance rung began in this climb (not since exit pending began), and not after today', () => {
    expect(run('2026-11-10')).toMatchObject({ checkedOn: '2026-11-10', level: 5 });
    expect(run('2026-11-05').checkedOn).toBe('2026-11-05');
    expect(() => run('2026-11-04')).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'checkedOn', code: 'out_of_range', message: 'must lie between 2026-11-05 (the rung began) and today (2026-11-23)' }] }));
    expect(() => run('2026-11-24')).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'checkedOn' })] }));
    // A record kept before the rungs' days were: the current rung's day, as before.
    expect(() => run('2026-11-10', { level: 5, name: 'EXIT_PENDING', since: '2026-11-20' })).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'checkedOn' })] }));
    expect(() => run('2026-11-10', { level: 3, name: 'JOINT_ASSESSMENT', since: '2026-10-16', rungsSince: { 3: '2026-10-16' } })).toThrow(expect.objectContaining({ status: 409 }));
  });
});
