// L1 发函督促: the numbered urging letter 督办函 to the enterprise when a project's ladder reaches its first rung, with
// the trigger in its wording and the rung's window as its reply window (the ladder's next step falls due when the
// reply does: config/escalation's, not the series' own); issued by the workflow in the review's own transaction. And
// L3's joint assessment round, opened in the same transaction when that rung is raised.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { getConfig } from '#reference/store/reference.ts';
import { ASSESSMENT_LEVEL, assessmentDepartments, openRound } from './domain/assessment.ts';
import type { LadderStep } from './domain/escalation.ts';
import { latestAssessment, putAssessment } from './store/ladder-records.ts';
import { seriesOf, TEMPLATES, URGING_SERIES, urgingReason, type LettersConfig } from './domain/letter.ts';
import { issueLetters } from './issue.ts';

export async function urgingLetter(before: Project, after: Project, cfg: LettersConfig, now: Date, calendar: CalendarLookup): Promise<{ writes: WriteOp[]; notices: Notice[]; events: AuditRecord[] }> {
  const series = seriesOf(cfg, URGING_SERIES);
  if (!series) return { writes: [], notices: [], events: [] };
  const trigger = after.escalation.trigger;
  const reason = urgingReason(trigger);
  // The rung's window counted from the day it began (today: the letter goes with the rise); the series' without one.
  const replyWd = after.escalation.next?.window?.wd ?? series.replyWd;
  const wording = TEMPLATES.urging(before, reason, replyWd);
  const to = { kind: 'enterprise' as const, enterpriseId: before.investor.enterpriseId, name: before.investor.name };
  const { writes, notices, events } = await issueLetters({ project: before, inputs: [{ series: URGING_SERIES, to, ...wording }], cfg, by: SYSTEM_ACTOR, system: true, now, today: shanghaiDate(now), calendar, replyWd });
  return { writes, notices, events };
}

/**
 * What a ladder move owes: the urging letter when it raised the ladder to L1 (by a review, or by a gate's pass with
 * work still overdue; reads `config/letters` only then), the joint assessment's round when it raised it to L3.
 */
export async function owedOnRaise(change: LadderStep['change'], before: Project, after: Project, now: Date, calendar: CalendarLookup): Promise<{ writes: WriteOp[]; notices: Notice[]; events: AuditRecord[] }> {
  if (change?.kind === 'raised' && change.rung.level === ASSESSMENT_LEVEL) return { writes: await assessmentOnRaise(after, now), notices: [], events: [] };
  if (change?.kind !== 'raised' || change.rung.level !== 1) return { writes: [], notices: [], events: [] };
  return urgingLetter(before, after, (await getConfig('letters')).doc, now, calendar);
}

/**
 * L3 联合研判 raised: its round opened with the departments config/escalation names, nobody decided — so a stay nobody
 * answers shows in the supervision file as lapsed, every department undecided (it showed nothing). Reads the latest
 * round only then.
 */
async function assessmentOnRaise(after: Project, now: Date): Promise<WriteOp[]> {
  const since = after.escalation.since;
  if (!since) return [];
  const [latest, escalation] = await Promise.all([latestAssessment(after.id), getConfig('escalation')]);
  if (latest?.rungSince === since) return [];
  return [putAssessment(after.id, openRound(latest, since, assessmentDepartments(escalation.doc), now))];
}
