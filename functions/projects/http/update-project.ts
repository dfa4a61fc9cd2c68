// PATCH /projects/{id} — the owning department edits the project; If-Match (required) guards against lost updates.
// Before admission a classification field re-classifies; after it the contract's terms are locked (409: amendments).
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { etag, json } from '#kernel/http/route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { changeProject } from '../change.ts';
import { patchProject, requireEditor } from '../domain/contract.ts';
import { presentProject } from '../present.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.updateProject, async (req) => {
  req.requireIfMatch();
  if (Object.keys(req.body).length === 0) throw new ValidationFailed('Send at least one field to change', [{ path: '', code: 'empty', message: 'empty patch' }]);
  const classification = (await getConfig('classification')).doc;
  return changeProject(
    req,
    req.params.id,
    (current, now) => {
      const project = patchProject(current, req.principal, req.body, now, classification);
      const reclassified = project.category !== current.category || project.categoryReason !== current.categoryReason;
      // Needs feed the workflow's rules: the waiting workflow re-evaluates (the unit of work's wake signal).
      return { project, action: reclassified ? 'project.reclassified' : 'project.updated' };
    },
    async (next, _change, shown) => json(200, presentProject(await shown()), etag(next.version)),
    // Only the track's department edits: told so before a stale If-Match would tell it the record's version.
    { authorize: (current) => requireEditor(current, req.principal) },
  );
});
