import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { staffRole } from '../app/staff.js';
import { header } from '../http/http.js';
import { log } from '../runtime/log.js';
import { formFields, html, redirect, type ConsoleDeps, type Role } from './router.js';
import { newPasswordPage, signInPage } from './views/layout.js';

/**
 * Who is signed in: the session is the person's ID token in a cookie scripts cannot read, checked on
 * every request as the API's authorizer checks it; every form carries a CSRF token derived from the
 * session (or, before sign-in, from a cookie of its own). A wrong email and a wrong password get the
 * same answer.
 */
const SESSION = 'po_session';
const SIGN_IN = 'po_signin';

export const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
export const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The request's cookies; a value that is not valid percent-encoding is left out. */
function cookies(event: APIGatewayProxyEvent): Record<string, string> {
  const raw = header(event, 'cookie') ?? '';
  return Object.fromEntries(
    raw
      .split(';')
      .map((part) => part.trim().split('='))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0]!.length > 0)
      .flatMap(([name, value]) => {
        try {
          return [[name, decodeURIComponent(value)]];
        } catch {
          return [];
        }
      }),
  );
}

/** The cookies of one request: scoped to the console's path, HttpOnly, SameSite=Strict, Secure behind https. */
function cookieWriter(event: APIGatewayProxyEvent, base: string) {
  const secure = (header(event, 'x-forwarded-proto') ?? '') === 'https';
  return (name: string, value: string, maxAge: number) => `${name}=${encodeURIComponent(value)}; Path=${base}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export interface Person {
  sub: string;
  email: string;
  role: Role;
  /** The session's own token, from which its CSRF token derives. */
  token: string;
}

/** How long a person's standing in the directory (enabled, group) is taken as read. */
export const STANDING_TTL_MS = 60_000;
const standings = new Map<string, { at: number; standing: { enabled: boolean; group: Role | null } }>();

/**
 * The signed-in person of this request, or null (no session, expired, or not staff). The token says
 * who they were when they signed in; the directory says who they are now: a person disabled or moved
 * to another group loses the old access within STANDING_TTL_MS (read at most once a minute per
 * person and container), whatever the token's hour says.
 */
export async function personOf(event: APIGatewayProxyEvent, deps: Pick<ConsoleDeps, 'staff' | 'directory' | 'clock'>): Promise<Person | null> {
  const token = cookies(event)[SESSION];
  if (!token) return null;
  let verified;
  try {
    verified = await deps.staff().verify(token);
  } catch {
    return null; // expired or not ours: sign in again
  }
  if (!staffRole(verified.groups)) return null;
  const now = deps.clock.now().getTime();
  const key = verified.email.toLowerCase();
  let known = standings.get(key);
  if (!known || now - known.at >= STANDING_TTL_MS || now < known.at) {
    known = { at: now, standing: await deps.directory().standing(verified.email) };
    standings.set(key, known);
  }
  const { enabled, group } = known.standing;
  return enabled && group ? { sub: verified.sub, email: verified.email, role: group, token } : null;
}

export const csrfOf = (person: Person) => digest(`csrf:${person.token}`);

/** The sign-in form, with a fresh CSRF token in a cookie of its own. */
export function signInForm(event: APIGatewayProxyEvent, base: string, status: number, error?: string, email?: string): APIGatewayProxyResult {
  const token = randomBytes(24).toString('base64url');
  return html(status, signInPage(base, { csrf: token, ...(error ? { error } : {}), ...(email ? { email } : {}) }), { 'Set-Cookie': cookieWriter(event, base)(SIGN_IN, token, 900) });
}

/** Signing in, and setting the first password of an invited person: the pages before a session. */
export async function signInRoutes(event: APIGatewayProxyEvent, deps: ConsoleDeps, base: string, path: string): Promise<APIGatewayProxyResult | null> {
  if (event.httpMethod !== 'POST' || (path !== '/sign-in' && path !== '/new-password')) return null;
  const cookie = cookieWriter(event, base);
  const fields = Object.fromEntries(formFields(event));
  const expected = cookies(event)[SIGN_IN];
  const fresh = !expected || !fields.csrf || !sameText(fields.csrf, expected);
  if (path === '/sign-in') {
    if (fresh) return signInForm(event, base, 403, 'The sign-in form expired. Please try again.');
    const email = (fields.email ?? '').trim();
    const result = email && fields.password ? await deps.signIn().signIn(email, fields.password) : ({ ok: false, reason: 'wrong' } as const);
    if (!result.ok && result.reason === 'new_password_required') {
      const token = randomBytes(24).toString('base64url');
      return html(200, newPasswordPage(base, { csrf: token, email }), { 'Set-Cookie': cookie(SIGN_IN, token, 900) });
    }
    // A disabled person is refused like a wrong password (the local Cognito would let them in).
    if (!result.ok || !(await deps.directory().isEnabled(email))) {
      log.warn('console sign-in refused', { reason: result.ok ? 'disabled' : result.reason });
      return signInForm(event, base, 401, 'The email or the password is not right.', email);
    }
    return redirect(base, { 'Set-Cookie': cookie(SESSION, result.idToken, result.expiresInSeconds) });
  }
  if (fresh) return signInForm(event, base, 403, 'The form expired. Please sign in again.');
  const again = (error: string) => html(400, newPasswordPage(base, { csrf: expected!, email: fields.email ?? '', error }));
  if ((fields.password ?? '').length < 12) return again('Choose a password of at least 12 characters.');
  if (fields.password !== fields.repeat) return again('The two new passwords are not the same.');
  let idToken: string | null = null;
  try {
    idToken = await deps.directory().completeNewPassword((fields.email ?? '').trim(), fields.current ?? '', fields.password!);
  } catch (error) {
    log.warn('new password refused', { reason: error instanceof Error ? error.name : String(error) });
  }
  if (!idToken) return again('The email or the temporary password is not right, or the new password is not allowed.');
  return redirect(base, { 'Set-Cookie': cookie(SESSION, idToken, 3600) });
}

/** Signing out: the session's cookie is cleared. */
export const signOut = (event: APIGatewayProxyEvent, base: string) => redirect(base, { 'Set-Cookie': cookieWriter(event, base)(SESSION, '', 0) });
