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
