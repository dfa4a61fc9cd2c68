// POST /projects/{id}/assessments — one named department's decision in the L3 joint assessment 联合研判: continue with
// a rectification plan, or proceed. The departments decide in parallel (the project's version serializes them); the
// last one concludes the round: all continue → the plan's items become timed tasks and the ladder holds at L3 until the
// plan's last due date; any proceed → the ladder climbs to L4 履约核查 now. On the timeline; the lifecycle re-evaluates.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { requireRole } from '#kernel/domain/principal.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import type { Role } from '#kernel/domain/codes.ts';
import { provisionalCreated } from '#lifecycle/domain/review.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import { insertTask, listGates, listTasks } from '#lifecycle/store/tasks.ts';
import { summaryAfter } from '#lifecycle/summary.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { assessmentDepartments, decideAssessment, holdForPlan, type Assessment } from '../domain/assessment.ts';
import { raise, raisedNotices } from '../domain/escalation.ts';
import { presentAssessment } from '../present.ts';
import * as routes from '../routes.ts';
import { latestAssessment, putAssessment } from '../store/ladder-records.ts';

export const handler = writeRoute(routes.recordAssessment, async (req) => {
  const [escalation, limits, lights, calendar] = await Promise.all([getConfig('escalation'), getConfig('limits'), getConfig('lights'), loadCalendar()]);
  let assessment: Assessment | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const today = shanghaiDate(now);
      const [tasks, current, gates] = await Promise.all([listTasks(project.id), latestAssessment(project.id), listGates(project.id)]);
      const decided = decideAssessment({ project, current, tasks, input: req.body as never, by: req.principal, departments: assessmentDepartments(escalation.doc), now, today, limits: limits.doc, dates: { yellowBeforeWd: lights.doc.yellowBeforeWd, calendar } });
      assessment = decided.assessment;
      const outcome = assessment.outcome;
      let next = project;
      const notices: Notice[] = [];
      const events = [];
      if (outcome?.decision === 'continue') {
        next = { ...project, escalation: holdForPlan(project.escalation, outcome.planUntil!) };
      } else if (outcome?.decision === 'proceed') {
        const raised = raise({ state: project.escalation, level: project.escalation.level + 1, trigger: null, today, cfg: escalation.doc, calendar });
        next = { ...project, escalation: raised.state };
        events.push(...raised.events);
        notices.push(...raisedNotices(project, { rung: raised.change.rung, state: raised.state }));
      }
      if (outcome) {
        const told = new Set<Role>(['committee_leader', 'supervision_office', ...decided.planTasks.map((t: Task) => t.lead)]);
        for (const to of told) notices.push({ kind: 'assessment.concluded', project, to, outcome: outcome.decision, planUntil: outcome.planUntil });
      }
      // The plan's items are open work: the project's light and task counts as they stand after them.
      if (decided.planTasks.length) next = { ...next, ...(await summaryAfter(next, [...tasks, ...decided.planTasks], gates, today)) };
      // A plan item dated in a year with no calendar: ops told with the conclusion (once a project and year).
      notices.push(...provisionalCreated(project, [...tasks, ...gates], decided.planTasks));
      return {
        project: next,
        action: 'escalation.assessment',
        audit: { after: { round: assessment.round, department: decided.decided.department, decision: decided.decided.decision, comment: decided.decided.comment, plan: decided.decided.plan ?? [], outcome } },
        events,
        notices,
        writes: [putAssessment(project.id, assessment), ...decided.planTasks.map(insertTask)],
      };
    },
    (next) => json(201, presentAssessment(assessment!), etag(next.version)),
  );
}, async (p, { id }) => {
  // Who decides is told before what was sent: the departments configured, or those of a round under way (named when
  // it began, kept though the configuration moved since); whether this round is the project's rung is decided after.
  const [escalation, current] = await Promise.all([getConfig('escalation'), latestAssessment(id)]);
  requireRole(p, [...new Set([...assessmentDepartments(escalation.doc), ...(current?.departments ?? [])])], 'The joint assessment 联合研判');
});
