// Small shared pieces of the console: the html tag, data loading, forms that show problem+json beside their fields,
// the light badge.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { ApiError, type Api } from './api.ts';
import { problemToForm, projectLit, typedInEnglishOnly, raceLost, readPages, refusalDetail, shanghaiDate, shanghaiInstant, yuanText, type FormProblem } from './logic.ts';
import type { T } from './i18n.ts';

export { html };

/** The page's hash route (`#/ledger?light=red`), followed as it changes. */
export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export interface Loaded<D> {
  readonly data?: D;
  readonly error?: ApiError | Error;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs `load` on mount and whenever `deps` change; `reload()` runs it again without clearing what is shown. A failed
 * reload keeps the last data beside its error (a blip must not blank the page); the next success clears the error.
 */
export function useLoad<D>(load: () => Promise<D>, deps: readonly unknown[]): Loaded<D> {
  const [state, setState] = useState<{ data?: D; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const depsKey = useRef<unknown[]>(deps as unknown[]);
  useEffect(() => {
    let live = true;
    // New deps (another project): the old data is not this one's.
    const sameDeps = depsKey.current.length === deps.length && depsKey.current.every((d, i) => Object.is(d, deps[i]));
    depsKey.current = deps as unknown[];
    setState((s) => ({ ...(sameDeps ? s : {}), loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: useCallback(() => setTick((n) => n + 1), []) };
}

export interface Paged<I> {
  /** Every item of the pages read so far; undefined until the first page arrives (or when `quiet` swallowed a refusal). */
  readonly items?: I[];
  readonly error?: Error;
  readonly loading: boolean;
  /** The list goes on past what was read. */
  readonly hasMore: boolean;
  more(): void;
  reload(): void;
}

/**
 * A paged list (`{ items, nextCursor }`): the first page, and `more()` for the next. `all` follows `nextCursor` up to
 * `maxPages` pages per load (a project's own bounded lists); `appendOnly` (a timeline, oldest first, nothing removed)
 * reloads from its last page on rather than reading it all again. `quiet`: a refusal shows as no list, not an error.
 */
export function usePages<I>(
  pathOf: (cursor?: string) => string,
  deps: readonly unknown[],
  opts: { all?: boolean; maxPages?: number; appendOnly?: boolean; quiet?: boolean; get: <T>(path: string) => Promise<T> },
): Paged<I> {
  type Pg = { cursor?: string; items: I[] };
  const [state, setState] = useState<{ pages?: Pg[]; next?: string | null; error?: Error; loading: boolean }>({ loading: true });
  const current = useRef<{ pages?: Pg[]; next?: string | null }>({});
  const seq = useRef(0);
  // The list as the latest render asks for it: a reload called from an older render's closure (the project page's
  // readings 0.8, 2 and 4 s after an action) reads with today's path and reader, not the ones of the render it came from
  // — a list read only once the project had a report emptied itself again so.
  const latest = useRef({ pathOf, opts });
  latest.current = { pathOf, opts };
  const run = async (mode: 'reset' | 'reload' | 'more') => {
    const { pathOf, opts } = latest.current;
    const maxPages = opts.all ? (opts.maxPages ?? 10) : 1;
    // Nothing past what was read (or the list being read anew: another filter): a 更多 reads nothing, and leaves the read
    // under way to land — it took a sequence number once, and the new filter's list was dropped when it arrived.
    if (mode === 'more' && !current.current.next) return;
    const mine = ++seq.current;
    const had = current.current.pages ?? [];
    let keep: Pg[] = [];
    let cursor: string | undefined;
    if (mode === 'more') {
      keep = had;
      cursor = current.current.next ?? undefined;
    } else if (mode === 'reload' && opts.appendOnly && had.length) {
      keep = had.slice(0, -1);
      cursor = had.at(-1)!.cursor;
    }
    setState((s) => ({ ...(mode === 'reset' ? {} : s), loading: true }));
    try {
      const read = await readPages<I>((c) => opts.get(pathOf(c)), cursor, maxPages);
      const pages = [...keep, ...read.pages];
      const next = read.next;
      if (mine !== seq.current) return;
      current.current = { pages, next };
      setState({ pages, next, loading: false });
    } catch (err) {
      if (mine !== seq.current) return;
      if (opts.quiet) return setState((s) => ({ ...s, loading: false }));
      setState((s) => ({ ...s, error: err as Error, loading: false }));
    }
  };
  useEffect(() => {
    current.current = {};
    void run('reset');
    return () => {
      seq.current++;
    };
  }, deps);
  return {
    items: state.pages?.flatMap((p) => p.items),
    error: state.error,
    loading: state.loading,
    hasMore: !!state.next,
    more: () => void run('more'),
    reload: () => void run('reload'),
  };
}

/** The button that reads the next page of a list, while there is one. */
export const More = ({ list, t, label }: { list: Paged<unknown>; t: T; label?: string }) =>
  list.hasMore ? html`<p><button type="button" class="more" disabled=${list.loading} onClick=${() => list.more()}>${label ?? t.t('more')}</button></p>` : null;

/** What a refused write (409, 412: the record moved on) reloads: the project page provides its reload. */
export const RefreshContext = createContext<(() => void) | undefined>(undefined);
/** Tells the shell a write went through (`what`: the form's name), for its confirmation line 已提交. */
export const SavedContext = createContext<((what: string) => void) | undefined>(undefined);
/**
 * Tells the shell a write was refused because the record moved on (409, 412: `what` the form's name, `why` the refusal):
 * the page reloads, and a form shown only in the old state (an exit decision at L5, a letter not yet acknowledged) goes
 * with its message — the shell's line 未提交 says what happened.
 */
export const RefusedContext = createContext<((what: string, why: string) => void) | undefined>(undefined);

/**
 * A button's write on one of many targets (a project's resume, a channel's retry), sent with one Idempotency-Key per
 * target until it goes through: a second click while the first is unanswered (or whose answer was lost) acts once.
 * `run(target, key)`; the key is forgotten once it resolves.
 */
export function useKeyedWrite<R>(run: (target: string, idempotencyKey: string) => Promise<R>): (target: string) => Promise<R> {
  const keys = useRef(new Map<string, string>());
  return async (target) => {
    const key = keys.current.get(target) ?? crypto.randomUUID();
    keys.current.set(target, key);
    const result = await run(target, key);
    keys.current.delete(target);
    return result;
  };
}

/** What a form's `run` resolves to when the values typed stay in the form (useSubmit). */
export const KEEP_VALUES = Symbol('keep the values');

/**
 * A form's submission: busy while the call runs, the API's problem mapped onto `fields`. `run` gets the submission's
 * Idempotency-Key: the same while the user retries the same values (a write that went through but whose answer was
 * lost is not made twice), a new one once they change or the write succeeded. `check` refuses values before any call
 * (field messages). After a refusal of the record's state (409, 412) the page around it is reloaded. A form is emptied
 * once `run` succeeds, unless it resolves to KEEP_VALUES (work left to do with the same values: submitted again, they go on).
 */
export function useSubmit(
  fields: readonly string[],
  run: (values: Record<string, string>, idempotencyKey: string) => Promise<unknown>,
  done: () => void,
  check?: (values: Record<string, string>) => FormProblem | undefined,
) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | undefined>();
  const attempt = useRef<{ values: string; key: string } | undefined>(undefined);
  const refresh = useContext(RefreshContext);
  const saved = useContext(SavedContext);
  const refusedBy = useContext(RefusedContext);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const values = Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
    const refused = check?.(values);
    if (refused) return setProblem(refused);
    const signature = JSON.stringify(values);
    if (attempt.current?.values !== signature) attempt.current = { values: signature, key: crypto.randomUUID() };
    setBusy(true);
    setProblem(undefined);
    try {
      const kept = (await run(values, attempt.current.key)) === KEEP_VALUES;
      attempt.current = undefined;
      const what = form.getAttribute('aria-label') ?? '';
      if (!kept) form.reset();
      done();
      saved?.(what);
    } catch (err) {
      // Field messages in the page's language (the shell sets it on <html lang>).
      const lang = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
      const shown = err instanceof ApiError ? problemToForm(err.problem, fields, lang) : { fields: {}, general: (err as Error).message };
      setProblem(shown);
      // The key went with another body before (422): this one was never written, and sent again it needs a key of its
      // own (the same key would be refused again however often the user submits).
      if (err instanceof ApiError && err.problem.type?.endsWith('/idempotency-key-reused')) attempt.current = undefined;
      if (err instanceof ApiError && (err.problem.status === 409 || err.problem.status === 412)) {
        refusedBy?.(form.getAttribute('aria-label') ?? '', shown.general ?? Object.values(shown.fields).join('; '));
        refresh?.();
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, onSubmit };
}

let fieldSeq = 0;
/** A labelled input; the API's message for it is announced and tied to it (aria-describedby). */
export function Field(props: { name: string; label: string; problem?: FormProblem; type?: string; multiline?: boolean | number; value?: string; children?: ComponentChildren; min?: number; max?: number; list?: string; onChange?: (e: Event) => void }) {
  const [id] = useState(() => `f${++fieldSeq}-${props.name}`);
  const error = props.problem?.fields[props.name];
  const common = { id, name: props.name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? `${id}-err` : undefined, onChange: props.onChange };
  const control = props.children
    ? html`<select ...${common}>${props.children}</select>`
    : props.multiline
      ? html`<textarea ...${common} rows=${typeof props.multiline === 'number' ? props.multiline : 2}>${props.value ?? ''}</textarea>`
      : // The value as the field opens (a record's, a suggestion): what the user types stays through the form's re-renders
        // (a refusal shown beside a field re-renders the form; a controlled value would put the old one back).
        html`<input ...${common} type=${props.type ?? 'text'} defaultValue=${props.value} min=${props.min} max=${props.max} list=${props.list} />`;
  return html`<div class="field">
    <label for=${id}>${props.label}</label>
    ${control}
    ${error ? html`<p class="field-error" id=${`${id}-err`} role="alert">${error}</p>` : null}
  </div>`;
}

/**
 * Escape closes a form that opened on demand, as its 取消 does, and the focus goes back to what opened it: the element
 * `back` names (a selector), else the first button where the form was.
 */
export function closeOnEscape(close: () => void, back?: string) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    const host = (e.currentTarget as HTMLElement).parentElement;
    close();
    setTimeout(() => (back ? document.querySelector<HTMLElement>(back) : host?.querySelector<HTMLElement>('button'))?.focus());
  };
}

/** A column of a list in a form: its key in each row, its label, and a select's options or an input's type. */
export interface RowColumn {
  readonly key: string;
  readonly label: string;
  readonly type?: string;
  readonly options?: readonly (readonly [string, string])[];
}

/**
 * A list in a form (容缺 documents, meeting follow-ups): `count` rows of fields named `list[i].key`, so the API's
 * `list[i].key` message appears beside the field it concerns; rows are added and removed with buttons. A choice starts
 * on `choose` (请选择): nothing is chosen for the user.
 */
export function Rows(props: { list: string; legend: string; columns: readonly RowColumn[]; count: number; setCount: (n: number) => void; problem?: FormProblem; add: string; remove: string; choose: string }) {
  const { list, columns, count, setCount, problem } = props;
  return html`<fieldset class="rows" data-list=${list}>
    <legend>${props.legend}</legend>
    ${Array.from({ length: count }, (_, i) => html`<div class="row" data-row=${i}>
      ${columns.map((c) =>
        c.options
          ? html`<${Field} name=${`${list}[${i}].${c.key}`} label=${`${c.label} ${i + 1}`} problem=${problem}>
              <option value="">${props.choose}</option>
              ${c.options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
            </${Field}>`
          : html`<${Field} name=${`${list}[${i}].${c.key}`} label=${`${c.label} ${i + 1}`} type=${c.type} problem=${problem} />`,
      )}
      ${i === count - 1 ? html`<button type="button" onClick=${() => setCount(count - 1)}>${props.remove}</button>` : null}
    </div>`)}
    <button type="button" onClick=${() => setCount(count + 1)}>${props.add}</button>
  </fieldset>`;
}

/** A park of the zone as GET /config/parks lists it (its name is the code the API takes; `nameEn` for the English page). */
export interface Park {
  readonly name: string;
  readonly nameEn?: string;
}
const parksRead = new WeakMap<Api, Promise<Park[] | undefined>>();

/**
 * The zone's parks (GET /config/parks), read once per signed-in API (`wanted`: read at all); undefined until read, or
 * when it cannot be (an enterprise reads no configuration).
 */
export function useParks(api: Api, wanted = true): Park[] | undefined {
  const [parks, setParks] = useState<Park[] | undefined>();
  useEffect(() => {
    let live = true;
    if (!wanted) return;
    let read = parksRead.get(api);
    if (!read) parksRead.set(api, (read = api.get<{ doc: { parks: Park[] } }>('/config/parks').then((c) => c.doc.parks, () => undefined)));
    void read.then((p) => live && setParks(p));
    return () => {
      live = false;
    };
  }, [api, wanted]);
  return parks;
}

/**
 * A park's name as the page's language says it: the zone's name (the API's code for it) in Chinese, its `nameEn` on the
 * English page (the name itself when the zone gave none, or the list cannot be read).
 */
export function useParkName(api: Api, t: T, wanted = true): (name: string | undefined) => string {
  // (`wanted`: false for a reader of no configuration, an enterprise, whose GET /config/parks is a 403.)
  const parks = useParks(api, wanted && t.lang === 'en');
  return (name) => (name === undefined ? '' : t.lang === 'en' ? (parks?.find((p) => p.name === name)?.nameEn ?? name) : name);
}

/**
 * The zone's parks (GET /config/parks) offered to a park field as a datalist: the field stays free to type (a record's
 * park), and the API says which parks a write may name. Nothing is offered when the list cannot be read.
 */
export function ParkOptions({ api, id, t }: { api: Api; id: string; t: T }) {
  const parks = useParks(api);
  return html`<datalist id=${id}>${(parks ?? []).map((p) => html`<option value=${p.name}>${t.lang === 'en' ? (p.nameEn ?? '') : ''}</option>`)}</datalist>`;
}

/** The names read so far, per signed-in API (a new token reads again): each project read once, a refusal as undefined. */
const namesRead = new WeakMap<Api, Map<string, Promise<string | undefined>>>();

/**
 * Projects' names by id, for lists whose records name a project by id only (my tasks, an inventory record's holder, the
 * audit): each project read once (GET /projects/{id}, as the reader may read it). An id not read yet, or not readable,
 * is not in the map.
 */
export function useProjectNames(api: Api, ids: readonly string[]): ReadonlyMap<string, string> {
  const key = [...new Set(ids)].sort().join(' ');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    let cache = namesRead.get(api);
    if (!cache) namesRead.set(api, (cache = new Map()));
    const wanted = key ? key.split(' ') : [];
    const read = wanted.map((id) => {
      let name = cache.get(id);
      if (!name) cache.set(id, (name = api.get<{ name?: string }>(`/projects/${encodeURIComponent(id)}`).then((p) => p.name, () => undefined)));
      return name.then((n) => [id, n] as const);
    });
    void Promise.all(read).then((pairs) => live && setNames(new Map(pairs.filter((p): p is readonly [string, string] => typeof p[1] === 'string'))));
    return () => {
      live = false;
    };
  }, [api, key]);
  return names;
}

/** A link to a project by its name (its id until the name is read, or when the reader may not read it). */
export const ProjectLink = ({ id, names }: { id: string; names: ReadonlyMap<string, string> }) =>
  html`<a href=${`#/projects/${encodeURIComponent(id)}`} data-project-link=${id}><bdi>${names.get(id) ?? id}</bdi></a>`;

/**
 * A name a user typed (a task, an agreed item, a commitment): as typed; on the Chinese page one recorded in English only
 * is marked so (仅录英文，照录原文), lang="en" for screen readers — the reader knows it is the record's own words, not a
 * page left untranslated.
 */
export const Typed = ({ text, t }: { text: string; t: T }) =>
  typedInEnglishOnly(text, t.lang)
    ? html`<bdi lang="en">${text}</bdi><span class="hint nowrap" data-as-typed title=${t.t('asTypedHint')}>${t.open}${t.t('asTyped')}${t.close}</span>`
    : html`<bdi>${text}</bdi>`;

export const FormError = ({ problem }: { problem?: FormProblem }) => (problem?.general ? html`<p class="form-error" role="alert">${problem.general}</p>` : null);

/**
 * A project's or task's light. `status`: a project's — one that has ended (exited, completed, rejected) has no live
 * light to show, only its end (the API's green there means nothing is open).
 */
export const Light = ({ light, t, status }: { light: string; t: T; status?: string }) =>
  !projectLit(status) ? html`<span class="light light-none" data-light="none">—</span>` : html`<span class="light light-${light}" data-light=${light}><span class="dot" aria-hidden="true"></span>${t.light(light)}</span>`;

export function Failure({ error, t }: { error?: Error; t: T }) {
  if (!error) return null;
  const status = error instanceof ApiError ? error.problem.status : 0;
  // A write that lost its race to others (409 concurrent-change): nothing went wrong that a second click does not cure.
  const raced = error instanceof ApiError ? raceLost(error.problem, t.lang) : undefined;
  if (raced) return html`<p class="form-error" role="alert">${raced}</p>`;
  // A refusal the page can say whole in its language (not 不存在或无权查看: No project …).
  const said = error instanceof ApiError ? refusalDetail(error.problem, t.lang) : undefined;
  if (said) return html`<p class="form-error" role="alert">${said}</p>`;
  // A 404 is also what a record the reader may not see answers (its existence is not told): both said.
  return html`<p class="form-error" role="alert">${status === 403 ? t.t('notAllowed') : status === 404 ? t.t('notFoundOrNotAllowed') : t.t('error')}${t.colon}${error.message}</p>`;
}

/**
 * Today on the business clock (Asia/Shanghai date), which may run apart from the browser's: GET /health names it
 * (`today`, public). The browser's Shanghai date when it cannot be read.
 */
export function businessToday(api: Api): Promise<string> {
  return api.get<{ today?: string }>('/health').then(
    (r) => (typeof r.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.today) ? r.today : shanghaiDate(new Date().toISOString())),
    () => shanghaiDate(new Date().toISOString()),
  );
}

export const Loading = ({ t }: { t: T }) => html`<p aria-busy="true">${t.t('loading')}</p>`;

/** Dates and times as the zone reads them (Asia/Shanghai): the API answers instants in UTC. */
export const date = shanghaiDate;
export const instant = shanghaiInstant;
export const yuan = yuanText;
