import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Signs a person in with their email and password against the staff user pool (USER_PASSWORD_AUTH
 * through the console's app client, server-side: no token or secret reaches a script). A wrong email
 * and a wrong password look the same to the caller.
 */
export type SignInResult = { ok: true; idToken: string; expiresInSeconds: number } | { ok: false; reason: 'wrong' | 'new_password_required' };

export interface StaffSignIn {
  signIn(email: string, password: string): Promise<SignInResult>;
}

const refusals = new Set(['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException', 'UserNotConfirmedException', 'PasswordResetRequiredException']);

export function cognitoSignIn(client: CognitoIdentityProviderClient, clientId: string): StaffSignIn {
  return {
    async signIn(email, password) {
      try {
        const result = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
        if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED') return { ok: false, reason: 'new_password_required' };
        const tokens = result.AuthenticationResult;
        if (!tokens?.IdToken) return { ok: false, reason: 'wrong' };
        return { ok: true, idToken: tokens.IdToken, expiresInSeconds: tokens.ExpiresIn ?? 3600 };
      } catch (error) {
        if (error instanceof Error && refusals.has(error.name)) return { ok: false, reason: 'wrong' };
        throw error;
      }
    },
  };
}
