// The notification module's routes (the inbox, the channels configuration, ops' delivery view) and its functions
// without a route: the inbox stream's router and the delivery sweep.
import { declareRoute, declareTask } from '#kernel/declarations.ts';
import * as S from './schemas.ts';

export const myNotifications = /* @__PURE__ */ declareRoute({
  name: 'my-notifications',
  entry: 'notifications/http/my-notifications.ts',
  description: 'My inbox: notices to my departments, park, enterprise and me, newest first, with their delivery per channel (unread=true: the unread ones only)',
  method: 'GET',
  path: '/me/notifications',
  summary: 'My notifications',
  auth: 'any',
  query: S.InboxQuery,
  response: ZONEFLOW_DOCS ? S.notificationPage : undefined,
  tables: { inbox: 'R', reference: 'R' },
});

export const readNotification = /* @__PURE__ */ declareRoute({
  name: 'read-notification',
  entry: 'notifications/http/read-notification.ts',
  description: 'Marks one of my notifications read (for everyone who reads its inbox: a department\'s or park\'s notice is read once); again changes nothing',
  method: 'POST',
  path: '/me/notifications/{id}/read',
  summary: 'Mark a notification read',
  auth: 'any',
  params: S.NotificationParams,
  body: S.ReadBody,
  response: ZONEFLOW_DOCS ? S.notificationView : undefined,
  status: 200,
  tables: { inbox: 'RW' },
});

export const getChannels = /* @__PURE__ */ declareRoute({
  name: 'get-channels',
  entry: 'notifications/http/get-channels.ts',
  description: 'Notification routing in force: group robots and e-mail lists (no webhook URL or secret is ever returned)',
  method: 'GET',
  path: '/config/channels',
  summary: 'Notification channels',
  auth: ['ops'],
  response: ZONEFLOW_DOCS ? S.channelsView : undefined,
  etag: true,
  notModified: true,
  tables: { reference: 'R' },
});

export const putChannels = /* @__PURE__ */ declareRoute({
  name: 'put-channels',
  entry: 'notifications/http/put-channels.ts',
  description: 'Publishes the notification routing (ops): robots and e-mail lists by department, park and notice kind; credentials to the secret store',
  method: 'PUT',
  path: '/config/channels',
  summary: 'Publish notification channels',
  auth: ['ops'],
  body: S.ChannelsBody,
  response: ZONEFLOW_DOCS ? S.channelsView : undefined,
  idempotent: true,
  ifMatch: 'required',
  tables: { reference: 'RW', audit: 'W', idempotency: 'RW' },
  channels: 'configure',
});

export const listDeliveries = /* @__PURE__ */ declareRoute({
  name: 'list-deliveries',
  entry: 'notifications/http/list-deliveries.ts',
  description: 'Delivery per channel (queued, oldest, head retry) and the deliveries that failed for good (ops)',
  method: 'GET',
  path: '/deliveries',
  summary: 'Notification deliveries',
  auth: ['ops'],
  query: S.DeliveriesQuery,
  response: ZONEFLOW_DOCS ? S.deliveriesView : undefined,
  tables: { delivery: 'R', reference: 'R' },
});

export const retryDeliveries = /* @__PURE__ */ declareRoute({
  name: 'retry-deliveries',
  entry: 'notifications/http/retry-deliveries.ts',
  description: 'Puts a channel\'s failed deliveries back in its queue, in their order (ops, once the robot or mail is fixed)',
  method: 'POST',
  path: '/deliveries/retry',
  summary: 'Retry failed deliveries',
  auth: ['ops'],
  body: S.RetryBody,
  response: ZONEFLOW_DOCS ? S.retryView : undefined,
  idempotent: true,
  tables: { delivery: 'RW', inbox: 'RW', reference: 'R', audit: 'W', idempotency: 'RW' },
});

export const routeDeliveries = /* @__PURE__ */ declareRoute({
  name: 'route-deliveries',
  entry: 'notifications/http/route-deliveries.ts',
  description: 'Routes again the notices of a time window that reached no group or mailing list (ops, after route-notifications parked them)',
  method: 'POST',
  path: '/deliveries/route',
  summary: 'Route notices again',
  auth: ['ops'],
  body: S.RouteBody,
  response: ZONEFLOW_DOCS ? S.routeView : undefined,
  idempotent: true,
  tables: { delivery: 'RW', inbox: 'RW', reference: 'R', audit: 'W', idempotency: 'RW' },
});

export const ROUTES = [myNotifications, readNotification, getChannels, putChannels, listDeliveries, retryDeliveries, routeDeliveries];

const DELIVERY_TABLES = { inbox: 'RW', delivery: 'RW', reference: 'R' } as const;

export const TASKS = [
  declareTask({
    kind: 'consumer',
    name: 'route-notifications',
    entry: 'notifications/stream/route-notifications.ts',
    description: 'Inbox stream: queues each new notification on the robots and e-mail lists routing names, and sends it',
    tables: DELIVERY_TABLES,
    consumes: 'inbox',
    channels: 'deliver',
  }),
  declareTask({
    kind: 'schedule',
    name: 'deliver-notifications',
    entry: 'notifications/steps/deliver-notifications.ts',
    description: 'Every minute: works each channel queue (retries after backoff, notices held by a rate limit)',
    tables: DELIVERY_TABLES,
    schedule: { cron: { minute: '*', hour: '*' }, timeZone: 'Asia/Shanghai', carriesOn: true },
    channels: 'deliver',
  }),
];
