// Ops: which calendar years are loaded and which are missing (each loaded or corrected here), the configuration
// documents' versions (each edited here as JSON), and the failed lifecycles (GET /projects?workflow=failed) with a resume button (POST /projects/{id}/workflow/resume).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import { calendarYearsToCheck, configNote, keepUnfinished, rerouteFields, rerouteRefusedSaid, rerouteTold, rerouteWindow, unfinishedOf, withCursor, type Rerouted, type RerouteProgress } from '../logic.ts';
import type { T } from '../i18n.ts';
import { CONFIG_NAMES } from '../../../functions/kernel/domain/codes.ts';
import { CalendarEditor, ConfigEditor } from './ops-editors.ts';
import { businessToday, Failure, Field, FormError, html, instant, KEEP_VALUES, Loading, More, useKeyedWrite, useLoad, usePages, useSubmit } from '../ui.ts';

export function Ops({ api, t, sub }: { api: Api; t: T; sub: string }) {
  const years = useLoad(
    async () =>
      Promise.all(
        // Around this year on the business clock, not the browser's.
        calendarYearsToCheck(await businessToday(api)).map((y) =>
          api.get(`/calendar/${y}`).then(
            () => ({ year: y, loaded: true }),
            (e: Error) => {
              if (e instanceof ApiError && e.problem.status === 404) return { year: y, loaded: false };
              throw e;
            },
          ),
        ),
      ),
    [],
  );
  const configs = useLoad(
    // The notification routing (group robots, e-mail lists) is a configuration too, published the same way.
    () => Promise.all([...CONFIG_NAMES, 'channels'].map((name) => api.get<{ version: number; publishedAt?: string; note?: string }>(`/config/${name}`).then((c) => ({ name, version: c.version, publishedAt: c.publishedAt, note: c.note }), (e: Error) => ({ name, error: e.message })))),
    [],
  );
  const failed = usePages<{ id: string; name: string; stage: string; workflow?: { lastError?: string | null } }>((c) => withCursor('/projects?workflow=failed&limit=100', c), [], { get: api.get });
  const [resumeError, setResumeError] = useState<Error | undefined>();
  // A retried click resumes a project once.
  const sendResume = useKeyedWrite((id, key) => api.send('POST', `/projects/${id}/workflow/resume`, undefined, { idempotencyKey: key }));
  const resume = (id: string) => {
    setResumeError(undefined);
    sendResume(id).then(() => failed.reload(), setResumeError);
  };
  return html`<section aria-labelledby="ops-h">
    <h1 id="ops-h">${t.t('ops')}</h1>
    <div class="columns">
      <section>
        <h2>${t.t('calendar')}</h2>
        <${Failure} error=${years.error} t=${t} />
        ${years.data
          ? html`<ul data-testid="calendar-years">${years.data.map(
              (y) => html`<li data-year=${y.year}>${y.year}${t.colon}${y.loaded ? t.t('loaded') : html`<strong class="warn">${t.t('missing')}</strong>`} <${CalendarEditor} api=${api} year=${y.year} loaded=${y.loaded} t=${t} done=${years.reload} /></li>`,
            )}</ul>`
          : html`<${Loading} t=${t} />`}
      </section>
      <section>
        <h2>${t.t('configs')}</h2>
        ${configs.data
          ? html`<div class="scroll"><table class="grid"><thead><tr><th scope="col">${t.t('configName')}</th><th scope="col" class="num">${t.t('version')}</th><th scope="col">${t.t('published')}</th><th scope="col">${t.t('action')}</th></tr></thead>
              <tbody>${configs.data.map(
                (c) => html`<tr data-config=${c.name}>
                  <th scope="row" title=${c.name}>${t.config(c.name)}</th>
                  ${'version' in c
                    ? // Version 0 is the built-in default, never published (its date is no date).
                      c.version
                      ? // With the note it was published with: a built-in one (the seed's) in the page's words.
                      html`<td class="num">${c.version}</td><td>${instant(c.publishedAt)}${c.note ? html` · <bdi data-testid="config-note">${configNote(c.note, t)}</bdi>` : null}</td>`
                      : html`<td class="num">—</td><td data-testid="not-published">${t.t('notPublished')}</td>`
                    : html`<td class="num">—</td><td>${c.error}</td>`}
                  <td><${ConfigEditor} api=${api} name=${c.name} t=${t} done=${configs.reload} /></td>
                </tr>`,
              )}</tbody></table></div>`
          : html`<${Loading} t=${t} />`}
      </section>
    </div>
    <section>
      <h2>${t.t('failed')}</h2>
      <${Failure} error=${failed.error ?? resumeError} t=${t} />
      ${failed.items
        ? failed.items.length
          ? html`<ul>${failed.items.map((p) => html`<li><a href=${`#/projects/${p.id}`}><bdi>${p.name}</bdi></a> · ${t.stage(p.stage)} · <bdi>${p.workflow?.lastError ?? ''}</bdi> <button type="button" onClick=${() => resume(p.id)}>${t.t('resume')}</button></li>`)}</ul>
              <${More} list=${failed} t=${t} />`
          : html`<p>${t.t('noFailed')}</p>`
        : null}
    </section>
    <${Deliveries} api=${api} t=${t} sub=${sub} />
  </section>`;
}

/** The notice at the head of a channel's queue: how often it failed, why, and when it is tried again (`retryAt`, wall time; an older job's `notBefore`). */
interface QueueHead {
  attempts: number;
  lastError: string | null;
  retryAt?: string | null;
  notBefore?: string | null;
}

interface DeliveryState {
  /** `pending` is counted up to 100 (`morePending` past it), `failed` up to 1,000 over all channels (`moreFailed`). */
  channels: { id: string; configured: boolean; pending: number; morePending: boolean; oldestPendingAt: string | null; lastDeliveredAt: string | null; lastUnconfirmed?: { notification: string; at: string; laterAnsweredAt?: string | null } | null; leasedUntil: string | null; failed: number; moreFailed: boolean; head?: QueueHead | null }[];
  failed: { items: { channel: string; notification: string; failedAt: string; reason: string; attempts: number }[]; nextCursor: string | null };
}

/** A queue whose head failed and waits for its retry: how often, why, and when it goes again (it holds the rest back). */
function Retrying({ head, t }: { head: QueueHead | null | undefined; t: T }) {
  if (!head || head.attempts === 0) return null;
  const next = head.retryAt ?? head.notBefore;
  return html` <span class="hint" data-testid="channel-retrying">${t.beside(t.t('headRetrying'), `${head.attempts}×`)}${head.lastError ? html` · <bdi>${head.lastError}</bdi>` : null}${next ? html` · ${t.beside(t.t('nextAttempt'), instant(next))}` : null}</span>`;
}

/**
 * Notification deliveries 通知投递 (GET /deliveries): each channel's queue, and the notices a channel gave up on, with
 * why; a channel mended (its robot back, its webhook corrected) has its failed notices queued again (POST
 * /deliveries/retry), each delivered once.
 */
function Deliveries({ api, t, sub }: { api: Api; t: T; sub: string }) {
  // The API lists the channels that ever had a notice queued; a channel configured since is listed too, with nothing queued.
  const state = useLoad(async () => {
    const [deliveries, config] = await Promise.all([api.get<DeliveryState>('/deliveries?limit=50'), api.get<{ doc: { robots?: { id: string }[]; email?: { id: string }[] } }>('/config/channels')]);
    const configured = [...(config.doc.robots ?? []), ...(config.doc.email ?? [])].map((c) => c.id);
    const known = new Set(deliveries.channels.map((c) => c.id));
    const idle = configured.filter((id) => !known.has(id)).map((id) => ({ id, configured: true, pending: 0, morePending: false, oldestPendingAt: null, lastDeliveredAt: null, lastUnconfirmed: null, leasedUntil: null, failed: 0, moreFailed: false, head: null }));
    return { ...deliveries, channels: [...deliveries.channels, ...idle] };
  }, []);
  const [told, setTold] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  // A double click requeues a channel's failures once.
  const sendRetry = useKeyedWrite((channel, key) => api.send<{ requeued: number; superseded?: number; more: boolean }>('POST', '/deliveries/retry', { channel }, { idempotencyKey: key }));
  const retry = (channel: string) => {
    setError(undefined);
    sendRetry(channel).then((r) => {
      setTold(`${channel}${t.colon}${t.beside(t.t('requeued'), r.requeued)}${r.superseded ? `${t.semicolon}${t.beside(t.t('superseded'), r.superseded)}` : ''}${r.more ? ` ${t.t('requeueMore')}` : ''}`);
      state.reload();
    }, setError);
  };
  return html`<section aria-labelledby="deliveries-h" data-testid="deliveries">
    <h2 id="deliveries-h">${t.t('deliveries')}</h2>
    <${Failure} error=${state.error ?? error} t=${t} />
    ${told ? html`<p role="status">${told}</p>` : null}
    ${state.data
      ? html`${!state.data.channels.length // none configured nor ever queued to: said, not a table of headings alone
          ? html`<p data-testid="no-channels">${t.t('noChannels')}</p>`
          : html`<div class="scroll"><table class="grid">
          <thead><tr><th scope="col">${t.t('channel')}</th><th scope="col" class="num">${t.t('pendingDeliveries')}</th><th scope="col">${t.t('oldestPending')}</th><th scope="col">${t.t('lastDelivered')}</th><th scope="col" class="num">${t.t('failedDeliveries')}</th><th scope="col">${t.t('action')}</th></tr></thead>
          <tbody>${state.data.channels.map(
            (c) => html`<tr data-channel=${c.id}>
              <th scope="row"><code>${c.id}</code>${c.configured ? null : html` <span class="hint">${t.t('notConfigured')}</span>`}</th>
              <td class="num">${c.pending}${c.morePending ? '+' : ''}${c.leasedUntil ? html` <span class="hint" data-testid="channel-held">${t.beside(t.t('channelHeld'), instant(c.leasedUntil))}</span>` : null}${Retrying({ head: c.head, t })}</td>
              <td>${c.oldestPendingAt ? instant(c.oldestPendingAt) : '—'}</td><td>${c.lastDeliveredAt ? instant(c.lastDeliveredAt) : '—'}${c.lastUnconfirmed ? html` <span class="hint" data-testid="channel-unconfirmed" data-answered=${c.lastUnconfirmed.laterAnsweredAt ? 'yes' : 'no'}>${t.unconfirmedHint(instant(c.lastUnconfirmed.at), c.lastUnconfirmed.laterAnsweredAt ? instant(c.lastUnconfirmed.laterAnsweredAt) : null)}</span>` : null}</td><td class="num">${c.failed}${c.moreFailed ? '+' : ''}</td>
              <td>${c.failed || c.moreFailed || state.data?.failed.items.some((f) => f.channel === c.id) ? html`<button type="button" onClick=${() => retry(c.id)} aria-label=${`${t.t('retry')} ${c.id}`}>${t.t('retry')}</button>` : null}</td>
            </tr>`,
          )}</tbody>
        </table></div>`}
        <${Reroute} api=${api} t=${t} sub=${sub} done=${state.reload} />
        ${state.data.failed.items.length
          ? html`<ul class="failed-deliveries">${state.data.failed.items.map((f) => html`<li><code>${f.channel}</code> · <time datetime=${f.failedAt}>${instant(f.failedAt)}</time> · ${f.attempts}× · <bdi>${f.reason}</bdi></li>`)}</ul>
              ${state.data.failed.nextCursor ? html`<p class="hint">${t.t('newestFailuresOnly')}</p>` : null}`
          : html`<p>${t.t('noFailedDeliveries')}</p>`}`
      : state.error
        ? null
        : html`<${Loading} t=${t} />`}
  </section>`;
}

/**
 * Notices routing gave up on (POST /deliveries/route): a window in Beijing time, routed again call after call while the
 * API says `more` (rerouteWindow), the totals told. A submission makes at most REROUTE_CALLS calls (about 2,000
 * notices): a window left unfinished stays in the form with its cursor, and submitted again with the same 起 and 止 it
 * goes on from there, the totals carried on; another 起 or 止 is another window, from its start. Each call has its own
 * Idempotency-Key, the submission's and the call's number in the window (a call tried again after a failure is the same).
 * The window left unfinished is kept in sessionStorage for the signed-in user (`sub`): leaving the page or reloading it,
 * the form opens with it (起, 止 and what was done); it is dropped once done, or replaced by another window submitted,
 * or when the API refuses its cursor (a window started too long ago to go on): the form says so and why, and the next
 * submission starts the window over.
 */
function Reroute({ api, t, sub, done }: { api: Api; t: T; sub: string; done: () => void }) {
  const [unfinished, setKept] = useState<RerouteProgress | undefined>(() => unfinishedOf(sessionStorage, sub));
  const [told, setTold] = useState<string | undefined>(() => (unfinished ? rerouteTold(t, unfinished) : undefined));
  const setUnfinished = (p: RerouteProgress | undefined) => {
    keepUnfinished(sessionStorage, sub, p);
    setKept(p);
  };
  // The window kept from before: its 起 and 止 typed back (as values, not defaults: a form emptied once it is done stays empty).
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const fields = unfinished && rerouteFields(unfinished.window);
    for (const name of ['from', 'to'] as const) {
      const input = form.current?.elements.namedItem(name);
      if (fields && input instanceof HTMLInputElement) input.value = fields[name];
    }
  }, []);
  const s = useSubmit(
    ['from', 'to'],
    async (v, key) => {
      setTold(undefined);
      // A datetime-local value is the wall time typed: the zone's, +08:00.
      const at = (local: string | undefined) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : undefined);
      const window = { from: at(v.from) ?? '', ...(v.to ? { to: at(v.to) } : {}) };
      const progress = await rerouteWindow(
        (body, n) => api.send<Rerouted>('POST', '/deliveries/route', body, { idempotencyKey: n === 0 ? key : `${key}-${n}` }),
        window,
        unfinished,
      );
      // A submission that did nothing (its first call refused) leaves the window kept before as it was: typed again, it
      // goes on. One whose cursor the API refused (the window too old to go on) drops it: it can no longer be finished.
      setUnfinished(progress.done || progress.abandoned ? undefined : progress.calls === 0 ? unfinished : progress);
      if (progress.calls > 0) setTold(rerouteTold(t, progress));
      // Said plainly in the form, with the API's why (its problem names `cursor`, no field here).
      if (progress.abandoned) throw new Error(rerouteRefusedSaid(t, progress.error));
      // A call refused: told beside its field, what the calls before it did kept (the form keeps the window too).
      if (progress.error) throw progress.error;
      return progress.done ? undefined : KEEP_VALUES;
    },
    done,
  );
  return html`<form ref=${form} onSubmit=${s.onSubmit} noValidate aria-label=${t.t('reroute')} data-testid="reroute">
    <h3>${t.t('reroute')}</h3>
    <p class="hint">${t.t('rerouteHint')}</p>
    <div class="row">
      <${Field} name="from" type="datetime-local" label=${t.t('rerouteFrom')} problem=${s.problem} />
      <${Field} name="to" type="datetime-local" label=${t.t('rerouteTo')} problem=${s.problem} />
    </div>
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('rerouteButton')}</button>
    ${told ? html`<p role="status">${told}</p>` : null}
  </form>`;
}
