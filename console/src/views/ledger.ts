// The ledger 台账: GET /projects with its filters (the park chosen among the zone's parks: the API filters by the exact name), lights with their words (never
// colour alone), the escalation rung, and the CSV/XLSX exports (fetched with the token, then saved: a plain link would
// carry no bearer).
import { useMemo, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { exportPath, filterParams, hashFilters, LEDGER_PAGE_COLUMNS, ledgerQuery, mayFilterByMatrix, type Identity, type LedgerFilters } from '../logic.ts';
import type { T } from '../i18n.ts';
import { CATEGORIES, ESCALATION_LEVELS, LIGHTS, STAGES, STATUSES, TRACKS } from '../../../functions/kernel/domain/codes.ts';
import { date, Failure, html, Light, Loading, More, useHash, useLoad, useParks, usePages } from '../ui.ts';

interface Row {
  id: string;
  name: string;
  park: string;
  stage: string;
  status: string;
  light: string;
  category?: string;
  escalation: { name: string; level: number };
  tasksSummary?: { open: number; overdue: number; nextDue: string | null };
}

export function Ledger({ api, me, t }: { api: Api; me?: Identity; t: T }) {
  // The filters live in the hash (#/ledger?light=red): a link, the back button or an edited address changes them too.
  const hash = useHash();
  const filters = useMemo(() => hashFilters(hash, me), [hash, me]);
  // Ops and the committee leader list the projects following a responsibility matrix version (others are refused it):
  // the versions published so far, the one in force first (GET /config/matrix), with the address's when it is past them.
  const byMatrix = mayFilterByMatrix(me);
  const matrix = useLoad(() => (byMatrix ? api.get<{ version: number }>('/config/matrix').then((c) => c.version, () => undefined) : Promise.resolve(undefined)), [byMatrix]);
  const versions = Array.from({ length: matrix.data ?? 0 }, (_, i) => String((matrix.data ?? 0) - i));
  const matrixCodes = [...versions, ...(filters.matrixVersion && !versions.includes(filters.matrixVersion) ? [filters.matrixVersion] : [])];
  const rows = usePages<Row>((cursor) => ledgerQuery(filters, 100, cursor), [JSON.stringify(filters)], { get: api.get });
  // The park filter is the API's exact name: chosen among the zone's parks (GET /config/parks), not typed — with the
  // park the address names when the list no longer has it (an old link).
  const parks = useParks(api) ?? [];
  const parkCodes = [...parks.map((p) => p.name), ...(filters.park && !parks.some((p) => p.name === filters.park) ? [filters.park] : [])];
  const parkWords = (name: string) => (t.lang === 'en' ? (parks.find((p) => p.name === name)?.nameEn ?? name) : name);
  const [exportError, setExportError] = useState<Error | undefined>();
  // A ledger longer than one file (5,000 rows): the file downloaded last, and the cursor of the next (X-Next-Cursor).
  // Each next file is the user's click: browsers hold back a page that saves several files at once.
  const [exportMore, setExportMore] = useState<{ ext: 'csv' | 'xlsx'; part: number; cursor: string } | null>(null);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const f = Object.fromEntries([...new FormData(e.currentTarget as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)])) as LedgerFilters;
    const q = filterParams(f).toString();
    const next = `#/ledger${q ? `?${q}` : ''}`;
    // The same filters again: read the ledger again (no hash change follows).
    if (location.hash === next) rows.reload();
    else location.hash = next;
  };
  // The export is the ledger on the screen: the same filters (the API takes GET /projects' filters), in the page's
  // language (an English page saves the English file, ?lang=en).
  const exportAs = (ext: 'csv' | 'xlsx', after?: { part: number; cursor: string }) => {
    setExportError(undefined);
    setExportMore(null);
    const part = after ? after.part + 1 : 1;
    api
      .download(exportPath(ext, filters, after?.cursor, t.lang), part === 1 ? `ledger.${ext}` : `ledger-${part}.${ext}`)
      .then((cursor) => setExportMore(cursor ? { ext, part, cursor } : null), setExportError);
  };
  // The filter fields are the user's while they are filled in: not bound to the hash's filters (a re-render as the list
  // arrives would put back what the hash says and lose a choice made meanwhile); the form is made anew when the hash
  // changes, with the hash's filters as its starting values.
  const select = (name: keyof LedgerFilters, codes: readonly string[], label: (c: string) => string) =>
    html`<div class="field"><label for=${`flt-${name}`}>${t.t(name)}</label>
      <select id=${`flt-${name}`} name=${name}>
        <option value="" selected=${!filters[name]}>${t.t('all')}</option>
        ${codes.map((c) => html`<option value=${c} selected=${filters[name] === c}>${label(c)}</option>`)}
      </select></div>`;
  return html`<section aria-labelledby="ledger-h">
    <header class="page-head">
      <h1 id="ledger-h">${t.t('ledger')}</h1>
      <p class="actions">
        <button type="button" onClick=${() => exportAs('csv')}>${t.t('exportCsv')}</button>
        <button type="button" onClick=${() => exportAs('xlsx')}>${t.t('exportXlsx')}</button>
      </p>
    </header>
    <${Failure} error=${exportError} t=${t} />
    ${exportMore
      ? html`<p class="hint" role="status" data-testid="export-more">${t.beside(t.beside(t.t('exportPart'), exportMore.part), t.t('exportPartOf'))}
          <button type="button" onClick=${() => exportAs(exportMore.ext, exportMore)}>${t.t('exportNextPart')}</button></p>`
      : null}
    <form class="row filters" key=${hash} onSubmit=${onSubmit} aria-label=${t.t('filters')}>
      ${select('stage', STAGES, t.stage)}
      ${select('status', STATUSES, t.status)}
      ${select('park', parkCodes, parkWords)}
      ${select('light', LIGHTS, t.light)}
      ${select('track', TRACKS, t.track)}
      ${select('category', CATEGORIES, t.category)}
      ${select('escalation', ESCALATION_LEVELS.slice(1), (c) => t.rung(ESCALATION_LEVELS.indexOf(c as never), c))}
      ${byMatrix ? select('matrixVersion', matrixCodes, (c) => c) : null}
      <button type="submit">${t.t('apply')}</button>
    </form>
    <${Failure} error=${rows.error} t=${t} />
    ${rows.items
      ? rows.items.length
        ? html`<div class="scroll"><table class="grid" data-testid="ledger">
            <thead><tr>
              ${LEDGER_PAGE_COLUMNS.map((c) => html`<th scope="col" title=${c.column === 'openTasks' ? t.t('unfinishedTasksHint') : undefined}>${t.t(c.label)}</th>`)}
            </tr></thead>
            <tbody>
              ${rows.items.map(
                (p) => html`<tr data-project=${p.id}>
                  <th scope="row"><a href=${`#/projects/${p.id}`}><bdi>${p.name}</bdi></a></th>
                  <td><bdi>${parkWords(p.park)}</bdi></td><td>${t.stage(p.stage)}</td><td>${t.status(p.status)}</td><td>${t.category(p.category)}</td>
                  <td><${Light} light=${p.light} status=${p.status} t=${t} /></td>
                  <td>${p.escalation.level ? t.rung(p.escalation.level, p.escalation.name) : '—'}</td>
                  <td class="num">${p.tasksSummary?.open ?? 0}</td><td class="num">${p.tasksSummary?.overdue ?? 0}</td><td class="nowrap">${date(p.tasksSummary?.nextDue)}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>
          <${More} list=${rows} t=${t} />`
        : html`<p>${t.t('noProjects')}</p>`
      : rows.loading
        ? html`<${Loading} t=${t} />`
        : null}
  </section>`;
}
