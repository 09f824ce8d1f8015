import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ServiceError } from './service-error.js';

/**
 * What cognito-local does not keep and the user pool does: GlobalSignOut. A person signed out
 * everywhere has every access token issued before that moment refused, as by Cognito, by the calls
 * that take one (GetUser, the authenticator's set-up, ChangePassword...), and every refresh token
 * issued before it (seen passing through this endpoint at sign-in) refused by REFRESH_TOKEN_AUTH.
 * Tokens carry their issue time in whole seconds, so the moment each was issued is taken as it passes
 * through this endpoint (to the millisecond, on the stack's clock): a token issued in the very second
 * of the sign-out, before it, is refused too, and one issued after it works. Kept in
 * `<dataDir>/cognito/sign-outs.json`, so a restart keeps them.
 */
export class LocalCognitoSessions {
  private readonly file: string;
  private readonly signOuts: Record<string, { at: number; jti: string }>;
  /** Refresh tokens by their digest: whose, and when issued. */
  private readonly refreshTokens: Record<string, { sub: string; at: number }>;
  /** When each access token was issued, by its id (jti), to the millisecond; a day at most. */
  private readonly accessTokens: Record<string, number>;

  /** `now`: the stack's clock, on which the local pool issues its tokens. */
  constructor(
    dataDir: string,
    private readonly now: () => number,
  ) {
    this.file = path.join(dataDir, 'cognito', 'sign-outs.json');
    const kept = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as { signOuts?: LocalCognitoSessions['signOuts']; refreshTokens?: LocalCognitoSessions['refreshTokens']; accessTokens?: LocalCognitoSessions['accessTokens'] })
      : {};
    this.signOuts = kept.signOuts ?? {};
    this.refreshTokens = kept.refreshTokens ?? {};
    this.accessTokens = kept.accessTokens ?? {};
  }

  /** A sign-in's answer: its refresh token is the person's, issued now. */
  issued(answer: Record<string, unknown>): Record<string, unknown> {
    const result = answer.AuthenticationResult as { RefreshToken?: string; AccessToken?: string } | undefined;
    const claims = claimsOf(result?.AccessToken);
    if (!claims) return answer;
    const now = this.now();
    if (claims.jti) this.accessTokens[claims.jti] = now;
    if (result?.RefreshToken) this.refreshTokens[digest(result.RefreshToken)] = { sub: claims.sub, at: now };
    for (const [jti, at] of Object.entries(this.accessTokens)) if (at < now - DAY_MS) delete this.accessTokens[jti];
    this.save();
    return answer;
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify({ signOuts: this.signOuts, refreshTokens: this.refreshTokens, accessTokens: this.accessTokens }));
  }

  /** GlobalSignOut: the token's person is signed out of every session now. */
  signOut(accessToken: unknown): void {
    const claims = claimsOf(accessToken);
    if (!claims || this.refused(claims)) throw new ServiceError('NotAuthorizedException', 'Invalid Access Token');
    this.signOuts[claims.sub] = { at: this.now(), jti: claims.jti };
    this.save();
  }

  /** The refusal of a call whose access token was signed out, or null. */
  refusal(operation: string, body: Record<string, unknown>): ServiceError | null {
    const refresh = (body.AuthParameters as Record<string, unknown> | undefined)?.REFRESH_TOKEN;
    if (operation === 'InitiateAuth' && typeof refresh === 'string') {
      const known = this.refreshTokens[digest(refresh)];
      const out = known && this.signOuts[known.sub];
      return out && known.at < out.at ? new ServiceError('NotAuthorizedException', 'Refresh Token has been revoked') : null;
    }
    if (typeof body.AccessToken !== 'string') return null;
    const claims = claimsOf(body.AccessToken);
    return claims && this.refused(claims) ? new ServiceError('NotAuthorizedException', 'Access Token has been revoked') : null;
  }

  private refused(claims: { sub: string; iat: number; jti: string }): boolean {
    const out = this.signOuts[claims.sub];
    if (out === undefined) return false;
    if (claims.jti === out.jti) return true;
    // Issued through this endpoint: when, to the millisecond. Else (issued before the stack kept them) by its second.
    const issued = this.accessTokens[claims.jti];
    return issued !== undefined ? issued <= out.at : (claims.iat + 1) * 1000 <= out.at;
  }
}


function claimsOf(token: unknown): { sub: string; iat: number; jti: string } | null {
  if (typeof token !== 'string') return null;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.sub === 'string' && typeof claims.iat === 'number' && claims.token_use === 'access' ? { sub: claims.sub, iat: claims.iat, jti: String(claims.jti ?? '') } : null;
  } catch {
    return null;
  }
}

const DAY_MS = 86_400_000;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
