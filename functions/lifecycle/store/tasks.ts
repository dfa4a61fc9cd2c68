// Task, gate and gate-approval items of the project aggregate (projects table), with the department task index.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role, Stage } from '#kernel/domain/codes.ts';
import { gateTally, type Gate, type GateApproval } from '#lifecycle/domain/gate.ts';
import { meetingOnRecord, type Meeting, type MeetingAmendment } from '#lifecycle/domain/meeting.ts';
import { projectStateConflict } from '#projects/domain/project.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, queryAll, startKeyRejected, type WriteOp } from '#kernel/store/client.ts';
import { TALLY_PARTITION, taskTallyKey } from '#kernel/domain/tally.ts';

const TABLE = requireEnv('TABLE_PROJECTS');
const pk = (projectId: string) => `PROJECT#${projectId}`;

/**
 * The department-task index partition of a task's lead: a role; a park's service center per park (one park's staff
 * never page through another park's tasks); the investing enterprise itself.
 */
export function leadKey(t: Pick<Task, 'lead' | 'enterpriseId' | 'park'>): string {
  if (t.lead === 'enterprise') return `enterprise#${t.enterpriseId}`;
  if (t.lead === 'park_center') return `park_center#${t.park}`;
  return t.lead;
}

/**
 * The due-date part of the department index key of an open task with no due date (a task the matrix gives no limit:
 * 设备调试, 达产达效): after every date, so it is listed last, and never due by a date nor overdue.
 */
export const UNDATED = '~';

function taskItem(t: Task): Record<string, unknown> {
  // Started and open, with or without a due date: it is its department's work (GET /me/tasks, the department report).
  const listed = t.status === 'open' && t.startedDate !== null;
  // With a due date besides: told when provisional, and in the park report's tally (open and overdue by date).
  const open = listed && t.dueDate !== null;
  return {
    pk: pk(t.projectId),
    sk: `TASK#${t.id}`,
    entity: 'task',
    ...t,
    ...(listed ? { gsiLead: leadKey(t), gsiDue: `${t.dueDate ?? UNDATED}#${t.projectId}#${t.id}` } : {}),
    // The department report counts a department's open tasks zone-wide (every park's center together).
    ...(listed && t.lead !== 'enterprise' ? { gsiDept: t.lead } : {}),
    ...(open && t.calendarProvisional ? { gsiProvisional: 'PROVISIONAL' } : {}),
    // The park report counts a park's open tasks, and the overdue ones by due date (the enterprise's own work included).
    ...(open ? { gsiTally: TALLY_PARTITION, gsiTallySk: taskTallyKey({ park: t.park, dueDate: t.dueDate, lead: t.lead }) } : {}),
  };
}

export function fromTaskItem(item: Record<string, unknown>): Task {
  const { pk: _p, sk: _s, entity: _e, gsiLead: _l, gsiDue: _d, gsiProvisional: _v, gsiDept: _g, gsiTally: _t, gsiTallySk: _k, ...rest } = item;
  return rest as unknown as Task;
}

const projectItems = (projectId: string, prefix: string) =>
  queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': pk(projectId), ':s': prefix },
    ConsistentRead: true,
  });

export async function listTasks(projectId: string): Promise<Task[]> {
  return (await projectItems(projectId, 'TASK#')).map(fromTaskItem);
}

/** New tasks: first write wins (a retried or resumed stage entry finds them there). Stored at revision 1. */
export function insertTask(t: Task): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: taskItem({ ...t, rev: 1 }), ConditionExpression: 'attribute_not_exists(pk)' } },
    // Another writer numbered a task the same (two meetings' follow-ups at once): re-read and number on.
    onConditionFailed: () => new ConcurrentChange(`Task ${t.projectId}/${t.id} exists already`),
  };
}

/**
 * Writes a changed task only if it is still at the revision it was read at (`rev`; items written before revisions
 * existed have none): the workflow turns lights and the API completes tasks without one project-wide lock, so a
 * completion never overwrites a light and a light never overwrites a completion. Whoever loses re-reads.
 */
export function putTask(t: Task): WriteOp {
  const expected = t.rev ?? 0;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: taskItem({ ...t, rev: expected + 1 }),
        ...(expected === 0
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#rev)', ExpressionAttributeNames: { '#rev': 'rev' } }
          : { ConditionExpression: '#rev = :rev', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': expected } }),
      },
    },
    onConditionFailed: () => new ConcurrentChange(`Task ${t.projectId}/${t.id} changed since revision ${expected}`),
  };
}

export async function getGate(projectId: string, stage: Stage): Promise<Gate | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: pk(projectId), sk: `GATE#${stage}` }, ConsistentRead: true }));
  return out.Item ? fromGateItem(out.Item) : undefined;
}

/** The project's gates, every stage's (at most five items): for a write that does not yet know the project's stage. */
export async function listGates(projectId: string): Promise<Gate[]> {
  return (await projectItems(projectId, 'GATE#')).map(fromGateItem);
}

export function fromGateItem(item: Record<string, unknown>): Gate {
  const { pk: _p, sk: _s, entity: _e, projectId: _i, gsiProvisional: _v, gsiDue: _d, ...rest } = item;
  return rest as unknown as Gate;
}

export function fromApprovalItem(item: Record<string, unknown>): GateApproval {
  const { pk: _p, sk: _s, entity: _e, ...rest } = item;
  return rest as unknown as GateApproval;
}

/** An open gate with a provisional due date is in the byProvisional index, like a task, so loading the year finds it. */
/**
 * The gate written whole. With `read`: only while the stored gate still has the approvers and round it was read with —
 * a decision's gate is read beside the project, not after it, so ops moving the approvers (POST /projects/{id}/matrix)
 * in between would otherwise be written back over (`ConcurrentChange`: the decision is read and made again).
 */
export function putGate(projectId: string, gate: Gate, read?: Pick<Gate, 'requiredApprovals' | 'round'>): WriteOp {
  const provisional = gate.open && !gate.passedAt && gate.calendarProvisional && gate.dueDate;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: {
          pk: pk(projectId),
          sk: `GATE#${gate.stage}`,
          entity: 'gate',
          projectId,
          ...gate,
          ...(provisional ? { gsiProvisional: 'PROVISIONAL', gsiDue: `${gate.dueDate}#${projectId}#GATE#${gate.stage}` } : {}),
        },
        ...(read
          ? {
              ConditionExpression: '#required = :required AND #round = :round',
              ExpressionAttributeNames: { '#required': 'requiredApprovals', '#round': 'round' },
              ExpressionAttributeValues: { ':required': read.requiredApprovals, ':round': read.round },
            }
          : {}),
      },
    },
    ...(read ? { onConditionFailed: () => new ConcurrentChange(`The ${gate.stage} gate changed meanwhile`) } : {}),
  };
}

const meetingKey = (projectId: string, stage: Stage, round: number) => ({ pk: pk(projectId), sk: `MEETING#${stage}#${String(round).padStart(3, '0')}` });

/** One transition meeting per gate round: the record of a round is written once (a second one is a 409)… */
export function insertMeeting(projectId: string, stage: Stage, meeting: Meeting): WriteOp {
  const round = meeting.round ?? 1;
  return {
    item: { Put: { TableName: TABLE, Item: { ...meetingKey(projectId, stage, round), entity: 'meeting', projectId, stage, ...meeting }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => meetingOnRecord(stage, round),
  };
}

/** …and changed only by an amendment: the record as amended, conditional on the amendment count it was read at… */
export function amendedMeeting(projectId: string, stage: Stage, meeting: Meeting): WriteOp {
  const before = (meeting.amendmentCount ?? 1) - 1;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...meetingKey(projectId, stage, meeting.round ?? 1), entity: 'meeting', projectId, stage, ...meeting },
        ConditionExpression: before === 0 ? 'attribute_not_exists(amendmentCount) OR amendmentCount = :n' : 'amendmentCount = :n',
        ExpressionAttributeValues: { ':n': before },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`The ${stage} meeting record changed meanwhile`),
  };
}

/** …with the amendment as a record of its own (the before and after of what it changed), written once. */
export function insertMeetingAmendment(projectId: string, stage: Stage, amendment: MeetingAmendment): WriteOp {
  const sk = `${meetingKey(projectId, stage, amendment.round).sk}#AMD#${String(amendment.number).padStart(4, '0')}`;
  return {
    item: { Put: { TableName: TABLE, Item: { pk: pk(projectId), sk, entity: 'meeting-amendment', projectId, stage, ...amendment }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new ConcurrentChange(`Amendment ${amendment.number} of the ${stage} meeting exists already`),
  };
}

export async function listApprovals(projectId: string, stage: Stage): Promise<GateApproval[]> {
  return (await projectItems(projectId, `APPROVAL#${stage}#`)).map(fromApprovalItem);
}

/**
 * Every gate of the project and every approval of each, by stage: for a read that does not yet know the project's stage
 * (GET /projects/{id} reads them at the same time as the project — one round trip, not two). Bounded: five gates, and a
 * few approvals a round.
 */
export async function gateRecords(projectId: string): Promise<{ gate(stage: Stage): Gate | undefined; approvals(stage: Stage): GateApproval[] }> {
  const [gates, approvals] = await Promise.all([projectItems(projectId, 'GATE#'), projectItems(projectId, 'APPROVAL#')]);
  return {
    gate: (stage) => {
      const item = gates.find((g) => g.sk === `GATE#${stage}`);
      return item && fromGateItem(item);
    },
    approvals: (stage) => approvals.filter((a) => String(a.sk).startsWith(`APPROVAL#${stage}#`)).map(fromApprovalItem),
  };
}

/**
 * A decision that leaves the gate waiting, on the gate: counted in its round (`roundDecisions`, started from the
 * decisions as read when absent), under the condition that the gate is open, not passed and in the round read, and
 * that the count is still short of the round's last decision after this one. So two decisions that each miss the other
 * can never both leave a complete gate behind: the one that would complete it is refused here, read again, and passes
 * the gate in its own transaction. With `meeting`: the round's meeting set on the gate as well, the rest of the gate
 * (its due date, its overdue record) left as it stands. Refused: `ConcurrentChange` (the decision is read and made
 * again). `held`: the decision completes the round, but the pass waits for work still owed (the last gate:
 * `outstandingAtLastGate`) — counted without the "still short" condition; it commits on the project's version, and
 * the review passes the gate once that work is done.
 */
export function gateDecided(projectId: string, gate: Gate, approvals: readonly GateApproval[], meeting?: Meeting, held = false): WriteOp {
  const { needed, made } = gateTally(gate, approvals);
  const counts = !meeting || gate.meetingRequired;
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { pk: pk(projectId), sk: `GATE#${gate.stage}` },
        UpdateExpression: `SET ${[...(counts ? ['roundDecisions = if_not_exists(roundDecisions, :made) + :one'] : []), ...(meeting ? ['meeting = :meeting'] : [])].join(', ')}`,
        ConditionExpression:
          '#round = :round AND #open = :open AND #required = :required AND (attribute_not_exists(passedAt) OR attribute_type(passedAt, :null))' +
          (counts && !held ? ' AND (attribute_not_exists(roundDecisions) OR roundDecisions < :last)' : ''),
        ExpressionAttributeNames: { '#round': 'round', '#open': 'open', '#required': 'requiredApprovals' },
        ExpressionAttributeValues: {
          ':round': gate.round,
          ':open': true,
          // The approvers as read: ops moving the gate onto another matrix's approvers (lifecycle/http/repin-matrix.ts)
          // in between refuses a decision made on the old ones (read again: one no longer named is refused).
          ':required': gate.requiredApprovals,
          ':null': 'NULL',
          ...(counts ? { ':made': made, ':one': 1, ...(held ? {} : { ':last': needed - 1 }) } : {}),
          ...(meeting ? { ':meeting': meeting } : {}),
        },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`The ${gate.stage} gate changed meanwhile`),
  };
}

/**
 * The gate's approvers replaced (ops moved the project onto another matrix before anyone decided it): under the
 * condition that the gate is still as read — the same approvers, round and decision count, not passed — so a decision
 * or meeting recorded meanwhile refuses it (`ConcurrentChange`: read again, and the gate then keeps its approvers).
 */
export function gateApproversMoved(projectId: string, gate: Gate, approvers: readonly Role[]): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { pk: pk(projectId), sk: `GATE#${gate.stage}` },
        UpdateExpression: 'SET #required = :approvers',
        ConditionExpression:
          '#required = :required AND #round = :round AND (attribute_not_exists(passedAt) OR attribute_type(passedAt, :null)) AND ' +
          (gate.roundDecisions === undefined ? 'attribute_not_exists(roundDecisions)' : 'roundDecisions = :decisions'),
        ExpressionAttributeNames: { '#required': 'requiredApprovals', '#round': 'round' },
        ExpressionAttributeValues: {
          ':approvers': approvers,
          ':required': gate.requiredApprovals,
          ':round': gate.round,
          ':null': 'NULL',
          ...(gate.roundDecisions === undefined ? {} : { ':decisions': gate.roundDecisions }),
        },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`The ${gate.stage} gate changed meanwhile`),
  };
}

/** One decision per approver and round (parallel approval 并联审批): a second one is a 409. */
export function insertApproval(projectId: string, stage: Stage, a: GateApproval, opts: { readonly raced?: boolean } = {}): WriteOp {
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { pk: pk(projectId), sk: `APPROVAL#${stage}#${String(a.round).padStart(3, '0')}#${a.role}`, entity: 'approval', ...a },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // `raced`: committed without the project's version as read, the role may have been taken by someone else between
    // the read and the commit; read again, the decision picks the user's next open role or says which is decided.
    onConditionFailed: () => (opts.raced ? new ConcurrentChange(`${a.role} decided on this gate meanwhile`) : projectStateConflict(`${a.role} already decided on this gate`, `${a.role} decided in round ${a.round}`, 'path.stage')),
  };
}

export const DEPARTMENT_TASK_KEY_NAMES = ['pk', 'sk', 'gsiLead', 'gsiDue'] as const;

/** Open tasks of one lead partition (see leadKey), soonest due first, with the index key of each (for merged paging). */
export async function queryDepartmentTasks(
  lead: string,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ items: { task: Task; key: Record<string, string> }[]; lastKey?: Record<string, string> }> {
  const out = await ddb
    .send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'byLead',
        KeyConditionExpression: 'gsiLead = :l',
        ExpressionAttributeValues: { ':l': lead },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    )
    .catch((err: unknown) => {
      throw startKeyRejected(err, startKey !== undefined);
    });
  const items = (out.Items ?? []).map((item) => ({
    task: fromTaskItem(item),
    key: Object.fromEntries(DEPARTMENT_TASK_KEY_NAMES.map((n) => [n, String(item[n])])),
  }));
  return { items, lastKey: out.LastEvaluatedKey as Record<string, string> | undefined };
}

/**
 * Open tasks of one lead partition (see leadKey) due on or before `until` (YYYY-MM-DD) — the overdue ones included —
 * soonest first: one range query of byLead, which reads no task due later.
 */
export async function departmentTasksDueBy(lead: string, until: string): Promise<Task[]> {
  const items = await queryAll({
    TableName: TABLE,
    IndexName: 'byLead',
    // '~' sorts after every '#<project>#<task>' suffix of the last day.
    KeyConditionExpression: 'gsiLead = :l AND gsiDue <= :to',
    ExpressionAttributeValues: { ':l': lead, ':to': `${until}~` },
  });
  return items.map(fromTaskItem);
}

/**
 * The due dates of a department's open tasks, every park's center together (index byDepartment, keys only: about 100
 * bytes a task, so one page holds ~10,000): `<dueDate>#<projectId>#<taskId>` each, for counting open and overdue.
 */
export const openTaskDueKeys = (role: Role): Promise<string[]> => dueKeys('byDepartment', 'gsiDept', role);

/** The due-date keys (`gsiDue`) of one partition of an index of open tasks. */
async function dueKeys(IndexName: string, attribute: string, value: string): Promise<string[]> {
  const items = await queryAll({ TableName: TABLE, IndexName, KeyConditionExpression: `${attribute} = :v`, ExpressionAttributeValues: { ':v': value }, ProjectionExpression: 'gsiDue' });
  return items.map((i) => String(i.gsiDue));
}

/**
 * The due-date keys of one park's service center's open tasks (its partition `park_center#<park>` of the byLead index,
 * the due-date key only): what the department report counts per park. The index projects the whole task, so a task
 * costs its item's size here (~0.7 KB), not the ~100 bytes of the keys-only byDepartment.
 */
export const parkCenterTaskDueKeys = (park: string): Promise<string[]> => dueKeys('byLead', 'gsiLead', leadKey({ lead: 'park_center', park, enterpriseId: '' }));

/**
 * Open tasks stored before the byDepartment or the byTally index existed (no `gsiDept` on a department's task, no
 * `gsiTally`), found in the given department-task partitions (each role; `park_center#<park>` per park;
 * `enterprise#<id>` per enterprise, whose tasks only the tally holds): the bootstrap rewrites them so the indexes hold
 * them.
 */
export async function tasksOutsideTaskIndexes(leads: readonly string[]): Promise<Task[]> {
  const found = await Promise.all(
    leads.map((lead) =>
      queryAll({
        TableName: TABLE,
        IndexName: 'byLead',
        KeyConditionExpression: 'gsiLead = :l',
        // An undated task is in no tally (the park report counts by due date): only its department index is owed.
        FilterExpression: lead.startsWith('enterprise#') ? 'attribute_not_exists(gsiTally) AND attribute_type(dueDate, :dated)' : 'attribute_not_exists(gsiDept) OR (attribute_not_exists(gsiTally) AND attribute_type(dueDate, :dated))',
        ExpressionAttributeValues: { ':l': lead, ':dated': 'S' },
      }),
    ),
  );
  return found.flat().map(fromTaskItem);
}

/**
 * A project's open, started tasks with no due date stored before such tasks were listed in their department's work (no
 * `gsiLead`): one query of the project's partition; the bootstrap rewrites them so the department index holds them.
 */
export async function undatedTasksOutsideIndexes(projectId: string): Promise<Task[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
    FilterExpression: '#status = :open AND attribute_not_exists(gsiLead) AND attribute_type(startedDate, :string) AND (attribute_not_exists(dueDate) OR attribute_type(dueDate, :null))',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': pk(projectId), ':task': 'TASK#', ':open': 'open', ':string': 'S', ':null': 'NULL' },
  });
  return items.map(fromTaskItem);
}

/** Open tasks still keyed by the zone-wide `park_center` partition (stored before it was split per park). */
export async function queryUnscopedParkTasks(): Promise<Task[]> {
  return (await queryAll({ TableName: TABLE, IndexName: 'byLead', KeyConditionExpression: 'gsiLead = :l', ExpressionAttributeValues: { ':l': 'park_center' } })).map(fromTaskItem);
}

/** Projects with an open task or gate whose due date was computed without a loaded calendar. */
export async function queryProvisionalProjects(): Promise<string[]> {
  const items = await queryAll({
    TableName: TABLE,
    IndexName: 'byProvisional',
    KeyConditionExpression: 'gsiProvisional = :p',
    ExpressionAttributeValues: { ':p': 'PROVISIONAL' },
    ProjectionExpression: 'projectId',
  });
  return [...new Set(items.map((i) => String(i.projectId)))];
}
