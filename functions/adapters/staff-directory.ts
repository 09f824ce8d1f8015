import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  RespondToAuthChallengeCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { tokensOf } from './staff-sign-in.js';
import { noStanding, staffGroups, type StaffDirectory, type StaffGroup } from '../app/staff.js';

/** The staff directory on the Cognito user pool (see app/staff.ts). */
export function cognitoStaffDirectory(client: CognitoIdentityProviderClient, userPoolId: string, clientId: string): StaffDirectory {
  const usernameOf = async (email: string) => {
    const found = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${email.replace(/["\\]/g, '')}"`, Limit: 1 }));
    return found.Users?.[0]?.Username ?? email;
  };
  return {
    async list() {
      const users = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, ...(token ? { PaginationToken: token } : {}) }));
        users.push(...(page.Users ?? []));
        token = page.PaginationToken;
      } while (token && users.length < 1000);
      const members = new Map<string, StaffGroup>();
      for (const group of staffGroups) {
        // Page by page (60 at most each): a group of more than 60 people is listed whole.
        let next: string | undefined;
        do {
          const inGroup = await client.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, Limit: 60, ...(next ? { NextToken: next } : {}) }));
          for (const user of inGroup.Users ?? []) if (!members.has(user.Username!)) members.set(user.Username!, group);
          next = inGroup.NextToken;
        } while (next);
      }
      return users
        .map((user) => ({
          email: user.Attributes?.find((attribute) => attribute.Name === 'email')?.Value ?? user.Username!,
          enabled: user.Enabled !== false,
          status: user.UserStatus ?? 'UNKNOWN',
          group: members.get(user.Username!) ?? null,
        }))
        .sort((a, b) => a.email.localeCompare(b.email));
    },
    async invite(email, group, temporaryPassword) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: email,
          TemporaryPassword: temporaryPassword,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }));
    },
    async setGroup(email, group) {
      const username = await usernameOf(email);
      for (const other of staffGroups.filter((g) => g !== group)) {
        await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: other }));
      }
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
    },
    async setEnabled(email, enabled) {
      const username = await usernameOf(email);
      await client.send(enabled ? new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }) : new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
    },
    async resetSecondFactor(email) {
      const username = await usernameOf(email);
      await client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: userPoolId, Username: username, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }));
    },
    async isEnabled(email) {
      try {
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: await usernameOf(email) }));
        return user.Enabled !== false;
      } catch {
        return false;
      }
    },
    async standing(email) {
      try {
        const username = await usernameOf(email);
        const [user, groups] = await Promise.all([
          client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })),
          client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username })),
        ]);
        const names = (groups.Groups ?? []).map((group) => group.GroupName);
        return {
          enabled: user.Enabled !== false,
          group: staffGroups.find((group) => names.includes(group)) ?? null,
          mfa: (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'),
        };
      } catch {
        return noStanding;
      }
    },
    async completeNewPassword(email, temporaryPassword, newPassword) {
      const started = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword } }));
      if (started.ChallengeName !== 'NEW_PASSWORD_REQUIRED') return tokensOf(started.AuthenticationResult);
      const done = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      );
      return tokensOf(done.AuthenticationResult);
    },
  };
}
