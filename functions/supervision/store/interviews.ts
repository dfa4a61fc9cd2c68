// Interview record entity 约谈 in the projects table, numbered per project.
//   interview   pk PROJECT#<projectId>   sk INTERVIEW#<nnnn>   — a project's interviews, by one query
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, queryAll, type WriteOp } from '#kernel/store/client.ts';
import { strip } from '#kernel/store/items.ts';
import type { Interview } from '../domain/interview.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

/** An interview record 约谈 (numbered per project; written once). */
export function insertInterview(projectId: string, interview: { number: number }): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: `PROJECT#${projectId}`, sk: `INTERVIEW#${String(interview.number).padStart(4, '0')}`, entity: 'interview', projectId, ...interview }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new ConcurrentChange(`interview ${interview.number} recorded meanwhile`),
  };
}

/** A project's interviews, oldest first. */
export async function listInterviews(projectId: string): Promise<Interview[]> {
  return (await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': 'INTERVIEW#' } })).map((i) => strip<Interview>(i)!);
}
