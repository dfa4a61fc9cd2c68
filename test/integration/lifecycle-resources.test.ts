// The lifecycle uses the inventory, end to end over the API with the real ASL in the embedded runner: 土地清单 cannot be
// completed without a reserved parcel (409 saying which) and links it; the SIGNING gate waits for one; 土地出让 marks
// the parcel transferred; in lease mode 厂房匹配 links the facility and 厂房租赁签约 marks it leased.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-03-02T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;
const leader = { sub: 'u-leader', name: '主任', roles: ['committee_leader' as const] };

async function start(siteMode: 'land' | 'lease') {
  const { project, executionName, input } = await env.activeProject(siteMode);
  await env.workflow.startExecution(executionName, input);
  const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
  await until(async () => ((await api.tasks()).length > 0 ? true : undefined));
  return { project, api };
}

async function resource(kind: string, id: string) {
  const get = await load('../../functions/inventory/http/get-resource.ts');
  return (await call<{ status: string; heldBy: { projectId: string } | null; history: { action: string }[] }>(get, apiEvent('GET /inventory/{kind}/{id}', { as: leader, params: { kind, id } }))).body;
}

describe('the lifecycle and the inventory', () => {
  it('land: 土地清单 needs the reserved parcel and links it; the gate waits for it; 土地出让 marks it transferred', async () => {
    const { project, api } = await start('land');
    // Complete what precedes 土地清单, without any reservation.
    for (const code of ['pre_site_selection', 'planning_conditions']) {
      const t = await until(async () => (await api.tasks()).find((x) => x.code === code && x.startedDate));
      expect((await api.complete(t)).status).toBe(200);
    }
    const landList = await until(async () => (await api.tasks()).find((x) => x.code === 'land_list' && x.startedDate));
    const refused = await api.complete(landList);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('/reservations');
    const site = await api.holdSite();
    expect(site.kind).toBe('parcels');
    expect((await api.complete(landList)).status).toBe(200);
    const reservations = await load('../../functions/inventory/http/list-reservations.ts');
    const listed = await call<{ items: { status: string; links: { task: string; effect: string }[] }[] }>(reservations, apiEvent('GET /projects/{id}/reservations', { as: leader, params: { id: project.id } }));
    expect(listed.body.items[0]).toMatchObject({ status: 'reserved', links: [{ task: 'land_list', effect: 'link' }] });

    await api.finishTasks('SIGNING');
    await api.passGate('SIGNING', '2026-03-02');
    await api.waitForStage('LANDING');
    await api.finishTasks('LANDING');
    expect(await resource('parcels', site.resourceId)).toMatchObject({ status: 'transferred', heldBy: { projectId: project.id } });
    const after = await call<{ items: { status: string; links: { task: string }[] }[] }>(reservations, apiEvent('GET /projects/{id}/reservations', { as: leader, params: { id: project.id } }));
    expect(after.body.items[0]).toMatchObject({ status: 'transferred' });
    expect(after.body.items[0]!.links.map((l) => l.task)).toEqual(['land_list', 'land_transfer']);
    expect((await resource('parcels', site.resourceId)).history.map((h) => h.action)).toEqual(['inventory.created', 'resource.reserved', 'resource.transferred']);
    // Transferred land is the project's now: a hand release is refused (it comes back only by exit).
    const release = await load('../../functions/inventory/http/release-reservation.ts');
    const refusedRelease = await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: { ...leader, roles: ['resources_bureau'] }, params: { id: project.id, rid: site.reservationId } }));
    expect(refusedRelease.status).toBe(409);
  });

  it('a gate that needs the site refuses approval while none is held (409 naming it)', async () => {
    const { api } = await start('lease');
    // Before its tasks are done the gate is not open: that is what an approval is told, not the reservation it lacks.
    const early = await api.decide('SIGNING', 'committee_leader', { decision: 'approve', comment: '同意' });
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.body)).toMatch(/gate is not open/);
    // The gate names the tasks it waits for: the stage's required tasks, each with its id and names.
    const tasks = await api.tasks();
    const required = tasks.filter((t) => t.stage === 'SIGNING' && t.kind === 'matrix' && t.requiredForGate);
    expect(required.length).toBeGreaterThan(1);
    const waits = () => api.project().then((p) => p.gate!.needs.filter((n) => n.kind === 'task'));
    expect((await waits()).map((n) => n.taskId)).toEqual(required.map((t) => t.id));
    expect((await waits())[0]).toMatchObject({ zh: `尚需办结：${(required[0] as unknown as { name: string }).name}`, en: expect.stringMatching(/^task not done yet: /) });
    // Completed, a task leaves the list at once (the completion records the summary; no review needed).
    const first = required.find((t) => t.startedDate)!;
    expect((await api.complete(first)).status).toBe(200);
    expect((await waits()).map((n) => n.taskId)).toEqual(required.filter((t) => t.id !== first.id).map((t) => t.id));
    await api.finishTasks('SIGNING'); // holds a facility first (厂房匹配 links it)
    await until(async () => ((await api.project()).gate?.open ? true : undefined));
    const { resourceId, reservationId, kind } = await api.holdSite();
    expect(kind).toBe('facilities');
    expect((await resource('facilities', resourceId)).status).toBe('reserved');
    // Release it: the gate's approval is then refused with what is missing.
    const release = await load('../../functions/inventory/http/release-reservation.ts');
    const project = await api.project();
    const released = await call(release, apiEvent('DELETE /projects/{id}/reservations/{rid}', { as: { sub: 'u-pc', name: 'pc', roles: ['park_center'], park: '汇通产业园' }, params: { id: project.id, rid: reservationId } }));
    expect(released.status, released.text).toBe(200);
    const getProject = await load('../../functions/projects/http/get-project.ts');
    const shown = await call<{ gate: { needs: { kind: string }[] } }>(getProject, apiEvent('GET /projects/{id}', { as: leader, params: { id: project.id } }));
    expect(shown.body.gate.needs.map((n) => n.kind)).toEqual(['facilities']);
    // Said in both languages.
    expect(shown.body.gate.needs[0]).toMatchObject({ zh: '招商签约转段需要项目持有闲置厂房/楼宇预留', en: 'The Signing gate needs a reservation held by the project: Idle factory or building' });
    const refused = await api.decide('SIGNING', 'committee_leader', { decision: 'approve', comment: '同意' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('no facilities reservation held');
  });

  it('lease: 厂房租赁签约 marks the reserved facility leased', async () => {
    const { project, api } = await start('lease');
    await api.finishTasks('SIGNING');
    await api.passGate('SIGNING', '2026-03-02');
    await api.waitForStage('LANDING');
    await api.finishTasks('LANDING');
    const site = await api.holdSite();
    expect(await resource('facilities', site.resourceId)).toMatchObject({ status: 'leased', heldBy: { projectId: project.id } });
  });
});
