// More of a project page's actions: a formal letter 发函 of a series the user may issue, releasing a reservation 释放
// (with its reason, once confirmed: the resource goes back to the inventory), and the pre-work fund 项目前期保障经费: allocating from a bucket, recording what
// an allocation paid for, releasing its unspent part back to the bucket. Each shown only where the user's role may act
// (a hint: the API decides), its refusals beside the field.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Role } from '../../../functions/kernel/domain/codes.ts';
import type { Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { bucketLabel, canAllocateFund, drawableBuckets, canManageFund, canRedriveExit, canResumeWorkflow, issuableSeries, letterAddressees, shanghaiDate, wanToYuan, type Identity, type LetterCase } from '../logic.ts';
import { businessToday, closeOnEscape, Field, FormError, html, useLoad, useSubmit, yuan } from '../ui.ts';

export function SendLetter({ api, p, me, t, done }: { api: Api; p: LetterCase & { id: string }; me?: Identity; t: T; done: () => void }) {
  const config = useLoad(() => api.get<{ doc: { series: Record<string, { from: Role; pattern: string; replyWd?: number }> } }>('/config/letters'), []);
  const series = issuableSeries(me, config.data?.doc.series, p);
  // The addressees follow the series chosen: not its issuing department (the sender's own office).
  const [chosen, setChosen] = useState<string | undefined>();
  const code = chosen && series.includes(chosen) ? chosen : series[0];
  const s = useSubmit(
    ['series', 'to', 'subject', 'body'],
    (v, key) =>
      api.send('POST', `/projects/${p.id}/letters`, { series: v.series, to: v.to === 'enterprise' ? { kind: 'enterprise' } : { kind: 'department', role: v.to }, subject: v.subject?.trim() ?? '', body: v.body?.trim() ?? '' }, { idempotencyKey: key }),
    // The sent form is reset to its first series: the addressees follow it (they stayed the last series', offering the
    // first series' own issuer, which the API refuses).
    () => (setChosen(undefined), done()),
  );
  if (!series.length) return null;
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('sendLetter')} data-testid="send-letter">
    <h3>${t.t('sendLetter')}</h3>
    <div class="row">
      <${Field} name="series" label=${t.t('letterSeries')} problem=${s.problem} onChange=${(e: Event) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
        ${series.map((c) => html`<option value=${c} selected=${c === code}>${t.letterSeries(c)}</option>`)}
      </${Field}>
      <${Field} name="to" label=${t.t('addressee')} problem=${s.problem}>
        <option value="enterprise">${t.t('theEnterprise')}</option>
        ${letterAddressees(code ? config.data?.doc.series[code]?.from : undefined).map((r) => html`<option value=${r}>${t.role(r)}</option>`)}
      </${Field}>
    </div>
    <${Field} name="subject" label=${t.t('subject')} problem=${s.problem} />
    <${Field} name="body" multiline label=${t.t('letterBody')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('sendLetter')}</button>
  </form>`;
}

/**
 * A release asked for once more before it is made: the form's second step names what goes back (`ask`); Escape or 取消
 * withdraws the question. `reasonRequired`: an empty reason is told beside the field and nothing is asked or sent.
 */
function AskedRelease({ label, button, ask, reasonRequired, send, t, done }: { label: string; button: string; ask: string; reasonRequired: boolean; send: (reason: string, key: string) => Promise<unknown>; t: T; done: () => void }) {
  const [asking, setAsking] = useState(false);
  const [missing, setMissing] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const s = useSubmit(['reason'], (v, key) => send(v.reason?.trim() ?? '', key), () => (setAsking(false), done()));
  // The question's button takes the focus (a keyboard user answers it where they are).
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);
  const onSubmit = (e: Event) => {
    const reason = String(new FormData(e.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    setMissing(reasonRequired && !reason);
    // No reason where one is needed: told beside the field, nothing sent (the question, if it was asked, withdrawn).
    if (reasonRequired && !reason) return (e.preventDefault(), setAsking(false));
    // The first step only asks; the answer to the question sends.
    if (asking) return s.onSubmit(e);
    e.preventDefault();
    setAsking(true);
  };
  const problem = missing ? { fields: { reason: t.t('required') } } : s.problem;
  return html`<form class="inline" onSubmit=${onSubmit} onKeyDown=${asking ? closeOnEscape(() => setAsking(false)) : undefined} noValidate aria-label=${`${button}${t.colon}${label}`}>
    <${Field} name="reason" label=${t.t('reason')} problem=${problem} />
    <${FormError} problem=${problem} />
    ${asking
      ? html`<p class="warn" role="alert" data-testid="release-ask">${ask}</p>
          <button type="submit" ref=${confirmButton} disabled=${s.busy}>${t.t('releaseConfirm')}</button>
          <button type="button" onClick=${() => setAsking(false)}>${t.t('cancel')}</button>`
      : html`<button type="submit" disabled=${s.busy}>${button}</button>`}
  </form>`;
}

/** Releasing a reservation 释放: a reason is required, and the release is confirmed (the resource goes back to the inventory). */
export function ReleaseReservation({ api, projectId, reservation, label, t, done }: { api: Api; projectId: string; reservation: string; label: string; t: T; done: () => void }) {
  return html`<${AskedRelease} label=${label} button=${t.t('release')} ask=${t.releaseAsk(label)} reasonRequired=${true} t=${t} done=${done}
    send=${(reason: string, key: string) => api.send('DELETE', `/projects/${projectId}/reservations/${reservation}?reason=${encodeURIComponent(reason)}`, undefined, { idempotencyKey: key })} />`;
}

/** A fund allocation of the project: held (its record keeps what is not released), or released with what came back. */
interface Allocation {
  id: string;
  year: number;
  bucket: string;
  amountCny: number;
  spentCny: number;
  status?: 'allocated' | 'released';
  released?: { at: string; returnedCny: number; reason: string } | null;
  /** What it paid, day by day (the list's records carry it; the project's held copy does not). */
  spending?: { amountCny: number; note: string; spentOn: string; payee: string | null }[];
}
interface Bucket {
  code: string;
  name: string;
  nameEn?: string;
  remainingCny: number;
  retired?: boolean;
}

/**
 * The pre-work fund 项目前期保障经费 of a project: every allocation it was given — those it holds, with what they paid for,
 * and those released, with what went back to the bucket (the project record keeps only the held ones; the list is the
 * allocations' own) — and a new allocation from this year's buckets.
 */
export function Fund({ api, p, me, t, done }: { api: Api; p: { id: string; status: string; version?: number; fundAllocations?: Allocation[] }; me?: Identity; t: T; done: () => void }) {
  const allowed = canAllocateFund(me, p);
  // This year's buckets on the business clock (the fund year is the calendar year).
  const funds = useLoad(() => (allowed ? businessToday(api).then((d) => api.get<{ year: number; buckets: Bucket[] }>(`/funds/${d.slice(0, 4)}`)) : Promise.resolve(undefined)), [allowed]);
  // Read again whenever the project changes (an allocation, a spending, a release, an exit's release).
  const all = useLoad(() => api.get<{ items: Allocation[] }>(`/projects/${p.id}/fund-allocations`), [p.id, p.version]);
  const s = useSubmit(
    ['bucket', 'amountCny', 'purpose', 'year'],
    (v, key) => api.send('POST', `/projects/${p.id}/fund-allocations`, { bucket: v.bucket, amountCny: wanToYuan(v.amountCny), purpose: v.purpose?.trim() ?? '', year: funds.data?.year }, { idempotencyKey: key }),
    () => (funds.reload(), done()),
  );
  // Until the list is read (or if it cannot be), the held ones the project carries.
  const shown: Allocation[] = all.data?.items ?? p.fundAllocations ?? [];
  // Named also where this year's buckets are not read (an exited project's page: no allocation to make there).
  const bucketName = (code: string) => bucketLabel(code, t.lang, funds.data?.buckets);
  if (!allowed && !shown.length) return null;
  return html`<section aria-labelledby="fund-h" data-testid="fund">
    <h2 id="fund-h">${t.t('preworkFund')}</h2>
    ${shown.length
      ? html`<ul>${shown.map((a) => {
          const label = `${a.year} · ${bucketName(a.bucket)}`;
          const released = a.status === 'released';
          return html`<li key=${a.id} data-allocation=${a.id} data-status=${released ? 'released' : 'allocated'}>${label} · ${yuan(a.amountCny, t.lang)}${t.open}${t.beside(t.t('spent'), yuan(a.spentCny, t.lang))}${t.close}
            ${released
              ? html` · <span class="muted">${t.allocationReleased(yuan(a.released?.returnedCny ?? 0, t.lang), shanghaiDate(a.released?.at))}</span>`
              : canManageFund(me)
                ? html`<${AllocationActions} api=${api} projectId=${p.id} a=${a} label=${label} t=${t} done=${() => (funds.reload(), done())} />`
                : null}
            ${a.spending?.length
              ? html`<ul class="spending" aria-label=${`${t.t('spendingRecord')}${t.colon}${label}`}>${a.spending.map((s) => html`<li>${s.spentOn} · ${yuan(s.amountCny, t.lang)}${s.payee ? html` · <bdi>${s.payee}</bdi>` : null}${s.note ? html` · <bdi>${s.note}</bdi>` : null}</li>`)}</ul>`
              : null}</li>`;
        })}</ul>`
      : html`<p>${t.t('none')}</p>`}
    ${allowed && funds.data
      ? html`<form class="row" onSubmit=${s.onSubmit} noValidate aria-label=${t.t('allocate')}>
          <${Field} name="bucket" label=${t.ofYear(t.t('bucket'), funds.data.year)} problem=${s.problem}>
            ${drawableBuckets(funds.data.buckets).map((b) => html`<option value=${b.code}>${t.lang === 'en' && b.nameEn ? b.nameEn : b.name} · ${t.beside(t.t('remaining'), yuan(b.remainingCny, t.lang))}</option>`)}
          </${Field}>
          <${Field} name="amountCny" type="number" label=${t.t('amountWan')} problem=${s.problem} />
          <${Field} name="purpose" label=${t.t('purpose')} problem=${s.problem} />
          <${FormError} problem=${s.problem} />
          <button type="submit" disabled=${s.busy}>${t.t('allocate')}</button>
        </form>`
      : null}
  </section>`;
}

/** What an allocation paid for (支出, in 万元 sent as yuan), and its unspent part released back to its bucket, once confirmed. */
function AllocationActions({ api, projectId, a, label, t, done }: { api: Api; projectId: string; a: Allocation; label: string; t: T; done: () => void }) {
  const spend = useSubmit(
    ['amountCny', 'note', 'spentOn', 'payee'],
    (v, key) =>
      api.send('POST', `/projects/${projectId}/fund-allocations/${a.id}/spending`, { amountCny: wanToYuan(v.amountCny), note: v.note?.trim() ?? '', spentOn: v.spentOn || undefined, payee: v.payee?.trim() || undefined }, { idempotencyKey: key }),
    done,
  );
  return html`<form class="inline" onSubmit=${spend.onSubmit} noValidate aria-label=${`${t.t('recordSpending')}${t.colon}${label}`}>
      <${Field} name="amountCny" type="number" label=${t.t('amountWan')} problem=${spend.problem} />
      <${Field} name="note" label=${t.t('spendingNote')} problem=${spend.problem} />
      <${Field} name="payee" label=${t.t('payee')} problem=${spend.problem} />
      <${Field} name="spentOn" type="date" label=${t.t('spentOn')} problem=${spend.problem} />
      <${FormError} problem=${spend.problem} />
      <button type="submit" disabled=${spend.busy}>${t.t('recordSpending')}</button>
    </form>
    <${AskedRelease} label=${label} button=${t.t('releaseAllocation')} ask=${t.allocationReleaseAsk(label, yuan(a.amountCny - a.spentCny, t.lang))} reasonRequired=${false} t=${t} done=${done}
      send=${(reason: string, key: string) => api.send('DELETE', `/projects/${projectId}/fund-allocations/${a.id}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, undefined, { idempotencyKey: key })} />`;
}

/**
 * Ops' recovery of a project whose execution failed 运维处置: the lifecycle resumed from what DynamoDB holds (the next
 * segment of the same stage), or the exit procedure redriven from the step that failed. Shown to ops only when needed.
 */
export function Recovery({ api, p, me, t, done }: { api: Api; p: { id: string; workflow?: { executionName: string; status: string; lastError?: string | null } | null; exit?: { status: string; execution?: string; failure?: { error?: string } | null } | null }; me?: Identity; t: T; done: () => void }) {
  const resume = useSubmit(['note'], (v, key) => api.send('POST', `/projects/${p.id}/workflow/resume`, { note: v.note?.trim() || undefined }, { idempotencyKey: key }), done);
  const redrive = useSubmit(['reason'], (v, key) => api.send('POST', `/projects/${p.id}/exit/redrive`, { reason: v.reason?.trim() ?? '' }, { idempotencyKey: key }), done);
  const lifecycle = canResumeWorkflow(me, p);
  const exit = canRedriveExit(me, p);
  if (!lifecycle && !exit) return null;
  return html`<section aria-labelledby="recovery-h" data-testid="recovery">
    <h2 id="recovery-h">${t.t('recovery')}</h2>
    ${lifecycle
      ? html`<form onSubmit=${resume.onSubmit} noValidate aria-label=${t.t('resumeWorkflow')}>
          <p class="warn">${t.t('workflowFailed')}${t.colon}<code>${p.workflow?.executionName}</code>${p.workflow?.lastError ? html` · <bdi>${p.workflow.lastError}</bdi>` : null}</p>
          <${Field} name="note" label=${t.t('note')} problem=${resume.problem} />
          <${FormError} problem=${resume.problem} />
          <button type="submit" disabled=${resume.busy}>${t.t('resumeWorkflow')}</button>
        </form>`
      : null}
    ${exit
      ? html`<form onSubmit=${redrive.onSubmit} noValidate aria-label=${t.t('redriveExit')}>
          <p class="warn">${t.t('exitFailed')}${t.colon}<code>${p.exit?.execution ?? ''}</code>${p.exit?.failure?.error ? html` · <bdi>${p.exit.failure.error}</bdi>` : null}</p>
          <${Field} name="reason" label=${t.t('reason')} problem=${redrive.problem} />
          <${FormError} problem=${redrive.problem} />
          <button type="submit" disabled=${redrive.busy}>${t.t('redriveExit')}</button>
        </form>`
      : null}
  </section>`;
}
