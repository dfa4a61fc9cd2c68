// The console's only way to the backend: the public HTTP API with the user's bearer token. Errors come back as the
// API's problem+json so forms can show them beside their fields.
export interface Problem {
  readonly status: number;
  /** The problem's type URI (`…/concurrent-change`: a lost race, retried as it is). */
  readonly type?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: { path?: string; message?: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  /**
   * `idempotencyKey`: the key of this submission (a retry of the same submission sends the same); a fresh one if none.
   * `ifMatch`: the version the user edited (If-Match; 0 for what does not exist yet): a stale one is the API's 412.
   * `headers`: given the answer's headers (what the API says beside the body, e.g. `x-projects-recomputing`).
   */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts?: SendOptions): Promise<T>;
  /**
   * Saves what `path` answers as a file (`accept`: the format asked for, e.g. a letter's printable page). Resolves with
   * the cursor of the next file when the answer names one (`X-Next-Cursor`: a ledger of more than 5,000 rows), or null.
   */
  download(path: string, filename: string, accept?: string): Promise<string | null>;
}

export interface SendOptions {
  readonly idempotencyKey?: string;
  readonly ifMatch?: number;
  readonly headers?: (headers: Headers) => void;
}

export function createApi(base: string, token: () => string | undefined, onUnauthorized: () => void): Api {
  async function call(method: string, path: string, body?: unknown, accept = 'application/json', idempotencyKey?: string, ifMatch?: number): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    // A retried submission sends the same write once: the API's Idempotency-Key, kept by the form across its retries
    // (useSubmit); a write without one gets its own.
    if (method !== 'GET') headers['idempotency-key'] = idempotencyKey ?? crypto.randomUUID();
    if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401) onUnauthorized();
    if (!res.ok) {
      const text = await res.text();
      let problem: Problem = { status: res.status, title: res.statusText };
      try {
        problem = { ...(JSON.parse(text) as Problem), status: res.status };
      } catch {
        // not problem+json (a proxy's page): keep the status line
      }
      throw new ApiError(problem);
    }
    return res;
  }
  return {
    async get<T>(path: string) {
      return (await (await call('GET', path)).json()) as T;
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts?: SendOptions) {
      const res = await call(method, path, body, 'application/json', opts?.idempotencyKey, opts?.ifMatch);
      opts?.headers?.(res.headers);
      const text = await res.text();
      return (text ? JSON.parse(text) : {}) as T;
    },
    async download(path: string, filename: string, accept = '*/*') {
      const res = await call('GET', path, undefined, accept);
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: filename });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return res.headers.get('x-next-cursor') || null;
    },
  };
}
