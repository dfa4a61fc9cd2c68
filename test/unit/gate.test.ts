// The gate of a stage in the domain core: opened when its required tasks are done, its due date in working days —
// provisional (weekdays only) while the year's calendar is missing, recomputed once it is loaded.
import { describe, expect, it } from 'vitest';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { evaluate } from '../../functions/lifecycle/domain/evaluation.ts';
import { newGate, type Gate } from '../../functions/lifecycle/domain/gate.ts';

const gate: Gate = newGate(
  { stage: 'SIGNING', name: { zh: '落地转段', en: 'Signing gate' }, approvers: ['committee_leader'], meetingRequired: false, limitWd: 5 },
  { track: 'industrial' },
);
const without2027 = calendarLookup([{ year: 2026, holidays: [], workdays: [] }]);
// 2027-01-01 is a holiday: one working day later than weekdays-only.
const with2027 = calendarLookup([{ year: 2026, holidays: [], workdays: [] }, { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
const at = (today: string, calendar = without2027) => ({ today, now: new Date(`${today}T10:00:00+08:00`), calendar, yellowBeforeWd: 2 });
const view = (g: Gate) => ({ stage: 'SIGNING' as const, tasks: [], gate: g, approvals: [] });

describe('gate due dates across a missing calendar year', () => {
  it('opens with a provisional due date, and says it opened', () => {
    const ev = evaluate([], view(gate), at('2026-12-28'));
    expect(ev).toMatchObject({ gateOpened: true, gateChanged: true });
    expect(ev.gate).toMatchObject({ open: true, openedDate: '2026-12-28', dueDate: '2027-01-04', calendarProvisional: true });
  });

  it('recomputes the due date once the year is loaded: a change, not a new opening', () => {
    const opened = evaluate([], view(gate), at('2026-12-28')).gate;
    const ev = evaluate([], view(opened), at('2026-12-29', with2027));
    expect(ev).toMatchObject({ gateOpened: false, gateChanged: true });
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-05', calendarProvisional: false });
    // Nothing more to recompute afterwards.
    expect(evaluate([], view(ev.gate), at('2026-12-30', with2027)).gateChanged).toBe(false);
  });

  it('clears the overdue mark when the recomputed date is still ahead, so the real date gets its reminder', () => {
    const opened = evaluate([], view(gate), at('2026-12-28')).gate;
    const overdue: Gate = { ...opened, overdueSince: '2027-01-05' };
    const ev = evaluate([], view(overdue), at('2027-01-05', with2027));
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-05', overdueSince: null });
  });
});
