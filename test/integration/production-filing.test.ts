// POST /projects/{id}/production: a quarter is filed once. Ten filings of one quarter at once — the enterprise and its
// park center, with different figures — all answered 200, each showing its own figures, while the last to commit
// silently replaced the others (seen live by helper-97). Now one is taken, the others are 409 on `quarter`, and a
// correction replaces filed figures only on the version its sender read (If-Match; 412 when stale).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleEnv } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
let report: Handler;
let getProject: Handler;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
  ({ handler: report } = (await import('../../functions/lifecycle/http/report-production.ts')) as { handler: Handler });
  ({ handler: getProject } = (await import('../../functions/projects/http/get-project.ts')) as { handler: Handler });
});
afterAll(() => env?.stop());

type Figures = { outputValueCny: number; taxCny: number; jobs: number };
type Reply = { version: number; production: Record<string, Figures> | null; errors?: { path: string; code: string }[] };

describe('filing a quarter of production figures', () => {
  it('takes one of ten filings at once; the others are 409; a correction needs the version read', async () => {
    const { project } = await env.activeProject('land', { targets: { outputValueCny: 4_000, taxCny: 400, jobs: 50 } }, 'OPERATION');
    const enterprise = { sub: 'u-ent', name: '企业', roles: ['enterprise'], enterprise: project.investor.enterpriseId } as const;
    const park = { sub: 'u-park', name: '园区', roles: ['park_center'], park: project.park } as const;
    const file = (i: number, headers?: Record<string, string>) =>
      call<Reply>(report, apiEvent('POST /projects/{id}/production', { as: (i % 2 ? enterprise : park) as never, params: { id: project.id }, body: { quarter: '2026Q3', outputValueCny: 1_000 + i, taxCny: 100, jobs: 10 + i }, headers }));
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => file(i)));
    const taken = replies.filter((r) => r.status === 200);
    expect(taken).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.errors).toEqual([expect.objectContaining({ path: 'quarter', code: 'state' })]);
    }
    const stored = async () => (await call<Reply>(getProject, apiEvent('GET /projects/{id}', { as: { sub: 'u-l', name: 'l', roles: ['committee_leader'] } as never, params: { id: project.id } }))).body;
    const filed = await stored();
    expect(filed.production).toEqual({ '2026Q3': taken[0]!.body.production!['2026Q3'] });

    // A correction on the version read replaces the figures; one on a version read before it is 412, nothing written.
    const corrected = await file(8, { 'if-match': `"${filed.version}"` });
    expect(corrected.status).toBe(200);
    expect(corrected.body.production).toEqual({ '2026Q3': { outputValueCny: 1_008, taxCny: 100, jobs: 18 } });
    expect((await file(9, { 'if-match': `"${filed.version}"` })).status).toBe(412);
    expect((await stored()).production).toEqual({ '2026Q3': { outputValueCny: 1_008, taxCny: 100, jobs: 18 } });
  });
});
