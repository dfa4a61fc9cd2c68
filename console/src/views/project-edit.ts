// Changing what a project record says: its track's department edits the descriptive fields (PATCH, over the version
// the page read: another's change meanwhile is the API's 412, and the page reloads), and the committee leader amends
// the contract's terms after admission 合同变更 (a record of its own with its reason; the project is re-classified).
// Both forms open prefilled with the record, in 万元 where the zone's forms use 万元, and send only what was changed.
import { useState } from 'preact/hooks';
import { ATTRACTION_MODES, CHAIN_ROLES, INDUSTRIES, TECH_LEVELS } from '../../../functions/kernel/domain/codes.ts';
import { ApiError, type Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { canAmendContract, canEditProject, changedTerms, changesOf, shownValue, withCursor, type FormProblem, type Identity } from '../logic.ts';
import { closeOnEscape, Failure, Field, FormError, html, instant, More, usePages, useSubmit } from '../ui.ts';

export interface EditableProject {
  id: string;
  track: string;
  status: string;
  version?: number;
  [field: string]: unknown;
}

/** The terms a contract amendment may change (api.md), and the descriptive fields an edit may. */
const TERMS = ['totalInvestmentCny', 'industry', 'techLevel', 'chainRole', 'targets.outputValueCny', 'targets.taxCny', 'targets.jobs'] as const;
const NEEDS = ['needs.areaM2', 'needs.powerKva', 'needs.floorLoadKnM2', 'needs.clearHeightM'] as const;
const DESCRIPTIVE = ['name', 'investor.name', 'attractionMode', ...NEEDS] as const;

const unchanged = (t: T): FormProblem => ({ fields: {}, general: t.t('nothingChanged') });

export function EditProject({ api, p, me, t, done }: { api: Api; p: EditableProject; me?: Identity; t: T; done: () => void }) {
  const [open, setOpen] = useState(false);
  // Before admission the contract's terms are still the registration's: edited here; after it, by an amendment only.
  const keys: readonly string[] = p.status === 'PENDING_ADMISSION' ? [...DESCRIPTIVE, ...TERMS] : DESCRIPTIVE;
  const s = useSubmit(
    keys,
    (v, key) => api.send('PATCH', `/projects/${p.id}`, changesOf(v, p, keys), { idempotencyKey: key, ifMatch: p.version }),
    () => (setOpen(false), done()),
    (v) => (Object.keys(changesOf(v, p, keys)).length ? undefined : unchanged(t)),
  );
  if (!canEditProject(me, p)) return null;
  if (!open) return html`<button type="button" data-opens="edit-project" onClick=${() => setOpen(true)}>${t.t('editProject')}</button>`;
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(() => setOpen(false), '[data-opens="edit-project"]')} noValidate aria-label=${t.t('editProject')} data-testid="edit-project">
    <h3>${t.t('editProject')}</h3>
    <${ProjectFields} p=${p} keys=${keys} problem=${s.problem} t=${t} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('save')}</button>
    <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button>
  </form>`;
}

export function AmendContract({ api, p, me, t, done }: { api: Api; p: EditableProject; me?: Identity; t: T; done: () => void }) {
  const [open, setOpen] = useState(false);
  const s = useSubmit(
    ['reason', ...TERMS],
    (v, key) =>
      api.send('POST', `/projects/${p.id}/amendments`, { reason: v.reason?.trim() || undefined, changes: changesOf(v, p, TERMS) }, { idempotencyKey: key }).catch((err: unknown) => {
        // The API names a term inside `changes` (changes.totalInvestmentCny): the form's field is the term itself.
        if (err instanceof ApiError) throw new ApiError({ ...err.problem, errors: err.problem.errors?.map((e) => ({ ...e, path: e.path?.replace(/^changes\./, '') })) });
        throw err;
      }),
    () => (setOpen(false), done()),
    (v) => (Object.keys(changesOf(v, p, TERMS)).length ? undefined : unchanged(t)),
  );
  if (!canAmendContract(me, p)) return null;
  if (!open) return html`<button type="button" data-opens="amend-contract" onClick=${() => setOpen(true)}>${t.t('amendContract')}</button>`;
  return html`<form onSubmit=${s.onSubmit} onKeyDown=${closeOnEscape(() => setOpen(false), '[data-opens="amend-contract"]')} noValidate aria-label=${t.t('amendContract')} data-testid="amend-contract">
    <h3>${t.t('amendContract')}</h3>
    <p class="hint">${t.t('amendContractHint')}</p>
    <${Field} name="reason" multiline label=${t.t('contractReason')} problem=${s.problem} />
    <${ProjectFields} p=${p} keys=${TERMS} problem=${s.problem} t=${t} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('amendContract')}</button>
    <button type="button" onClick=${() => setOpen(false)}>${t.t('cancel')}</button>
  </form>`;
}

/** The forms' words for a project's fields: each field's label, and the choices of those chosen from a list. */
function fieldWords(t: T) {
  const labels: Record<string, string> = {
    name: t.t('name'),
    'investor.name': t.t('investor'),
    totalInvestmentCny: t.t('investmentWan'),
    'targets.outputValueCny': t.t('outputWan'),
    'targets.taxCny': t.t('taxWan'),
    'targets.jobs': t.t('jobs'),
    'needs.areaM2': t.t('area'),
    'needs.powerKva': t.t('needPowerKva'),
    'needs.floorLoadKnM2': t.t('floorLoad'),
    'needs.clearHeightM': t.t('clearHeight'),
  };
  const choices: Record<string, readonly [readonly string[], (c: string) => string]> = {
    industry: [INDUSTRIES, t.industry],
    attractionMode: [ATTRACTION_MODES, t.attractionMode],
    techLevel: [TECH_LEVELS, t.techLevel],
    chainRole: [CHAIN_ROLES, t.chainRole],
  };
  const word: Record<string, string> = { industry: t.t('industry'), attractionMode: t.t('attractionMode'), techLevel: t.t('techLevel'), chainRole: t.t('chainRole') };
  return { labels, choices, word };
}

interface Amendment {
  id: string;
  at: string;
  byName: string;
  reason: string;
  changes: Record<string, unknown>;
}

/**
 * The contract amendments 合同变更记录 (staff): each with when, who, why and the terms it changed, as the amendment form
 * words them — read only when opened, and again when the project counts another.
 */
export function Amendments({ api, p, t }: { api: Api; p: EditableProject & { amendmentCount?: number }; t: T }) {
  const [open, setOpen] = useState(false);
  const none = <R,>() => Promise.resolve({ items: [], nextCursor: null } as R);
  const list = usePages<Amendment>((c) => withCursor(`/projects/${p.id}/amendments?limit=50`, c), [p.id, p.amendmentCount, open], { get: open ? api.get : none });
  if (!p.amendmentCount) return null;
  const { labels, choices, word } = fieldWords(t);
  const said = (key: string, value: string | null) => (value === null ? '—' : choices[key] ? choices[key][1](value) : value);
  return html`<details data-testid="amendments" onToggle=${(e: Event) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
    <summary>${t.t('amendments')}${t.open}${p.amendmentCount}${t.close}</summary>
    <${Failure} error=${list.error} t=${t} />
    ${open && list.items
      ? html`<ol>${list.items.map(
          (a) => html`<li key=${a.id} data-amendment=${a.id}><time datetime=${a.at}>${instant(a.at)}</time> <bdi>${a.byName}</bdi>${t.colon}<bdi>${a.reason}</bdi>
            <ul>${changedTerms(a.changes, TERMS).map((c) => html`<li data-term=${c.key}>${labels[c.key] ?? word[c.key] ?? c.key}${t.colon}<bdi>${said(c.key, c.before)}</bdi> → <bdi>${said(c.key, c.after)}</bdi></li>`)}</ul></li>`,
        )}</ol>
        <${More} list=${list} t=${t} />`
      : null}
  </details>`;
}

/** The fields named by `keys`, prefilled with the record (selects on its code, amounts in 万元). */
function ProjectFields({ p, keys, problem, t }: { p: EditableProject; keys: readonly string[]; problem?: FormProblem; t: T }) {
  const { labels, choices, word } = fieldWords(t);
  return html`<div class="row">
    ${keys.map((k) => {
      const current = shownValue(p, k);
      const choice = choices[k];
      if (choice) {
        return html`<${Field} name=${k} label=${word[k]} problem=${problem}>
          ${current ? null : html`<option value="">${t.t('choose')}</option>`}
          ${choice[0].map((c) => html`<option value=${c} selected=${c === current}>${choice[1](c)}</option>`)}
        </${Field}>`;
      }
      return html`<${Field} name=${k} label=${labels[k] ?? k} type=${k === 'name' || k === 'investor.name' ? 'text' : 'number'} value=${current} problem=${problem} />`;
    })}
  </div>`;
}
