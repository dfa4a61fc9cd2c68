// The project page: facts, the stage progress line, tasks, the gate with approvals and meeting, letters, reservations,
// progress and the timeline, with the actions the user's role allows. After an action the page reloads what changed,
// and again shortly after: the lifecycle workflow reacts to a change asynchronously (a successor starts, a stage moves).
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { backOnlyByExit, canReportProduction, caseClosed, owedAtGate, taskLight, gateWords, isStaff, timelineShown, previousRejections, linesOf, pctText, progressDrops, recentQuarters, wanToYuan, numberOf, percentProblem, rowFields, rowsOf, deficienciesWithoutChinese, workItemsWithoutChinese, WORK_ITEM_KEYS, withCursor, canAcknowledge, bucketLabel, mayReadFunds, drawableQuotas, exitCourse, ladderRecorded, reservationsHeldAndReleased, extensionInForce, quotaLabel, QUOTA_KINDS, yearOf, type QuotaKind, type QuotaRecord, canComplete, canRecordMeeting, canAmendMeeting, canReportProgress, canRelease, canReserve, pendingApprovals, reservable, stageSteps, type Addressee, type FormProblem, type GateLike, type Identity, type PreviousRound, type ProgressReport } from '../logic.ts';
import type { T } from '../i18n.ts';
import { triggerWords, type TriggerLike } from '../../../functions/supervision/domain/trigger-words.ts';
import { Admission, Extension, type DecidableProject } from './decisions.ts';
import { Fund, Recovery, ReleaseReservation, SendLetter } from './project-actions.ts';
import { AmendContract, Amendments, EditProject } from './project-edit.ts';
import { Supervision } from './supervision.ts';
import { businessToday, closeOnEscape, date, Failure, Field, FormError, html, instant, Light, Loading, More, RefreshContext, Rows, Typed, useLoad, usePages, useParkName, useSubmit, yuan } from '../ui.ts';
import { WORK_OWNER_ROLES, type Role, type Stage } from '../../../functions/kernel/domain/codes.ts';

interface Project {
  id: string;
  name: string;
  investor: { name: string; enterpriseId: string };
  track: string;
  park: string;
  /** The park's English name (GET /projects/{id}, an enterprise's too: it reads no configuration; null when none). */
  parkEn?: string | null;
  stage: Stage;
  status: string;
  light: string;
  /** The version read (ETag): a correction of filed production figures is sent on it (If-Match). */
  version?: number;
  category?: string;
  categoryReason?: string;
  categoryReasonEn?: string | null;
  dedicatedTeam?: { lead?: string; members?: string[] } | string | null;
  totalInvestmentCny?: number;
  /** Staff see what holds the project on its rung, the next step and its date, and an extension's date. */
  escalation: { name: string; level: number; trigger?: TriggerLike | null; next?: { step: string; dueDate: string; calendarProvisional?: boolean } | null; extendedUntil?: string | null };
  gate: (GateLike & { name: string; nameEn?: string; dueDate: string | null; needs?: { kind: string; message: string; zh?: string; en?: string }[]; meeting?: MeetingRecord | null; previousRound?: PreviousRound | null }) | null;
  /** The reservations held (staff view only; an enterprise's view leaves the field out). */
  reservations?: { id: string; kind: string; resourceId: string; amount: number; status: string }[];
  progress?: { constructionPct?: number; equipmentPct?: number; note?: string; reportedOn?: string } | null;
  /** Quarterly figures reported 达产达效, by quarter (`2027Q1`). */
  production?: Record<string, { outputValueCny: number; taxCny: number; jobs: number }> | null;
  targets?: { outputValueCny?: number; taxCny?: number; jobs?: number } | null;
  fundAllocations?: { id: string; year: number; bucket: string; amountCny: number; spentCny: number }[];
  siteMode?: string;
  /** Staff view only: who decides admission and what they decided. */
  admission?: DecidableProject['admission'];
  /** The exit procedure once decided (staff view). */
  exit?: { status: string; execution?: string; failure?: { error?: string; at?: string } | null; steps?: Partial<Record<string, string>>; released?: string[]; letter?: { id: string; number: string } | null } | null;
  /** The lifecycle's execution (staff view): a failed one is resumed by ops. */
  workflow?: { executionName: string; status: string; lastError?: string | null } | null;
}
/** This round's transition meeting as recorded and amended (staff view of the gate; absent from an older API). */
interface MeetingRecord {
  heldOn: string;
  attendees: string[];
  decisions: string[];
  followUps: { item: string; itemEn?: string; owner: Role; dueDate: string }[];
  amendmentCount?: number;
}
/** GET /projects/{id}/reservations (staff): with the resource's code and the unit of the amount. */
interface Reservation {
  id: string;
  kind: string;
  resourceId: string;
  resourceLabel: string;
  note?: string | null;
  amount: number;
  unit: string;
  status: string;
  /** When, by whom and why it went back (a released one). */
  released?: { at: string; by: string; reason: string } | null;
}
interface Task {
  id: string;
  name: string;
  nameEn?: string;
  stage: Stage;
  lead: Role;
  status: string;
  startedDate: string | null;
  dueDate: string | null;
  /** The date a person set (agreed items, 容缺 documents), when the calendar moved it off a rest day. */
  dueDateSet?: string | null;
  /** The day its yellow light comes on (null: no limit). */
  yellowDate?: string | null;
  light: string;
  /** matrix, followup, obligation (a 容缺 document owed: completed with it, never deferred again) or recurring. */
  kind?: string;
  /** The due date falls in a year whose calendar is not loaded: estimated on weekdays, it may still move. */
  calendarProvisional?: boolean;
  /** Its stage's gate opens only once it is done. */
  requiredForGate?: boolean;
  /** Once done: the business day and whether it was after the due date (逾期办结; a closed task's light is green). */
  completion?: { date?: string; late?: boolean } | null;
}
interface Letter {
  id: string;
  number: string;
  subject: string;
  body: string;
  fromName: string;
  toName: string;
  issuedAt: string;
  replyBy: string | null;
  status: string;
  to: Addressee;
  ack: { byName: string; at: string; reply: string } | null;
}

/**
 * Where the project stands on the ladder, in words: the rung, what holds it there (since when), the next step and its
 * date (暂估 in a year with no calendar); off the ladder, an extension's date. Staff's view (an enterprise's has the rung only).
 */
function ladderLine(e: Project['escalation'], t: T, today: string | undefined): string {
  if (!e.level) return [t.t('none'), ...(extensionInForce(e.extendedUntil, today) ? [t.beside(t.t('extendedUntil'), e.extendedUntil ?? '')] : [])].join(' · ');
  const parts = [t.rung(e.level, e.name)];
  if (e.trigger) parts.push(triggerWords(e.trigger)[t.lang]);
  if (e.next) parts.push(t.nextStepBy(t.escalation(e.next.step), e.next.dueDate, e.next.calendarProvisional === true));
  return parts.join(' · ');
}
/** Staff see who acted; an enterprise's timeline has a label instead of the actor. */
interface AuditEvent {
  at: string;
  action: string;
  after?: Record<string, unknown>;
  /** The enterprise's view: what the event says, instead of before and after. */
  details?: Record<string, unknown>;
  label?: string;
  actorName?: string;
  actor?: string;
}

export function ProjectPage({ api, id, me, t }: { api: Api; id: string; me?: Identity; t: T }) {
  const project = useLoad(() => api.get<Project>(`/projects/${id}`), [id]);
  // A project's own lists are read whole (page after page); the timeline, oldest first and only ever growing, reloads
  // from its last page on, so its newest events are always there.
  const tasks = usePages<Task>((c) => withCursor(`/projects/${id}/tasks?limit=100`, c), [id], { get: api.get, all: true });
  const staffOrAddressee = usePages<Letter>((c) => withCursor(`/projects/${id}/letters?limit=100`, c), [id], { get: api.get, all: true, quiet: true });
  const timeline = usePages<AuditEvent>((c) => withCursor(`/projects/${id}/timeline?limit=100`, c), [id], { get: api.get, all: true, appendOnly: true, quiet: true });
  // The reservations with their resources' codes and units: the project record holds only ids and amounts (staff).
  const staff = isStaff(me);
  // The reservations' parks by name (staff: an enterprise reads no configuration, and its view has no reservations).
  const parkName = useParkName(api, t, staff);
  // Today on the business clock: an extension is said while it is in force.
  const today = useLoad(() => businessToday(api), [api]);
  const none = <R,>() => Promise.resolve({ items: [], nextCursor: null } as R);
  // The system's routine evaluations after every change are left out of the timeline unless asked for.
  const [routine, setRoutine] = useState(false);
  // The progress reports so far, newest first — read only once the project has one (it holds the last): a page of a
  // project before construction would read the project's events for nothing on every load and every action.
  const reported = Boolean(project.data?.progress);
  const reports = usePages<ProgressReport>((c) => withCursor(`/projects/${id}/progress?limit=100`, c), [id, reported], { get: reported ? api.get : none, all: true, quiet: true });
  const reservations = usePages<Reservation>((c) => withCursor(`/projects/${id}/reservations?limit=100`, c), [id, staff], { get: staff ? api.get : none, all: true });
  const reload = () => {
    for (const l of [project, tasks, staffOrAddressee, timeline, reports, reservations]) l.reload();
  };
  // The reservation forms' candidates are read again after a release (the released site is offered again) and when the
  // page is read again on request or after a refusal (a reservation refused because another project took the site
  // meanwhile: it was still offered) — not on the readings that follow every action.
  const [released, setReleased] = useState(0);
  const rereadAll = () => (reload(), setReleased((n) => n + 1));
  const afterAction = () => {
    reload();
    // The workflow's reaction (a gate opened, the next stage entered) lands a moment later; a task a completion leaves
    // ready starts with it.
    for (const ms of [800, 2000, 4000]) setTimeout(reload, ms);
  };
  const p = project.data;
  // Refused or failed before anything was shown: the reason alone. A failed reload keeps the page, its error on top.
  if (!p) return project.error ? html`<${Failure} error=${project.error} t=${t} />` : html`<${Loading} t=${t} />`;
  // The classification and the team are the staff's records: the enterprise's view has none (no empty rows for it).
  const team = typeof p.dedicatedTeam === 'string' ? p.dedicatedTeam : p.dedicatedTeam ? [p.dedicatedTeam.lead, ...(p.dedicatedTeam.members ?? [])].filter((r): r is string => Boolean(r)).map((r) => t.role(r)).join(t.listSep) : t.t('none');
  // A write refused because the project moved on (409, 412) reloads the page: what the user acted on was stale.
  return html`<${RefreshContext.Provider} value=${rereadAll}><article aria-labelledby="project-title">
    <${Failure} error=${project.error} t=${t} />
    <header class="page-head">
      <h1 id="project-title"><bdi>${p.name}</bdi></h1>
      <p class="summary">
        <span data-testid="project-stage">${t.t('stage')}${t.colon}<strong>${t.stage(p.stage)}</strong></span>
        <span>${t.t('status')}${t.colon}${t.status(p.status)}</span>
        <span data-testid="project-light">${t.t('light')}${t.colon}<${Light} light=${p.light} status=${p.status} t=${t} /></span>
        <span data-testid="project-escalation">${t.t('escalation')}${t.colon}${ladderLine(p.escalation, t, today.data)}</span>
        ${p.exit ? html`<span data-testid="exit-status" data-exit=${p.exit.status}>${t.t('exitUnderWay')}${t.colon}${t.exitStatus(p.exit.status)}</span>` : null}
        <button type="button" onClick=${rereadAll}>${t.t('refresh')}</button>
      </p>
    </header>
    ${p.exit && staff ? html`<${ExitCourseSection} api=${api} p=${p} me=${me} reservations=${reservations.items ?? []} t=${t} />` : null}
    <${Admission} api=${api} p=${p} me=${me} t=${t} done=${afterAction} />
    <section aria-labelledby="stages-h">
      <h2 id="stages-h">${t.t('progressLine')}</h2>
      <ol class="stages">
        ${stageSteps(p.stage, p.status).map(
          (s) => html`<li class=${`step step-${s.state}`} aria-current=${s.state === 'current' ? 'step' : undefined}>${t.stage(s.stage)}</li>`,
        )}
      </ol>
    </section>
    <div class="columns">
      <section aria-labelledby="facts-h">
        <h2 id="facts-h">${t.t('facts')}</h2>
        <dl class="facts">
          <dt>${t.t('investor')}</dt><dd><bdi>${p.investor.name}</bdi></dd>
          <dt>${t.t('park')}</dt><dd><bdi>${t.lang === 'en' && p.parkEn ? p.parkEn : p.park}</bdi></dd>
          <dt>${t.t('track')}</dt><dd>${t.track(p.track)}</dd>
          <dt>${t.t('investment')}</dt><dd>${yuan(p.totalInvestmentCny, t.lang)}</dd>
          ${p.category !== undefined
            ? html`<dt>${t.t('category')}</dt><dd>${t.category(p.category)}</dd>
                <dt>${t.t('categoryReason')}</dt><dd><bdi>${(t.lang === 'en' ? p.categoryReasonEn : undefined) ?? p.categoryReason ?? '—'}</bdi></dd>
                <dt>${t.t('team')}</dt><dd><bdi>${team}</bdi></dd>`
            : null}
        </dl>
        <${EditProject} api=${api} p=${p as never} me=${me} t=${t} done=${afterAction} />
        <${AmendContract} api=${api} p=${p as never} me=${me} t=${t} done=${afterAction} />
        ${staff ? html`<${Amendments} api=${api} p=${p as never} t=${t} />` : null}
      </section>
      <${Gate} api=${api} p=${p} me=${me} t=${t} done=${afterAction} events=${timeline.items ?? []} tasks=${tasks.items} />
    </div>
    ${staff ? html`<${Supervision} api=${api} p=${p} me=${me} t=${t} done=${afterAction} recorded=${ladderRecorded(timeline.items)} />` : null}
    <${Extension} api=${api} p=${p} me=${me} t=${t} done=${afterAction} />
    <${Tasks} api=${api} p=${p} tasks=${tasks.items} error=${tasks.error} me=${me} t=${t} done=${afterAction} />
    <div class="columns">
      <${Letters} api=${api} p=${p} letters=${staffOrAddressee.items ?? []} me=${me} t=${t} done=${afterAction} />
      ${p.reservations === undefined
        ? // The enterprise's view says nothing of reservations: no section, rather than a false 无预留.
          null
        : html`<section aria-labelledby="res-h">
            <h2 id="res-h">${t.t('reservations')}</h2>
            <${Failure} error=${reservations.error} t=${t} />
            ${reservations.items
              ? ((rs) => html`${rs.held.length
                ? html`<ul data-testid="reservations">${rs.held.map(
                    (r) => html`<li key=${r.id} data-reservation=${r.id}>${t.resourceKind(r.kind)} · <bdi>${quotaLabel(r.kind, r.resourceLabel, t, parkName)}</bdi> · ${t.beside(r.amount.toLocaleString(), t.unit(r.unit))} · ${t.resourceStatus(r.status)}${r.note ? html` · <bdi>${r.note}</bdi>` : null}
                      ${backOnlyByExit(me, p, r) ? html` <span class="hint" data-testid="back-by-exit">${t.open}${t.t('backOnlyByExit')}${t.close}</span>` : null}
                      ${canRelease(me, p, r) ? html`<${ReleaseReservation} api=${api} projectId=${p.id} reservation=${r.id} label=${quotaLabel(r.kind, r.resourceLabel, t, parkName)} t=${t} done=${() => (setReleased((n) => n + 1), afterAction())} />` : null}</li>`,
                  )}</ul>`
                : html`<p>${t.t(rs.released.length ? 'noReservationsNow' : 'noReservations')}</p>`}
                ${rs.released.length
                  ? html`<h3 id="res-released-h">${t.t('reservationsReleased')}</h3>
                      <ul data-testid="reservations-released" aria-labelledby="res-released-h">${rs.released.map(
                        (r) => html`<li key=${r.id} data-released-reservation=${r.id}>${t.resourceKind(r.kind)} · <bdi>${quotaLabel(r.kind, r.resourceLabel, t, parkName)}</bdi> · ${t.beside(r.amount.toLocaleString(), t.unit(r.unit))} · ${t.resourceStatus('released')}${r.released ? html` <time datetime=${r.released.at}>${instant(r.released.at)}</time>${r.released.reason ? html`${t.open}<bdi>${r.released.reason}</bdi>${t.close}` : null}` : null}</li>`,
                      )}</ul>`
                  : null}`)(reservationsHeldAndReleased(reservations.items))
              : null}
            ${canReserve(me, p)
              ? html`<${ReserveForm} api=${api} p=${p} me=${me} t=${t} done=${afterAction} released=${released} />
                  <${QuotaReserveForm} api=${api} p=${p} t=${t} done=${afterAction} released=${released} />`
              : null}
          </section>`}
    </div>
    <${Progress} api=${api} p=${p} me=${me} t=${t} done=${afterAction} history=${reports.items ?? []} />
    <${Production} api=${api} p=${p} me=${me} t=${t} done=${afterAction} />
    ${staff ? html`<${Fund} api=${api} p=${p} me=${me} t=${t} done=${afterAction} />` : null}
    <${Recovery} api=${api} p=${p} me=${me} t=${t} done=${afterAction} />
    ${timeline.items
      ? ((tl) => html`<section aria-labelledby="tl-h">
          <h2 id="tl-h">${t.t('timeline')}</h2>
          ${tl.hidden || routine
            ? html`<p class="hint"><label><input type="checkbox" data-testid="show-routine" checked=${routine} onChange=${(e: Event) => setRoutine((e.currentTarget as HTMLInputElement).checked)} /> ${t.t('showRoutine')}${tl.hidden ? `${t.open}${tl.hidden}${t.close}` : ''}</label></p>`
            : null}
          <${More} list=${timeline} t=${t} label=${t.t('newerEvents')} />
          <ol class="timeline" reversed data-testid="timeline">
            ${[...tl.shown].reverse().map((e) => html`<li data-action=${e.action}><time datetime=${e.at}>${instant(e.at)}</time> ${(t.lang === 'zh' ? e.label : undefined) ?? t.action(e.action) ?? e.label ?? html`<code>${e.action}</code>`} <bdi>${t.actor(e.actor, e.actorName)}</bdi></li>`)}
          </ol>
        </section>`)(timelineShown(timeline.items, routine))
      : null}
  </article></${RefreshContext.Provider}>`;
}

/**
 * The exit procedure's course 退出程序进展 (staff): each step with when it finished, and what the exit gave back — land
 * reclaimed, a facility, a quota's amount, a fund allocation's unspent part — named as the project's lists name them.
 */
function ExitCourseSection({ api, p, me, reservations, t }: { api: Api; p: Project & { exit: NonNullable<Project['exit']> }; me?: Identity; reservations: readonly Reservation[]; t: T }) {
  const allocations = useLoad(() => api.get<{ items: { id: string; year: number; bucket: string; released?: { returnedCny: number } | null }[] }>(`/projects/${p.id}/fund-allocations`), [p.id, p.version]);
  // The buckets' names where the reader may read the fund (mayReadFunds: another role would get a 403; the default
  // buckets' names are shown then).
  const years = mayReadFunds(me) ? [...new Set((allocations.data?.items ?? []).map((a) => a.year))].join(',') : '';
  const buckets = useLoad(() => Promise.all(years ? years.split(',').map((y) => api.get<{ buckets: { code: string; name: string; nameEn?: string }[] }>(`/funds/${y}`).then((f) => f.buckets, () => [])) : []).then((b) => b.flat()), [years]);
  const parkName = useParkName(api, t);
  const course = exitCourse(p.exit, reservations, allocations.data?.items ?? []);
  const bucketName = (code: string) => bucketLabel(code, t.lang, buckets.data);
  const releaseDone = course.steps.some((s) => s.step === 'release' && s.at);
  return html`<section aria-labelledby="exit-course-h" data-testid="exit-course">
    <h2 id="exit-course-h">${t.t('exitCourse')}</h2>
    <ol class="exit-steps">
      ${course.steps.map((s) => html`<li data-step=${s.step} data-done=${s.at ? 'true' : 'false'}>${t.exitStep(s.step)} · ${s.at ? instant(s.at) : html`<span class="muted">${t.t('pendingStep')}</span>`}${s.step === 'letter' && course.letter ? ` · ${course.letter}` : ''}</li>`)}
    </ol>
    ${releaseDone
      ? html`<h3>${t.t('exitReleased')}</h3>
          ${course.released.length
            ? html`<ul data-testid="exit-released">${course.released.map((r) =>
                r.what === 'reservation'
                  ? html`<li data-released=${r.id}><bdi>${t.exitGaveBack(r.kind, quotaLabel(r.kind, r.label, t, parkName), t.beside(r.amount.toLocaleString(), t.unit(r.unit)))}</bdi></li>`
                  : r.what === 'allocation'
                    ? html`<li data-released=${r.id}>${t.exitFundBack(bucketName(r.bucket), r.returnedCny === null ? '—' : yuan(r.returnedCny, t.lang))}</li>`
                    : html`<li data-released=${r.id}><code>${r.id}</code></li>`,
              )}</ul>`
            : html`<p>${t.t('exitReleasedNone')}</p>`}`
      : null}
  </section>`;
}


function Tasks({ api, p, tasks, error, me, t, done }: { api: Api; p: Project; tasks?: Task[]; error?: Error; me?: Identity; t: T; done: () => void }) {
  const [completing, setCompleting] = useState<string | undefined>();
  // In their numbers' order: the API lists by id, where a task's 容缺 obligation-10 comes before obligation-2.
  const ordered = [...(tasks ?? [])].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const byStage = ordered.filter((x) => x.stage === p.stage);
  const others = ordered.filter((x) => x.stage !== p.stage);
  const rows = [...byStage, ...others];
  return html`<section aria-labelledby="tasks-h">
    <h2 id="tasks-h">${t.t('tasks')}</h2>
    <${Failure} error=${error} t=${t} />
    ${tasks && !rows.length
      ? html`<p data-testid="no-tasks">${p.status === 'PENDING_ADMISSION' ? t.t('tasksAfterAdmission') : t.t('projectNoTasks')}</p>`
      : html`<div class="scroll"><table class="grid">
      <thead><tr><th scope="col">${t.t('stage')}</th><th scope="col">${t.t('task')}</th><th scope="col">${t.t('lead')}</th><th scope="col">${t.t('dueDate')}</th><th scope="col">${t.t('light')}</th><th scope="col">${t.t('status')}</th><th scope="col">${t.t('action')}</th></tr></thead>
      <tbody>
        ${rows.map(
          // Keyed by task: a task added above (another department's 容缺 obligation, read on 刷新) must not hand an open
          // 办结 form's row to another task — the form was made anew and what was typed in it lost.
          (x) => html`<${Fragment} key=${x.id}><tr data-task=${x.id}>
            <td>${t.stage(x.stage)}</td>
            <th scope="row"><${Typed} text=${taskName(x, t)} t=${t} /></th>
            <td>${t.role(x.lead)}</td>
            <td><span class="nowrap">${date(x.dueDate)}</span>${x.calendarProvisional && x.status === 'open' ? html` <span class="hint" data-provisional title=${t.t('provisionalHint')}>${t.open}${t.t('provisional')}${t.close}</span>` : null}${x.dueDateSet && x.dueDateSet !== x.dueDate ? html` <span class="hint">${t.open}${t.beside(t.t('agreedOn'), x.dueDateSet)}${t.close}</span>` : null}</td>
            <td>${taskLight(x) === 'late'
              ? html`<span class="light light-late nowrap" data-light="late" title=${t.beside(t.t('completedOn'), x.completion?.date ?? '')}><span class="dot" aria-hidden="true"></span>${t.t('doneLate')}</span>`
              : taskLight(x) === 'none'
                ? // No clock runs (not started, or withdrawn with the case), so no light: a green one read as "on time".
                  html`<span class="light light-none" data-light="none" title=${x.status === 'withdrawn' ? t.t('withdrawn') : t.t('notStarted')}>—</span>`
                : html`<${Light} light=${x.light} t=${t} />`}${x.status === 'open' && x.light === 'green' && x.yellowDate ? html` <span class="hint nowrap" data-yellow=${x.yellowDate}>${t.beside(t.t('yellowFrom'), x.yellowDate)}</span>` : null}</td>
            <td data-status=${x.status}>${x.status === 'done' ? t.t('done') : x.status === 'done_with_deficiencies' ? t.t('doneWithDeficiencies') : x.status === 'withdrawn' ? t.t('withdrawn') : x.startedDate ? t.t('openStatus') : t.t('notStarted')}</td>
            <td>
              ${canComplete(me, x, p)
                ? html`<button type="button" aria-expanded=${completing === x.id} onClick=${() => setCompleting(completing === x.id ? undefined : x.id)} aria-label=${`${t.t('complete')}${t.colon}${taskName(x, t)}`}>${t.t('complete')}</button>`
                : null}
            </td>
          </tr>
          ${canComplete(me, x, p) && completing === x.id
            ? // The form on a row of its own, the table's width: in the action cell it squeezed every other column.
              html`<tr class="form-row" data-task-form=${x.id}><td colspan="7"><${CompleteForm} api=${api} projectId=${p.id} task=${x} t=${t} close=${() => setCompleting(undefined)} done=${done} /></td></tr>`
            : null}</${Fragment}>`,
        )}
      </tbody>
    </table></div>`}
  </section>`;
}

/** A task's name in the page's language (the API's nameEn in English, when it gives one). */
const taskName = (x: { readonly name: string; readonly nameEn?: string | null }, t: T) => (t.lang === 'en' && x.nameEn ? x.nameEn : x.name);

function CompleteForm({ api, projectId, task, t, close, done }: { api: Api; projectId: string; task: Task; t: T; close: () => void; done: () => void }) {
  // 容缺办理: documents still missing are listed with the day each is due; the completion then carries follow-up
  // obligations (the API names a row's field when it refuses it).
  const [missing, setMissing] = useState(0);
  const s = useSubmit(
    ['note', 'documents', ...rowFields('deficiencies', DEFICIENCY_KEYS, missing)],
    (v, key) =>
      api.send(
        'POST',
        `/projects/${projectId}/tasks/${task.id}/complete`,
        { note: v.note?.trim() || undefined, documents: linesOf(v.documents).length ? linesOf(v.documents) : undefined, deficiencies: missing ? rowsOf(v, 'deficiencies', DEFICIENCY_KEYS, missing) : undefined },
        { idempotencyKey: key },
      ),
    () => (setMissing(0), close(), done()),
    (v) => deficienciesWithoutChinese(v, missing, t.t('deficiencyInChinese')),
  );
  // Opened from the keyboard as well as the mouse: focus goes to the form's first field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLInputElement>('input')?.focus(), []);
  return html`<form ref=${form} class="inline" onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(close, `[data-task="${task.id}"] button`)} noValidate aria-label=${`${t.t('complete')}${t.colon}${taskName(task, t)}`}>
    <${Field} name="note" label=${t.t('note')} problem=${s.problem} />
    <${Field} name="documents" multiline label=${t.t('documents')} problem=${s.problem} />
    ${task.kind === 'obligation'
      ? null
      : html`<${Rows}
          list="deficiencies"
          legend=${t.t('deficiencies')}
          columns=${[{ key: 'document', label: t.t('deficiencyDocument') }, { key: 'documentEn', label: t.t('itemEn') }, { key: 'dueDate', label: t.t('deficiencyDue'), type: 'date' }]}
          count=${missing}
          setCount=${setMissing}
          problem=${s.problem}
          add=${t.t('addDeficiency')}
          remove=${t.t('removeRow')} choose=${t.t('choose')}
        />`}
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('submit')}</button>
    <button type="button" onClick=${close}>${t.t('cancel')}</button>
  </form>`;
}

/**
 * A missing document's row: its name, its English name (optional, as a meeting item's: the obligation's English name,
 * so neither page reads 容缺补正：<English> or Missing document: <中文> when both are given) and its day. The name is
 * the Chinese record's (容缺补正：<name>): one typed with no Chinese character is asked for in Chinese before sending.
 */
const DEFICIENCY_KEYS = ['document', 'documentEn', 'dueDate'] as const;
const FOLLOW_UP_KEYS = WORK_ITEM_KEYS;

function Gate({ api, p, me, t, done, events, tasks }: { api: Api; p: Project; me?: Identity; t: T; done: () => void; events: readonly AuditEvent[]; tasks?: readonly Task[] }) {
  const g = p.gate;
  // The API names the gate in English (nameEn); an older API only in Chinese: then the matrix configuration's name
  // (staff read it).
  const english = t.lang === 'en' && isStaff(me) && !g?.nameEn;
  const matrix = useLoad(() => (english ? api.get<{ doc: { gates: { stage: string; name: { zh: string; en: string } }[] } }>('/config/matrix').then((c) => c.doc.gates, () => undefined) : Promise.resolve(undefined)), [english]);
  if (!g) return html`<section aria-labelledby="gate-h"><h2 id="gate-h">${t.t('gate')}</h2><p>${t.t('none')}</p></section>`;
  const mine = pendingApprovals(me, g, p);
  // Not open yet: the stage's tasks it waits for, from the task list (the gate's own record says only that it is shut).
  const waiting = !g.open && p.status === 'ACTIVE' ? (tasks ?? []).filter((x) => x.stage === g.stage && x.requiredForGate && x.status === 'open') : [];
  // A rejection starts a new round, whose decisions the view lists: who rejected the last one and why, as the gate view
  // says it (previousRound), named as the timeline names them.
  const rejections = g.open ? previousRejections(g, events) : [];
  const rejected = rejections.length > 0;
  // The API names the tasks too (kind task): the line below lists them from the task list, with their count.
  // A closed case (exited): nothing the gate lacked is still needed, no approver is still awaited.
  const closed = caseClosed(p);
  const needs = closed ? [] : (g.needs ?? []).filter((n) => n.kind !== 'task');
  // The 容缺 documents still owed (the gate opens without them), this stage's or an earlier one's: while the case is active.
  const owed = closed ? [] : owedAtGate(tasks ?? []);
  const approvers = (g.requiredApprovals ?? []).filter((r) => !closed || (g.approvals ?? []).some((x) => x.role === r));
  return html`<section aria-labelledby="gate-h" data-testid="gate">
    <h2 id="gate-h">${t.t('gate')}${t.colon}${gateWords(g, t.lang, matrix.data, t.stage)}</h2>
    <p data-testid="gate-state">${closed ? t.t('gateEnded') : g.open ? html`<strong>${t.t('gateOpen')}</strong>` : t.t('gateClosed')} ${g.dueDate && !closed ? `· ${t.beside(t.t('dueDate'), g.dueDate)}` : ''}</p>
    ${needs.length ? html`<p>${t.t('gateNeeds')}${t.colon}${needs.map((n) => (t.lang === 'en' ? n.en : n.zh) ?? n.message).join(t.semicolon)}</p>` : null}
    ${owed.length
      ? html`<p data-testid="gate-owed">${t.t('gateOwed')}${t.open}${owed.length}${t.close}${t.colon}${owed.map((x, i) => html`${i ? t.semicolon : ''}<${Typed} text=${taskName(x, t)} t=${t} /> · ${t.role(x.lead)} · ${t.beside(t.t('dueDate'), date(x.dueDate))}`)}</p>`
      : null}
    ${waiting.length ? html`<p data-testid="gate-waits">${t.t('gateWaitsFor')}${t.open}${waiting.length}${t.close}${t.colon}${waiting.map((x, i) => html`${i ? t.listSep : ''}<${Typed} text=${taskName(x, t)} t=${t} />`)}</p>` : null}
    ${rejected
      ? html`<p class="warn" data-testid="last-rejection">${t.t('lastRejection')}${rejections.map(
          (r, i) => html`${i ? t.semicolon : ''}${t.open}${instant(r.at)}${t.close}${t.colon}${r.role ? t.role(r.role) : ''} <bdi>${r.by ?? ''}</bdi> ${t.t('reject')}${r.comment ? html`${t.colon}<bdi>${r.comment}</bdi>` : ''}`,
        )}</p>`
      : null}
    ${approvers.length // an enterprise's view of its gate names no approvers: no empty heading
      ? html`<h3>${t.t('approvals')}</h3>
          <ul class="approvals">
            ${approvers.map((r) => {
              const a = (g.approvals ?? []).filter((x) => x.role === r).at(-1);
              // With the approver's comment: what a department said when it approved (it was kept, never shown).
              return html`<li data-approver=${r}>${t.role(r)}${t.colon}${a ? (a.decision === 'approve' ? t.t('approve') : t.t('reject')) : t.t('pending')}${a?.comment ? html` · <bdi>${a.comment}</bdi>` : null}</li>`;
            })}
          </ul>`
      : null}
    ${g.meetingRequired ? html`<p data-testid="gate-meeting">${t.t('meeting')}${t.colon}${g.meetingRecorded ? t.t('meetingRecorded') : t.t('meetingMissing')}${!g.meetingRecorded && rejected ? html` <span class="warn">${t.open}${t.t('meetingAgain')}${t.close}</span>` : null}</p>` : null}
    ${g.meeting ? html`<${MeetingShown} m=${g.meeting} t=${t} />` : null}
    ${mine.length ? html`<${ApproveForm} api=${api} p=${p} stage=${g.stage} t=${t} done=${done} />` : null}
    ${canRecordMeeting(me, g, p) ? html`<${MeetingForm} api=${api} p=${p} stage=${g.stage} t=${t} done=${done} />` : null}
    ${canAmendMeeting(me, g, p) ? html`<${AmendMeetingForm} api=${api} p=${p} stage=${g.stage} t=${t} done=${done} />` : null}
  </section>`;
}

/**
 * What this round's meeting recorded (as amended): the approvers read the decisions they approve after, and whoever
 * corrects the record sees what it says — the page said only 已记录.
 */
function MeetingShown({ m, t }: { m: MeetingRecord; t: T }) {
  return html`<details data-testid="meeting-record">
    <summary>${t.t('meetingRecord')}${t.open}${m.heldOn}${m.amendmentCount ? `${t.comma}${t.beside(t.t('meetingAmendments'), m.amendmentCount)}` : ''}${t.close}</summary>
    <dl class="meeting-facts">
      <dt>${t.t('meetingAttendees')}</dt><dd><bdi>${m.attendees.join(t.listSep)}</bdi></dd>
      <dt>${t.t('meetingDecisions')}</dt><dd><ul>${m.decisions.map((d) => html`<li><bdi>${d}</bdi></li>`)}</ul></dd>
      ${m.followUps.length
        ? html`<dt>${t.t('followUps')}</dt><dd><ul>${m.followUps.map((f) => html`<li><${Typed} text=${t.lang === 'en' && f.itemEn ? f.itemEn : f.item} t=${t} /> · ${t.role(f.owner)} · ${f.dueDate}</li>`)}</ul></dd>`
        : null}
    </dl>
  </details>`;
}

/** A correction of the recorded meeting: what changes (the date, attendees, decisions) and further agreed items. */
function AmendMeetingForm({ api, p, stage, t, done }: { api: Api; p: Project; stage: Stage; t: T; done: () => void }) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState(0);
  const s = useSubmit(
    ['reason', 'heldOn', 'attendees', 'decisions', ...rowFields('addFollowUps', FOLLOW_UP_KEYS, items)],
    (v, key) => {
      const lines = (x: string | undefined) => (linesOf(x).length ? linesOf(x) : undefined);
      const added = rowsOf(v, 'addFollowUps', FOLLOW_UP_KEYS, items);
      return api.send(
        'POST',
        `/projects/${p.id}/gates/${stage}/meeting/amendments`,
        { reason: v.reason?.trim() || undefined, heldOn: v.heldOn || undefined, attendees: lines(v.attendees), decisions: lines(v.decisions), addFollowUps: added.length ? added : undefined },
        { idempotencyKey: key },
      );
    },
    () => (setItems(0), setOpen(false), done()),
    (v) => workItemsWithoutChinese(v, 'addFollowUps', items, t.t('deficiencyInChinese')),
  );
  if (!open) return html`<button type="button" data-opens="amend-meeting" onClick=${() => setOpen(true)}>${t.t('amendMeeting')}</button>`;
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(() => setOpen(false), '[data-opens="amend-meeting"]')} noValidate aria-label=${t.t('amendMeeting')} data-testid="amend-meeting">
    <h3>${t.t('amendMeeting')}</h3>
    <p class="hint">${t.t('amendHint')}</p>
    <${Field} name="reason" label=${t.t('amendReason')} problem=${s.problem} />
    <${Field} name="heldOn" type="date" label=${t.t('heldOn')} problem=${s.problem} />
    <${Field} name="attendees" multiline label=${t.t('attendees')} problem=${s.problem} />
    <${Field} name="decisions" multiline label=${t.t('decisions')} problem=${s.problem} />
    <${FollowUpRows} list="addFollowUps" count=${items} setCount=${setItems} problem=${s.problem} t=${t} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('amendMeeting')}</button>
    <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button>
  </form>`;
}

function ApproveForm({ api, p, stage, t, done }: { api: Api; p: Project; stage: Stage; t: T; done: () => void }) {
  // The decision is chosen, not preset: a single click on 提交 approved a gate before (the API names a missing one).
  const s = useSubmit(['decision', 'comment'], (v, key) => api.send('POST', `/projects/${p.id}/gates/${stage}/approvals`, { decision: v.decision || undefined, comment: v.comment || undefined, round: p.gate?.round }, { idempotencyKey: key }), done);
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('approvals')}>
    <${Field} name="decision" label=${t.t('decision')} problem=${s.problem}>
      <option value="" selected>${t.t('choose')}</option>
      <option value="approve">${t.t('approve')}</option>
      <option value="reject">${t.t('reject')}</option>
    </${Field}>
    <${Field} name="comment" label=${t.t('comment')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('submit')}</button>
  </form>`;
}

/** Items agreed at a meeting 会议议定事项, a row each: the item, the department (or the enterprise) that does it, by when. */
function FollowUpRows({ list, count, setCount, problem, t }: { list: string; count: number; setCount: (n: number) => void; problem?: FormProblem; t: T }) {
  return html`<${Rows}
    list=${list}
    legend=${t.t('followUps')}
    columns=${[
      { key: 'item', label: t.t('followUpItem') },
      { key: 'itemEn', label: t.t('itemEn') },
      { key: 'owner', label: t.t('followUpOwner'), options: WORK_OWNER_ROLES.map((r) => [r, t.role(r)] as const) },
      { key: 'dueDate', label: t.t('dueDate'), type: 'date' },
    ]}
    count=${count}
    setCount=${setCount}
    problem=${problem}
    add=${t.t('addFollowUp')}
    remove=${t.t('removeRow')} choose=${t.t('choose')}
  />`;
}

function MeetingForm({ api, p, stage, t, done }: { api: Api; p: Project; stage: Stage; t: T; done: () => void }) {
  // Items agreed at the meeting 会议议定事项 go to a department (or the enterprise) with a date: each becomes work with
  // its own light. The groundbreaking gate's meeting also fixes the planned completion 计划竣工.
  const [items, setItems] = useState(0);
  const fixesCompletion = stage === 'GROUNDBREAKING';
  // The meeting date starts on today (business clock): most meetings are recorded the day they are held.
  const today = useLoad(() => businessToday(api), [api]);
  const s = useSubmit(
    ['heldOn', 'attendees', 'decisions', 'plannedCompletionDate', ...rowFields('followUps', FOLLOW_UP_KEYS, items)],
    (v, key) =>
      api.send(
        'POST',
        `/projects/${p.id}/gates/${stage}/meeting`,
        {
          heldOn: v.heldOn || undefined,
          attendees: linesOf(v.attendees),
          decisions: linesOf(v.decisions),
          followUps: rowsOf(v, 'followUps', FOLLOW_UP_KEYS, items),
          plannedCompletionDate: fixesCompletion ? v.plannedCompletionDate || undefined : undefined,
        },
        { idempotencyKey: key },
      ),
    () => (setItems(0), done()),
    (v) => workItemsWithoutChinese(v, 'followUps', items, t.t('deficiencyInChinese')),
  );
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('recordMeeting')}>
    <h3>${t.t('recordMeeting')}</h3>
    <${Field} name="heldOn" type="date" label=${t.t('heldOn')} problem=${s.problem} value=${today.data} max=${today.data} />
    <${Field} name="attendees" multiline label=${t.t('attendees')} problem=${s.problem} />
    <${Field} name="decisions" multiline label=${t.t('decisions')} problem=${s.problem} />
    ${fixesCompletion ? html`<${Field} name="plannedCompletionDate" type="date" label=${t.t('plannedCompletion')} problem=${s.problem} />` : null}
    <${FollowUpRows} list="followUps" count=${items} setCount=${setItems} problem=${s.problem} t=${t} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('recordMeeting')}</button>
  </form>`;
}

interface Candidate {
  resourceId: string;
  code?: string;
  park: string;
  score: number;
  fits: boolean;
  reasons: string[];
  reasonsEn?: string[];
}

/** Reserve a parcel or a facility for the project, chosen among its ranked matches (fits first, with their reasons). */
function ReserveForm({ api, p, me, t, done, released }: { api: Api; p: Project; me?: Identity; t: T; done: () => void; released: number }) {
  const [kind, setKind] = useState<'parcels' | 'facilities'>(p.siteMode === 'lease' ? 'facilities' : 'parcels');
  const [selected, setSelected] = useState<string | undefined>();
  const matches = useLoad(() => api.get<{ items: Candidate[] }>(`/projects/${p.id}/matches?kind=${kind}`), [p.id, kind]);
  // After a release or a reading of the page (`released` counts them) the candidates are read again: what was released
  // is available again, what another project reserved meanwhile is not.
  useEffect(() => {
    if (released) matches.reload();
  }, [released]);
  // After a reservation the candidates are read again (the one reserved is no longer available).
  // Each reservation made starts the form anew from its state: the reset form showed 土地 again while the candidates
  // (and the kind the page read them for) stayed a lease project's facilities, and a second reservation sent the wrong kind.
  const [made, setMade] = useState(0);
  const s = useSubmit(
    ['kind', 'resourceId'],
    (v, key) => api.send('POST', `/projects/${p.id}/reservations`, { kind: v.kind, resourceId: v.resourceId || undefined }, { idempotencyKey: key }),
    () => (setSelected(undefined), setMade((n) => n + 1), matches.reload(), done()),
  );
  // A park center is offered its own park's sites (the API refuses another park's: the resources bureau reserves those).
  // Those that fit come first; those of the project's kind that do not follow, marked, for a site the enterprise will
  // adapt (改造升级).
  const items = reservable(me, p, kind, matches.data?.items ?? []);
  // The reasons shown are the selected candidate's: the best that fits until another is picked — a misfit only when
  // picked (with none that fits, the list starts on 请选择).
  const chosen = items.find((m) => m.resourceId === selected) ?? items.find((m) => m.fits);
  return html`<form key=${made} onSubmit=${s.onSubmit} noValidate aria-label=${t.t('reserve')}>
    <h3>${t.t('reserve')}</h3>
    <div class="row">
      <${Field} name="kind" label=${t.t('kind')} problem=${s.problem} value=${kind} onChange=${(e: Event) => setKind((e.currentTarget as HTMLSelectElement).value as 'parcels' | 'facilities')}>
        <option value="parcels" selected=${kind === 'parcels'}>${t.resourceKind('parcels')}</option>
        <option value="facilities" selected=${kind === 'facilities'}>${t.resourceKind('facilities')}</option>
      </${Field}>
      <${Field} name="resourceId" label=${t.t('resource')} problem=${s.problem} value=${chosen?.resourceId} onChange=${(e: Event) => setSelected((e.currentTarget as HTMLSelectElement).value)}>
        ${chosen || !items.length ? null : html`<option value="" selected>${t.t('choose')}</option>`}
        ${items.map((m) => html`<option value=${m.resourceId} selected=${m.resourceId === chosen?.resourceId}>${m.code ?? m.resourceId} · ${t.beside(t.t('score'), m.score)}${m.fits ? '' : ` · ${t.t('noFit')}`}</option>`)}
      </${Field}>
      <button type="submit" disabled=${s.busy || !chosen}>${t.t('reserve')}</button>
    </div>
    ${chosen
      ? html`<p class="hint" data-testid="reasons">${(t.lang === 'en' && chosen.reasonsEn ? chosen.reasonsEn : chosen.reasons).join(t.semicolon)}</p>`
      : matches.data
        ? html`<p>${t.t(items.length ? 'noneFits' : 'noCandidates')}</p>`
        : null}
    <${FormError} problem=${s.problem} />
  </form>`;
}

/**
 * Reserve an amount of a quota for the project 指标预留: this year's energy or environmental capacity (or a later year's,
 * an earmark), or its park's water, power, gas or heat — the record chosen with what remains of it, the amount in its unit.
 */
function QuotaReserveForm({ api, p, t, done, released }: { api: Api; p: Project; t: T; done: () => void; released: number }) {
  const [kind, setKind] = useState<QuotaKind>('energy');
  const summary = useLoad(() => api.get<{ kinds: { kind: string; quotas?: QuotaRecord[] }[] }>('/inventory'), []);
  const today = useLoad(() => businessToday(api), [api]);
  // What remains is read again with the page (a reservation, a release, another project's reservation meanwhile).
  useEffect(() => {
    if (released) summary.reload();
  }, [released]);
  const parkName = useParkName(api, t);
  const [made, setMade] = useState(0);
  const s = useSubmit(
    ['kind', 'resourceId', 'amount', 'note'],
    (v, key) => api.send('POST', `/projects/${p.id}/reservations`, { kind: v.kind, resourceId: v.resourceId || undefined, amount: numberOf(v.amount), note: v.note?.trim() || undefined }, { idempotencyKey: key }),
    () => (setMade((n) => n + 1), summary.reload(), done()),
  );
  const quotas = today.data ? drawableQuotas(kind, summary.data?.kinds.find((k) => k.kind === kind)?.quotas ?? [], p, yearOf(today.data)) : [];
  const [selected, setSelected] = useState<string | undefined>();
  const chosen = quotas.find((q) => q.id === selected) ?? quotas[0];
  // A reader of no inventory (the API's 403) is offered no quota form.
  if (summary.error && !summary.data) return null;
  return html`<form key=${made} onSubmit=${s.onSubmit} noValidate aria-label=${t.t('reserveQuota')} data-testid="reserve-quota">
    <h3>${t.t('reserveQuota')}</h3>
    <div class="row">
      <${Field} name="kind" label=${t.t('kind')} problem=${s.problem} value=${kind} onChange=${(e: Event) => (setKind((e.currentTarget as HTMLSelectElement).value as QuotaKind), setSelected(undefined))}>
        ${QUOTA_KINDS.map((k) => html`<option value=${k} selected=${k === kind}>${t.resourceKind(k)}</option>`)}
      </${Field}>
      <${Field} name="resourceId" label=${t.t('quotaRecord')} problem=${s.problem} value=${chosen?.id} onChange=${(e: Event) => setSelected((e.currentTarget as HTMLSelectElement).value)}>
        ${quotas.map((q) => html`<option value=${q.id} selected=${q.id === chosen?.id}>${quotaLabel(kind, q.label, t, parkName)} · ${t.beside(q.remaining.toLocaleString(), t.unit(q.unit))}</option>`)}
      </${Field}>
      <${Field} name="amount" type="number" label=${`${t.t('quotaAmount')}${chosen ? `${t.open}${t.unit(chosen.unit)}${t.close}` : ''}`} problem=${s.problem} />
      <${Field} name="note" label=${t.t('reservationNote')} problem=${s.problem} />
      <button type="submit" disabled=${s.busy || !chosen}>${t.t('reserveQuota')}</button>
    </div>
    ${summary.data && today.data && !quotas.length ? html`<p>${t.t('noQuotas')}</p>` : null}
    <${FormError} problem=${s.problem} />
  </form>`;
}

function Letters({ api, p, letters, me, t, done }: { api: Api; p: Project; letters: Letter[]; me?: Identity; t: T; done: () => void }) {
  return html`<section aria-labelledby="letters-h">
    <h2 id="letters-h">${t.t('letters')}</h2>
    ${letters.length
      ? html`<ul class="letters">
          ${letters.map(
            (l) => html`<li key=${l.id} data-letter=${l.id}>
              <strong>${l.number}</strong> <bdi data-testid="letter-subject">${l.subject}</bdi> · <span data-testid="letter-to">${t.t('letterTo')}${t.colon}<bdi>${l.toName}</bdi></span> · ${date(l.issuedAt)} · <span data-status=${l.status}>${t.letterStatus(l.status)}</span>${l.replyBy ? ` · ${t.replyByOn(l.replyBy)}` : ''}
              <details data-testid="letter-text">
                <summary>${t.t('readLetter')}</summary>
                <p>${t.t('letterFrom')}${t.colon}<bdi>${l.fromName}</bdi> → ${t.t('letterTo')}${t.colon}<bdi>${l.toName}</bdi></p>
                <p class="letter-body" style="white-space: pre-wrap"><bdi>${l.body}</bdi></p>
                ${l.ack ? html`<p data-testid="letter-ack">${t.t('acknowledged')}${t.colon}<bdi>${l.ack.byName}</bdi> · ${date(l.ack.at)}${l.ack.reply ? html` · ${t.t('reply')}${t.colon}<bdi>${l.ack.reply}</bdi>` : null}</p>` : null}
                <${PrintLetter} api=${api} letter=${l} t=${t} />
              </details>
              ${canAcknowledge(me, l) ? html`<${AckForm} api=${api} letter=${l} t=${t} done=${done} />` : null}
            </li>`,
          )}
        </ul>`
      : html`<p>${t.t('noLetters')}</p>`}
    ${isStaff(me) ? html`<${SendLetter} api=${api} p=${p} me=${me} t=${t} done=${done} />` : null}
  </section>`;
}

/** The printable letter, downloaded; a download that fails says why beside its button (it was silent). */
function PrintLetter({ api, letter, t }: { api: Api; letter: Letter; t: T }) {
  const [error, setError] = useState<Error | undefined>();
  const print = () => {
    setError(undefined);
    api.download(`/letters/${letter.id}`, `${letter.number}.html`, 'text/html').catch(setError);
  };
  return html`<button type="button" onClick=${print}>${t.t('printLetter')}</button>
    <${Failure} error=${error} t=${t} />`;
}

function AckForm({ api, letter, t, done }: { api: Api; letter: Letter; t: T; done: () => void }) {
  const s = useSubmit(['reply'], (v, key) => api.send('POST', `/letters/${letter.id}/ack`, { reply: v.reply || undefined }, { idempotencyKey: key }), done);
  return html`<form class="inline" onSubmit=${s.onSubmit} noValidate aria-label=${`${t.t('acknowledge')} ${letter.number}`}>
    <${Field} name="reply" label=${t.t('reply')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('acknowledge')}</button>
  </form>`;
}

function Progress({ api, p, me, t, done, history }: { api: Api; p: Project; me?: Identity; t: T; done: () => void; history: readonly ProgressReport[] }) {
  // What is typed, as it is typed: a figure lower than the last report's is told beside the form (and may still be sent).
  const [typed, setTyped] = useState<Record<string, string>>({});
  const s = useSubmit(
    ['constructionPct', 'equipmentPct', 'note'],
    (v, key) => api.send('POST', `/projects/${p.id}/progress`, { constructionPct: Number(v.constructionPct), equipmentPct: Number(v.equipmentPct), note: v.note || undefined }, { idempotencyKey: key }),
    () => (setTyped({}), done()),
    // Nothing is sent with an empty percentage (it is not 0): the field says what it needs.
    (v) => percentProblem(v, ['constructionPct', 'equipmentPct'], { required: t.t('required'), range: t.t('pctRange') }),
  );
  const allowed = canReportProgress(me, p);
  if (!allowed && !p.progress && !history.length) return null;
  const drops = progressDrops(typed, p.progress);
  const onInput = (e: Event) => {
    const el = e.target as HTMLInputElement;
    if (el.name === 'constructionPct' || el.name === 'equipmentPct') setTyped((v) => ({ ...v, [el.name]: el.value }));
  };
  // Who sent each report: the API names the sender to staff only (the investing enterprise is not told which official).
  const senders = history.some((r) => r.reportedBy);
  return html`<section aria-labelledby="progress-h" data-testid="progress">
    <h2 id="progress-h">${t.t('progress')}</h2>
    ${p.progress
      ? html`<p data-testid="progress-now">${t.beside(t.t('construction'), pctText(p.progress.constructionPct))} · ${t.beside(t.t('equipment'), pctText(p.progress.equipmentPct))}${p.progress.reportedOn ? html` · <span class="hint">${t.beside(t.t('reportedOn'), p.progress.reportedOn)}</span>` : ''} ${p.progress.note ? html`· <bdi>${p.progress.note}</bdi>` : ''}</p>`
      : null}
    ${history.length
      ? html`<details data-testid="progress-history">
          <summary>${t.t('progressHistory')}${t.open}${history.length}${t.close}</summary>
          <div class="scroll"><table class="grid">
            <thead><tr><th scope="col">${t.t('reportedOn')}</th><th scope="col" class="num">${t.t('construction')}</th><th scope="col" class="num">${t.t('equipment')}</th><th scope="col">${t.t('note')}</th>${senders ? html`<th scope="col">${t.t('reportedBy')}</th>` : null}</tr></thead>
            <tbody>${history.map((r) => html`<tr><th scope="row">${r.reportedOn}</th><td class="num">${pctText(r.constructionPct)}</td><td class="num">${pctText(r.equipmentPct)}</td><td><bdi>${r.note ?? ''}</bdi></td>${senders ? html`<td data-testid="reported-by"><bdi>${r.reportedBy?.name ?? ''}</bdi></td>` : null}</tr>`)}</tbody>
          </table></div>
        </details>`
      : null}
    ${allowed
      ? html`<form class="row" onSubmit=${s.onSubmit} onInput=${onInput} noValidate aria-label=${t.t('reportProgress')}>
          <${Field} name="constructionPct" type="number" min=${0} max=${100} label=${t.t('constructionPct')} problem=${s.problem} />
          <${Field} name="equipmentPct" type="number" min=${0} max=${100} label=${t.t('equipmentPct')} problem=${s.problem} />
          <${Field} name="note" label=${t.t('note')} problem=${s.problem} />
          <${FormError} problem=${s.problem} />
          <button type="submit" disabled=${s.busy}>${t.t('reportProgress')}</button>
        </form>
        ${drops.length
          ? html`<p class="warn" role="status" data-testid="progress-drop">${drops.map((k) => t.progressDrop(t.t(k === 'constructionPct' ? 'construction' : 'equipment'), pctText(p.progress?.[k]))).join(' ')}</p>`
          : null}`
      : null}
  </section>`;
}

function Production({ api, p, me, t, done }: { api: Api; p: Project; me?: Identity; t: T; done: () => void }) {
  const allowed = canReportProduction(me, p);
  // The quarters a report may be for: the business clock's quarter and the three before it (a later one is refused).
  const today = useLoad(() => (allowed ? businessToday(api) : Promise.resolve('')), [allowed]);
  const s = useSubmit(
    ['quarter', 'outputValueCny', 'taxCny', 'jobs'],
    // A quarter filed already is a correction: sent on the version shown (If-Match), so one filed meanwhile is not replaced unseen.
    (v, key) =>
      api.send('POST', `/projects/${p.id}/production`, { quarter: v.quarter, outputValueCny: wanToYuan(v.outputValueCny), taxCny: wanToYuan(v.taxCny), jobs: numberOf(v.jobs) }, { idempotencyKey: key, ...(v.quarter && p.production?.[v.quarter] && p.version !== undefined ? { ifMatch: p.version } : {}) }),
    done,
  );
  const reported = Object.entries(p.production ?? {}).sort(([a], [b]) => b.localeCompare(a));
  if (!allowed && !reported.length) return null;
  return html`<section aria-labelledby="production-h" data-testid="production">
    <h2 id="production-h">${t.t('production')}</h2>
    ${p.targets ? html`<p data-testid="targets">${t.t('targets')}${t.colon}${t.beside(t.t('annualOutput'), yuan(p.targets.outputValueCny, t.lang))} · ${t.beside(t.t('annualTax'), yuan(p.targets.taxCny, t.lang))} · ${t.beside(t.t('jobs'), p.targets.jobs ?? '—')}</p>` : null}
    ${reported.length
      ? html`<div class="scroll"><table class="grid"><thead><tr><th scope="col">${t.t('quarter')}</th><th scope="col">${t.t('output')}</th><th scope="col">${t.t('tax')}</th><th scope="col">${t.t('jobs')}</th></tr></thead>
          <tbody>${reported.map(([q, f]) => html`<tr data-quarter=${q}><th scope="row">${t.period(q)}</th><td class="num">${yuan(f.outputValueCny, t.lang)}</td><td class="num">${yuan(f.taxCny, t.lang)}</td><td class="num">${f.jobs}</td></tr>`)}</tbody></table></div>`
      : null}
    ${allowed && today.data
      ? html`<form class="row" onSubmit=${s.onSubmit} noValidate aria-label=${t.t('reportProduction')}>
          <${Field} name="quarter" label=${t.t('quarter')} problem=${s.problem}>
            ${recentQuarters(today.data).map((q) => html`<option value=${q}>${t.period(q)}</option>`)}
          </${Field}>
          <${Field} name="outputValueCny" type="number" label=${t.t('quarterOutputWan')} problem=${s.problem} />
          <${Field} name="taxCny" type="number" label=${t.t('quarterTaxWan')} problem=${s.problem} />
          <${Field} name="jobs" type="number" label=${t.t('jobs')} problem=${s.problem} />
          <${FormError} problem=${s.problem} />
          <button type="submit" disabled=${s.busy}>${t.t('reportProduction')}</button>
        </form>`
      : null}
  </section>`;
}
