// A project's light and task summary recorded by the write that changes its tasks (a completion), so the project read
// right after it agrees with its tasks; the stage review records the same figures again when it runs (it also lights,
// starts and schedules work — the summary here counts the tasks as they stand, their lights as last recorded).
import type { Project } from '#projects/domain/project.ts';
import { gateComplete, type Gate } from './domain/gate.ts';
import { gateLight, summarize } from './domain/evaluation.ts';
import type { Task } from './domain/task.ts';
import { listApprovals } from './store/tasks.ts';

/**
 * `tasks`: every task of the project after the write; `gates`: the project's gates as read with it. The approvals of
 * the stage's gate are read only when the gate is open past its due date (whether its round is decided sets its light).
 */
export async function summaryAfter(project: Project, tasks: readonly Task[], gates: readonly Gate[], today: string): Promise<Pick<Project, 'light' | 'tasksSummary'>> {
  const gate = gates.find((g) => g.stage === project.stage);
  const late = gate !== undefined && gateLight(gate, false, today) !== 'green';
  const decided = late && gateComplete(gate, await listApprovals(project.id, project.stage));
  const s = summarize(tasks, gate ? gateLight(gate, decided, today) : 'green');
  return { light: s.light, tasksSummary: { open: s.openTasks, overdue: s.overdueTasks, nextDue: s.nextDue } };
}
