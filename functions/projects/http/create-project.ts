// POST /projects — creates a project in one of the zone's parks, classifies it (分类研判) and leaves it pending
// admission 准入.
import { createProject, newProjectId } from '#projects/domain/project.ts';
import { requireConfiguredPark } from '#reference/domain/parks.ts';
import { diff } from '#kernel/domain/values.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { insertProject, projectSubject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { parkNamedOp, withParks } from '#reference/store/park-names.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { presentProject } from '#projects/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#projects/routes.ts';

export const handler = writeRoute(routes.createProject,
  async (req) => {
    const now = clock.now();
    // Both kept by a warm function (reference.ts), read side by side: no round trip more than the classification's. The
    // park is checked against the list of parks still in force when the project is stored (park-names.ts): a list
    // published meanwhile is read again, and a park it left out is a 400.
    const [classification, parks] = await Promise.all([getConfig('classification'), getConfig('parks')]);
    const { targets, needs, ...rest } = req.body;
    const input = { ...rest, ...(targets ? { targets } : {}), ...(needs ? { needs } : {}) };
    const id = newProjectId(now);
    return withParks(async (list) => {
      const project = createProject(input, req.principal, classification.doc, { id, now });
      requireConfiguredPark(list.doc, project.park, 'park');
      const response = json(201, presentProject(project), { ...etag(project.version), location: `/projects/${project.id}` });
      return req.commit(
        [
          ...insertProject(project),
          auditOp(projectSubject(project), 'project.created', req.principal, diff(null, project), now, req.requestId),
          parkNamedOp(project.park, project.id),
        ],
        response,
      );
    }, parks);
  },
);
