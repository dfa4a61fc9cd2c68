// Fund allocation entity: an item of its project's partition in the projects table, with its spending.
//   allocation    pk PROJECT#<id>  sk FUNDALLOC#<aid>     — a project's allocations, by one query; ids begin with
//                                                         their creation time, so key order is oldest first
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { strip } from '#kernel/store/items.ts';
import { batchGet, ConcurrentChange, ddb, queryPageAfter, type WriteOp } from '#kernel/store/client.ts';
import type { FundAllocation } from '../domain/fund.ts';

const PROJECTS = requireEnv('TABLE_PROJECTS');
const allocationKey = (projectId: string, id: string) => ({ pk: `PROJECT#${projectId}`, sk: `FUNDALLOC#${id}` });


export async function getAllocation(projectId: string, id: string): Promise<FundAllocation | undefined> {
  return strip<FundAllocation>((await ddb.send(new GetCommand({ TableName: PROJECTS, Key: allocationKey(projectId, id), ConsistentRead: true }))).Item);
}

/** The stored allocations of a project with these ids (those it lists as held: at most its cap), in no particular order. */
export async function allocationsByIds(projectId: string, ids: readonly string[]): Promise<FundAllocation[]> {
  if (!ids.length) return [];
  return (await batchGet(PROJECTS, ids.map((id) => allocationKey(projectId, id)), true)).items.map((i) => strip<FundAllocation>(i)!);
}

/** A page of a project's allocations (released ones too), oldest first, after the one `after` names: reads the page and one more. */
export async function pageAllocations(projectId: string, limit: number, after: string | undefined): Promise<{ items: FundAllocation[]; more: boolean }> {
  return queryPageAfter(PROJECTS, `PROJECT#${projectId}`, 'FUNDALLOC#', limit, after, (i) => strip<FundAllocation>(i)!);
}

export function insertAllocation(a: FundAllocation): WriteOp {
  return { item: { Put: { TableName: PROJECTS, Item: { ...allocationKey(a.projectId, a.id), entity: 'fund-allocation', ...a }, ConditionExpression: 'attribute_not_exists(pk)' } } };
}

/** A condition that an allocation the project lists is not released (as reservationHeldCheck). */
export function allocationHeldCheck(projectId: string, id: string): WriteOp {
  return {
    item: { ConditionCheck: { TableName: PROJECTS, Key: allocationKey(projectId, id), ConditionExpression: 'attribute_not_exists(pk) OR #s <> :released', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':released': 'released' } } },
    onConditionFailed: () => new ConcurrentChange(`allocation ${id} was released meanwhile`),
  };
}

/** Writes an allocation's new state over the one read (its spent amount and status as read). */
export function replaceAllocation(a: FundAllocation, read: Pick<FundAllocation, 'spentCny' | 'status'>): WriteOp {
  return {
    item: {
      Put: {
        TableName: PROJECTS,
        Item: { ...allocationKey(a.projectId, a.id), entity: 'fund-allocation', ...a },
        ConditionExpression: 'spentCny = :spent AND #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':spent': read.spentCny, ':s': read.status },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`allocation ${a.id} changed`),
  };
}

