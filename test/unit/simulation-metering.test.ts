// The simulation's metering glue (bench/sim/metering.ts), its pure parts: functions told apart by kind from the
// catalog, a scheduled job's firings a month on AWS from its cron, and the lights charted from the oracle's events
// (each light counted once: yellow from the inbox, red from the audit).
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { commandStats, firingsPerMonth, functionKind, lightSeries, storedBytes } from '../../bench/sim/metering.ts';
import type { LightEvent } from '../../bench/sim/oracle.ts';

describe('function kinds', () => {
  it('names HTTP routes, workflow steps, stream consumers and scheduled jobs from the catalog', () => {
    expect(functionKind(FUNCTIONS.find((f) => f.routes.length)!.name)).toBe('http');
    expect(functionKind(FUNCTIONS.find((f) => f.aslPlaceholder)!.name)).toBe('step');
    expect(functionKind(FUNCTIONS.find((f) => f.consumes)!.name)).toBe('consumer');
    expect(functionKind(FUNCTIONS.find((f) => f.schedule)!.name)).toBe('schedule');
    expect(functionKind('no-such-function')).toBe('other');
  });
});

describe('calls by command', () => {
  it('gives each command its count, p50 and p99, and transactional writes their times by items carried', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    const stats = commandStats(
      new Map([
        ['GetItemCommand', { ms, items: [] }],
        ['TransactWriteCommand', { ms: [4, 6, 30, 50], items: [1, 3, 6, 12] }],
      ]),
    );
    expect(stats.GetItem).toEqual({ count: 100, p50: 50, p99: 99 });
    expect(stats.TransactWrite).toMatchObject({ count: 4, meanItems: 5.5, byItems: { '1': { count: 1, p50: 4 }, '2-4': { count: 1, p50: 6 }, '5-8': { count: 1, p50: 30 }, '9+': { count: 1, p99: 50 } } });
    // Listed busiest first.
    expect(Object.keys(stats)).toEqual(['GetItem', 'TransactWrite']);
  });
});

describe('firings a month', () => {
  it('fires an every-minute job 1,440 times a day and a daily job once, over 365/12 days', () => {
    expect(firingsPerMonth({ minute: '*', hour: '*' })).toBeCloseTo(43_800, 6);
    expect(firingsPerMonth({ minute: '30', hour: '8' })).toBeCloseTo(30.4167, 3);
    expect(firingsPerMonth({ minute: '0', hour: '*' })).toBeCloseTo(730, 6);
  });
});

describe('light series', () => {
  const ev = (projectId: string, light: 'yellow' | 'red', source: 'audit' | 'inbox', at: string): LightEvent => ({ projectId, taskId: 't', light, source, at });
  it('counts yellow from the inbox and red from the audit, cumulative by business day, and per project', () => {
    const { byDay, perProject } = lightSeries([
      ev('a', 'yellow', 'inbox', '2025-01-06T02:00:00.000Z'),
      ev('a', 'red', 'audit', '2025-01-07T02:00:00.000Z'),
      ev('a', 'red', 'inbox', '2025-01-07T02:00:00.000Z'),
      ev('b', 'yellow', 'inbox', '2025-01-07T03:00:00.000Z'),
    ]);
    expect(byDay).toEqual([
      { day: '2025-01-06', yellow: 1, red: 0 },
      { day: '2025-01-07', yellow: 2, red: 1 },
    ]);
    expect(perProject).toEqual({ a: { yellow: 1, red: 1 }, b: { yellow: 1, red: 0 } });
  });
  it('reads the business day in the zone’s time zone: 17:00 UTC is the next morning in Shanghai', () => {
    expect(lightSeries([ev('a', 'yellow', 'inbox', '2025-01-06T17:00:00.000Z')]).byDay[0]?.day).toBe('2025-01-07');
  });
});

describe('stored bytes', () => {
  it('keeps every table in full but those whose items expire in a day, at a day’s share of the run', () => {
    const tables = { projects: { sizeBytes: 1_000 }, audit: { sizeBytes: 500 }, idempotency: { sizeBytes: 3_000 }, outbox: { sizeBytes: 300 }, inbox: { sizeBytes: null } };
    // 30 days: the day-long tables at a thirtieth (an inbox the emulator did not size counts nothing).
    expect(storedBytes(tables, 30 * 86_400_000)).toBe(1_500 + 100 + 10);
    // A run shorter than a day holds no more than it wrote.
    expect(storedBytes(tables, 3_600_000)).toBe(4_800);
  });
});
