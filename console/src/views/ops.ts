// Ops: which calendar years are loaded and which are missing (each loaded or corrected here), the configuration
// documents' versions (each edited here as JSON), and the failed lifecycles (GET /projects?workflow=failed) with a resume button (POST /projects/{id}/workflow/resume).
import { useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import { calendarYearsToCheck, withCursor } from '../logic.ts';
import type { T } from '../i18n.ts';
import { CONFIG_NAMES } from '../../../functions/kernel/domain/codes.ts';
import { CalendarEditor, ConfigEditor } from './ops-editors.ts';
import { businessToday, Failure, html, instant, Loading, More, useLoad, usePages } from '../ui.ts';

export function Ops({ api, t }: { api: Api; t: T }) {
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
    () => Promise.all([...CONFIG_NAMES, 'channels'].map((name) => api.get<{ version: number; publishedAt?: string }>(`/config/${name}`).then((c) => ({ name, version: c.version, publishedAt: c.publishedAt }), (e: Error) => ({ name, error: e.message })))),
    [],
  );
  const failed = usePages<{ id: string; name: string; stage: string; workflow?: { lastError?: string | null } }>((c) => withCursor('/projects?workflow=failed&limit=100', c), [], { get: api.get });
  const [resumeError, setResumeError] = useState<Error | undefined>();
  // One Idempotency-Key per project's resume until it goes through: a retried click resumes it once.
  const resumeKeys = useRef(new Map<string, string>());
  const resume = (id: string) => {
    setResumeError(undefined);
    const key = resumeKeys.current.get(id) ?? crypto.randomUUID();
    resumeKeys.current.set(id, key);
    api.send('POST', `/projects/${id}/workflow/resume`, undefined, { idempotencyKey: key }).then(() => {
      resumeKeys.current.delete(id);
      failed.reload();
    }, setResumeError);
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
          ? html`<table class="grid"><thead><tr><th scope="col">${t.t('configName')}</th><th scope="col" class="num">${t.t('version')}</th><th scope="col">${t.t('published')}</th><th scope="col">${t.t('action')}</th></tr></thead>
              <tbody>${configs.data.map((c) => html`<tr data-config=${c.name}><th scope="row">${c.name}</th><td class="num">${'version' in c ? c.version : '—'}</td><td>${'publishedAt' in c ? instant(c.publishedAt) : c.error}</td><td><${ConfigEditor} api=${api} name=${c.name} t=${t} done=${configs.reload} /></td></tr>`)}</tbody></table>`
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
  </section>`;
}
