// The leaders' and departments' decisions on a project page: admission 准入 (each required department, and the
// committee leader for a major project), an extension 延期 on the ladder, and the decision at the exit rung 退出或延期.
// Shown only where the user's role may decide (a hint: the API decides); its refusals land next to the field.
import type { Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { canDecideExit, canExtend, pendingAdmission, type AdmissionLike, type Identity, type LadderLike } from '../logic.ts';
import { Field, FormError, html, instant, useSubmit } from '../ui.ts';
import type { Role } from '../../../functions/kernel/domain/codes.ts';
import { checkOfThisRung } from '../../../functions/supervision/domain/compliance.ts';

export interface DecidableProject extends AdmissionLike, LadderLike {
  readonly id: string;
  readonly park: string;
  readonly investor: { readonly enterpriseId: string };
  readonly admission?: { readonly required: readonly Role[]; readonly decisions: readonly { readonly role: Role; readonly decision: string; readonly reason?: string; readonly at?: string }[] };
}

const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

export function Admission({ api, p, me, t, done }: { api: Api; p: DecidableProject; me?: Identity; t: T; done: () => void }) {
  const mine = pendingAdmission(me, p);
  // The decision is chosen, not preset (one click on 提交准入意见 admitted a project): a missing one is the API's 必填.
  const s = useSubmit(['decision', 'reason'], (v, key) => api.send('POST', `/projects/${p.id}/admission`, { decision: v.decision || undefined, reason: optional(v.reason) }, { idempotencyKey: key }), done);
  if (p.status !== 'PENDING_ADMISSION' || !p.admission) return null;
  const decisions = p.admission.decisions;
  return html`<section aria-labelledby="admission-h" data-testid="admission">
    <h2 id="admission-h">${t.t('admission')}</h2>
    <ul class="approvals">
      ${p.admission.required.map((r) => {
        const d = decisions.find((x) => x.role === r);
        return html`<li data-decider=${r}>${t.role(r)}${t.colon}${d ? `${d.decision === 'approve' ? t.t('admit') : t.t('notAdmit')}${d.at ? `${t.open}${instant(d.at)}${t.close}` : ''}` : t.t('admissionPending')}</li>`;
      })}
    </ul>
    ${mine.length
      ? html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('decideAdmission')}>
          <${Field} name="decision" label=${`${t.t('decision')}${t.open}${t.role(mine[0]!)}${t.close}`} problem=${s.problem}>
            <option value="" selected>${t.t('choose')}</option>
            <option value="approve">${t.t('admit')}</option>
            <option value="reject">${t.t('notAdmit')}</option>
          </${Field}>
          <${Field} name="reason" label=${t.t('reason')} problem=${s.problem} />
          <${FormError} problem=${s.problem} />
          <button type="submit" disabled=${s.busy}>${t.t('decideAdmission')}</button>
        </form>`
      : null}
  </section>`;
}

export function Extension({ api, p, me, t, done }: { api: Api; p: DecidableProject; me?: Identity; t: T; done: () => void }) {
  const s = useSubmit(['newDueDate', 'reason'], (v, key) => api.send('POST', `/projects/${p.id}/extension`, { newDueDate: optional(v.newDueDate), reason: v.reason ?? '' }, { idempotencyKey: key }), done);
  if (!canExtend(me, p)) return null;
  return html`<section aria-labelledby="extension-h" data-testid="extension">
    <h2 id="extension-h">${t.t('extension')}</h2>
    <p class="hint">${t.t('extendHint')}</p>
    <form class="row" onSubmit=${s.onSubmit} noValidate aria-label=${t.t('grantExtension')}>
      <${Field} name="newDueDate" type="date" label=${t.t('newDueDate')} problem=${s.problem} />
      <${Field} name="reason" label=${t.t('reason')} problem=${s.problem} />
      <${FormError} problem=${s.problem} />
      <button type="submit" disabled=${s.busy}>${t.t('grantExtension')}</button>
    </form>
  </section>`;
}

/**
 * The decision at the exit rung. `ladder`: the project's supervision file, as the supervision panel read it (one read a
 * page): an exit rests on a compliance check that found a breach (履约核查); without one, only an extension is offered.
 */
export function ExitDecision({ api, p, me, t, done, ladder }: { api: Api; p: DecidableProject; me?: Identity; t: T; done: () => void; ladder?: { complianceChecks: readonly { breach: boolean; recordedAt: string }[] } }) {
  const allowed = canDecideExit(me, p);
  // An exit rests on this climb's check (one from before an extension does not carry it).
  const breach = (ladder && checkOfThisRung(ladder.complianceChecks, p.escalation.since ?? null)?.breach) ?? false;
  const s = useSubmit(
    ['decision', 'reason', 'newDueDate'],
    // Chosen, not preset: with a breach found the first choice was 退出, and one click ended the project.
    (v, key) => api.send('POST', `/projects/${p.id}/exit`, { decision: v.decision || undefined, reason: v.reason ?? '', newDueDate: v.decision === 'extend' ? optional(v.newDueDate) : undefined }, { idempotencyKey: key }),
    done,
  );
  if (!allowed || !ladder) return null;
  return html`<section aria-labelledby="exit-h" data-testid="exit-decision">
    <h2 id="exit-h">${t.t('exitDecision')}</h2>
    <p class="hint">${breach ? t.t('exitHint') : t.t('exitNeedsBreach')}</p>
    <form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('decideExit')}>
      <div class="row">
        <${Field} name="decision" label=${t.t('decision')} problem=${s.problem}>
          <option value="" selected>${t.t('choose')}</option>
          ${breach ? html`<option value="exit">${t.t('exitProject')}</option>` : null}
          <option value="extend">${t.t('extension')}</option>
        </${Field}>
        <${Field} name="newDueDate" type="date" label=${`${t.t('newDueDate')}${t.open}${t.t('extension')}${t.close}`} problem=${s.problem} />
      </div>
      <${Field} name="reason" label=${t.t('reason')} problem=${s.problem} />
      <${FormError} problem=${s.problem} />
      <button type="submit" disabled=${s.busy}>${t.t('decideExit')}</button>
    </form>
  </section>`;
}
