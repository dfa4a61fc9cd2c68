// PUT /config/channels — ops publish the notification routing: group robots and e-mail lists, each for departments,
// parks and notice kinds. Webhook URLs and signing secrets go to the secret store first (a new name per write), then
// the document that names them is stored with its audit event; credentials the new version no longer names are
// deleted afterwards. A failed publish leaves at most an unused secret behind, never a document without its secret.
import { createHash } from 'node:crypto';
import { auditOp } from '#kernel/store/audit.ts';
import { assertPinned, nextVersion } from '#kernel/domain/version.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { writesAllowed } from '#kernel/runtime/write-gate.ts';
import { outcomeUnknown } from '#kernel/runtime/faults.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { channelsView, publishChannels, type ChannelsDoc, type ChannelsInput } from '#notifications/domain/channels.ts';
import { secrets } from '#notifications/secrets.ts';
import { getChannels, putChannelsVersion } from '#notifications/store/channels.ts';
import { parkNames } from '#reference/domain/parks.ts';
import { publishedChange } from '#reference/domain/config.ts';
import { getConfig } from '#reference/store/reference.ts';
import * as routes from '#notifications/routes.ts';

/** Hosts besides the platforms' own a webhook may name (locally: the receiver on localhost). */
const extraHosts = (process.env.ROBOT_HOSTS_ALLOWED ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);

/** A publication's audit details: the fields of the shown document that changed, before and after, and the ids in force. */
function audited(current: { version: number; doc: ChannelsDoc }, next: { version: number; doc: ChannelsDoc; note?: string }, credentialsReplaced: number) {
  const change = publishedChange({ version: current.version, doc: channelsView(current.doc) }, { version: next.version, doc: channelsView(next.doc), note: next.note });
  return { before: change.before, after: { ...change.after, robots: next.doc.robots.map((r) => r.id), email: next.doc.email.map((e) => e.id), credentialsReplaced } };
}

export const handler = writeRoute(routes.putChannels, async (req) => {
  const [current, parks] = await Promise.all([getChannels(), getConfig('parks')]);
  assertPinned('channels', current.version, req.requireIfMatch());
  const store = secrets();
  const now = clock.now();
  const published = publishChannels(req.body.doc as ChannelsInput, current.doc, { extraHosts, parks: parkNames(parks.doc), fingerprint: (url) => createHash('sha256').update(url).digest('hex') }, (id) => store.newName(`channels/${id}`), now);
  // Credentials are written before the commit: not while the request may still be a replay (write-gate.ts).
  await writesAllowed();
  for (const w of published.writes) await store.put(w.name, JSON.stringify(w.value));
  const next = { name: 'channels' as const, version: nextVersion(current), doc: published.doc, publishedAt: now.toISOString(), publishedBy: req.principal.sub, ...(req.body.note ? { note: req.body.note } : {}) };
  const view = { ...next, doc: channelsView(next.doc) };
  const forget = (names: readonly string[]) =>
    Promise.all(names.map((name) => store.delete(name).catch((err: unknown) => log.warn('could not delete channel credentials', { err: String(err) }))));
  const response = await req.commit(
    [
      putChannelsVersion(next),
      auditOp(
        'CONFIG#channels',
        'config.published',
        req.principal,
        // What changed as GET shows it — who each group and list serves, the addresses, the retry policy — before and after
        // (the discipline office reads the routing it replaced; no credential is in a view), with the channels' ids.
        audited(current, next, published.writes.length),
        now,
        req.requestId,
      ),
    ],
    json(200, view, etag(next.version)),
  ).catch(async (err: unknown) => {
    // Lost the race for this version (412), or the store refused the write: the credentials written for it name nothing.
    // Not when the store failed in a way that leaves it unknown whether the version was written: it may name them.
    if (!outcomeUnknown(err)) await forget(published.writes.map((w) => w.name));
    throw err;
  });
  await forget(published.orphaned);
  return response;
});
