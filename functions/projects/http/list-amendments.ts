// GET /projects/{id}/amendments — a project's contract amendments 合同变更, oldest first, each as its POST answered it
// (the terms' before and after, the re-classification, the reason and who): the records the amendments wrote, read back.
import { assertReadsAsStaff } from '#kernel/domain/principal.ts';
import { pageByKey } from '#kernel/http/cursor.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#projects/routes.ts';
import { loadProject, pageContractAmendments } from '#projects/store/projects.ts';

export const handler = route(routes.listAmendments, async (req) => {
  const project = await loadProject(req.params.id);
  assertReadsAsStaff(req.principal, project);
  const page = await pageByKey((limit, after) => pageContractAmendments(project.id, limit, after), (a) => a.id, req.query, { list: `amendments ${project.id}`, caller: req.principal.sub });
  return json(200, { items: page.items, nextCursor: page.nextCursor });
});
