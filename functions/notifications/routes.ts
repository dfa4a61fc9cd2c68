// The notification module's routes.
import { declareRoute } from '#kernel/declarations.ts';
import { PageQuery } from '#kernel/http/schemas.ts';
import { notificationPage } from './schemas.ts';

export const myNotifications = /* @__PURE__ */ declareRoute({
  name: 'my-notifications',
  entry: 'notifications/http/my-notifications.ts',
  description: 'My inbox: notices to my departments, park, enterprise and me, newest first',
  method: 'GET',
  path: '/me/notifications',
  summary: 'My notifications',
  auth: 'any',
  query: PageQuery,
  response: ZONEFLOW_DOCS ? notificationPage : undefined,
  tables: { inbox: 'R', reference: 'R' },
});

export const ROUTES = [myNotifications];
