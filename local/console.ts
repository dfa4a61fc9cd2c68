// The console for the local runtime: bundles console/src with esbuild (at every `npm start` and in the browser test's
// setup; the bundle is never committed) and serves console/ under /console/. It also serves /console/dev-token, which
// hands a dev role's token to a page — only to a browser on this machine (loopback peer and a localhost Host header,
// so a page of another site cannot rebind its name to us). This file is local-only: no CDK construct serves it.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { CONSOLE_BUILD, CONSOLE_DIR, consoleCsp } from '../infra/console-assets.ts';

export const consoleDir = CONSOLE_DIR;
export const bundleFile = join(consoleDir, 'dist', 'app.js');

/** Builds console/dist/app.js (minified) and answers its size in bytes. */
export async function buildConsole(): Promise<number> {
  const result = await build({ ...CONSOLE_BUILD, outfile: bundleFile, metafile: true });
  return Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('app.js'))?.[1].bytes ?? 0;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };
const FILES: Record<string, string> = {
  '/console/': 'index.html',
  '/console/index.html': 'index.html',
  '/console/styles.css': 'styles.css',
  '/console/app.js': 'dist/app.js',
  '/console/app.js.map': 'dist/app.js.map',
};

/** A request from this machine to a localhost name: the only one that may receive a dev token. */
export function isLocalPage(req: Pick<IncomingMessage, 'headers' | 'socket'>): boolean {
  const peer = req.socket.remoteAddress ?? '';
  const loopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return loopback && (host === 'localhost' || host === '127.0.0.1' || host === '[::1]');
}

export interface ConsoleRoutes {
  /** Signs a dev token of the role. */
  readonly devToken: (role: Role) => Promise<string>;
}

/** Serves /console/…; false when the path is not the console's (the API routes it). */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, routes: ConsoleRoutes): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/console') {
    res.writeHead(308, { location: `/console/${url.search}` }).end();
    return true;
  }
  if (!url.pathname.startsWith('/console/')) return false;
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers }).end(req.method === 'HEAD' ? undefined : body);
  const problem = (status: number, title: string, detail: string, headers: Record<string, string> = {}) =>
    send(status, 'application/problem+json; charset=utf-8', JSON.stringify({ type: 'about:blank', title, status, detail }), headers);
  // Static files: read only, as CloudFront serves them on AWS (GET and HEAD).
  if (req.method !== 'GET' && req.method !== 'HEAD') return (problem(405, 'Method not allowed', `${req.method} is not allowed on the console's files`, { allow: 'GET, HEAD' }), true);
  if (url.pathname === '/console/config.json') return (send(200, 'application/json', JSON.stringify({ apiBase: '', devTokens: true })), true);
  if (url.pathname === '/console/dev-token') {
    const role = url.searchParams.get('role') as Role;
    if (!isLocalPage(req)) return (send(403, 'application/json', JSON.stringify({ error: 'dev tokens are for pages on localhost only' })), true);
    if (!ROLES.includes(role)) return (send(400, 'application/json', JSON.stringify({ error: `role must be one of ${ROLES.join(', ')}` })), true);
    return (send(200, 'application/json', JSON.stringify({ role, token: await routes.devToken(role) })), true);
  }
  const file = FILES[url.pathname];
  if (!file) return (problem(404, 'Not found', `${url.pathname} is not a file of the console`), true);
  try {
    // With the policy CloudFront sends on AWS (the API is this origin here).
    send(200, TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream', await readFile(join(consoleDir, file)), { 'content-security-policy': consoleCsp() });
  } catch {
    problem(503, 'Console not built', 'the console bundle is not built: npm start builds it');
  }
  return true;
}
