// My work: my department's open tasks soonest due first (GET /me/tasks), and my notifications (GET /me/notifications),
// each unread one with its 标为已读 (POST /me/notifications/{id}/read: for everyone who reads that inbox), described by
// the notice's title (one button each, all of one name: a screen reader's list of buttons says which). The heading says
// how many are unread (the shell reads the count; a notice marked here counts it down at once: the API's count follows
// on AWS within about a second). 只看未读 lists the unread ones only (GET /me/notifications?unread=true); one marked read
// there stays in the list, shown read, until the list is read again.
// A notice a re-pin withdrew (`voidedAt`: the gate it announced no longer waits for this inbox) is shown struck
// through, 已撤回 beside its title — read by then, but not a plain read notice.
// An enterprise sees its own projects (GET /projects answers an enterprise with its own), the work it owes — an
// interview's commitment, a meeting's item, a rectification item it owns (GET /me/tasks answers it its own) — and its
// notifications.
import { useRef, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { isStaff, noticeState, soonestFirst, withCursor, type Identity } from '../logic.ts';
import type { T } from '../i18n.ts';
import { date, Failure, html, instant, Light, Loading, More, ProjectLink, Typed, useProjectNames, usePages } from '../ui.ts';

interface MyTask {
  id: string;
  projectId: string;
  /** Named by GET /me/tasks since 2026-12-02 (an older API: read per project). */
  projectName?: string;
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
  status: string;
  light: string;
}
interface Notice {
  id: string;
  kind: string;
  projectId: string | null;
  title: string;
  body: string;
  /** The notice in English (since 2026-12-04; null or absent: Chinese only). */
  en?: { title: string; body: string } | null;
  createdAt: string;
  read: boolean;
  /** Withdrawn by a re-pin (the gate it announced no longer waits for this inbox; since 2026-12-07, absent before). */
  voidedAt?: string | null;
  voidedBy?: string | null;
}

export function MyWork({ api, me, t, unread, onRead }: { api: Api; me?: Identity; t: T; unread?: number; onRead?: () => void }) {
  const staff = isStaff(me);
  const none = <T,>() => Promise.resolve({ items: [], nextCursor: null } as T);
  const tasks = usePages<MyTask>((c) => withCursor('/me/tasks?limit=100', c), [staff], { get: api.get });
  const [unreadOnly, setUnreadOnly] = useState(false);
  const notices = usePages<Notice>((c) => withCursor(`/me/notifications?limit=50${unreadOnly ? '&unread=true' : ''}`, c), [unreadOnly], { get: api.get });
  // Marked read here since the list was read (the API answers the notification as it now stands).
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [markError, setMarkError] = useState<Error | undefined>();
  // The notices counted down here (once each: two quick clicks before the button goes are one notice read).
  const counted = useRef(new Set<string>());
  const markRead = async (id: string) => {
    try {
      const n = await api.send<Notice>('POST', `/me/notifications/${encodeURIComponent(id)}/read`);
      // Unread as listed, read now: one fewer unread (a second click, before the button went, counts nothing).
      if (n.read && !counted.current.has(id) && notices.items?.find((x) => x.id === id)?.read === false) {
        counted.current.add(id);
        onRead?.();
      }
      if (n.read) setMarked((m) => new Set([...m, id]));
      setMarkError(undefined);
      // The button is gone with the notice's unread state: keep the keyboard where it was, on that notice.
      setTimeout(() => document.querySelector<HTMLElement>(`.notices li[data-notification="${CSS.escape(id)}"]`)?.focus());
    } catch (err) {
      setMarkError(err as Error);
    }
  };
  const mine = usePages<OwnProject>((c) => withCursor('/projects?limit=50', c), [staff], { get: staff ? none : api.get });
  // The column shows each task's project by name: as the list gives it, else read once per project.
  const read = useProjectNames(api, (tasks.items ?? []).filter((x) => !x.projectName).map((x) => x.projectId));
  const names = new Map([...read, ...(tasks.items ?? []).flatMap((x) => (x.projectName ? [[x.projectId, x.projectName] as const] : []))]);
  const taskList = html`<h2>${t.t('tasks')}</h2>
          <${Failure} error=${tasks.error} t=${t} />
          ${tasks.items
            ? tasks.items.length
              ? html`<div class="scroll"><table class="grid" data-testid="my-tasks">
                  <thead><tr><th scope="col">${t.t('task')}</th><th scope="col">${t.t('project')}</th><th scope="col">${t.t('stage')}</th><th scope="col">${t.t('dueDate')}</th><th scope="col">${t.t('light')}</th></tr></thead>
                  <tbody>
                    ${soonestFirst(tasks.items).map(
                      (x) => html`<tr>
                        <th scope="row"><${Typed} text=${t.lang === 'en' && x.nameEn ? x.nameEn : x.name} t=${t} /></th>
                        <td><${ProjectLink} id=${x.projectId} names=${names} /></td>
                        <td>${t.stage(x.stage)}</td><td class="nowrap">${date(x.dueDate)}</td><td><${Light} light=${x.light} t=${t} /></td>
                      </tr>`,
                    )}
                  </tbody>
                </table></div>
                <${More} list=${tasks} t=${t} />`
              : html`<p>${t.t('noTasks')}</p>`
            : html`<${Loading} t=${t} />`}`;
  return html`<section aria-labelledby="mywork-h">
    <h1 id="mywork-h">${staff ? t.t('myWork') : t.t('myProjects')}</h1>
    ${staff
      ? taskList
      : html`<${Failure} error=${mine.error} t=${t} />
          ${mine.items
            ? mine.items.length
              ? html`<ul data-testid="my-projects">${mine.items.map((x) => html`<li><a href=${`#/projects/${x.id}`}><bdi>${x.name}</bdi></a> · ${t.stage(x.stage)}${x.status && x.status !== 'ACTIVE' ? html` · <strong>${t.status(x.status)}</strong>` : null} · <${Light} light=${x.light} status=${x.status} t=${t} /></li>`)}</ul>
                <${More} list=${mine} t=${t} />`
              : html`<p>${t.t('noProjects')}</p>`
            : html`<${Loading} t=${t} />`}
          ${taskList}`}
    <h2>${t.t('notifications')}${unread === undefined ? null : html`<span data-testid="unread-count">${t.open}${t.unread(unread)}${t.close}</span>`}</h2>
    <p class="hint"><label><input type="checkbox" data-testid="unread-only" checked=${unreadOnly} onChange=${(e: Event) => setUnreadOnly((e.currentTarget as HTMLInputElement).checked)} /> ${t.t('unreadOnly')}</label></p>
    <${Failure} error=${notices.error ?? markError} t=${t} />
    ${notices.items
      ? notices.items.length
        ? html`<ul class="notices">
            ${notices.items.map(
              (n) => html`<li key=${n.id} class=${noticeState(n, marked.has(n.id))} data-notification=${n.id} tabindex="-1">
                <strong id=${`notice-${n.id}`}><bdi>${t.lang === 'en' && n.en ? n.en.title : n.title}</bdi>${noticeState(n, false) === 'void' ? html` <span class="void-tag" data-testid="notice-void">${t.open}${t.t('noticeVoid')}${t.close}</span>` : null}</strong> <time datetime=${n.createdAt}>${instant(n.createdAt)}</time>
                ${noticeState(n, marked.has(n.id)) !== 'unread' ? null : html` <button type="button" aria-describedby=${`notice-${n.id}`} onClick=${() => markRead(n.id)}>${t.t('markRead')}</button>`}
                <p><bdi>${t.lang === 'en' && n.en ? n.en.body : n.body}</bdi> ${n.projectId ? html`<a href=${`#/projects/${n.projectId}`}>${t.t('open')}</a>` : null}</p>
              </li>`,
            )}
          </ul>
          <${More} list=${notices} t=${t} />`
        : html`<p>${t.t(unreadOnly ? 'noUnread' : 'noNotifications')}</p>`
      : html`<${Loading} t=${t} />`}
  </section>`;
}
