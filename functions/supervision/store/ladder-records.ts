// The ladder's own records in the projects table (the project's aggregate), numbered per project:
//   assessment        pk PROJECT#<projectId>   sk ASSESSMENT#<nnnn>   — L3 联合研判, one per round (rewritten as departments decide)
//   compliance check  pk PROJECT#<projectId>   sk COMPLIANCE#<nnnn>   — L4 履约核查, written once
// Both are written in the project's own transaction (its version serializes the departments' parallel decisions), and
// each kind is read by one query on the project's partition, newest first.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import { strip } from '#kernel/store/items.ts';
import type { Assessment } from '../domain/assessment.ts';
import type { ComplianceCheck } from '../domain/compliance.ts';

const TABLE = requireEnv('TABLE_PROJECTS');
const seq = (n: number) => String(n).padStart(4, '0');

/** The round's record as it stands (the project's version condition in the same transaction makes it the latest). */
export function putAssessment(projectId: string, assessment: Assessment): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { pk: `PROJECT#${projectId}`, sk: `ASSESSMENT#${seq(assessment.round)}`, entity: 'assessment', projectId, ...assessment } } } };
}

export function insertComplianceCheck(projectId: string, check: ComplianceCheck): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: `PROJECT#${projectId}`, sk: `COMPLIANCE#${seq(check.number)}`, entity: 'compliance-check', projectId, ...check }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new ConcurrentChange(`compliance check ${check.number} recorded meanwhile`),
  };
}

async function newest<T>(projectId: string, prefix: string): Promise<T | undefined> {
  const out = await ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': prefix }, ScanIndexForward: false, Limit: 1, ConsistentRead: true }));
  return out.Items?.[0] ? strip<T>(out.Items[0]) : undefined;
}

async function all<T>(projectId: string, prefix: string): Promise<T[]> {
  const items = await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': prefix } });
  return items.map((i) => strip<T>(i)!);
}

/** Compliance check no. `n` of a project (the one an exit decision rests on). */
export async function getComplianceCheck(projectId: string, n: number): Promise<ComplianceCheck | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `PROJECT#${projectId}`, sk: `COMPLIANCE#${seq(n)}` }, ConsistentRead: true }));
  return strip<ComplianceCheck>(out.Item);
}

export const latestAssessment = (projectId: string) => newest<Assessment>(projectId, 'ASSESSMENT#');
export const latestComplianceCheck = (projectId: string) => newest<ComplianceCheck>(projectId, 'COMPLIANCE#');
export const listAssessments = (projectId: string) => all<Assessment>(projectId, 'ASSESSMENT#');
export const listComplianceChecks = (projectId: string) => all<ComplianceCheck>(projectId, 'COMPLIANCE#');
