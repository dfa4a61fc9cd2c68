// An in-run check of the lifecycle's wake-ups (`npm run simulate -- --check-wakes`): once a business day, every active
// project's stored wait is read beside the project. A wait computed from the project as it stands (the same version,
// the same stage) must wake no later than the end of the ladder's window (the next rung or exit reminder is owed the
// day after) nor of an extension in force (the ladder starts again the day after). A wait that sleeps past either is a
// wake-up that will come late unless another change wakes the project first: caught the day it is stored, with the
// project and the wait as evidence, where the oracles can only count the late event afterwards. A diagnostic: it
// reports, it does not fail the run (the oracles do, if the event is late).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { endOfDay } from '../../functions/kernel/domain/dates.ts';

/** What the check reads of a project record. */
export interface WakeProject {
  readonly id: string;
  readonly status: string;
  readonly stage: string;
  readonly version: number;
  readonly exit?: { readonly status?: string } | null;
  readonly escalation?: { readonly level?: number; readonly next?: { readonly dueDate?: string } | null; readonly extendedUntil?: string | null } | null;
}

/** What the check reads of a stored wait (lifecycle/store/stage.ts). */
export interface WakeWait {
  readonly executionName?: string;
  readonly registeredAt?: string;
  readonly wait: { readonly waitId: string; readonly kind: string; readonly stage: string; readonly dueAt: string; readonly version: number };
}

export interface MissedWake {
  readonly projectId: string;
  /** The business day the check saw it. */
  readonly seenOn: string;
  readonly why: 'ladder window' | 'extension';
  /** The instant the review is owed by: the end of the window's (or the extension's) last day. */
  readonly owedBy: string;
  readonly wait: WakeWait['wait'] & { readonly executionName?: string; readonly registeredAt?: string };
  readonly project: { readonly stage: string; readonly version: number; readonly level: number; readonly nextDue: string | null; readonly extendedUntil: string | null };
}

/**
 * The wake-up this wait misses, if it was computed from the project as it stands and sleeps past the ladder's window
 * or past an extension in force on `today`; null otherwise (a stale wait is woken by the change that made it stale).
 */
export function missedWake(project: WakeProject, stored: WakeWait | undefined, today: string): MissedWake | null {
  if (!stored || project.status !== 'ACTIVE') return null;
  if (project.exit && project.exit.status !== 'done') return null; // the ladder stands still while an exit runs
  const { wait } = stored;
  if (wait.version !== project.version || wait.stage !== project.stage) return null;
  const esc = project.escalation ?? {};
  const level = esc.level ?? 0;
  const nextDue = esc.next?.dueDate ?? null;
  const extendedUntil = esc.extendedUntil ?? null;
  const owed: { why: MissedWake['why']; by: Date }[] = [];
  if (level > 0 && nextDue) owed.push({ why: 'ladder window', by: endOfDay(nextDue) });
  if (level === 0 && extendedUntil && today <= extendedUntil) owed.push({ why: 'extension', by: endOfDay(extendedUntil) });
  const due = Date.parse(wait.dueAt);
  const missed = owed.find((o) => due > o.by.getTime());
  if (!missed) return null;
  return {
    projectId: project.id,
    seenOn: today,
    why: missed.why,
    owedBy: missed.by.toISOString(),
    wait: { ...wait, executionName: stored.executionName, registeredAt: stored.registeredAt },
    project: { stage: project.stage, version: project.version, level, nextDue, extendedUntil },
  };
}

/**
 * A project with no live wait (none stored, or one computed from an older version) at two checks in a row while its
 * version did not move: nothing will wake it but a person's change. Between evaluations a project has no live wait for
 * a moment; a whole business day without one, unchanged, is a lost wake.
 */
export interface AsleepProject {
  readonly projectId: string;
  readonly since: string;
  readonly seenOn: string;
  readonly version: number;
  readonly wait: WakeWait['wait'] | null;
}

/** Reads every project's record and wait in batches (100 keys each) and checks them; `today()` is the business day. */
export function wakeChecker(client: DynamoDBClient, table: string) {
  const missed = new Map<string, MissedWake>();
  const asleep = new Map<string, AsleepProject>();
  /** Per project: the check that first found it with no live wait, and its version then. */
  const noLiveWait = new Map<string, { since: string; version: number }>();
  let checks = 0;
  let waitsSeen = 0;
  let keysUnread = 0;
  return {
    async check(projectIds: readonly string[], todayOf: () => string): Promise<void> {
      checks += 1;
      // The day when the check runs (a check queued behind a slow one must not judge an extension by a past day).
      const today = todayOf();
      const keys = projectIds.flatMap((id) => [
        { pk: { S: `PROJECT#${id}` }, sk: { S: 'PROJECT' } },
        { pk: { S: `PROJECT#${id}` }, sk: { S: 'WAIT' } },
      ]);
      const items: Record<string, unknown>[] = [];
      for (let i = 0; i < keys.length; i += 100) {
        let request: Record<string, { Keys: (typeof keys)[number][]; ConsistentRead: boolean }> | undefined = { [table]: { Keys: keys.slice(i, i + 100), ConsistentRead: true } };
        for (let round = 0; request && Object.keys(request).length > 0 && round < 10; round++) {
          const out = await client.send(new BatchGetItemCommand({ RequestItems: request }));
          items.push(...(out.Responses?.[table] ?? []).map((item) => unmarshall(item)));
          request = out.UnprocessedKeys as typeof request;
        }
        keysUnread += request?.[table]?.Keys.length ?? 0;
      }
      const byProject = new Map<string, { project?: WakeProject; wait?: WakeWait }>();
      for (const item of items) {
        const id = String(item.pk).slice('PROJECT#'.length);
        const entry = byProject.get(id) ?? {};
        if (item.sk === 'PROJECT') entry.project = item as unknown as WakeProject;
        else entry.wait = item as unknown as WakeWait;
        byProject.set(id, entry);
      }
      for (const [id, { project, wait }] of byProject) {
        if (!project) continue;
        if (wait) waitsSeen += 1;
        const m = missedWake({ ...project, id }, wait, today);
        // One record per wait: the same stored wait seen again on later days is the same miss.
        if (m && !missed.has(`${id} ${m.wait.waitId}`)) missed.set(`${id} ${m.wait.waitId}`, m);
        const live = wait !== undefined && wait.wait.version === project.version;
        const before = noLiveWait.get(id);
        if (project.status !== 'ACTIVE' || live) noLiveWait.delete(id);
        else if (!before || before.version !== project.version) noLiveWait.set(id, { since: today, version: project.version });
        else if (!asleep.has(id)) asleep.set(id, { projectId: id, since: before.since, seenOn: today, version: project.version, wait: wait?.wait ?? null });
      }
    },
    report() {
      return { checks, waitsSeen, keysUnread, missed: missed.size, examples: [...missed.values()].slice(0, 20), asleep: asleep.size, asleepExamples: [...asleep.values()].slice(0, 20) };
    },
  };
}
