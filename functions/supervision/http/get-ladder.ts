// GET /projects/{id}/ladder — a project's supervision file 督办档案: where it stands on the escalation ladder, the planned
// completion, every interview 约谈, joint assessment round 联合研判 (with who is still to decide), compliance check 履约核查,
// and the exit procedure. Four queries on the project's partition.
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { json, route } from '#kernel/http/route.ts';
import { presentExit } from '#projects/present.ts';
import { loadProject } from '#projects/store/projects.ts';
import { presentAssessment } from '../present.ts';
import * as routes from '../routes.ts';
import { listInterviews } from '../store/interviews.ts';
import { listAssessments, listComplianceChecks } from '../store/ladder-records.ts';

export const handler = route(routes.getLadder, async (req) => {
  const project = await loadProject(req.params.id);
  assertReadsAsStaff(req.principal, project);
  const [interviews, assessments, checks] = await Promise.all([listInterviews(project.id), listAssessments(project.id), listComplianceChecks(project.id)]);
  return json(200, {
    projectId: project.id,
    status: project.status,
    escalation: project.escalation,
    plannedCompletion: project.plannedCompletion ?? null,
    interviews,
    assessments: assessments.map((a) => presentAssessment(a, project.escalation)),
    complianceChecks: checks,
    exit: project.exit ? presentExit(project.exit) : null,
  });
});
