// Inventories 要素清单: parcels and facilities with their status and stale flags — confirmed 确认在库 by their keepers
// each period, and new ones added by them —, this year's fund buckets, and a project's ranked matches with their
// reasons. Each part shows the API's refusal when the role may not read it.
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { mayKeep, mayReadFunds, resourceBody, withCursor, yearOf, type Identity } from '../logic.ts';
import { businessToday, Failure, Field, FormError, html, Loading, More, ParkOptions, useLoad, usePages, useSubmit, type Paged } from '../ui.ts';
import type { Role } from '../../../functions/kernel/domain/codes.ts';

type Kind = 'parcels' | 'facilities';
type Owners = Partial<Record<Kind, { owners: Role[] }>>;

interface Resource {
  id: string;
  code: string;
  park: string;
  areaM2?: number;
  status: string;
  stale: boolean;
  heldBy?: { projectId: string } | null;
  version: number;
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

export function Inventories({ api, me, t }: { api: Api; me?: Identity; t: T }) {
  // Who keeps which kind (the `inventory` configuration): their rows get a confirm button, their kinds a form.
  const config = useLoad(() => api.get<{ doc: { kinds: Owners } }>('/config/inventory').catch(() => undefined), []);
  const kinds = config.data?.doc.kinds;
  const [actionError, setActionError] = useState<Error | undefined>();
  // This year on the business clock, not the browser's.
  const today = useLoad(() => businessToday(api), []);
  const year = today.data ? yearOf(today.data) : undefined;
  const parcels = usePages<Resource>((c) => withCursor('/inventory/parcels?limit=100', c), [], { get: api.get });
  const facilities = usePages<Resource>((c) => withCursor('/inventory/facilities?limit=100', c), [], { get: api.get });
  // The fund is its readers' (ops, the leader, the supervising offices): nobody else's page asks for it.
  const readsFunds = mayReadFunds(me);
  const funds = useLoad(() => (year && readsFunds ? api.get<{ year: number; buckets: Bucket[] }>(`/funds/${year}`) : Promise.resolve(undefined)), [year, readsFunds]);
  const lists = { parcels, facilities };
  // A confirmation of what the keeper sees: over the version shown (If-Match), so an edit since is not confirmed blind.
  // One confirmation at a time per record: a double click sends one (its button is disabled until the answer).
  const [confirming, setConfirming] = useState<ReadonlySet<string>>(new Set());
  const confirm = (kind: Kind, r: Resource) => {
    if (confirming.has(r.id)) return;
    setActionError(undefined);
    setConfirming((s) => new Set([...s, r.id]));
    const settle = () => setConfirming((s) => new Set([...s].filter((x) => x !== r.id)));
    api.send('POST', `/inventory/${kind}/${r.id}/confirm`, {}, { ifMatch: r.version }).then(
      () => (settle(), lists[kind].reload()),
      (e: Error) => (settle(), setActionError(new Error(`${r.code}: ${e.message}`)), lists[kind].reload()),
    );
  };
  const table = (kind: Kind, caption: string, l: Paged<Resource>) => html`<section data-kind=${kind}>
    <h2>${caption}</h2>
    <${Failure} error=${l.error} t=${t} />
    ${l.items
      ? html`<table class="grid">
          <thead><tr><th scope="col">${t.t('code')}</th><th scope="col">${t.t('park')}</th><th scope="col" class="num">${t.t('area')}</th><th scope="col">${t.t('status')}</th><th scope="col">${t.t('stale')}</th><th scope="col">${t.t('action')}</th></tr></thead>
          <tbody>${l.items.map(
            (r) => html`<tr data-resource=${r.id}><th scope="row"><bdi>${r.code}</bdi></th><td><bdi>${r.park}</bdi></td><td class="num">${r.areaM2 ?? '—'}</td><td>${t.resourceStatus(r.status)}${r.heldBy ? html` · <a href=${`#/projects/${r.heldBy.projectId}`}>${r.heldBy.projectId}</a>` : ''}</td><td>${r.stale ? html`<strong class="warn">${t.t('stale')}</strong>` : t.t('fresh')}</td>
              <td>${r.status !== 'retired' && mayKeep(me, kinds?.[kind]?.owners, r.park) ? html`<button type="button" disabled=${confirming.has(r.id)} onClick=${() => confirm(kind, r)} aria-label=${`${t.t('confirmRecord')}${t.colon}${r.code}`}>${t.t('confirmRecord')}</button>` : null}</td></tr>`,
          )}</tbody>
        </table>
        <${More} list=${l} t=${t} />`
      : l.loading
        ? html`<${Loading} t=${t} />`
        : null}
    ${kinds?.[kind]?.owners.some((r) => me?.roles.includes(r)) ? html`<${NewResource} api=${api} kind=${kind} me=${me} t=${t} done=${l.reload} />` : null}
  </section>`;
  return html`<section aria-labelledby="inv-h">
    <h1 id="inv-h">${t.t('inventories')}</h1>
    <${Failure} error=${actionError} t=${t} />
    <div class="columns">${table('parcels', t.t('parcels'), parcels)} ${table('facilities', t.t('facilities'), facilities)}</div>
    ${!readsFunds || (funds.error instanceof ApiError && funds.error.problem.status === 403)
      ? // A keeper of an inventory is shown no fund section rather than a refusal.
        null
      : html`<section>
      <h2 data-testid="funds-h">${t.t('funds')} ${year ?? ''}</h2>
      <${Failure} error=${funds.error} t=${t} />
      ${funds.data
        ? html`<table class="grid">
            <thead><tr><th scope="col">${t.t('bucket')}</th><th scope="col" class="num">${t.t('budget')}</th><th scope="col" class="num">${t.t('allocated')}</th><th scope="col" class="num">${t.t('remaining')}</th></tr></thead>
            <tbody>${funds.data.buckets.map((b) => html`<tr><th scope="row">${t.lang === 'en' && b.nameEn ? b.nameEn : b.name}</th><td class="num">${b.budgetCny.toLocaleString()}</td><td class="num">${b.allocatedCny.toLocaleString()}</td><td class="num">${b.remainingCny.toLocaleString()}</td></tr>`)}</tbody>
          </table>`
        : null}
    </section>`}
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
          <tbody>${matches.data.items.map((m) => html`<tr><th scope="row">${m.code ?? m.resourceId}</th><td class="num">${m.score}</td><td>${m.fits ? t.t('yes') : t.t('no')}</td><td>${(t.lang === 'en' && m.reasonsEn ? m.reasonsEn : m.reasons).join(t.semicolon)}</td></tr>`)}</tbody>
        </table>`
      : null}
  </section>`;
}

/** A new parcel (the land list 土地清单, by the resources bureau) or idle facility (闲置厂房库, by the SOE or a park). */
function NewResource({ api, kind, me, t, done }: { api: Api; kind: Kind; me?: Identity; t: T; done: () => void }) {
  const fields = kind === 'parcels'
    ? ['code', 'park', 'areaM2', 'use', 'supply', 'readiness.relicSurvey', 'readiness.landApproval', 'readiness.clearanceList', 'readiness.infrastructure']
    : ['code', 'park', 'owner', 'areaM2', 'floorLoadKnM2', 'clearHeightM', 'powerKva', 'rentCnyPerM2Month', 'facilityType'];
  const s = useSubmit(fields, (v, key) => api.send('POST', `/inventory/${kind}`, resourceBody(kind, v), { idempotencyKey: key }), done);
  const field = (name: string, label: string, type = 'text', value?: string, list?: string) => html`<${Field} name=${name} label=${label} type=${type} value=${value} list=${list} problem=${s.problem} />`;
  const title = kind === 'parcels' ? t.t('newParcel') : t.t('newFacility');
  return html`<details>
    <summary>${title}</summary>
    <form onSubmit=${s.onSubmit} noValidate aria-label=${title} data-testid=${`new-${kind}`}>
      <div class="row">
        ${field('code', t.t('code'))}
        ${field('park', t.t('park'), 'text', me?.park, `${kind}-parks`)}<${ParkOptions} api=${api} id=${`${kind}-parks`} t=${t} />
        ${field('areaM2', t.t('area'), 'number')}
        ${kind === 'parcels'
          ? html`${field('use', t.t('landUse'), 'text', '工业用地')}
              <${Field} name="supply" label=${t.t('supply')} problem=${s.problem}><option value="stock">${t.t('supplyStock')}</option><option value="incremental">${t.t('supplyIncremental')}</option></${Field}>`
          : html`${field('owner', t.t('owner'))}
              <${Field} name="facilityType" label=${t.t('kind')} problem=${s.problem}><option value="factory">${t.t('factory')}</option><option value="building">${t.t('building')}</option></${Field}>`}
      </div>
      <div class="row">
        ${kind === 'parcels'
          ? html`${field('readiness.relicSurvey', t.t('relicSurvey'), 'date')} ${field('readiness.landApproval', t.t('landApproval'), 'date')} ${field('readiness.clearanceList', t.t('clearanceList'), 'date')} ${field('readiness.infrastructure', t.t('infrastructure'), 'date')}`
          : html`${field('floorLoadKnM2', t.t('floorLoad'), 'number')} ${field('clearHeightM', t.t('clearHeight'), 'number')} ${field('powerKva', t.t('powerKva'), 'number')} ${field('rentCnyPerM2Month', t.t('rent'), 'number')}`}
      </div>
      <${FormError} problem=${s.problem} />
      <button type="submit" disabled=${s.busy}>${title}</button>
    </form>
  </details>`;
}
