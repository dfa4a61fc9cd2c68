// POST /projects/{id}/admission — the admission decision 准入: the track department decides (and, for a major project,
// the committee leader too); the last approval starts the lifecycle workflow exactly once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

const store = isolatedStore('admission');
const workflow = registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: listProjects } = await import('../../functions/projects/http/list-projects.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { seedConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
beforeEach(() => {
  workflow.startFailure = undefined;
});
afterAll(() => store.destroy());

type Project = Record<string, unknown> & {
  id: string;
  version: number;
  status: string;
  admission: { required: string[]; decisions: { role: string; by: string; decision: string; reason?: string }[] };
  workflow: { executionName: string; segment: number; status: string } | null;
};

async function newProject(totalInvestmentCny: number, track: 'industrial' | 'scitech' = 'industrial'): Promise<Project> {
  const as = track === 'industrial' ? users.investmentOfficer : users.scitechOfficer;
  const reply = await call<Project>(createProject, apiEvent('POST /projects', { as, body: projectBody({ totalInvestmentCny, track }) }));
  expect(reply.status).toBe(201);
  return reply.body;
}
const standardProject = (track: 'industrial' | 'scitech' = 'industrial') => newProject(300_000_000, track);
const majorProject = () => newProject(1_200_000_000);

/** The executions started for a project once the outbox signals written so far reached wake-workflow. */
async function starts(id: string) {
  await store.deliverSignals();
  return workflow.startsOf(id);
}

const decide = (id: string, as: User, body: unknown, headers: Record<string, string> = {}) =>
  call<Project>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as, params: { id }, body, headers }));

describe('admitting a standard project', () => {
  it('makes the project ACTIVE when its track department approves', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe('"2"');
    expect(reply.body).toMatchObject({ status: 'ACTIVE', stage: 'SIGNING', version: 2, matrixVersion: 1 });
    expect(reply.body.admission.decisions).toEqual([
      expect.objectContaining({ role: 'investment_dept', by: users.investmentOfficer.sub, decision: 'approve' }),
    ]);
  });

  it('starts exactly one lifecycle execution, named <project>-SIGNING-1', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    expect((await starts(project.id))).toEqual([
      { name: `${project.id}-SIGNING-1`, input: { projectId: project.id, stage: 'SIGNING', segment: 1 } },
    ]);
    expect(reply.body.workflow).toEqual({ executionName: `${project.id}-SIGNING-1`, segment: 1, status: 'starting', lastError: null, resumedFrom: null });
  });

  it('shows the first gate shut right after admission, with a need saying the stage is being entered, until its entry is recorded', async () => {
    const project = await standardProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });
    const read = (as: User) => call<Project & { gate: { name: string; open: boolean; dueDate: string | null; approvals: unknown[]; needs?: { kind: string; zh: string; en: string }[] } | null }>(getProject, apiEvent('GET /projects/{id}', { as, params: { id: project.id } }));

    // The lifecycle has not entered SIGNING yet (the fake workflow runs no step): no gate record, no tasks.
    const staff = (await read(users.supervisionOfficer)).body.gate;
    expect(staff).toMatchObject({ stage: 'SIGNING', name: '落地转段会议', open: false, dueDate: null, approvals: [], requiredApprovals: ['committee_leader', 'investment_dept', 'resources_bureau'] });
    // (Besides what it needs of the inventory: a land site.)
    expect(staff?.needs?.map((n) => n.kind)).toEqual(['parcels', 'entry']);
    expect(staff?.needs?.[1]).toEqual({ kind: 'entry', message: '本阶段正在进入：任务与转段稍后生成', zh: '本阶段正在进入：任务与转段稍后生成', en: 'the stage is being entered: its tasks and gate are set up in a moment' });
    expect((await read(users.enterpriseA)).body.gate).toEqual({ stage: 'SIGNING', name: '落地转段会议', nameEn: 'Landing transition meeting', open: false, dueDate: null, passed: false });

    // Entered (its record stored) but no gate record — the matrix names none, or the gate is written after: no entry need.
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS!, Item: { pk: `PROJECT#${project.id}`, sk: 'STAGE#SIGNING', stage: 'SIGNING', segment: 1, enteredAt: new Date().toISOString(), enteredDate: '2026-01-05', matrixVersion: 1, tasks: 0 } }));
    expect((await read(users.supervisionOfficer)).body.gate?.needs?.map((n) => n.kind)).not.toContain('entry');
  });

  it('answers a retried approval (same Idempotency-Key) with the first answer and starts nothing more', async () => {
    const project = await standardProject();
    const headers = { 'idempotency-key': `admit-${project.id}` };
    const first = await decide(project.id, users.investmentOfficer, { decision: 'approve' }, headers);

    const retry = await decide(project.id, users.investmentOfficer, { decision: 'approve' }, headers);

    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);
    expect((await starts(project.id))).toHaveLength(1);
  });

  it('lets the sci-tech service center admit a sci-tech project', async () => {
    const project = await standardProject('scitech');

    const reply = await decide(project.id, users.scitechOfficer, { decision: 'approve' });

    expect(reply.body.status).toBe('ACTIVE');
    expect((await starts(project.id))).toHaveLength(1);
  });

  it('records the approval in the audit log with the status change', async () => {
    const project = await standardProject();

    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const events = await store.audit(`PROJECT#${project.id}`);
    expect(events.map((e) => e.action)).toEqual(['project.created', 'admission.approve']);
    expect(events[1]?.before).toMatchObject({ status: 'PENDING_ADMISSION' });
    expect(events[1]?.after).toMatchObject({ status: 'ACTIVE' });
  });

  it('moves the project from the pending to the active ledger', async () => {
    const project = await standardProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const ledger = async (status: string) =>
      (await call<{ items: { id: string }[] }>(listProjects, apiEvent('GET /projects', { as: users.supervisionOfficer, query: { status, limit: '100' } })))
        .body.items.map((p) => p.id);

    expect(await ledger('ACTIVE')).toContain(project.id);
    expect(await ledger('PENDING_ADMISSION')).not.toContain(project.id);
  });

  it('records a failed workflow start on the project for ops, instead of hiding it', async () => {
    const project = await standardProject();
    workflow.startFailure = new Error('states unavailable');

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });
    // The approval itself commits; the start happens when wake-workflow delivers its signal.
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ACTIVE', workflow: { status: 'starting' } });
    await store.deliverSignals();

    expect(await store.storedProject(project.id)).toMatchObject({
      status: 'ACTIVE',
      version: 3,
      workflow: { status: 'start_failed', lastError: 'states unavailable' },
    });
    expect((await store.audit(`PROJECT#${project.id}`)).map((e) => e.action)).toContain('workflow.start_failed');
  });

  it('writes the start signal in the same transaction as the approval, and none for a decision that starts nothing', async () => {
    const major = await majorProject();
    await decide(major.id, users.investmentOfficer, { decision: 'approve' });
    const rejected = await standardProject();
    await decide(rejected.id, users.investmentOfficer, { decision: 'reject', reason: '不符合园区产业定位' });
    const approved = await standardProject();
    await decide(approved.id, users.investmentOfficer, { decision: 'approve' });

    const signals = (await store.signals()).filter((s) => [major.id, rejected.id, approved.id].includes(String(s.projectId)));
    expect(signals).toEqual([
      expect.objectContaining({ kind: 'start', projectId: approved.id, executionName: `${approved.id}-SIGNING-1`, expiresAt: expect.any(Number) }),
    ]);
  });

});

describe('admitting a major project (重大项目)', () => {
  it('stays pending after the investment department alone approved, and starts nothing', async () => {
    const project = await majorProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('PENDING_ADMISSION');
    expect(reply.body.workflow).toBeNull();
    expect((await starts(project.id))).toEqual([]);
  });

  it('becomes ACTIVE once the committee leader approves too, and starts one execution', async () => {
    const project = await majorProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const reply = await decide(project.id, users.committeeLeader, { decision: 'approve' });

    expect(reply.body).toMatchObject({ status: 'ACTIVE', version: 3 });
    expect(reply.body.admission.decisions.map((d) => d.role)).toEqual(['investment_dept', 'committee_leader']);
    expect((await starts(project.id)).map((s) => s.name)).toEqual([`${project.id}-SIGNING-1`]);
  });

  it('accepts the two approvals in either order (committee leader first)', async () => {
    const project = await majorProject();
    const first = await decide(project.id, users.committeeLeader, { decision: 'approve' });
    expect(first.body.status).toBe('PENDING_ADMISSION');

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    expect(reply.body.status).toBe('ACTIVE');
    expect((await starts(project.id))).toHaveLength(1);
  });

  it('is REJECTED when the committee leader rejects after the department approved', async () => {
    const project = await majorProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const reply = await decide(project.id, users.committeeLeader, { decision: 'reject', reason: '用地指标不足' });

    expect(reply.body.status).toBe('REJECTED');
    expect((await starts(project.id))).toEqual([]);
  });
});

describe('rejecting admission', () => {
  it('requires a reason (400 naming reason) and changes nothing', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'reject' });

    expectProblem(reply, 400, ['reason']);
    expect(await store.storedProject(project.id)).toMatchObject({ status: 'PENDING_ADMISSION', version: 1 });
  });

  it('marks the project REJECTED with the reason, and starts nothing', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'reject', reason: '不符合园区产业定位' });

    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('REJECTED');
    expect(reply.body.admission.decisions[0]).toMatchObject({ decision: 'reject', reason: '不符合园区产业定位' });
    expect((await starts(project.id))).toEqual([]);
  });
});

describe('deciding admission twice or without the right', () => {
  it('refuses a second decision once the admission is decided (409)', async () => {
    const project = await standardProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const reply = await decide(project.id, users.investmentOfficer2, { decision: 'reject', reason: '改变主意' });

    expectProblem(reply, 409);
    expect(await store.storedProject(project.id)).toMatchObject({ status: 'ACTIVE', version: 2 });
  });

  it('refuses the same department deciding a major project twice (409)', async () => {
    const project = await majorProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const reply = await decide(project.id, users.investmentOfficer2, { decision: 'approve' });

    expectProblem(reply, 409);
  });

  it('refuses the committee leader on a standard project, which is not theirs to decide (403)', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.committeeLeader, { decision: 'approve' });

    expectProblem(reply, 403);
    expect(await store.storedProject(project.id)).toMatchObject({ status: 'PENDING_ADMISSION', version: 1 });
  });

  it('refuses the investment department on a sci-tech project (403)', async () => {
    const project = await standardProject('scitech');

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    expectProblem(reply, 403);
  });

  it.each([
    ['a park service center', users.huitongParkCenter],
    ['the investing enterprise', users.enterpriseA],
    ['ops', users.opsEngineer],
  ] as const)('refuses %s (403)', async (_, as) => {
    const project = await standardProject();

    const reply = await decide(project.id, as, { decision: 'approve' });

    expectProblem(reply, 403);
  });

  it('refuses a decision that is neither approve nor reject (400 naming decision)', async () => {
    const project = await standardProject();

    const reply = await decide(project.id, users.investmentOfficer, { decision: 'maybe' });

    expectProblem(reply, 400, ['decision']);
  });

  it('refuses a stale If-Match (412)', async () => {
    const project = await majorProject();
    await decide(project.id, users.investmentOfficer, { decision: 'approve' });

    const reply = await decide(project.id, users.committeeLeader, { decision: 'approve' }, { 'if-match': '"1"' });

    expectProblem(reply, 412);
    expect((await starts(project.id))).toEqual([]);
    // Who may decide comes first: a department admission does not name is told so (403), If-Match stale or not.
    expectProblem(await decide(project.id, users.disciplineInspector, { decision: 'approve' }, { 'if-match': '"1"' }), 403);
    expectProblem(await decide(project.id, users.disciplineInspector, { decision: 'approve' }), 403);
  });
});

describe('concurrent approvals', () => {
  it('records one decision and starts one execution when the same approver sends 20 approvals at once', async () => {
    const project = await standardProject();

    const replies = await Promise.all(Array.from({ length: 20 }, () => decide(project.id, users.investmentOfficer, { decision: 'approve' })));

    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412)).toBe(true);
    const stored = await store.storedProject(project.id);
    expect(stored).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect((stored?.admission as Project['admission']).decisions).toHaveLength(1);
    expect((await starts(project.id))).toHaveLength(1);
    expect((await store.audit(`PROJECT#${project.id}`)).filter((e) => e.action === 'admission.approve')).toHaveLength(1);
  });

  it('starts one execution when both deciders of a major project approve at the same moment', async () => {
    const project = await majorProject();

    const replies = await Promise.all([
      decide(project.id, users.investmentOfficer, { decision: 'approve' }),
      decide(project.id, users.committeeLeader, { decision: 'approve' }),
    ]);

    // One wins; the other is told to re-read (412/409) and may retry. Never two starts, never a 500.
    expect(replies.map((r) => r.status)).toContain(200);
    expect(replies.every((r) => [200, 409, 412].includes(r.status))).toBe(true);
    const stored = await store.storedProject(project.id);
    expect((await starts(project.id))).toHaveLength(stored?.status === 'ACTIVE' ? 1 : 0);
    expect(stored?.version).toBe(1 + replies.filter((r) => r.status === 200).length);
  });
});
