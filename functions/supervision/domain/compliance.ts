// L4 履约核查: the contract-compliance check of a project on the escalation ladder — checked on a day since the rung
// began, clause by clause of the investment contract, each with its finding and whether it is breached. Recorded by
// the rung's owner (config/escalation: the supervision office by default); with it the ladder goes to exit pending
// (L5), where the committee leader decides (a check recorded late, at exit pending, leaves the ladder where it is).
// Exit rests on a check that found a breach: one check a climb — at exit pending a second is refused, so no later
// check overrides the one the ladder climbed on. Pure: no I/O.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { Role } from '#kernel/domain/codes.ts';
import { notActive, projectStateConflict, type Project } from '#projects/domain/project.ts';
import { rungSince, type LadderConfig } from './escalation.ts';

export const COMPLIANCE_LEVEL = 4;

/** Who records the compliance check 履约核查: the owner of the ladder's rung, and the committee leader. */
export const complianceCheckers = (ladder: Pick<LadderConfig, 'rungs'>): Role[] => [...new Set<Role>([(ladder.rungs.find((r) => r.level === COMPLIANCE_LEVEL)?.owner ?? 'supervision_office') as Role, 'committee_leader'])];

export interface Finding {
  /** The contract clause checked (e.g. 第七条 开工时限). */
  readonly clause: string;
  readonly finding: string;
  readonly breached: boolean;
}

export interface ComplianceInput {
  readonly checkedOn: string;
  readonly findings: readonly Finding[];
  readonly summary: string;
}

export interface ComplianceCheck extends ComplianceInput {
  readonly number: number;
  /** Whether any clause is breached: an exit needs it. */
  readonly breach: boolean;
  readonly level: number;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/**
 * The check of this climb at exit pending (`since`: the day L5 began): the one that raised it (recorded that day) or a
 * late one recorded since; an earlier climb's (before an extension put the ladder back) is not.
 */
export function checkOfThisRung<C extends Pick<ComplianceCheck, 'recordedAt'>>(checks: readonly C[], since: string | null): C | undefined {
  if (!since) return undefined;
  return checks.filter((c) => shanghaiDate(new Date(c.recordedAt)) >= since).at(-1);
}

export function recordComplianceCheck(args: {
  project: Pick<Project, 'id' | 'park' | 'investor' | 'status' | 'escalation' | 'exit'>;
  input: ComplianceInput;
  /** The checks on record for the project (any climb). */
  earlier: readonly Pick<ComplianceCheck, 'number' | 'recordedAt'>[];
  by: Principal;
  number: number;
  now: Date;
  today: string;
  ladder: LadderConfig;
}): ComplianceCheck {
  const { project, input, today } = args;
  requireActsAs(args.by, complianceCheckers(args.ladder), project, 'Recording the compliance check 履约核查');
  if (project.status !== 'ACTIVE') throw notActive(project);
  // The exit rests on the check it was decided on: no other once an exit is on record.
  if (project.exit) throw projectStateConflict(`Project ${project.id} is being exited 退出程序 on compliance check no. ${project.exit.complianceCheck}`, `being exited 退出程序 (${project.exit.status})`);
  const { level, since } = project.escalation;
  // At L4, or later at exit pending when the check was not on record by the end of L4's window (an exit rests on one).
  if (level < COMPLIANCE_LEVEL || !since) throw projectStateConflict(`The compliance check 履约核查 is the ladder's L${COMPLIANCE_LEVEL} rung; project ${project.id} is at L${level}`, `at L${level}`);
  // At exit pending, a check made since the rung began (the one that raised it, the same day, or a late one) is the
  // check of this climb; an earlier climb's ended before this one began.
  const ofThisRung = level > COMPLIANCE_LEVEL ? checkOfThisRung(args.earlier, since) : undefined;
  if (ofThisRung) {
    throw projectStateConflict(`Compliance check no. ${ofThisRung.number} is on record for this rung: the exit decision rests on it (extend, and the next climb checks again)`, `check no. ${ofThisRung.number} on record for this rung`);
  }
  const errors: FieldError[] = [];
  // Checked since the compliance rung began in this climb: recorded late, at exit pending, it keeps its own day.
  const from = rungSince(project.escalation, COMPLIANCE_LEVEL)!;
  if (input.checkedOn > today || input.checkedOn < from) errors.push({ path: 'checkedOn', code: 'out_of_range', message: `must lie between ${from} (the rung began) and today (${today})` });
  const seen = new Set<string>();
  input.findings.forEach((f, i) => {
    if (seen.has(f.clause)) errors.push({ path: `findings[${i}].clause`, code: 'duplicate', message: `clause ${f.clause} is listed twice` });
    seen.add(f.clause);
  });
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  return { ...input, number: args.number, breach: input.findings.some((f) => f.breached), level, recordedBy: args.by.sub, recordedAt: args.now.toISOString() };
}
