// Department supervision records 部门督办 in the projects table: one partition per department role (park centers of
// every park together, each record naming its park), dated items, so a notice window and a report period are each
// one range query, never a scan.
//
// Keys and access patterns:
//   overdue fact   pk DEPT#<role>   sk <date>#overdue#<projectId>#<taskId>     — in the red task's own atomic group
//   completion     pk DEPT#<role>   sk <date>#completed#<projectId>#<taskId>   — in the completion's transaction
//   notice record  pk DEPT#<role>   sk <date>#notice#<department>              — 通报提醒, written once
//   listing        pk DEPT#<role>   sk LISTED#<department>                     — `listedUntil`: the notice's guard
// A park center's records (overdue, completion, notice) also carry `gsiLead = DEPT#park_center#<park>`, `gsiDue = sk`:
// their park's partition of the byLead index (whose other partitions are open tasks' lead keys — a role,
// `park_center#<park>`, `enterprise#<id>` — never DEPT#…), so a park center's report reads its own park's records
// only; the notice window and the zone's report read the whole role partition as before (a notice's count reads
// consistently, which an index cannot).
// Facts are plain Puts on keys fixed by what happened (a retried write rewrites the same item: nothing doubles); an
// overdue fact is deleted when its task's red light is withdrawn (a calendar correction moved its due date). A
// notice is written with its listing only while the department is not listed (`attribute_not_exists` or
// `listedUntil < :today`), so of two consumers counting the same crossing at once exactly one writes it.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '#kernel/domain/codes.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import { strip } from '#kernel/store/items.ts';
import { departmentKey, type CompletionFact, type Department, type DepartmentFact, type NoticeRecord, type OverdueFact } from '../domain/department.ts';

const TABLE = requireEnv('TABLE_PROJECTS');
const pk = (role: Role) => `DEPT#${role}`;

function factKey(f: DepartmentFact): { pk: string; sk: string } {
  if (f.kind === 'notice') return { pk: pk(f.role), sk: `${f.date}#notice#${departmentKey(f)}` };
  return { pk: pk(f.role), sk: `${f.date}#${f.kind}#${f.projectId}#${f.taskId}` };
}

/** The park's partition of the byLead index a park center's record is in (see the keys above). */
const parkFactsLead = (park: string) => `DEPT#park_center#${park}`;

/** The index keys of a park center's record (its park's partition, dated as its key); none for another department's. */
function parkIndexKeys(f: DepartmentFact): { gsiLead?: string; gsiDue?: string } {
  return f.role === 'park_center' && f.park !== null ? { gsiLead: parkFactsLead(f.park), gsiDue: factKey(f).sk } : {};
}

/** A record as read (the table's and the index's keys left out). */
function fromFactItem(item: Record<string, unknown>): DepartmentFact {
  const { gsiLead: _l, gsiDue: _d, ...fact } = strip<DepartmentFact & { gsiLead?: string; gsiDue?: string }>(item)!;
  return fact;
}

/** An overdue or completion fact: written with the change it records (its key is fixed by it, so a rewrite is the same item). */
export function putDepartmentFact(f: OverdueFact | CompletionFact): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { ...factKey(f), entity: `department-${f.kind}`, ...f, ...parkIndexKeys(f) } } } };
}

/** An overdue fact withdrawn (its task is no longer overdue: ops corrected the calendar). */
export function deleteDepartmentFact(f: OverdueFact): WriteOp {
  return { item: { Delete: { TableName: TABLE, Key: factKey(f) } } };
}

/** A role's records dated `from` to `to` (inclusive), oldest first: one query (a page per MB). */
export async function queryDepartmentFacts(role: Role, from: string, to: string, consistent = false): Promise<DepartmentFact[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
    // '~' sorts after every '#…' suffix of the last day.
    ExpressionAttributeValues: { ':p': pk(role), ':from': from, ':to': `${to}~` },
    ConsistentRead: consistent,
  });
  return items.map(fromFactItem);
}

/**
 * One park's center's records dated `from` to `to` (inclusive), oldest first: one query of its park's partition of
 * byLead, which reads no other park's record (eventually consistent, as the report's reads are).
 */
export async function queryParkCenterFacts(park: string, from: string, to: string): Promise<DepartmentFact[]> {
  const items = await queryAll({
    TableName: TABLE,
    IndexName: 'byLead',
    KeyConditionExpression: 'gsiLead = :l AND gsiDue BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':l': parkFactsLead(park), ':from': from, ':to': `${to}~` },
  });
  return items.map(fromFactItem);
}

/**
 * The park centers' records stored before they carried their park's index keys (the bootstrap puts them in it): one
 * query of the role partition's dated records (the listings, `LISTED#…`, are not records of a day).
 */
export async function parkCenterFactsOutsideIndex(): Promise<DepartmentFact[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :first AND :last',
    FilterExpression: 'attribute_not_exists(gsiLead) AND attribute_type(park, :string)',
    // Every record's key begins with its date (YYYY-MM-DD).
    ExpressionAttributeValues: { ':p': pk('park_center'), ':first': '0', ':last': '9~', ':string': 'S' },
  });
  return items.map(fromFactItem);
}

/** A park center's record put in its park's partition of the index, unless it was withdrawn meanwhile (deleted). */
export function indexParkCenterFact(f: DepartmentFact): WriteOp {
  const { gsiLead, gsiDue } = parkIndexKeys(f);
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: factKey(f),
        UpdateExpression: 'SET gsiLead = :l, gsiDue = :d',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':l': gsiLead, ':d': gsiDue },
      },
    },
  };
}

const listingKey = (d: Department) => ({ pk: pk(d.role), sk: `LISTED#${departmentKey(d)}` });

/** The last day the department is on the notice list, or null when it never was. */
export async function listedUntil(d: Department): Promise<string | null> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: listingKey(d), ConsistentRead: true }));
  return (out.Item?.listedUntil as string | undefined) ?? null;
}

/** The notice record and its listing, only while the department is not listed on the notice's day (else a lost race). */
export function insertNotice(n: NoticeRecord): WriteOp[] {
  const d: Department = { role: n.role, park: n.park };
  return [
    {
      item: {
        Put: {
          TableName: TABLE,
          Item: { ...listingKey(d), entity: 'department-listing', department: departmentKey(d), listedOn: n.date, listedUntil: n.listedUntil },
          ConditionExpression: 'attribute_not_exists(pk) OR listedUntil < :today',
          ExpressionAttributeValues: { ':today': n.date },
        },
      },
      onConditionFailed: () => new ConcurrentChange(`${departmentKey(d)} was put on the notice list meanwhile`),
    },
    {
      item: { Put: { TableName: TABLE, Item: { ...factKey(n), entity: 'department-notice', ...n, ...parkIndexKeys(n) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      onConditionFailed: () => new ConcurrentChange(`${departmentKey(d)} was noticed on ${n.date} meanwhile`),
    },
  ];
}
