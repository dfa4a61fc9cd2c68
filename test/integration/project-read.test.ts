// GET /projects/{id}: staff and the investing enterprise read a project; nobody else learns that it exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('read');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: getTimeline } = await import('../../functions/projects/http/get-timeline.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

type Project = Record<string, unknown> & { id: string; version: number };

/** A new project of enterprise ent-a in 汇通产业园. */
async function projectOfEntA(): Promise<Project> {
  const reply = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
  expect(reply.status).toBe(201);
  return reply.body;
}

const read = (id: string, as: User | null) => call<Project>(getProject, apiEvent('GET /projects/{id}', { as, params: { id } }));

describe('reading a project', () => {
  it('shows staff the project with its stage, status, light, escalation and version, and an ETag', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.supervisionOfficer);

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({
      id: project.id,
      park: PARK_HUITONG,
      stage: 'SIGNING',
      stageLabel: '招商签约',
      status: 'PENDING_ADMISSION',
      light: 'green',
      escalation: { level: 0 },
      version: 1,
    });
  });

  it('answers exactly what the creation answered, and its current gate (none before admission: null)', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.investmentOfficer);

    // The creation's answer carries no gate at all (it was read by no one), rather than a gate that exists as null.
    expect(project).not.toHaveProperty('gate');
    // The read adds its park's English name (the parks configuration's; the creation answers the record as written).
    expect(reply.body).toEqual({ ...project, parkEn: 'Huitong Industrial Park', gate: null });
  });

  it('shows the investing enterprise its own project', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.enterpriseA);

    expect(reply.status).toBe(200);
    expect(reply.body.id).toBe(project.id);
  });

  it('shows the park service center of the project’s park the project', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.huitongParkCenter);

    expect(reply.status).toBe(200);
  });

  it('answers 404 to another enterprise, as if the project did not exist', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.enterpriseB);

    const problem = expectProblem(reply, 404);
    expect(problem.detail).toBe(`No project ${project.id}`);
  });

  it('answers 404 to the park service center of another park', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, users.kechuangParkCenter);

    expectProblem(reply, 404);
  });

  it('answers the same 404 for a project that does not exist', async () => {
    const reply = await read('prj-does-not-exist', users.supervisionOfficer);

    const problem = expectProblem(reply, 404);
    expect(problem.detail).toBe('No project prj-does-not-exist');
  });

  it('refuses a malformed project id (400 naming the id)', async () => {
    const reply = await read('PROJECT#1', users.supervisionOfficer);

    expectProblem(reply, 400, ['path.id']);
  });

  it('refuses a valid token carrying no role this API knows as forbidden (403), on any route alike', async () => {
    const project = await projectOfEntA();
    for (const roles of [[], ['admin']]) {
      const nobody = { sub: 'u-nobody', name: '无角色', roles: roles as never };
      expectProblem(await read(project.id, nobody), 403);
      expectProblem(await call(listProjects, apiEvent('GET /projects', { as: nobody })), 403);
    }
  });

  it('refuses a request without a token (401)', async () => {
    const project = await projectOfEntA();

    const reply = await read(project.id, null);

    expectProblem(reply, 401);
  });
});

type Timeline = { items: { action: string; at: string; after: Record<string, unknown> }[]; nextCursor: string | null };
const timeline = (id: string, query: Record<string, string> = {}, as: User = users.disciplineInspector) =>
  call<Timeline>(getTimeline, apiEvent('GET /projects/{id}/timeline', { as, params: { id }, query }));

/** A project created and then renamed twice: three audit events. */
async function projectWithThreeEvents(): Promise<Project> {
  const project = await projectOfEntA();
  for (const [i, name] of ['一次更名', '二次更名'].entries()) {
    const reply = await call(
      updateProject,
      apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id: project.id }, body: { name }, headers: { 'if-match': `"${i + 1}"` } }),
    );
    expect(reply.status).toBe(200);
  }
  return project;
}

describe('who may edit comes before the version', () => {
  it('tells a department that may not edit the project so (403), whatever If-Match it sends, and the editor a stale one (412)', async () => {
    const project = await projectWithThreeEvents();
    const patch = (as: User, version: string) => call(updateProject, apiEvent('PATCH /projects/{id}', { as, params: { id: project.id }, body: { name: '改名' }, headers: { 'if-match': `"${version}"` } }));
    expectProblem(await patch(users.scitechOfficer, '1'), 403);
    expectProblem(await patch(users.scitechOfficer, '3'), 403);
    expectProblem(await patch(users.investmentOfficer, '1'), 412);
  });
});

describe('reading the timeline of a project', () => {
  it('lists the audit events oldest first', async () => {
    const project = await projectWithThreeEvents();

    const reply = await timeline(project.id);

    expect(reply.status).toBe(200);
    expect(reply.body.items.map((e) => e.action)).toEqual(['project.created', 'project.updated', 'project.updated']);
    expect(reply.body.items.map((e) => e.after.name)).toEqual(['示例新能源汽车零部件项目', '一次更名', '二次更名']);
    expect(reply.body.nextCursor).toBeNull();
  });

  it('pages through the events one by one without losing or repeating one', async () => {
    const project = await projectWithThreeEvents();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;

    do {
      const reply = await timeline(project.id, cursor ? { limit: '1', cursor } : { limit: '1' });
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((e) => `${e.action}:${String(e.after.name)}`));
      cursor = reply.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen).toEqual(['project.created:示例新能源汽车零部件项目', 'project.updated:一次更名', 'project.updated:二次更名']);
  });

  it('refuses a cursor of the project ledger on a timeline (400 naming cursor)', async () => {
    const project = await projectWithThreeEvents();
    const ledgerCursor = Buffer.from(JSON.stringify({ i: 'byLedger', k: { pk: 'a', sk: 'b', gsiLedger: 'ALL', gsiLedgerSk: 'c' } })).toString('base64url');

    const reply = await timeline(project.id, { cursor: ledgerCursor });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it('refuses a cursor taken from another project’s timeline (400, not 500)', async () => {
    const a = await projectWithThreeEvents();
    const b = await projectWithThreeEvents();
    const pageOfA = await timeline(a.id, { limit: '1' });
    expect(pageOfA.body.nextCursor).toEqual(expect.any(String));

    const reply = await timeline(b.id, { limit: '1', cursor: pageOfA.body.nextCursor ?? '' });

    expectProblem(reply, 400, ['query.cursor']);
  });

  it('is readable by the discipline office (纪检监察)', async () => {
    const project = await projectOfEntA();

    const reply = await timeline(project.id, {}, users.disciplineInspector);

    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(1);
  });

  it('shows the investing enterprise its milestones only: no staff ids, admission reasons or comments', async () => {
    const project = await projectOfEntA();

    const reply = await call<{ items: Record<string, unknown>[] }>(getTimeline, apiEvent('GET /projects/{id}/timeline', { as: users.enterpriseA, params: { id: project.id } }));

    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([{ at: expect.any(String), action: 'project.created', label: '项目登记', details: {} }]);
    expect(reply.text).not.toMatch(/u-invest|actor|categoryReason|roles/);
  });

  it('answers 404 to another enterprise', async () => {
    const project = await projectOfEntA();
    expectProblem(await call(getTimeline, apiEvent('GET /projects/{id}/timeline', { as: users.enterpriseB, params: { id: project.id } })), 404);
  });

  it('answers 404 to the park service center of another park', async () => {
    const project = await projectOfEntA();

    const reply = await call(getTimeline, apiEvent('GET /projects/{id}/timeline', { as: users.kechuangParkCenter, params: { id: project.id } }));

    expectProblem(reply, 404);
  });
});

describe('reading many projects by key', () => {
  it('keeps at most BATCH_GETS_IN_FLIGHT BatchGetItem calls at once, and still reads every project asked for', async () => {
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const { BATCH_GETS_IN_FLIGHT, getProjectItems } = await import('../../functions/projects/store/projects.ts');
    const made = [await projectOfEntA(), await projectOfEntA()];
    // 20 batches of 100 keys: the two projects in the last and in the first, the rest ids nobody has.
    const keys = Array.from({ length: 2000 }, (_, i) => ({ pk: `PROJECT#missing-${i}`, sk: 'PROJECT' }));
    keys[0] = { pk: `PROJECT#${made[0]!.id}`, sk: 'PROJECT' };
    keys[1999] = { pk: `PROJECT#${made[1]!.id}`, sk: 'PROJECT' };
    let inFlight = 0;
    let most = 0;
    const name = 'countBatchGets';
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        if (!/^BatchGet/.test(String(context.commandName))) return next(args);
        most = Math.max(most, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
        }
      },
      { step: 'initialize', name },
    );
    try {
      const read = await getProjectItems(keys, true);
      expect(read.calls).toBe(20);
      expect(read.items.map((i) => i.id).sort()).toEqual(made.map((p) => p.id).sort());
    } finally {
      ddb.middlewareStack.remove(name);
    }
    expect(most).toBe(BATCH_GETS_IN_FLIGHT);
  });
});
