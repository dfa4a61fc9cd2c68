// Inbox addressing: the inbox a notice for a role goes to is the inbox a user with that role reads.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { inboxesOf, roleInbox } from '../../functions/notifications/domain/inbox.ts';

const project = { park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };

describe('inbox addressing', () => {
  it.each(ROLES.map((r) => [r] as const))('a notice to %s reaches the users of that role on that project', (role) => {
    const user = { sub: 'u-1', name: 'x', roles: [role], park: project.park, enterprise: project.investor.enterpriseId };
    expect(inboxesOf(user)).toContain(roleInbox(role, project));
  });

  it('scopes park centers to their park and enterprises to themselves', () => {
    expect(roleInbox('park_center', project)).toBe('DEPT#park_center#汇通产业园');
    expect(inboxesOf({ sub: 'u-2', name: 'x', roles: ['park_center'], park: '科创城' })).not.toContain(roleInbox('park_center', project));
    expect(inboxesOf({ sub: 'u-3', name: 'x', roles: ['enterprise'], enterprise: 'ent-b' })).toEqual(['ENTERPRISE#ent-b', 'USER#u-3']);
    // Without the claim that scopes it, the role reads nothing shared — only the user's own inbox.
    expect(inboxesOf({ sub: 'u-4', name: 'x', roles: ['park_center'] })).toEqual(['USER#u-4']);
  });
});
