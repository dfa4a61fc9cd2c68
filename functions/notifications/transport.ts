// How messages leave: an HTTPS POST to a robot's webhook (with a timeout: a hanging platform holds one attempt, not the
// queue, and a send whose answer never came is not sent again), and e-mail through SES on AWS (MAIL_FROM: a verified identity) or, locally, as .eml files in MAIL_DIR — no
// cloud account needed. Nothing here logs a URL: webhook URLs are credentials.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { clock } from '#kernel/runtime/clock.ts';
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

/** A platform answers in well under a second; this long without an answer means something is wrong. */
const timeoutMs = () => Number(process.env.ZONEFLOW_ROBOT_TIMEOUT_MS) || 10_000;

/**
 * Sent, but no answer came: the platform may have taken the message. The dispatcher does not send it again (a
 * second copy in a government work group is the worse error) and marks the delivery unconfirmed.
 */
export class UnknownOutcome extends Error {
  override name = 'UnknownOutcome';
}

/** Not sent: safe to send again. */
class NotSent extends Error {
  override name = 'NotSent';
}

/** The reason a request got no answer, without its URL. */
function networkError(err: unknown): Error {
  const e = err as Error & { code?: string };
  return new NotSent(`network error: ${e.code ?? e.name}`);
}

/**
 * A POST by node:http(s): no redirect is followed (a webhook that redirects is refused, it is not followed to
 * another host), and a timeout is told apart by whether the request had been sent — before, it is safe to retry;
 * after, the outcome is unknown.
 */
function post(req: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const body = Buffer.from(req.body, 'utf8');
    const call = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers: { ...req.headers, 'content-length': String(body.length) } });
    let sent = false;
    call.on('finish', () => (sent = true));
    const limit = timeoutMs();
    const timer = setTimeout(() => {
      call.destroy(sent ? new UnknownOutcome(`no answer within ${limit / 1000} s after sending`) : new NotSent(`could not send within ${limit / 1000} s`));
    }, limit);
    call.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 4000) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 2000) });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(new UnknownOutcome(`the answer broke off: ${(err as Error & { code?: string }).code ?? err.name}`));
      });
    });
    call.on('error', (err) => {
      clearTimeout(timer);
      if (err instanceof UnknownOutcome || err instanceof NotSent) reject(err);
      else reject(sent ? new UnknownOutcome(`connection lost after sending: ${(err as Error & { code?: string }).code ?? err.name}`) : networkError(err));
    });
    call.end(body);
  });
}

/** RFC 2047 for a header with Chinese in it. */
const encodedWord = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

async function mail(m: MailMessage): Promise<void> {
  const dir = process.env.MAIL_DIR;
  if (dir) {
    await mkdir(dir, { recursive: true });
    // A Message-ID of its own: one notice mailed by two lists is two messages.
    const unique = randomUUID().slice(0, 8);
    const eml = [
      `Message-ID: <${m.id}.${unique}@zoneflow.local>`,
      // Business time, as the delivery's `at` (a local runtime's clock may run fast or start elsewhere).
      `Date: ${clock.now().toUTCString()}`,
      'From: zoneflow <noreply@zoneflow.local>',
      `To: ${m.to.join(', ')}`,
      `Subject: ${encodedWord(m.subject)}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(m.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
    ].join('\r\n');
    // One notice mailed by two lists in the same millisecond is two files: a name of its own each, never overwritten.
    await writeFile(join(dir, `${Date.now()}-${m.id}-${unique}.eml`), eml, { flag: 'wx' });
    return;
  }
  const from = process.env.MAIL_FROM;
  if (!from) throw new Error('e-mail is not configured (deploy with the mailFrom context: a verified SES identity)');
  await sendWithSes(from, m);
}

export const transport: Transport = { post, mail };
