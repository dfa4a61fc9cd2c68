// A 30-project zone in fast-forward (issue 12): the whole local stack in this process (DynamoDB Local, real handlers,
// the real ASL, the outbox poller, scheduled jobs, the HTTP server) driven through the HTTP API by simulated
// departments and enterprises for 32 business days, at a quarter of a business day a real second (four real seconds a
// day: room for a CI machine that also bundles and synthesizes beside it; half a day a second passed alone). The deadline
// oracle (bench/sim/oracle.ts, its own working-day arithmetic) must find no light lost, doubled, early, late or
// spurious — the rule `npm run simulate` applies to a zone of any size.
import { describe, expect, it, vi } from 'vitest';
import { simulate } from '../../bench/sim/engine.ts';

describe('a simulated zone of 30 projects', () => {
  it('records every task light on the business day it is due, once, and nothing else', async () => {
    // The handlers' info lines (scheduled jobs, every business day) would fill the test report.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const result = await simulate({ projects: 30, seed: 7, horizonDays: 32, scale: 21_600, arrivalDays: 8 });
    const { oracle, lights, simulator, projects } = result;
    console.error(JSON.stringify({ projects, lights, api: { p50: result.api.p50, p99: result.api.p99 }, oracle: oracle.counts, wall: result.wallSeconds }));
    // The zone did its work: lights of both colours came on, projects went through gates, nobody's action was refused.
    expect(simulator.failures).toEqual([]);
    expect(lights.yellow).toBeGreaterThan(30);
    expect(lights.red).toBeGreaterThan(5);
    expect(projects.created).toBe(30);
    expect(projects.byStage.LANDING).toBeGreaterThan(0);
    expect(oracle.examples).toEqual([]);
    expect(oracle.counts).toEqual({ lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 });
    expect(result.ok).toBe(true);
    // What AWS would bill was metered while the zone ran: HTTP handlers and workflow steps through the runtime's hook,
    // DynamoDB capacity through the product's client, the business days sampled, the lights charted as the oracle read them.
    const { metering } = result;
    const invoked = (kind: string) => Object.values(metering.lambda.functions).filter((f) => f.kind === kind).reduce((n, f) => n + f.invocations, 0);
    expect(invoked('http')).toBeGreaterThan(result.api.count / 2);
    expect(invoked('step')).toBeGreaterThan(30);
    expect(metering.dynamodb.tables.projects!.readUnits).toBeGreaterThan(0);
    expect(metering.dynamodb.tables.audit!.writeUnits).toBeGreaterThan(0);
    expect(metering.projects.count).toBe(30);
    expect(metering.projects.projectYears).toBeGreaterThan(0);
    expect(metering.series.length).toBeGreaterThanOrEqual(30);
    expect(metering.lights.byDay.at(-1)).toMatchObject({ yellow: lights.yellow, red: lights.red });
  }, 180_000);
});
