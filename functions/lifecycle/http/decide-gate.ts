// POST /projects/{id}/gates/{stage}/approvals — parallel approval 并联审批 of a stage gate 转段: each named approver
// decides once per round, in any order; a rejection (with its reason) reopens the tasks it names and starts a new round
// (the rules: domain/gate.ts decideGate). The round's last approval, its meeting recorded, passes the gate with it
// (stage-pass.ts): `passedTo` names the stage the project moved into — unless it is the last gate (达产) and work is
// still owed (`heldFor`: the open obligations and follow-ups; the review passes it once they are done). An approval
// that leaves the gate waiting is not refused by another change of the project meanwhile (below).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { voidedByOps } from '#notifications/notifier.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, getConfigVersion, loadCalendar } from '#reference/store/reference.ts';
import { assertGateNeeds, gateHasNeeds } from '#inventory/domain/reservation.ts';
import { decideGate } from '../domain/gate.ts';
import { approversChangedNotices, nextRoundApprovers, sameList } from '../domain/matrix-pin.ts';
import { decisionReads, passAtDecision, type PassAtDecision } from '../stage-pass.ts';
import * as routes from '../routes.ts';
import { gateDecided, insertApproval, putGate, putTask } from '../store/tasks.ts';
import { summaryAfter } from '../summary.ts';

export const handler = writeRoute(routes.decideGate, async (req) => {
  const references = Promise.all([getConfig('lights'), loadCalendar(), getConfig('inventory')]);
  const stage = req.params.stage;
  let decided: ReturnType<typeof decideGate> | undefined;
  let pass: PassAtDecision | undefined;
  /** The round complete but the last gate held: the work still owed (task ids) it waits for. */
  let heldFor: readonly string[] = [];
  /**
   * The round this request was decided on at its first reading: an attempt retried after a rejection began the next
   * round is refused (409), not counted there — the decider saw the round before (helper-74: an approval sent as a
   * colleague rejected was recorded in the new round). `round` in the body pins it from the page the decider read.
   */
  let roundRead: number | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now, [[lights, calendar, inventory], { gate, approvals, tasks, passing }]) => {
      const today = shanghaiDate(now);
      // Who may decide and whether the gate is open come first; then a gate that needs a reservation (a parcel for 摘地,
      // a facility for 租赁) says so before anyone approves it.
      roundRead ??= gate?.round;
      const round = req.body.round ?? roundRead;
      // A rejection begins the next round on the approvers of the matrix version the project follows (a re-pin that found
      // the round decided left the gate its approvers; a version is never rewritten, so a warm function keeps it).
      const matrix = req.body.decision === 'reject' && gate && project.matrixVersion ? (await getConfigVersion('matrix', project.matrixVersion)).doc : undefined;
      const nextApprovers = gate ? nextRoundApprovers(gate, matrix, project) : undefined;
      decided = decideGate({ project, stage, gate, approvals, tasks, by: req.principal, input: { ...req.body, round }, now, today, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd, nextApprovers });
      if (req.body.decision === 'approve') assertGateNeeds(project, stage, inventory.doc);
      const { approval, reopened } = decided;
      // The round's last approval (its meeting already recorded) passes the gate in this transaction, today.
      const outcome = approval.decision === 'approve' ? await passAtDecision({ project, stage, gate: gate!, approvals: [...approvals, approval], tasks, now, today, calendar, reads: passing }) : {};
      pass = outcome.pass;
      // An approval that leaves the gate waiting changes nothing of the project: it commits under its own conditions
      // (one decision per approver and round; the gate open in that round and, counted, still short of its last
      // decision; the project at this stage in this park, no exit decided and, when the gate needs a reservation, holding
      // the same ones), so another approver's decision, a task's light or the lifecycle's review meanwhile does not
      // refuse it. Not when the caller pinned a version. Of two last approvals that each missed the other, the count lets
      // one through; the other is read again and passes the gate.
      const waiting = approval.decision === 'approve' && !pass;
      // The round complete but its pass held for work still owed (the last gate): counted as the round's last decision,
      // on the project's version; the review passes the gate once that work is done.
      const held = outcome.heldFor !== undefined;
      heldFor = outcome.heldFor ?? [];
      const touch = waiting && !held && req.ifMatch === undefined;
      // Written without a pass (a rejection reopening tasks, a held round): its light and task counts as they stand after.
      const after = pass || touch ? undefined : await summaryAfter(project, tasks.map((t) => reopened.find((r) => r.id === t.id) ?? t), [decided.gate ?? gate], today, [...approvals, approval]);
      // The next round waiting on other approvers than the round rejected: told as a re-pin tells them.
      const next = decided.gate;
      const movedTo = next && gate && !sameList(next.requiredApprovals, gate.requiredApprovals) ? next.requiredApprovals : undefined;
      const moved = movedTo ? approversChangedNotices({ project, gate: next!, before: gate!.requiredApprovals, wasOpen: gate!.open, version: project.matrixVersion! }) : [];
      return {
        ...(touch ? { touch: { stage, park: project.park, closedByExit: true, ...(gateHasNeeds(project, stage, inventory.doc) ? { reservations: project.reservations ?? [] } : {}) } } : {}),
        project: pass?.project ?? (after ? { ...project, ...after } : project),
        action: `gate.${approval.decision}`,
        audit: {
          after: {
            stage,
            role: approval.role,
            comment: approval.comment,
            round: approval.round,
            reopened: reopened.map((t) => t.id),
            ...(heldFor.length ? { heldFor } : {}),
            ...(movedTo ? { nextRound: { round: next!.round, approvers: movedTo, matrixVersion: project.matrixVersion } } : {}),
          },
        },
        writes: [
          insertApproval(project.id, stage, approval, { raced: touch }),
          ...(waiting ? [gateDecided(project.id, gate!, approvals, undefined, held)] : []),
          ...(decided.gate ? [putGate(project.id, decided.gate, gate!)] : []),
          ...reopened.map(putTask),
          ...(pass?.writes ?? []),
          // The departments the next round no longer waits for: their gate.open and gate.overdue notices read and void.
          ...(moved.length && gate!.openedDate ? await voidedByOps(moved, gate!.openedDate, now) : []),
        ],
        events: pass?.events ?? [],
        notices: [...(pass?.notices ?? []), ...moved],
      };
    },
    (next) => json(201, { stage, approval: decided!.approval, reopenedTasks: decided!.reopened.map((t) => t.id), passedTo: pass?.to ?? null, heldFor }, etag(next.version)),
    // Read with the project (one round trip): the configuration once; the gate, its approvals, the tasks and what a pass
    // reads, in one query of the project's partition (stage-pass.ts), every attempt.
    { alongside: () => Promise.all([references, decisionReads(req.params.id, stage)]) },
  );
});
