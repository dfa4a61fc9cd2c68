// POST /projects/{id}/amendments — a contract amendment 合同变更 after admission: the committee leader changes the
// contract's terms (investment, industry, tech level, chain role, production targets) with the reason on record; the
// project is re-classified (a project that becomes major gets its 专班) and its lifecycle re-evaluates (达产 targets).
import { amendContract, diff } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { newId } from '#kernel/runtime/ids.ts';
import { insertContractAmendment, replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#projects/routes.ts';

export const handler = writeRoute(routes.amendContract, async (req) =>
  changeProject(req, req.params.id, 'contract.amended', async (commit) => {
    const now = clock.now();
    const current = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const classification = (await getConfig('classification')).doc;
    const { project, amendment } = amendContract(current, req.principal, req.body, now, classification, newId('amd', now));
    return commit(
      [
        insertContractAmendment(project.id, amendment),
        replaceProject(project, current.version),
        auditOp(`PROJECT#${project.id}`, 'contract.amended', req.principal, { ...diff(current, project), after: { ...diff(current, project).after, reason: amendment.reason, amendment: amendment.id } }, now, req.requestId),
      ],
      json(201, { amendment, project: presentProject(project) }, { ...etag(project.version), location: `/projects/${project.id}` }),
    );
  }),
);
