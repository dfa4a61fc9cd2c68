// GET /projects/{id}/progress: the construction progress reports so far, newest first, paged — the project itself
// holds the last one only. Reports are sent through the API on a project in CONSTRUCTION under the real state machine.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
let listProgress: Handler;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
  ({ handler: listProgress } = (await import('../../functions/lifecycle/http/list-progress.ts')) as { handler: Handler });
});
afterAll(() => env?.stop());

type Report = { constructionPct: number; equipmentPct: number; note?: string; reportedOn: string; reportedAt: string; reportedBy?: { name: string; roles: string[] } };
type Page = { items: Report[]; nextCursor: string | null };

const staff = { sub: 'u-leader', name: '分管领导', roles: ['committee_leader'] } as const;
const enterpriseOf = (enterprise: string) => ({ sub: `u-${enterprise}`, name: '企业联系人', roles: ['enterprise'], enterprise }) as const;
const read = (id: string, as: object, query: Record<string, string> = {}) => call<Page>(listProgress, apiEvent('GET /projects/{id}/progress', { as: as as never, params: { id }, query }));

/** A project in CONSTRUCTION whose lifecycle runs, with the reports sent (construction %, equipment %) oldest first. */
async function reported(reports: readonly (readonly [number, number])[]) {
  const { project, executionName, input } = await env.activeProject('land', {}, 'CONSTRUCTION');
  const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
  await env.workflow.startExecution(executionName, input);
  await until(async () => (await api.tasks()).find((t) => t.code === 'progress_meeting'));
  for (const [construction, equipment] of reports) expect((await api.progress(construction, equipment)).status).toBe(200);
  return project;
}

describe('GET /projects/{id}/progress', () => {
  it('lists every report, newest first, a page at a time, each with its figures, day, instant and sender', async () => {
    const project = await reported([[10, 0], [20, 5], [35, 10], [50, 20], [65, 40]]);

    const first = await read(project.id, staff, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.items.map((r) => r.constructionPct)).toEqual([65, 50]);
    expect(first.body.items[0]).toMatchObject({ equipmentPct: 40, reportedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), reportedAt: expect.any(String), reportedBy: { name: 'enterprise', roles: ['enterprise'] } });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await read(project.id, staff, { limit: '2', cursor: first.body.nextCursor! });
    expect(second.body.items.map((r) => r.constructionPct)).toEqual([35, 20]);
    const third = await read(project.id, staff, { limit: '2', cursor: second.body.nextCursor! });
    expect(third.body.items.map((r) => r.constructionPct)).toEqual([10]);
    expect(third.body.nextCursor).toBeNull();
    // The newest is the one the project shows.
    const all = await read(project.id, staff);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.items.map((r) => r.reportedAt)).toEqual([...all.body.items.map((r) => r.reportedAt)].sort().reverse());
  });

  it('shows the investing enterprise its reports without naming who sent them; another enterprise learns nothing (404)', async () => {
    const project = await reported([[15, 5]]);

    const own = await read(project.id, enterpriseOf(project.investor.enterpriseId));
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(1);
    expect(own.body.items[0]).not.toHaveProperty('reportedBy');
    expectProblem(await read(project.id, enterpriseOf('ent-someone-else')), 404);
    expectProblem(await read('prj-nobody', staff), 404);
  });

  it('a project with no report lists none; a bad limit or another list’s cursor is a 400 naming the parameter', async () => {
    const project = await reported([]);
    expect((await read(project.id, staff)).body).toEqual({ items: [], nextCursor: null });
    expectProblem(await read(project.id, staff, { limit: '0' }), 400, ['query.limit']);
    const other = await reported([[1, 0], [2, 0]]);
    const cursor = (await read(other.id, staff, { limit: '1' })).body.nextCursor!;
    expectProblem(await read(project.id, staff, { cursor }), 400, ['query.cursor']);
  });

  it('a page reads a bounded number of events however rare the reports: short (even empty) with a cursor, then the rest', async () => {
    const { SUBJECT_ACTION_BATCH, SUBJECT_ACTION_READS } = await import('../../functions/kernel/store/audit.ts');
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const project = await reported([[12, 3]]);
    // More events of other actions after the report than one page reads.
    const later = Date.now() + 60_000;
    const others = SUBJECT_ACTION_BATCH * SUBJECT_ACTION_READS + 10;
    for (let i = 0; i < others; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, others - i) }, (_, j) => {
          const at = new Date(later + (i + j) * 1000).toISOString();
          return ddb.send(new PutCommand({ TableName: process.env.TABLE_AUDIT, Item: { subject: `PROJECT#${project.id}`, seq: `${at}#x${i + j}`, id: `x${i + j}`, at, actor: 'system:workflow', actorName: 'zoneflow workflow', roles: [], action: 'task.light', before: {}, after: {} } }));
        }),
      );
    }

    const first = await read(project.id, staff);
    expect(first.body.items).toEqual([]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await read(project.id, staff, { cursor: first.body.nextCursor! });
    expect(second.body.items.map((r) => r.constructionPct)).toEqual([12]);
  });
});
