// GET /projects/{id} — one project with its current gate 转段 (approvals so far) and task summary; staff, or the
// investing enterprise itself.
import { assertCanRead } from '#domain/principal.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { getGate, listApprovals } from '#adapters/dynamodb/tasks.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { presentProject } from '#http/present.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route({ auth: 'any', params: ProjectIdParams }, async (req) => {
  const project = await loadProject(req.params.id);
  assertCanRead(req.principal, project);
  const [gate, approvals] = await Promise.all([getGate(project.id, project.stage), listApprovals(project.id, project.stage)]);
  return json(
    200,
    {
      ...presentProject(project),
      gate: gate
        ? {
            stage: gate.stage,
            name: gate.name.zh,
            open: gate.open,
            requiredApprovals: gate.requiredApprovals,
            approvals: approvals.filter((a) => a.round === gate.round).map(({ role, by, decision, at, comment }) => ({ role, by, decision, at, comment })),
            meetingRequired: gate.meetingRequired,
            meetingRecorded: gate.meeting !== null,
            dueDate: gate.dueDate,
            calendarProvisional: gate.calendarProvisional ?? false,
            round: gate.round,
          }
        : null,
    },
    etag(project.version),
  );
});
