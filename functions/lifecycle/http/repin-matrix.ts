// POST /projects/{id}/matrix — ops move a running project onto another published responsibility matrix (one published
// by mistake, then corrected): from the next stage it enters on, its tasks, time limits and gates come from that version.
// The stage it is in keeps its tasks; its gate, while no one has decided its current round, waits for the approvers that
// version names (the departments it now waits for are told it is open, those it no longer waits for that it does not —
// their gate.open notice, and any gate.overdue reminder of it, is marked read and void in the same transaction — and
// the lifecycle re-evaluates: the unit of work's wake-up). The answer says what became of the gate (`gateApprovers`: before, after, what the version names, and why it kept its approvers if it did).
// If-Match required (the project's version read); audited with the version and gate approvers before and after, and the
// note (`gateKept` when the gate kept approvers the version does not name): the move needs a `note` (a 400 naming it), a
// dry run does not (it audits nothing). `dryRun: true` answers the same checks and what the move would do — the project
// as it would stand, `gateApprovers`, the notices it would send (`told`), the earlier gate.open / gate.overdue notices it
// would void (`voids`: each by id, kind and inbox, found by the move's own reads) and the stages still to enter whose tasks or gate differ (`stages`) — writing nothing: ops walking a zone's projects see each
// one's move before making it, and make it with the same If-Match (a 412 if it moved meanwhile).
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { assertCanRead, type Principal } from '#kernel/domain/principal.ts';
import { recipientOf } from '#notifications/domain/notices.ts';
import { noticesVoided, voidedByOps } from '#notifications/notifier.ts';
import { assertVersion } from '#projects/domain/project.ts';
import { loadProject } from '#projects/store/projects.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { readConfigVersion } from '#reference/store/reference.ts';
import { approversChangedNotices, repinGate, repinMatrix, stagesToCome, type GateRepin } from '../domain/matrix-pin.ts';
import { gateApproversMoved, gateRecords } from '../store/tasks.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.repinMatrix, async (req) => {
  if (req.body.dryRun) {
    req.requireIfMatch();
    return dryRun(req);
  }
  // The move is audited with why; a preview writes no audit, so only the move needs a note (a 400, as the body's others).
  const { note } = req.body;
  if (note === undefined) throw new ValidationFailed('Moving a project onto another matrix needs a note saying why (optional only with dryRun: true)', [{ path: 'note', code: 'required', message: 'is required unless dryRun is true' }]);
  req.requireIfMatch();
  /** What became of the current stage's gate (the answer's `gateApprovers`): null when the stage has none yet. */
  let gateRepin: GateRepin | null = null;
  return changeProject(
    req,
    req.params.id,
    async (current, now, [target, records]) => {
      const project = repinMatrix(current, req.body.version, target !== undefined);
      const gate = records.gate(current.stage);
      gateRepin = target && gate ? repinGate(gate, records.approvals(current.stage), target.doc, current) : null;
      if (!gate || !gateRepin) return { project, action: 'matrix.repinned', audit: { after: { note } } };
      const { before, after, moved, keptBecause, versionNames } = gateRepin;
      // Kept: said with why and what the version names, so ops know the gate still waits for the approvers it had.
      const kept = keptBecause ? { gateKept: { because: keptBecause, versionNames, round: gate.round } } : {};
      const notices = moved ? approversChangedNotices({ project, gate: { ...gate, requiredApprovals: after }, before, wasOpen: gate.open, version: req.body.version }) : [];
      return {
        project,
        action: 'matrix.repinned',
        audit: { before: { gateApprovers: before }, after: { note, gateApprovers: after, ...kept } },
        // The departments it no longer waits for: their gate.open and gate.overdue notices of this gate read and void.
        ...(moved ? { writes: [gateApproversMoved(current.id, gate, after), ...(gate.openedDate ? await voidedByOps(notices, gate.openedDate, now) : [])], notices } : {}),
      };
    },
    async (next, _change, shown) => json(200, { ...presentProject(await shown()), gateApprovers: gateRepin }, etag(next.version)),
    { alongside: () => Promise.all([readConfigVersion('matrix', req.body.version), gateRecords(req.params.id)]) },
  );
});

/** What the move would do, as the move decides it, from the same reads: nothing written. */
async function dryRun(req: { readonly principal: Principal; readonly ifMatch: number | undefined; readonly params: { readonly id: string }; readonly body: { readonly version: number } }) {
  const [current, target, records] = await Promise.all([loadProject(req.params.id), readConfigVersion('matrix', req.body.version), gateRecords(req.params.id)]);
  assertCanRead(req.principal, current);
  assertVersion(current, req.ifMatch);
  const project = repinMatrix(current, req.body.version, target !== undefined);
  const followed = await readConfigVersion('matrix', current.matrixVersion ?? 0);
  const gate = records.gate(current.stage);
  const gateRepin = target && gate ? repinGate(gate, records.approvals(current.stage), target.doc, current) : null;
  const told = gate && gateRepin?.moved ? approversChangedNotices({ project, gate: { ...gate, requiredApprovals: gateRepin.after }, before: gateRepin.before, wasOpen: gate.open, version: req.body.version }) : [];
  // The earlier notices the move would void, found as the move finds them (the same filtered read of each inbox).
  const voids = gate?.openedDate && told.length ? await noticesVoided(told, gate.openedDate) : [];
  const stages = followed && target ? stagesToCome(current, followed.doc, target.doc) : [];
  return json(
    200,
    { ...presentProject(project), dryRun: true, gateApprovers: gateRepin, told: told.map((n) => ({ kind: n.kind, inbox: recipientOf(n) })), voids: voids.map((v) => ({ id: v.id, kind: v.kind, inbox: v.recipient })), stages },
    etag(current.version),
  );
}
