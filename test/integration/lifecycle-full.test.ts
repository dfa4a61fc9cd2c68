// The whole mechanism over the API with the real ASL in the embedded runner: a project goes SIGNING → LANDING →
// GROUNDBREAKING → CONSTRUCTION → OPERATION → PRODUCING through every task, meeting and parallel approval, in land
// mode and in lease mode; a gate rejection reopens a task; approvals racing each other pass the gate exactly once.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextStage, type Stage } from '../../functions/kernel/domain/codes.ts';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-03-02T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

const today = () => '2026-03-02';
const targets = { outputValueCny: 4_000, taxCny: 400, jobs: 50 };

async function start(siteMode: 'land' | 'lease') {
  const { project, executionName, input } = await env.activeProject(siteMode, { targets });
  await env.workflow.startExecution(executionName, input);
  const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
  await until(async () => ((await api.tasks()).length > 0 ? true : undefined));
  return { project, api };
}

type Api = Awaited<ReturnType<typeof lifecycleApi>>;

/**
 * A year of figures 达产达效, for the four quarters up to this one: the project entered OPERATION today, so first the
 * figures of a quarter before that are refused (400 naming the quarter); then its stage entry is dated a year back — a
 * fixture: this test does not wait a year of business time — and the four quarters are taken.
 */
async function aYearOfFigures(api: Api, projectId: string) {
  await until(async () => ((await api.tasks()).some((t) => t.stage === 'OPERATION') ? true : undefined));
  const early = (await api.production('2025Q4', 1_000, 100, 60)) as { status: number; body: { errors?: { path: string; message: string }[] } };
  expect(early.status).toBe(400);
  expect(early.body.errors).toEqual([{ path: 'quarter', code: 'out_of_range', message: 'must not be before 2026Q1' }]);
  // While the 达产 gate is shut, the project says what the figures lack, and an approval is told what it waits for.
  const production = async () => (((await api.project()).gate as { needs?: { kind: string; message: string }[] } | null)?.needs ?? []).filter((n) => n.kind === 'production').map((n) => n.message);
  expect(await production()).toEqual([expect.stringMatching(/^no quarter of production figures reported yet/)]);
  // Its first quarter reported: the quarters it lacks are the next three, never ones before it entered OPERATION
  // (refused above) — it said "2025Q2, 2025Q3, 2025Q4 not reported".
  expect((await api.production('2026Q1', 1_000, 100, 60)).status).toBe(200);
  expect(await production()).toEqual([
    'production figures of 2026Q2, 2026Q3, 2026Q4 not reported: 达产 needs four consecutive quarters, 2026Q1–2026Q4 at the earliest (figures are taken from 2026Q1, the quarter the project entered OPERATION)',
  ]);
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  await ddb.send(
    new UpdateCommand({ TableName: process.env.TABLE_PROJECTS, Key: { pk: `PROJECT#${projectId}`, sk: 'STAGE#OPERATION' }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'SET enteredDate = :d', ExpressionAttributeValues: { ':d': '2025-04-01' } }),
  );
  for (const q of ['2025Q2', '2025Q3']) expect((await api.production(q, 1_000, 100, 60)).status).toBe(200);
  expect(await production()).toEqual([expect.stringMatching(/^production figures of 2025Q4 not reported/)]);
  // In Chinese too, for the zone's officials.
  expect(((await api.project()).gate as { needs?: { kind: string; zh: string }[] } | null)?.needs?.filter((n) => n.kind === 'production').map((n) => n.zh)).toEqual(['2025Q4 的生产数据未填报：达产需截至 2026Q1 的连续四个季度']);
  const gate = (await api.project()).gate!;
  const early2 = (await api.decide('OPERATION', gate.requiredApprovals[0]!, { decision: 'approve', comment: '同意' })) as unknown as { status: number; body: { detail: string } };
  expect(early2.status).toBe(409);
  expect(early2.body.detail).toMatch(/a year of production figures meets the contract's targets/);
  expect((await api.production('2025Q4', 1_000, 100, 60)).status).toBe(200);
  expect(await production()).toEqual([]);
}

async function walk(api: Api, stages: Stage[], projectId: string) {
  for (const stage of stages) {
    if (stage === 'CONSTRUCTION') expect((await api.progress(60, 30)).status).toBe(200);
    if (stage === 'OPERATION') await aYearOfFigures(api, projectId);
    await api.finishTasks(stage);
    await api.passGate(stage, today());
    await api.waitForStage(nextStage(stage)!);
  }
}

describe('full lifecycle through the API and the real state machine', () => {
  it('land mode 摘地: every stage, every gate, ends PRODUCING and COMPLETED with one execution per stage', async () => {
    const { project, api } = await start('land');
    const signing = (await api.tasks()).filter((t) => t.stage === 'SIGNING').map((t) => t.code).sort();
    expect(signing).toEqual(['land_list', 'land_listing', 'planning_conditions', 'pre_site_selection', 'project_review']);
    await walk(api, ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'], project.id);
    const done = await until(async () => {
      const p = await api.project();
      return p.status === 'COMPLETED' ? p : undefined;
    });
    expect(done.stage).toBe('PRODUCING');
    const names = [...env.workflow.executions.keys()].filter((n) => n.startsWith(project.id));
    expect(names.sort()).toEqual(['CONSTRUCTION', 'GROUNDBREAKING', 'LANDING', 'OPERATION', 'SIGNING'].map((s) => `${project.id}-${s}-1`).sort());
    await until(() => names.every((n) => env.workflow.executions.get(n)?.status === 'SUCCEEDED') || undefined);
    const landing = (await api.tasks()).filter((t) => t.stage === 'LANDING').map((t) => t.code).sort();
    expect(landing).toEqual(['eia_guidance', 'land_transfer', 'service_team']);
    // 即时函告: the approval office's completed 施工手续 sent the construction department and the park center a letter,
    // and the enterprise, whose 开工 it started, the same one (told once, in its own inbox).
    const listLetters = ((await import('../../functions/supervision/http/list-letters.ts')) as { handler: Handler }).handler;
    const letters = await call<{ items: { series: string; toName: string; subject: string; number: string }[] }>(listLetters, apiEvent('GET /projects/{id}/letters', { as: api.as('committee_leader'), params: { id: project.id } }));
    expect(letters.body.items.map((l) => [l.series, l.toName])).toEqual([
      ['notice', '园区建设管理部'],
      ['notice', '汇通产业园园区事业服务中心'],
      ['notice', project.investor.name],
    ]);
    expect(letters.body.items[0]!.subject).toContain('施工手续');
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const told = (await queryInbox(`ENTERPRISE#${project.investor.enterpriseId}`, 200)).items.filter((m) => m.kind === 'letter.issued' && m.projectId === project.id);
    expect(told).toHaveLength(1);
    expect(String(told[0]!.title)).toContain(letters.body.items[2]!.number);
  });

  it('the 达产 gate approved with a follow-up still open waits for it: PRODUCING once the follow-up is done', async () => {
    const { project, api } = await start('land');
    await walk(api, ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION'], project.id);
    await aYearOfFigures(api, project.id);
    await api.finishTasks('OPERATION');
    await until(async () => ((await api.project()).gate?.open ? true : undefined));
    // The meeting on the open gate leaves the enterprise a follow-up 会议纪要事项; then every approver approves.
    expect((await api.meeting('OPERATION', today(), [{ item: '补交达产验收材料', owner: 'enterprise', dueDate: '2026-03-20' }])).status).toBe(201);
    const gate = (await api.project()).gate!;
    expect(gate.requiredApprovals).toHaveLength(2);
    // Both approvers at once: the round's last two decisions race. Both are recorded; the one that completes the round
    // (the other's count committed first, or read) does not pass the gate: it says what the gate waits for.
    const replies = (await Promise.all(gate.requiredApprovals.map((role) => api.decide('OPERATION', role, { decision: 'approve', comment: '同意' })))) as { status: number; body: { passedTo?: unknown; heldFor?: string[] } }[];
    const followUp = (await api.tasks()).find((t) => t.kind === 'followup' && t.status === 'open')!;
    expect(replies.map((r) => [r.status, r.body.passedTo])).toEqual([
      [201, null],
      [201, null],
    ]);
    expect(replies.map((r) => r.body.heldFor).sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))).toEqual([[followUp.id], []]);
    // The review the last approval woke has run and waits again, the project still in OPERATION (had it passed the
    // gate, the project would have left ACTIVE).
    await api.settle();
    expect(await api.project()).toMatchObject({ stage: 'OPERATION', status: 'ACTIVE', gate: { stage: 'OPERATION', open: true, decided: true, heldFor: [followUp.id] } });
    expect(followUp).toMatchObject({ stage: 'OPERATION', lead: 'enterprise' });
    expect((await api.complete(followUp)).status).toBe(200);
    expect(await api.waitForStage('PRODUCING')).toMatchObject({ status: 'COMPLETED' });
  });

  it('at 达产 the 达产达效 task left open ends with the project: not in the park center\'s work once COMPLETED', async () => {
    // Seen on a walk of the README: it stayed open for good (GET /me/tasks, the department report), and completing it
    // was a 409 on the completed project.
    const { project, api } = await start('land');
    await walk(api, ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION'], project.id);
    await aYearOfFigures(api, project.id);
    await until(async () => ((await api.tasks()).some((t) => t.stage === 'OPERATION' && t.kind === 'matrix') ? true : undefined));
    expect((await api.tasks()).filter((t) => t.stage === 'OPERATION').map((t) => [t.code, t.status])).toEqual([['production_figures', 'open']]);
    await api.passGate('OPERATION', today());
    expect(await api.waitForStage('PRODUCING')).toMatchObject({ status: 'COMPLETED' });
    const figures = (await api.tasks()).find((t) => t.code === 'production_figures')!;
    expect(figures).toMatchObject({ status: 'done', completion: { role: 'park_center', note: '达产，项目完成，任务结束' } });
    expect((await api.tasks()).filter((t) => t.status === 'open')).toEqual([]);
  });

  it('lease mode 租赁厂房: factory matching and lease signing replace the land tasks', async () => {
    const { project, api } = await start('lease');
    const signing = (await api.tasks()).filter((t) => t.stage === 'SIGNING').map((t) => t.code).sort();
    expect(signing).toEqual(['factory_matching', 'planning_conditions', 'pre_site_selection', 'project_review']);
    await walk(api, ['SIGNING', 'LANDING'], project.id);
    const landing = (await api.tasks()).filter((t) => t.stage === 'LANDING').map((t) => t.code).sort();
    expect(landing).toEqual(['eia_guidance', 'lease_signing', 'service_team']);
  });

  it('a gate rejection with its reason reopens the named task; after redoing it every approver decides again', async () => {
    const { api } = await start('land');
    await api.finishTasks('SIGNING');
    await until(async () => ((await api.project()).gate?.open ? true : undefined));
    // The transition meeting's follow-up items become tasks of their owners, with their due dates.
    const meeting = await api.meeting('SIGNING', today(), [{ item: '细化手续代办清单', owner: 'approval_office', dueDate: '2026-03-13' }]);
    expect(meeting.status).toBe(201);
    const followUp = (await api.tasks()).find((t) => t.kind === 'followup');
    expect(followUp).toMatchObject({ id: 'SIGNING.followup-1', lead: 'approval_office', dueDate: '2026-03-13', status: 'open', requiredForGate: false });
    expect((await api.decide('SIGNING', 'committee_leader', { decision: 'approve' })).status).toBe(201);
    // A rejection names completed tasks of the stage, once each.
    const twice = await api.decide('SIGNING', 'resources_bureau', { decision: 'reject', comment: '挂地材料不全', reopenTasks: ['SIGNING.land_listing', 'SIGNING.land_listing'] });
    expect(twice.status).toBe(400);
    expect((twice.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['reopenTasks[1]']);
    const rejected = await api.decide('SIGNING', 'resources_bureau', { decision: 'reject', comment: '挂地材料不全', reopenTasks: ['SIGNING.land_listing'] });
    expect(rejected.status).toBe(201);
    const reopened = (await api.tasks()).find((t) => t.id === 'SIGNING.land_listing')!;
    expect(reopened.status).toBe('open');
    const p = await api.project();
    expect(p.stage).toBe('SIGNING');
    expect(p.gate).toMatchObject({ open: false, round: 2, approvals: [] });
    // The gate says why its round began: the rejection that ended round 1 (the committee leader's approval of it is not
    // one), not only the timeline.
    expect((p.gate as { previousRound?: unknown }).previousRound).toEqual({ round: 1, rejections: [{ role: 'resources_bureau', by: expect.any(String), at: expect.any(String), comment: '挂地材料不全' }] });
    // Approving a closed gate is refused.
    expect((await api.decide('SIGNING', 'committee_leader', { decision: 'approve' })).status).toBe(409);
    await api.finishTasks('SIGNING');
    await api.passGate('SIGNING', today());
    await api.waitForStage('LANDING');
  });

  it('20 concurrent approvals — the same approver and different approvers — record each decision once and pass once', async () => {
    const { project, api } = await start('land');
    await api.finishTasks('SIGNING');
    const gate = await until(async () => {
      const p = await api.project();
      return p.gate?.open ? p.gate : undefined;
    });
    expect((await api.meeting('SIGNING', today())).status).toBe(201);
    const roles = gate.requiredApprovals;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.decide('SIGNING', roles[i % roles.length]!, { decision: 'approve' }, api.as(roles[i % roles.length]!, `u-${i}`))),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(roles.length);
    expect(replies.filter((r) => r.status !== 201 && r.status !== 409).map((r) => [r.status, r.body])).toEqual([]);
    await api.waitForStage('LANDING');
    await new Promise((r) => setTimeout(r, 300));
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const actions = (await listAudit(`PROJECT#${project.id}`, 100)).items.map((e) => e.action);
    expect(actions.filter((a) => a === 'stage.passed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'gate.approve')).toHaveLength(roles.length);
    expect([...env.workflow.executions.keys()].filter((n) => n.startsWith(`${project.id}-LANDING`))).toEqual([`${project.id}-LANDING-1`]);
  });

  it('a repeated completion is refused with 409 and changes nothing', async () => {
    const { api } = await start('lease');
    const task = (await api.tasks()).find((t) => t.code === 'pre_site_selection')!;
    expect((await api.complete(task)).status).toBe(200);
    const before = (await api.tasks()).find((t) => t.id === task.id);
    const again = await api.complete(task, { note: '重复提交' });
    expect(again.status).toBe(409);
    expect((await api.tasks()).find((t) => t.id === task.id)).toEqual(before);
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const completions = (await listAudit(`PROJECT#${task.id ? (await api.project()).id : ''}`, 100)).items.filter((e) => e.action === 'task.completed');
    expect(completions).toHaveLength(1);
  });

  it('only the lead department completes a task; a task still waiting for its predecessor cannot be completed', async () => {
    const { api } = await start('land');
    const tasks = await api.tasks();
    const pre = tasks.find((t) => t.code === 'pre_site_selection')!;
    expect((await api.complete(pre, { note: 'x' }, api.as('resources_bureau'))).status).toBe(403);
    const review = tasks.find((t) => t.code === 'project_review')!;
    expect((await api.complete(review)).status).toBe(409);
  });
});

describe('GET /me/tasks', () => {
  it('lists the open tasks of my department across projects, soonest due first, from the index', async () => {
    const a = await start('land');
    const b = await start('lease');
    const myTasks = ((await import('../../functions/lifecycle/http/my-tasks.ts')) as { handler: Handler }).handler;
    const reply = await call<{ items: { projectId: string; lead: string; dueDate: string; status: string }[] }>(
      myTasks,
      apiEvent('GET /me/tasks', { as: a.api.as('investment_dept'), query: { limit: '100' } }),
    );
    expect(reply.status).toBe(200);
    const mine = reply.body.items.filter((t) => t.projectId === a.project.id || t.projectId === b.project.id);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(reply.body.items.every((t) => t.lead === 'investment_dept' && t.status === 'open')).toBe(true);
    const dues = reply.body.items.map((t) => t.dueDate);
    expect(dues).toEqual([...dues].sort());
  });
});
