// POST /projects/{id}/exit/redrive — ops redrive a failed exit procedure (runbook: "An exit failed"). The outbox hands
// the request to the workflow consumer, which redrives the execution from the step that failed; where it can no longer
// be redriven (older than 14 days on AWS, or gone with a restarted local runtime) the next attempt runs every step —
// each does only what is not done yet. 409 unless the exit failed.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { redriveRequested } from '../domain/exit.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.redriveExit, async (req) =>
  changeProject(
    req,
    req.params.id,
    (project) => {
      const next = redriveRequested(project);
      return {
        project: next,
        action: 'exit.redrive_requested',
        audit: { after: { execution: next.exit!.execution, reason: req.body.reason, failure: project.exit!.failure } },
        signal: { kind: 'exit', projectId: project.id, executionName: next.exit!.execution, mode: 'redrive' },
      };
    },
    async (next, _change, shown) => json(202, presentProject(await shown()), { ...etag(next.version), location: `/projects/${next.id}` }),
  ),
);
