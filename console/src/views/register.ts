// Registering a signed project 签约登记 (POST /projects): the investment departments' form. Amounts are typed in 万元, as
// the zone's own forms state them, and sent in yuan; the API's 400 lands next to the field it names. A project
// registered opens on its page (pending admission). The park field offers the zone's parks (GET /config/parks).
import { ATTRACTION_MODES, CHAIN_ROLES, INDUSTRIES, SITE_MODES, TECH_LEVELS, TRACKS } from '../../../functions/kernel/domain/codes.ts';
import type { Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { REGISTER_FIELDS, registrationBody, type Identity } from '../logic.ts';
import { Field, FormError, html, ParkOptions, useSubmit } from '../ui.ts';

export function Register({ api, me, t }: { api: Api; me?: Identity; t: T }) {
  let created: string | undefined;
  const s = useSubmit(
    REGISTER_FIELDS,
    async (v, key) => {
      created = (await api.send<{ id: string }>('POST', '/projects', registrationBody(v), { idempotencyKey: key })).id;
    },
    () => {
      if (created) location.hash = `#/projects/${encodeURIComponent(created)}`;
    },
  );
  // The department's own track first (the API refuses the other department's track).
  const tracks = me?.roles.includes('scitech_dept') && !me.roles.includes('investment_dept') ? [...TRACKS].reverse() : TRACKS;
  const choose = (name: string, label: string, codes: readonly string[], word: (c: string) => string, preset = false) =>
    html`<${Field} name=${name} label=${label} problem=${s.problem}>
      ${preset ? null : html`<option value="">${t.t('choose')}</option>`}
      ${codes.map((c) => html`<option value=${c}>${word(c)}</option>`)}
    </${Field}>`;
  const field = (name: string, label: string, type = 'text') => html`<${Field} name=${name} label=${label} type=${type} problem=${s.problem} />`;
  return html`<section aria-labelledby="register-h">
    <header class="page-head"><h1 id="register-h">${t.t('register')}</h1></header>
    <p class="hint">${t.t('registerHint')}</p>
    <form onSubmit=${s.onSubmit} noValidate aria-labelledby="register-h" data-testid="register">
      <fieldset>
        <legend>${t.t('facts')}</legend>
        <div class="row">
          ${field('name', t.t('name'))}
          ${field('investor.name', t.t('investor'))}
          ${field('investor.enterpriseId', t.t('enterpriseId'))}
        </div>
        <div class="row">
          ${choose('track', t.t('track'), tracks, t.track, true)}
          ${choose('industry', t.t('industry'), INDUSTRIES, t.industry)}
          ${choose('attractionMode', t.t('attractionMode'), ATTRACTION_MODES, t.attractionMode)}
          ${field('totalInvestmentCny', t.t('investmentWan'), 'number')}
        </div>
        <div class="row">
          ${choose('techLevel', t.t('techLevel'), TECH_LEVELS, t.techLevel)}
          ${choose('chainRole', t.t('chainRole'), CHAIN_ROLES, t.chainRole)}
          <${Field} name="park" label=${t.t('park')} list="register-parks" problem=${s.problem} /><${ParkOptions} api=${api} id="register-parks" t=${t} />
          ${choose('siteMode', t.t('siteMode'), SITE_MODES, t.siteMode)}
        </div>
      </fieldset>
      <fieldset>
        <legend>${t.t('targetsH')}</legend>
        <div class="row">
          ${field('targets.outputValueCny', t.t('outputWan'), 'number')}
          ${field('targets.taxCny', t.t('taxWan'), 'number')}
          ${field('targets.jobs', t.t('jobs'), 'number')}
        </div>
      </fieldset>
      <fieldset>
        <legend>${t.t('needsH')}</legend>
        <div class="row">
          ${field('needs.areaM2', t.t('area'), 'number')}
          ${field('needs.powerKva', t.t('needPowerKva'), 'number')}
          ${field('needs.floorLoadKnM2', t.t('floorLoad'), 'number')}
          ${field('needs.clearHeightM', t.t('clearHeight'), 'number')}
        </div>
      </fieldset>
      <${FormError} problem=${s.problem} />
      <button type="submit" disabled=${s.busy}>${t.t('register')}</button>
    </form>
  </section>`;
}
