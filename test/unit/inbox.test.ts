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

describe('unread counting: which inboxes are read in-app, and which the back-fill visits', () => {
  it('every inbox a user reads is read in-app; a department’s per-park list (channels only) is not', async () => {
    const { readInApp } = await import('../../functions/notifications/domain/inbox.ts');
    const { parkDigestInbox } = await import('../../functions/notifications/domain/channels.ts');
    for (const role of ROLES) {
      const user = { sub: 'u-1', name: 'x', roles: [role], park: project.park, enterprise: project.investor.enterpriseId };
      for (const inbox of inboxesOf(user)) expect(readInApp(inbox), inbox).toBe(true);
    }
    expect(readInApp(parkDigestInbox('resources_bureau', '汇通产业园'))).toBe(false);
    expect(readInApp('DEPT#park_center#汇通产业园')).toBe(true);
  });

  it('lists ops’, each department’s, each park’s center and each enterprise’s inbox: every shared inbox a user of those parks and enterprises reads', async () => {
    const { readableInboxes } = await import('../../functions/notifications/domain/inbox.ts');
    const listed = readableInboxes(ROLES, ['汇通产业园', '科创城'], ['ent-a']);
    expect(listed).toContain('OPS');
    expect(listed).toContain('DEPT#park_center#科创城');
    expect(listed).toContain('ENTERPRISE#ent-a');
    expect(listed).not.toContain('DEPT#park_center');
    expect(listed).not.toContain('DEPT#enterprise');
    for (const role of ROLES)
      for (const park of ['汇通产业园', '科创城']) {
        const shared = inboxesOf({ sub: 'u-1', name: 'x', roles: [role], park, enterprise: 'ent-a' }).filter((i) => !i.startsWith('USER#'));
        expect(listed).toEqual(expect.arrayContaining(shared));
      }
  });
});
