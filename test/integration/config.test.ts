// GET/PUT /config/{name} — the zone's configuration (responsibility matrix 责任矩阵, escalation ladder, lights,
// classification thresholds): versioned, published by ops with If-Match, old versions kept, checked before use.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('config');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date('2026-01-05T00:00:00Z'));
});
afterAll(() => store.destroy());

type Config = { name: string; version: number; doc: Record<string, unknown>; publishedAt: string; publishedBy: string; note?: string };

const get = (name: string, query: Record<string, string> = {}, as: User = users.supervisionOfficer) =>
  call<Config>(getConfig, apiEvent('GET /config/{name}', { as, params: { name }, query }));
const put = (name: string, body: unknown, opts: { ifMatch?: string; as?: User } = {}) =>
  call<Config>(
    putConfig,
    apiEvent('PUT /config/{name}', {
      as: opts.as ?? users.opsEngineer,
      params: { name },
      body,
      headers: opts.ifMatch === undefined ? {} : { 'if-match': opts.ifMatch },
    }),
  );

/** The versions of a configuration kept in the reference table, oldest first. */
async function storedVersions(name: string): Promise<number[]> {
  const out = await store.doc.send(
    new QueryCommand({
      TableName: store.tables.TABLE_REFERENCE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `CONFIG#${name}` },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => i.version as number);
}

/** A mutable copy of the default matrix to break on purpose. */
type EditableMatrix = { tasks: { code: string; lead: string; after: string[] }[] };
const editableMatrix = () => structuredClone(DEFAULT_CONFIG.matrix) as unknown as EditableMatrix;

/** The current version of a configuration, read through the API. */
const currentVersion = async (name: string) => (await get(name)).body.version;

describe('reading the configuration in force', () => {
  it('serves the seeded responsibility matrix as version 1, with ETag "1"', async () => {
    const reply = await get('matrix');

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"1"');
    expect(reply.body).toMatchObject({ name: 'matrix', version: 1, publishedBy: 'seed', publishedAt: '2026-01-05T00:00:00.000Z' });
    expect(reply.body.doc).toEqual(DEFAULT_CONFIG.matrix);
  });

  it('lets a park service center read it (staff)', async () => {
    const reply = await get('matrix', {}, users.huitongParkCenter);

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'matrix', version: 1 });
  });

  it('refuses an enterprise (403)', async () => {
    const reply = await get('matrix', {}, users.enterpriseA);

    expectProblem(reply, 403);
  });

  it('refuses an unknown configuration name (400 naming it)', async () => {
    const reply = await get('holidays');

    expectProblem(reply, 400, ['path.name']);
  });
});

describe('publishing a configuration version', () => {
  it('publishes version + 1 with If-Match, and keeps the old version stored', async () => {
    const from = await currentVersion('lights');

    const reply = await put('lights', { doc: { yellowBeforeWd: 5 }, note: '提前5个工作日亮黄灯' }, { ifMatch: `"${from}"` });

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe(`"${from + 1}"`);
    expect(reply.body).toMatchObject({ name: 'lights', version: from + 1, doc: { yellowBeforeWd: 5 }, publishedBy: users.opsEngineer.sub });
    // Said, not refused: the matrix's tasks of 5 working days or less are yellow from the day they start.
    expect((reply.body as unknown as { warnings: string[] }).warnings).toEqual([expect.stringMatching(/^\d+ task\(s\) of the matrix in force are yellow from the day they start \(a limit within 5 working days\): .*预选址 5 WD/)]);
    expect(await storedVersions('lights')).toEqual(Array.from({ length: from + 1 }, (_, i) => i + 1));
    const none = await put('lights', { doc: { yellowBeforeWd: 0 } }, { ifMatch: `"${from + 1}"` });
    expect(none.body).not.toHaveProperty('warnings');
  });

  it('publishes nothing when the document in force is sent again: the version in force answers, said in x-config-unchanged; no audit, nothing recomputed', async () => {
    const from = await currentVersion('lights');
    const inForce = (await get('lights')).body;
    const before = await store.snapshot();
    const again = await put('lights', { doc: inForce.doc, note: '再次发布' }, { ifMatch: `"${from}"` });
    expect(again.status, again.text).toBe(200);
    expect(again.headers).toMatchObject({ etag: `"${from}"`, 'x-config-unchanged': 'true', 'x-projects-recomputing': '0' });
    expect(again.body).toMatchObject({ version: from, doc: inForce.doc });
    // Nothing but the idempotency table is written (nothing at all without a key).
    expect(await store.snapshot()).toEqual(before);
    // Still guarded: a stale If-Match is refused as for any publication.
    expect((await put('lights', { doc: inForce.doc }, { ifMatch: `"${from - 1}"` })).status).toBe(412);
    // Its Idempotency-Key is kept: the same key with another document is refused (422), not published.
    const keyed = (doc: unknown) => call<Config>(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'lights' }, body: { doc }, headers: { 'if-match': `"${from}"`, 'idempotency-key': 'same-doc-key' } }));
    expect((await keyed(inForce.doc)).headers).toMatchObject({ 'x-config-unchanged': 'true' });
    expect((await keyed({ ...inForce.doc, yellowBeforeWd: Number(inForce.doc.yellowBeforeWd) + 2 })).status).toBe(422);
    expect((await get('lights')).body.version).toBe(from);
    // One field changed: published as usual.
    const changed = await put('lights', { doc: { ...inForce.doc, yellowBeforeWd: Number(inForce.doc.yellowBeforeWd) + 1 } }, { ifMatch: `"${from}"` });
    expect(changed.headers).not.toHaveProperty('x-config-unchanged');
    expect(changed.body.version).toBe(from + 1);
  });

  it('serves the newly published version to the next reader', async () => {
    const from = await currentVersion('recurring');
    const doc = { ...DEFAULT_CONFIG.recurring, stalledAfterWd: 15 };
    await put('recurring', { doc }, { ifMatch: `"${from}"` });

    const reply = await get('recurring');

    expect(reply.body).toMatchObject({ version: from + 1, doc: { stalledAfterWd: 15 } });
  });

  it('records the publication in the audit log with the note', async () => {
    const from = await currentVersion('escalation');
    const doc = { ...DEFAULT_CONFIG.escalation, departmentNoticeThreshold: 4 };

    await put('escalation', { doc, note: '通报门槛调整为4次' }, { ifMatch: `"${from}"` });

    const events = await store.audit('CONFIG#escalation');
    expect(events.at(-1)).toMatchObject({
      action: 'config.published',
      actor: users.opsEngineer.sub,
      // What changed, before and after (全程可溯): the one field, not the whole document.
      before: { version: from, doc: { departmentNoticeThreshold: DEFAULT_CONFIG.escalation.departmentNoticeThreshold } },
      after: { version: from + 1, note: '通报门槛调整为4次', changed: ['departmentNoticeThreshold'], doc: { departmentNoticeThreshold: 4 } },
    });
  });

  it('reads an earlier version back exactly as published (?version=N; 0 the built-in default), and 404s one never published', async () => {
    const from = await currentVersion('limits');
    const first = { ...DEFAULT_CONFIG.limits, openItemsPerProject: 150 };
    await put('limits', { doc: first, note: '在办事项上限150' }, { ifMatch: `"${from}"` });
    const changed = await put('limits', { doc: { ...first, deficiencyWindowWd: 25 } }, { ifMatch: `"${from + 1}"` });
    expect(changed.status, changed.text).toBe(200);
    const old = await get('limits', { version: String(from + 1) });
    expect(old.status, old.text).toBe(200);
    expect(old.headers.etag).toBe(`"${from + 1}"`);
    expect(old.body).toMatchObject({ version: from + 1, doc: first, note: '在办事项上限150' });
    expect((await get('limits', { version: '0' })).body).toMatchObject({ version: 0, doc: DEFAULT_CONFIG.limits, publishedBy: 'built-in default' });
    expect((await get('limits')).body).toMatchObject({ version: from + 2 });
    expectProblem(await get('limits', { version: String(from + 3) }), 404);
    expectProblem(await get('limits', { version: '-1' }), 400, ['query.version']);
    expectProblem(await get('limits', { version: '01' }), 400, ['query.version']);
  });

  it('applies new classification thresholds to projects created afterwards (10亿 → 20亿)', async () => {
    const from = await currentVersion('classification');
    const raised = await put(
      'classification',
      { doc: { ...DEFAULT_CONFIG.classification, majorMinCny: 2_000_000_000 } },
      { ifMatch: `"${from}"` },
    );
    expect(raised.status).toBe(200);

    const created = await call(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 1_200_000_000 }) }));

    expect(created.body).toMatchObject({ category: 'standard', dedicatedTeam: null });
    expect(created.body.categoryReason).toMatch(/^总投资12亿元 ≥ 1亿元：一般项目/);
  });

  it('requires If-Match (428) and publishes nothing', async () => {
    const before = await storedVersions('lights');

    const reply = await put('lights', { doc: { yellowBeforeWd: 2 } });

    expectProblem(reply, 428);
    expect(await storedVersions('lights')).toEqual(before);
  });

  it('refuses a stale If-Match (412) and publishes nothing', async () => {
    const from = await currentVersion('lights');
    await put('lights', { doc: { yellowBeforeWd: 4 } }, { ifMatch: `"${from}"` });
    const before = await storedVersions('lights');

    const reply = await put('lights', { doc: { yellowBeforeWd: 1 } }, { ifMatch: `"${from}"` });

    expectProblem(reply, 412);
    expect(await storedVersions('lights')).toEqual(before);
  });

  it('lets only one of two operators publishing from the same version at once succeed', async () => {
    const from = await currentVersion('lights');

    const replies = await Promise.all([
      put('lights', { doc: { yellowBeforeWd: 6 } }, { ifMatch: `"${from}"` }),
      put('lights', { doc: { yellowBeforeWd: 7 } }, { ifMatch: `"${from}"` }),
    ]);

    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect([409, 412]).toContain(replies.find((r) => r.status !== 200)?.status);
    expect(await currentVersion('lights')).toBe(from + 1);
  });
});

describe('checking a configuration before publishing it', () => {
  async function refused(name: string, body: unknown, status: number, paths?: string[]) {
    const before = await store.snapshot();
    const reply = await put(name, body, { ifMatch: '"1"' });
    expectProblem(reply, status, paths);
    expect(await store.snapshot()).toEqual(before);
  }

  it('refuses a matrix task that must come after an unknown task, naming doc.tasks[1].after[0]', async () => {
    const doc = editableMatrix();
    doc.tasks[1]!.after = ['site_visit'];

    await refused('matrix', { doc }, 400, ['doc.tasks[1].after[0]']);
  });

  it('refuses matrix tasks that wait for each other (a cycle in after), naming the task', async () => {
    const doc = editableMatrix();
    doc.tasks[0]!.after = ['planning_conditions']; // pre_site_selection ⇄ planning_conditions

    const reply = await put('matrix', { doc }, { ifMatch: '"999"' });

    const problem = expectProblem(reply, 400);
    expect(problem.errors?.map((e) => e.path)).toContain('doc.tasks[0].after[0]');
  });

  it('refuses a matrix task led by a department that does not exist, naming doc.tasks[0].lead', async () => {
    const doc = editableMatrix();
    doc.tasks[0]!.lead = 'mayor_office';

    await refused('matrix', { doc }, 400, ['doc.tasks[0].lead']);
  });

  it('refuses two tasks with the same code', async () => {
    const doc = editableMatrix();
    doc.tasks[1]!.code = doc.tasks[0]!.code;

    const reply = await put('matrix', { doc }, { ifMatch: '"1"' });

    const problem = expectProblem(reply, 400);
    expect(problem.errors).toEqual(expect.arrayContaining([{ path: 'doc.tasks[1].code', code: 'duplicate', message: 'duplicate task code' }]));
  });

  it('refuses a standard threshold at or above the major threshold, naming doc.standardMinCny', async () => {
    const doc = { ...DEFAULT_CONFIG.classification, standardMinCny: 1_000_000_000, majorMinCny: 1_000_000_000 };

    await refused('classification', { doc }, 400, ['doc.standardMinCny']);
  });

  it('refuses escalation rungs out of order, naming the rung', async () => {
    const rungs = [...DEFAULT_CONFIG.escalation.rungs];
    const doc = { ...DEFAULT_CONFIG.escalation, rungs: [rungs[1], rungs[0], ...rungs.slice(2)] };

    await refused('escalation', { doc }, 400, ['doc.rungs[0].level', 'doc.rungs[1].level']);
  });

  it("refuses a ladderTasks that is neither 'all' nor 'enterprise', naming doc.ladderTasks", async () => {
    await refused('escalation', { doc: { ...DEFAULT_CONFIG.escalation, ladderTasks: 'departments' } }, 400, ['doc.ladderTasks']);
    // The default is said in the document; a zone that aims the ladder at the enterprise's own work publishes it so.
    expect((await get('escalation')).body).toMatchObject({ doc: { ladderTasks: 'all' } });
    const from = await currentVersion('escalation');
    await put('escalation', { doc: { ...DEFAULT_CONFIG.escalation, ladderTasks: 'enterprise' }, note: '督办只针对企业自身事项' }, { ifMatch: `"${from}"` });
    expect((await get('escalation')).body).toMatchObject({ version: from + 1, doc: { ladderTasks: 'enterprise' } });
  });

  it('wakes every active lifecycle when the escalation ladder is published (a signal with its version), none when it is sent again unchanged', async () => {
    const from = await currentVersion('escalation');
    const inForce = (await get('escalation')).body.doc as Record<string, unknown>;
    const escalationSignals = async () => (await store.signals()).filter((s) => s.kind === 'escalation');
    const before = (await escalationSignals()).length;
    await put('escalation', { doc: { ...inForce, ladderTasks: inForce.ladderTasks === 'all' ? 'enterprise' : 'all' }, note: '切换督办范围' }, { ifMatch: `"${from}"` });
    expect(await escalationSignals()).toHaveLength(before + 1);
    expect((await escalationSignals()).filter((s) => s.version === from + 1)).toHaveLength(1);
    await put('escalation', { doc: (await get('escalation')).body.doc }, { ifMatch: `"${from + 1}"` });
    expect(await escalationSignals()).toHaveLength(before + 1);
  });

  it('refuses an unknown field inside the document, naming doc.red', async () => {
    await refused('lights', { doc: { yellowBeforeWd: 3, red: 1 } }, 400, ['doc.red']);
  });

  it('refuses a body without a document (400 naming doc)', async () => {
    await refused('lights', { note: '忘了带文档' }, 400, ['doc']);
  });

  it('refuses an unknown configuration name (400)', async () => {
    await refused('holidays', { doc: {} }, 400, ['path.name']);
  });

  it.each([
    ['the committee leader', users.committeeLeader],
    ['the supervision office', users.supervisionOfficer],
    ['an enterprise', users.enterpriseA],
  ] as const)('refuses %s (403) and publishes nothing', async (_, as) => {
    const before = await store.snapshot();

    const reply = await put('lights', { doc: { yellowBeforeWd: 9 } }, { ifMatch: '"1"', as });

    expectProblem(reply, 403);
    expect(await store.snapshot()).toEqual(before);
  });
});

describe('configuration kept by a warm function (REFERENCE_CACHE_SECONDS)', () => {
  it('reads the configuration in force once a window; ops read and publish it fresh, and a publication here forgets it', async () => {
    const { getConfig: inForce, forgetReferenceData } = await import('../../functions/reference/store/reference.ts');
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    let queries = 0;
    ddb.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    }, { step: 'initialize', name: 'countConfigQueries' });
    process.env.REFERENCE_CACHE_SECONDS = '60';
    try {
      forgetReferenceData();
      const first = await inForce('lights');
      const before = queries;
      expect((await inForce('lights')).version).toBe(first.version);
      expect(queries).toBe(before);
      // GET /config reads the table (a query), and what it shows is what PUT is checked against.
      const shown = await get('lights');
      expect(queries).toBe(before + 1);
      const published = await put('lights', { doc: { ...shown.body.doc, yellowBeforeWd: 2 }, note: 'kept test' }, { ifMatch: `"${shown.body.version}"` });
      expect(published.status).toBe(200);
      // Published in this process: the next read of the rules sees the new version at once.
      expect((await inForce('lights')).doc).toMatchObject({ yellowBeforeWd: 2 });
      // Without the window, every read queries.
      process.env.REFERENCE_CACHE_SECONDS = '0';
      const unkept = queries;
      await inForce('lights');
      await inForce('lights');
      expect(queries).toBe(unkept + 2);
    } finally {
      delete process.env.REFERENCE_CACHE_SECONDS;
      ddb.middlewareStack.remove('countConfigQueries');
    }
  });
});

describe('a matrix that leaves other configurations naming its old tasks', () => {
  it('is published, and says which 即时函告 rules and inventory task links name tasks it no longer has', async () => {
    const doc = editableMatrix();
    const rename = (from: string, to: string) => {
      for (const t of doc.tasks) {
        if (t.code === from) t.code = to;
        t.after = t.after.map((a) => (a === from ? to : a));
      }
    };
    rename('construction_permits', 'works_permits');
    rename('land_list', 'land_clearance');
    const from = await currentVersion('matrix');

    const reply = await put('matrix', { doc }, { ifMatch: `"${from}"` });

    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((reply.body as unknown as { warnings: string[] }).warnings).toEqual([
      'config/letters has 即时函告 rules for task(s) this matrix does not have (they act only for projects on an older matrix): construction_permits',
      'config/inventory links task(s) this matrix does not have to reservations (only for projects on an older matrix): land_list',
    ]);
    // The default matrix again: nothing to say.
    const back = await put('matrix', { doc: DEFAULT_CONFIG.matrix }, { ifMatch: `"${from + 1}"` });
    expect(back.status).toBe(200);
    expect(back.body).not.toHaveProperty('warnings');
  });
});
