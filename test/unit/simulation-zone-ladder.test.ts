// The simulated zone's answers to the escalation ladder (bench/sim/zone.ts): the same seed, project and day draw the
// same answer (a run is reproducible); each rung gets only the answers the product accepts there; the shares come out
// near LADDER's over many projects; every delay falls inside the rung's window (or, for a late letter, after its own).
import { describe, expect, it } from 'vitest';
import { LADDER, letterReply, rungResponse } from '../../bench/sim/zone.ts';

const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

describe('the zone answers the ladder', () => {
  it('draws the same answer for the same seed, project and day, and another for another seed', () => {
    expect(many(50, (i) => rungResponse(7, i, 3, '2025-03-11', 10))).toEqual(many(50, (i) => rungResponse(7, i, 3, '2025-03-11', 10)));
    expect(many(50, (i) => letterReply(7, i, '2025-03-11', 5))).toEqual(many(50, (i) => letterReply(7, i, '2025-03-11', 5)));
    expect(many(50, (i) => letterReply(8, i, '2025-03-11', 5))).not.toEqual(many(50, (i) => letterReply(7, i, '2025-03-11', 5)));
  });
  it('gives each rung only its own answers, within its window', () => {
    const kinds = (level: number) => new Set(many(2000, (i) => rungResponse(7, i, level, '2025-03-11', 10).kind));
    expect(kinds(1)).toEqual(new Set(['extension', 'none']));
    expect(kinds(2)).toEqual(new Set(['extension', 'interview']));
    expect(kinds(3)).toEqual(new Set(['assessment', 'none']));
    expect(kinds(4)).toEqual(new Set(['compliance', 'none']));
    expect(kinds(5)).toEqual(new Set(['exit', 'extend', 'none']));
    const delays = [1, 2, 3, 4, 5].flatMap((level) => many(500, (i) => rungResponse(7, i, level, '2025-03-11', 10))).flatMap((r) => (r.kind === 'none' ? [] : [r.afterWd]));
    expect(Math.min(...delays)).toBe(1);
    expect(Math.max(...delays)).toBe(9);
  });
  it('comes out near the shares of LADDER', () => {
    const n = 4000;
    const replies = many(n, (i) => letterReply(7, i, '2025-03-11', 5));
    const share = (k: number) => k / n;
    expect(share(replies.filter((d) => d !== null && d <= 5).length)).toBeCloseTo(LADDER.letter.inWindow, 1);
    expect(share(replies.filter((d) => d !== null && d > 5).length)).toBeCloseTo(LADDER.letter.late, 1);
    expect(Math.max(...replies.filter((d): d is number => d !== null))).toBeLessThanOrEqual(9);
    const assessments = many(n, (i) => rungResponse(7, i, 3, '2025-03-11', 10));
    const decided = (d: string) => assessments.filter((r) => r.kind === 'assessment' && r.decision === d);
    expect(share(decided('proceed').length)).toBeCloseTo(LADDER.assessment.proceed, 1);
    expect(share(decided('continue').length)).toBeCloseTo(LADDER.assessment.continue, 1);
    // A plan's first item is due 5–15 working days after the decision (accepted: after today, within a year).
    const planWd = decided('continue').map((r) => (r.kind === 'assessment' ? r.planWd : 0));
    expect([Math.min(...planWd), Math.max(...planWd)]).toEqual([5, 15]);
    const exits = many(n, (i) => rungResponse(7, i, 5, '2025-03-11', 10));
    expect(share(exits.filter((r) => r.kind === 'exit').length)).toBeCloseTo(LADDER.exit.exit, 1);
    expect(share(exits.filter((r) => r.kind === 'extend').length)).toBeCloseTo(LADDER.exit.extend, 1);
  });
});
