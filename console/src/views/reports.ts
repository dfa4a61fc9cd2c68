// Reports 统计报表: the park report 园区统计 (GET /reports/parks: projects by status and light, the ladder, open and
// overdue work, the land and facilities available; a park center sees its own park) with its CSV, and the department
// report 部门督办 (GET /reports/departments: each department's open and overdue work, what it completed in a period and
// how long it took; each park's service center on a row of its own) for the supervision office and the committee
// leader, a park center its own park's center; the zone's audit 审计查询 (GET /audit: who
// changed what, by actor, action and period) for the discipline office and the supervision office.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { auditChanges, auditSubject, auditSubjectWords, mayQueryAudit, mayReadDepartmentReport, problemToForm, withCursor, type FormProblem, type Identity, type TaskNames } from '../logic.ts';
import { Failure, Field, html, instant, Loading, More, ProjectLink, useLoad, useParkName, useProjectNames, usePages } from '../ui.ts';

interface ParkCounts {
  projects: { total: number; byStatus: Record<string, number>; byLight: Record<string, number>; escalated: number };
  tasks: { open: number; overdue: number };
  resources: { parcels: { available: number; areaMu: number }; facilities: { available: number; areaM2: number } };
}
interface QuotaFigures {
  allocated: number;
  remaining: number;
  stale: boolean;
}
interface ParksReport {
  date: string;
  parks: (ParkCounts & { park: string })[];
  totals: ParkCounts;
  /** The zone's quotas for the year, kept for the whole zone (absent from a server older than the console). */
  quotas?: { year: number; energy: (QuotaFigures & { totalTce: number }) | null; environment: (QuotaFigures & { pollutant: string; totalTonnes: number })[] };
}
interface DepartmentRow {
  department: string;
  name: string;
  open: number;
  overdue: number;
  completed: number;
  averageHandlingWd: number | null;
  notices: number;
  overdueInPeriod: number;
  /** A park's service center's row: its park. */
  park?: string;
}
interface DepartmentReport {
  from: string;
  to: string;
  departments: DepartmentRow[];
  /** Each park's service center (absent from a server older than the console; a park center's own view: its row again). */
  parks?: (DepartmentRow & { park: string })[];
}

export function Reports({ api, me, t }: { api: Api; me?: Identity; t: T }) {
  const parks = useLoad(() => api.get<ParksReport>('/reports/parks'), []);
  const parkName = useParkName(api, t);
  const [exportError, setExportError] = useState<Error | undefined>();
  const num = (n: number) => n.toLocaleString(t.lang === 'zh' ? 'zh-CN' : 'en');
  const row = (label: string, c: ParkCounts, total = false) => html`<tr class=${total ? 'total' : undefined}>
    <th scope="row">${label}</th>
    <td class="num">${num(c.projects.total)}</td>
    <td class="num">${num(c.projects.byStatus.ACTIVE ?? 0)}</td>
    <td class="num">${num(c.projects.byLight.red ?? 0)}</td>
    <td class="num">${num(c.projects.byLight.yellow ?? 0)}</td>
    <td class="num">${num(c.projects.escalated)}</td>
    <td class="num">${num(c.tasks.open)}</td>
    <td class="num">${num(c.tasks.overdue)}</td>
    <td class="num">${num(c.resources.parcels.available)}${t.open}${t.beside(num(c.resources.parcels.areaMu), t.t('mu'))}${t.close}</td>
    <td class="num">${num(c.resources.facilities.available)}${t.open}${num(c.resources.facilities.areaM2)} m²${t.close}</td>
  </tr>`;
  // The zone's energy and environment quotas for the year (the same whichever park is shown): what remains of each.
  const staleMark = (q: QuotaFigures) => (q.stale ? html`${t.open}<strong class="warn">${t.t('stale')}</strong>${t.close}` : null);
  const left = (q: QuotaFigures, total: number, unit: string) => html`${t.quotaLeft(num(q.remaining), num(total), t.unit(unit))}${staleMark(q)}`;
  const quotasLine = (q: ParksReport['quotas']) =>
    q && (q.energy || q.environment.length)
      ? html`<p data-testid="zone-quotas"><strong>${t.zoneQuotas(q.year)}</strong>${t.lang === 'zh' ? '：' : ': '}
          ${q.energy ? html`${t.beside(t.t('energy'), t.quotaLeft(num(q.energy.remaining), num(q.energy.totalTce), t.unit('tce')))}${staleMark(q.energy)}` : null}
          ${q.energy && q.environment.length ? (t.lang === 'zh' ? '；' : '; ') : null}
          ${q.environment.length ? html`${t.t('environment')} ${q.environment.map((e, i) => html`${i ? (t.lang === 'zh' ? '，' : ', ') : ''}${t.pollutant(e.pollutant)} ${left(e, e.totalTonnes, 't')}`)}` : null}</p>`
      : null;
  return html`<section aria-labelledby="reports-h">
    <header class="page-head"><h1 id="reports-h">${t.t('reports')}</h1></header>
    <section aria-labelledby="parks-report-h" data-testid="parks-report">
      <h2 id="parks-report-h">${t.t('parksReport')}${parks.data ? html` <span class="hint">${parks.data.date}</span>` : null}</h2>
      <${Failure} error=${parks.error} t=${t} />
      ${parks.data
        ? html`<div class="scroll"><table class="grid">
              <thead><tr>
                <th scope="col">${t.t('park')}</th><th scope="col" class="num">${t.t('projectsTotal')}</th><th scope="col" class="num">${t.t('activeProjects')}</th>
                <th scope="col" class="num">${t.t('redLights')}</th><th scope="col" class="num">${t.t('yellowLights')}</th><th scope="col" class="num">${t.t('onLadder')}</th>
                <th scope="col" class="num">${t.t('openTasks')}</th><th scope="col" class="num">${t.t('overdueTasks')}</th>
                <th scope="col" class="num">${t.t('parcelsAvailable')}</th><th scope="col" class="num">${t.t('facilitiesAvailable')}</th>
              </tr></thead>
              <tbody>${parks.data.parks.map((p) => row(parkName(p.park), p))}${parks.data.parks.length > 1 ? row(t.t('total'), parks.data.totals, true) : null}</tbody>
            </table></div>
            ${quotasLine(parks.data.quotas)}
            <${Failure} error=${exportError} t=${t} />
            <p><button type="button" onClick=${() => (setExportError(undefined), api.download('/reports/parks?format=csv', 'parks.csv').catch(setExportError))}>${t.t('exportCsv')}</button></p>`
        : parks.error
          ? null
          : html`<${Loading} t=${t} />`}
    </section>
    ${mayReadDepartmentReport(me) ? html`<${Departments} api=${api} t=${t} parkName=${parkName} />` : null}
    ${mayQueryAudit(me) ? html`<${Audit} api=${api} t=${t} />` : null}
  </section>`;
}

interface AuditEvent {
  subject: string;
  subjectName?: string | null;
  at: string;
  actor: string;
  actorName: string;
  action: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * What an event changed, as recorded (domain §6: who, when, what, before and after): folded under the row's action,
 * field by field — the field as the pages name it, its value before → after as they show values (新 fields: the value
 * alone; removed ones: → 无).
 */
const changeOf = (e: AuditEvent, t: T, task?: TaskNames) => {
  const lines = auditChanges(e.before, e.after, t, e.action, task);
  if (!lines.length) return null;
  return html`<details data-testid="audit-change"><summary>${t.t('auditChange')}</summary>
    <ul class="changes">
      ${lines.map(
        (c) => html`<li data-field=${c.key}>${c.label}${t.colon}${c.before === null ? html`<bdi>${c.after}</bdi>` : html`<bdi>${c.before}</bdi> → <bdi>${c.after ?? t.t('none')}</bdi>`}</li>`,
      )}
    </ul>
  </details>`;
};

const AUDIT_FILTERS = ['actor', 'action', 'from', 'to'] as const;

/** The zone's audit: a filter form (its fields the query's), then the events page after page, newest first as served. */
function Audit({ api, t }: { api: Api; t: T }) {
  const [query, setQuery] = useState('');
  // A record's park and a department's park by the zone's name for them in the page's language (GET /config/parks).
  const parkName = useParkName(api, t);
  const events = usePages<AuditEvent>((c) => withCursor(`/audit?limit=50${query ? `&${query}` : ''}`, c), [query], { get: api.get });
  // The matrix's tasks by their code, for the events that record a task by its id or code (no names where it is not read).
  const matrix = useLoad(() => api.get<{ doc: { tasks: { code: string; name: { zh: string; en: string } }[] } }>('/config/matrix').then((c) => c.doc.tasks, () => []), []);
  const taskName: TaskNames = (code) => matrix.data?.find((x) => x.code === code)?.name[t.lang === 'zh' ? 'zh' : 'en'];
  // The filters in force: the form is made anew from them when they change (a row's account clicked sets one).
  const current = new URLSearchParams(query);
  // The API filters by the account (the token's sub), not by a name: the accounts seen so far are offered by name.
  const [actors, setActors] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const seen = (events.items ?? []).filter((e) => !e.actor.startsWith('system:') && !actors.has(e.actor));
    if (seen.length) setActors((a) => new Map([...a, ...seen.map((e) => [e.actor, e.actorName] as const)]));
  }, [events.items?.length, query]);
  const onlyActor = (actor: string) => {
    const q = new URLSearchParams(query);
    q.set('actor', actor);
    setQuery(q.toString());
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const q = new URLSearchParams();
    for (const k of AUDIT_FILTERS) {
      const v = String(data.get(k) ?? '').trim();
      if (v) q.set(k, v);
    }
    setQuery(q.toString());
  };
  // A filter the API refuses names its parameter (query.from, query.actor): said beside that field.
  const problem = filterProblem(events.error, t, AUDIT_FILTERS);
  // A project by its name (as the event recorded it; looked up for older events), linked to its page; other records in
  // words (the raw key kept as the title).
  const names = useProjectNames(api, (events.items ?? []).flatMap((e) => {
    const s = auditSubject(e);
    return s.kind === 'project' && !s.name ? [s.id] : [];
  }));
  const subjectOf = (e: AuditEvent) => {
    const s = auditSubject(e);
    switch (s.kind) {
      case 'project':
        return html`<${ProjectLink} id=${s.id} names=${s.name ? new Map([[s.id, s.name]]) : names} />`;
      case 'department':
        return html`<span title=${e.subject}>${t.role(s.role)}${s.park ? html`${t.open}<bdi>${parkName(s.park)}</bdi>${t.close}` : null}</span>`;
      case 'config':
        return html`<span title=${e.subject}>${t.t('configName')}${t.colon}${t.config(s.name)}</span>`;
      case 'calendar':
        return html`<span title=${e.subject}>${auditSubjectWords(s, t)}</span>`;
      case 'channel':
        return html`<span title=${e.subject}>${t.t('channel')}${t.colon}<code>${s.id}</code></span>`;
      case 'fund':
        return html`<span title=${e.subject}>${auditSubjectWords(s, t)}</span>`;
      case 'resource': {
        const words = auditSubjectWords(s, t, parkName);
        return html`<span title=${e.subject}>${words ? html`<bdi>${words}</bdi>` : html`${s.resourceKind ? t.resourceKind(s.resourceKind) : t.t('inventories')} <code>${s.id}</code>`}</span>`;
      }
      default:
        return html`<code>${s.key}</code>`;
    }
  };
  return html`<section aria-labelledby="audit-h" data-testid="audit">
    <h2 id="audit-h">${t.t('auditQuery')}</h2>
    <form class="row filters" key=${query} onSubmit=${onSubmit} aria-label=${t.t('auditQuery')}>
      <${Field} name="actor" label=${t.t('actorAccount')} list="audit-actors" value=${current.get('actor') ?? undefined} problem=${problem} />
      <datalist id="audit-actors">${[...actors].map(([id, name]) => html`<option value=${id}>${name}</option>`)}</datalist>
      <${Field} name="action" label=${t.t('actionCode')} problem=${problem}>
        <option value="">${t.t('anyAction')}</option>
        ${t.actions().map(([code, words]) => html`<option value=${code} selected=${current.get('action') === code}>${words}</option>`)}
      </${Field}>
      <${Field} name="from" type="date" label=${t.t('from')} value=${current.get('from') ?? undefined} problem=${problem} />
      <${Field} name="to" type="date" label=${t.t('to')} value=${current.get('to') ?? undefined} problem=${problem} />
      <button type="submit">${t.t('apply')}</button>
    </form>
    <p class="hint" data-testid="actor-hint">${t.t('actorHint')}</p>
    <${Failure} error=${problem ? undefined : events.error} t=${t} />
    ${events.items
      ? events.items.length
        ? html`<div class="scroll"><table class="grid">
              <thead><tr><th scope="col">${t.t('when')}</th><th scope="col">${t.t('actor')}</th><th scope="col">${t.t('action')}</th><th scope="col">${t.t('auditSubject')}</th></tr></thead>
              <tbody>${events.items.map(
                (e) => html`<tr data-action=${e.action}>
                  <td><time datetime=${e.at}>${instant(e.at)}</time></td>
                  <td><bdi>${t.actor(e.actor, e.actorName)}</bdi>${e.actor.startsWith('system:') ? null : html` <button type="button" class="link" data-actor=${e.actor} title=${t.t('onlyThisActor')} aria-label=${`${t.t('onlyThisActor')}${t.colon}${e.actor}`} onClick=${() => onlyActor(e.actor)}><code>${e.actor}</code></button>`}</td>
                  <td>${t.action(e.action) ?? html`<code>${e.action}</code>`}${changeOf(e, t, taskName)}</td>
                  <td data-testid="audit-subject">${subjectOf(e)}</td>
                </tr>`,
              )}</tbody>
            </table></div>
            <${More} list=${events} t=${t} />`
        : html`<p>${t.t('none')}</p>`
      : events.error
        ? null
        : html`<${Loading} t=${t} />`}
  </section>`;
}

/** A filter form's refusal as field messages (a period's `from`, `to`), or undefined when it names none of `fields`. */
function filterProblem(error: Error | undefined, t: T, fields: readonly string[] = ['from', 'to']): FormProblem | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const problem = problemToForm(error.problem, fields, t.lang === 'en' ? 'en' : 'zh');
  return Object.keys(problem.fields).length ? problem : undefined;
}

function Departments({ api, t, parkName }: { api: Api; t: T; parkName: (name: string | undefined) => string }) {
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const query = new URLSearchParams(Object.entries(period).filter((e): e is [string, string] => !!e[1])).toString();
  const report = useLoad(() => api.get<DepartmentReport>(`/reports/departments${query ? `?${query}` : ''}`), [query]);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    setPeriod({ from: String(data.get('from') ?? '') || undefined, to: String(data.get('to') ?? '') || undefined });
  };
  // A period the API refuses names its parameter (query.from, query.to): said beside that field, in the page's language.
  const problem = filterProblem(report.error, t);
  return html`<section aria-labelledby="dept-report-h" data-testid="department-report">
    <h2 id="dept-report-h">${t.t('departmentReport')}${report.data ? html` <span class="hint">${t.span(report.data.from, report.data.to)}</span>` : null}</h2>
    <form class="row filters" onSubmit=${onSubmit} aria-label=${t.t('period')}>
      <${Field} name="from" type="date" label=${t.t('from')} value=${period.from ?? report.data?.from} problem=${problem} />
      <${Field} name="to" type="date" label=${t.t('to')} value=${period.to ?? report.data?.to} problem=${problem} />
      <button type="submit">${t.t('apply')}</button>
    </form>
    <${Failure} error=${problem ? undefined : report.error} t=${t} />
    ${report.data
      ? html`<div class="scroll"><table class="grid">
          <thead><tr>
            <th scope="col">${t.t('department')}</th><th scope="col" class="num">${t.t('openTasks')}</th><th scope="col" class="num">${t.t('overdueTasks')}</th>
            <th scope="col" class="num">${t.t('completedInPeriod')}</th><th scope="col" class="num">${t.t('averageHandling')}</th>
            <th scope="col" class="num">${t.t('overdueInPeriod')}</th><th scope="col" class="num">${t.t('notices')}</th>
          </tr></thead>
          <tbody>${[...report.data.departments, ...(report.data.departments.some((d) => d.park !== undefined) ? [] : (report.data.parks ?? []))].map(
            (d) => html`<tr data-department=${d.department} data-park=${d.park}>
              <th scope="row">${d.park === undefined ? t.role(d.department) : `${t.role(d.department)}${t.open}${parkName(d.park)}${t.close}`}</th>
              <td class="num">${d.open}</td><td class="num">${d.overdue}</td><td class="num">${d.completed}</td>
              <td class="num">${d.averageHandlingWd === null ? '—' : d.averageHandlingWd}</td>
              <td class="num">${d.overdueInPeriod}</td><td class="num">${d.notices}</td>
            </tr>`,
          )}</tbody>
        </table></div>
        <p class="hint" data-testid="department-report-basis">${t.t('departmentReportBasis')}</p>`
      : report.error
        ? null
        : html`<${Loading} t=${t} />`}
  </section>`;
}
