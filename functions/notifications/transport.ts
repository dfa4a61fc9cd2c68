// How messages leave: an HTTPS POST to a robot's webhook (with a timeout: a hanging platform holds one attempt, not the
// queue), and e-mail through SES on AWS (MAIL_FROM: a verified identity) or, locally, as .eml files in MAIL_DIR — no
// cloud account needed. Nothing here logs a URL: webhook URLs are credentials.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpRequest, MailMessage } from './domain/messages.ts';
import { sendWithSes } from './mail-ses.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

export interface Transport {
  post(req: HttpRequest): Promise<HttpAnswer>;
  mail(m: MailMessage): Promise<void>;
}

const TIMEOUT_MS = 5_000;

/** The reason a request never got an answer, without its URL. */
function networkError(err: unknown): Error {
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new Error(`no answer within ${TIMEOUT_MS / 1000} s`);
  return new Error(`network error: ${e.cause?.code ?? e.name}`);
}

async function post(req: HttpRequest): Promise<HttpAnswer> {
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    return { status: res.status, text: (await res.text()).slice(0, 2000) };
  } catch (err) {
    throw networkError(err);
  }
}

/** RFC 2047 for a header with Chinese in it. */
const encodedWord = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

async function mail(m: MailMessage): Promise<void> {
  const dir = process.env.MAIL_DIR;
  if (dir) {
    await mkdir(dir, { recursive: true });
    const eml = [
      `Message-ID: <${m.id}@zoneflow.local>`,
      `Date: ${new Date().toUTCString()}`,
      'From: zoneflow <noreply@zoneflow.local>',
      `To: ${m.to.join(', ')}`,
      `Subject: ${encodedWord(m.subject)}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(m.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
    ].join('\r\n');
    await writeFile(join(dir, `${Date.now()}-${m.id}.eml`), eml);
    return;
  }
  const from = process.env.MAIL_FROM;
  if (!from) throw new Error('e-mail is not configured (deploy with the mailFrom context: a verified SES identity)');
  await sendWithSes(from, m);
}

export const transport: Transport = { post, mail };
