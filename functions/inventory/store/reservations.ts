// Reservation entity: an item of its project's partition in the projects table (the project record carries the ones
// still held; released ones stay, with who, when and why).
//   reservation   pk PROJECT#<id>  sk RESERVATION#<rid>   — a project's reservations, by one query; ids begin with
//                                                         their creation time, so key order is oldest first
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { strip } from '#kernel/store/items.ts';
import { batchGet, ConcurrentChange, ddb, queryPageAfter, type WriteOp } from '#kernel/store/client.ts';
import type { Reservation } from '../domain/reservation.ts';

const PROJECTS = requireEnv('TABLE_PROJECTS');
const reservationKey = (projectId: string, id: string) => ({ pk: `PROJECT#${projectId}`, sk: `RESERVATION#${id}` });


export async function getReservation(projectId: string, id: string): Promise<Reservation | undefined> {
  return strip<Reservation>((await ddb.send(new GetCommand({ TableName: PROJECTS, Key: reservationKey(projectId, id), ConsistentRead: true }))).Item);
}

/** The stored reservations of a project with these ids (those it lists as held: at most its cap), in no particular order. */
export async function reservationsByIds(projectId: string, ids: readonly string[]): Promise<Reservation[]> {
  if (!ids.length) return [];
  return (await batchGet(PROJECTS, ids.map((id) => reservationKey(projectId, id)), true)).items.map((i) => strip<Reservation>(i)!);
}

/** A page of a project's reservations (released ones too), oldest first, after the one `after` names: reads the page and one more. */
export async function pageReservations(projectId: string, limit: number, after: string | undefined): Promise<{ items: Reservation[]; more: boolean }> {
  return queryPageAfter(PROJECTS, `PROJECT#${projectId}`, 'RESERVATION#', limit, after, (i) => strip<Reservation>(i)!);
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

