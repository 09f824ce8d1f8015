import { ListUsersCommand, ListUsersInGroupCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { cognitoStaffDirectory } from '../../functions/adapters/staff-directory.js';

/**
 * The staff list as Cognito pages it: ListUsers by 60, ListUsersInGroup by at most 60 with a
 * NextToken. A directory of 130 reviewers shows every one of them with their group.
 */
const users = Array.from({ length: 130 }, (_, i) => ({ Username: `u${i}`, Enabled: true, UserStatus: 'CONFIRMED', Attributes: [{ Name: 'email', Value: `r${String(i).padStart(3, '0')}@seller.example` }] }));

function pagedCognito(): CognitoIdentityProviderClient {
  const page = <T>(items: T[], token: string | undefined, size: number) => {
    const start = token ? Number(token) : 0;
    return { items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined };
  };
  return {
    send: async (command: unknown) => {
      if (command instanceof ListUsersCommand) {
        const { items, next } = page(users, command.input.PaginationToken, 60);
        return { Users: items, PaginationToken: next };
      }
      if (command instanceof ListUsersInGroupCommand) {
        const members = command.input.GroupName === 'reviewer' ? users.slice(1) : users.slice(0, 1);
        const { items, next } = page(members, command.input.NextToken, Math.min(command.input.Limit ?? 60, 60));
        return { Users: items, NextToken: next };
      }
      throw new Error('not used here');
    },
  } as unknown as CognitoIdentityProviderClient;
}

describe('the staff directory on Cognito', () => {
  it('lists every person with their group, however many pages the pool answers in', async () => {
    const listed = await cognitoStaffDirectory(pagedCognito(), 'pool', 'client').list();
    expect(listed).toHaveLength(130);
    expect(listed.filter((member) => member.group === 'reviewer')).toHaveLength(129);
    expect(listed.filter((member) => member.group === null)).toEqual([]);
    expect(listed[0]).toMatchObject({ email: 'r000@seller.example', group: 'finance' });
  });
});
