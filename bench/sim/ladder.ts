// The escalation ladder in the simulation (issue 12): the people who answer its rungs, and the check of what the product
// recorded. A supervision desk reads the ledger every working day at 09:00 (GET /projects?escalation=<rung>, one query
// per rung) and, for each project newly on a rung, plans what zone.ts draws for it through the HTTP API: the
// enterprise acknowledges the urging letter (POST /letters/{id}/ack), the committee leader grants an extension
// (POST /projects/{id}/extension), records the interview, the named departments conclude the joint assessment, the
// supervision office records the compliance check, the committee leader decides exit or extension at exit pending
// (POST /projects/{id}/exit). After the run every project's timeline, letters and tasks feed the ladder oracle
// (ladder-oracle.ts), and each exited project's site is read back from the inventory: released (available) or a defect.
// Kept apart from engine.ts, which calls in at three places (the desk's start, a site reserved, the check).
import type { Role } from '../../functions/kernel/domain/codes.ts';
import { dayOf, plusDays, type WorkCalendar } from './calendar.ts';
import { checkLadder, LADDER_STREAMS, type LadderInput, type LadderItem, type LadderProject, type LadderRules, type LadderStream, type RecordedRung } from './ladder-oracle.ts';
import { expectationOf, type OracleTask } from './oracle.ts';
import { actMinute, letterReply, rungResponse, type ProjectSpec, type RungResponse } from './zone.ts';

/** What the ladder needs of the engine's API client. */
export interface LadderApi {
  call<T = unknown>(route: string, method: string, path: string, bearer: Promise<string>, body?: unknown, idempotencyKey?: string): Promise<{ status: number; body: T; text: string }>;
  role(role: Role): Promise<string>;
  park(park: string): Promise<string>;
  enterprise(id: string): Promise<string>;
}

/** What the ladder needs of a simulated project. */
export interface LadderSimProject {
  readonly spec: ProjectSpec;
  id?: string;
  terminal: boolean;
}

const RUNGS = ['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING'] as const;
const LEADER = 'committee_leader' as const;

interface EscalationDoc {
  rungs: { level: number; responseWd: number }[];
  graceWd?: number;
  ladderTasks?: 'all' | 'enterprise';
  assessmentDepartments?: Role[];
}
interface Letter {
  id: string;
  series: string;
  to: { kind: string };
  issuedAt: string;
  replyBy: string | null;
  /** The reply window it was issued with (an urging letter: its rung's window). */
  replyWd?: number;
  ack: { at: string } | null;
}
interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
interface TimelineEvent {
  action: string;
  at: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** A quicker ladder for a short run: the grace and every rung's window, in working days. */
export interface LadderOverride {
  readonly graceWd?: number;
  readonly responseWd?: number;
  /** Whose overdue tasks raise the ladder (`config/escalation` `ladderTasks`). */
  readonly tasks?: 'all' | 'enterprise';
}

/**
 * The ladder's rules as the zone's configuration says (`config/escalation`, `config/recurring`, `config/letters`).
 * With an override, ops first publish a version of `config/escalation` with that grace and those windows
 * (PUT /config/escalation over the version read: If-Match), as a zone would; the oracle then reads what is in force.
 */
export async function ladderConfig(api: LadderApi, override?: LadderOverride & { readonly base: string }) {
  const token = api.role(LEADER);
  if (override && (override.graceWd !== undefined || override.responseWd !== undefined || override.tasks !== undefined)) {
    const now = await api.call<{ version: number; doc: EscalationDoc }>('GET /config/{name}', 'GET', '/config/escalation', token);
    const doc = { ...now.body.doc, ...(override.graceWd !== undefined ? { graceWd: override.graceWd } : {}), ...(override.tasks !== undefined ? { ladderTasks: override.tasks } : {}), rungs: now.body.doc.rungs.map((r) => ({ ...r, ...(override.responseWd !== undefined ? { responseWd: override.responseWd } : {}) })) };
    const res = await fetch(`${override.base}/config/escalation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await api.role('ops')}`, 'content-type': 'application/json', 'if-match': `"${now.body.version}"`, 'idempotency-key': `sim-ladder-${override.graceWd}-${override.responseWd}-${override.tasks}` },
      body: JSON.stringify({ doc, note: 'simulation: a quicker ladder' }),
    });
    if (!res.ok) throw new Error(`PUT /config/escalation: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  const [esc, rec, letters] = await Promise.all([
    api.call<{ doc: EscalationDoc }>('GET /config/{name}', 'GET', '/config/escalation', token),
    api.call<{ doc: { stalledAfterWd: number } }>('GET /config/{name}', 'GET', '/config/recurring', token),
    api.call<{ doc: { series: Record<string, { replyWd: number }> } }>('GET /config/{name}', 'GET', '/config/letters', token),
  ]);
  if (esc.status !== 200 || rec.status !== 200) throw new Error(`config: escalation ${esc.status}, recurring ${rec.status}`);
  const rules: LadderRules = { rungs: esc.body.doc.rungs.map((r) => ({ level: r.level, responseWd: r.responseWd })), graceWd: esc.body.doc.graceWd ?? 5, stalledAfterWd: rec.body.doc.stalledAfterWd, ladderTasks: esc.body.doc.ladderTasks ?? 'all' };
  return {
    rules,
    departments: esc.body.doc.assessmentDepartments ?? (['investment_dept', 'resources_bureau', 'construction_dept', 'park_center'] as Role[]),
    urgingReplyWd: letters.status === 200 ? (letters.body.doc.series.urging?.replyWd ?? 5) : 5,
  };
}
export type LadderSetup = Awaited<ReturnType<typeof ladderConfig>>;

/**
 * The people who answer the ladder. `plan` is the engine's (an action counted as the project's, skipped once it has
 * ended); `push` puts the desk itself on the agenda.
 */
export function ladderPeople<P extends LadderSimProject>(ctx: {
  readonly seed: number;
  readonly api: LadderApi;
  readonly setup: LadderSetup;
  readonly calendar: WorkCalendar;
  readonly now: () => number;
  readonly instant: (day: string, minute: number) => number;
  readonly plan: (p: P, at: number, run: () => Promise<void>) => void;
  readonly push: (at: number, run: () => Promise<void>) => void;
  /** The project's people look at it soon (new tasks to take up). */
  readonly look: (p: P) => void;
  readonly fail: (what: string) => void;
  readonly projects: readonly P[];
}) {
  const { api, calendar, seed, setup } = ctx;
  const today = () => dayOf(new Date(ctx.now()));
  const handled = new Set<string>();
  const breach = new Map<string, boolean>();
  const sites = new Map<string, { kind: string; id: string }>();
  const counts = newCounts();
  const refused: string[] = [];
  const windowOf = (level: number) => setup.rules.rungs.find((r) => r.level === level)?.responseWd ?? 5;
  const token = (p: P, role: Role) => (role === 'park_center' ? api.park(p.spec.body.park) : role === 'enterprise' ? api.enterprise(p.spec.body.investor.enterpriseId) : api.role(role));

  /** An answer's reply: 2xx done; 409 the ladder moved meanwhile (a reset, an extension) — counted, not a failure. */
  const answered = (what: string, reply: { status: number; text: string }, counter: keyof typeof counts) => {
    if (reply.status >= 200 && reply.status < 300) {
      counts[counter] += 1;
      return true;
    }
    // 409: the ladder moved meanwhile; 400 on the record's date: the rung changed while the request waited its turn.
    if (reply.status === 409 || (reply.status === 400 && /"path":"(heldOn|checkedOn)"/.test(reply.text))) {
      counts.refused += 1;
      if (refused.length < 20) refused.push(`${what}: ${reply.text.slice(0, 160)}`);
    } else ctx.fail(`${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
    return false;
  };
  const at = (p: P, from: string, afterWd: number, what: string) => ctx.instant(calendar.addWorkdays(from, afterWd), actMinute(seed, `${p.id}-${what}`));

  const ackLetters = async (p: P) => {
    const all = await allLetters(api, p.id!).catch((e: Error) => (ctx.fail(`letters ${p.id}: ${e.message}`), null));
    if (!all) return;
    for (const l of all) {
      if (l.to.kind !== 'enterprise' || l.replyBy === null || l.ack || handled.has(`letter#${l.id}`)) continue;
      handled.add(`letter#${l.id}`);
      const delay = letterReply(seed, p.spec.index, dayOf(l.issuedAt), l.replyWd ?? setup.urgingReplyWd);
      if (delay === null) continue;
      ctx.plan(p, at(p, dayOf(l.issuedAt), delay, `ack-${l.id}`), async () => {
        const r = await api.call('POST /letters/{id}/ack', 'POST', `/letters/${encodeURIComponent(l.id)}/ack`, token(p, 'enterprise'), { reply: '已收悉，正在整改' }, `${l.id}-ack`);
        answered(`ack ${l.id}`, r, 'letterAcks');
      });
    }
  };

  const extend = async (p: P, newDueDate: string, viaExit: boolean) => {
    const reason = '企业说明客观原因，管委会同意延期';
    const r = viaExit
      ? await api.call('POST /projects/{id}/exit', 'POST', `/projects/${p.id}/exit`, api.role(LEADER), { decision: 'extend', reason, newDueDate }, `${p.id}-exit-extend-${newDueDate}`)
      : await api.call('POST /projects/{id}/extension', 'POST', `/projects/${p.id}/extension`, api.role(LEADER), { newDueDate, reason }, `${p.id}-extension-${newDueDate}`);
    answered(`extension ${p.id}`, r, viaExit ? 'exitExtensions' : 'extensions');
  };

  const act = async (p: P, level: number, r: RungResponse) => {
    const id = p.id!;
    const day = today();
    switch (r.kind) {
      case 'extension': {
        // Only while the project is still on the ladder (it may have reset since the desk saw it).
        const seen = await api.call<{ escalation: { level: number } }>('GET /projects/{id}', 'GET', `/projects/${id}`, api.role(LEADER));
        if (seen.status === 200 && seen.body.escalation.level > 0) await extend(p, calendar.addWorkdays(day, r.extendWd), false);
        return;
      }
      case 'interview': {
        const body = { heldOn: day, attendees: ['管委会分管领导', '企业负责人'], summary: '约谈企业，听取说明，督促按期整改', commitments: [] };
        answered(`interview ${id}`, await api.call('POST /projects/{id}/interviews', 'POST', `/projects/${id}/interviews`, api.role(LEADER), body, `${id}-interview-${day}`), 'interviews');
        return;
      }
      case 'assessment': {
        // The named departments one after another (the project's version serializes them anyway). To continue, each
        // asks the enterprise for one rectification item 整改事项, due a working day after the last one's.
        const body = (i: number) =>
          r.decision === 'proceed'
            ? { decision: 'proceed', comment: '整改无实质进展，建议履约核查' }
            : { decision: 'continue', comment: '给予限期整改', plan: [{ item: `整改事项${i + 1}：按约定推进项目建设`, owner: 'enterprise', dueDate: calendar.addWorkdays(day, r.planWd + i) }] };
        for (const [i, role] of setup.departments.entries()) {
          const reply = await api.call('POST /projects/{id}/assessments', 'POST', `/projects/${id}/assessments`, token(p, role), body(i), `${id}-assessment-${day}-${role}`);
          if (!answered(`assessment ${id} ${role}`, reply, r.decision === 'proceed' ? 'assessments' : 'assessmentPlans')) return;
        }
        // The plan's items are tasks now: the people look at the project to take them up.
        if (r.decision === 'continue') ctx.look(p);
        return;
      }
      case 'compliance': {
        const body = { checkedOn: day, findings: [{ clause: '投资强度与开工时限', finding: r.breach ? '未按约定开工建设' : '基本履约', breached: r.breach }], summary: r.breach ? '存在违约情形' : '未发现违约' };
        if (answered(`compliance ${id}`, await api.call('POST /projects/{id}/compliance-checks', 'POST', `/projects/${id}/compliance-checks`, api.role('supervision_office'), body, `${id}-compliance-${day}`), 'complianceChecks')) breach.set(id, r.breach);
        return;
      }
      case 'exit':
        // An exit rests on a compliance check that found a breach: without one the leader extends instead.
        if (breach.get(id)) {
          answered(`exit ${id}`, await api.call('POST /projects/{id}/exit', 'POST', `/projects/${id}/exit`, api.role(LEADER), { decision: 'exit', reason: '经履约核查存在违约，启动退出程序' }, `${id}-exit`), 'exitDecisions');
          return;
        }
        await extend(p, calendar.addWorkdays(day, 20), true);
        return;
      case 'extend':
        await extend(p, calendar.addWorkdays(day, r.extendWd), true);
        return;
      default:
        void level;
    }
  };

  const respond = (p: P, level: number, since: string) => {
    if (level === 1) ctx.plan(p, ctx.now(), () => ackLetters(p));
    const r = rungResponse(seed, p.spec.index, level, since, windowOf(level));
    if (r.kind === 'none') return;
    ctx.plan(p, at(p, since, r.afterWd, `rung-${level}-${since}`), () => act(p, level, r));
  };

  const byId = () => new Map(ctx.projects.filter((p) => p.id).map((p) => [p.id!, p]));
  const desk = async () => {
    const all = ctx.projects;
    if (all.every((p) => p.id && p.terminal)) return;
    counts.deskReads += 1;
    const ids = byId();
    for (const name of RUNGS) {
      for (let cursor: string | null | undefined = null; ; ) {
        const page: { status: number; body: Page<{ id: string; escalation: { level: number; since: string | null } }> } = await api.call('GET /projects', 'GET', `/projects?escalation=${name}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, api.role('supervision_office'));
        if (page.status !== 200) {
          ctx.fail(`desk ${name}: ${page.status}`);
          break;
        }
        for (const item of page.body.items) {
          const p = ids.get(item.id);
          const { level, since } = item.escalation;
          if (!p || p.terminal || level < 1 || !since || handled.has(`${item.id}#${level}#${since}`)) continue;
          handled.add(`${item.id}#${level}#${since}`);
          respond(p, level, since);
        }
        cursor = page.body.nextCursor;
        if (!cursor) break;
      }
    }
    ctx.push(ctx.instant(calendar.onOrAfter(plusDays(today(), 1)), 9 * 60), desk);
  };

  return {
    counts,
    refused,
    /** The desk's first read: the first working day at 09:00. */
    start: (day: string) => ctx.push(ctx.instant(calendar.onOrAfter(day), 9 * 60), desk),
    /** The site reserved for a project (read back after an exit). */
    site: (p: P, kind: string, id: string) => void sites.set(p.id!, { kind, id }),
    sites,
  };
}
/** What the people did: desk reads, answers made, and answers refused (409: the ladder had moved meanwhile). */
const newCounts = () => ({ deskReads: 0, letterAcks: 0, extensions: 0, interviews: 0, assessments: 0, assessmentPlans: 0, complianceChecks: 0, exitDecisions: 0, exitExtensions: 0, refused: 0 });

/** What the check reads of the people: their counts and the sites reserved. */
export interface LadderPeople {
  readonly counts: ReturnType<typeof newCounts>;
  readonly refused: readonly string[];
  readonly sites: ReadonlyMap<string, { kind: string; id: string }>;
}

/** Every page of a project's timeline, with the events' payloads. */
/** Every item of a paged list, a page of 100 at a time (its route's `nextCursor` followed to the end). */
async function allItems<T>(api: LadderApi, route: string, path: string, bearer: Promise<string>): Promise<T[]> {
  const out: T[] = [];
  for (let cursor: string | null | undefined = null; ; ) {
    const page: { status: number; body: Page<T> } = await api.call(route, 'GET', `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, bearer);
    if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!cursor) return out;
  }
}

const timeline = (api: LadderApi, id: string) => allItems<TimelineEvent>(api, 'GET /projects/{id}/timeline', `/projects/${id}/timeline`, api.role(LEADER));
const allLetters = (api: LadderApi, id: string) => allItems<Letter>(api, 'GET /projects/{id}/letters', `/projects/${id}/letters`, api.role('supervision_office'));

/**
 * A watched task's due date on the oracle's own arithmetic: a limit from its start, or the date a person set moved off a
 * rest day (expectationOf, oracle.ts); else the product's fixed date.
 */
const dueOf = (t: OracleTask, calendar: WorkCalendar) => (t.startedDate ? expectationOf(t, calendar, 0).dueDate : null) ?? t.dueDate;

/**
 * After the run: the ladder oracle over every project (its tasks as the deadline oracle read them, its timeline and
 * letters), and each exited project's site read back from the inventory.
 */
export async function checkLadderRun(args: { api: LadderApi; ids: readonly string[]; tasks: readonly OracleTask[]; calendar: WorkCalendar; setup: LadderSetup; cutoffDay: string; people: LadderPeople }) {
  const { api, calendar, cutoffDay } = args;
  const projects: LadderProject[] = [];
  const recorded: RecordedRung[] = [];
  const timelines = new Map<string, TimelineEvent[]>();
  const exits = { decided: 0, completed: 0, exitResets: 0, sitesReleased: 0, notReleased: [] as string[] };
  await Promise.all(
    args.ids.map(async (id) => {
      const [project, events, letters] = await Promise.all([
        api.call<{ status: string; createdAt: string; plannedCompletion?: string | null }>('GET /projects/{id}', 'GET', `/projects/${id}`, api.role(LEADER)),
        timeline(api, id),
        allLetters(api, id),
      ]);
      timelines.set(id, events);
      const items: LadderItem[] = [];
      // A withdrawn task (the exit withdraws what is open) was open work until the instant it was withdrawn.
      const withdrawn = new Map<string, string>();
      for (const e of events) if (e.action === 'task.withdrawn') for (const t of (e.after?.tasks as { taskId: string }[] | undefined) ?? []) withdrawn.set(t.taskId, e.at);
      for (const t of args.tasks) {
        if (t.projectId !== id || t.kind === 'recurring' || !t.startedDate) continue;
        // A department's task with the ladder aimed at the enterprise's own work (its tasks, every 容缺 obligation).
        if (args.setup.rules.ladderTasks === 'enterprise' && t.kind !== 'obligation' && t.lead !== 'enterprise') continue;
        const due = dueOf(t, calendar);
        if (due) items.push({ id: t.id, dueDate: due, closedAt: t.status === 'withdrawn' ? (withdrawn.get(t.id) ?? null) : t.completedAt });
      }
      // An urging letter 督办函 is no watched work of its own: the ladder watches the work it urges (domain.md §4).
      for (const l of letters) if (l.to.kind === 'enterprise' && l.replyBy && l.series !== 'urging') items.push({ id: l.id, dueDate: l.replyBy, closedAt: l.ack?.at ?? null });
      const inputs: LadderInput[] = [];
      for (const e of events) {
        const a = e.after ?? {};
        if (e.action === 'stage.entered') inputs.push({ at: (a.enteredAt as string | undefined) ?? e.at, kind: 'entered', stage: String(a.stage) });
        else if (e.action === 'stage.passed') inputs.push({ at: e.at, kind: 'passed', to: String(a.stage) });
        else if (e.action === 'progress.reported') inputs.push({ at: e.at, kind: 'progress' });
        else if (e.action === 'escalation.extended' || e.action === 'exit.extended') inputs.push({ at: e.at, kind: 'extended', until: String(a.extendedUntil) });
        else if (e.action === 'escalation.assessment') {
          // Only the decision that concluded the round carries its outcome.
          const outcome = a.outcome as { decision: 'proceed' | 'continue'; planUntil: string | null } | null;
          if (outcome?.decision === 'proceed') inputs.push({ at: e.at, kind: 'assessment_proceed' });
          else if (outcome?.decision === 'continue') inputs.push({ at: e.at, kind: 'assessment_continue', until: String(outcome.planUntil) });
        }
        else if (e.action === 'escalation.compliance_check') inputs.push({ at: e.at, kind: 'compliance_check' });
        else if (e.action === 'exit.decided') {
          inputs.push({ at: e.at, kind: 'exit_decided' });
          exits.decided += 1;
        } else if (e.action === 'exit.completed') exits.completed += 1;
        else if (e.action === 'escalation.raised') recorded.push({ projectId: id, stream: `L${Number(a.level)}` as LadderStream, at: e.at });
        else if (e.action === 'escalation.exit_reminder') recorded.push({ projectId: id, stream: 'reminder', at: e.at });
        else if (e.action === 'escalation.reset') {
          // The exit's own reset (the exited project leaves the ladder) is the exit's, counted there.
          if (a.reason === 'exited') exits.exitResets += 1;
          else recorded.push({ projectId: id, stream: 'reset', at: e.at });
        }
      }
      projects.push({ projectId: id, firstDay: dayOf(project.body.createdAt ?? events.at(-1)?.at ?? new Date()), items, plannedCompletion: project.body.plannedCompletion ?? null, inputs: inputs.sort((x, y) => Date.parse(x.at) - Date.parse(y.at)) });
      if (project.body.status === 'EXITED') {
        const site = args.people.sites.get(id);
        const res = site ? await api.call<{ status: string }>('GET /inventory/{kind}/{id}', 'GET', `/inventory/${site.kind}/${site.id}`, api.role(site.kind === 'parcels' ? 'resources_bureau' : 'soe')) : null;
        if (res?.status === 200 && res.body.status === 'available') exits.sitesReleased += 1;
        else exits.notReleased.push(`${id}: ${site ? `${site.kind}/${site.id} ${res?.status} ${res?.body.status}` : 'no site on record'}`);
      }
    }),
  );
  const report = checkLadder({ projects, recorded, rules: args.setup.rules, calendar, cutoffDay });
  const defects = Object.values(report.counts).reduce((s, n) => s + n, 0) + exits.notReleased.length;
  const exitedProjects = projects.filter((p) => p.inputs.some((i) => i.kind === 'exit_decided')).length;
  return {
    scope: 'escalation rungs L1–L5, resets and exit reminders (timeline), exits and their released sites',
    projectsChecked: report.projectsChecked,
    expected: report.expected,
    recorded: report.recorded,
    raised: LADDER_STREAMS.filter((s) => s.startsWith('L')).reduce((n, s) => n + report.recorded[s], 0),
    counts: report.counts,
    defects,
    examples: report.defects.slice(0, 30).map((d) => ({
      ...d,
      // The project's timeline around the day: the evidence.
      around: (timelines.get(d.projectId) ?? [])
        .filter((e) => {
          const day = dayOf(e.at);
          const from = plusDays(d.expectedDay ?? d.actualDay ?? cutoffDay, -2);
          const to = plusDays(d.actualDay ?? d.expectedDay ?? cutoffDay, 1);
          return day >= from && day <= to && !e.action.startsWith('workflow.') && e.action !== 'stage.evaluated';
        })
        .map((e) => ({ action: e.action, at: e.at })),
      // The project's whole ladder as the oracle replayed it and as the product recorded it (with the trigger named).
      replayed: report.expectedEvents.filter((x) => x.projectId === d.projectId).map((x) => `${x.stream} ${x.day} (${x.why})`),
      recordedLadder: (timelines.get(d.projectId) ?? [])
        .filter((e) => e.action.startsWith('escalation.') || e.action.startsWith('exit.') || e.action === 'letter.acknowledged')
        .map((e) => `${e.action} ${dayOf(e.at)} ${JSON.stringify((e.after?.trigger as { item?: string; since?: string } | undefined) ?? e.after?.reason ?? e.after?.extendedUntil ?? '')}${e.action === 'escalation.reset' ? ` held by ${JSON.stringify(e.before?.trigger ?? null)}` : ''}`),
      // The items the product named as its triggers, as the task listing shows them after the run.
      triggerItems: [...new Set((timelines.get(d.projectId) ?? []).flatMap((e) => (e.action === 'escalation.raised' ? [(e.after?.trigger as { item?: string } | undefined)?.item] : [])))].map((item) => {
        const t = args.tasks.find((x) => x.projectId === d.projectId && x.id === item);
        return t ? { id: t.id, status: t.status, startedDate: t.startedDate, limitWd: t.limitWd, dueDate: t.dueDate, completedAt: t.completedAt } : { id: item ?? null, listed: false };
      }),
    })),
    exits: { ...exits, projectsWithExitDecided: exitedProjects },
    people: { ...args.people.counts, refusedExamples: args.people.refused },
  };
}
