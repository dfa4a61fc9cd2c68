// A project's light and task summary recorded by the write that changes its tasks (a completion, a meeting's or an
// amendment's follow-ups, a rejection reopening tasks, an interview's commitments, an assessment's plan, a progress
// report), so the project read right after it agrees with its tasks; the stage review records the same figures again when it runs (it also lights,
// starts and schedules work — the summary here counts the tasks as they stand, their lights as last recorded).
import type { Project } from '#projects/domain/project.ts';
import { gateComplete, type Gate, type GateApproval } from './domain/gate.ts';
import { gateLight, summarize, tasksSummaryOf } from './domain/evaluation.ts';
import type { Task } from './domain/task.ts';
import { listApprovals } from './store/tasks.ts';

/**
 * `tasks`: every task of the project after the write; `gates`: the project's gates as read with it (at least the one of
 * its stage, as it stands after the write). Whether the stage's gate has its round decided sets its light when it is
 * open past its due date: from `approvals` (that gate's, after the write) when the write read them, else read here.
 */
export async function summaryAfter(project: Project, tasks: readonly Task[], gates: readonly (Gate | undefined)[], today: string, approvals?: readonly GateApproval[]): Promise<Pick<Project, 'light' | 'tasksSummary'>> {
  const gate = gates.find((g) => g?.stage === project.stage);
  const late = gate !== undefined && gateLight(gate, false, today) !== 'green';
  const decided = late && gateComplete(gate, approvals ?? (await listApprovals(project.id, project.stage)));
  const s = summarize(tasks, gate ? gateLight(gate, decided, today) : 'green', project.stage);
  return { light: s.light, tasksSummary: tasksSummaryOf(s) };
}
