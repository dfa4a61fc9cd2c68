// POST /projects — creates a project in one of the zone's parks, classifies it (分类研判) and leaves it pending
// admission 准入.
import { createProject, newProjectId } from '#projects/domain/project.ts';
import { requireConfiguredPark } from '#reference/domain/parks.ts';
import { diff } from '#kernel/domain/values.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { insertProject, projectSubject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { presentProject } from '#projects/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#projects/routes.ts';

export const handler = writeRoute(routes.createProject,
  async (req) => {
    const now = clock.now();
    // Both kept by a warm function (reference.ts), read side by side: no round trip more than the classification's.
    const [classification, parks] = await Promise.all([getConfig('classification'), getConfig('parks')]);
    const { targets, needs, ...rest } = req.body;
    const input = { ...rest, ...(targets ? { targets } : {}), ...(needs ? { needs } : {}) };
    const project = createProject(input, req.principal, classification.doc, { id: newProjectId(now), now });
    requireConfiguredPark(parks.doc, project.park, 'park');
    const response = json(201, presentProject(project), { ...etag(project.version), location: `/projects/${project.id}` });
    return req.commit(
      [
        ...insertProject(project),
        auditOp(projectSubject(project), 'project.created', req.principal, diff(null, project), now, req.requestId),
      ],
      response,
    );
  },
);
