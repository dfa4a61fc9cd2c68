// A task closed by a person (a completion, a progress report holding a meeting) that is past its due date without its
// red light: what the closing's transaction records first — the red light (lifecycle/domain/review.ts `redLight`,
// marked `atCompletion`) and the department's overdue fact with its outbox signal — so the record of lateness never
// depends on when the deadline's wake-up ran. Likewise a task closed on or after its yellow day before that day's
// review lit it: its yellow notice is told with the closing. Nothing when the task is early or its light already on.
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import { overdueWrites } from '#supervision/departments.ts';
import { dueWithoutYellow, lateWithoutRed, redLight, yellowLight } from './domain/review.ts';
import type { Task } from './domain/task.ts';

export interface Lateness {
  readonly writes: readonly WriteOp[];
  readonly events: readonly AuditRecord[];
  readonly notices: readonly Notice[];
}

const ON_TIME: Lateness = { writes: [], events: [], notices: [] };

/** `before`: the task as stored before this closing. */
export function latenessAtClosing(before: Task | undefined, project: Project, today: string): Lateness {
  if (!before) return ON_TIME;
  if (lateWithoutRed(before, today)) {
    const red = redLight(before, project, today, true);
    return { writes: red.overdue ? overdueWrites(red.overdue) : [], events: red.events, notices: red.notices };
  }
  // On or past its yellow day, not yet told (that day's review has not run): told with the closing, as the review at the
  // start of the day would have told it.
  if (dueWithoutYellow(before, today)) return { writes: [], events: [], notices: [yellowLight(before, project)] };
  return ON_TIME;
}
