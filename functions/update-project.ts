// PATCH /projects/{id} — the owning department edits descriptive fields; If-Match guards against lost updates.
import { ValidationFailed } from '#domain/errors.ts';
import { diff, patchProject } from '#domain/project.ts';
import { auditOp } from '#adapters/dynamodb/audit.ts';
import { signalOp } from '#adapters/dynamodb/outbox.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { clock } from '#adapters/clock.ts';
import { PatchProjectBody, } from '#http/schemas/project.ts';
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
    const updated = patchProject(current, req.principal, req.body, now);
    return req.commit(
      [
        replaceProject(updated, current.version),
        auditOp(`PROJECT#${updated.id}`, 'project.updated', req.principal, diff(current, updated), now, req.requestId),
        // Targets and needs feed the workflow's rules (达产): let a waiting workflow re-evaluate.
        signalOp({ kind: 'wake', projectId: updated.id, reason: 'project.updated' }, req.requestId),
      ],
      json(200, presentProject(updated), etag(updated.version)),
    );
  },
);
