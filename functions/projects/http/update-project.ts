// PATCH /projects/{id} — the owning department edits the project; If-Match guards against lost updates. Before
// admission a classification field re-classifies; after it the contract's terms are locked (409: amendments).
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { diff, patchProject } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { presentProject } from '#projects/present.ts';
import { loadForChange } from '#projects/change.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#projects/routes.ts';

export const handler = writeRoute(routes.updateProject,
  async (req) => {
    const expected = req.requireIfMatch();
    if (Object.keys(req.body).length === 0) {
      throw new ValidationFailed('Send at least one field to change', [{ path: '', message: 'empty patch' }]);
    }
    const current = await loadForChange(req.params.id, req.principal, expected);
    const now = clock.now();
    const updated = patchProject(current, req.principal, req.body, now, (await getConfig('classification')).doc);
    return req.commit(
      [
        replaceProject(updated, current.version),
        auditOp(`PROJECT#${updated.id}`, updated.category !== current.category || updated.categoryReason !== current.categoryReason ? 'project.reclassified' : 'project.updated', req.principal, diff(current, updated), now, req.requestId),
        // Needs feed the workflow's rules: let a waiting workflow re-evaluate.
        signalOp({ kind: 'wake', projectId: updated.id, reason: 'project.updated' }, req.requestId),
      ],
      json(200, presentProject(updated), etag(updated.version)),
    );
  },
);
