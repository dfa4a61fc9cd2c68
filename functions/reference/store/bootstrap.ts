// Reference data the product cannot run without, loaded wherever it is missing and never over what ops loaded: the
// working-day calendar 2004–2026 (chinese-days), version 1 of every configuration (domain.md defaults) and the cursor
// key; and park tasks stored before the department-task index was split per park are re-keyed, open tasks stored
// before the department or the tally index existed put in them, projects stored before a ledger index (or the tally)
// existed re-indexed, unacknowledged letters stored before the addressee index existed put in it, unread notices stored
// before the unread index existed put in it, park centers' department records stored before they carried their park's
// index keys put in it, and the numbers of letters issued before each number claimed its own item claimed (once each). Runs on every
// deploy (the bootstrap-reference custom resource) and on every local
// start, so a store started with --no-seed, or a fresh stack, has a real calendar from its first request.
// A one-off back-fill is marked done only by a pass that started once no function can still be running the code of
// before the deploy (`oldCodeUntil`): such an invocation writes the old way, and a record it writes after a pass had
// marked the back-fill done would stay outside the index for good (docs/design.md, "The deploy's back-fills").
import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG, CONFIG_NAMES } from '#reference/domain/config.ts';
import { SEED_NOTE } from '#reference/domain/seed-note.ts';
import { chineseDaysYears } from './seed.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { ConcurrentChange, ConditionFailed, transact, type WriteOp } from '#kernel/store/client.ts';
import { cursorKeyOp, hasCursorKey } from '#kernel/store/cursor-key.ts';
import { calendarStampOp, getCalendarYear, hasCalendarStamp, getConfig, markMigrationDone, migrationDone, putCalendarYear, putConfigVersion } from './reference.ts';
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import { putTask, queryUnscopedParkTasks, tasksOutsideTaskIndexes, undatedTasksOutsideIndexes } from '#lifecycle/store/tasks.ts';
import { ledgerNames, ledgerProjectIds } from '#projects/store/ledger.ts';
import { reindexProjects } from '#projects/store/projects.ts';
import { claimNumber, indexAwaitingLetter, lettersOutsideAddresseeIndex, lettersWithoutClaim, numberHolder } from '#supervision/store/letters.ts';
import type { DepartmentFact } from '#supervision/domain/department.ts';
import { indexParkCenterFact, parkCenterFactsOutsideIndex } from '#supervision/store/departments.ts';
import { ROLES } from '#kernel/domain/codes.ts';
import { log } from '#kernel/runtime/log.ts';
import { readableInboxes } from '#notifications/domain/inbox.ts';
import { indexUnreadOp, unreadOutsideIndex } from '#notifications/store/inbox.ts';
import { parkNames } from '#reference/domain/parks.ts';

export interface ReferenceDataReport {
  readonly calendarYears: number[];
  readonly configs: string[];
  readonly cursorKeyCreated: boolean;
  readonly parkTasksRekeyed: number;
  /** Open tasks stored before the byDepartment or the byTally index existed, rewritten so they hold them. */
  readonly openTasksIndexed: number;
  /** Projects stored before a ledger index existed, rewritten so the index holds them; `false` when time ran out. */
  readonly projectsReindexed: number;
  readonly reindexFinished: boolean;
  /** Unacknowledged letters stored before the byAddressee index existed, put in it; `false` when time ran out. */
  readonly lettersIndexed: number;
  readonly lettersIndexFinished: boolean;
  /** Letters issued before each number claimed its own item, their numbers claimed now; `false` when time ran out. */
  readonly letterNumbersClaimed: number;
  readonly letterNumbersFinished: boolean;
  /** Open tasks with no due date stored before such tasks were listed in their department's work; `false` when time ran out. */
  readonly undatedTasksListed: number;
  readonly undatedTasksFinished: boolean;
  /** Unread notices stored before the byUnread index existed, put in it (GET /me/notifications counts them); `false` when time ran out. */
  readonly unreadIndexed: number;
  readonly unreadIndexFinished: boolean;
  /** Park centers' department records stored before they were in their park's partition of byLead, put in it; `false` when time ran out. */
  readonly parkCenterRecordsIndexed: number;
  readonly parkCenterRecordsFinished: boolean;
  /**
   * One-off back-fills this pass went through but did not mark done: it started before `oldCodeUntil`, so a function
   * still on the old code may yet write outside the index. A pass started from then on takes those in and marks them.
   */
  readonly settling: string[];
}

export interface BootstrapOptions {
  /**
   * Until when a function still running the code of before this deploy may write: on AWS, the instant the deploy's
   * custom resource started (every function of the deploy updated) plus the longest function timeout and Lambda's
   * switch-over. None — a local start, whose handlers all run this process's code — marks a finished back-fill done at once.
   */
  readonly oldCodeUntil?: Date;
}

const LETTERS_MIGRATION = 'letters-by-addressee';
const LETTER_NUMBERS_MIGRATION = 'letter-numbers-claimed';
const UNDATED_TASKS_MIGRATION = 'undated-tasks-listed';
const UNREAD_MIGRATION = 'inbox-unread-index';
const PARK_CENTER_RECORDS_MIGRATION = 'park-center-records-by-park';

/** A write that lost to a concurrent one (another start, ops loading the same year): the data is there either way. */
const lostRace = (err: unknown) => err instanceof ConditionFailed || err instanceof PreconditionFailed || err instanceof ConcurrentChange;

/**
 * `budgetMs`: how long the pass's re-index and back-fills may run together (a deploy's custom resource has minutes, not
 * hours): each takes what the ones before it left; what none had time for, the next start or deploy continues.
 */
export async function ensureReferenceData(now: Date, budgetMs = 60_000, options: BootstrapOptions = {}): Promise<ReferenceDataReport> {
  const deadline = Date.now() + budgetMs;
  // `now` is when this pass starts: every list a back-fill reads is read after it.
  const settled = options.oldCodeUntil === undefined || now.getTime() >= options.oldCodeUntil.getTime();
  const settling: string[] = [];
  const pass: Pass = { now, settled, settling, finished: [], ledgerComplete: false };
  const seed = { sub: 'system:seed', name: 'zoneflow seed', roles: [] } as const;
  const calendarYears = (
    await Promise.all(
      chineseDaysYears().map(async (y) => {
        if (await getCalendarYear(y.year)) return undefined;
        const stored = { ...y, version: 1, source: 'chinese-days', updatedAt: now.toISOString(), updatedBy: seed.sub };
        return transact([putCalendarYear(stored, undefined), auditOp(`CALENDAR#${y.year}`, 'calendar.seeded', seed, { before: {}, after: { version: 1, source: 'chinese-days' } }, now)]).then(
          () => y.year,
          (err: unknown) => (lostRace(err) ? undefined : Promise.reject(err)),
        );
      }),
    )
  ).filter((y): y is number => y !== undefined);
  // Once after the years (not in each year's transaction: they are written side by side), when a year was seeded or a
  // store from before the stamp has none: warm functions read the calendar again under it (reference.ts loadCalendar).
  if (calendarYears.length > 0 || !(await hasCalendarStamp())) await transact([calendarStampOp()]);

  const configs = (
    await Promise.all(
      CONFIG_NAMES.map(async (name) => {
        if ((await getConfig(name, 'fresh')).version > 0) return undefined;
        const version = { name, version: 1, doc: DEFAULT_CONFIG[name], publishedAt: now.toISOString(), publishedBy: seed.sub, note: SEED_NOTE };
        return transact([putConfigVersion(version), auditOp(`CONFIG#${name}`, 'config.published', seed, { before: { version: 0 }, after: { version: 1, note: version.note } }, now)]).then(
          () => name,
          (err: unknown) => (lostRace(err) ? undefined : Promise.reject(err)),
        );
      }),
    )
  ).filter((n): n is (typeof CONFIG_NAMES)[number] => n !== undefined);

  let cursorKeyCreated = false;
  if (!(await hasCursorKey())) {
    cursorKeyCreated = await transact([cursorKeyOp(randomBytes(32), now)]).then(
      () => true,
      (err: unknown) => (lostRace(err) ? false : Promise.reject(err)),
    );
  }

  // Open park-center tasks stored under the zone-wide partition move to their park's (each rewrite keeps the task as
  // it is; one changed meanwhile was rewritten by its writer already).
  const parkTasksRekeyed = await rewrite((await queryUnscopedParkTasks()).map(putTask));
  // Projects stored before a ledger index existed, or before the ledger had its own table, are not in it until
  // rewritten: the ledger would miss them (and the parks and enterprises read next come from the whole-ledger index's
  // entries).
  const reindex = await reindexProjects(Math.max(0, deadline - Date.now()));
  if (!reindex.finished) log.warn('ledger re-index ran out of time: the next deploy or start continues it', { rewritten: reindex.rewritten });
  // The per-project back-fills below find their records through the ledger: until the re-index has gone through, a
  // project stored before the ledger table may be missing from it, and a back-fill that went through the ledger's
  // projects is not done (marked, it would never visit that project's letters and tasks).
  pass.ledgerComplete = reindex.finished;
  // Open tasks stored before the department or the tally index existed: the department and park reports would not
  // count them.
  const names = await ledgerNames();
  const leads = [
    ...ROLES.filter((r) => r !== 'enterprise' && r !== 'park_center'),
    ...names.parks.map((park) => `park_center#${park}`),
    ...names.enterprises.map((enterprise) => `enterprise#${enterprise}`),
  ];
  const openTasksIndexed = await rewrite((await tasksOutsideTaskIndexes(leads)).map(putTask));
  // Unacknowledged letters stored before the addressee index existed: the daily digest would not list them. A letter is
  // found only in its project's partition (one query per project), so this runs until it has finished once.
  const letters = await perProjectMigration(LETTERS_MIGRATION, deadline, pass, async (projectId) => rewrite((await lettersOutsideAddresseeIndex(projectId)).map(indexAwaitingLetter)));
  if (!letters.finished) log.warn('letter index ran out of time: the next deploy or start continues it', { indexed: letters.rewritten });
  // Letters issued before each number claimed its own item: a counter set back would issue their numbers again. Each
  // number is claimed for its letter; a number some other letter holds already (two letters of before with one number:
  // an incident that happened) is logged at error level, both letters named, for ops to take up with the issuing office.
  const numbers = await perProjectMigration(LETTER_NUMBERS_MIGRATION, deadline, pass, async (projectId) => {
    let claimed = 0;
    for (const { letter, holder: read } of await lettersWithoutClaim(projectId)) {
      const holder = read ?? (await transact([claimNumber(letter)]).then(() => (claimed += 1, undefined), async (err: unknown) => (lostRace(err) ? numberHolder(letter.series, letter.year, letter.seq) : Promise.reject(err))));
      if (holder && holder.letterId !== letter.id) {
        log.error('letter number issued twice', { number: letter.number, series: letter.series, year: letter.year, seq: letter.seq, letters: [holder.letterId, letter.id], projects: [holder.projectId, letter.projectId] });
      }
    }
    return claimed;
  });
  if (!numbers.finished) log.warn('claiming letter numbers ran out of time: the next deploy or start continues it', { claimed: numbers.rewritten });
  // Open tasks with no due date (设备调试, 达产达效) stored before they were listed in their department's work: GET
  // /me/tasks and the department report missed them. Found in their project's partition, as the letters are.
  const undated = await perProjectMigration(UNDATED_TASKS_MIGRATION, deadline, pass, async (projectId) => rewrite((await undatedTasksOutsideIndexes(projectId)).map(putTask)));
  if (!undated.finished) log.warn('listing undated tasks ran out of time: the next deploy or start continues it', { listed: undated.rewritten });
  // Unread notices stored before the unread index existed: the inbox's unread count would miss them. Each inbox a user
  // reads is visited (ops', every department's, a park center's per park the ledger or the zone's parks name, every
  // enterprise the ledger names), its unread notices outside the index put in it — one marked read meanwhile stays out.
  const unread = await migrateEach(
    UNREAD_MIGRATION,
    deadline,
    pass,
    async () => readableInboxes(ROLES, [...new Set([...names.parks, ...parkNames((await getConfig('parks', 'fresh')).doc)])], names.enterprises),
    async (inbox) => rewrite((await unreadOutsideIndex(inbox)).map(indexUnreadOp)),
  );
  if (!unread.finished) log.warn('indexing unread notices ran out of time: the next deploy or start continues it', { indexed: unread.rewritten });
  // Park centers' department records (overdue, completions, notices) stored before they carried their park's index
  // keys: a park center's department report (which reads its park's partition only) would miss them. One query of the
  // role partition finds them; each is then a visit of its own, so the budget holds however many there are (what it had
  // no time for, the next start finds still outside); one withdrawn meanwhile is not written back.
  const outside = new Map<string, DepartmentFact>();
  const parkRecords = await migrateEach(
    PARK_CENTER_RECORDS_MIGRATION,
    deadline,
    pass,
    async () => (await parkCenterFactsOutsideIndex()).map((f, i) => (outside.set(String(i), f), String(i))),
    async (i) => rewrite([indexParkCenterFact(outside.get(i)!)]),
  );
  if (!parkRecords.finished) log.warn('indexing park centers\' records ran out of time: the next deploy or start continues it', { indexed: parkRecords.rewritten });
  // Marked only now that the whole pass went through: a deploy whose pass fails rolls back to the old code, which
  // would write outside the index of a back-fill marked before the failure.
  for (const name of pass.finished) {
    await transact([markMigrationDone(name, now)]).catch((err: unknown) => (lostRace(err) ? undefined : Promise.reject(err)));
  }
  return {
    calendarYears,
    configs,
    cursorKeyCreated,
    parkTasksRekeyed,
    openTasksIndexed,
    projectsReindexed: reindex.rewritten,
    reindexFinished: reindex.finished,
    lettersIndexed: letters.rewritten,
    lettersIndexFinished: letters.finished,
    letterNumbersClaimed: numbers.rewritten,
    letterNumbersFinished: numbers.finished,
    undatedTasksListed: undated.rewritten,
    undatedTasksFinished: undated.finished,
    unreadIndexed: unread.rewritten,
    unreadIndexFinished: unread.finished,
    parkCenterRecordsIndexed: parkRecords.rewritten,
    parkCenterRecordsFinished: parkRecords.finished,
    settling,
  };
}

/** Each write on its own (one lost to another writer was made by that writer already): how many were written. */
async function rewrite(ops: readonly WriteOp[]): Promise<number> {
  let written = 0;
  for (const op of ops) {
    await transact([op]).then(
      () => (written += 1),
      (err: unknown) => (lostRace(err) ? undefined : Promise.reject(err)),
    );
  }
  return written;
}

/**
 * The pass a migration runs in: when it started, whether old code may still write after it, what it left unmarked, and
 * what it finished (marked at the end of the pass).
 */
interface Pass {
  readonly now: Date;
  readonly settled: boolean;
  readonly settling: string[];
  readonly finished: string[];
  /** Whether the ledger holds every project (this pass's re-index went through): what a per-project back-fill visits. */
  ledgerComplete: boolean;
}

/**
 * A migration that visits every project of the ledger once (`visit`: how many items it rewrote there), within the
 * budget: marked done once a pass that started after the old code's last write has visited them all, so later starts
 * and deploys skip it; cut short, the next one continues (its visits find only what is still to do). Not done in a pass
 * whose ledger re-index did not finish: the ledger may still lack projects stored before it.
 */
function perProjectMigration(name: string, deadline: number, pass: Pass, visit: (projectId: string) => Promise<number>): Promise<{ rewritten: number; finished: boolean }> {
  return migrateEach(name, deadline, pass, ledgerProjectIds, visit, pass.ledgerComplete);
}

/**
 * A migration that visits each of `list` once (read only while it is not done), as perProjectMigration the projects. A
 * pass that started while old code could still write goes through it all the same but leaves it unmarked (`settling`).
 */
async function migrateEach(name: string, deadline: number, pass: Pass, list: () => Promise<readonly string[]>, visit: (key: string) => Promise<number>, listComplete = true): Promise<{ rewritten: number; finished: boolean }> {
  if (await migrationDone(name)) return { rewritten: 0, finished: true };
  let rewritten = 0;
  for (const key of await list()) {
    if (Date.now() > deadline) return { rewritten, finished: false };
    rewritten += await visit(key);
  }
  if (!listComplete) return { rewritten, finished: false };
  if (!pass.settled) {
    pass.settling.push(name);
    return { rewritten, finished: true };
  }
  pass.finished.push(name);
  return { rewritten, finished: true };
}
