// Request and response schemas of the notification routes: the inbox page, the channels configuration (robots and
// e-mail lists; webhook URLs and secrets write-only) and ops' delivery view.
import * as z from 'zod/mini';
import { ROLES } from '#kernel/domain/codes.ts';
import { lazy, limit, cursor, pageOf, schema, storable, line, isoInstant, instantView } from '#kernel/http/schemas.ts';
import { PLATFORMS } from './domain/channels.ts';
import { DIGEST_ID, GENERATED_ID } from './domain/inbox.ts';

/** GET /me/notifications: a page size, a cursor, and `unread=true` for the unread notices only (`false`: all, as without it). */
export const InboxQuery = /* @__PURE__ */ schema(() => z.strictObject({ limit, cursor, unread: z.optional(z.enum(['true', 'false'])) }));

const notification = /* @__PURE__ */ schema(() =>
  z.looseObject({
    id: z.string(),
    inbox: z.string(),
    kind: z.string(),
    projectId: z.nullable(z.string()),
    title: z.string(),
    body: z.string(),
    en: z.nullable(z.looseObject({ title: z.string(), body: z.string() })),
    createdAt: instantView(),
    read: z.boolean(),
    readAt: z.nullable(instantView()),
    readBy: z.nullable(z.string()),
    voidedAt: z.nullable(instantView()).register(z.globalRegistry, { description: 'When a later notice made this one void (a gate that no longer awaits this inbox: a matrix re-pin, the next round of a rejection): it is read from then on; null while it stands' }),
    voidedBy: z.nullable(z.string()).register(z.globalRegistry, { description: 'The kind of the notice that voided it (gate.open_withdrawn); null while it stands' }),
    delivery: z.record(z.string(), z.looseObject({ status: z.enum(['pending', 'delivered', 'failed']), attempts: z.int(), lastError: z.optional(z.string()), at: z.optional(instantView()) })),
  }),
);

export const notificationPage = /* @__PURE__ */ lazy(() => z.extend(pageOf(notification), { unread: z.int(), unreadByInbox: z.record(z.string(), z.int()) }));
export const notificationView = /* @__PURE__ */ lazy(() => notification);

/** Marking read takes nothing more (no body, or `{}`). */
export const ReadBody = /* @__PURE__ */ schema(() => z.optional(z.strictObject({})));

/** A notification id as the inbox makes them: 16 lower-case letters and digits, or a day's digest (`dg…`, 26). */
export const NotificationParams = /* @__PURE__ */ schema(() => z.strictObject({ id: z.string().check(z.regex(new RegExp(`${GENERATED_ID.source}|${DIGEST_ID.source}`), 'not a notification id')) }));

const channelId = /* @__PURE__ */ schema(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or hyphens')));
const departments = /* @__PURE__ */ schema(() => z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(ROLES.length)));
const parks = /* @__PURE__ */ schema(() => z.optional(z.array(line(100)).check(z.maxLength(100))));
const kinds = /* @__PURE__ */ schema(() => z.optional(z.array(z.string().check(z.regex(/^[a-z_]+(\.([a-z_]+|\*))?$/, 'must be a notice kind like task.overdue, or a family like task.*'))).check(z.maxLength(50))));
const window = /* @__PURE__ */ schema(() => z.strictObject({ messages: z.int().check(z.gte(1), z.lte(1000)), seconds: z.int().check(z.gte(1), z.lte(3600)) }));
const rateLimit = /* @__PURE__ */ schema(() => z.optional(window));
const rateLimits = /* @__PURE__ */ schema(() => z.optional(z.array(window).check(z.maxLength(5))));

const robot = /* @__PURE__ */ schema(() =>
  z.strictObject({
    id: channelId,
    platform: z.enum(PLATFORMS),
    url: z.optional(z.string().check(z.minLength(8), z.maxLength(2000))),
    secret: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
    format: z.optional(z.enum(['markdown', 'text'])),
    departments,
    parks,
    kinds,
    rateLimit,
    rateLimits,
    // What GET /config/channels shows besides: accepted (a document read can be sent back) and ignored.
    urlHint: z.optional(z.string().check(z.maxLength(2000))),
    signed: z.optional(z.boolean()),
    credentialsUpdatedAt: z.optional(z.string().check(z.maxLength(40))),
  }),
);

const email = /* @__PURE__ */ schema(() =>
  z.strictObject({
    id: channelId,
    to: z.array(z.string().check(z.maxLength(254), z.regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/, 'must be an e-mail address'))).check(z.minLength(1), z.maxLength(50)),
    departments,
    parks,
    kinds,
    rateLimit,
    rateLimits,
  }),
);

/** The `channels` document as ops send it. */
export const ChannelsDocInput = /* @__PURE__ */ schema(() =>
  z.strictObject({
    robots: z.optional(z.array(robot).check(z.maxLength(100))),
    email: z.optional(z.array(email).check(z.maxLength(100))),
    linkBase: z.optional(z.string().check(z.maxLength(500))),
    retry: z.optional(
      z.strictObject({
        baseSeconds: z.optional(z.int().check(z.gte(1), z.lte(3600))),
        maxSeconds: z.optional(z.int().check(z.gte(1), z.lte(86_400))),
        giveUpHours: z.optional(z.number().check(z.gt(0), z.lte(720), storable())),
      }),
    ),
  }),
);

/** PUT /config/channels, sent like every PUT /config/{name}: `{ doc, note? }` with If-Match. */
export const ChannelsBody = /* @__PURE__ */ schema(() => z.strictObject({ doc: ChannelsDocInput, note: z.optional(z.string().check(z.maxLength(1000))) }));

export const channelsView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    name: z.literal('channels'),
    version: z.int(),
    doc: z.looseObject({
      // Each channel's audience as api.md names it (an empty `parks` or `kinds`: every park, every kind); a robot's
      // `url` and `secret` are write-only — `urlHint` (the webhook's origin) and `signed` say what is stored.
      // `format` the message's (markdown or text), `rateLimits` the sending windows, `credentialsUpdatedAt` when the
      // URL and secret were last written.
      robots: z.array(
        z.looseObject({
          id: z.string(),
          platform: z.enum(PLATFORMS),
          urlHint: z.string(),
          signed: z.boolean(),
          format: z.optional(z.enum(['markdown', 'text'])),
          departments: z.array(z.string()),
          parks: z.array(z.string()),
          kinds: z.array(z.string()),
          rateLimits: z.optional(z.array(z.looseObject({ messages: z.int(), seconds: z.int() }))),
          credentialsUpdatedAt: z.optional(instantView()),
        }),
      ),
      email: z.array(z.looseObject({ id: z.string(), to: z.array(z.string()), departments: z.array(z.string()), parks: z.array(z.string()), kinds: z.array(z.string()), rateLimits: z.optional(z.array(z.looseObject({ messages: z.int(), seconds: z.int() }))) })),
      linkBase: z.optional(z.string()),
      /** How failed deliveries are retried: the first wait, the longest, and when to give up. */
      retry: z.optional(z.looseObject({ baseSeconds: z.int(), maxSeconds: z.int(), giveUpHours: z.number() })),
    }),
    note: z.optional(z.string()),
    publishedAt: instantView(),
    publishedBy: z.string(),
  }),
);

export const DeliveriesQuery = /* @__PURE__ */ schema(() => z.strictObject({ limit, cursor }));

export const deliveriesView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    channels: z.array(
      z.looseObject({
        id: z.string(),
        configured: z.boolean(),
        pending: z.int(),
        morePending: z.boolean(),
        oldestPendingAt: z.nullable(instantView()),
        lastDeliveredAt: z.nullable(instantView()),
        /**
         * The last notice sent whose answer never came (counted delivered, not sent again), and when; null when none.
         * `laterAnsweredAt`: the last notice the channel's platform answered after it (null while none): the robot works again.
         */
        lastUnconfirmed: z.nullable(z.looseObject({ notification: z.string(), at: instantView(), laterAnsweredAt: z.nullable(instantView()) })),
        failed: z.int(),
        moreFailed: z.boolean(),
        leasedUntil: z.nullable(instantView()),
        /** The notice at the head of its queue (null when none waits): its attempts, when it may go next, its last error. */
        head: z.optional(z.nullable(z.looseObject({ notification: z.string(), attempts: z.int(), notBefore: z.nullable(instantView()), retryAt: z.nullable(instantView()), lastError: z.nullable(z.string()) }))),
      }),
    ),
    failed: pageOf(z.looseObject({ channel: z.string(), notification: z.string(), failedAt: instantView(), reason: z.string(), attempts: z.int() })),
  }),
);

export const RetryBody = /* @__PURE__ */ schema(() => z.strictObject({ channel: channelId }));
export const retryView = /* @__PURE__ */ lazy(() => z.looseObject({ channel: z.string(), requeued: z.int(), superseded: z.int(), more: z.boolean() }));

/** A window of notices to route again: `from` (inclusive) to `to` (inclusive; when absent, the first call's now, which its cursor keeps); `cursor` continues a call that said `more`. */
export const RouteBody = /* @__PURE__ */ schema(() => z.strictObject({ from: isoInstant(), to: z.optional(isoInstant()), cursor }));
export const routeView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    from: instantView(),
    to: instantView(),
    examined: z.int(),
    /** Notices this call queued on a channel at least, each counted once a window (the calls' sum is the window's). */
    routed: z.int(),
    queued: z.record(z.string(), z.int()),
    superseded: z.int(),
    more: z.boolean(),
    cursor: z.nullable(z.string()),
    /** `error`: a page failed after earlier ones were routed; what was done is counted, `cursor` resumes at that page. */
    stopped: z.optional(z.enum(['error'])),
  }),
);
