// The refresh duty 季度更新、动态清零, run once a business day (EventBridge Scheduler on AWS; the local runtime fires it
// on the business clock). For each kind: records whose period ended unconfirmed are flagged stale (each with its
// audit event, so a record's history shows it); owners are told once per period of the records that went stale, and —
// from `remindBeforeWd` working days before the period ends — of the records still to confirm. Every notice is written
// with a marker item in one transaction, so a re-run (a retried schedule, two runs the same day) sends nothing twice.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Role } from '#kernel/domain/codes.ts';
import { auditOp, SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import { ConcurrentChange, ConditionFailed, transact, transactGroups } from '#kernel/store/client.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { noticeOps } from '#notifications/notifier.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { namedResource } from './change.ts';
import { nextPeriodStart, periodEnd, periodOf, previousPeriod, reminderFrom } from './domain/period.ts';
import { confirmationDue, INVENTORY_KINDS, isStale, KIND_LABELS, parkOf, type InventoryKind, type Resource } from './domain/resource.ts';
import { allResources, flagStaleOp, reminderOp, reminderSent } from './store/resources.ts';

export interface RefreshReport {
  readonly at: string;
  readonly flagged: number;
  readonly notices: number;
  readonly kinds: Record<string, { period: string; due: number; stale: number }>;
}

/** The inboxes of a kind's owners, each with the records it keeps (a park center: its park's). */
function byOwnerInbox(records: readonly Resource[], owners: readonly Role[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const role of owners) {
    for (const r of records) {
      const park = parkOf(r);
      if (role === 'park_center' && park === undefined) continue;
      const inbox = roleInbox(role, { park: park ?? '', investor: { enterpriseId: '' } });
      out.set(inbox, [...(out.get(inbox) ?? []), r]);
    }
  }
  return out;
}

/** One notice with its once-per-period marker; false when it was sent before. */
async function sendOnce(kind: InventoryKind, markerPeriod: string, inbox: string, notice: Notice, at: Date): Promise<boolean> {
  if (await reminderSent(kind, markerPeriod, inbox)) return false;
  try {
    await transact([reminderOp(kind, markerPeriod, inbox, at), ...noticeOps([notice], at)]);
    return true;
  } catch (err) {
    if (err instanceof ConcurrentChange || err instanceof ConditionFailed) return false;
    throw err;
  }
}

export async function runRefresh(at: Date): Promise<RefreshReport> {
  const [cfg, calendar] = await Promise.all([getConfig('inventory').then((c) => c.doc), loadCalendar()]);
  const today = shanghaiDate(at);
  let flagged = 0;
  let notices = 0;
  const kinds: RefreshReport['kinds'] = {};
  for (const kind of INVENTORY_KINDS) {
    const period = periodOf(kind, today, cfg);
    const records = (await allResources(kind)).filter((r) => r.status !== 'retired');
    const stale = records.filter((r) => isStale(r, today, cfg));
    const due = records.filter((r) => confirmationDue(r, today, cfg));
    kinds[kind] = { period, due: due.length, stale: stale.length };

    // Flag each newly stale record (conditional on the version read: one confirmed meanwhile is left alone).
    const toFlag = stale.filter((r) => r.staleSince === null);
    for (const r of toFlag) {
      try {
        // Stale since the first day after the period following its confirmation ended, whenever the job gets to it.
        const since = nextPeriodStart(periodOf(kind, nextPeriodStart(r.confirmedPeriod), cfg));
        await transactGroups([[flagStaleOp(r, since, at), auditOp(namedResource(r), 'inventory.stale', SYSTEM_ACTOR, { before: { confirmedPeriod: r.confirmedPeriod }, after: { staleSince: since, period: previousPeriod(period) } }, at)]]);
        flagged += 1;
      } catch (err) {
        if (!(err instanceof ConcurrentChange)) throw err;
      }
    }
    const label = KIND_LABELS[kind].zh;
    const owners = cfg.kinds[kind].owners;
    for (const [inbox, mine] of byOwnerInbox(stale, owners)) {
      const notice: Notice = { kind: 'inventory.stale', inbox, inventory: label, period: previousPeriod(period), stale: mine.length };
      if (await sendOnce(kind, `${previousPeriod(period)}-stale`, inbox, notice, at)) notices += 1;
    }
    if (today >= reminderFrom(period, cfg, calendar)) {
      for (const [inbox, mine] of byOwnerInbox(due, owners)) {
        const notice: Notice = { kind: 'inventory.refresh_due', inbox, inventory: label, period, periodEnd: periodEnd(period), unconfirmed: mine.length };
        if (await sendOnce(kind, `${period}-due`, inbox, notice, at)) notices += 1;
      }
    }
  }
  return { at: at.toISOString(), flagged, notices, kinds };
}
