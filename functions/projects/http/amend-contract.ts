// POST /projects/{id}/amendments — a contract amendment 合同变更 after admission: the committee leader changes the
// contract's terms (investment, industry, tech level, chain role, production targets) with the reason on record; the
// project is re-classified (a project that becomes major gets its 专班) and its lifecycle re-evaluates (达产 targets).
import { writeRoute } from '#kernel/http/write-route.ts';
import { etag, json } from '#kernel/http/route.ts';
import { newId } from '#kernel/runtime/ids.ts';
import { getConfig } from '#reference/store/reference.ts';
import { changeProject } from '../change.ts';
import { amendContract, type AmendmentResult } from '../domain/contract.ts';
import { presentProject } from '../present.ts';
import * as routes from '../routes.ts';
import { insertContractAmendment } from '../store/projects.ts';

export const handler = writeRoute(routes.amendContract, async (req) => {
  const classification = (await getConfig('classification')).doc;
  let result: AmendmentResult | undefined;
  return changeProject(
    req,
    req.params.id,
    (current, now) => {
      result = amendContract(current, req.principal, req.body, now, classification, newId('amd', now));
      return { project: result.project, action: 'contract.amended', audit: { after: { reason: result.amendment.reason, amendment: result.amendment.id } }, writes: [insertContractAmendment(current.id, result.amendment)] };
    },
    async (next, _change, shown) => json(201, { amendment: result!.amendment, project: presentProject(await shown()) }, { ...etag(next.version), location: `/projects/${next.id}/amendments/${result!.amendment.id}` }),
  );
});
