// Fund allocation entity: an item of its project's partition in the projects table, with its spending.
//   allocation    pk PROJECT#<id>  sk FUNDALLOC#<aid>     — a project's allocations, by one query
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { strip } from '#kernel/store/items.ts';
import { ConcurrentChange, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import type { FundAllocation } from '../domain/fund.ts';

const PROJECTS = requireEnv('TABLE_PROJECTS');
const allocationKey = (projectId: string, id: string) => ({ pk: `PROJECT#${projectId}`, sk: `FUNDALLOC#${id}` });


export async function getAllocation(projectId: string, id: string): Promise<FundAllocation | undefined> {
  return strip<FundAllocation>((await ddb.send(new GetCommand({ TableName: PROJECTS, Key: allocationKey(projectId, id), ConsistentRead: true }))).Item);
}

export async function listAllocations(projectId: string): Promise<FundAllocation[]> {
  const items = await queryAll({ TableName: PROJECTS, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': 'FUNDALLOC#' } });
  return items.map((i) => strip<FundAllocation>(i)!).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
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

