// Notification channels 通知渠道: the group robots (DingTalk 钉钉, WeCom 企业微信, Feishu 飞书) and e-mail lists a
// zone's notices go to besides the in-app inbox, and the routing rule that picks them. Pure: the configuration as ops
// send it (with credentials), as it is stored (credentials replaced by a reference to the secret store), as it is shown
// (no credentials at all), and which channels a notification goes to.
import type { Role } from '#kernel/domain/codes.ts';
import { repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { NOTICE_KINDS } from './notices.ts';

export const PLATFORMS = ['dingtalk', 'wecom', 'feishu'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A rate window: at most `messages` sends in any `seconds`. */
export interface RateLimit {
  readonly messages: number;
  readonly seconds: number;
}

/**
 * The platforms' published limits for a custom group robot: DingTalk and WeCom 20 messages a minute; Feishu 100 a
 * minute and 5 a second. E-mail goes through SES, whose account default is a few a second.
 */
export const DEFAULT_LIMITS: Readonly<Record<Platform | 'email', readonly RateLimit[]>> = {
  dingtalk: [{ messages: 20, seconds: 60 }],
  wecom: [{ messages: 20, seconds: 60 }],
  feishu: [
    { messages: 5, seconds: 1 },
    { messages: 100, seconds: 60 },
  ],
  email: [{ messages: 5, seconds: 1 }],
};

/** The host each platform's robot webhooks live on (a webhook elsewhere is refused, unless the deployment allows the host). */
export const PLATFORM_HOSTS: Readonly<Record<Platform, readonly string[]>> = {
  dingtalk: ['oapi.dingtalk.com'],
  wecom: ['qyapi.weixin.qq.com'],
  feishu: ['open.feishu.cn', 'open.larksuite.com'],
};

/**
 * Where a platform's robot webhook carries the robot's token, without which the platform refuses every message:
 * DingTalk's `access_token` and WeCom's `key` query parameters, Feishu's path after `/hook/`. Checked when a robot is
 * saved on its platform's host (a host the deployment adds lays its URLs out its own way).
 */
export const PLATFORM_TOKEN: Readonly<Record<Platform, { readonly query: string } | { readonly pathPrefix: string }>> = {
  dingtalk: { query: 'access_token' },
  wecom: { query: 'key' },
  feishu: { pathPrefix: '/open-apis/bot/v2/hook/' },
};

/** Why the webhook lacks its robot's token, or undefined. */
function missingToken(platform: Platform, u: URL): string | undefined {
  const token = PLATFORM_TOKEN[platform];
  const copy = "(copy the whole webhook URL from the robot's settings)";
  if ('query' in token) return (u.searchParams.get(token.query) ?? '').trim() ? undefined : `a ${platform} robot webhook carries the robot's ${token.query}=… ${copy}`;
  // The token is the one path segment after the prefix (a trailing slash aside), not blank — as a query's token is
  // trimmed: `…/hook/%20` or `…/hook/<token>/send` names none (an escaped space or slash is no part of one).
  const segment = u.pathname.startsWith(token.pathPrefix) ? u.pathname.slice(token.pathPrefix.length).replace(/\/$/, '') : '';
  const named = segment.replace(/%(?:20|09|2f)/gi, ' ').trim();
  return named !== '' && !/[\s/]/.test(named) ? undefined : `a ${platform} robot webhook is …${token.pathPrefix}<the robot's token> ${copy}`;
}

/**
 * Who a channel serves: departments (role codes; required), parks (none = every park; a notice about no park reaches
 * every robot of its department — except the lists that name projects of every park, the department's daily digest and
 * its 通报提醒, which a robot limited to parks does not carry: it gets the digest of its parks' projects instead),
 * notice kinds (none = every kind; `task.*` = a family).
 */
export interface Audience {
  readonly departments: readonly Role[];
  readonly parks: readonly string[];
  readonly kinds: readonly string[];
  /**
   * When the channel was first published: it carries the notices created from then on, never older ones (a stream
   * read again, a restart, must not send a group weeks-old reminders). Kept while the channel's id stays; absent on
   * channels published before it was recorded (no bound).
   */
  readonly since?: string;
  /**
   * When each department added to the channel after its first publication was added (role → instant): it carries that
   * department's notices from then on, never those from before anyone chose to send them to this group (a window
   * routed again, a stream record read again). One kept keeps its instant; one removed and added again gets the new
   * one. The departments of the first publication have no entry: `since` bounds them (none on a channel published
   * before `since` was recorded). Kept only here, like `since`: not shown, not sent.
   */
  readonly departmentsSince?: Readonly<Partial<Record<Role, string>>>;
  /**
   * The parks and kinds the channel had before publications changed them, oldest first, each with the instant it was
   * replaced (`until`): a notice created before an entry's `until` is carried only if the earliest such entry — the
   * audience in force when the notice was created — took it too, as well as the channel as it stands now. So a park or
   * kind added later (a park list widened, or emptied to every park; `task.overdue` widened to `task.*`) does not bring
   * the group that park's or kind's notices from before (a window routed again, a stream record read again). A new
   * entry when the parks or kinds change as sets (not when only their order does); entries replaced longer ago than a
   * route reaches, or beyond the last MAX_EARLIER_AUDIENCES, are dropped at a publication, `since` moving up to the
   * dropped entry's `until` (the notices from before it are refused, not judged by a later audience). Kept only here,
   * like `since`: not shown, not sent.
   */
  readonly earlierAudiences?: readonly EarlierAudience[];
}

/** A channel's parks and kinds as they stood until a publication replaced them. */
export interface EarlierAudience {
  readonly until: string;
  readonly parks: readonly string[];
  readonly kinds: readonly string[];
}

/**
 * How far back POST /deliveries/route reads (days before its first call's now): the oldest notice it may route again.
 * (Kept here, with the channels' rules that depend on it; the delivery store keeps its markers for longer.)
 */
export const ROUTE_REACH_DAYS = 31;
/**
 * How long the delivery store keeps a message's marker (and an address's mail claim) from when it is written — when a
 * notice is queued on the channel, never before the notice was created: as long as a route may read the notice, and
 * then some. The marker is all that keeps one event's second department copy from a group the first reached.
 */
export const MARKER_DAYS = ROUTE_REACH_DAYS + 9;
/**
 * How old a window's `from` may be when a later call of it (with its cursor) comes: every notice the window reads was
 * created at `from` or after, so its marker lives until `from` + MARKER_DAYS at least; a day short of that is the
 * margin (a call's own work, a clock a little off). Past it, the call is refused (400 on cursor) rather than risk a
 * second post: the first call's ROUTE_REACH_DAYS leaves days to finish a window, not weeks.
 */
export const ROUTE_RESUME_DAYS = MARKER_DAYS - 1;
/** How long a channel's earlier audience is kept once replaced: as long as a route may read its notices, and then some. */
export const EARLIER_AUDIENCE_DAYS = ROUTE_REACH_DAYS + 9;
/** The most earlier audiences a channel keeps (a document item stays small): past them, `since` moves up. */
export const MAX_EARLIER_AUDIENCES = 10;

/** Retries: backoff from `baseSeconds` doubling to `maxSeconds` (with jitter); a notice still undelivered after `giveUpHours` fails. */
export interface RetryPolicy {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
  readonly giveUpHours: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseSeconds: 30, maxSeconds: 600, giveUpHours: 24 };

/** A robot as stored: its webhook URL and signing secret are in the secret store under `credentials`. */
export interface StoredRobot extends Audience {
  readonly id: string;
  readonly platform: Platform;
  readonly format: 'markdown' | 'text';
  readonly rateLimits: readonly RateLimit[];
  /** The secret store's name for `{ url, secret? }`: a new name each time ops replace them (so a cached value is never stale). */
  readonly credentials: string;
  /** The webhook's origin, for ops to recognise it (the rest of the URL is a credential). */
  readonly urlHint: string;
  readonly signed: boolean;
  readonly credentialsUpdatedAt: string;
  /**
   * A one-way fingerprint of the webhook URL (PublishPolicy.fingerprint), so a second robot on the same group is refused
   * without reading the secret store; never shown. Absent on robots published before it was kept.
   */
  readonly urlFingerprint?: string;
}

export interface EmailChannel extends Audience {
  readonly id: string;
  readonly to: readonly string[];
  readonly rateLimits: readonly RateLimit[];
}

export interface ChannelsDoc {
  readonly robots: readonly StoredRobot[];
  readonly email: readonly EmailChannel[];
  /** Links in messages: `linkBase` + project id (e.g. the console's project page). None: messages carry no link. */
  readonly linkBase?: string;
  readonly retry: RetryPolicy;
}

export const NO_CHANNELS: ChannelsDoc = { robots: [], email: [], retry: DEFAULT_RETRY };

/** What every channel takes as ops send it: its id, its audience and its rate. */
interface ChannelInput {
  readonly id: string;
  readonly departments: readonly Role[];
  readonly parks?: readonly string[];
  readonly kinds?: readonly string[];
  /** One window (`rateLimit`) or several (`rateLimits`, as GET shows them); none: the platform's published limits. */
  readonly rateLimit?: RateLimit;
  readonly rateLimits?: readonly RateLimit[];
}

/** A robot as ops send it (PUT /config/channels): `url` and `secret` are write-only. */
export interface RobotInput extends ChannelInput {
  readonly platform: Platform;
  readonly url?: string;
  readonly secret?: string;
  readonly format?: 'markdown' | 'text';
}

export interface EmailInput extends ChannelInput {
  readonly to: readonly string[];
}

export interface ChannelsInput {
  readonly robots?: readonly RobotInput[];
  readonly email?: readonly EmailInput[];
  readonly linkBase?: string;
  readonly retry?: Partial<RetryPolicy>;
}

/** The credentials of a robot, kept in the secret store (never in DynamoDB, never in a log or a response). */
export interface RobotCredentials {
  readonly url: string;
  readonly secret?: string;
}

/** Credentials to write before the document is stored: name → value. */
export interface CredentialWrite {
  readonly name: string;
  readonly value: RobotCredentials;
}

export interface Publication {
  readonly doc: ChannelsDoc;
  readonly writes: readonly CredentialWrite[];
  /** Credentials the new document no longer names (deleted once it is stored). */
  readonly orphaned: readonly string[];
}

/** Where a deployment allows webhooks besides the platforms' own hosts (locally: the receiver on localhost, over http). */
export interface HostPolicy {
  readonly extraHosts: readonly string[];
}

/** What a publication is checked against besides the document in force: allowed hosts, and the zone's parks. */
export interface PublishPolicy extends HostPolicy {
  /** The zone's parks (config/parks); absent: any park is taken. */
  readonly parks?: readonly string[];
  /** A one-way digest of a webhook URL (kept on the robot: the same group twice is refused); absent: URLs sent together only. */
  readonly fingerprint?: (url: string) => string;
}

/** Notices about no park that list projects of every park by name: not for a group limited to some parks. */
const ZONE_WIDE_LISTS = new Set(['digest.daily', 'department.notice']);
/** Of those, what a department's channel limited to parks gets per park instead (the digest job writes them: parkDigests). */
const PER_PARK_LISTS = new Set(['digest.daily']);

/**
 * Checks a channels document against the one in force and turns it into the stored form: a robot sent with `url`
 * gets new credentials (url and secret replace the old together); one sent without keeps its credentials (so ops can
 * change routing without handling the webhook again); a new robot must have a url.
 */
export function publishChannels(input: ChannelsInput, current: ChannelsDoc, policy: PublishPolicy, newName: (id: string) => string, now: Date): Publication {
  const errors: FieldError[] = [];
  const robots = input.robots ?? [];
  const email = input.email ?? [];
  const seen = new Set<string>();
  const checkId = (id: string, path: string) => {
    if (id === 'inApp') errors.push({ path, code: 'not_allowed', message: 'inApp is the in-app inbox; choose another id' });
    if (seen.has(id)) errors.push({ path, code: 'duplicate', message: `${id} is used twice (robot and e-mail ids share one namespace)` });
    seen.add(id);
  };
  /**
   * Group channels serve departments: an enterprise's notices never go to a group; kinds name real notices; parks are
   * the zone's (`policy.parks`, config/parks: a misspelt park would silently match no notice).
   */
  /** A list naming an entry twice (`ops, ops`; an address in other letter case): refused at the repeat, not kept doubled. */
  const checkRepeats = (list: readonly string[] | undefined, path: string, key?: (v: string) => string) => errors.push(...repeatsIn(list, path, key));
  const checkAudience = (a: { readonly departments: readonly Role[]; readonly kinds?: readonly string[]; readonly parks?: readonly string[] }, path: string) => {
    checkRepeats(a.departments, `${path}.departments`);
    checkRepeats(a.parks, `${path}.parks`);
    checkRepeats(a.kinds, `${path}.kinds`);
    if (a.departments.includes('enterprise')) errors.push({ path: `${path}.departments`, code: 'not_allowed', message: 'enterprise notices go to the enterprise\'s inbox only, never to a group' });
    const zone = policy.parks;
    (a.parks ?? []).forEach((p, j) => {
      if (zone && !zone.includes(p)) errors.push({ path: `${path}.parks[${j}]`, code: 'unknown_ref', message: `${p} is not one of the zone's parks: ${zone.join(', ')} (GET /config/parks)` });
    });
    (a.kinds ?? []).forEach((k, j) => {
      const known = k.endsWith('.*') ? NOTICE_KINDS.some((n) => n.startsWith(k.slice(0, -1))) : (NOTICE_KINDS as readonly string[]).includes(k);
      if (!known) errors.push({ path: `${path}.kinds[${j}]`, code: 'unknown_ref', message: `no notice is of kind ${k}` });
      // Asked for by name (or by a family of nothing else) on a channel limited to parks, a zone-wide list would never
      // arrive: say so. A park center's digest and notices are its park's: they reach its park's robots; another
      // department's digest comes to such a channel per park (parkDigests).
      const asked = NOTICE_KINDS.filter((n) => kindMatches([k], n));
      const zoneDepartments = a.departments.some((d) => d !== 'park_center');
      if (zoneDepartments && (a.parks ?? []).length > 0 && asked.length > 0 && asked.every((n) => ZONE_WIDE_LISTS.has(n) && !PER_PARK_LISTS.has(n))) {
        errors.push({ path: `${path}.kinds[${j}]`, code: 'not_allowed', message: `${asked.join(', ')} lists projects of every park: a channel limited to parks does not carry it (remove its parks, or this kind)` });
      }
    });
  };
  const writes: CredentialWrite[] = [];
  const stored: StoredRobot[] = [];
  /** The robots' webhooks so far (fingerprint, or the URL as sent) → the robot's index: one group, one robot. */
  const webhooks = new Map<string, number>();
  const sameWebhook = (key: string | undefined, i: number, path: string) => {
    if (key === undefined) return;
    const at = webhooks.get(key);
    if (at === undefined) webhooks.set(key, i);
    else errors.push({ path, code: 'duplicate', message: `is the webhook of doc.robots[${at}] (${robots[at]!.id}) too: its group would get every notice twice — give that robot these departments, parks and kinds instead` });
  };
  robots.forEach((r, i) => {
    const path = `doc.robots[${i}]`;
    checkId(r.id, `${path}.id`);
    const before = current.robots.find((c) => c.id === r.id);
    if (r.secret !== undefined && r.url === undefined) errors.push({ path: `${path}.url`, code: 'required', message: 'send the url with the secret (they are replaced together)' });
    if (r.url === undefined && !before) errors.push({ path: `${path}.url`, code: 'required', message: 'is required for a new robot' });
    if (r.url === undefined && before && before.platform !== r.platform) errors.push({ path: `${path}.url`, code: 'required', message: 'is required when the platform changes' });
    let credentials = before?.credentials ?? '';
    let urlHint = before?.urlHint ?? '';
    let signed = before?.signed ?? false;
    let credentialsUpdatedAt = before?.credentialsUpdatedAt ?? now.toISOString();
    const problem = r.url !== undefined ? webhookProblem(r.platform, r.url, policy) : undefined;
    if (r.url !== undefined) {
      if (problem) errors.push({ path: `${path}.url`, code: 'format', message: problem });
      if (r.platform === 'wecom' && r.secret !== undefined) errors.push({ path: `${path}.secret`, code: 'not_allowed', message: 'WeCom robots are not signed: the key in the url is the credential' });
      if (r.secret !== undefined && SECRET_UNSAFE.test(r.secret)) errors.push({ path: `${path}.secret`, code: 'format', message: 'must not contain spaces, line breaks or control characters (a signing secret is copied whole from the robot settings)' });
      const over = credentialsOverflow({ url: r.url, ...(r.secret !== undefined ? { secret: r.secret } : {}) });
      if (over) errors.push({ path: `${path}.${over.field}`, code: 'too_big', message: over.message });
      credentials = newName(r.id);
      urlHint = problem ? '' : new URL(r.url).origin;
      signed = r.secret !== undefined;
      credentialsUpdatedAt = now.toISOString();
      writes.push({ name: credentials, value: { url: r.url, ...(r.secret !== undefined ? { secret: r.secret } : {}) } });
    }
    const normal = r.url !== undefined && !problem ? webhookIdentity(r.url) : undefined;
    const urlFingerprint = normal !== undefined ? policy.fingerprint?.(normal) : r.url === undefined ? before?.urlFingerprint : undefined;
    sameWebhook(urlFingerprint ?? normal, i, `${path}.url`);
    const rateLimits = limitsOf(r, DEFAULT_LIMITS[r.platform]);
    // A robot on its platform's host is held to the platform's published rate (a faster one gets throttled by it).
    const onPlatform = r.url !== undefined ? !onExtraHost(r.url, policy) : before !== undefined && !onExtraHost(before.urlHint, policy);
    if (onPlatform && fasterThan(rateLimits, DEFAULT_LIMITS[r.platform])) errors.push({ path: `${path}.rateLimit`, code: 'too_big', message: `${r.platform} takes at most ${DEFAULT_LIMITS[r.platform].map((l) => `${l.messages} messages in ${l.seconds} s`).join(' and ')}` });
    checkAudience(r, path);
    stored.push({
      id: r.id,
      platform: r.platform,
      format: r.format ?? 'markdown',
      departments: r.departments,
      parks: r.parks ?? [],
      kinds: r.kinds ?? [],
      rateLimits,
      credentials,
      urlHint,
      signed,
      credentialsUpdatedAt,
      ...(urlFingerprint !== undefined ? { urlFingerprint } : {}),
      ...since(before, { departments: r.departments, parks: r.parks ?? [], kinds: r.kinds ?? [] }, now),
    });
  });
  const mails: EmailChannel[] = email.map((e, i) => {
    checkId(e.id, `doc.email[${i}].id`);
    checkAudience(e, `doc.email[${i}]`);
    checkRepeats(e.to, `doc.email[${i}].to`, addressKey);
    return { id: e.id, to: e.to, departments: e.departments, parks: e.parks ?? [], kinds: e.kinds ?? [], rateLimits: limitsOf(e, DEFAULT_LIMITS.email), ...since(current.email.find((c) => c.id === e.id), { departments: e.departments, parks: e.parks ?? [], kinds: e.kinds ?? [] }, now) };
  });
  const linkProblem = input.linkBase !== undefined ? linkBaseProblem(input.linkBase) : undefined;
  if (linkProblem) errors.push({ path: 'doc.linkBase', code: 'format', message: linkProblem });
  const retry = { ...DEFAULT_RETRY, ...input.retry };
  if (retry.maxSeconds < retry.baseSeconds) errors.push({ path: 'doc.retry.maxSeconds', code: 'too_small', message: 'must be at least baseSeconds' });
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  const kept = new Set(stored.map((r) => r.credentials));
  return {
    doc: { robots: stored, email: mails, ...(input.linkBase !== undefined ? { linkBase: input.linkBase } : {}), retry },
    writes,
    orphaned: current.robots.map((r) => r.credentials).filter((c) => c && !kept.has(c)),
  };
}

/**
 * What identifies a webhook's group: its host (any letter case, the default port dropped), path and query parameters in
 * name order — not a fragment, an empty parameter or their order (the same robot's URL written another way).
 */
function webhookIdentity(url: string): string {
  const u = new URL(url);
  const params = [...u.searchParams].filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${u.protocol}//${u.host}${u.pathname}?${new URLSearchParams(params).toString()}`;
}

/**
 * A channel's `since`, `departmentsSince` and `earlierAudiences`: `since` kept from the version before when its id was
 * there (with or without one), else now. A department not on the version before (new to it, or removed and added
 * again) is bounded from now; one kept keeps its own instant, if it had one. Those of the first publication have none
 * of their own (they are bounded by `since`), so a channel whose departments never grew stores none. Parks or kinds
 * other than before (as sets) keep the ones before as an earlier audience until now; entries replaced more than
 * EARLIER_AUDIENCE_DAYS ago, or past the newest MAX_EARLIER_AUDIENCES, are dropped and `since` moves up to their `until`.
 */
function since(
  before: Audience | undefined,
  a: { readonly departments: readonly Role[]; readonly parks: readonly string[]; readonly kinds: readonly string[] },
  now: Date,
): { since?: string; departmentsSince?: Partial<Record<Role, string>>; earlierAudiences?: EarlierAudience[] } {
  if (!before) return { since: now.toISOString() };
  const own: [Role, string][] = [];
  for (const d of a.departments) {
    if (!before.departments.includes(d)) own.push([d, now.toISOString()]);
    else if (before.departmentsSince && Object.hasOwn(before.departmentsSince, d)) own.push([d, before.departmentsSince[d]!]);
  }
  const earlier = [...(before.earlierAudiences ?? [])];
  if (!sameSet(before.parks, a.parks) || !sameSet(before.kinds, a.kinds)) earlier.push({ until: now.toISOString(), parks: before.parks, kinds: before.kinds });
  let bound = before.since;
  const oldest = new Date(now.getTime() - EARLIER_AUDIENCE_DAYS * 86_400_000).toISOString();
  while (earlier.length > 0 && (earlier.length > MAX_EARLIER_AUDIENCES || earlier[0]!.until < oldest)) {
    const dropped = earlier.shift()!;
    if (bound === undefined || bound < dropped.until) bound = dropped.until;
  }
  return {
    ...(bound !== undefined ? { since: bound } : {}),
    ...(own.length > 0 ? { departmentsSince: Object.fromEntries(own) } : {}),
    ...(earlier.length > 0 ? { earlierAudiences: earlier } : {}),
  };
}

const sameSet = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v) => y.includes(v));

const limitsOf = (c: { readonly rateLimit?: RateLimit; readonly rateLimits?: readonly RateLimit[] }, defaults: readonly RateLimit[]) =>
  c.rateLimits && c.rateLimits.length > 0 ? c.rateLimits : c.rateLimit ? [c.rateLimit] : defaults;

/** Whether `limits` let through more than `platform` in any of the platform's windows. */
function fasterThan(limits: readonly RateLimit[], platform: readonly RateLimit[]): boolean {
  // The most `limits` allow within `seconds`: the tightest of its windows, scaled to that span.
  const allowed = (seconds: number) => Math.min(...limits.map((l) => l.messages * Math.ceil(seconds / l.seconds)));
  return platform.some((p) => allowed(p.seconds) > p.messages);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Characters a URL as sent must not hold: the URL parser drops tabs and line breaks, trims spaces and reads `\` as `/`,
 * so what was checked would not be what is stored and called. Whitespace (any: U+3000 too), controls, backslash.
 */
const URL_UNSAFE = /[\s\\\p{Cc}]/u;
const SECRET_UNSAFE = /[\s\p{Cc}]/u;

/**
 * The secret store's largest value: an SSM Parameter Store standard parameter holds 4,096 bytes (UTF-8); a robot's
 * credentials are stored as one JSON value `{ url, secret }`. Locally the file store takes more: refused everywhere
 * alike, or the publication would pass here and fail on AWS with a 500.
 */
export const MAX_CREDENTIALS_BYTES = 4096;

function credentialsOverflow(c: RobotCredentials): { field: 'url' | 'secret'; message: string } | undefined {
  const bytes = utf8Bytes(JSON.stringify(c));
  if (bytes <= MAX_CREDENTIALS_BYTES) return undefined;
  const urlAlone = utf8Bytes(JSON.stringify({ url: c.url }));
  const field = c.secret !== undefined && urlAlone <= MAX_CREDENTIALS_BYTES ? 'secret' : 'url';
  return { field, message: `the url and secret take ${bytes} bytes stored (UTF-8): the secret store holds at most ${MAX_CREDENTIALS_BYTES}` };
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** An absolute URL parsed, or undefined when it is none. */
function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL's port as called: its own, or its scheme's default. */
const portOf = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');

/** An entry of `ROBOT_HOSTS_ALLOWED`: `host`, or `host:port` (`[v6]:port`). */
function hostEntry(entry: string): { name: string; port?: string } {
  const m = /^(.+):(\d{1,5})$/.exec(entry);
  return m && !entry.endsWith(']') && (!m[1]!.includes(':') || m[1]!.startsWith('[')) ? { name: m[1]!, port: m[2]! } : { name: entry };
}

/**
 * Whether a URL is on a host the deployment allows (`ROBOT_HOSTS_ALLOWED`): an entry `host` means that host on port
 * 443, `host:port` that port; this machine (localhost, 127.0.0.1, [::1]) on any port — the local receiver's.
 */
function onExtraHost(url: string, hosts: HostPolicy): boolean {
  const u = parsedUrl(url);
  if (!u) return false;
  const host = u.hostname.toLowerCase();
  return hosts.extraHosts.map(hostEntry).some(({ name, port }) => {
    if (name !== host) return false;
    if (port !== undefined) return portOf(u) === port;
    return LOOPBACK.has(host) || portOf(u) === '443';
  });
}

/** Why a `linkBase` is refused, or undefined: an absolute http(s) URL with a host and no credentials (a #fragment is fine: the console routes by it). */
function linkBaseProblem(link: string): string | undefined {
  if (URL_UNSAFE.test(link)) return 'must not contain spaces, line breaks, control characters or backslashes';
  const u = parsedUrl(link);
  if (!u) return 'must be an absolute http(s) URL';
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http(s) URL';
  if (u.username || u.password) return 'must not carry a user name or password (every message would show them)';
  return undefined;
}

/** Why a webhook URL is refused for its platform, or undefined. */
export function webhookProblem(platform: Platform, url: string, hosts: HostPolicy): string | undefined {
  if (URL_UNSAFE.test(url)) return 'must not contain spaces, line breaks, control characters or backslashes';
  const u = parsedUrl(url);
  if (!u) return 'is not a URL';
  if (u.username || u.password) return 'must not carry a user name or password';
  // A host the deployment adds (a zone's proxy or gateway): https, as the platforms' — a robot's token in its URL must
  // not cross a network in clear; plain http only to this machine (the local runtime's receiver).
  if (onExtraHost(url, hosts)) {
    if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return undefined;
    return u.protocol === 'http:' ? 'must be https (plain http only to localhost)' : 'must be https';
  }
  const ports = hosts.extraHosts.map(hostEntry).filter((e) => e.name === u.hostname.toLowerCase());
  if (ports.length > 0) {
    if (u.protocol !== 'https:') return u.protocol === 'http:' ? 'must be https (plain http only to localhost)' : 'must be https';
    return `${u.hostname} is allowed by this deployment on port ${ports.map((e) => e.port ?? '443').join(' or ')} only, not ${portOf(u)} (robotHostsAllowed names host:port for another)`;
  }
  if (u.protocol !== 'https:') return 'must be https';
  if (!PLATFORM_HOSTS[platform].includes(u.hostname)) return `a ${platform} robot webhook is on ${PLATFORM_HOSTS[platform].join(' or ')}`;
  // The platforms listen on 443 only: another port is not the platform (a host the deployment allows names its port).
  if (u.port !== '') return `a ${platform} robot webhook is on port 443 (the platform's); ${u.port} is not`;
  return missingToken(platform, u);
}

/** The configuration as GET /config/channels shows it: no credential, not even their store names. */
export function channelsView(doc: ChannelsDoc) {
  // `since`, `departmentsSince` and `earlierAudiences` are the store's own bookkeeping: left out, so a channel read can be
  // sent back as it is.
  return {
    ...doc,
    robots: doc.robots.map(({ credentials: _c, since: _s, departmentsSince: _d, earlierAudiences: _a, urlFingerprint: _f, ...r }) => r),
    email: doc.email.map(({ since: _s, departmentsSince: _d, earlierAudiences: _a, ...e }) => e),
  };
}

/** What routing needs of a notification: its inbox, kind and park. */
export interface Routable {
  readonly recipient: string;
  readonly kind: string;
  readonly park?: string;
  /** When the notice was created (a channel published later does not carry it). */
  readonly createdAt?: string;
}

/** The department and park of an inbox; enterprise and personal inboxes belong to no department (never to a group). */
export function departmentOf(recipient: string): { readonly department: string; readonly park?: string } | undefined {
  if (recipient === 'OPS') return { department: 'ops' };
  const parts = recipient.split('#');
  if (parts[0] !== 'DEPT' || !parts[1]) return undefined;
  // `DEPT#park_center#<park>`: a park's center; `DEPT#<role>#<park>`: a department's list of one park's projects, which
  // no user's inbox reads (its channels limited to that park carry it: parkDigestInbox).
  return parts[2] ? { department: parts[1], park: parts.slice(2).join('#') } : { department: parts[1] };
}

/**
 * Every inbox whose notices a channel of `doc` may carry, in code-unit order: ops', each served department's, and
 * per park (those of a channel limited to parks; `parks` — every park the zone has listed, POST /deliveries/route passes — for the others) the park center's or the
 * department's per-park list. The inboxes ops route again after a routing failure (POST /deliveries/route): an
 * enterprise's or a person's inbox is never routed, so never read.
 */
export function routableInboxes(doc: ChannelsDoc, parks: readonly string[]): string[] {
  const inboxes = new Set<string>();
  for (const a of [...doc.robots, ...doc.email]) {
    for (const role of a.departments) {
      if (role === 'ops') {
        inboxes.add('OPS');
        continue;
      }
      // (A channel never serves the enterprise: publishing refuses it.)
      if (role !== 'park_center' && role !== 'enterprise') inboxes.add(`DEPT#${role}`);
      // A park center's inbox is its park's; another department's per-park lists (digests, written for its channels
      // limited to parks) are read for every park a channel of it may take, as routing would take them.
      const inParks = a.parks.length > 0 ? a.parks : parks;
      for (const park of inParks) inboxes.add(`DEPT#${role}#${park}`);
    }
  }
  return [...inboxes].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Where a department's per-park list (its digest of one park's projects) is written: read by channels, never in-app. */
export const parkDigestInbox = (role: Role, park: string): string => `DEPT#${role}#${park}`;

/**
 * The departments and parks the digest job writes a per-park digest for: each department other than the park centers
 * (theirs is their park's already) that a channel limited to parks serves with `digest.daily`, for each of its parks.
 */
export function parkDigests(doc: ChannelsDoc): { readonly role: Role; readonly park: string }[] {
  const pairs = new Map<string, { role: Role; park: string }>();
  for (const a of [...doc.robots, ...doc.email]) {
    if (a.parks.length === 0 || !kindMatches(a.kinds, 'digest.daily')) continue;
    for (const role of a.departments) {
      if (role === 'park_center' || role === 'enterprise' || role === 'ops') continue;
      for (const park of a.parks) pairs.set(`${role}#${park}`, { role, park });
    }
  }
  // In role, then park order (code units: a role code holds no '#').
  return [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, pair]) => pair);
}

const kindMatches = (patterns: readonly string[], kind: string) =>
  patterns.length === 0 || patterns.some((p) => p === kind || (p.endsWith('.*') && kind.startsWith(p.slice(0, -1))));

function serves(a: Audience, n: Routable): boolean {
  if (a.since !== undefined && n.createdAt !== undefined && n.createdAt < a.since) return false;
  const dept = departmentOf(n.recipient);
  if (!dept || !a.departments.includes(dept.department as Role)) return false;
  // A department added to the channel later: its notices from before it was added are not this group's.
  const added = a.departmentsSince && Object.hasOwn(a.departmentsSince, dept.department) ? a.departmentsSince[dept.department as Role] : undefined;
  if (added !== undefined && n.createdAt !== undefined && n.createdAt < added) return false;
  // A park or kind added later: the channel as it stood when the notice was created must have taken it too.
  const then = n.createdAt !== undefined ? a.earlierAudiences?.find((e) => n.createdAt! < e.until) : undefined;
  if (then && !takes(then, dept, n)) return false;
  return takes(a, dept, n);
}

/** Whether a channel's parks and kinds take a notice of `dept`'s inbox. */
function takes(a: { readonly parks: readonly string[]; readonly kinds: readonly string[] }, dept: { readonly department: string; readonly park?: string }, n: Routable): boolean {
  // A notice about no park goes to every robot of its department, unless it lists projects of every park (the
  // department's digest, its 通报提醒) and the robot is limited to some parks: its group would read other parks' projects.
  const park = dept.park ?? n.park;
  if (a.parks.length > 0 && park !== undefined && !a.parks.includes(park)) return false;
  if (a.parks.length > 0 && park === undefined && ZONE_WIDE_LISTS.has(n.kind)) return false;
  // A department's list of one park's projects is for its channels limited to parks; the others carry the whole list.
  if (a.parks.length === 0 && dept.park !== undefined && dept.department !== 'park_center' && PER_PARK_LISTS.has(n.kind)) return false;
  return kindMatches(a.kinds, n.kind);
}

/** The channels a notification goes to, robots first, in configuration order. */
export function channelsFor(doc: ChannelsDoc, n: Routable): string[] {
  return [...doc.robots.filter((r) => serves(r, n)).map((r) => r.id), ...doc.email.filter((e) => serves(e, n)).map((e) => e.id)];
}

/** An e-mail address as compared across channels (case and spacing aside). */
export const addressKey = (address: string) => address.trim().toLowerCase();

export type Channel = { readonly type: 'robot'; readonly robot: StoredRobot } | { readonly type: 'email'; readonly email: EmailChannel };

export function channelById(doc: ChannelsDoc, id: string): Channel | undefined {
  const robot = doc.robots.find((r) => r.id === id);
  if (robot) return { type: 'robot', robot };
  const email = doc.email.find((e) => e.id === id);
  return email ? { type: 'email', email } : undefined;
}
