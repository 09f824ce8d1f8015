import {
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SessionTokens } from '../app/staff.js';

/**
 * A person's own account at the staff user pool, server-side through the console's app client (no
 * token or secret reaches a script): sign in with email and password (USER_PASSWORD_AUTH), then the
 * code of their authenticator app when they have one (SOFTWARE_TOKEN_MFA); set that app up
 * (AssociateSoftwareToken, VerifySoftwareToken); check that a session still stands (GetUser with its
 * access token: refused once signed out or disabled); renew its tokens (REFRESH_TOKEN_AUTH); and sign
 * out everywhere (GlobalSignOut, which revokes the access and refresh tokens). A
 * wrong email, password or code look the same to the caller.
 */
export type SignInResult =
  | ({ ok: true } & SessionTokens)
  | { ok: false; reason: 'wrong' | 'new_password_required' }
  /** The password was right; the pool asks for the authenticator's code (`challenge` is its session). */
  | { ok: false; reason: 'code_required'; challenge: string };

export interface StaffSignIn {
  signIn(email: string, password: string): Promise<SignInResult>;
  /** The code of the person's authenticator app, for a sign-in the pool challenged. */
  answerCode(email: string, challenge: string, code: string): Promise<SessionTokens | null>;
  /** New ID and access tokens for a session whose tokens expired; null once it has been signed out, or the person disabled. */
  refresh(refreshToken: string): Promise<SessionTokens | null>;
  /** The person of a session (their user id), or null once it has been signed out or they are disabled. */
  sessionOf(accessToken: string): Promise<string | null>;
  /** Ends every session of the person (their access and refresh tokens stop working at the pool). */
  signOut(accessToken: string): Promise<void>;
  /** Starts setting up an authenticator app: the secret to show as a QR code and as a key to type. */
  startAuthenticator(accessToken: string): Promise<string>;
  /** Finishes it with a first code from the app; from then on each sign-in asks for a code. */
  confirmAuthenticator(accessToken: string, code: string): Promise<boolean>;
}

const refusals = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'InvalidPasswordException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  'CodeMismatchException',
  'ExpiredCodeException',
  'EnableSoftwareTokenMFAException',
  'InvalidParameterException',
]);
const refused = (error: unknown) => error instanceof Error && refusals.has(error.name);

export const tokensOf = (
  result: { IdToken?: string | undefined; AccessToken?: string | undefined; RefreshToken?: string | undefined; ExpiresIn?: number | undefined } | undefined,
): SessionTokens | null =>
  result?.IdToken && result.AccessToken
    ? { idToken: result.IdToken, accessToken: result.AccessToken, ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}), expiresInSeconds: result.ExpiresIn ?? 900 }
    : null;

export function cognitoSignIn(client: CognitoIdentityProviderClient, clientId: string): StaffSignIn {
  return {
    async signIn(email, password) {
      try {
        const result = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
        if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED') return { ok: false, reason: 'new_password_required' };
        if (result.ChallengeName === 'SOFTWARE_TOKEN_MFA' && result.Session) return { ok: false, reason: 'code_required', challenge: result.Session };
        const tokens = tokensOf(result.AuthenticationResult);
        return tokens ? { ok: true, ...tokens } : { ok: false, reason: 'wrong' };
      } catch (error) {
        if (refused(error)) return { ok: false, reason: 'wrong' };
        throw error;
      }
    },
    async answerCode(email, challenge, code) {
      try {
        const result = await client.send(
          new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: challenge, ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code } }),
        );
        return tokensOf(result.AuthenticationResult);
      } catch (error) {
        if (refused(error)) return null;
        throw error;
      }
    },
    async refresh(refreshToken) {
      try {
        const result = await client.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
        const tokens = tokensOf(result.AuthenticationResult);
        return tokens ? { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken } : null;
      } catch (error) {
        if (refused(error)) return null;
        throw error;
      }
    },
    async sessionOf(accessToken) {
      try {
        const user = await client.send(new GetUserCommand({ AccessToken: accessToken }));
        return user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? null;
      } catch (error) {
        if (refused(error)) return null;
        throw error;
      }
    },
    async signOut(accessToken) {
      try {
        await client.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
      } catch (error) {
        if (!refused(error)) throw error; // already signed out: nothing to do
      }
    },
    async startAuthenticator(accessToken) {
      const started = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
      if (!started.SecretCode) throw new Error('the user pool gave no authenticator secret');
      return started.SecretCode;
    },
    async confirmAuthenticator(accessToken, code) {
      try {
        const verified = await client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'Authenticator app' }));
        if (verified.Status !== 'SUCCESS') return false;
        await client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
        return true;
      } catch (error) {
        if (refused(error)) return false;
        throw error;
      }
    },
  };
}
