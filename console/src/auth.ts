// Signing in. Locally (config.devTokens) the page asks the local runtime for a dev role's token — a route only the local
// server has, answering only pages on localhost. On AWS: Cognito's hosted UI, authorization code with PKCE (a public
// client, no secret in the page); the API takes the ID token.
export interface ConsoleConfig {
  /** The API's base URL ('' locally: same origin). */
  readonly apiBase: string;
  readonly devTokens?: boolean;
  /** The hosted UI's domain (no scheme), the console's client, and the callback registered for it. */
  readonly cognito?: { readonly domain: string; readonly clientId: string; readonly redirectUri?: string };
}

const KEY = 'zoneflow.token';
const VERIFIER = 'zoneflow.pkce';

export const storedToken = () => sessionStorage.getItem(KEY) ?? undefined;
export const storeToken = (t: string) => sessionStorage.setItem(KEY, t);
export const clearToken = () => sessionStorage.removeItem(KEY);

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return (await res.json()) as ConsoleConfig;
}

/** A dev role's token from the local runtime (`/console/dev-token`). */
export async function devToken(role: string): Promise<string> {
  const res = await fetch(`dev-token?role=${encodeURIComponent(role)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`dev token for ${role}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The callback registered on the client (config.json); this page's own address when none is given. */
const redirectUri = (c?: ConsoleConfig['cognito']) => c?.redirectUri ?? `${location.origin}${location.pathname}`;
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Sends the browser to the hosted UI with a fresh PKCE verifier. */
export async function cognitoSignIn(c: NonNullable<ConsoleConfig['cognito']>): Promise<void> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(VERIFIER, verifier);
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const q = new URLSearchParams({ response_type: 'code', client_id: c.clientId, redirect_uri: redirectUri(c), scope: 'openid email profile', code_challenge_method: 'S256', code_challenge: challenge });
  location.assign(`https://${c.domain}/oauth2/authorize?${q.toString()}`);
}

/** Back from the hosted UI with ?code=: exchanges it for tokens and keeps the ID token. */
export async function cognitoCallback(c: NonNullable<ConsoleConfig['cognito']>, code: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: c.clientId, code, redirect_uri: redirectUri(c), code_verifier: sessionStorage.getItem(VERIFIER) ?? '' });
  const res = await fetch(`https://${c.domain}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  if (!res.ok) throw new Error(`sign-in failed: HTTP ${res.status}`);
  sessionStorage.removeItem(VERIFIER);
  const token = ((await res.json()) as { id_token: string }).id_token;
  storeToken(token);
  history.replaceState(null, '', redirectUri(c) + location.hash);
  return token;
}
