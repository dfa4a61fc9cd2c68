// Reservation entity: an item of its project's partition in the projects table (the project record carries the ones
// still held; released ones stay, with who, when and why).
//   reservation   pk PROJECT#<id>  sk RESERVATION#<rid>   — a project's reservations, by one query
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { strip } from '#kernel/store/items.ts';
import { ConcurrentChange, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import type { Reservation } from '../domain/reservation.ts';

const PROJECTS = requireEnv('TABLE_PROJECTS');
const reservationKey = (projectId: string, id: string) => ({ pk: `PROJECT#${projectId}`, sk: `RESERVATION#${id}` });


export async function getReservation(projectId: string, id: string): Promise<Reservation | undefined> {
  return strip<Reservation>((await ddb.send(new GetCommand({ TableName: PROJECTS, Key: reservationKey(projectId, id), ConsistentRead: true }))).Item);
}

/** A project's reservations (released ones too), oldest first: bounded by the per-project cap and what was released. */
export async function listReservations(projectId: string): Promise<Reservation[]> {
  const items = await queryAll({ TableName: PROJECTS, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': 'RESERVATION#' } });
  return items.map((i) => strip<Reservation>(i)!).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

export function insertReservation(r: Reservation): WriteOp {
  return { item: { Put: { TableName: PROJECTS, Item: { ...reservationKey(r.projectId, r.id), entity: 'reservation', ...r }, ConditionExpression: 'attribute_not_exists(pk)' } } };
}

/**
 * A condition that a reservation the project lists is not released (a decision read it held: an approval of a project
 * whose rejection is giving its holdings back in transactions of their own must not commit after one of them).
 */
export function reservationHeldCheck(projectId: string, id: string): WriteOp {
  return {
    item: { ConditionCheck: { TableName: PROJECTS, Key: reservationKey(projectId, id), ConditionExpression: 'attribute_not_exists(pk) OR #s <> :released', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':released': 'released' } } },
    onConditionFailed: () => new ConcurrentChange(`reservation ${id} was released meanwhile`),
  };
}

/** Writes a reservation's new state over the one read (`status` as read: a concurrent release or link loses). */
export function replaceReservation(r: Reservation, statusRead: string): WriteOp {
  return {
    item: {
      Put: {
        TableName: PROJECTS,
        Item: { ...reservationKey(r.projectId, r.id), entity: 'reservation', ...r },
        ConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': statusRead },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`reservation ${r.id} changed`),
  };
}

