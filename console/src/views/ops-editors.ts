// Ops edits: a year of the working-day calendar 工作日历 (the State Council's holidays and make-up working days, loaded
// before the year begins: dates in an unloaded year are provisional) and a configuration document as JSON. Both
// publish over the version read (If-Match; a year not loaded yet is version 0), so two editors cannot overwrite each
// other: the second is told (412), its text kept, and the version it publishes over becomes the current one — it
// checks the other's change and publishes again. A publication that sets running projects recomputing (a calendar year,
// the lights) says how many, as the API's answer does (x-projects-recomputing).
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { datesOf, parseDoc, publishWarningWords } from '../logic.ts';
import { closeOnEscape, Failure, Field, FormError, html, useLoad, useSubmit } from '../ui.ts';

interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
  version: number;
}

/** What a publication answers beside what it stored: `warnings` when it may not be what ops meant (stored, not refused). */
type Published = { readonly warnings?: readonly string[] };
const keepWarnings = (set: (w: readonly string[]) => void) => (r: Published | undefined) => (set(r?.warnings ?? []), r);

function Warnings({ items, t }: { items: readonly string[]; t: T }) {
  return items.length ? html`<ul class="warnings" role="alert" data-testid="publish-warnings" aria-label=${t.t('publishWarnings')}>${items.map((w) => html`<li>⚠ ${publishWarningWords(w, t)}</li>`)}</ul>` : null;
}

export function CalendarEditor({ api, year, loaded, t, done }: { api: Api; year: number; loaded: boolean; t: T; done: () => void }) {
  const [open, setOpen] = useState(false);
  const current = useLoad(() => (open && loaded ? api.get<CalendarYear>(`/calendar/${year}`) : Promise.resolve(undefined)), [open, loaded, year]);
  const [seen, setSeen] = useState<number | undefined>();
  const version = seen ?? (loaded ? current.data?.version : 0);
  const [published, setPublished] = useState<string | undefined>();
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const s = useSubmit(
    ['holidays', 'workdays'],
    (v, key) =>
      api.send<Published>('PUT', `/calendar/${year}`, { holidays: datesOf(v.holidays), workdays: datesOf(v.workdays) }, { idempotencyKey: key, ifMatch: version, headers: (h) => setPublished(t.afterPublish(h.get('x-projects-recomputing'))) }).then(keepWarnings(setWarnings), async (err: unknown) => {
        // Changed by someone else since it was read: publish next over what is there now (the user's text is kept).
        if (err instanceof ApiError && (err.problem.status === 412 || err.problem.status === 409)) setSeen(await api.get<CalendarYear>(`/calendar/${year}`).then((c) => c.version, () => version));
        throw err;
      }),
    () => (setSeen(undefined), setOpen(false), done()),
  );
  if (!open) {
    return html`<button type="button" onClick=${() => (setPublished(undefined), setWarnings([]), setOpen(true))} aria-label=${t.beside(loaded ? t.t('editCalendar') : t.t('loadCalendar'), year)}>${loaded ? t.t('editCalendar') : t.t('loadCalendar')}</button>${published && html` <span role="status">${published}</span>`}<${Warnings} items=${warnings} t=${t} />`;
  }
  if (loaded && !current.data) return html`<p aria-busy="true">${t.t('loading')}</p>`;
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(() => setOpen(false))} noValidate aria-label=${t.beside(t.t('calendar'), year)} data-testid=${`calendar-${year}`}>
    <p class="hint">${t.t('calendarHint')}</p>
    <${Field} name="holidays" multiline=${8} label=${t.t('holidays')} value=${current.data?.holidays.join('\n')} problem=${s.problem} />
    <${Field} name="workdays" multiline=${4} label=${t.t('makeUpDays')} value=${current.data?.workdays.join('\n')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy || version === undefined}>${t.t('publish')}</button>
    <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button>
  </form>`;
}

export function ConfigEditor({ api, name, t, done }: { api: Api; name: string; t: T; done: () => void }) {
  const [open, setOpen] = useState(false);
  const current = useLoad(() => (open ? api.get<{ version: number; doc: unknown }>(`/config/${name}`) : Promise.resolve(undefined)), [open, name]);
  const [seen, setSeen] = useState<number | undefined>();
  const version = seen ?? current.data?.version;
  const [published, setPublished] = useState<string | undefined>();
  const [warnings, setWarnings] = useState<readonly string[]>([]);
  const s = useSubmit(
    ['doc', 'note'],
    (v, key) =>
      api.send<Published>('PUT', `/config/${name}`, { doc: (parseDoc(v.doc) as { doc: unknown }).doc, note: v.note?.trim() || undefined }, { idempotencyKey: key, ifMatch: version, headers: (h) => setPublished(h.get('x-config-unchanged') === 'true' ? t.t('configUnchanged') : t.afterPublish(h.get('x-projects-recomputing'))) }).then(keepWarnings(setWarnings), async (err: unknown) => {
        // Published by someone else since it was read: publish next over the current version (the user's text is kept).
        if (err instanceof ApiError && err.problem.status === 412) setSeen(await api.get<{ version: number }>(`/config/${name}`).then((c) => c.version, () => version));
        throw err;
      }),
    () => (setSeen(undefined), setOpen(false), done()),
    // Not JSON: said beside the text, nothing sent.
    (v) => {
      const parsed = parseDoc(v.doc);
      return 'error' in parsed ? { fields: { doc: `${t.t('notJson')}: ${parsed.error}` } } : undefined;
    },
  );
  if (!open) return html`<button type="button" onClick=${() => (setPublished(undefined), setWarnings([]), setOpen(true))} aria-label=${`${t.t('edit')} ${t.config(name)}`}>${t.t('edit')}</button>${published && html` <span role="status">${published}</span>`}<${Warnings} items=${warnings} t=${t} />`;
  // A read that failed says why, with a retry and a way out (it stayed on 加载中… for good).
  if (!current.data && current.error && !current.loading)
    return html`<div data-testid=${`config-${name}-failed`}><${Failure} error=${current.error} t=${t} /><button type="button" onClick=${current.reload}>${t.t('refresh')}</button> <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button></div>`;
  if (!current.data) return html`<p aria-busy="true">${t.t('loading')}</p>`;
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(() => setOpen(false))} noValidate aria-label=${`${t.t('edit')} ${t.config(name)}`} data-testid=${`config-${name}`}>
    <${Field} name="doc" multiline=${16} label=${`${t.config(name)}${t.open}JSON${t.comma}${version ? t.beside(t.t('version'), version) : t.t('unpublished')}${t.close}`} value=${JSON.stringify(current.data.doc, null, 2)} problem=${s.problem} />
    <${Field} name="note" label=${t.t('publishNote')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('publish')}</button>
    <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button>
  </form>`;
}
