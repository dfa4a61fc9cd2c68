// The zone console: a static single-page app on the public HTTP API. The shell holds who is signed in, the language
// and the hash route (#/ledger, #/projects/{id}, #/me, #/inventory, #/reports, #/ops); each view loads what it shows itself.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { createApi } from './api.ts';
import { clearToken, cognitoCallback, cognitoSignIn, devToken, loadConfig, storedToken, storeToken, type ConsoleConfig } from './auth.ts';
import { translator, type Lang } from './i18n.ts';
import { canRegister, decodeIdentity, inventoryReaders, isStaff, mayOpenInventory } from './logic.ts';
import type { InventoryConfig } from '../../functions/inventory/domain/period.ts';
import { html, RefusedContext, SavedContext, useHash } from './ui.ts';
import { Inventories } from './views/inventory.ts';
import { Ledger } from './views/ledger.ts';
import { MyWork } from './views/mywork.ts';
import { Ops } from './views/ops.ts';
import { ProjectPage } from './views/project.ts';
import { Register } from './views/register.ts';
import { Reports } from './views/reports.ts';

const DEFAULT_ROLE = 'committee_leader';
let reauthenticating = false;

function App({ config, initialToken }: { config: ConsoleConfig; initialToken?: string }) {
  const [token, setToken] = useState(initialToken);
  /** What went wrong in the shell itself (a role switch while the runtime is down). */
  const [shellError, setShellError] = useState<string | undefined>();
  const [lang, setLang] = useState<Lang>((localStorage.getItem('zoneflow.lang') as Lang | null) ?? 'zh');
  const t = useMemo(() => translator(lang), [lang]);
  const me = token ? decodeIdentity(token) : undefined;
  // An expired or refused token: sign in again (the hosted UI; locally a fresh dev token of the same role).
  const onUnauthorized = () => {
    // Once per page: an API that refuses every token must not bounce the browser between it and the sign-in page.
    if (reauthenticating) return;
    reauthenticating = true;
    clearToken();
    if (config.cognito) void cognitoSignIn(config.cognito);
    else if (config.devTokens && me?.roles[0]) pickRole(me.roles[0]).catch(() => undefined);
  };
  const api = useMemo(() => createApi(config.apiBase, () => token, onUnauthorized), [config.apiBase, token]);
  const hash = useHash();
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t.t('title');
    localStorage.setItem('zoneflow.lang', lang);
  }, [lang, t]);

  // Each role switch is numbered: on a slow link the token of a role chosen before may come after the one chosen
  // last, and it must not sign that role in (nor, refused, put the picker back on it).
  const picks = useRef(0);
  const pickRole = async (role: string) => {
    const mine = ++picks.current;
    setShellError(undefined);
    let next: string;
    try {
      next = await devToken(role);
    } catch (err) {
      if (mine !== picks.current) return;
      setShellError(`${t.t('roleSwitchFailed')}: ${(err as Error).message}`);
      throw err;
    }
    if (mine !== picks.current) return;
    storeToken(next);
    const url = new URL(location.href);
    url.searchParams.set('role', role);
    history.replaceState(null, '', url.toString());
    setToken(next);
  };
  const signOut = () => {
    clearToken();
    setToken(undefined);
  };

  // A write gone through is confirmed in one line (announced: role=status) until the next page or 15 seconds on — a
  // form closing was the only sign before.
  // A new object each time: the same form sent twice restarts the line's 15 seconds.
  const [saved, setSaved] = useState<{ what: string } | undefined>();
  // A write refused because the record moved on: said in the shell until the next page or the next write that goes
  // through (the form it came from may be gone once the page reloads).
  const [refused, setRefused] = useState<{ what: string; why: string } | undefined>();
  const onSaved = useMemo(
    () => (what: string) => {
      setRefused(undefined);
      setSaved({ what });
    },
    [],
  );
  const onRefused = useMemo(
    () => (what: string, why: string) => {
      setSaved(undefined);
      setRefused({ what, why });
    },
    [],
  );
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(undefined), 15_000);
    return () => clearTimeout(timer);
  }, [saved]);

  const staff = isStaff(me);
  // Who reads the inventories as the zone published it (config/inventory, readable by staff): the menu follows a
  // changed readers list; until it is read, the default. `menuRead`: the reading has answered (or failed: the default
  // stays) — until then the menu is busy (aria-busy), its 要素清单 link not yet settled.
  const [inventoryCfg, setInventoryCfg] = useState<InventoryConfig | undefined>();
  const [menuRead, setMenuRead] = useState<unknown>();
  useEffect(() => {
    let live = true;
    if (staff)
      api.get<{ doc: InventoryConfig }>('/config/inventory').then(
        (c) => live && (setInventoryCfg(c.doc), setMenuRead(api)),
        () => live && setMenuRead(api),
      );
    return () => {
      live = false;
    };
  }, [api, staff]);
  // Routes are `#/…`; any other hash (the skip link's #main, an anchor) is not a route.
  const path = (hash.startsWith('#/') ? hash.slice(1).split('?')[0] : '') || (staff ? '/ledger' : '/me');
  // #/projects/new is the registration form, not a project (no project id is `new`: ids are prj-…).
  const projectId = path === '/projects/new' ? undefined : /^\/projects\/([^/]+)$/.exec(path)?.[1];
  // Gone on the next page, and on a switch of language: they name the form in the language it was sent in (an English
  // page read ✓ Saved: 办结：预选址).
  useEffect(() => {
    setSaved(undefined);
    setRefused(undefined);
  }, [path, lang]);
  // How many of my notifications are unread (GET /me/notifications `unread`), read again on every page; 我的工作 counts
  // it down on 标为已读. Unknown (an API without it, or a failed read): not shown.
  const [unread, setUnread] = useState<number | undefined>();
  // Read again after each 标为已读: a reading asked before it and answered after (a slow link) counted that notice still
  // unread, and would have put it back — it is dropped for the newer one.
  const [countAgain, setCountAgain] = useState(0);
  useEffect(() => {
    let live = true;
    if (token && me)
      api.get<{ unread?: unknown }>('/me/notifications?limit=1').then(
        (r) => live && setUnread(typeof r.unread === 'number' ? r.unread : undefined),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [api, path, countAgain]);
  const nav = [
    ...(staff ? [['/ledger', t.t('ledger')]] : []),
    ['/me', staff ? t.t('myWork') : t.t('myProjects')],
    ...(mayOpenInventory(me, inventoryCfg) ? [['/inventory', t.t('inventories')]] : []),
    ...(staff ? [['/reports', t.t('reports')]] : []),
    ...(canRegister(me) ? [['/projects/new', t.t('register')]] : []),
    ...(me?.roles.includes('ops') ? [['/ops', t.t('ops')]] : []),
  ];
  let view;
  if (!token || !me) view = html`<p><button type="button" onClick=${() => config.cognito && void cognitoSignIn(config.cognito)}>${t.t('signIn')}</button></p>`;
  else if (projectId) view = html`<${ProjectPage} key=${`${projectId}:${token}`} api=${api} id=${decodeURIComponent(projectId)} me=${me} t=${t} />`;
  // An enterprise's ledger is its own projects: the same page as its work.
  else if (path === '/me' || (!staff && path === '/ledger')) view = html`<${MyWork} key=${token} api=${api} me=${me} t=${t} unread=${unread} onRead=${() => (setUnread((n) => (n === undefined ? n : Math.max(0, n - 1))), setCountAgain((n) => n + 1))} />`;
  else if (path === '/projects/new') view = canRegister(me) ? html`<${Register} key=${token} api=${api} me=${me} t=${t} />` : html`<p class="form-error" role="alert">${t.t('notAllowed')}</p>`;
  // The zone's inventories and reports are staff pages: an enterprise typing them is told so (the API would refuse).
  else if (path === '/inventory' || path === '/reports') {
    view = !staff
      ? html`<p class="form-error" role="alert">${t.t('notAllowed')}</p>`
      : path === '/inventory'
        ? html`<${Inventories} key=${token} api=${api} me=${me} t=${t} readers=${inventoryReaders(inventoryCfg)} />`
        : html`<${Reports} key=${token} api=${api} me=${me} t=${t} />`;
  }
  // Ops is for ops only (its resume button with it); other roles typing #/ops are told so.
  else if (path === '/ops') view = me.roles.includes('ops') ? html`<${Ops} key=${token} api=${api} t=${t} sub=${me.sub} />` : html`<p class="form-error" role="alert">${t.t('notAllowed')}</p>`;
  else view = html`<${Ledger} key=${token} api=${api} me=${me} t=${t} />`;

  // The skip link moves focus to the content; it must not become a route (#main is not one).
  const skip = (e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  return html`<a class="skip" href="#main" onClick=${skip}>${t.t('skip')}</a>
    <header class="top">
      <p class="brand">${t.t('title')}</p>
      <nav aria-label=${t.t('title')} aria-busy=${staff && menuRead !== api ? 'true' : undefined}>
        <ul>
          ${nav.map(([href, label]) =>
            // My work's link is described by my unread count, shown beside it (the link's name stays the page's).
            href === '/me' && unread
              ? html`<li><a href=${`#${href}`} aria-current=${path === href ? 'page' : undefined} aria-describedby="nav-unread">${label}</a> <span class="unread-badge" id="nav-unread" data-testid="nav-unread">${t.unread(unread)}</span></li>`
              : html`<li><a href=${`#${href}`} aria-current=${path === href ? 'page' : undefined}>${label}</a></li>`,
          )}
        </ul>
      </nav>
      <div class="who">
        ${config.devTokens
          ? html`<label for="role-picker">${t.t('devRole')}</label>
              <select
                id="role-picker"
                value=${me?.roles[0] ?? ''}
                onChange=${(e: Event) => {
                  const select = e.currentTarget as HTMLSelectElement;
                  // Refused (the runtime down): the message says so and the picker shows the role still signed in.
                  pickRole(select.value).catch(() => (select.value = me?.roles[0] ?? ''));
                }}
              >
                ${ROLES.map((r) => html`<option value=${r}>${t.role(r)}</option>`)}
              </select>`
          : me
            ? html`<span>${t.t('signedInAs')}${t.colon}${me.name}</span> <button type="button" onClick=${signOut}>${t.t('signOut')}</button>`
            : null}
        <button type="button" lang=${lang === 'zh' ? 'en' : 'zh-CN'} onClick=${() => setLang(lang === 'zh' ? 'en' : 'zh')}>${t.t('language')}</button>
      </div>
    </header>
    ${shellError ? html`<p class="form-error shell-error" role="alert">${shellError}</p>` : null}
    <main id="main" tabindex="-1">
      <p class="saved" role="status" data-testid="saved">${saved ? html`<span>✓ ${t.t('saved')}${saved.what ? `${t.colon}${saved.what}` : ''}</span>` : null}</p>
      ${refused
        ? html`<p class="form-error refused" role="alert" data-testid="refused">
            ${t.t('notSaved')}${refused.what ? `${t.colon}${refused.what}` : ''}${refused.why ? html` — <bdi>${refused.why}</bdi>` : null}
            <button type="button" class="dismiss" onClick=${() => setRefused(undefined)}>${t.t('dismiss')}</button>
          </p>`
        : null}
      <${SavedContext.Provider} value=${onSaved}><${RefusedContext.Provider} value=${onRefused}>${view}</${RefusedContext.Provider}></${SavedContext.Provider}>
    </main>`;
}

async function boot() {
  const root = document.getElementById('app')!;
  const config = await loadConfig();
  const params = new URLSearchParams(location.search);
  let token = storedToken();
  if (config.devTokens) {
    const role = params.get('role') ?? (token ? undefined : DEFAULT_ROLE);
    if (role) {
      token = await devToken(role);
      storeToken(token);
    }
  } else if (config.cognito) {
    const code = params.get('code');
    if (code) token = await cognitoCallback(config.cognito, code);
    else if (!token) return cognitoSignIn(config.cognito);
  }
  root.textContent = '';
  render(html`<${App} config=${config} initialToken=${token} />`, root);
}

boot().catch((err: Error) => {
  document.getElementById('app')!.textContent = `启动失败 / Failed to start: ${err.message}`;
});
