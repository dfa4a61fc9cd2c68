// POST /projects/{id}/progress — a construction progress report 建设推进 (construction % and equipment-installation %):
// it holds the current progress meeting, schedules the next one, and clears a stalled 施工停滞 flag (domain/progress.ts).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProjectFor } from '#projects/present.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { reportProgress } from '../domain/progress.ts';
import * as routes from '../routes.ts';
import { insertTask, listTasks, putTask } from '../store/tasks.ts';

export const handler = writeRoute(routes.reportProgress, async (req) => {
  const [lights, calendar] = await Promise.all([getConfig('lights'), loadCalendar()]);
  return changeProject(
    req,
    req.params.id,
    async (current, now) => {
      const { project, closed, next } = reportProgress({ project: current, tasks: await listTasks(current.id), by: req.principal, input: req.body, now, today: shanghaiDate(now), calendar, yellowBeforeWd: lights.doc.yellowBeforeWd });
      return {
        project,
        action: 'progress.reported',
        audit: { before: { progress: current.progress ?? null }, after: { progress: project.progress } },
        writes: [...(closed ? [putTask(closed)] : []), ...(next ? [insertTask(next)] : [])],
      };
    },
    (next) => json(200, presentProjectFor(req.principal, next), etag(next.version)),
  );
});
