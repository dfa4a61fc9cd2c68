// POST /projects/{id}/matrix — ops move a running project onto another published responsibility matrix (one published
// by mistake, then corrected): from the next stage it enters on, its tasks, time limits and gates come from that version.
// The stage it is in keeps its tasks; its gate, while no one has decided it, waits for the approvers that version names
// (the departments it now waits for are told it is open, those it no longer waits for that it does not — their
// gate.open notice is void — and the lifecycle re-evaluates: the unit of work's wake-up).
// If-Match required (the project's version read); audited with the version and gate approvers before and after, and the note.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { readConfigVersion } from '#reference/store/reference.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { movedGateApprovers, repinMatrix } from '../domain/matrix-pin.ts';
import { gateApproversMoved, gateRecords } from '../store/tasks.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.repinMatrix, async (req) => {
  req.requireIfMatch();
  return changeProject(
    req,
    req.params.id,
    (current, _now, [target, records]) => {
      const project = repinMatrix(current, req.body.version, target !== undefined);
      const gate = records.gate(current.stage);
      const approvers = target && gate ? movedGateApprovers(gate, records.approvals(current.stage), target.doc, current) : undefined;
      if (!gate || !approvers) return { project, action: 'matrix.repinned', audit: { after: { note: req.body.note } } };
      // Told as at the gate's opening: only the departments it did not wait for before, and only once it is open. Those
      // it waited for and no longer does were told it awaited them: told it does not any more.
      const told: Notice[] = gate.open
        ? [
            ...approvers.filter((r) => !gate.requiredApprovals.includes(r)).map((to): Notice => ({ kind: 'gate.open', project, to, gate: gate.name.zh, gateEn: gate.name.en, stage: gate.stage, dueDate: gate.dueDate, ...(gate.calendarProvisional ? { dueProvisional: true } : {}) })),
            ...gate.requiredApprovals.filter((r) => !approvers.includes(r)).map((to): Notice => ({ kind: 'gate.open_withdrawn', project, to, gate: gate.name.zh, gateEn: gate.name.en, stage: gate.stage, version: req.body.version, approvers })),
          ]
        : [];
      return {
        project,
        action: 'matrix.repinned',
        audit: { before: { gateApprovers: gate.requiredApprovals }, after: { note: req.body.note, gateApprovers: approvers } },
        writes: [gateApproversMoved(current.id, gate, approvers)],
        notices: told,
      };
    },
    async (next, _change, shown) => json(200, presentProject(await shown()), etag(next.version)),
    { alongside: () => Promise.all([readConfigVersion('matrix', req.body.version), gateRecords(req.params.id)]) },
  );
});
