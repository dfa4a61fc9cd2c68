// Letter entity in the projects table (letters belong to their project's aggregate), with its locator and the numbering
// counters.
//
// Keys and access patterns:
//   letter    pk PROJECT#<projectId>                sk LETTER#<id>   — a project's letters, by one query; ids begin with
//                                                                      the issue time, so key order is oldest first
//             byAddressee gsiAddressee <addressee's inbox>  gsiIssued <issuedAt>#<id>
//                                                                    — letters awaiting their addressee's reply (sparse:
//                                                                      unacknowledged only), oldest first
//   locator   pk LETTER#<id>                        sk LETTER        — GET /letters/{id}: which project holds it
//   counter   pk COUNTER#LETTER#<series>#<year>     sk COUNTER       — `seq`: the last number taken
//   number    pk COUNTER#LETTER#<series>#<year>     sk NUMBER#<seq, 10 digits>
//                                                                    — one per number issued (`letterId`, `projectId`):
//                                                                      the claim that makes a number issued once
// A number is taken by moving the counter from the value read (`seq = :read`, or absent for the first) and claiming
// the number's own item (`attribute_not_exists`) in the same transaction that writes the letter: two issuers never
// share a number, and a failed issue takes none (gapless). The claim, not the counter, is what makes a number
// unique: the next number is the one after both the counter and the highest number claimed, so a counter deleted,
// set back or malformed by hand (a `seq` not a number) skips past the numbers issued and is moved on, repaired, by
// the next letter — said in the log (`letter counter …`), never a number issued twice nor a series stuck.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { log } from '#kernel/runtime/log.ts';
import { ConcurrentChange, ddb, queryAll, queryPageAfter, type WriteOp } from '#kernel/store/client.ts';
import { strip } from '#kernel/store/items.ts';
import { addresseeInboxOf, type Letter } from '../domain/letter.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

const letterKey = (projectId: string, id: string) => ({ pk: `PROJECT#${projectId}`, sk: `LETTER#${id}` });
const locatorKey = (id: string) => ({ pk: `LETTER#${id}`, sk: 'LETTER' });
const counterKey = (series: string, year: number) => ({ pk: `COUNTER#LETTER#${series}#${year}`, sk: 'COUNTER' });

/** A letter as stored: in the addressee's awaiting-reply partition until it is acknowledged. */
const letterItem = (l: Letter): Record<string, unknown> => ({
  ...letterKey(l.projectId, l.id),
  entity: 'letter',
  ...l,
  ...(l.ack === null ? { gsiAddressee: addresseeInboxOf(l.to), gsiIssued: `${l.issuedAt}#${l.id}` } : {}),
});

const toLetter = (item: Record<string, unknown>): Letter => {
  const { gsiAddressee: _a, gsiIssued: _i, ...rest } = item;
  return strip<Letter>(rest)!;
};

const numberKey = (series: string, year: number, seq: number) => ({ pk: `COUNTER#LETTER#${series}#${year}`, sk: `NUMBER#${String(seq).padStart(10, '0')}` });

/** A series' numbering in a year as read: the counter item (absent, a number, or malformed) and the highest number claimed. */
export interface Numbering {
  readonly series: string;
  readonly year: number;
  /** The counter's `seq` as stored: `absent` (no item), a number (a whole one ≥ 0 unless malformed), or `not a number` (missing, a string…). */
  readonly counter: 'absent' | 'not a number' | number;
  /** The last number taken: the higher of the counter and the highest number claimed (0: none yet). */
  readonly last: number;
}

const wholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The last number taken in a series and year (`last`, 0: none yet): the counter read with the highest number claimed
 * (one item each, consistent; the counter read again when it looks behind). A counter behind the claims, or
 * malformed, is said in the log: the letter about to be issued moves it on.
 */
export async function readNumbering(series: string, year: number): Promise<Numbering> {
  const readCounter = () => ddb.send(new GetCommand({ TableName: TABLE, Key: counterKey(series, year), ConsistentRead: true }));
  const [firstOut, claimOut] = await Promise.all([
    readCounter(),
    ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':p': counterKey(series, year).pk, ':n': 'NUMBER#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    ),
  ]);
  const claimed = Number(claimOut.Items?.[0]?.seq ?? 0) || 0;
  // The two reads go out together: a letter committed between them (its counter move after the counter read, its
  // claim before the claims read) shows the counter behind when it is not. Read again, it has caught up — a race, not
  // said; still behind (set back or deleted by hand), said below and moved on by the letter about to be issued.
  const first = firstOut.Item?.seq;
  const counterOut = claimed > (wholeNumber(first) ? first : 0) && (firstOut.Item === undefined || wholeNumber(first)) ? await readCounter() : firstOut;
  const stored = counterOut.Item?.seq;
  const counter = !counterOut.Item ? 'absent' : typeof stored === 'number' ? stored : 'not a number';
  const counted = wholeNumber(counter) ? counter : 0;
  if (counter !== 'absent' && !wholeNumber(counter)) {
    log.warn('letter counter malformed: the next letter repairs it', { series, year, seq: stored ?? null, highestClaimed: claimed, item: counterKey(series, year) });
  } else if (claimed > counted) {
    log.warn('letter counter behind the numbers issued: the next letter takes the number after them', { series, year, seq: counter === 'absent' ? null : counter, highestClaimed: claimed, item: counterKey(series, year) });
  }
  return { series, year, counter, last: Math.max(counted, claimed) };
}

/**
 * Moves a series' counter from what was read to `next` (a lost race: another letter took a number first — decide
 * again). A counter whose `seq` is not a number is overwritten only while it still is not.
 */
export function takeNumbers(read: Numbering, next: number): WriteOp {
  const { series, year } = read;
  const key = counterKey(series, year);
  const item = { ...key, entity: 'letter-counter', series, year, seq: next };
  return {
    item:
      read.counter === 'absent'
        ? { Put: { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }
        : read.counter === 'not a number'
          ? {
              Put: {
                TableName: TABLE,
                Item: item,
                ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(seq) OR NOT attribute_type(seq, :n))',
                ExpressionAttributeValues: { ':n': 'N' },
              },
            }
          : { Update: { TableName: TABLE, Key: key, UpdateExpression: 'SET seq = :next', ConditionExpression: 'seq = :read', ExpressionAttributeValues: { ':next': next, ':read': read.counter } } },
    onConditionFailed: () => new ConcurrentChange(`letter number ${series} ${year} taken`),
  };
}

/** The claim of a letter's number: its own item, written once (a number claimed already: another letter has it — decide again). */
export function claimNumber(l: Pick<Letter, 'id' | 'projectId' | 'series' | 'year' | 'seq' | 'number' | 'issuedAt'>): WriteOp {
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...numberKey(l.series, l.year, l.seq), entity: 'letter-number', series: l.series, year: l.year, seq: l.seq, number: l.number, letterId: l.id, projectId: l.projectId, issuedAt: l.issuedAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ConcurrentChange(`letter number ${l.series} ${l.year} no. ${l.seq} taken`),
  };
}

/** The letter holding a number claimed (undefined: not claimed). */
export async function numberHolder(series: string, year: number, seq: number): Promise<{ letterId: string; projectId: string } | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: numberKey(series, year, seq), ConsistentRead: true }));
  return out.Item ? { letterId: String(out.Item.letterId), projectId: String(out.Item.projectId) } : undefined;
}

/**
 * A project's letters whose number is not claimed yet (issued before the claims existed): the deploy's back-fill claims
 * them. One query of the project's letters, then one read of each number's claim.
 */
export async function lettersWithoutClaim(projectId: string): Promise<{ letter: Letter; holder?: { letterId: string; projectId: string } }[]> {
  const letters = (await listLetters(projectId)).filter((l) => typeof l.seq === 'number' && typeof l.series === 'string' && typeof l.year === 'number');
  const found = await Promise.all(letters.map(async (letter) => ({ letter, holder: await numberHolder(letter.series, letter.year, letter.seq) })));
  return found.filter((f) => f.holder?.letterId !== f.letter.id).map((f) => (f.holder ? f : { letter: f.letter }));
}

export function insertLetter(l: Letter): WriteOp[] {
  return [
    { item: { Put: { TableName: TABLE, Item: letterItem(l), ConditionExpression: 'attribute_not_exists(pk)' } } },
    { item: { Put: { TableName: TABLE, Item: { ...locatorKey(l.id), entity: 'letter-locator', projectId: l.projectId }, ConditionExpression: 'attribute_not_exists(pk)' } } },
    claimNumber(l),
  ];
}

/** Writes the acknowledgement over a letter still unacknowledged (a second acknowledgement loses the race). */
export function putAcknowledged(l: Letter): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: letterItem(l), ConditionExpression: 'attribute_exists(pk) AND #ack = :null', ExpressionAttributeNames: { '#ack': 'ack' }, ExpressionAttributeValues: { ':null': null } } },
    onConditionFailed: () => new ConcurrentChange(`letter ${l.id} acknowledged meanwhile`),
  };
}

/** The project a letter belongs to, if the letter exists. */
export async function letterProject(id: string): Promise<string | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: locatorKey(id), ConsistentRead: true }));
  return out.Item?.projectId as string | undefined;
}

export async function getLetter(projectId: string, id: string): Promise<Letter | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: letterKey(projectId, id), ConsistentRead: true }));
  return out.Item ? toLetter(out.Item) : undefined;
}

/** A project's letters, oldest first (bounded: the letters of one project's life). */
export async function listLetters(projectId: string): Promise<Letter[]> {
  const items = await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': 'LETTER#' } });
  return lettersFromItems(items);
}

/**
 * A page of a project's letters in key order (oldest first: ids begin with their issue time), after the letter `after`:
 * the page and one more read, not the project's letters; with `keep`, the letters a caller sees (an enterprise: those
 * addressed to it), read on until the page is full.
 */
export async function pageLetters(projectId: string, limit: number, after: string | undefined, keep?: (l: Letter) => boolean): Promise<{ items: Letter[]; more: boolean }> {
  return queryPageAfter(TABLE, `PROJECT#${projectId}`, 'LETTER#', limit, after, toLetter, keep);
}

/** A project's letters from its letter items (however they were read), oldest first: issue time, then id (the list's key order). */
export function lettersFromItems(items: readonly Record<string, unknown>[]): Letter[] {
  return items.map(toLetter).sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** An unanswered letter's reply-by day counted again (a calendar change); only while still unanswered. */
export function setReplyBy(projectId: string, id: string, reply: { replyBy: string | null; replyProvisional?: boolean }): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: letterKey(projectId, id),
        UpdateExpression: 'SET replyBy = :r, replyProvisional = :p',
        ConditionExpression: 'attribute_exists(pk) AND #ack = :null',
        ExpressionAttributeNames: { '#ack': 'ack' },
        ExpressionAttributeValues: { ':r': reply.replyBy, ':p': reply.replyProvisional ?? false, ':null': null },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`letter ${id} answered meanwhile`),
  };
}

/**
 * Marks a letter reminded (its reply window passed unanswered): once, and only while still unanswered — with its
 * reply-by day counted again in the same write when that moved too (one operation an item in a transaction).
 */
export function markReminded(projectId: string, id: string, at: Date, reply?: { replyBy: string | null; replyProvisional?: boolean }): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: letterKey(projectId, id),
        UpdateExpression: reply ? 'SET remindedAt = :at, replyBy = :r, replyProvisional = :p' : 'SET remindedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(remindedAt) AND #ack = :null',
        ExpressionAttributeNames: { '#ack': 'ack' },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':null': null, ...(reply ? { ':r': reply.replyBy, ':p': reply.replyProvisional ?? false } : {}) },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`letter ${id} answered or reminded meanwhile`),
  };
}

/**
 * Withdraws a letter's reminder (a calendar correction moved its reply-by day to today or later): it is reminded again
 * should the new day pass unanswered — with its reply-by day counted again in the same write when that moved now.
 */
export function clearReminded(projectId: string, id: string, reply?: { replyBy: string | null; replyProvisional?: boolean }): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: letterKey(projectId, id),
        UpdateExpression: reply ? 'REMOVE remindedAt SET replyBy = :r, replyProvisional = :p' : 'REMOVE remindedAt',
        ConditionExpression: 'attribute_exists(pk) AND attribute_exists(remindedAt) AND #ack = :null',
        ExpressionAttributeNames: { '#ack': 'ack' },
        ExpressionAttributeValues: { ':null': null, ...(reply ? { ':r': reply.replyBy, ':p': reply.replyProvisional ?? false } : {}) },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`letter ${id} answered or its reminder withdrawn meanwhile`),
  };
}

/** The letters awaiting an inbox's reply (unacknowledged, addressed to it), oldest first: one query of byAddressee. */
export async function lettersAwaitingReply(inbox: string): Promise<Letter[]> {
  const items = await queryAll({ TableName: TABLE, IndexName: 'byAddressee', KeyConditionExpression: 'gsiAddressee = :a', ExpressionAttributeValues: { ':a': inbox } });
  return items.map(toLetter);
}

/** A project's unacknowledged letters stored before the byAddressee index existed (no `gsiAddressee`). */
export async function lettersOutsideAddresseeIndex(projectId: string): Promise<Letter[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    FilterExpression: 'attribute_not_exists(gsiAddressee) AND #ack = :null',
    ExpressionAttributeNames: { '#ack': 'ack' },
    ExpressionAttributeValues: { ':p': `PROJECT#${projectId}`, ':s': 'LETTER#', ':null': null },
  });
  return items.map(toLetter);
}

/** Puts an unacknowledged letter into the byAddressee index (only while still unanswered and not indexed). */
export function indexAwaitingLetter(l: Letter): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: letterKey(l.projectId, l.id),
        UpdateExpression: 'SET gsiAddressee = :a, gsiIssued = :i',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsiAddressee) AND #ack = :null',
        ExpressionAttributeNames: { '#ack': 'ack' },
        ExpressionAttributeValues: { ':a': addresseeInboxOf(l.to), ':i': `${l.issuedAt}#${l.id}`, ':null': null },
      },
    },
    onConditionFailed: () => new ConcurrentChange(`letter ${l.id} answered or indexed meanwhile`),
  };
}
