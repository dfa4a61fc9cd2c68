// GET /projects/{id} — one project with its current gate 转段 (approvals so far; at a decided last gate, the work it is
// held for) and task summary; staff, or the investing enterprise itself (its own view: no internal records).
import { assertCanRead } from '#kernel/domain/principal.ts';
import { loadProject } from '#projects/store/projects.ts';
import { gateRecords, listTasks } from '#lifecycle/store/tasks.ts';
import { gateWaitsOf, isLastGate, outstandingAtLastGate, stageGate, type Gate } from '#lifecycle/domain/gate.ts';
import { getStageEntry } from '#lifecycle/store/stage.ts';
import type { Project } from '#projects/domain/project.ts';
import { presentGate, presentProject, presentProjectToEnterprise } from '#projects/present.ts';
import { seesEnterpriseView } from '#kernel/domain/principal.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';
import { gateNeeds } from '#inventory/domain/reservation.ts';
import { withoutReleasedMeanwhile } from '#inventory/released-meanwhile.ts';
import { getConfig, getConfigVersion } from '#reference/store/reference.ts';
import { productionNeeds, quarterOf } from '#projects/domain/production.ts';

export const handler = route(routes.getProject, async (req) => {
  // The gate records and the configuration are read at the same time as the project (one round trip); nothing of them
  // is shown before the caller's right to read the project is checked, and the project's refusal comes first.
  const [loaded, records, inventory, parks] = await Promise.allSettled([loadProject(req.params.id), gateRecords(req.params.id), getConfig('inventory'), getConfig('parks')]);
  if (loaded.status === 'rejected') throw loaded.reason;
  const project = loaded.value;
  assertCanRead(req.principal, project);
  if (records.status === 'rejected') throw records.reason;
  // A stage just entered (admission, a gate passed) has no gate record until its entry step writes it, and a stage the
  // matrix names no gate for has none until its review opens the default one: the gate its matrix version gives is shown
  // then, shut, rather than none — and, while the stage's entry is not recorded yet, a need saying so (read only then).
  const recorded = records.value.gate(project.stage);
  const entering = recorded === undefined && project.status === 'ACTIVE' ? await enteringGate(project) : undefined;
  const gate = recorded ?? entering?.gate;
  // The park's English name (the zone's parks configuration; null when it gives none): an enterprise reads no
  // configuration, and an English page names the park by it.
  if (parks.status === 'rejected') throw parks.reason;
  const parkEn = parks.value.doc.parks.find((x) => x.name === project.park)?.nameEn ?? null;
  if (seesEnterpriseView(req.principal, project)) return json(200, { ...presentProjectToEnterprise(project, gate ?? null), parkEn }, etag(project.version));
  if (inventory.status === 'rejected') throw inventory.reason;
  // A release of everything (a rejection, an exit) that died between its transactions left the record listing holdings
  // already back in the inventory until it is sent again: their own records say so, and they are not shown as held —
  // nor counted toward what the gate needs.
  const shown = await withoutReleasedMeanwhile(project);
  // What the gate still needs of the inventory (a parcel for 摘地, a facility for 租赁): approvers see it before deciding.
  // Each in both languages (`zh`, `en`); `message` as it has always been worded (a reservation's in Chinese, the
  // production figures' in English).
  const needs: { kind: string; message: string; zh: string; en: string; taskId?: string }[] = gateNeeds(shown, project.stage, inventory.value.doc).map((n) => ({ kind: n.kind, message: n.message, zh: n.message, en: n.en }));
  // A gate not open yet waits for its stage's required tasks: each named (from the task summary the writes that close
  // tasks record, not a read of the tasks), `taskId` for the consumer to act on.
  const shut = gate !== undefined && !gate.open && !gate.passedAt && project.status === 'ACTIVE';
  if (entering?.pending) needs.push({ kind: 'entry', message: ENTERING.zh, ...ENTERING });
  // A summary recorded before it kept them has none: the tasks are read then (once its next review records them).
  const waits = !shut || entering?.pending ? [] : (project.tasksSummary?.gateWaits ?? gateWaitsOf(await listTasks(project.id), project.stage));
  const taskNeeds = waits.map((w) => ({ kind: 'task', taskId: w.id, message: `尚需办结：${w.zh}`, zh: `尚需办结：${w.zh}`, en: `task not done yet: ${w.en}` }));
  needs.push(...taskNeeds);
  // The 达产 gate opens on a year of production figures meeting the contract's targets: while it is shut, what they lack.
  if (shut && project.stage === 'OPERATION') {
    // Figures are taken from the quarter it entered OPERATION in: the needs name no quarter before it.
    const [recurring, operation] = await Promise.all([getConfig('recurring'), getStageEntry(project.id, 'OPERATION')]);
    const firstQuarter = operation ? quarterOf(operation.enteredDate) : undefined;
    for (const n of productionNeeds(project, recurring.doc.producingTargetShare, { firstQuarter })) needs.push({ kind: 'production', message: n.en, zh: n.zh, en: n.en });
  }
  const view = gate ? presentGate(gate, records.value.approvals(project.stage)) : null;
  // A decided gate still open is the last one (达产) held for work the project still owes: which (its open obligations
  // and follow-ups), read only then — a second round trip for the few projects at that point.
  const heldFor = view?.decided && project.status === 'ACTIVE' && isLastGate(project.stage) ? outstandingAtLastGate(project.stage, await listTasks(project.id)).map((t) => t.id) : [];
  return json(200, { ...presentProject(shown), parkEn, gate: view ? { ...view, ...(heldFor.length ? { heldFor } : {}), needs } : null }, etag(project.version));
});

const ENTERING = { zh: '本阶段正在进入：任务与转段稍后生成', en: 'the stage is being entered: its tasks and gate are set up in a moment' };

/** The gate of an ACTIVE project's stage that has no gate record yet, and whether the stage's entry is still to come. */
async function enteringGate(project: Project): Promise<{ gate: Gate; pending: boolean }> {
  const [matrix, entry] = await Promise.all([getConfigVersion('matrix', project.matrixVersion), getStageEntry(project.id, project.stage)]);
  return { gate: stageGate(matrix.doc.gates, project.stage, project), pending: entry === undefined };
}
