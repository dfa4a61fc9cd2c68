// PATCH /projects/{id} — the owning department edits the project; If-Match guards against lost updates. Before
// admission a classification field re-classifies; after it the contract's terms are locked (409: amendments).
import { ValidationFailed } from '#domain/errors.ts';
import { diff, patchProject } from '#domain/project.ts';
import { auditOp } from '#adapters/dynamodb/audit.ts';
import { signalOp } from '#adapters/dynamodb/outbox.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { getConfig } from '#adapters/dynamodb/reference.ts';
import { clock } from '#adapters/clock.ts';
import { PatchProjectBody } from '#http/schemas/project.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { presentProject } from '#http/present.ts';
import { loadForChange } from '#http/project-change.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route(
  { auth: ['investment_dept', 'scitech_dept'], params: ProjectIdParams, body: PatchProjectBody, idempotent: true },
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
