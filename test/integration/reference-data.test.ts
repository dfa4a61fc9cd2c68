// Reference data is always present: the bootstrap that every local start and every deploy runs loads the calendar
// 2004–2026, configuration v1 and the cursor key where they are missing — never over what ops loaded — and answers
// CloudFormation as a custom resource. The audit log is append-only in fact: an overwrite fails.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users } from '../support/events.ts';

const store = isolatedStore('reference-data');
const { ensureReferenceData, handler: customResource } = await import('../../functions/reference/deploy/bootstrap-reference.ts');
const { handler: getCalendar } = await import('../../functions/reference/http/get-calendar.ts');
const { handler: putCalendar } = await import('../../functions/reference/http/put-calendar.ts');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { transact, ConditionFailed } = await import('../../functions/kernel/store/client.ts');
const { auditOp } = await import('../../functions/kernel/store/audit.ts');
const { CONFIG_NAMES } = await import('../../functions/kernel/domain/codes.ts');

/** A stand-in for CloudFormation's pre-signed response URL: records every PUT. */
let receiver: Server;
const responses: Record<string, unknown>[] = [];
let responseUrl = '';
beforeAll(async () => {
  await store.createTables();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      responses.push({ method: req.method, contentType: req.headers['content-type'] ?? null, ...(JSON.parse(body) as Record<string, unknown>) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const address = receiver.address();
  responseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/response?X-Amz-Signature=x`;
});
afterAll(() => {
  receiver?.close();
  store.destroy();
});

const cfnEvent = (RequestType: 'Create' | 'Update' | 'Delete') => ({ RequestType, ResponseURL: responseUrl, StackId: 'arn:aws:cloudformation:ap-east-1:1:stack/Zoneflow/1', RequestId: `req-${RequestType}`, LogicalResourceId: 'ReferenceData' });

describe('the reference-data bootstrap', () => {
  it('on a fresh store (as a deploy creating the stack) loads the calendar, configuration v1 and the cursor key, and answers CloudFormation', async () => {
    expect((await call(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }))).status).toBe(404);

    await customResource(cfnEvent('Create'));

    expect(responses.at(-1)).toMatchObject({ method: 'PUT', contentType: '', Status: 'SUCCESS', RequestId: 'req-Create', LogicalResourceId: 'ReferenceData', PhysicalResourceId: 'zoneflow-reference-data', Data: { calendarYears: '23' } });
    const calendar = await call<{ holidays: string[]; workdays: string[]; source: string }>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }));
    expect(calendar.status).toBe(200);
    // Mid-Autumn 2026 (Friday 25 September) is a holiday: due dates computed on this calendar skip it.
    expect(calendar.body).toMatchObject({ source: 'chinese-days', holidays: expect.arrayContaining(['2026-09-25', '2026-10-01']) });
    for (const name of CONFIG_NAMES) {
      const config = await call<{ version: number }>(getConfig, apiEvent('GET /config/{name}', { as: users.committeeLeader, params: { name } }));
      expect(config.body.version, name).toBe(1);
    }
    const key = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'SECRET', sk: 'cursor-key' } }));
    expect(Buffer.from(String(key.Item?.key), 'base64')).toHaveLength(32);
    expect((await store.audit('CALENDAR#2026')).map((e) => e.action)).toEqual(['calendar.seeded']);
  });

  it('never overwrites what ops loaded, nor the cursor key, when it runs again (every start, every deploy)', async () => {
    const edited = await call(putCalendar, apiEvent('PUT /calendar/{year}', { as: users.opsEngineer, params: { year: '2026' }, headers: { 'if-match': '"1"' }, body: { holidays: ['2026-01-01'], workdays: [] } }));
    expect(edited.status, edited.text).toBe(200);
    const published = await call(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'lights' }, headers: { 'if-match': '"1"' }, body: { doc: { yellowBeforeWd: 5 } } }));
    expect(published.status, published.text).toBe(200);
    const key = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'SECRET', sk: 'cursor-key' } }));
    const before = await store.snapshot();

    const report = await ensureReferenceData(new Date());
    await customResource(cfnEvent('Update'));

    expect(report).toEqual({ calendarYears: [], configs: [], cursorKeyCreated: false, parkTasksRekeyed: 0, openTasksIndexed: 0, projectsReindexed: 0, reindexFinished: true, lettersIndexed: 0, lettersIndexFinished: true, letterNumbersClaimed: 0, letterNumbersFinished: true, undatedTasksListed: 0, undatedTasksFinished: true, unreadIndexed: 0, unreadIndexFinished: true, parkCenterRecordsIndexed: 0, parkCenterRecordsFinished: true, settling: [] });
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-Update' });
    expect(await store.snapshot()).toEqual(before);
    expect((await call<{ holidays: string[]; version: number }>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }))).body).toMatchObject({ holidays: ['2026-01-01'], version: 2 });
    expect((await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'SECRET', sk: 'cursor-key' } }))).Item).toEqual(key.Item);
  });

  it('does nothing on stack deletion but answer (the tables are retained)', async () => {
    const before = await store.snapshot();
    await customResource(cfnEvent('Delete'));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-Delete' });
    expect(await store.snapshot()).toEqual(before);
  });

  it('reports a failure to CloudFormation instead of leaving the deploy hanging', async () => {
    const table = process.env.TABLE_REFERENCE;
    process.env.TABLE_REFERENCE = 'no-such-table';
    try {
      await customResource(cfnEvent('Update'));
    } finally {
      process.env.TABLE_REFERENCE = table;
    }
    expect(responses.at(-1)).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/ResourceNotFound|non-existent/) });
  });

  it('moves open park-center tasks stored under the zone-wide partition into their park', async () => {
    const item = { pk: 'PROJECT#prj-legacy-1', sk: 'TASK#LANDING.service_team', entity: 'task', id: 'LANDING.service_team', projectId: 'prj-legacy-1', stage: 'LANDING', code: 'service_team', kind: 'matrix', name: { zh: '组建服务专班', en: 'Park service team' }, lead: 'park_center', cooperating: [], handler: '', standard: '', limitWd: 3, after: [], requiredForGate: true, status: 'open', startedDate: '2026-11-02', dueDate: '2026-11-05', yellowDate: '2026-11-02', light: 'red', calendarProvisional: false, matrixVersion: 1, park: '科创城', enterpriseId: 'ent-c', gsiLead: 'park_center', gsiDue: '2026-11-05#prj-legacy-1#LANDING.service_team' };
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: item }));

    expect((await ensureReferenceData(new Date())).parkTasksRekeyed).toBe(1);

    const byLead = async (lead: string) => (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_PROJECTS, IndexName: 'byLead', KeyConditionExpression: 'gsiLead = :l', ExpressionAttributeValues: { ':l': lead } }))).Items ?? [];
    expect(await byLead('park_center')).toEqual([]);
    expect((await byLead('park_center#科创城')).map((i) => i.id)).toEqual(['LANDING.service_team']);
  });
});

describe('open tasks stored before the department and the tally indexes existed', () => {
  it('are put in them, as they are, a park center’s found through the parks the ledger names, the enterprise’s through its enterprises', async () => {
    const { toItem } = await import('../../functions/projects/store/projects.ts');
    const { createProject } = await import('../../functions/projects/domain/project.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const project = createProject({ name: '老园区项目', investor: { name: '老企业', enterpriseId: 'ent-dept' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '老园区', siteMode: 'land' }, users.investmentOfficer, DEFAULT_CONFIG.classification, { id: 'prj-dept-1', now: new Date() });
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: toItem(project) }));
    const legacy = (code: string, lead: string, lead_key: string) => ({ pk: 'PROJECT#prj-dept-1', sk: `TASK#LANDING.${code}`, entity: 'task', id: `LANDING.${code}`, projectId: 'prj-dept-1', stage: 'LANDING', code, kind: 'matrix', name: { zh: code, en: code }, lead, cooperating: [], handler: '', standard: '', limitWd: 3, after: [], requiredForGate: true, status: 'open', startedDate: '2026-11-02', dueDate: '2026-11-05', yellowDate: '2026-11-02', light: 'red', calendarProvisional: false, matrixVersion: 1, park: '老园区', enterpriseId: 'ent-dept', rev: 2, gsiLead: lead_key, gsiDue: `2026-11-05#prj-dept-1#LANDING.${code}` });
    for (const item of [legacy('service_team', 'park_center', 'park_center#老园区'), legacy('eia_guidance', 'eco_bureau', 'eco_bureau'), legacy('start_of_works', 'enterprise', 'enterprise#ent-dept')]) {
      await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: item }));
    }
    const { openTaskDueKeys: keys } = await import('../../functions/lifecycle/store/tasks.ts');
    const openTaskDueKeys = async (role: 'park_center' | 'eco_bureau' | 'enterprise') => (await keys(role)).filter((k) => k.includes('prj-dept-1'));
    expect(await openTaskDueKeys('park_center')).toEqual([]);
    expect(await openTaskDueKeys('eco_bureau')).toEqual([]);

    expect((await ensureReferenceData(new Date())).openTasksIndexed).toBe(3);

    expect(await openTaskDueKeys('park_center')).toEqual(['2026-11-05#prj-dept-1#LANDING.service_team']);
    expect(await openTaskDueKeys('eco_bureau')).toEqual(['2026-11-05#prj-dept-1#LANDING.eia_guidance']);
    expect(await openTaskDueKeys('enterprise')).toEqual([]);
    const stored = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: 'PROJECT#prj-dept-1', sk: 'TASK#LANDING.eia_guidance' } }));
    expect(stored.Item).toMatchObject({ rev: 3, light: 'red', status: 'open', gsiDept: 'eco_bureau' });
    // The park report's tally holds all three, the enterprise's own work included.
    const tally = await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_PROJECTS, IndexName: 'byTally', KeyConditionExpression: 'gsiTally = :z AND begins_with(gsiTallySk, :p)', ExpressionAttributeValues: { ':z': 'ZONE', ':p': '["老园区","T"' } }));
    expect((tally.Items ?? []).map((i) => i.gsiTallySk).sort()).toEqual(['["老园区","T","2026-11-05","eco_bureau"]', '["老园区","T","2026-11-05","enterprise"]', '["老园区","T","2026-11-05","park_center"]']);
    expect((await ensureReferenceData(new Date())).openTasksIndexed).toBe(0);
  });
});

describe('open tasks with no due date stored before they were listed in their department’s work', () => {
  it('are listed, as they are (GET /me/tasks, the department report), found through the ledger’s projects; once done, never looked for again', async () => {
    const { toItem } = await import('../../functions/projects/store/projects.ts');
    const { createProject } = await import('../../functions/projects/domain/project.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const project = createProject({ name: '达产项目', investor: { name: '老企业', enterpriseId: 'ent-undated' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'land' }, users.investmentOfficer, DEFAULT_CONFIG.classification, { id: 'prj-undated-1', now: new Date() });
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: toItem(project) }));
    // As stored before: open and started, no due date, in no index. Beside it a done one and one not started, which stay out.
    const legacy = (code: string, lead: string, over: Record<string, unknown> = {}) => ({ pk: 'PROJECT#prj-undated-1', sk: `TASK#OPERATION.${code}`, entity: 'task', id: `OPERATION.${code}`, projectId: 'prj-undated-1', stage: 'OPERATION', code, kind: 'matrix', name: { zh: code, en: code }, lead, cooperating: [], handler: '', standard: '', limitWd: null, after: [], requiredForGate: false, status: 'open', startedDate: '2026-10-12', dueDate: null, yellowDate: null, light: 'green', calendarProvisional: false, matrixVersion: 1, park: '汇通产业园', enterpriseId: 'ent-undated', rev: 1, ...over });
    for (const item of [legacy('production_figures', 'park_center'), legacy('done_work', 'eco_bureau', { status: 'done' }), legacy('later_work', 'eco_bureau', { startedDate: null })]) {
      await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: item }));
    }
    // A store of the code before: the migration not run on it (this file's earlier starts marked it done on an empty ledger).
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'undated-tasks-listed' } }));
    const { openTaskDueKeys } = await import('../../functions/lifecycle/store/tasks.ts');
    const mine = async (role: 'park_center' | 'eco_bureau') => (await openTaskDueKeys(role)).filter((k) => k.includes('prj-undated-1'));
    expect(await mine('park_center')).toEqual([]);

    expect(await ensureReferenceData(new Date())).toMatchObject({ undatedTasksListed: 1, undatedTasksFinished: true });

    expect(await mine('park_center')).toEqual(['~#prj-undated-1#OPERATION.production_figures']);
    expect(await mine('eco_bureau')).toEqual([]);
    const stored = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: 'PROJECT#prj-undated-1', sk: 'TASK#OPERATION.production_figures' } }));
    expect(stored.Item).toMatchObject({ rev: 2, status: 'open', dueDate: null, gsiLead: 'park_center#汇通产业园', gsiDept: 'park_center' });
    // In no tally (the park report counts by due date), so not rewritten again by the tally's own migration either.
    expect(stored.Item?.gsiTally).toBeUndefined();
    expect(await ensureReferenceData(new Date())).toMatchObject({ openTasksIndexed: 0, undatedTasksListed: 0, undatedTasksFinished: true });
  });
});

describe('projects stored before the ledger had its own table', () => {
  it('get their ledger entry, and lose the old index attributes, as they are (same content and version)', async () => {
    const { toItem } = await import('../../functions/projects/store/projects.ts');
    const { ledgerItem } = await import('../../functions/projects/store/ledger-entry.ts');
    const { createProject } = await import('../../functions/projects/domain/project.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
    const project = { ...createProject({ name: '旧项目', investor: { name: '旧企业', enterpriseId: 'ent-old' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '旧园区', siteMode: 'land' }, users.investmentOfficer, DEFAULT_CONFIG.classification, { id: 'prj-old-1', now: new Date() }), status: 'EXITED' as const, version: 7 };
    // The item as it was stored when the ledger's index keys were on the project item, and no ledger entry.
    const { pk: _pk, id: _id, ...entry } = ledgerItem(project);
    const legacy = { ...toItem(project), ...entry };
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: legacy }));
    const ledger = () => call<{ items: { id: string }[] }>(listProjects, apiEvent('GET /projects', { as: users.supervisionOfficer, query: { park: '旧园区', status: 'EXITED' } }));
    expect((await ledger()).body.items).toEqual([]);

    const report = await ensureReferenceData(new Date());

    expect(report).toMatchObject({ projectsReindexed: 1, reindexFinished: true });
    expect((await ledger()).body.items.map((p) => p.id)).toEqual(['prj-old-1']);
    const rewritten = await store.storedProject('prj-old-1');
    expect(rewritten).toMatchObject({ version: 7, name: '旧项目', gsiTally: 'ZONE', gsiTallySk: JSON.stringify(['旧园区', 'P', 'EXITED', 'SIGNING', 'green', 0]) });
    expect(Object.keys(rewritten!).filter((k) => k.startsWith('gsi') && !k.startsWith('gsiTally'))).toEqual([]);
    const { Item: stored } = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_LEDGER, Key: { pk: 'PROJECT#prj-old-1' } }));
    expect(stored).toEqual(ledgerItem(project));
    expect(stored).toMatchObject({ gsiParkStatus: JSON.stringify(['旧园区', 'EXITED']), status: 'EXITED', park: '旧园区' });
    expect((await ensureReferenceData(new Date())).projectsReindexed).toBe(0);
  });
});

describe('letters stored before the addressee index existed', () => {
  it('are put in it while unacknowledged, once: the finished back-fill is marked and not run again', async () => {
    const { toItem } = await import('../../functions/projects/store/projects.ts');
    const { createProject } = await import('../../functions/projects/domain/project.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const { lettersAwaitingReply } = await import('../../functions/supervision/store/letters.ts');
    // A store from before the index: its letters carry no gsiAddressee, and the back-fill has never finished.
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'letters-by-addressee' } }));
    const project = createProject({ name: '函件项目', investor: { name: '函件企业', enterpriseId: 'ent-ltr' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '老园区', siteMode: 'land' }, users.investmentOfficer, DEFAULT_CONFIG.classification, { id: 'prj-ltr-1', now: new Date() });
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: toItem(project) }));
    const legacy = (id: string, to: Record<string, string>, ack: Record<string, string> | null) => ({ pk: 'PROJECT#prj-ltr-1', sk: `LETTER#${id}`, entity: 'letter', id, number: `晋综开督函〔2026〕${id}号`, series: 'urging', year: 2026, seq: 1, projectId: 'prj-ltr-1', projectName: '函件项目', from: 'supervision_office', to, subject: '督促函', body: '请说明', issuedAt: '2026-11-02T02:00:00.000Z', issuedBy: 'u-super', issuedOn: '2026-11-02', replyBy: '2026-11-09', ack });
    for (const item of [
      legacy('ltr-old-1', { kind: 'department', role: 'resources_bureau' }, null),
      legacy('ltr-old-2', { kind: 'department', role: 'resources_bureau' }, { by: 'u', byName: '经办人', at: '2026-11-03T02:00:00.000Z', reply: '已办' }),
      legacy('ltr-old-3', { kind: 'department', role: 'park_center', park: '老园区' }, null),
    ]) {
      await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: item }));
    }
    expect(await lettersAwaitingReply('DEPT#resources_bureau')).toEqual([]);

    expect(await ensureReferenceData(new Date())).toMatchObject({ lettersIndexed: 2, lettersIndexFinished: true });

    expect((await lettersAwaitingReply('DEPT#resources_bureau')).map((l) => l.id)).toEqual(['ltr-old-1']);
    expect((await lettersAwaitingReply('DEPT#park_center#老园区')).map((l) => l.id)).toEqual(['ltr-old-3']);
    expect((await lettersAwaitingReply('DEPT#resources_bureau'))[0]).not.toHaveProperty('gsiAddressee');
    const marker = await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'letters-by-addressee' } }));
    expect(marker.Item).toBeDefined();
    expect((await ensureReferenceData(new Date())).lettersIndexed).toBe(0);
  });
});

describe('a deploy whose back-fill is not done yet', () => {
  const marker = () => ({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'park-center-records-by-park' } });
  // A park center's record as the code of before its index wrote it: the role partition only, no index keys.
  const oldWay = (n: number) => ({ pk: 'DEPT#park_center', sk: `2026-10-0${n}#completed#prj-old-code${n}#SIGNING.a`, entity: 'department-completed', kind: 'completed', role: 'park_center', park: '智造港', date: `2026-10-0${n}`, projectId: `prj-old-code${n}`, taskId: 'SIGNING.a', task: '旧任务', startedDate: '2026-10-01', handlingWd: 1 });
  const indexed = async (n: number) => (await store.doc.send(new GetCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: 'DEPT#park_center', sk: oldWay(n).sk } }))).Item?.gsiLead;

  it('waits, from its start, as long as a function on the old code may still write, then passes again: what that code wrote meanwhile is indexed, and only then is the back-fill marked done', async () => {
    const { deployPasses } = await import('../../functions/reference/deploy/bootstrap-reference.ts');
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: oldWay(1) }));
    await store.doc.send(new DeleteCommand(marker()));
    const start = new Date();
    let t = start.getTime() + 2_000;
    const waits: number[] = [];
    const report = await deployPasses(start, 360_000, {
      now: () => new Date(t),
      // While the custom resource waits, an invocation begun on the old code writes the old way.
      wait: async (ms) => {
        waits.push(ms);
        expect((await store.doc.send(new GetCommand(marker()))).Item).toBeUndefined();
        await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: oldWay(2) }));
        t += ms;
      },
      remainingMs: () => 900_000 - (t - start.getTime()),
    });
    expect(waits).toEqual([359_000]);
    expect(report).toMatchObject({ parkCenterRecordsIndexed: 1, parkCenterRecordsFinished: true, settling: [] });
    expect([await indexed(1), await indexed(2)]).toEqual(['DEPT#park_center#智造港', 'DEPT#park_center#智造港']);
    expect((await store.doc.send(new GetCommand(marker()))).Item).toBeDefined();
    // The next deploy finds it done: no wait.
    const next: number[] = [];
    expect(await deployPasses(new Date(), 360_000, { now: () => new Date(), wait: async (ms) => next.push(ms), remainingMs: () => 900_000 })).toMatchObject({ settling: [] });
    expect(next).toEqual([]);
  });

  it('without the time for the later pass, leaves the back-fill unmarked for the next deploy rather than run past its timeout', async () => {
    const { deployPasses } = await import('../../functions/reference/deploy/bootstrap-reference.ts');
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: oldWay(3) }));
    await store.doc.send(new DeleteCommand(marker()));
    const waits: number[] = [];
    const report = await deployPasses(new Date(), 360_000, { now: () => new Date(), wait: async (ms) => waits.push(ms), remainingMs: () => 120_000 });
    expect(waits).toEqual([]);
    expect(report).toMatchObject({ parkCenterRecordsIndexed: 1, settling: ['park-center-records-by-park'] });
    expect((await store.doc.send(new GetCommand(marker()))).Item).toBeUndefined();
  });

  it('marks no back-fill of a pass that fails: a failed deploy rolls back to the old code, which would write outside the index of one marked', async () => {
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const letters = { TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'letters-by-addressee' } };
    await store.doc.send(new DeleteCommand(letters));
    await store.doc.send(new DeleteCommand(marker()));
    // The pass's last back-fill (the park centers' records, after the letters') meets a fault.
    ddb.middlewareStack.add(
      (next) => async (args) => {
        const values = (args.input as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues;
        if (values?.[':p'] === 'DEPT#park_center' && values[':string'] === 'S') throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return next(args);
      },
      { step: 'initialize', name: 'failParkCenterBackfill' },
    );
    try {
      await customResource(cfnEvent('Update'));
    } finally {
      ddb.middlewareStack.remove('failParkCenterBackfill');
    }
    expect(responses.at(-1)).toMatchObject({ Status: 'FAILED', RequestId: 'req-Update' });
    expect((await store.doc.send(new GetCommand(letters))).Item).toBeUndefined();
    // The next deploy goes through and marks both.
    await customResource(cfnEvent('Update'));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect((await store.doc.send(new GetCommand(letters))).Item).toBeDefined();
    expect((await store.doc.send(new GetCommand(marker()))).Item).toBeDefined();
  });

  it('on a rollback (CloudFormation calling it again with the earlier deploy\'s properties: the functions go back to the old code) runs no pass and marks nothing', async () => {
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: oldWay(4) }));
    await store.doc.send(new DeleteCommand(marker()));
    await customResource({
      ...cfnEvent('Update'),
      ResourceProperties: { seed: 'a', deployedAt: '2026-12-01T02:00:00.000Z' },
      OldResourceProperties: { seed: 'b', deployedAt: '2026-12-07T02:00:00.000Z', oldCodeSettleSeconds: '360' },
    });
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-Update' });
    expect((await store.doc.send(new GetCommand(marker()))).Item).toBeUndefined();
  });
});

describe('the audit log 全程可溯', () => {
  it('is append-only: writing an event over an existing one fails and leaves it as it was', async () => {
    const op = auditOp('PROJECT#prj-audit-1', 'project.created', users.investmentOfficer, { before: {}, after: { name: '原始记录' } }, new Date('2026-11-26T02:00:00Z'));
    await transact([op]);
    const put = op.item.Put!;
    const forged = { ...op, item: { Put: { ...put, Item: { ...put.Item, after: { name: '篡改记录' }, actor: 'u-attacker' } } } };

    await expect(transact([forged])).rejects.toBeInstanceOf(ConditionFailed);

    const events = await store.audit('PROJECT#prj-audit-1');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ after: { name: '原始记录' }, actor: users.investmentOfficer.sub });
  });
});
