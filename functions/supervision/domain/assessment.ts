// L3 联合研判: the joint assessment of a project on the escalation ladder — the departments named in config/escalation
// (`assessmentDepartments`) decide in parallel, each once per round: `continue` with items of a rectification plan
// 整改方案 (item, owner, due date), or `proceed` to the compliance check. When the last named department has decided,
// the outcome is taken: all `continue` → the plan's items become timed tasks and the ladder holds at L3 until the
// plan's last due date (past it, with the trigger still standing, the ladder climbs to L4); any `proceed` → the ladder
// climbs to L4 履约核查 now. A round belongs to one stay on the rung (the day the rung began): after a reset and a new
// climb, a new round; once the stay's window (or plan) has ended, no more decisions. Pure: no I/O.
import { addYears } from '#kernel/domain/dates.ts';
import type { Role } from '#kernel/domain/codes.ts';
import { Forbidden, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { actsAs, type Principal } from '#kernel/domain/principal.ts';
import { agreedItemRepeats, agreedTasks, assertRoomForItems, followUpCount, type Task } from '#lifecycle/domain/task.ts';
import type { SetDates } from '#lifecycle/domain/schedule.ts';
import { notActive, projectStateConflict, type Project } from '#projects/domain/project.ts';
import type { LimitsConfig } from '#reference/domain/config.ts';
import type { EscalationState } from './escalation.ts';

export const ASSESSMENT_LEVEL = 3;
export const DEFAULT_ASSESSMENT_DEPARTMENTS: readonly Role[] = ['investment_dept', 'resources_bureau', 'construction_dept', 'park_center'];
/** The departments that make the joint assessment, as config/escalation names them (else the default four). */
export const assessmentDepartments = (cfg?: { readonly assessmentDepartments?: readonly Role[] }): readonly Role[] => cfg?.assessmentDepartments ?? DEFAULT_ASSESSMENT_DEPARTMENTS;

export interface PlanItem {
  readonly item: string;
  /** The item in English (optional): its task's nameEn, else `Rectification (joint assessment round <n>): <item>`. */
  readonly itemEn?: string;
  readonly owner: Role;
  readonly dueDate: string;
}

export interface AssessmentDecisionInput {
  readonly decision: 'continue' | 'proceed';
  readonly comment: string;
  /** `continue`: the rectification items this department asks for (at least one). */
  readonly plan?: readonly PlanItem[];
}

export interface AssessmentDecision extends AssessmentDecisionInput {
  readonly department: Role;
  readonly by: string;
  readonly at: string;
}

export interface Assessment {
  /** 1, 2, … per project. */
  readonly round: number;
  /** The day the project's stay on the L3 rung began: one round per stay. */
  readonly rungSince: string;
  readonly departments: readonly Role[];
  readonly decisions: readonly AssessmentDecision[];
  /** Set when the last named department decided. */
  readonly outcome: null | { readonly decision: 'continue' | 'proceed'; readonly on: string; readonly planUntil: string | null; readonly taskIds: readonly string[] };
  readonly startedAt: string;
}

type AssessedProject = Pick<Project, 'id' | 'park' | 'investor' | 'stage' | 'status' | 'escalation' | 'matrixVersion'>;

/**
 * The items of one round's rectification plan, every department's together: the last decision writes them as tasks in
 * one DynamoDB transaction (at most 100 items, beside the assessment, the project, its audit and the notices of the
 * conclusion). Four departments naming 30 items each was a 500 (a transaction of 134 items) and left the round open.
 */
export const MAX_PLAN_ITEMS_PER_ROUND = 75;

/**
 * One department's decision in the current round (opened when L3 was raised; a stay raised before that was done has
 * its round opened by the first decision). Refused: not on the
 * rung (409), not a named department (403), decided already in this round (409), a plan item due before tomorrow (400).
 */
export function decideAssessment(args: {
  project: AssessedProject;
  current: Assessment | undefined;
  tasks: readonly Task[];
  input: AssessmentDecisionInput;
  by: Principal;
  departments: readonly Role[];
  now: Date;
  today: string;
  limits: LimitsConfig;
  /** How a rectification plan's items are scheduled (config/lights, the calendar). */
  dates: SetDates;
}): { assessment: Assessment; planTasks: Task[]; decided: AssessmentDecision } {
  const { project, input, today } = args;
  const { level, since } = project.escalation;
  const round = args.current && since && args.current.rungSince === since ? args.current : undefined;
  const departments = round?.departments ?? args.departments;
  // Who may decide comes first: someone who may not is told so (403), not where the project stands on the ladder.
  const mine = departments.filter((d) => actsAs(args.by, d, project));
  if (mine.length === 0) throw new Forbidden(`The joint assessment is decided by: ${departments.join(', ')}`);
  if (project.status !== 'ACTIVE') throw notActive(project);
  if (level !== ASSESSMENT_LEVEL || !since) throw projectStateConflict(`The joint assessment 联合研判 is the ladder's L${ASSESSMENT_LEVEL} rung; project ${project.id} is at L${level}`, `at L${level}`);
  // The rung's window (or its plan's) has ended: L4 is due today, whether or not the midnight review that raises it has
  // run yet — refused as it would be on L4, so what the ladder records never depends on when that review ran.
  const windowEnd = project.escalation.next?.dueDate;
  if (windowEnd && today > windowEnd) throw projectStateConflict(`The joint assessment's window ended on ${windowEnd}: the ladder climbs to L${ASSESSMENT_LEVEL + 1} 履约核查`, `its window ended on ${windowEnd}`);
  if (round?.outcome) throw projectStateConflict(`The joint assessment of round ${round.round} is concluded (${round.outcome.decision})`, `round ${round.round} concluded (${round.outcome.decision})`);
  // A user holding two of the named departments decides for the first of them still to decide…
  const department = mine.find((d) => !round?.decisions.some((x) => x.department === d));
  if (!department) throw projectStateConflict(`${mine.join(', ')} ${mine.length === 1 ? 'has' : 'have'} decided in round ${round!.round} already`, `${mine.join(', ')} decided in round ${round!.round}`);
  // …once: the joint assessment is the departments' independent say, as a gate's parallel approval is.
  const own = round?.decisions.find((d) => d.by === args.by.sub);
  if (own) throw projectStateConflict(`You decided round ${round!.round} of the joint assessment for ${own.department} already: ${department} is decided by another person`, `you decided round ${round!.round} for ${own.department}`);
  const errors: FieldError[] = [];
  const plan = input.plan ?? [];
  if (input.decision === 'continue' && plan.length === 0) errors.push({ path: 'plan', code: 'required', message: 'a decision to continue names at least one rectification item' });
  if (input.decision === 'proceed' && plan.length > 0) errors.push({ path: 'plan', code: 'not_allowed', message: 'a decision to proceed has no rectification plan' });
  // A plan holds the ladder until its last date: within a year, as an extension (only the committee leader goes further).
  const limit = addYears(today, 1);
  plan.forEach((p, i) => {
    if (p.dueDate <= today || p.dueDate > limit) errors.push({ path: `plan[${i}].dueDate`, code: 'out_of_range', message: `must be after today (${today}) and on or before ${limit}` });
  });
  // One department's plan names each item of one owner once (two departments may each ask for the same work).
  errors.push(...agreedItemRepeats(plan, 'plan'));
  // The round's plan, all departments' items together, becomes tasks in the one transaction that concludes it.
  const named = (round?.decisions ?? []).reduce((n, d) => n + (d.plan?.length ?? 0), 0);
  if (plan.length && named + plan.length > MAX_PLAN_ITEMS_PER_ROUND) {
    errors.push({ path: 'plan', code: 'too_big', message: `a round's rectification plan holds at most ${MAX_PLAN_ITEMS_PER_ROUND} items: the departments named ${named} before, ${Math.max(0, MAX_PLAN_ITEMS_PER_ROUND - named)} more fit` });
  }
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);

  const decided: AssessmentDecision = { ...input, plan, department, by: args.by.sub, at: args.now.toISOString() };
  const base: Assessment = round ?? openRound(args.current, since, departments, args.now);
  const decisions = [...base.decisions, decided];
  const complete = departments.every((d) => decisions.some((x) => x.department === d));
  if (!complete) return { assessment: { ...base, decisions }, planTasks: [], decided };

  const proceed = decisions.some((d) => d.decision === 'proceed');
  const items = proceed ? [] : decisions.flatMap((d) => d.plan ?? []);
  assertRoomForItems(args.tasks, items.length, args.limits, 'plan');
  const planTasks = agreedTasks(project, project.stage, items, { code: 'rectification', standard: `联合研判（第${base.round}轮）整改事项`, en: (item) => `Rectification (joint assessment round ${base.round}): ${item}`, startedDate: today, matrixVersion: project.matrixVersion ?? 0, startIndex: followUpCount(args.tasks, project.stage), dates: args.dates });
  const planUntil = items.map((p) => p.dueDate).sort().at(-1) ?? null;
  return {
    assessment: { ...base, decisions, outcome: { decision: proceed ? 'proceed' : 'continue', on: today, planUntil, taskIds: planTasks.map((t) => t.id) } },
    planTasks,
    decided,
  };
}

/**
 * The round of a stay on the L3 rung, opened when the rung is raised (nobody decided yet; numbered after `previous`):
 * a round nobody answers is then in the supervision file, lapsed with every department undecided, when the ladder
 * climbs on. Rounds stored before this was done were opened by their first decision.
 */
export function openRound(previous: Assessment | undefined, rungSince: string, departments: readonly Role[], now: Date): Assessment {
  return { round: (previous?.round ?? 0) + 1, rungSince, departments, decisions: [], outcome: null, startedAt: now.toISOString() };
}

/** The ladder held at L3 until the rectification plan's last due date: L4 only if the trigger still stands then. */
export function holdForPlan(state: EscalationState, planUntil: string): EscalationState {
  return { ...state, next: { step: state.next?.step ?? 'COMPLIANCE_CHECK', dueDate: planUntil } };
}
