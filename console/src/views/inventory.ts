// Inventories 要素清单: the five kinds — parcels, idle facilities, energy quotas, environmental capacity, utilities —
// each record with its facts (areas in 亩 and m², quotas with what is allocated and what remains, in their unit), its
// status and whether it is confirmed for the period 季度更新、动态清零; its keepers confirm it 确认在库, correct it
// (over the version shown) and add new ones. Then this year's fund buckets and a project's ranked matches with their
// reasons. Each part shows the API's refusal when the role may not read it.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import type { T, Word } from '../i18n.ts';
import { bucketRowLabel, EDITABLE_FACTS, emptiedFacts, INVENTORY_KINDS, mayKeep, mayReadFunds, numberText, projectNamed, READINESS_ITEMS, resourceBody, resourcePatch, shownFact, withCursor, yearOf, type FormProblem, type Identity, type InventoryKind } from '../logic.ts';
import { businessToday, closeOnEscape, date, Failure, Field, FormError, html, Loading, More, ParkOptions, ProjectLink, RefreshContext, useLoad, useParkName, useProjectNames, usePages, useSubmit, type Paged, yuan } from '../ui.ts';
import { POLLUTANTS, UTILITIES, UTILITY_UNITS } from '../../../functions/inventory/domain/resource.ts';
import type { Role } from '../../../functions/kernel/domain/codes.ts';

type Kind = InventoryKind;
/** GET /inventory: per kind its keepers (roles) and the refresh period now running. */
type Summary = { kinds: { kind: Kind; owners: Role[]; period: string }[] };

/** A record as GET /inventory/{kind} answers it: its facts flat beside what the API derives. */
interface Resource {
  id: string;
  code?: string;
  park?: string;
  areaM2?: number;
  areaMu?: number;
  use?: string;
  supply?: string;
  standardLand?: boolean;
  readiness?: Record<string, string | null>;
  owner?: string;
  facilityType?: string;
  floorLoadKnM2?: number;
  clearHeightM?: number;
  powerKva?: number;
  rentCnyPerM2Month?: number;
  year?: number;
  pollutant?: string;
  utility?: string;
  unit?: string;
  total?: number;
  allocated?: number;
  remaining?: number;
  status: string;
  stale: boolean;
  confirmationDue?: boolean;
  confirmedAt?: string;
  confirmedPeriod?: string;
  /** Who holds it; a park center reading another park's record (or a zone-wide quota) is told only since when. */
  heldBy?: { projectId?: string; since: string } | null;
  version: number;
}
interface Bucket {
  code: string;
  name: string;
  nameEn?: string;
  budgetCny: number;
  allocatedCny: number;
  spentCny: number;
  remainingCny: number;
  retired?: boolean;
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

const TITLE: Record<Kind, Word> = { parcels: 'parcels', facilities: 'facilities', energy: 'energy', environment: 'environment', utilities: 'utilities' };
const NEW_TITLE: Record<Kind, Word> = { parcels: 'newParcel', facilities: 'newFacility', energy: 'newEnergy', environment: 'newEnvironment', utilities: 'newUtility' };
const READINESS_WORD: Record<string, Word> = { relicSurvey: 'relicSurveyShort', landApproval: 'landApprovalShort', clearanceList: 'clearanceListShort', infrastructure: 'infrastructureShort' };
const READINESS_FIELD: Record<string, Word> = { relicSurvey: 'relicSurvey', landApproval: 'landApproval', clearanceList: 'clearanceList', infrastructure: 'infrastructure' };

/** The unit a record's amounts are counted in (energy in tce, environmental capacity in tonnes, a utility its own). */
const unitOf = (kind: Kind, r: Pick<Resource, 'unit'>) => (kind === 'energy' ? 'tce' : kind === 'environment' ? 't' : (r.unit ?? ''));

/** What names a record to people: its code, or a quota's year and pollutant, a park's utility. */
function labelOf(kind: Kind, r: Resource, t: T, parkName: (name: string | undefined) => string = (n) => n ?? ''): string {
  if (kind === 'energy') return t.yearly(r.year, t.t('energy'));
  if (kind === 'environment') return t.yearly(r.year, t.pollutant(r.pollutant ?? ''));
  if (kind === 'utilities') return t.beside(parkName(r.park), t.utility(r.utility ?? ''));
  return r.code ?? r.id;
}

export function Inventories({ api, me, t, readers }: { api: Api; me?: Identity; t: T; readers?: readonly Role[] }) {
  // The kinds the user reads (GET /inventory answers those; 403 when none), who keeps each and the period each runs
  // in: a kind's section is shown to its readers only, its keepers' rows get confirm and edit, their kinds a form.
  const summary = useLoad(() => api.get<Summary>('/inventory'), []);
  const kinds = summary.data?.kinds;
  const readsNone = summary.error instanceof ApiError && summary.error.problem.status === 403;
  // This year on the business clock, not the browser's.
  const today = useLoad(() => businessToday(api), []);
  const year = today.data ? yearOf(today.data) : undefined;
  // Each kind's section reads its own records; a write refused because a record moved on (409, 412) reads them all again.
  const reloads = useRef(new Map<Kind, () => void>());
  // The fund is its readers' (ops, the leader, the discipline office): nobody else's page asks for it.
  const readsFunds = mayReadFunds(me);
  // This year's by default; the two before (their accounts: spent, released) and the next (earmarks) on request.
  const [chosenYear, setChosenYear] = useState<number | undefined>();
  const fundYear = chosenYear ?? year;
  const funds = useLoad(() => (fundYear && readsFunds ? api.get<{ year: number; open: boolean; buckets: Bucket[] }>(`/funds/${fundYear}`) : Promise.resolve(undefined)), [fundYear, readsFunds]);
  const reloadAll = () => {
    for (const reload of reloads.current.values()) reload();
  };
  return html`<${RefreshContext.Provider} value=${reloadAll}><section aria-labelledby="inv-h">
    <h1 id="inv-h">${t.t('inventories')}</h1>
    ${readsNone
      ? html`<p class="hint" data-testid="inventory-none">${t.t('inventoryNotYours')}${readers?.length ? html`<br />${t.t('inventoryReadBy')}${readers.map((r) => t.role(r)).join(t.lang === 'zh' ? '、' : ', ')}` : null}</p>`
      : html`<${Failure} error=${summary.error} t=${t} />`}
    ${summary.loading && !kinds ? html`<${Loading} t=${t} />` : null}
    ${INVENTORY_KINDS.filter((k) => kinds?.some((x) => x.kind === k)).map((k) => {
      const of = kinds!.find((x) => x.kind === k)!;
      return html`<${KindSection} key=${k} api=${api} kind=${k} owners=${of.owners} me=${me} t=${t} register=${(reload: () => void) => (reloads.current.set(k, reload), () => void reloads.current.delete(k))} />`;
    })}
    ${!readsFunds || (funds.error instanceof ApiError && funds.error.problem.status === 403)
      ? // A keeper of an inventory is shown no fund section rather than a refusal.
        null
      : html`<section>
      <h2 data-testid="funds-h">${t.ofYear(t.t('preworkFund'), fundYear)}</h2>
      ${year
        ? html`<div class="row"><${Field} name="fundYear" label=${t.t('fundYear')} value=${String(fundYear)} onChange=${(e: Event) => setChosenYear(Number((e.currentTarget as HTMLSelectElement).value))}>
            ${[year - 2, year - 1, year, year + 1].map((y) => html`<option value=${String(y)} selected=${y === fundYear}>${y}</option>`)}
          </${Field}>${funds.data ? html`<p class="hint" data-testid="fund-open">${funds.data.open ? t.t('fundOpen') : funds.data.year < year ? t.t('fundClosed') : t.t('fundNotYet')}</p>` : null}</div>`
        : null}
      <${Failure} error=${funds.error} t=${t} />
      ${funds.data && funds.data.buckets.length === 0
        ? // A year not open has only the accounts drawn on it: none is said, not shown as a table of headings.
          html`<p class="hint" data-testid="fund-none">${t.t('fundNoAccounts')}</p>`
        : funds.data
        ? html`<div class="scroll"><table class="grid">
            <thead><tr><th scope="col">${t.t('bucket')}</th><th scope="col" class="num">${t.t('budget')}</th><th scope="col" class="num">${t.t('allocated')}</th><th scope="col" class="num">${t.t('spentColumn')}</th><th scope="col" class="num">${t.t('remaining')}</th></tr></thead>
            <tbody>${funds.data.buckets.map((b) => html`<tr data-bucket=${b.code} data-retired=${b.retired ? 'true' : null}><th scope="row">${bucketRowLabel(b, t.lang)}</th><td class="num">${yuan(b.budgetCny, t.lang)}</td><td class="num">${yuan(b.allocatedCny, t.lang)}</td><td class="num">${yuan(b.spentCny, t.lang)}</td><td class="num">${yuan(b.remainingCny, t.lang)}</td></tr>`)}</tbody>
          </table></div>`
        : null}
    </section>`}
    <${Matches} api=${api} t=${t} />
  </section></${RefreshContext.Provider}>`;
}

/** One kind's records in a table, with its keepers' actions: confirm, edit (a form under the row), add. */
function KindSection({ api, kind, owners, me, t, register }: { api: Api; kind: Kind; owners?: Role[]; me?: Identity; t: T; register: (reload: () => void) => () => void }) {
  const list: Paged<Resource> = usePages<Resource>((c) => withCursor(`/inventory/${kind}?limit=100`, c), [kind], { get: api.get });
  // The page's refresh reaches this kind's list: registered after each render (its reload reads the list as rendered),
  // and taken back when the section goes — not a side effect of rendering.
  useEffect(() => register(list.reload));
  // A holder the API names (to those who may see it) is shown by its project's name.
  const parkName = useParkName(api, t);
  const holders = useProjectNames(api, (list.items ?? []).flatMap((r) => (r.heldBy?.projectId ? [r.heldBy.projectId] : [])));
  const [editing, setEditing] = useState<string | undefined>();
  /** What the last action on the kind's records said: a confirmation, a saved edit, a refusal. */
  const [notice, setNotice] = useState<string | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  // One confirmation at a time per record: a double click sends one (its button is disabled until the answer).
  const [confirming, setConfirming] = useState<ReadonlySet<string>>(new Set());
  // A confirmation of what the keeper sees: over the version shown (If-Match), so an edit since is not confirmed blind.
  const confirm = (r: Resource) => {
    if (confirming.has(r.id)) return;
    setActionError(undefined);
    setNotice(undefined);
    setConfirming((s) => new Set([...s, r.id]));
    const settle = () => setConfirming((s) => new Set([...s].filter((x) => x !== r.id)));
    api.send<Resource>('POST', `/inventory/${kind}/${r.id}/confirm`, {}, { ifMatch: r.version }).then(
      (done) => (settle(), setNotice(t.confirmedRecord(labelOf(kind, r, t, parkName), done.confirmedPeriod ?? '', date(done.confirmedAt))), list.reload()),
      (e: Error) => (settle(), setActionError(new Error(`${labelOf(kind, r, t, parkName)}: ${e.message}`)), list.reload()),
    );
  };
  const keeps = (r: Resource) => mayKeep(me, owners, r.park);
  const addsAny = !!owners?.some((role) => me?.roles.includes(role));
  const columns = kindColumns(kind, t);
  const unit = (r: Resource) => t.unit(unitOf(kind, r));
  return html`<section data-kind=${kind} aria-labelledby=${`${kind}-h`}>
    <h2 id=${`${kind}-h`}>${t.t(TITLE[kind])}</h2>
    <${Failure} error=${list.error} t=${t} />
    <${Failure} error=${actionError} t=${t} />
    ${notice ? html`<p role="status" data-testid=${`${kind}-notice`}>${notice}</p>` : null}
    ${list.items
      ? html`<div class="scroll records"><table class="grid">
          <thead><tr>${columns.map(([label, num]) => html`<th scope="col" class=${num ? 'num' : undefined}>${label}</th>`)}<th scope="col">${t.t('status')}</th><th scope="col">${t.t('confirmation')}</th><th scope="col">${t.t('action')}</th></tr></thead>
          <tbody>${list.items.map((r) => {
            const label = labelOf(kind, r, t, parkName);
            const mine = r.status !== 'retired' && keeps(r);
            // Keyed by record: a record added above (by the form below, or read on a reload) leaves an open 修改 form with its row.
            return html`<${Fragment} key=${r.id}><tr data-resource=${r.id}>
                ${factCells(kind, r, t, unit(r), parkName)}
                <td>${t.resourceStatus(r.status)}${r.heldBy?.projectId ? html` · <${ProjectLink} id=${r.heldBy.projectId} names=${holders} />` : r.heldBy ? html` · <span class="hint">${t.beside(t.t('heldSince'), date(r.heldBy.since))}</span>` : ''}</td>
                <td data-testid="confirmation">${r.status === 'retired' ? '—' : r.stale ? html`<strong class="warn">${t.t('stale')}</strong>` : r.confirmationDue ? html`<strong class="warn">${t.t('confirmationDue')}</strong>` : t.t('fresh')}${r.confirmedAt ? html`<br /><span class="hint">${t.beside(t.t('confirmedOn'), date(r.confirmedAt))}${t.open}${t.period(r.confirmedPeriod)}${t.close}</span>` : null}</td>
                <td class="actions">
                  ${mine ? html`<button type="button" disabled=${confirming.has(r.id)} onClick=${() => confirm(r)} aria-label=${`${t.t('confirmRecord')}${t.colon}${label}`}>${t.t('confirmRecord')}</button>` : null}
                  ${keeps(r) ? html`<button type="button" aria-expanded=${editing === r.id} onClick=${() => setEditing(editing === r.id ? undefined : r.id)} aria-label=${`${t.t('editRecord')}${t.colon}${label}`}>${t.t('editRecord')}</button>` : null}
                </td>
              </tr>
              ${editing === r.id
                ? html`<tr class="editing"><td colspan=${columns.length + 3}>
                    <${EditResource} key=${r.id} api=${api} kind=${kind} r=${r} label=${label} t=${t} close=${() => setEditing(undefined)} done=${() => (setEditing(undefined), setNotice(t.savedRecord(label)), list.reload())} />
                  </td></tr>`
                : null}</${Fragment}>`;
          })}</tbody>
        </table></div>
        <${More} list=${list} t=${t} />`
      : list.loading
        ? html`<${Loading} t=${t} />`
        : null}
    ${addsAny ? html`<${NewResource} api=${api} kind=${kind} me=${me} t=${t} done=${list.reload} />` : null}
  </section>`;
}

/** A kind's fact columns: their headers (and whether they are figures). */
function kindColumns(kind: Kind, t: T): [string, boolean][] {
  const amounts: [string, boolean][] = [[t.t('quotaTotal'), true], [t.t('allocated'), true], [t.t('quotaRemaining'), true]];
  switch (kind) {
    case 'parcels':
      return [[t.t('code'), false], [t.t('park'), false], [t.t('areaCol'), true], [t.t('landUse'), false], [t.t('supply'), false], [t.t('standardLand'), false], [t.t('readiness'), false]];
    case 'facilities':
      return [[t.t('code'), false], [t.t('park'), false], [t.t('owner'), false], [t.t('kind'), false], [t.t('area'), true], [t.t('floorLoad'), true], [t.t('clearHeight'), true], [t.t('powerKva'), true], [t.t('rent'), true]];
    case 'energy':
      return [[t.t('year'), false], ...amounts];
    case 'environment':
      return [[t.t('year'), false], [t.t('pollutant'), false], ...amounts];
    case 'utilities':
      return [[t.t('park'), false], [t.t('utility'), false], ...amounts];
  }
}

/** A record's fact cells, in kindColumns' order: the first names the row. */
function factCells(kind: Kind, r: Resource, t: T, unit: string, parkName: (name: string | undefined) => string) {
  const n = (v: number | undefined) => numberText(v, t.lang);
  const amounts = html`<td class="num">${t.beside(n(r.total), unit)}</td><td class="num">${t.beside(n(r.allocated), unit)}</td><td class="num">${t.beside(n(r.remaining), unit)}</td>`;
  switch (kind) {
    case 'parcels':
      return html`<th scope="row"><bdi>${r.code}</bdi></th><td><bdi>${parkName(r.park)}</bdi></td>
        <td class="num" data-testid="area">${t.beside(n(r.areaMu), t.t('mu'))}${t.open}${n(r.areaM2)} m²${t.close}</td>
        <td><bdi>${t.landUse(r.use)}</bdi></td>
        <td>${r.supply === 'stock' ? t.t('supplyStock') : r.supply === 'incremental' ? t.t('supplyIncremental') : (r.supply ?? '—')}</td>
        <td>${r.standardLand ? t.t('yes') : t.t('no')}</td>
        <td><ul class="readiness">${READINESS_ITEMS.map((i) => html`<li data-done=${r.readiness?.[i] ? 'yes' : 'no'}>${r.readiness?.[i] ? t.beside(t.t(READINESS_WORD[i]!), r.readiness[i]) : html`${t.t(READINESS_WORD[i]!)} <span class="warn">${t.t('notDone')}</span>`}</li>`)}</ul></td>`;
    case 'facilities':
      return html`<th scope="row"><bdi>${r.code}</bdi></th><td><bdi>${parkName(r.park)}</bdi></td><td><bdi>${r.owner}</bdi></td>
        <td>${r.facilityType === 'building' ? t.t('building') : r.facilityType === 'factory' ? t.t('factory') : '—'}</td>
        <td class="num">${n(r.areaM2)}</td><td class="num">${n(r.floorLoadKnM2)}</td><td class="num">${n(r.clearHeightM)}</td><td class="num">${n(r.powerKva)}</td><td class="num">${n(r.rentCnyPerM2Month)}</td>`;
    case 'energy':
      return html`<th scope="row">${r.year}</th>${amounts}`;
    case 'environment':
      return html`<th scope="row">${r.year}</th><td>${t.pollutant(r.pollutant ?? '')}</td>${amounts}`;
    case 'utilities':
      return html`<th scope="row"><bdi>${parkName(r.park)}</bdi></th><td>${t.utility(r.utility ?? '')}</td>${amounts}`;
  }
}

/** The area field of a parcel's form with its unit: 亩 (as officials state land) or m² (the API takes m²). */
function AreaField({ name, label, value, unit, setUnit, problem, t }: { name: string; label: string; value?: string; unit: string; setUnit: (u: string) => void; problem?: FormProblem; t: T }) {
  return html`<${Field} name=${name} label=${label} type="number" value=${value} problem=${problem} />
    <${Field} name="areaUnit" label=${t.t('unit')} value=${unit} onChange=${(e: Event) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
      <option value="mu" selected=${unit === 'mu'}>${t.t('mu')}</option>
      <option value="m2" selected=${unit === 'm2'}>m²</option>
    </${Field}>`;
}

/**
 * A keeper's correction of a record (PATCH over the version shown, If-Match): its facts but not what identifies it,
 * and its retirement or return. Only what changed is sent; a record changed meanwhile (412) is read again and the
 * form says so, the user's values kept — saved again, they go over the current version.
 */
function EditResource({ api, kind, r, label, t, close, done }: { api: Api; kind: Kind; r: Resource; label: string; t: T; close: () => void; done: () => void }) {
  const [areaUnit, setAreaUnit] = useState('mu');
  const record = r as unknown as Record<string, unknown>;
  const names = [...EDITABLE_FACTS[kind].map((k) => `facts.${k}`), 'status', 'areaUnit'];
  const s = useSubmit(
    names,
    (v, key) =>
      api.send('PATCH', `/inventory/${kind}/${r.id}`, resourcePatch(kind, v, record), { idempotencyKey: key, ifMatch: r.version }).catch((err: unknown) => {
        if (err instanceof ApiError && err.problem.status === 412) throw new ApiError({ ...err.problem, detail: t.t('staleRecord'), errors: [] });
        throw err;
      }),
    done,
    (v) => {
      const patch = resourcePatch(kind, v, record);
      return emptiedFacts(kind, v, t.t('required')) ?? (patch.facts || patch.status ? undefined : { fields: {}, general: t.t('nothingChanged') });
    },
  );
  const field = (key: string, label: string, type = 'text') => html`<${Field} name=${`facts.${key}`} label=${label} type=${type} value=${shownFact(record, key)} problem=${s.problem} />`;
  const choice = (key: string, label: string, options: readonly (readonly [string, string])[]) =>
    html`<${Field} name=${`facts.${key}`} label=${label} problem=${s.problem}>${options.map(([v, l]) => html`<option value=${v} selected=${record[key] === v}>${l}</option>`)}</${Field}>`;
  let facts;
  switch (kind) {
    case 'parcels':
      facts = html`<div class="row">
          <${AreaField} name="facts.areaM2" label=${t.t('areaCol')} value=${shownFact(record, 'areaM2', areaUnit)} unit=${areaUnit} setUnit=${setAreaUnit} problem=${s.problem} t=${t} />
          ${field('use', t.t('landUse'))}
          ${choice('supply', t.t('supply'), [['stock', t.t('supplyStock')], ['incremental', t.t('supplyIncremental')]])}
        </div>
        <div class="row">${READINESS_ITEMS.map((i) => field(`readiness.${i}`, t.t(READINESS_FIELD[i]!), 'date'))}</div>`;
      break;
    case 'facilities':
      facts = html`<div class="row">
          ${field('owner', t.t('owner'))}
          ${choice('facilityType', t.t('kind'), [...(r.facilityType ? [] : [['', '—'] as const]), ['factory', t.t('factory')], ['building', t.t('building')]])}
          ${field('areaM2', t.t('area'), 'number')} ${field('floorLoadKnM2', t.t('floorLoad'), 'number')} ${field('clearHeightM', t.t('clearHeight'), 'number')} ${field('powerKva', t.t('powerKva'), 'number')} ${field('rentCnyPerM2Month', t.t('rent'), 'number')}
        </div>`;
      break;
    case 'energy':
      facts = html`<div class="row">${field('totalTce', t.t('totalTce'), 'number')}</div>`;
      break;
    case 'environment':
      facts = html`<div class="row">${field('totalTonnes', t.t('totalTonnes'), 'number')}</div>`;
      break;
    case 'utilities':
      facts = html`<div class="row">${field('capacity', t.t('capacity'), 'number')} ${choice('unit', t.t('unit'), (UTILITY_UNITS[r.utility as keyof typeof UTILITY_UNITS] ?? [r.unit ?? '']).map((u) => [u, t.unit(u)] as const))}</div>`;
      break;
  }
  const title = `${t.t('editRecord')}${t.colon}${label}`;
  // Escape closes it, the focus back on the row's 修改.
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(close, `[data-resource="${r.id}"] button[aria-expanded]`)} noValidate aria-label=${title} data-testid=${`edit-${kind}`}>
    <h3><bdi>${title}</bdi></h3>
    ${facts}
    ${r.status === 'available' || r.status === 'retired'
      ? // Withdrawn from the inventory 退出 (while no project holds it), or back from it.
        html`<div class="row"><${Field} name="status" label=${t.t('status')} problem=${s.problem}>
          <option value="available" selected=${r.status === 'available'}>${t.resourceStatus('available')}</option>
          <option value="retired" selected=${r.status === 'retired'}>${t.resourceStatus('retired')}</option>
        </${Field}></div>`
      : null}
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('saveRecord')}</button>
    <button type="button" onClick=${close}>${t.t('cancel')}</button>
  </form>`;
}

function Matches({ api, t }: { api: Api; t: T }) {
  const [query, setQuery] = useState<{ id: string; kind: string } | undefined>();
  // What the typed name is not: no active project's (`none`), or several's (`many`: their id is asked for).
  const [unknown, setUnknown] = useState<'none' | 'many' | 'empty' | undefined>();
  // The zone's projects in progress or waiting for admission, offered by name (an id is still taken as typed): the
  // ledger's first 100 of each.
  const active = useLoad(
    () =>
      Promise.all(['ACTIVE', 'PENDING_ADMISSION'].map((status) => api.get<{ items: { id: string; name: string }[] }>(`/projects?status=${status}&limit=100`).then((r) => r.items, () => []))).then((lists) => lists.flat()),
    [],
  );
  const matches = useLoad(() => (query ? api.get<{ items: Match[] }>(`/projects/${encodeURIComponent(query.id)}/matches?kind=${query.kind}`) : Promise.resolve(undefined)), [query?.id, query?.kind]);
  // A name asked for before the names are read (a slow link): answered once they are, not refused as no project's.
  const [asked, setAsked] = useState<{ typed: string; kind: string } | undefined>();
  const ask = (typed: string, kind: string, projects: readonly { id: string; name: string }[]) => {
    const found = projectNamed(typed, projects);
    setUnknown('id' in found ? undefined : found.problem);
    // A refused name clears the table: the last project's matches must not read as this one's.
    setQuery('id' in found ? { id: found.id, kind } : undefined);
  };
  useEffect(() => {
    if (!asked || !active.data) return;
    setAsked(undefined);
    ask(asked.typed, asked.kind, active.data);
  }, [asked, active.data]);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const typed = String(f.get('project') ?? '');
    const kind = String(f.get('kind') ?? 'facilities');
    const found = projectNamed(typed, []);
    // An id, or nothing typed, needs no names; a name waits for them.
    if (!active.data && !('id' in found) && found.problem !== 'empty') {
      setUnknown(undefined);
      setQuery(undefined);
      return setAsked({ typed, kind });
    }
    setAsked(undefined);
    ask(typed, kind, active.data ?? []);
  };
  return html`<section aria-labelledby="match-h">
    <h2 id="match-h">${t.t('matches')}</h2>
    <form class="row" onSubmit=${onSubmit} aria-label=${t.t('matches')} aria-busy=${asked ? 'true' : undefined}>
      <div class="field">
        <label for="m-id">${t.t('project')}</label>
        <input id="m-id" name="project" list="m-projects" autocomplete="off" placeholder=${t.t('projectNameOrId')} aria-invalid=${unknown !== undefined ? 'true' : undefined} aria-describedby=${unknown !== undefined ? 'm-id-err' : undefined} />
        <datalist id="m-projects">${(active.data ?? []).map((p) => html`<option value=${p.name}>${p.id}</option>`)}</datalist>
        ${unknown !== undefined ? html`<span class="field-error" id="m-id-err" role="alert">${unknown === 'empty' ? t.t('required') : unknown === 'many' ? t.t('sameNameProjects') : t.t('noSuchProject')}</span>` : null}
      </div>
      <div class="field"><label for="m-kind">${t.t('kind')}</label><select id="m-kind" name="kind"><option value="facilities">${t.t('facilities')}</option><option value="parcels">${t.t('parcels')}</option></select></div>
      <button type="submit">${t.t('open')}</button>
    </form>
    <${Failure} error=${matches.error} t=${t} />
    ${asked ? html`<${Loading} t=${t} />` : null}
    ${matches.data && query
      ? html`<div class="scroll"><table class="grid">
          <caption data-testid="matches-for">${(active.data ?? []).find((p) => p.id === query.id)?.name ?? query.id} · ${t.t(query.kind === 'parcels' ? 'parcels' : 'facilities')}</caption>
          <thead><tr><th scope="col">${t.t('code')}</th><th scope="col" class="num">${t.t('score')}</th><th scope="col">${t.t('fits')}</th><th scope="col">${t.t('reasons')}</th></tr></thead>
          <tbody>${matches.data.items.map((m) => html`<tr><th scope="row">${m.code ?? m.resourceId}</th><td class="num">${m.score}</td><td>${m.fits ? t.t('yes') : t.t('no')}</td><td>${(t.lang === 'en' && m.reasonsEn ? m.reasonsEn : m.reasons).join(t.semicolon)}</td></tr>`)}</tbody>
        </table></div>`
      : null}
  </section>`;
}

/**
 * A new record, by the kind's keepers: a parcel (the land list 土地清单, by the resources bureau; its area in 亩 or m²),
 * an idle facility (闲置厂房库, by the SOE or a park), a year's energy quota or a pollutant's capacity (the ecology
 * bureau), a park's utility capacity (its park center, the construction department). The body schema is the API's.
 */
function NewResource({ api, kind, me, t, done }: { api: Api; kind: Kind; me?: Identity; t: T; done: () => void }) {
  const [areaUnit, setAreaUnit] = useState('mu');
  const [utility, setUtility] = useState<string>(UTILITIES[0]);
  const fields = {
    parcels: ['code', 'park', 'areaM2', 'areaUnit', 'use', 'supply', ...READINESS_ITEMS.map((i) => `readiness.${i}`)],
    facilities: ['code', 'park', 'owner', 'areaM2', 'floorLoadKnM2', 'clearHeightM', 'powerKva', 'rentCnyPerM2Month', 'facilityType'],
    energy: ['year', 'totalTce'],
    environment: ['year', 'pollutant', 'totalTonnes'],
    utilities: ['park', 'utility', 'capacity', 'unit'],
  }[kind];
  // The form is reset once a record is added: the utility's units follow it back to the first utility.
  const s = useSubmit(fields, (v, key) => api.send('POST', `/inventory/${kind}`, resourceBody(kind, v), { idempotencyKey: key }), () => (setUtility(UTILITIES[0]), done()));
  const field = (name: string, label: string, type = 'text', value?: string, list?: string) => html`<${Field} name=${name} label=${label} type=${type} value=${value} list=${list} problem=${s.problem} />`;
  const park = html`${field('park', t.t('park'), 'text', me?.park, `${kind}-parks`)}<${ParkOptions} api=${api} id=${`${kind}-parks`} t=${t} />`;
  const title = t.t(NEW_TITLE[kind]);
  let body;
  switch (kind) {
    case 'parcels':
      body = html`<div class="row">
          ${field('code', t.t('code'))} ${park}
          <${AreaField} name="areaM2" label=${t.t('areaCol')} unit=${areaUnit} setUnit=${setAreaUnit} problem=${s.problem} t=${t} />
          ${field('use', t.t('landUse'), 'text', '工业用地')}
          <${Field} name="supply" label=${t.t('supply')} problem=${s.problem}><option value="stock">${t.t('supplyStock')}</option><option value="incremental">${t.t('supplyIncremental')}</option></${Field}>
        </div>
        <div class="row">${READINESS_ITEMS.map((i) => field(`readiness.${i}`, t.t(READINESS_FIELD[i]!), 'date'))}</div>`;
      break;
    case 'facilities':
      body = html`<div class="row">
          ${field('code', t.t('code'))} ${park} ${field('areaM2', t.t('area'), 'number')} ${field('owner', t.t('owner'))}
          <${Field} name="facilityType" label=${t.t('kind')} problem=${s.problem}><option value="factory">${t.t('factory')}</option><option value="building">${t.t('building')}</option></${Field}>
        </div>
        <div class="row">${field('floorLoadKnM2', t.t('floorLoad'), 'number')} ${field('clearHeightM', t.t('clearHeight'), 'number')} ${field('powerKva', t.t('powerKva'), 'number')} ${field('rentCnyPerM2Month', t.t('rent'), 'number')}</div>`;
      break;
    case 'energy':
      body = html`<div class="row">${field('year', t.t('year'), 'number')} ${field('totalTce', t.t('totalTce'), 'number')}</div>`;
      break;
    case 'environment':
      body = html`<div class="row">
          ${field('year', t.t('year'), 'number')}
          <${Field} name="pollutant" label=${t.t('pollutant')} problem=${s.problem}>${POLLUTANTS.map((p) => html`<option value=${p}>${t.pollutant(p)}</option>`)}</${Field}>
          ${field('totalTonnes', t.t('totalTonnes'), 'number')}
        </div>`;
      break;
    case 'utilities':
      body = html`<div class="row">
          ${park}
          <${Field} name="utility" label=${t.t('utility')} problem=${s.problem} onChange=${(e: Event) => setUtility((e.currentTarget as HTMLSelectElement).value)}>${UTILITIES.map((u) => html`<option value=${u} selected=${u === utility}>${t.utility(u)}</option>`)}</${Field}>
          ${field('capacity', t.t('capacity'), 'number')}
          <${Field} name="unit" label=${t.t('unit')} problem=${s.problem}>${(UTILITY_UNITS[utility as keyof typeof UTILITY_UNITS] ?? []).map((u) => html`<option value=${u}>${t.unit(u)}</option>`)}</${Field}>
        </div>`;
      break;
  }
  return html`<details>
    <summary>${title}</summary>
    <form onSubmit=${s.onSubmit} noValidate aria-label=${title} data-testid=${`new-${kind}`}>
      ${body}
      <${FormError} problem=${s.problem} />
      <button type="submit" disabled=${s.busy}>${title}</button>
    </form>
  </details>`;
}
