// GET /projects — the ledger 台账: every filter served by its index, pagination by opaque cursor, and who sees what.
// The ledger of this file is a fixed set of eight projects in different stages, statuses, parks, tracks and lights,
// stored through the real projects adapter; the tests only read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Light, Stage, Status } from '../../functions/kernel/domain/codes.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('ledger');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');

interface Row {
  readonly key: string;
  readonly track: 'industrial' | 'scitech';
  readonly totalInvestmentCny: number;
  readonly park: string;
  readonly stage: Stage;
  readonly status: Status;
  readonly light: Light;
}

// 1e9+ is major, 1e8+ standard, below small (industry "other" so no priority upgrade).
const ROWS: readonly Row[] = [
  { key: 'P1', track: 'industrial', totalInvestmentCny: 1_500_000_000, park: '汇通产业园', stage: 'SIGNING', status: 'PENDING_ADMISSION', light: 'green' },
  { key: 'P2', track: 'industrial', totalInvestmentCny: 300_000_000, park: '汇通产业园', stage: 'LANDING', status: 'ACTIVE', light: 'yellow' },
  { key: 'P3', track: 'industrial', totalInvestmentCny: 20_000_000, park: '汇通产业园', stage: 'GROUNDBREAKING', status: 'ACTIVE', light: 'red' },
  { key: 'P4', track: 'scitech', totalInvestmentCny: 200_000_000, park: '科创城', stage: 'SIGNING', status: 'REJECTED', light: 'green' },
  { key: 'P5', track: 'scitech', totalInvestmentCny: 2_000_000_000, park: '科创城', stage: 'CONSTRUCTION', status: 'ACTIVE', light: 'red' },
  { key: 'P6', track: 'industrial', totalInvestmentCny: 150_000_000, park: '科创城', stage: 'LANDING', status: 'ACTIVE', light: 'green' },
  { key: 'P7', track: 'scitech', totalInvestmentCny: 30_000_000, park: '汇通产业园', stage: 'OPERATION', status: 'EXITED', light: 'yellow' },
  { key: 'P8', track: 'industrial', totalInvestmentCny: 1_000_000_000, park: '临港园', stage: 'PRODUCING', status: 'COMPLETED', light: 'green' },
];

/** The stored projects by row key, in creation order (P1 oldest). */
const seeded = new Map<string, Project>();
const both: User = { sub: 'seed', name: 'seed', roles: ['investment_dept', 'scitech_dept'] };

beforeAll(async () => {
  await store.createTables();
  const start = Date.parse('2026-03-02T01:00:00Z');
  for (const [i, row] of ROWS.entries()) {
    const now = new Date(start + i * 60_000);
    // P6 is another enterprise's (ent-b); the rest are ent-a's.
    const investor = row.key === 'P6' ? { investor: { name: '另一家企业', enterpriseId: 'ent-b' } } : {};
    const input = projectBody({ track: row.track, industry: 'other', totalInvestmentCny: row.totalInvestmentCny, park: row.park, ...investor });
    const base = createProject(input as unknown as Parameters<typeof createProject>[0], both, DEFAULT_CONFIG.classification, {
      id: `prj-ledger-${row.key.toLowerCase()}`,
      now,
    });
    const project: Project = { ...base, stage: row.stage, status: row.status, light: row.light };
    await transact([...insertProject(project)]);
    seeded.set(row.key, project);
  }
});
afterAll(() => store.destroy());

type Page = { items: (Record<string, unknown> & { id: string })[]; nextCursor: string | null };

const list = (query: Record<string, string> = {}, as: User = users.supervisionOfficer) =>
  call<Page>(listProjects, apiEvent('GET /projects', { as, query }));

/** Ids of the seeded projects matching `predicate`, newest first (the ledger order). */
const expectedIds = (predicate: (row: Row, p: Project) => boolean) =>
  ROWS.filter((row) => predicate(row, seeded.get(row.key)!))
    .map((row) => seeded.get(row.key)!.id)
    .reverse();

const ids = (page: Page) => page.items.map((p) => p.id);

describe('the project ledger (台账)', () => {
  it('lists every project, newest first', async () => {
    const reply = await list();

    expect(reply.status).toBe(200);
    expect(ids(reply.body)).toEqual(expectedIds(() => true));
    expect(reply.body.nextCursor).toBeNull();
  });

  it('shows each project with its stage label, category, light and version', async () => {
    const reply = await list({ park: '临港园' });

    expect(reply.body.items).toEqual([
      expect.objectContaining({ id: 'prj-ledger-p8', stage: 'PRODUCING', stageLabel: '达产达效', status: 'COMPLETED', category: 'major', light: 'green', version: 1 }),
    ]);
  });

  it.each([
    { filter: 'stage', value: 'LANDING', field: 'stage' },
    { filter: 'status', value: 'ACTIVE', field: 'status' },
    { filter: 'park', value: '科创城', field: 'park' },
    { filter: 'track', value: 'scitech', field: 'track' },
    { filter: 'category', value: 'major', field: 'category' },
    { filter: 'light', value: 'red', field: 'light' },
    { filter: 'light', value: 'yellow', field: 'light' },
    { filter: 'category', value: 'small', field: 'category' },
  ] as const)('filtered by $filter=$value lists exactly the matching projects', async ({ filter, value, field }) => {
    const reply = await list({ [filter]: value });

    expect(reply.status).toBe(200);
    // A light filter lists the active projects only: a light is the state of work under way — none yet pending
    // admission, none any more once the case ended (completed, exited, rejected).
    const expected = expectedIds((_, p) => p[field] === value && (field !== 'light' || p.status === 'ACTIVE'));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(reply.body)).toEqual(expected);
  });

  it('answers an empty page for a stage nobody is in', async () => {
    const reply = await list({ stage: 'PRODUCING', park: '汇通产业园' });

    expect(reply.body).toEqual({ items: [], nextCursor: null });
  });

  it('combines park and status: the active projects of 汇通产业园', async () => {
    const reply = await list({ park: '汇通产业园', status: 'ACTIVE' });

    expect(ids(reply.body)).toEqual(['prj-ledger-p3', 'prj-ledger-p2']);
  });

  it('combines track, light and category: red major sci-tech projects', async () => {
    const reply = await list({ track: 'scitech', light: 'red', category: 'major' });

    expect(ids(reply.body)).toEqual(['prj-ledger-p5']);
  });

  it('lists under light=green the active projects shown green only: not one pending admission (no work yet, as the console and the export show it without a light), nor those that ended', async () => {
    const reply = await list({ light: 'green' });

    expect(ids(reply.body)).toEqual(['prj-ledger-p6']);
    expect(ids((await list({ track: 'industrial', light: 'green', category: 'major' })).body)).toEqual([]);
    expect(ids((await list({ status: 'PENDING_ADMISSION', light: 'green' })).body)).toEqual([]);
    // They are still on the ledger, with the API's light field as api.md names it.
    expect((await list({ status: 'COMPLETED' })).body.items).toEqual([expect.objectContaining({ id: 'prj-ledger-p8', light: 'green' })]);
    expect((await list({ status: 'PENDING_ADMISSION' })).body.items).toEqual([expect.objectContaining({ id: 'prj-ledger-p1', light: 'green' })]);
  });

  it('combines stage and track: sci-tech projects still in signing', async () => {
    const reply = await list({ stage: 'SIGNING', track: 'scitech' });

    expect(ids(reply.body)).toEqual(['prj-ledger-p4']);
  });
});

describe('paging through the ledger', () => {
  async function walk(query: Record<string, string>) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const reply = await list(cursor ? { ...query, cursor } : query);
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      cursor = reply.body.nextCursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it('walks all projects one by one with limit=1, without duplicates, ending with nextCursor null', async () => {
    const pages = await walk({ limit: '1' });

    const seen = pages.flatMap(ids);
    expect(seen).toEqual(expectedIds(() => true));
    expect(pages.every((p) => p.items.length <= 1)).toBe(true);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('walks a filtered list (status=ACTIVE) two by two without losing a project', async () => {
    const pages = await walk({ status: 'ACTIVE', limit: '2' });

    expect(pages.flatMap(ids)).toEqual(expectedIds((row) => row.status === 'ACTIVE'));
    expect(pages[0]?.items).toHaveLength(2);
  });

  it('walks a list whose filter skips projects (park + light) without losing one', async () => {
    const pages = await walk({ park: '汇通产业园', light: 'yellow', limit: '1' });

    // P7 (exited, yellow when it ended) and P3 (red) are passed over.
    expect(pages.flatMap(ids)).toEqual(['prj-ledger-p2']);
  });

  it('returns at most `limit` projects and a cursor to the rest', async () => {
    const reply = await list({ limit: '3' });

    expect(reply.body.items).toHaveLength(3);
    expect(typeof reply.body.nextCursor).toBe('string');
  });

  it('refuses a tampered cursor (400 naming cursor)', async () => {
    const reply = await list({ cursor: 'not-a-cursor' });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it('refuses a cursor of another list (a park ledger cursor on the whole ledger)', async () => {
    const parkPage = await list({ park: '汇通产业园', limit: '1' });
    expect(parkPage.body.nextCursor).toEqual(expect.any(String));

    const reply = await list({ cursor: parkPage.body.nextCursor ?? '' });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it("refuses another user's cursor, even for the very same list", async () => {
    const mine = await list({ limit: '1' }, users.supervisionOfficer);
    expect(mine.body.nextCursor).toEqual(expect.any(String));

    expectProblem(await list({ limit: '1', cursor: mine.body.nextCursor ?? '' }, users.committeeLeader), 400, ['query.cursor']);
  });

  it('hands out opaque cursors: no project id, park or key can be read from one', async () => {
    const page = await list({ park: '汇通产业园', limit: '1' });
    const decoded = Buffer.from((page.body.nextCursor ?? '').slice(2), 'base64url').toString('latin1');
    expect(decoded).not.toMatch(/prj-|PROJECT|汇通|gsi/);
  });

  it('refuses a cursor edited to name an unknown key', async () => {
    const forged = Buffer.from(JSON.stringify({ i: 'byLedger', k: { pk: 'x', sk: 'y', gsiLedger: 'ALL', admin: 'true' } })).toString('base64url');

    const reply = await list({ cursor: forged });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it('refuses a cursor whose key values were changed to numbers (400, not 500)', async () => {
    const forged = Buffer.from(JSON.stringify({ i: 'byLedger', k: { pk: 1, sk: 2, gsiLedger: 3, gsiLedgerSk: 4 } })).toString('base64url');

    const reply = await list({ cursor: forged });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it('refuses a cursor taken from another filter value (stage=SIGNING cursor on stage=LANDING)', async () => {
    const signing = await list({ stage: 'SIGNING', limit: '1' });
    expect(signing.body.nextCursor).toEqual(expect.any(String));

    const reply = await list({ stage: 'LANDING', cursor: signing.body.nextCursor ?? '' });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it.each(['0', '101', '-1', '1.5', 'twenty'])('refuses limit=%s (1–100 only)', async (limit) => {
    const reply = await list({ limit });

    expectProblem(reply, 400, ['query.limit']);
  });

  it('accepts limit=100', async () => {
    const reply = await list({ limit: '100' });

    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(ROWS.length);
  });

  it('refuses an unknown filter instead of ignoring it', async () => {
    const reply = await list({ region: '东区' });

    expectProblem(reply, 400, ['query.region']);
  });

  it('refuses a stage that does not exist', async () => {
    const reply = await list({ stage: 'DONE' });

    expectProblem(reply, 400, ['query.stage']);
  });
});

describe('who sees which ledger', () => {
  it('shows a park service center only the projects of its own park', async () => {
    const reply = await list({}, users.huitongParkCenter);

    expect(reply.status).toBe(200);
    expect(ids(reply.body)).toEqual(expectedIds((row) => row.park === '汇通产业园'));
  });

  it('keeps other filters within the park for a park service center', async () => {
    const reply = await list({ status: 'ACTIVE' }, users.kechuangParkCenter);

    expect(ids(reply.body)).toEqual(['prj-ledger-p6', 'prj-ledger-p5']);
  });

  it('refuses a park service center asking for another park (403)', async () => {
    const reply = await list({ park: '汇通产业园' }, users.kechuangParkCenter);

    // On the filter that asks for it (a form puts it beside the park).
    expectProblem(reply, 403, ['query.park']);
  });

  it('refuses a park service center whose token names no park (403)', async () => {
    const reply = await list({}, { sub: 'u-park-x', name: '无园区', roles: ['park_center'] });

    expectProblem(reply, 403);
  });

  it('shows the discipline office (纪检监察) the whole zone', async () => {
    const reply = await list({}, users.disciplineInspector);

    expect(ids(reply.body)).toEqual(expectedIds(() => true));
  });

  it('shows an enterprise its own projects only, in its view, whatever it filters by', async () => {
    const mine = await list({}, users.enterpriseA);
    expect(mine.status).toBe(200);
    expect(ids(mine.body)).toEqual(expectedIds((_, p) => p.investor.enterpriseId === 'ent-a'));
    // The enterprise's view: no classification reasoning, no internal fields.
    expect(mine.body.items[0]).not.toHaveProperty('categoryReason');
    expect(ids((await list({ park: '科创城' }, users.enterpriseB)).body)).toEqual([seeded.get('P6')!.id]);
    expect(ids((await list({ stage: 'SIGNING' }, users.enterpriseB)).body)).toEqual([]);
    // A token naming no enterprise gets nothing.
    expectProblem(await list({}, { sub: 'u-ent-x', name: '无企业', roles: ['enterprise'] }), 403);
  });

  it('refuses a request without a token (401)', async () => {
    const reply = await call(listProjects, apiEvent('GET /projects', {}));

    expectProblem(reply, 401);
  });
});
