// The exit procedure's steps (statemachines/project-exit.asl.json), one function: the state passes `step`. Each step
// reads the exit record on the project and does its part once, in the project's unit of work — so Step Functions'
// retries, a redrive from the step that failed, and a re-run after a crash do nothing twice:
//   check    the decision and the compliance check it rests on → exit running
//   release  every reservation and fund allocation back to inventory (inventory/release-all.ts: one atomic group each,
//            committed before the project's transaction; a re-run skips what is released) → the reuse notices
//   letter   the numbered exit letter 退出函 to the enterprise, its number on the exit record in the same transaction
//   close    the project EXITED, its open tasks withdrawn, the ladder and lifecycle ended (the lifecycle's waiting
//            execution wakes and ends)
// The same function receives the machine's failed executions (EventBridge "Step Functions Execution Status Change"
// on AWS; the local runner's report) and records the failure on the project for ops, who redrive it.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflowStep } from '#kernel/runtime/faults.ts';
import { releaseAll } from '#inventory/release-all.ts';
import { listTasks, putTask } from '#lifecycle/store/tasks.ts';
import { withdrawTask } from '#lifecycle/domain/task.ts';
import { TRACK_DEPARTMENT, type Role } from '#kernel/domain/codes.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { changeProjectAs } from '#projects/change.ts';
import type { Project } from '#projects/domain/project.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { EXIT_SERIES, TEMPLATES } from '../domain/letter.ts';
import { closeExited, exitFailed, exitFor, ExitRefused, stepDone, type ExitStep } from '../domain/exit.ts';
import { issueLetters } from '../issue.ts';
import { getComplianceCheck } from '../store/ladder-records.ts';

export interface ExitStepInput {
  readonly projectId: string;
  readonly executionName: string;
  readonly step: ExitStep;
}

export interface ExecutionStatusChange {
  readonly 'detail-type': string;
  readonly detail: { readonly name?: string; readonly status?: string; readonly input?: string; readonly error?: string; readonly cause?: string; readonly redriveCount?: number };
}

/** Told when a project has exited: the enterprise, and the departments concerned with its land and supervision. */
const EXITED_TOLD: readonly Role[] = ['enterprise', 'committee_leader', 'park_center', 'resources_bureau', 'supervision_office'];

const run = workflowStep(async (input: ExitStepInput) => {
  const { projectId, executionName: execution } = input;
  const { project, changed } = await changeProjectAs(SYSTEM_ACTOR, projectId, async (p, now) => {
    const exit = exitFor(p, execution);
    if (!exit || exit.steps[input.step]) return undefined; // done already (a retry, a redrive, a redelivery)
    switch (input.step) {
      case 'check': {
        const check = await getComplianceCheck(p.id, exit.complianceCheck);
        if (!check || !check.breach) throw new ExitRefused(`The compliance check no. ${exit.complianceCheck} with a breach is not on record for project ${p.id}`);
        return { project: { ...p, exit: stepDone(exit, 'check', now) }, action: 'exit.checked', audit: { after: { complianceCheck: check.number, findings: check.findings.filter((f) => f.breached).map((f) => f.clause) } }, signal: null };
      }
      case 'release': {
        const inventory = await getConfig('inventory');
        const back = await releaseAll({ project: p, by: SYSTEM_ACTOR, reason: `项目退出：${exit.reason}`, cause: 'exit', now, cfg: inventory.doc });
        // What the project held: listed on it until its own transaction commits, so a re-run after a partial release
        // (groups committed, the project's write lost) still counts the ones it skips.
        const held = [...(p.reservations ?? []).map((r) => r.id), ...(p.fundAllocations ?? []).map((a) => a.id)];
        const released = [...new Set([...exit.released, ...held])];
        // The step's record names every holding the exit gave back — those a crashed run released before this one too
        // (their own resource.released / fund.released events were recorded with them, once).
        return { project: { ...back.project, exit: stepDone(exit, 'release', now, { released }) }, action: 'exit.released', groups: back.groups, audit: { after: { released } }, signal: null };
      }
      case 'letter': {
        const [letters, calendar] = await Promise.all([getConfig('letters'), loadCalendar()]);
        const to = { kind: 'enterprise' as const, enterpriseId: p.investor.enterpriseId, name: p.investor.name };
        const issued = await issueLetters({ project: p, inputs: [{ series: EXIT_SERIES, to, ...TEMPLATES.exit(p, exit.reason) }], cfg: letters.doc, by: SYSTEM_ACTOR, system: true, now, today: shanghaiDate(now), calendar });
        const letter = issued.letters[0];
        return {
          project: { ...p, exit: stepDone(exit, 'letter', now, { letter: letter ? { id: letter.id, number: letter.number } : null }) },
          action: 'exit.letter_issued',
          writes: issued.writes,
          notices: issued.notices,
          // On the timeline as every letter is (letter.issued), beside the exit's own step.
          events: issued.events,
          audit: { after: { letter: letter?.number ?? null } },
          signal: null,
        };
      }
      case 'close': {
        // Nothing may be held any more (new holdings are refused during an exit; this is the last guard).
        const leftover = p.reservations?.length || p.fundAllocations?.length ? await releaseAll({ project: p, by: SYSTEM_ACTOR, reason: `项目退出：${exit.reason}`, cause: 'exit', now, cfg: (await getConfig('inventory')).doc }) : undefined;
        const closed = closeExited(leftover?.project ?? p, leftover ? { ...exit, released: [...new Set([...exit.released, ...leftover.released])] } : exit, now);
        // Its open tasks are withdrawn 撤销: out of every department's work list and report (each its own group; a
        // re-run finds them withdrawn already).
        const tasks = await listTasks(p.id);
        const open = tasks.filter((t) => t.status === 'open');
        const groups = [...(leftover?.groups ?? []), ...open.map((t) => ({ writes: [putTask(withdrawTask(t))] }))];
        // The timeline's record of them names those a run that died before the project's transaction withdrew too (their
        // groups committed without an event of their own; only this step withdraws a task), as the release's names
        // every holding the exit gave back.
        const withdrawn = tasks.filter((t) => t.status === 'open' || t.status === 'withdrawn');
        // Told as well: the track's department that brought the project in 招商 (its ledger and its figures lose it).
        const told = [...new Set<Role>([...EXITED_TOLD, TRACK_DEPARTMENT[p.track]])];
        const notices: Notice[] = told.map((to) => ({ kind: 'project.exited', project: p, to, released: closed.exit!.released.length, letter: exit.letter?.number ?? null }));
        // The default signal wakes the lifecycle's waiting execution, which sees EXITED and ends.
        const events = [
          ...(p.escalation.level > 0 ? [{ action: 'escalation.reset', before: { level: p.escalation.level, name: p.escalation.name }, after: { level: 0, reason: 'exited' } }] : []),
          ...(withdrawn.length ? [{ action: 'task.withdrawn', before: {}, after: { tasks: withdrawn.map((t) => ({ taskId: t.id, lead: t.lead, dueDate: t.dueDate })), reason: 'exited' } }] : []),
        ];
        return { project: closed, action: 'exit.completed', notices, events, groups, signal: { kind: 'wake', projectId: p.id, reason: 'exit.completed' } };
      }
    }
  }, { attempts: 40 });
  return { step: input.step, changed, status: project.status };
});

/** A failed exit execution, recorded on the project (ops are told and redrive it). */
async function recordFailure(event: ExecutionStatusChange): Promise<{ recorded: boolean }> {
  const d = event.detail;
  let projectId: string | undefined;
  try {
    projectId = (JSON.parse(d.input ?? '{}') as { projectId?: string }).projectId;
  } catch {
    projectId = undefined;
  }
  if (!projectId || !d.name) {
    log.error('an exit execution changed status without a project', { detail: d });
    return { recorded: false };
  }
  const error = `${d.error ?? d.status ?? 'FAILED'}: ${(d.cause ?? '').slice(0, 500)}`;
  log.error('exit execution failed', { projectId, executionName: d.name, status: d.status, error });
  const { changed } = await changeProjectAs(SYSTEM_ACTOR, projectId, (p: Project, now) => {
    const failed = exitFailed(p, d.name!, d.error ?? d.status ?? 'FAILED', d.cause ?? '', now, d.redriveCount ?? 0);
    if (!failed) return undefined;
    return { project: failed, action: 'exit.failed', audit: { after: { execution: d.name, status: d.status, error } }, notices: [{ kind: 'workflow.failed', projectId, execution: d.name!, error, during: 'exit' }], signal: null };
  });
  return { recorded: changed };
}

export async function handler(event: ExitStepInput | ExecutionStatusChange) {
  if ('detail-type' in event) return recordFailure(event);
  return run(event);
}
