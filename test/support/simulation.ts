// Test support: a simulation's metering report made by hand (bench/sim/metering.ts's shape) — two project-years of a
// small zone, so every count is halved per project-year — for the cost model, the price tables and the report.
import type { MeteringReport } from '../../bench/sim/metering.ts';

/** One function's figures as the meter keeps them. */
export const functionFigures = (kind: 'http' | 'step' | 'schedule', invocations: number, durationMs: number, readUnits = 0, writeUnits = 0, logBytes = 0) => ({
  kind,
  invocations,
  durationMs,
  readUnits,
  writeUnits,
  logBytes,
  errors: 0,
  dynamodbCalls: 0,
  dynamodbRoundTrips: 0,
  dynamodbMs: 0,
  refusedWrites: 0,
  invocationsRefused: 0,
  transactions: 0,
  transactionItems: 0,
});

export const meteringReport = (over: Partial<MeteringReport> = {}): MeteringReport => ({
  window: { start: '2025-01-06T00:00:00.000Z', end: '2025-07-06T00:00:00.000Z', businessDays: 181 },
  // Two project-years: every count below is halved per project-year.
  projects: { count: 4, ended: 0, projectYears: 2 },
  dynamodb: { tables: {}, readUnits: 1000, writeUnits: 400, refusedWriteUnits: 20, storageBytes: 2 * 1024 ** 3, source: '' },
  lambda: { functions: { 'get-project': functionFigures('http', 100, 2000), 'evaluate-stage': functionFigures('step', 40, 4000) }, unattributedLogBytes: 0 },
  refusalReasons: {},
  meterOverheadMs: 0,
  commands: {},
  stepFunctions: { executions: 4, stateTransitions: 600, historyEvents: 2000, meanMaxPayloadBytes: 500 },
  schedules: [],
  series: [],
  lights: { byDay: [], perProject: {} },
  ...over,
});
