// What a channel sends: a notification as a group-robot message in its platform's format (DingTalk, WeCom and Feishu
// each have their own JSON, text or markdown/card, with the project, the item, its due date and a link), signed where
// the platform signs (DingTalk and Feishu: HMAC-SHA256 over the timestamp and the secret), and how each platform says
// a message was taken or refused; or as an e-mail. Pure: the timestamp and the HMAC function are arguments
// (notifications/signing.ts gives node:crypto's).
import type { Platform, RobotCredentials } from './channels.ts';

/** A notification as channels carry it: its wording and the facts a group message shows. */
export interface Message {
  /** The notification's id: the receiver's deduplication key (header X-Zoneflow-Notification). */
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly project?: { readonly id: string; readonly name: string; readonly park?: string };
  /** The task, gate or letter the notice is about. */
  readonly item?: string;
  readonly dueDate?: string;
  readonly createdAt: string;
}

export interface HttpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Red for what is overdue or escalated, orange for warnings, blue for the rest (Feishu card header colour). */
function severity(kind: string): 'red' | 'orange' | 'blue' {
  if (/overdue|stalled|failed|escalation\.raised|exit|exited/.test(kind)) return 'red';
  if (/yellow|handover|notice|provisional|stale|refresh_due/.test(kind)) return 'orange';
  return 'blue';
}

/**
 * What a user wrote (a project name, a letter's subject) is text, never markup: the characters that make links,
 * images, emphasis or HTML in DingTalk/WeCom markdown and Feishu lark_md become their full-width forms — natural in
 * Chinese text, inert in a group.
 */
export function inert(text: string): string {
  return text.replace(/[[\]()<>!*_`#~|]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/**
 * The platforms' size limits on a message's text, in UTF-8 bytes: WeCom markdown 4,096 and text 2,048; DingTalk and
 * Feishu take more, held to 4,000 here too (a group message that long is unread anyway). A longer body is cut, with
 * a note; title, facts and link stay.
 */
export const MAX_BYTES: Readonly<Record<Platform, Readonly<Record<'markdown' | 'text', number>>>> = {
  dingtalk: { markdown: 4000, text: 4000 },
  wecom: { markdown: 4096, text: 2048 },
  feishu: { markdown: 4000, text: 4000 },
};
const CUT = '…（内容过长，已截断，详见系统）';

/**
 * `render(body)` within `max` bytes: the body shortened until it fits — between characters: a cut that would halve an
 * emoji or a CJK character outside the BMP (two UTF-16 units) keeps neither half (a lone surrogate is a broken character,
 * or a refused JSON, on the robot's side).
 */
function fitted(render: (body: string) => string, body: string, max: number): string {
  let out = render(body);
  let keep = body.length;
  while (Buffer.byteLength(out, 'utf8') > max && keep > 0) {
    keep = Math.floor(keep * 0.8);
    if (keep > 0 && /[\uD800-\uDBFF]/.test(body[keep - 1]!)) keep -= 1;
    out = render(body.slice(0, keep) + CUT);
  }
  return out;
}

const linkOf = (m: Message, linkBase?: string) => (linkBase && m.project ? `${linkBase}${encodeURIComponent(m.project.id)}` : undefined);

/** The facts lines (项目, 事项, 期限) in the order officials read them. */
function facts(m: Message): string[] {
  return [
    ...(m.project ? [`项目：${m.project.name}${m.project.park ? `（${m.project.park}）` : ''}`] : []),
    ...(m.item ? [`事项：${m.item}`] : []),
    ...(m.dueDate ? [`期限：${m.dueDate}`] : []),
  ];
}

export function plainText(m: Message, linkBase?: string, body = m.body): string {
  const link = linkOf(m, linkBase);
  return [`【${m.title}】`, body, ...facts(m), ...(link ? [`详情：${link}`] : [])].join('\n');
}

function markdown(m: Message, linkBase: string | undefined, platform: 'dingtalk' | 'wecom', body = m.body): string {
  const link = linkOf(m, linkBase);
  const title = platform === 'wecom' && severity(m.kind) === 'red' ? `<font color="warning">${inert(m.title)}</font>` : inert(m.title);
  return [`### ${title}`, '', inert(body), '', ...facts(m).map((f) => `> ${inert(f)}`), ...(link ? ['', `[查看详情](${link})`] : [])].join('\n');
}

function feishuCard(m: Message, linkBase: string | undefined, body = m.body) {
  const link = linkOf(m, linkBase);
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: m.title }, template: severity(m.kind) },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: [inert(body), ...facts(m).map((f) => `**${inert(f).replace('：', '**：')}`)].join('\n') } },
        ...(link ? [{ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: '查看详情' }, url: link, type: 'primary' }] }] : []),
      ],
    },
  };
}

/** Base64 of HMAC-SHA256(key, message). */
export type Hmac = (key: string, message: string) => string;

/** DingTalk: sign = Base64(HMAC-SHA256(key = secret, `${timestamp ms}\n${secret}`)), sent URL-encoded as `&timestamp=&sign=`. */
export function dingtalkSign(secret: string, timestampMs: number, hmac: Hmac): string {
  return hmac(secret, `${timestampMs}\n${secret}`);
}

/** Feishu: sign = Base64(HMAC-SHA256(key = `${timestamp s}\n${secret}`, empty message)), sent in the body. */
export function feishuSign(secret: string, timestampSeconds: number, hmac: Hmac): string {
  return hmac(`${timestampSeconds}\n${secret}`, '');
}

/** The HTTP request a robot gets for a message: its platform's JSON, signed with the robot's secret when it has one. */
export function robotRequest(platform: Platform, format: 'markdown' | 'text', m: Message, creds: RobotCredentials, nowMs: number, hmac: Hmac, linkBase?: string): HttpRequest {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-zoneflow-notification': m.id };
  switch (platform) {
    case 'dingtalk': {
      const max = MAX_BYTES.dingtalk[format];
      const body =
        format === 'text'
          ? { msgtype: 'text', text: { content: fitted((b) => plainText(m, linkBase, b), m.body, max) } }
          : { msgtype: 'markdown', markdown: { title: inert(m.title), text: fitted((b) => markdown(m, linkBase, 'dingtalk', b), m.body, max) } };
      const url = creds.secret ? `${creds.url}${creds.url.includes('?') ? '&' : '?'}timestamp=${nowMs}&sign=${encodeURIComponent(dingtalkSign(creds.secret, nowMs, hmac))}` : creds.url;
      return { url, headers, body: JSON.stringify(body) };
    }
    case 'wecom': {
      const max = MAX_BYTES.wecom[format];
      const body =
        format === 'text'
          ? { msgtype: 'text', text: { content: fitted((b) => plainText(m, linkBase, b), m.body, max) } }
          : { msgtype: 'markdown', markdown: { content: fitted((b) => markdown(m, linkBase, 'wecom', b), m.body, max) } };
      return { url: creds.url, headers, body: JSON.stringify(body) };
    }
    case 'feishu': {
      const max = MAX_BYTES.feishu[format];
      const content =
        format === 'text'
          ? { msg_type: 'text', content: { text: fitted((b) => plainText(m, linkBase, b), m.body, max) } }
          : feishuCard(m, linkBase, fitted((b) => inert(b), m.body, max));
      const seconds = Math.floor(nowMs / 1000);
      const signature = creds.secret ? { timestamp: String(seconds), sign: feishuSign(creds.secret, seconds, hmac) } : {};
      return { url: creds.url, headers, body: JSON.stringify({ ...signature, ...content }) };
    }
  }
}

/** How a send ended: taken, or refused with a reason (every refusal is retried: a robot fixed by ops takes the backlog). */
export type SendOutcome =
  /** Taken; `unconfirmed`: sent but no answer came (not sent again). */
  | { readonly ok: true; readonly unconfirmed?: string }
  | { readonly ok: false; readonly error: string; readonly rateLimited?: boolean; /** No retry can help (the channel is gone). */ readonly permanent?: boolean };

/** The platforms' codes for "too many messages": the queue waits, nothing is dropped. */
const RATE_CODES: Readonly<Record<Platform, readonly number[]>> = { dingtalk: [130101], wecom: [45009], feishu: [11232] };

/** Reads a robot's answer: HTTP status, then the platform's own code in the JSON body (all three answer HTTP 200 to refusals). */
export function robotOutcome(platform: Platform, status: number, text: string): SendOutcome {
  if (status === 429) return { ok: false, error: 'HTTP 429', rateLimited: true };
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, error: `HTTP ${status} with a body that is not JSON` };
  }
  const code = platform === 'feishu' ? (body.code ?? body.StatusCode) : body.errcode;
  if (code === 0) return { ok: true };
  const message = String((platform === 'feishu' ? (body.msg ?? body.StatusMessage) : body.errmsg) ?? '').slice(0, 200);
  return { ok: false, error: `${platform} ${String(code)}: ${message}`, ...(RATE_CODES[platform].includes(Number(code)) ? { rateLimited: true } : {}) };
}

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The notification's id (a Message-ID header locally, an SES tag on AWS). */
  readonly id: string;
}

export function mailOf(m: Message, to: readonly string[], linkBase?: string): MailMessage {
  return { to, subject: `[zoneflow] ${m.title}`, text: `${plainText(m, linkBase)}\n\n— zoneflow 招商项目全流程管理`, id: m.id };
}
