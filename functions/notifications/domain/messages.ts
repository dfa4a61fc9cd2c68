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

const linkOf = (m: Message, linkBase?: string) => (linkBase && m.project ? `${linkBase}${encodeURIComponent(m.project.id)}` : undefined);

/** The facts lines (项目, 事项, 期限) in the order officials read them. */
function facts(m: Message): string[] {
  return [
    ...(m.project ? [`项目：${m.project.name}${m.project.park ? `（${m.project.park}）` : ''}`] : []),
    ...(m.item ? [`事项：${m.item}`] : []),
    ...(m.dueDate ? [`期限：${m.dueDate}`] : []),
  ];
}

export function plainText(m: Message, linkBase?: string): string {
  const link = linkOf(m, linkBase);
  return [`【${m.title}】`, m.body, ...facts(m), ...(link ? [`详情：${link}`] : [])].join('\n');
}

function markdown(m: Message, linkBase: string | undefined, platform: 'dingtalk' | 'wecom'): string {
  const link = linkOf(m, linkBase);
  const title = platform === 'wecom' && severity(m.kind) === 'red' ? `<font color="warning">${m.title}</font>` : m.title;
  return [`### ${title}`, '', m.body, '', ...facts(m).map((f) => `> ${f}`), ...(link ? ['', `[查看详情](${link})`] : [])].join('\n');
}

function feishuCard(m: Message, linkBase: string | undefined) {
  const link = linkOf(m, linkBase);
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: m.title }, template: severity(m.kind) },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: [m.body, ...facts(m).map((f) => `**${f.replace('：', '**：')}`)].join('\n') } },
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
      const body = format === 'text' ? { msgtype: 'text', text: { content: plainText(m, linkBase) } } : { msgtype: 'markdown', markdown: { title: m.title, text: markdown(m, linkBase, 'dingtalk') } };
      const url = creds.secret ? `${creds.url}${creds.url.includes('?') ? '&' : '?'}timestamp=${nowMs}&sign=${encodeURIComponent(dingtalkSign(creds.secret, nowMs, hmac))}` : creds.url;
      return { url, headers, body: JSON.stringify(body) };
    }
    case 'wecom': {
      const body = format === 'text' ? { msgtype: 'text', text: { content: plainText(m, linkBase) } } : { msgtype: 'markdown', markdown: { content: markdown(m, linkBase, 'wecom') } };
      return { url: creds.url, headers, body: JSON.stringify(body) };
    }
    case 'feishu': {
      const content = format === 'text' ? { msg_type: 'text', content: { text: plainText(m, linkBase) } } : feishuCard(m, linkBase);
      const seconds = Math.floor(nowMs / 1000);
      const signature = creds.secret ? { timestamp: String(seconds), sign: feishuSign(creds.secret, seconds, hmac) } : {};
      return { url: creds.url, headers, body: JSON.stringify({ ...signature, ...content }) };
    }
  }
}

/** How a send ended: taken, or refused with a reason (every refusal is retried: a robot fixed by ops takes the backlog). */
export type SendOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly rateLimited?: boolean; /** No retry can help (the channel is gone). */ readonly permanent?: boolean };

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
