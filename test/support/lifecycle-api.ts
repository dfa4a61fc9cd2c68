// Drives a project through its lifecycle over the real handlers (API Gateway events) while the real ASL runs in the
// embedded runner: complete every task by its lead, record meetings, approve gates, and wait for the workflow.
import type { Role, Stage } from '../../functions/kernel/domain/codes.ts';
import { apiEvent, call, type Handler, type User } from './events.ts';
import { addCalendarDays } from '../../functions/kernel/domain/dates.ts';

/** The groundbreaking gate's meeting fixes the planned completion (required there): two years after the meeting. */
const plannedAt = (stage: Stage, heldOn: string) => (stage === 'GROUNDBREAKING' ? { plannedCompletionDate: addCalendarDays(heldOn, 730) } : {});
import { until } from '../../local/lifecycle-harness.ts';
import { entryOf } from '../../functions/catalog.ts';

export interface TaskView {
  id: string;
  stage: Stage;
  code: string;
  kind: string;
  lead: Role;
  status: string;
  startedDate: string | null;
  dueDate: string | null;
  light: string;
  requiredForGate: boolean;
  calendarProvisional: boolean;
}
export interface ProjectView {
  id: string;
  stage: Stage;
  status: string;
  light: string;
  version: number;
  escalation: { level: number; name: string };
  gate: { stage: Stage; open: boolean; requiredApprovals: Role[]; approvals: { role: Role }[]; meetingRequired: boolean; meetingRecorded: boolean; round: number; dueDate: string | null; calendarProvisional: boolean; needs: { kind: string; taskId?: string; zh: string; en: string }[] } | null;
}

const load = async (name: string) => ((await import(`../../${entryOf(name)}`)) as { handler: Handler }).handler;

/**
 * `settle`: after each change, wait until the workflow is idle again (its wait registered for the project's current
 * version), so runs are deterministic — the bench counts events; tests run faster without it.
 */
export async function lifecycleApi(project: { id: string; park: string; enterpriseId: string }, options: { settle?: boolean } = {}) {
  const [listTasks, completeTask, decideGate, recordMeeting, getProject, reportProgress, reportProduction, createResource, reserveResource] = await Promise.all(
    ['list-tasks', 'complete-task', 'decide-gate', 'record-meeting', 'get-project', 'report-progress', 'report-production', 'create-resource', 'reserve-resource'].map(load),
  );
  let site: { kind: string; resourceId: string; reservationId: string } | undefined;
  const as = (role: Role, sub = `u-${role}`): User => ({
    sub,
    name: role,
    roles: [role],
    ...(role === 'park_center' ? { park: project.park } : {}),
    ...(role === 'enterprise' ? { enterprise: project.enterpriseId } : {}),
  });
  const params = { id: project.id };
  const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
  const { getProject: storedProject } = await import('../../functions/projects/store/projects.ts');
  /** Until the lifecycle has reviewed the project as it is and waits again (or the project is no longer active). */
  const settle = () =>
    until(async () => {
      const [w, p] = await Promise.all([getWait(project.id), storedProject(project.id)]);
      return p?.status !== 'ACTIVE' || (w && w.wait.version === p.version && w.wait.stage === p.stage) ? true : undefined;
    }, 30_000, 20);
  const settled = async <T>(reply: T): Promise<T> => {
    if (options.settle) await settle();
    return reply;
  };
  const api = {
    as,
    settle,
    /** Every task of the project (all pages). */
    tasks: async () => {
      const all: TaskView[] = [];
      for (let cursor: string | null | undefined; ; ) {
        const reply = await call<{ items: TaskView[]; nextCursor: string | null }>(
          listTasks!,
          apiEvent('GET /projects/{id}/tasks', { as: as('committee_leader'), params, query: { limit: '100', ...(cursor ? { cursor } : {}) } }),
        );
        if (reply.status !== 200) throw new Error(`tasks: ${reply.status} ${reply.text}`);
        all.push(...reply.body.items);
        cursor = reply.body.nextCursor;
        if (!cursor) return all;
      }
    },
    project: async () => (await call<ProjectView>(getProject!, apiEvent('GET /projects/{id}', { as: as('committee_leader'), params }))).body,
    complete: async (t: Pick<TaskView, 'id' | 'lead'>, body: Record<string, unknown> = { note: '已办结' }, user?: User) =>
      settled(await call(completeTask!, apiEvent('POST /projects/{id}/tasks/{taskId}/complete', { as: user ?? as(t.lead), params: { ...params, taskId: t.id }, body }))),
    decide: async (stage: Stage, role: Role, body: Record<string, unknown>, user?: User, headers?: Record<string, string>) =>
      settled(await call(decideGate!, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: user ?? as(role), params: { ...params, stage }, body, headers }))),
    meeting: async (stage: Stage, heldOn: string, followUps: { item: string; owner: Role; dueDate: string }[] = []) =>
      settled(
        await call(recordMeeting!, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: as('committee_leader'), params: { ...params, stage }, body: { heldOn, attendees: ['分管领导', '各部门'], decisions: ['同意转段'], followUps, ...plannedAt(stage, heldOn) } })),
      ),
    progress: async (constructionPct: number, equipmentPct: number) =>
      settled(await call(reportProgress!, apiEvent('POST /projects/{id}/progress', { as: as('enterprise'), params, body: { constructionPct, equipmentPct } }))),
    production: async (quarter: string, outputValueCny: number, taxCny: number, jobs: number) =>
      settled(await call(reportProduction!, apiEvent('POST /projects/{id}/production', { as: as('enterprise'), params, body: { quarter, outputValueCny, taxCny, jobs } }))),

    /**
     * Holds the site the project needs (once): a parcel for 摘地, an idle facility for 租赁 — added to the inventory by
     * its owner and reserved by the park service center, as the mechanism has it before 土地清单 / 厂房匹配.
     */
    async holdSite() {
      if (site) return site;
      const p = (await call<ProjectView & { siteMode: string }>(getProject!, apiEvent('GET /projects/{id}', { as: as('committee_leader'), params }))).body;
      const land = p.siteMode === 'land';
      const code = `T-${project.id.slice(-10)}`;
      const body = land
        ? { code, park: project.park, areaM2: 50_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: '2026-01-05', landApproval: '2026-01-06', clearanceList: '2026-01-07', infrastructure: '2026-01-08' } }
        : { code, park: project.park, owner: '开发区建设投资公司', areaM2: 8_000, floorLoadKnM2: 30, clearHeightM: 12, powerKva: 2_000, rentCnyPerM2Month: 15 };
      const kind = land ? 'parcels' : 'facilities';
      const created = await call<{ id: string }>(createResource!, apiEvent('POST /inventory/{kind}', { as: as(land ? 'resources_bureau' : 'soe'), params: { kind }, body }));
      if (created.status !== 201) throw new Error(`inventory: ${created.status} ${created.text}`);
      const reserved = await call<{ id: string }>(reserveResource!, apiEvent('POST /projects/{id}/reservations', { as: as('park_center'), params, body: { kind, resourceId: created.body.id } }));
      if (reserved.status !== 201) throw new Error(`reserve: ${reserved.status} ${reserved.text}`);
      await settled(reserved);
      site = { kind, resourceId: created.body.id, reservationId: reserved.body.id };
      return site;
    },

    /** Completes every open, started, gate-relevant task of `stage` until none is left (successors start as we go). */
    async finishTasks(stage: Stage) {
      if (stage === 'SIGNING') await api.holdSite();
      // The project shows the new stage as soon as the gate passes; its tasks appear when the next segment enters it.
      await until(async () => ((await api.tasks()).some((t) => t.stage === stage && t.kind === 'matrix') ? true : undefined));
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        const open = (await api.tasks()).filter((t) => t.stage === stage && t.status === 'open' && t.kind === 'matrix');
        if (open.length === 0) return;
        const ready = open.filter((t) => t.startedDate);
        for (const t of ready) {
          const reply = await api.complete(t);
          if (reply.status !== 200) throw new Error(`complete ${t.id}: ${reply.status} ${JSON.stringify(reply.body)}`);
        }
        if (ready.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`tasks of ${stage} never finished`);
    },

    /** Waits for the gate to open, records the meeting if required, and has every approver approve. */
    async passGate(stage: Stage, today: string) {
      const gate = await until(async () => {
        const p = await api.project();
        return p.gate?.stage === stage && p.gate.open ? p.gate : undefined;
      });
      if (gate.meetingRequired && !gate.meetingRecorded) {
        const reply = await api.meeting(stage, today);
        if (reply.status !== 201) throw new Error(`meeting: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
      for (const role of gate.requiredApprovals) {
        const reply = await api.decide(stage, role, { decision: 'approve', comment: '同意' });
        if (reply.status !== 201) throw new Error(`approve ${role}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    },

    async waitForStage(stage: Stage) {
      return until(async () => {
        const p = await api.project();
        return p.stage === stage ? p : undefined;
      });
    },
  };
  return api;
}
