// Inbox addressing: who a notification for a role goes to, and which inboxes a signed-in user reads. One rule for
// both sides, so a notice sent to a park's service center is read by that park's users and nobody else's.
import type { Role } from '#kernel/domain/codes.ts';
import type { Principal } from '#kernel/domain/principal.ts';

/** The inbox of a role in the context of a project: park centers per park, the enterprise per enterprise. */
export function roleInbox(role: Role, project: { readonly park: string; readonly investor: { readonly enterpriseId: string } }): string {
  if (role === 'ops') return 'OPS';
  if (role === 'park_center') return `DEPT#park_center#${project.park}`;
  if (role === 'enterprise') return `ENTERPRISE#${project.investor.enterpriseId}`;
  return `DEPT#${role}`;
}

/** Every inbox a user reads: one per role held (scoped to its park or enterprise), and the user's own. */
export function inboxesOf(p: Principal): string[] {
  const inboxes = p.roles.flatMap((role): string[] => {
    if (role === 'ops') return ['OPS'];
    if (role === 'park_center') return p.park ? [`DEPT#park_center#${p.park}`] : [];
    if (role === 'enterprise') return p.enterprise ? [`ENTERPRISE#${p.enterprise}`] : [];
    return [`DEPT#${role}`];
  });
  return [...new Set([...inboxes, `USER#${p.sub}`])];
}

/**
 * Whether a user reads this inbox in-app (inboxesOf names it for someone): every inbox but a department's per-park list
 * `DEPT#<role>#<park>` (channels.ts parkDigestInbox), which only the channels limited to that park carry. Only the notices
 * of such an inbox are counted unread.
 */
export const readInApp = (recipient: string): boolean => !/^DEPT#(?!park_center#)[^#]+#/.test(recipient);

/**
 * Every inbox a user can read, for the given parks and enterprises: ops', each department's (a park center's per park),
 * each enterprise's. Users' own inboxes (`USER#<sub>`) are not listed: no notice is addressed to one person yet.
 */
export function readableInboxes(roles: readonly Role[], parks: readonly string[], enterprises: readonly string[]): string[] {
  const inboxes = roles.flatMap((role): string[] => {
    if (role === 'ops') return ['OPS'];
    if (role === 'park_center') return parks.map((park) => `DEPT#park_center#${park}`);
    if (role === 'enterprise') return enterprises.map((e) => `ENTERPRISE#${e}`);
    return [`DEPT#${role}`];
  });
  return [...new Set(inboxes)];
}

/**
 * A notification's id, made at `at`: its instant in base-36 milliseconds, its place among the notices of one change
 * (`order`: same instant, so the ids keep the order the change raised them in), five random characters. placeOfId reads
 * the instant back.
 */
export function notificationId(at: Date, order: number, random: () => number = Math.random): string {
  return `${at.getTime().toString(36)}${order.toString(36).padStart(3, '0')}${random().toString(36).slice(2, 7).padEnd(5, '0')}`;
}

/** The two shapes of a notification id: generated (notificationId, until 2059), a day's digest (`dg` yyyymmdd hex16). */
export const GENERATED_ID = /^[0-9a-z]{16}$/;
export const DIGEST_ID = /^dg(\d{4})(\d{2})(\d{2})[0-9a-f]{16}$/;

/**
 * Where a notification's id places it in its inbox (the key is `seq` = <ISO instant>#<id>): a generated id
 * (notificationId) begins with its instant, so the exact key; a day's digest id
 * (`dg` + yyyymmdd + 16 hex digits) names its day, so that day's range. Undefined: not an id the inbox makes.
 */
export function placeOfId(id: string): { readonly seq: string } | { readonly from: string; readonly to: string } | undefined {
  const digest = DIGEST_ID.exec(id);
  if (digest) {
    const day = Date.parse(`${digest[1]}-${digest[2]}-${digest[3]}T00:00:00+08:00`);
    if (Number.isNaN(day)) return undefined;
    return { from: new Date(day).toISOString(), to: `${new Date(day + 86_400_000).toISOString()}` };
  }
  if (!GENERATED_ID.test(id)) return undefined;
  // Eight base-36 digits of milliseconds: 2000 to May 2059 (`zzzzzzzz`); the id grows a digit after that, and this
  // check with it.
  const ms = parseInt(id.slice(0, 8), 36);
  if (!(ms >= 946_684_800_000)) return undefined;
  return { seq: `${new Date(ms).toISOString()}#${id}` };
}
