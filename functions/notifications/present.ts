// A notification as the API shows it (GET /me/notifications, POST /me/notifications/{id}/read).
import { presentDelivery } from '#notifications/domain/delivery.ts';
import type { StoredNotification } from '#notifications/store/inbox.ts';

export const presentNotification = (n: StoredNotification) => ({
  id: n.id,
  inbox: n.recipient,
  kind: n.kind,
  projectId: n.projectId ?? null,
  title: n.title,
  body: n.body,
  // The same notice in English (every notice is worded in both; null for one stored without it).
  en: n.en ? { title: n.en.title, body: n.en.body } : null,
  createdAt: n.createdAt,
  read: n.read,
  readAt: n.readAt ?? null,
  readBy: n.readBy ?? null,
  // Made void by a later notice (a department told a gate no longer awaits its decision): when, and that notice's kind.
  voidedAt: n.voidedAt ?? null,
  voidedBy: n.voidedBy ?? null,
  delivery: presentDelivery(n.delivery),
});
