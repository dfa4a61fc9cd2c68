// A local stand-in for the group robots (DingTalk, WeCom, Feishu): an HTTP server that takes their webhook calls,
// checks the signature when it knows the secret, answers in each platform's format, prints what arrives, and can
// fail on purpose (the first N calls, or while "down") — to watch zoneflow's delivery retry, queue and keep order.
// A notice delivered again (the product delivers at least once: a crash between the platform's ok and its commit
// sends it again) is answered ok and dropped by its `X-Zoneflow-Notification` id, as a receiver of our own should.
//
//   npm run receiver -- [--port 3999] [--secret SEC…] [--fail 3]
//
// Robot URLs: http://localhost:3999/dingtalk?access_token=demo · /wecom?key=demo · /feishu/demo. GET /messages lists
// what arrived (JSON); POST /down and POST /up switch failing on and off.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

export type Platform = 'dingtalk' | 'wecom' | 'feishu';

export interface Received {
  readonly platform: Platform;
  readonly at: number;
  readonly notification: string | undefined;
  readonly body: Record<string, unknown>;
  /** The text a reader sees (markdown or plain). */
  readonly text: string;
  readonly signed: boolean;
}

export interface ReceiverOptions {
  readonly port?: number;
  /** Signing secret: DingTalk and Feishu calls must then carry a valid signature. */
  readonly secret?: string;
  /** Fail the first N calls (HTTP 500). */
  readonly failFirst?: number;
  readonly log?: (line: string) => void;
}

export interface Receiver {
  readonly url: string;
  /** Calls taken (answered ok), in arrival order. */
  readonly received: Received[];
  /** Calls refused (down, failing on purpose, bad signature). */
  readonly refused: { readonly at: number; readonly notification: string | undefined; readonly reason: string }[];
  /** Calls answered ok but dropped: a notification id already received (delivered again after a crash). */
  readonly duplicates: { readonly at: number; readonly notification: string }[];
  down: boolean;
  close(): Promise<void>;
}

const sign = (key: string, message: string) => createHmac('sha256', key).update(message).digest('base64');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function textOf(platform: Platform, body: Record<string, unknown>): string {
  const b = body as { msgtype?: string; msg_type?: string; text?: { content?: string }; markdown?: { text?: string; content?: string }; content?: { text?: string }; card?: unknown };
  if (platform === 'feishu') return b.msg_type === 'text' ? (b.content?.text ?? '') : JSON.stringify(b.card);
  return b.msgtype === 'text' ? (b.text?.content ?? '') : (b.markdown?.text ?? b.markdown?.content ?? '');
}

/** Checks a signed call; returns the reason it is refused, or undefined. */
function signatureProblem(platform: Platform, url: URL, body: Record<string, unknown>, secret: string | undefined): string | undefined {
  if (!secret || platform === 'wecom') return undefined;
  if (platform === 'dingtalk') {
    const ts = url.searchParams.get('timestamp') ?? '';
    const got = url.searchParams.get('sign') ?? '';
    if (!ts || Math.abs(Date.now() - Number(ts)) > 3_600_000) return 'timestamp missing or more than an hour off';
    return same(got, sign(secret, `${ts}\n${secret}`)) ? undefined : 'sign not match';
  }
  const ts = String(body.timestamp ?? '');
  if (!ts || Math.abs(Date.now() / 1000 - Number(ts)) > 3600) return 'timestamp missing or more than an hour off';
  return same(String(body.sign ?? ''), sign(`${ts}\n${secret}`, '')) ? undefined : 'sign match fail';
}

/** The platform's "ok" and "refused" answers. */
function answer(platform: Platform, ok: boolean, reason = ''): { status: number; body: unknown } {
  if (platform === 'feishu') return { status: 200, body: ok ? { code: 0, msg: 'success', data: {} } : { code: 19021, msg: reason } };
  return { status: 200, body: ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: reason } };
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  const refused: Receiver['refused'] = [];
  const duplicates: Receiver['duplicates'] = [];
  const seen = new Set<string>();
  let failures = options.failFirst ?? 0;
  const log = options.log ?? (() => undefined);
  const state = { down: false };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && url.pathname === '/messages') return send(200, { received, refused, duplicates });
      if (req.method === 'POST' && (url.pathname === '/down' || url.pathname === '/up')) {
        state.down = url.pathname === '/down';
        log(state.down ? 'receiver is down: every call fails' : 'receiver is up');
        return send(200, { down: state.down });
      }
      const platform = (['dingtalk', 'wecom', 'feishu'] as const).find((p) => url.pathname === `/${p}` || url.pathname.startsWith(`/${p}/`));
      if (req.method !== 'POST' || !platform) return send(404, { error: 'POST /dingtalk, /wecom or /feishu/<hook>' });
      const notification = req.headers['x-zoneflow-notification'] as string | undefined;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(400, { error: 'not JSON' });
      }
      if (state.down || failures > 0) {
        const reason = state.down ? 'down' : `failing on purpose (${failures} more)`;
        if (!state.down) failures -= 1;
        refused.push({ at: Date.now(), notification, reason });
        log(`✗ ${platform} ${notification ?? ''}: ${reason}`);
        return send(500, { error: reason });
      }
      const problem = signatureProblem(platform, url, body, options.secret);
      if (problem) {
        refused.push({ at: Date.now(), notification, reason: problem });
        log(`✗ ${platform} ${notification ?? ''}: ${problem}`);
        const a = answer(platform, false, problem);
        return send(a.status, a.body);
      }
      // Per robot (one receiver may stand in for several groups, each told the same notice once).
      const once = notification === undefined ? undefined : `${url.pathname}?${url.searchParams.get('access_token') ?? url.searchParams.get('key') ?? ''}#${notification}`;
      if (once !== undefined && seen.has(once)) {
        duplicates.push({ at: Date.now(), notification: notification! });
        log(`= ${platform} ${notification}: delivered again, dropped`);
        const a = answer(platform, true);
        return send(a.status, a.body);
      }
      if (once !== undefined) seen.add(once);
      const text = textOf(platform, body);
      received.push({ platform, at: Date.now(), notification, body, text, signed: Boolean(options.secret) && platform !== 'wecom' });
      log(`✓ ${platform} ${new Date().toISOString()} ${notification ?? ''}\n${text}\n`);
      const a = answer(platform, true);
      return send(a.status, a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    refused,
    duplicates,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const USAGE = 'usage: npm run receiver -- [--port 3999] [--secret SEC] [--fail N]\n  --port    where it listens (default 3999)\n  --secret  a robot\'s signing secret: its calls are checked against it\n  --fail    fail the first N calls (HTTP 500), then answer ok';
  let parsed;
  try {
    parsed = parseArgs({ options: { port: { type: 'string', default: '3999' }, secret: { type: 'string' }, fail: { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    console.error(`npm run receiver: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  for (const [name, value] of [['port', values.port], ['fail', values.fail]] as const) {
    if (!/^\d+$/.test(value)) {
      console.error(`npm run receiver: --${name} takes a whole number, not ${value}\n${USAGE}`);
      process.exit(2);
    }
  }
  const receiver = await startReceiver({ port: Number(values.port), secret: values.secret, failFirst: Number(values.fail), log: (l) => console.log(l) });
  console.log(`robot receiver on ${receiver.url.replace('127.0.0.1', 'localhost')}`);
  console.log(`  DingTalk: ${receiver.url}/dingtalk?access_token=demo   WeCom: ${receiver.url}/wecom?key=demo   Feishu: ${receiver.url}/feishu/demo`);
  console.log('  GET /messages lists what arrived (and the duplicates dropped); POST /down and /up make it fail and recover. Ctrl-C stops it.');
}
