// My work: my department's open tasks soonest due first (GET /me/tasks), and my notifications (GET /me/notifications).
// An enterprise has no tasks: it sees its own projects (GET /projects answers an enterprise with its own) and its
// notifications.
import type { Api } from '../api.ts';
import { isStaff, soonestFirst, type Identity } from '../logic.ts';
import type { T } from '../i18n.ts';
import { date, Failure, html, instant, Light, Loading, useLoad } from '../ui.ts';

interface MyTask {
  id: string;
  projectId: string;
  name: string;
  nameEn?: string;
  dueDate: string | null;
  light: string;
  stage: string;
}
interface OwnProject {
  id: string;
  name: string;
  stage: string;
  light: string;
}
interface Notice {
  id: string;
  kind: string;
  projectId: string | null;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

export function MyWork({ api, me, t }: { api: Api; me?: Identity; t: T }) {
  const staff = isStaff(me);
  const tasks = useLoad(() => (staff ? api.get<{ items: MyTask[] }>('/me/tasks?limit=100') : Promise.resolve({ items: [] as MyTask[] })), [staff]);
  const notices = useLoad(() => api.get<{ items: Notice[] }>('/me/notifications?limit=50'), []);
  const mine = useLoad(() => (staff ? Promise.resolve({ items: [] as OwnProject[] }) : api.get<{ items: OwnProject[] }>('/projects?limit=50')), [staff]);
  return html`<section aria-labelledby="mywork-h">
    <h1 id="mywork-h">${staff ? t.t('myWork') : t.t('myProjects')}</h1>
    ${staff
      ? html`<h2>${t.t('tasks')}</h2>
          <${Failure} error=${tasks.error} t=${t} />
          ${tasks.data
            ? tasks.data.items.length
              ? html`<table class="grid" data-testid="my-tasks">
                  <thead><tr><th scope="col">${t.t('task')}</th><th scope="col">${t.t('project')}</th><th scope="col">${t.t('stage')}</th><th scope="col">${t.t('dueDate')}</th><th scope="col">${t.t('light')}</th></tr></thead>
                  <tbody>
                    ${soonestFirst(tasks.data.items).map(
                      (x) => html`<tr>
                        <th scope="row">${t.lang === 'en' && x.nameEn ? x.nameEn : x.name}</th>
                        <td><a href=${`#/projects/${x.projectId}`}>${x.projectId}</a></td>
                        <td>${t.stage(x.stage)}</td><td>${date(x.dueDate)}</td><td><${Light} light=${x.light} t=${t} /></td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p>${t.t('noTasks')}</p>`
            : html`<${Loading} t=${t} />`}`
      : html`<${Failure} error=${mine.error} t=${t} />
          ${mine.data
            ? mine.data.items.length
              ? html`<ul data-testid="my-projects">${mine.data.items.map((x) => html`<li><a href=${`#/projects/${x.id}`}>${x.name}</a> · ${t.stage(x.stage)} · <${Light} light=${x.light} t=${t} /></li>`)}</ul>`
              : html`<p>${t.t('noProjects')}</p>`
            : html`<${Loading} t=${t} />`}
          <${OpenById} t=${t} />`}
    <h2>${t.t('notifications')}</h2>
    <${Failure} error=${notices.error} t=${t} />
    ${notices.data
      ? notices.data.items.length
        ? html`<ul class="notices">
            ${notices.data.items.map(
              (n) => html`<li class=${n.read ? 'read' : 'unread'}>
                <strong>${n.title}</strong> <time datetime=${n.createdAt}>${instant(n.createdAt)}</time>
                <p>${n.body} ${n.projectId ? html`<a href=${`#/projects/${n.projectId}`}>${t.t('open')}</a>` : null}</p>
              </li>`,
            )}
          </ul>`
        : html`<p>${t.t('noNotifications')}</p>`
      : html`<${Loading} t=${t} />`}
  </section>`;
}

function OpenById({ t }: { t: T }) {
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const id = String(new FormData(e.currentTarget as HTMLFormElement).get('projectId') ?? '').trim();
    if (id) location.hash = `#/projects/${encodeURIComponent(id)}`;
  };
  return html`<form class="row" onSubmit=${onSubmit} aria-label=${t.t('openById')}>
    <div class="field"><label for="open-id">${t.t('projectId')}</label><input id="open-id" name="projectId" placeholder="prj-…" /></div>
    <button type="submit">${t.t('open')}</button>
  </form>`;
}
