// The kernel rules every handler leans on: the business clock, who may read and act on a project, value comparison
// and the audit diff, Asia/Shanghai dates, and the version rule (If-Match).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STAFF_ROLES } from '../../functions/kernel/domain/codes.ts';
import { clockFromEnv, scaledClock, systemClock } from '../../functions/kernel/domain/clock.ts';
import { actsAs, assertCanRead, canRead, hasRole, requireActsAs, requireRole, seesEnterpriseView, type Principal } from '../../functions/kernel/domain/principal.ts';
import { canonical, diff, sameValue } from '../../functions/kernel/domain/values.ts';
import { addCalendarDays, addYears, endOfDay, isIsoDate, shanghaiDate } from '../../functions/kernel/domain/dates.ts';
import { assertPinned, bump, nextVersion } from '../../functions/kernel/domain/version.ts';

describe('the business clock', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('moves business time from its start by the real time elapsed since the anchor, times the scale', () => {
    let real = 5_000;
    const clock = scaledClock({ start: new Date('2026-03-01T00:00:00Z'), anchorMs: 2_000, scale: 3_600, realNow: () => real });
    // 3 real seconds since the anchor at 1 s = 1 h: three business hours after the start.
    expect(clock.now().toISOString()).toBe('2026-03-01T03:00:00.000Z');
    real = 2_000;
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('sleeps the real seconds that cover a business wait, rounded up', () => {
    const clock = scaledClock({ start: new Date('2026-03-01T00:00:00Z'), anchorMs: 0, scale: 2, realNow: () => 0 });
    // 5 business seconds at twice real speed: 2.5 real seconds, so 3.
    expect(clock.realSecondsUntil(new Date('2026-03-01T00:00:05Z'))).toBe(3);
    expect(clock.realSecondsUntil(new Date('2026-03-01T00:00:04Z'))).toBe(2);
    // A deadline a day ahead in real time.
    const realTime = scaledClock({ start: new Date('2026-03-01T00:00:00Z'), anchorMs: 0, scale: 1, realNow: () => 0 });
    expect(realTime.realSecondsUntil(new Date('2026-03-02T00:00:00Z'))).toBe(86_400);
    expect(realTime.realSecondsUntil(new Date('2026-03-01T00:00:00.001Z'))).toBe(1);
    // Now, or already passed: still one second, never zero.
    expect(realTime.realSecondsUntil(new Date('2026-03-01T00:00:00Z'))).toBe(1);
  });

  it('measures the wait from business now, not from the start', () => {
    let real = 0;
    const clock = scaledClock({ start: new Date('2026-03-01T00:00:00Z'), anchorMs: 0, scale: 86_400, realNow: () => real });
    real = 4_000; // four business days later
    expect(clock.realSecondsUntil(new Date('2026-03-11T00:00:00Z'))).toBe(6);
  });

  it.each([0, -1, Number.NaN])('refuses a time scale of %s', (scale) => {
    expect(() => scaledClock({ start: new Date(0), anchorMs: 0, scale })).toThrow(`time scale must be > 0, got ${scale}`);
  });

  it('the system clock is real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });

  it('without a configured start or scale, the environment clock is the system clock', () => {
    expect(clockFromEnv({})).toBe(systemClock);
    expect(clockFromEnv({ ZONEFLOW_TIME_SCALE: '1' })).toBe(systemClock);
    expect(clockFromEnv({ ZONEFLOW_CLOCK_START: '', ZONEFLOW_TIME_SCALE: '1' })).toBe(systemClock);
  });

  it('with only a scale, business time runs scaled from the moment the clock is made', () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T00:00:00Z') });
    const clock = clockFromEnv({ ZONEFLOW_TIME_SCALE: '86400' });
    expect(clock).not.toBe(systemClock);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
    vi.advanceTimersByTime(2_000);
    expect(clock.now().toISOString()).toBe('2026-05-03T00:00:00.000Z');
  });

  it('with a start and its anchor, business time survives a restart', () => {
    vi.useFakeTimers({ now: 10_000 });
    const clock = clockFromEnv({ ZONEFLOW_CLOCK_START: '2026-09-21T08:00:00+08:00', ZONEFLOW_CLOCK_ANCHOR: '4000', ZONEFLOW_TIME_SCALE: '86400' });
    // 6 real seconds since the anchor: six business days after the start.
    expect(clock.now().toISOString()).toBe('2026-09-27T00:00:00.000Z');
  });

  it('with a start but no anchor, the start is now; the scale defaults to real time', () => {
    vi.useFakeTimers({ now: 10_000 });
    const clock = clockFromEnv({ ZONEFLOW_CLOCK_START: '2026-09-21T00:00:00Z' });
    expect(clock.now().toISOString()).toBe('2026-09-21T00:00:00.000Z');
    vi.advanceTimersByTime(1_500);
    expect(clock.now().toISOString()).toBe('2026-09-21T00:00:01.500Z');
  });

  it('names the start it cannot read', () => {
    expect(() => clockFromEnv({ ZONEFLOW_CLOCK_START: 'yesterday' })).toThrow('ZONEFLOW_CLOCK_START is not an RFC 3339 instant: yesterday');
  });

  it('reads the process environment by default', () => {
    vi.useFakeTimers({ now: 0 });
    vi.stubEnv('ZONEFLOW_CLOCK_START', '2030-01-01T00:00:00Z');
    vi.stubEnv('ZONEFLOW_CLOCK_ANCHOR', '0');
    vi.stubEnv('ZONEFLOW_TIME_SCALE', '1');
    expect(clockFromEnv().now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});

const project = { id: 'prj-1', park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };
const user = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: 'u-1', name: '张三', roles, ...extra });

describe('who may read a project', () => {
  it('staff of any department read every project, whatever park', () => {
    expect(canRead(user(['investment_dept']), project)).toBe(true);
    expect(canRead(user(['ops']), project)).toBe(true);
    // A park center that also holds another staff role is not limited to its park.
    expect(canRead(user(['park_center', 'construction_dept'], { park: '科创城' }), project)).toBe(true);
  });

  it('a park service center reads only the projects of its park', () => {
    expect(canRead(user(['park_center'], { park: '汇通产业园' }), project)).toBe(true);
    expect(canRead(user(['park_center'], { park: '科创城' }), project)).toBe(false);
    expect(canRead(user(['park_center']), project)).toBe(false);
  });

  it('an enterprise reads only its own project', () => {
    expect(canRead(user(['enterprise'], { enterprise: 'ent-a' }), project)).toBe(true);
    expect(canRead(user(['enterprise'], { enterprise: 'ent-b' }), project)).toBe(false);
    expect(canRead(user(['enterprise']), project)).toBe(false);
    // The enterprise claim grants nothing without the enterprise role.
    expect(canRead(user(['park_center'], { park: '科创城', enterprise: 'ent-a' }), project)).toBe(false);
    // The park claim means nothing to an enterprise user.
    expect(canRead(user(['enterprise'], { park: '汇通产业园', enterprise: 'ent-b' }), project)).toBe(false);
  });

  it('a user with no role reads nothing', () => {
    expect(canRead(user([]), project)).toBe(false);
  });

  it('an outsider gets 404, so the project’s existence does not leak', () => {
    expect(() => assertCanRead(user(['enterprise'], { enterprise: 'ent-b' }), project)).toThrow(
      expect.objectContaining({ status: 404, message: 'No project prj-1' }),
    );
    expect(() => assertCanRead(user(['enterprise'], { enterprise: 'ent-a' }), project)).not.toThrow();
  });
});

describe('roles and acting on a project', () => {
  it('holds a role when any of the roles asked for is held', () => {
    expect(hasRole(user(['soe', 'ops']), 'investment_dept', 'ops')).toBe(true);
    expect(hasRole(user(['soe']), 'investment_dept', 'ops')).toBe(false);
    expect(hasRole(user([]), 'ops')).toBe(false);
  });

  it('refuses with 403 naming the roles that may', () => {
    expect(() => requireRole(user(['soe']), ['investment_dept', 'scitech_dept'], 'Creating a project')).toThrow(
      expect.objectContaining({ status: 403, message: 'Creating a project needs one of the roles: investment_dept, scitech_dept' }),
    );
    expect(() => requireRole(user(['scitech_dept']), ['investment_dept', 'scitech_dept'], 'Creating a project')).not.toThrow();
  });

  it('tells an enterprise a route every staff role may use is for the zone’s departments, without listing them', () => {
    expect(() => requireRole(user(['enterprise']), STAFF_ROLES, 'This action')).toThrow(expect.objectContaining({ status: 403, message: "This action is for the zone's departments and offices, not an enterprise" }));
    expect(() => requireRole(user(['soe']), STAFF_ROLES, 'This action')).not.toThrow();
    // One staff role short of all of them: the list is what tells who may.
    const allButOps = STAFF_ROLES.filter((r) => r !== 'ops');
    expect(() => requireRole(user(['enterprise']), allButOps, 'This action')).toThrow(expect.objectContaining({ message: `This action needs one of the roles: ${allButOps.join(', ')}` }));
  });

  it('a park center acts only in its park, an enterprise only on its own project, any other role anywhere', () => {
    expect(actsAs(user(['park_center'], { park: '汇通产业园' }), 'park_center', project)).toBe(true);
    expect(actsAs(user(['park_center'], { park: '科创城' }), 'park_center', project)).toBe(false);
    expect(actsAs(user(['enterprise'], { enterprise: 'ent-a' }), 'enterprise', project)).toBe(true);
    expect(actsAs(user(['enterprise'], { enterprise: 'ent-b' }), 'enterprise', project)).toBe(false);
    expect(actsAs(user(['construction_dept']), 'construction_dept', project)).toBe(true);
    // Not without the role itself, even with the park or enterprise claim.
    expect(actsAs(user(['investment_dept'], { park: '汇通产业园', enterprise: 'ent-a' }), 'park_center', project)).toBe(false);
    expect(actsAs(user(['investment_dept'], { park: '汇通产业园', enterprise: 'ent-a' }), 'enterprise', project)).toBe(false);
    expect(actsAs(user(['investment_dept']), 'construction_dept', project)).toBe(false);
  });

  it('acts in the first of the roles named that the user holds on this project', () => {
    const both = user(['committee_leader', 'park_center'], { park: '汇通产业园' });
    expect(requireActsAs(both, ['committee_leader', 'park_center'], project, 'Recording a meeting')).toBe('committee_leader');
    expect(requireActsAs(both, ['park_center', 'committee_leader'], project, 'Recording a meeting')).toBe('park_center');
    // A park center of another park falls through to the role it holds everywhere.
    const elsewhere = user(['park_center', 'committee_leader'], { park: '科创城' });
    expect(requireActsAs(elsewhere, ['park_center', 'committee_leader'], project, 'Recording a meeting')).toBe('committee_leader');
  });

  it('refuses with 403 naming who may, and that a park center must be of the project’s park', () => {
    expect(() => requireActsAs(user(['park_center'], { park: '科创城' }), ['committee_leader', 'park_center'], project, 'Recording a meeting')).toThrow(
      expect.objectContaining({
        status: 403,
        message: 'Recording a meeting is for: committee_leader, park_center (of the project’s park)',
        // The project the path names is what a park center of another park may not act on: named, as a 403 on a
        // field a caller may not use is (a letter series, a reservation's park).
        errors: [{ path: 'path.id', code: 'not_allowed', message: `in ${project.park}: a park center acts in its own park (科创城)` }],
      }),
    );
    // Without a park claim at all, the same: the project is in a park the token does not name.
    expect(() => requireActsAs(user(['park_center']), ['park_center'], project, 'Progress')).toThrow(
      expect.objectContaining({ errors: [{ path: 'path.id', code: 'not_allowed', message: `in ${project.park}: a park center acts in its own park (none named in the token)` }] }),
    );
    // A role that may not act at all is told who may: no field of the request is the cause.
    expect(() => requireActsAs(user(['soe']), ['construction_dept'], project, 'Completing 施工许可')).toThrow(
      expect.objectContaining({ status: 403, message: 'Completing 施工许可 is for: construction_dept', errors: undefined }),
    );
    // A park center of another park is refused for its role, not its park, where a park center may not act anyway.
    expect(() => requireActsAs(user(['park_center'], { park: '科创城' }), ['construction_dept'], project, 'Completing 施工许可')).toThrow(
      expect.objectContaining({ status: 403, errors: undefined }),
    );
  });

  it('only a user who is nothing but an enterprise sees the enterprise’s views', () => {
    expect(seesEnterpriseView(user(['enterprise'], { enterprise: 'ent-a' }))).toBe(true);
    expect(seesEnterpriseView(user(['enterprise', 'investment_dept']))).toBe(false);
    expect(seesEnterpriseView(user(['park_center']))).toBe(false);
    expect(seesEnterpriseView(user([]))).toBe(false);
  });
});

describe('comparing values whatever the key order', () => {
  it('writes JSON with object keys sorted at every level', () => {
    expect(canonical({ b: 1, a: { d: [2, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":true}]},"b":1}');
    expect(canonical([])).toBe('[]');
    expect(canonical({})).toBe('{}');
    expect(canonical('报')).toBe('"报"');
    expect(canonical(3)).toBe('3');
    expect(canonical(null)).toBe('null');
    expect(canonical(false)).toBe('false');
    expect(canonical(0)).toBe('0');
    expect(canonical('')).toBe('""');
  });

  it('leaves out undefined fields, as JSON does, and writes a bare undefined as null', () => {
    expect(canonical({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonical(undefined)).toBe('null');
    expect(canonical([undefined, 1])).toBe('[null,1]');
  });

  it('quotes keys as JSON', () => {
    expect(canonical({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });

  it('two values are the same whatever order their keys come in, and differ on any value', () => {
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameValue({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
    expect(sameValue({ a: [] }, { a: {} })).toBe(false);
  });
});

describe('the audit diff', () => {
  it('keeps only the top-level fields that changed, before and after', () => {
    expect(diff({ name: '甲', park: 'P', tags: [1] }, { name: '乙', park: 'P', tags: [1] })).toEqual({ before: { name: '甲' }, after: { name: '乙' } });
  });

  it('records a field added or removed on one side only', () => {
    expect(diff({ a: 1, gone: 'x' }, { a: 1, added: 'y' })).toStrictEqual({ before: { gone: 'x' }, after: { added: 'y' } });
  });

  it('leaves out the version stamp', () => {
    expect(diff({ version: 1, updatedAt: 'a', stage: 'SIGNING' }, { version: 2, updatedAt: 'b', stage: 'LANDING' })).toEqual({
      before: { stage: 'SIGNING' },
      after: { stage: 'LANDING' },
    });
  });

  it('a creation has everything after, a deletion everything before', () => {
    expect(diff(null, { a: 1, version: 1 })).toEqual({ before: {}, after: { a: 1 } });
    expect(diff({ a: 1 }, null)).toEqual({ before: { a: 1 }, after: {} });
    expect(diff(null, null)).toEqual({ before: {}, after: {} });
  });

  it('sees no change in a field whose objects only list their keys in another order (a record read back from DynamoDB)', () => {
    const computed = { tasksSummary: { open: 4, overdue: 0, nextDue: '2026-12-14', gateWaits: [{ id: 'SIGNING.pre_site', zh: '预选址', en: 'Pre-site' }] } };
    const stored = { tasksSummary: { gateWaits: [{ en: 'Pre-site', id: 'SIGNING.pre_site', zh: '预选址' }], nextDue: '2026-12-14', overdue: 0, open: 4 } };
    expect(diff(stored, computed)).toEqual({ before: {}, after: {} });
    // The order of a list's items is a change; so is null where the field was absent, or a value where it was null.
    expect(diff({ l: [1, 2] }, { l: [2, 1] })).toEqual({ before: { l: [1, 2] }, after: { l: [2, 1] } });
    expect(diff({ a: 1 }, { a: 1, exit: null })).toEqual({ before: {}, after: { exit: null } });
    expect(diff({ exit: null }, { exit: { status: 'decided' } })).toEqual({ before: { exit: null }, after: { exit: { status: 'decided' } } });
  });

  it('a nested change shows the whole field', () => {
    expect(diff({ investor: { name: 'x', id: 1 } }, { investor: { name: 'y', id: 1 } })).toEqual({
      before: { investor: { name: 'x', id: 1 } },
      after: { investor: { name: 'y', id: 1 } },
    });
  });
});

describe('Asia/Shanghai dates', () => {
  it('accepts only real calendar dates written YYYY-MM-DD', () => {
    expect(isIsoDate('2026-11-26')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-12-31')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-12-32')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(isIsoDate('2026/11/26')).toBe(false);
    expect(isIsoDate('2026-11-26T00:00:00Z')).toBe(false);
    expect(isIsoDate(' 2026-11-26')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    // Forms JavaScript dates would take, but not a zone date: a month alone, a six-digit year.
    expect(isIsoDate('2026-11')).toBe(false);
    expect(isIsoDate('+012026-11-26')).toBe(false);
  });

  it('an instant’s date is the one in Shanghai, eight hours ahead of UTC', () => {
    expect(shanghaiDate(new Date('2026-01-01T15:59:59.999Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('2026-01-01T16:00:00Z'))).toBe('2026-01-02');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('a due date ends at the next midnight in Shanghai', () => {
    expect(endOfDay('2026-11-26').toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(endOfDay('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiDate(endOfDay('2026-11-26'))).toBe('2026-11-27');
  });

  it('adds calendar days across months and years, and back', () => {
    expect(addCalendarDays('2026-11-26', 0)).toBe('2026-11-26');
    expect(addCalendarDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('adds years: 29 February falls on the 28th in a year without it, and stays in one with it', () => {
    expect(addYears('2026-12-01', 1)).toBe('2027-12-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2096-02-29', 4)).toBe('2100-02-28');
    expect(addYears('2026-03-15', 10)).toBe('2036-03-15');
  });
});

describe('the version rule', () => {
  it('a change moves the version by one from the one it was decided on; nothing stored yet is version 0', () => {
    expect(nextVersion(undefined)).toBe(1);
    expect(nextVersion({ version: 0 })).toBe(1);
    expect(nextVersion({ version: 7 })).toBe(8);
  });

  it('stamps the time of the change', () => {
    const next = { id: 'c', version: 99, updatedAt: 'old', value: 'new' };
    expect(bump(next, { version: 3 }, new Date(Date.UTC(2026, 10, 26, 2)))).toEqual({ id: 'c', version: 4, updatedAt: '2026-11-26T02:00:00.000Z', value: 'new' });
  });

  it('412 when the caller pinned another version, naming the one it is at', () => {
    expect(() => assertPinned('Project prj-1', 5, 4)).toThrow(expect.objectContaining({ status: 412, message: 'Project prj-1 is at version 5, not 4' }));
    expect(() => assertPinned('The calendar of 2027', 0, 1)).toThrow(
      expect.objectContaining({ status: 412, message: 'The calendar of 2027 does not exist yet; send no If-Match (or "0")' }),
    );
  });

  it('passes when nothing is pinned or the pin matches', () => {
    expect(() => assertPinned('Project prj-1', 5, undefined)).not.toThrow();
    expect(() => assertPinned('Project prj-1', 5, 5)).not.toThrow();
    expect(() => assertPinned('The calendar of 2027', 0, 0)).not.toThrow();
  });
});
