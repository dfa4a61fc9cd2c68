// POST /projects/{id}/compliance-checks — the L4 contract-compliance check 履约核查: the contract's clauses checked one
// by one, each with its finding and whether it is breached. With it on record the ladder goes to exit pending (L5) and
// the committee leader decides; an exit rests on a check that found a breach. On the timeline.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { requireRole } from '#kernel/domain/principal.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { COMPLIANCE_LEVEL, complianceCheckers, recordComplianceCheck, type ComplianceCheck } from '../domain/compliance.ts';
import { raise, raisedNotices } from '../domain/escalation.ts';
import * as routes from '../routes.ts';
import { insertComplianceCheck, listComplianceChecks } from '../store/ladder-records.ts';

export const handler = writeRoute(routes.recordComplianceCheck, async (req) => {
  const escalation = await getConfig('escalation');
  let check: ComplianceCheck | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const today = shanghaiDate(now);
      const earlier = await listComplianceChecks(project.id);
      check = recordComplianceCheck({ project, input: req.body, earlier, by: req.principal, number: earlier.length + 1, now, today, ladder: escalation.doc });
      // At L4 the check moves the ladder to exit pending; recorded late (at exit pending) it leaves the ladder there.
      const raised = check.level === COMPLIANCE_LEVEL ? raise({ state: project.escalation, level: COMPLIANCE_LEVEL + 1, trigger: null, today, cfg: escalation.doc, calendar: await loadCalendar() }) : undefined;
      return {
        project: raised ? { ...project, escalation: raised.state } : project,
        action: 'escalation.compliance_check',
        audit: { after: { number: check.number, checkedOn: check.checkedOn, breach: check.breach, breached: check.findings.filter((f) => f.breached).map((f) => f.clause) } },
        events: raised?.events ?? [],
        notices: raised ? raisedNotices(project, { rung: raised.change.rung, state: raised.state }) : [],
        writes: [insertComplianceCheck(project.id, check)],
      };
    },
    (next) => json(201, check!, etag(next.version)),
  );
  // Who checks is told before what was sent (a park's center of another park: on the project, after).
}, async (p) => requireRole(p, complianceCheckers((await getConfig('escalation')).doc), 'Recording the compliance check 履约核查'));
