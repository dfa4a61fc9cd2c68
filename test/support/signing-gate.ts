// A land project at its signing gate 落地转段, written straight to the store (no workflow runs): for the tests of what
// happens at a gate — meetings, approvals, the pass. Imported after `isolatedStore` has set the tables' environment
// (the product's store modules read it when they load, so they are loaded here on first use).
import type { Project } from '../../functions/projects/domain/project.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import { PARK_HUITONG, users } from './events.ts';

const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { insertTask, putGate } = await import('../../functions/lifecycle/store/tasks.ts');
const { createProject } = await import('../../functions/projects/domain/project.ts');
const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
const { calendarLookup, addWorkingDays } = await import('../../functions/reference/domain/calendar.ts');
const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { newGate } = await import('../../functions/lifecycle/domain/gate.ts');
const { tasksForStage } = await import('../../functions/lifecycle/domain/task.ts');

const { clock } = await import('../../functions/kernel/runtime/clock.ts');

/**
 * Today in Shanghai on the product's clock (the system's, unless a test moved it: workday-clock.ts), and the calendar
 * the fixture counts working days on (none loaded: Monday to Friday).
 */
export const today = shanghaiDate(clock.now());
export const noCalendar = calendarLookup([]);
let n = 0;

export interface SigningGateOptions {
  /** The id's prefix (one per test file). */
  readonly prefix: string;
  /** Calendar days ago the stage's tasks started. */
  readonly startedDaysAgo: number;
  /** The gate open since three days ago (default), or not yet. */
  readonly gateOpen?: boolean;
  /** The stage's tasks done already. */
  readonly tasksDone?: boolean;
  /** Fields of the project beside the fixture's (reservations held, the ladder's state). */
  readonly project?: Partial<Project>;
  /** Further tasks written with it (given the stage's first task to build on). */
  readonly extraTasks?: (first: Task) => readonly Task[];
}

/** Writes the project, its SIGNING tasks and its gate in one transaction; returns the project and the stage's tasks. */
export async function signingGateProject(o: SigningGateOptions): Promise<{ project: Project; tasks: Task[] }> {
  const now = new Date();
  const base = createProject(
    { name: '测试项目', investor: { name: '测试公司', enterpriseId: 'ent-a' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: PARK_HUITONG, siteMode: 'land' },
    users.investmentOfficer,
    DEFAULT_CONFIG.classification,
    { id: `prj-${o.prefix}${(n++).toString(36)}${Math.random().toString(36).slice(2, 8)}`, now },
  );
  const project: Project = { ...base, status: 'ACTIVE', matrixVersion: 1, ...o.project };
  const started = tasksForStage(DEFAULT_CONFIG.matrix, 1, project, 'SIGNING', addCalendarDays(today, -o.startedDaysAgo), 3, noCalendar);
  const tasks = o.tasksDone ? started.map((t): Task => ({ ...t, status: 'done', completion: { by: 'u', role: t.lead, at: now.toISOString(), documents: [], deficiencies: [] } })) : started;
  const def = DEFAULT_CONFIG.matrix.gates.find((g) => g.stage === 'SIGNING')!;
  const opened = addCalendarDays(today, -3);
  const gate = o.gateOpen === false ? newGate(def, project) : { ...newGate(def, project), open: true, openedDate: opened, dueDate: addWorkingDays(opened, 10, noCalendar).date };
  await transact([...insertProject(project), putGate(project.id, gate), ...tasks.map(insertTask), ...(o.extraTasks?.(tasks[0]!) ?? []).map(insertTask)]);
  return { project, tasks };
}
