import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCognitoSessions } from '../../infra/local/cognito-sessions.js';

/**
 * GlobalSignOut on the local pool, which cognito-local lacks: every token issued before the sign-out
 * is refused, to the millisecond, though tokens carry their issue time in whole seconds; a token
 * issued after it works; a restart keeps what was signed out.
 */
const token = (claims: Record<string, unknown>) => `h.${Buffer.from(JSON.stringify({ token_use: 'access', ...claims })).toString('base64url')}.s`;
const signIn = (sessions: LocalCognitoSessions, jti: string, iat: number, refresh?: string) =>
  sessions.issued({ AuthenticationResult: { AccessToken: token({ sub: 'sub-fin', iat, jti }), ...(refresh ? { RefreshToken: refresh } : {}) } });

describe('signing out on the local pool', () => {
  it('refuses every token issued before the sign-out, in the same second too, and none issued after it; across a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cognito-sessions-'));
    let now = Date.parse('2026-12-07T10:00:00.100Z');
    const sessions = new LocalCognitoSessions(dir, () => now);
    const second = Math.floor(now / 1000);
    signIn(sessions, 'laptop', second, 'refresh-laptop');
    now += 300; // the same second
    signIn(sessions, 'phone', second);
    now += 100;
    sessions.signOut(token({ sub: 'sub-fin', iat: second, jti: 'phone' }));
    now += 200; // still the same second: a new sign-in
    signIn(sessions, 'again', second, 'refresh-again');

    const verdicts = (pool: LocalCognitoSessions) => {
      const call = (jti: string) => pool.refusal('GetUser', { AccessToken: token({ sub: 'sub-fin', iat: second, jti }) })?.message ?? 'ok';
      const refresh = (value: string) => pool.refusal('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: value } })?.message ?? 'ok';
      return { laptop: call('laptop'), phone: call('phone'), again: call('again'), refreshLaptop: refresh('refresh-laptop'), refreshAgain: refresh('refresh-again') };
    };
    const expected = { laptop: 'Access Token has been revoked', phone: 'Access Token has been revoked', again: 'ok', refreshLaptop: 'Refresh Token has been revoked', refreshAgain: 'ok' };
    expect(verdicts(sessions)).toEqual(expected);
    expect(verdicts(new LocalCognitoSessions(dir, () => now))).toEqual(expected);
  });
});
