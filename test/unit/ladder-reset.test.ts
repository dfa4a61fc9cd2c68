// The ladder's reset recorded with a person's change (lifecycle/ladder-reset.ts), against a store that answers each read
// and counts them: at level 0 a change reads the ladder's configuration, the calendar and the project's letters only
// when the work it closes can owe a rung — not for a department's task the zone's ladder does not watch.
import { afterEach, describe, expect, it, vi } from 'vitest';
for (const name of ['TABLE_PROJECTS', 'TABLE_LEDGER', 'TABLE_AUDIT', 'TABLE_IDEMPOTENCY', 'TABLE_REFERENCE', 'TABLE_OUTBOX', 'TABLE_INBOX', 'TABLE_INVENTORY']) process.env[name] ??= name.slice('TABLE_'.length).toLowerCase();
const { ladderResetAtChange } = await import('../../functions/lifecycle/ladder-reset.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { createProject } = await import('../../functions/projects/domain/project.ts');
const { doneTask, nowOn, projectInput, runningTask } = await import('../support/domain.ts');

const created = createProject(projectInput(), { sub: 'u-inv', name: '招商', roles: ['investment_dept'] }, DEFAULT_CONFIG.classification, { id: 'prj-1', now: new Date('2026-09-01T02:00:00Z') });
const project = { ...created, status: 'ACTIVE' as const, matrixVersion: 1 };
const today = '2026-10-09';

type Input = { TableName?: string; Key?: Record<string, string>; ExpressionAttributeValues?: Record<string, string> };

/** The store's answers, each read named (`config/escalation`, `calendar stamp`, `calendar`, `letters`) as it is made. */
function store(ladderTasks: 'all' | 'enterprise') {
  const reads: string[] = [];
  const send = vi.spyOn(ddb, 'send').mockImplementation((async (command: { input: Input }) => {
    const { Key, ExpressionAttributeValues: values } = command.input;
    if (Key?.pk === 'CALENDAR_STAMP') return reads.push('calendar stamp') && {};
    if (values?.[':p'] === 'CONFIG#escalation') {
      reads.push('config/escalation');
      return { Items: [{ pk: 'CONFIG#escalation', sk: 'V#0000000002', name: 'escalation', version: 2, doc: { ...DEFAULT_CONFIG.escalation, ladderTasks }, publishedAt: '2026-09-01T00:00:00.000Z', publishedBy: 'ops' }] };
    }
    if (values?.[':p'] === 'CALENDAR') {
      reads.push('calendar');
      return { Items: [{ pk: 'CALENDAR', sk: '2026', year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }] };
    }
    if (values?.[':s'] === 'LETTER#') return reads.push('letters') && { Items: [] };
    throw new Error(`unexpected read ${JSON.stringify(command.input)}`);
  }) as never);
  return { reads, send };
}

afterEach(() => vi.restoreAllMocks());

describe('a change closing work past its grace at level 0', () => {
  // The resources bureau's task a, due 2026-09-14, completed on 2026-10-09: past its 5-working-day grace.
  const late = runningTask('a', { dueDate: '2026-09-14', light: 'red' });
  const complete = () => ladderResetAtChange({ project, today, now: nowOn(today), tasks: [doneTask('a', { dueDate: '2026-09-14' })], before: { tasks: [late], closedDue: late.dueDate, closedTask: late } });

  it("under ladderTasks 'enterprise', a department's task reads the ladder's configuration only (it says what is watched), and owes nothing", async () => {
    const { reads } = store('enterprise');
    expect(await complete()).toBeUndefined();
    expect(reads).toEqual(['config/escalation']);
  });

  it("under 'all' it reads the configuration, the calendar and the letters, and records the rung owed, then the reset", async () => {
    const { reads } = store('all');
    const reset = await complete();
    expect([...reads].sort()).toEqual(['calendar', 'calendar stamp', 'config/escalation', 'letters']);
    expect(reset?.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect(reset?.project.escalation).toMatchObject({ level: 0, name: 'NONE' });
  });

  it("under 'enterprise', the enterprise's own task is watched as before: read and owed", async () => {
    const { reads } = store('enterprise');
    const own = runningTask('start', { dueDate: '2026-09-14', light: 'red', lead: 'enterprise' });
    const reset = await ladderResetAtChange({ project, today, now: nowOn(today), tasks: [doneTask('start', { dueDate: '2026-09-14', lead: 'enterprise' })], before: { tasks: [own], closedDue: own.dueDate, closedTask: own } });
    expect([...reads].sort()).toEqual(['calendar', 'calendar stamp', 'config/escalation', 'letters']);
    expect(reset?.events.map((e) => e.action)).toEqual(['escalation.raised', 'escalation.reset']);
  });
});
