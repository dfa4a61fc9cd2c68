// POST /projects/{id}/admission — one admission decision 准入; the last approval starts the lifecycle (through the
// outbox: the start signal commits with the decision, wake-workflow starts the execution). The track department and
// the committee leader of a major project decide in parallel: a lost race is decided again on the new state.
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { etag, json } from '#kernel/http/route.ts';
import { executionName } from '#kernel/workflow/port.ts';
import { getConfig } from '#reference/store/reference.ts';
import { releaseAll, stillHeldChecks } from '#inventory/release-all.ts';
import { releasedMeanwhile } from '#inventory/released-meanwhile.ts';
import { changeProject } from '../change.ts';
import { decideAdmission, startLifecycle } from '../domain/admission.ts';
import { presentProject } from '../present.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.decideAdmission, async (req) => {
  if (req.body.decision === 'reject' && !req.body.reason) {
    throw new ValidationFailed('A rejection needs a reason', [{ path: 'reason', code: 'required', message: 'is required when rejecting' }]);
  }
  return changeProject(
    req,
    req.params.id,
    async (current, now) => {
      const decided = decideAdmission(current, req.principal, req.body, now);
      // A rejection whose holdings took several transactions, and died (or lost its race) between them, gave some back
      // already: it is sent again to give back the rest — an approval now would leave the project listing them.
      // …and one that read them all held commits only while they still are (a rejection's first transaction may commit
      // between this read and this decision's write, the project's version unchanged by it).
      const held = decided.project.status !== 'REJECTED' ? stillHeldChecks(current) : [];
      if (decided.project.status !== 'REJECTED') {
        const back = await releasedMeanwhile(current);
        if (back.length) {
          throw new Conflict(`A rejection of ${current.id} gave back ${back.join(', ')} and did not finish: send the rejection again (it gives back the rest), or ask ops`, [
            { path: 'decision', code: 'state', message: `a rejection is half done: ${back.length} holding(s) already given back` },
          ]);
        }
      }
      if (decided.project.status === 'REJECTED' && (current.reservations?.length || current.fundAllocations?.length)) {
        // A rejected project gives back what was kept ready for it.
        const inventory = await getConfig('inventory');
        const back = await releaseAll({ project: decided.project, by: req.principal, reason: `准入未通过：${req.body.reason ?? ''}`, cause: 'admission_rejected', now, cfg: inventory.doc, requestId: req.requestId });
        // Its record names every holding the rejection gave back: those a send that died (or lost its race) between its
        // transactions gave back too (the project lists them until its own write commits), as the exit's release does.
        return { project: back.project, action: `admission.${req.body.decision}`, signal: null, groups: back.groups, audit: { after: { released: [...back.before, ...back.released] } } };
      }
      if (!decided.started) return { project: decided.project, action: `admission.${req.body.decision}`, signal: null, writes: held };
      // The project records the responsibility matrix version in force when its lifecycle starts.
      const matrix = await getConfig('matrix');
      const project = startLifecycle(decided.project, matrix.version, now, (segment) => executionName({ projectId: current.id, stage: current.stage, segment }));
      return { project, action: `admission.${req.body.decision}`, writes: held, signal: { kind: 'start', projectId: project.id, executionName: project.workflow!.executionName } };
    },
    async (next, _change, shown) => json(200, presentProject(await shown()), etag(next.version)),
  );
});
