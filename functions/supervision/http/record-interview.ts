// POST /projects/{id}/interviews — the L2 rung's record 约谈企业: when, who, what was said, and the commitments made;
// each commitment becomes a task of its owner with its due date (a missed one is overdue work the ladder sees). On the
// timeline; the lifecycle re-evaluates.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { requireRole } from '#kernel/domain/principal.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { provisionalCreated } from '#lifecycle/domain/review.ts';
import { presentTaskFor } from '#lifecycle/present.ts';
import { insertTask, listGates, listTasks } from '#lifecycle/store/tasks.ts';
import { summaryAfter } from '#lifecycle/summary.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { interviewer, recordInterview, type Interview } from '../domain/interview.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import * as routes from '../routes.ts';
import { insertInterview, listInterviews } from '../store/interviews.ts';

export const handler = writeRoute(routes.recordInterview, async (req) => {
  const [escalation, limits, lights, calendar] = await Promise.all([getConfig('escalation'), getConfig('limits'), getConfig('lights'), loadCalendar()]);
  let result: { interview: Interview; commitments: Task[] } | undefined;
  const present = presentTaskFor(req.principal);
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const [tasks, previous, gates] = await Promise.all([listTasks(project.id), listInterviews(project.id), listGates(project.id)]);
      const today = shanghaiDate(now);
      result = recordInterview({ project, tasks, input: req.body as never, by: req.principal, previous, now, today, ladder: escalation.doc, limits: limits.doc, dates: { yellowBeforeWd: lights.doc.yellowBeforeWd, calendar } });
      // Its commitments are open work: the project's light and task counts as they stand after them.
      const after = result.commitments.length ? await summaryAfter(project, [...tasks, ...result.commitments], gates, today) : undefined;
      return {
        project: after ? { ...project, ...after } : project,
        action: 'escalation.interview',
        audit: { after: { number: result.interview.number, heldOn: result.interview.heldOn, attendees: result.interview.attendees, commitments: result.interview.commitments } },
        writes: [insertInterview(project.id, result.interview), ...result.commitments.map(insertTask)],
        // A commitment dated in a year with no calendar: ops told with the interview (once a project and year).
        notices: [...commitmentNotices(project, result.commitments), ...provisionalCreated(project, [...tasks, ...gates], result.commitments)],
      };
    },
    (next) => json(201, { interview: result!.interview, commitments: result!.commitments.map(present) }, etag(next.version)),
  );
  // Who holds the interview is told before what was sent (a park's center of another park: on the project, after).
}, async (p) => requireRole(p, [interviewer((await getConfig('escalation')).doc)], 'Recording the interview 约谈'));

/** Each party the interview gave work is told of it once: its commitments (name and due date), the first due date. */
function commitmentNotices(project: Project, commitments: readonly Task[]): Notice[] {
  const byOwner = Map.groupBy(commitments, (t) => t.lead);
  return [...byOwner].map(([to, tasks]) => ({
    kind: 'interview.commitments' as const,
    project,
    to,
    items: tasks.map((t) => `${t.name.zh}（${t.dueDate ?? '—'}）`),
    dueDate: tasks.map((t) => t.dueDate ?? '').filter(Boolean).sort()[0] ?? '',
  }));
}
