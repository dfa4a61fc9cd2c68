// Inventories 要素清单: parcels and facilities with their status and stale flags, this year's fund buckets, and a
// project's ranked matches with their reasons. Each part shows the API's refusal when the role may not read it.
import { useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { withCursor, yearOf } from '../logic.ts';
import { businessToday, Failure, html, Loading, More, useLoad, usePages, type Paged } from '../ui.ts';

interface Resource {
  id: string;
  code: string;
  park: string;
  areaM2?: number;
  status: string;
  stale: boolean;
  heldBy?: { projectId: string } | null;
}
interface Bucket {
  code: string;
  name: string;
  nameEn?: string;
  budgetCny: number;
  allocatedCny: number;
  remainingCny: number;
}
interface Match {
  resourceId: string;
  /** The record's code (the id is internal). */
  code?: string;
  reasonsEn?: string[];
  score: number;
  fits: boolean;
  reasons: string[];
}

export function Inventories({ api, t }: { api: Api; t: T }) {
  // This year on the business clock, not the browser's.
  const today = useLoad(() => businessToday(api), []);
  const year = today.data ? yearOf(today.data) : undefined;
  const parcels = usePages<Resource>((c) => withCursor('/inventory/parcels?limit=100', c), [], { get: api.get });
  const facilities = usePages<Resource>((c) => withCursor('/inventory/facilities?limit=100', c), [], { get: api.get });
  const funds = useLoad(() => (year ? api.get<{ year: number; buckets: Bucket[] }>(`/funds/${year}`) : Promise.resolve(undefined)), [year]);
  const table = (caption: string, l: Paged<Resource>) => html`<section>
    <h2>${caption}</h2>
    <${Failure} error=${l.error} t=${t} />
    ${l.items
      ? html`<table class="grid">
          <thead><tr><th scope="col">${t.t('code')}</th><th scope="col">${t.t('park')}</th><th scope="col" class="num">${t.t('area')}</th><th scope="col">${t.t('status')}</th><th scope="col">${t.t('stale')}</th></tr></thead>
          <tbody>${l.items.map((r) => html`<tr><th scope="row">${r.code}</th><td>${r.park}</td><td class="num">${r.areaM2 ?? '—'}</td><td>${t.resourceStatus(r.status)}${r.heldBy ? html` · <a href=${`#/projects/${r.heldBy.projectId}`}>${r.heldBy.projectId}</a>` : ''}</td><td>${r.stale ? html`<strong class="warn">${t.t('stale')}</strong>` : t.t('fresh')}</td></tr>`)}</tbody>
        </table>
        <${More} list=${l} t=${t} />`
      : l.loading
        ? html`<${Loading} t=${t} />`
        : null}
  </section>`;
  return html`<section aria-labelledby="inv-h">
    <h1 id="inv-h">${t.t('inventories')}</h1>
    <div class="columns">${table(t.t('parcels'), parcels)} ${table(t.t('facilities'), facilities)}</div>
    <section>
      <h2 data-testid="funds-h">${t.t('funds')} ${year ?? ''}</h2>
      <${Failure} error=${funds.error} t=${t} />
      ${funds.data
        ? html`<table class="grid">
            <thead><tr><th scope="col">${t.t('bucket')}</th><th scope="col" class="num">${t.t('budget')}</th><th scope="col" class="num">${t.t('allocated')}</th><th scope="col" class="num">${t.t('remaining')}</th></tr></thead>
            <tbody>${funds.data.buckets.map((b) => html`<tr><th scope="row">${t.lang === 'en' && b.nameEn ? b.nameEn : b.name}</th><td class="num">${b.budgetCny.toLocaleString()}</td><td class="num">${b.allocatedCny.toLocaleString()}</td><td class="num">${b.remainingCny.toLocaleString()}</td></tr>`)}</tbody>
          </table>`
        : null}
    </section>
    <${Matches} api=${api} t=${t} />
  </section>`;
}

function Matches({ api, t }: { api: Api; t: T }) {
  const [query, setQuery] = useState<{ id: string; kind: string } | undefined>();
  const matches = useLoad(() => (query ? api.get<{ items: Match[] }>(`/projects/${encodeURIComponent(query.id)}/matches?kind=${query.kind}`) : Promise.resolve(undefined)), [query?.id, query?.kind]);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setQuery({ id: String(f.get('projectId') ?? '').trim(), kind: String(f.get('kind') ?? 'facilities') });
  };
  return html`<section aria-labelledby="match-h">
    <h2 id="match-h">${t.t('matches')}</h2>
    <form class="row" onSubmit=${onSubmit} aria-label=${t.t('matches')}>
      <div class="field"><label for="m-id">${t.t('projectId')}</label><input id="m-id" name="projectId" placeholder="prj-…" /></div>
      <div class="field"><label for="m-kind">${t.t('kind')}</label><select id="m-kind" name="kind"><option value="facilities">${t.t('facilities')}</option><option value="parcels">${t.t('parcels')}</option></select></div>
      <button type="submit">${t.t('open')}</button>
    </form>
    <${Failure} error=${matches.error} t=${t} />
    ${matches.data
      ? html`<table class="grid">
          <thead><tr><th scope="col">${t.t('code')}</th><th scope="col" class="num">${t.t('score')}</th><th scope="col">${t.t('fits')}</th><th scope="col">${t.t('reasons')}</th></tr></thead>
          <tbody>${matches.data.items.map((m) => html`<tr><th scope="row">${m.code ?? m.resourceId}</th><td class="num">${m.score}</td><td>${m.fits ? t.t('yes') : t.t('no')}</td><td>${(t.lang === 'en' && m.reasonsEn ? m.reasonsEn : m.reasons).join(t.lang === 'en' ? '; ' : '；')}</td></tr>`)}</tbody>
        </table>`
      : null}
  </section>`;
}
