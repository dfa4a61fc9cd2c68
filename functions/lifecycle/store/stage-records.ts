// What a review of one stage reads besides the project — its tasks, the stage's gate, approvals and entry, and the
// project's letters — in one consistent query of the project's partition (all are items of the project aggregate)
// instead of five reads: the review runs on every wake-up of every lifecycle, so this is most of the workflow's reads.
// The review reads it after the project, never with it: a query is not a snapshot against a concurrent transaction, and
// a review must not see records older than the project version it commits against (a change it missed would leave it
// waiting). A gate decision reads it with the project (stage-pass.ts `decisionReads`): its commit is conditioned on
// what it read, and a refused one reads again.
import type { Stage } from '#kernel/domain/codes.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { queryAll } from '#kernel/store/client.ts';
import type { Letter } from '#supervision/domain/letter.ts';
import { lettersFromItems } from '#supervision/store/letters.ts';
import type { Gate, GateApproval } from '../domain/gate.ts';
import type { Task } from '../domain/task.ts';
import type { StageEntry } from './stage.ts';
import { fromApprovalItem, fromGateItem, fromTaskItem } from './tasks.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export interface StageRecords {
  readonly tasks: Task[];
  readonly gate: Gate | undefined;
  readonly approvals: GateApproval[];
  readonly entry: StageEntry | undefined;
  readonly letters: Letter[];
}

/** The records a review of `stage` needs (the project's other items, and the project's own, are passed over). */
export async function stageRecords(projectId: string, stage: Stage): Promise<StageRecords> {
  const items = await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}` }, ConsistentRead: true });
  let gate: Gate | undefined;
  let entry: StageEntry | undefined;
  const tasks: Task[] = [];
  const approvals: GateApproval[] = [];
  const letters: Record<string, unknown>[] = [];
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('TASK#')) tasks.push(fromTaskItem(item));
    else if (sk === `GATE#${stage}`) gate = fromGateItem(item);
    else if (sk.startsWith(`APPROVAL#${stage}#`)) approvals.push(fromApprovalItem(item));
    else if (sk === `STAGE#${stage}`) entry = item as unknown as StageEntry;
    else if (sk.startsWith('LETTER#')) letters.push(item);
  }
  return { tasks, gate, approvals, entry, letters: lettersFromItems(letters) };
}
