import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { noStanding, STAFF_SESSION_HOURS, staffRole, type SessionTokens, type Standing } from '../app/staff.js';
import { header } from '../http/http.js';
import { log } from '../runtime/log.js';
import { formFields, html, redirect, type ConsoleDeps, type Role } from './router.js';
import { newPasswordPage, signInPage } from './views/layout.js';
import { codePage } from './views/security.js';

/**
 * Who is signed in: the session is the person's ID token (who they are) and access token (their
 * session at the user pool) in two cookies scripts cannot read, checked on every request as the
 * API's authorizer checks the ID token, and at the pool at most once a minute (signed out, disabled,
 * moved group). Every form carries a CSRF token derived from the session (or, before sign-in, from a
 * cookie of its own). A wrong email, password or code get the same answer.
 */
const SESSION = 'po_session';
const ACCESS = 'po_access';
const REFRESH = 'po_refresh';
const SIGN_IN = 'po_signin';
/** A sign-in that waits for the authenticator's code: the email and the pool's challenge session. */
const CODE = 'po_code';

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
  /** Signs in with an authenticator app. */
  mfa: boolean;
  /** What the session's CSRF token derives from: its refresh token, which outlives the renewals of the others (else its ID token). */
  token: string;
  /** The session at the user pool (to set up an authenticator, and to sign out). */
  access: string;
  /** New tokens, when this request renewed the session's expired ones: the answer sets them. */
  renewed?: SessionTokens;
}

/** How long a session's standing (at the pool, and in the directory) is taken as read. */
export const STANDING_TTL_MS = 60_000;
const sessions = new Map<string, { at: number; alive: boolean; standing: Standing }>();

/**
 * The signed-in person of this request, or null (no session, expired, signed out, or not staff).
 * The token says who they were when they signed in; the pool and the directory say who they are now:
 * a session signed out elsewhere, or a person disabled or moved to another group, loses the old
 * access within STANDING_TTL_MS (read at most once a minute per session and container), whatever
 * the token's hour says. `fresh` reads them now.
 */
export async function personOf(event: APIGatewayProxyEvent, deps: Pick<ConsoleDeps, 'staff' | 'directory' | 'signIn' | 'clock'>, fresh = false): Promise<Person | null> {
  const jar = cookies(event);
  let token = jar[SESSION];
  let access = jar[ACCESS];
  let renewed: SessionTokens | undefined;
  if (!token || !access) return null;
  let verified;
  try {
    verified = await deps.staff().verify(token);
  } catch {
    // Expired (or not ours): the session's refresh token renews it, unless it was signed out.
    const refresh = jar[REFRESH];
    renewed = (refresh && (await deps.signIn().refresh(refresh))) || undefined;
    if (!renewed) return null;
    ({ idToken: token, accessToken: access } = renewed);
    try {
      verified = await deps.staff().verify(token);
    } catch {
      return null;
    }
  }
  if (!staffRole(verified.groups)) return null;
  const now = deps.clock.now().getTime();
  const key = digest(access);
  let known = sessions.get(key);
  if (fresh || !known || now - known.at >= STANDING_TTL_MS || now < known.at) {
    const [holder, standing] = await Promise.all([deps.signIn().sessionOf(access), deps.directory().standing(verified.email)]);
    known = { at: now, alive: holder === verified.sub, standing };
    sessions.set(key, known);
    if (sessions.size > 10_000) sessions.delete(sessions.keys().next().value!);
  }
  const { enabled, group, mfa } = known.standing;
  const basis = jar[REFRESH] ?? token;
  return known.alive && enabled && group ? { sub: verified.sub, email: verified.email, role: group, mfa, token: basis, access, ...(renewed ? { renewed } : {}) } : null;
}

export const csrfOf = (person: Person) => digest(`csrf:${person.token}`);

/** The sign-in form, with a fresh CSRF token in a cookie of its own. */
export function signInForm(event: APIGatewayProxyEvent, base: string, status: number, error?: string, email?: string): APIGatewayProxyResult {
  const token = randomBytes(24).toString('base64url');
  return html(status, signInPage(base, { csrf: token, ...(error ? { error } : {}), ...(email ? { email } : {}) }), { 'Set-Cookie': cookieWriter(event, base)(SIGN_IN, token, 900) });
}

/**
 * A session's cookies, each a header line of its own: they last the working day of the refresh
 * token; the tokens in them expire sooner and are renewed on the way.
 */
export function sessionCookies(event: APIGatewayProxyEvent, base: string, tokens: SessionTokens): string[] {
  const cookie = cookieWriter(event, base);
  const day = STAFF_SESSION_HOURS * 3600;
  return [cookie(SESSION, tokens.idToken, day), cookie(ACCESS, tokens.accessToken, day), ...(tokens.refreshToken ? [cookie(REFRESH, tokens.refreshToken, day)] : [])];
}

function startsSession(event: APIGatewayProxyEvent, base: string, tokens: SessionTokens): APIGatewayProxyResult {
  return { ...redirect(base), multiValueHeaders: { 'Set-Cookie': [...sessionCookies(event, base, tokens), cookieWriter(event, base)(CODE, '', 0)] } };
}

/** Signing in (password, then the authenticator's code if the person has one), and setting the first password of an invited person: the pages before a session. */
export async function signInRoutes(event: APIGatewayProxyEvent, deps: ConsoleDeps, base: string, path: string): Promise<APIGatewayProxyResult | null> {
  if (event.httpMethod !== 'POST' || (path !== '/sign-in' && path !== '/sign-in/code' && path !== '/new-password')) return null;
  const cookie = cookieWriter(event, base);
  const jar = cookies(event);
  const fields = Object.fromEntries(formFields(event));
  const expected = jar[SIGN_IN];
  const fresh = !expected || !fields.csrf || !sameText(fields.csrf, expected);
  const wrong = (email: string, reason: string) => {
    log.warn('console sign-in refused', { reason });
    return signInForm(event, base, 401, 'The email, the password or the code is not right.', email);
  };
  if (path === '/sign-in') {
    if (fresh) return signInForm(event, base, 403, 'The sign-in form expired. Please try again.');
    const email = (fields.email ?? '').trim();
    const result = email && fields.password ? await deps.signIn().signIn(email, fields.password) : ({ ok: false, reason: 'wrong' } as const);
    if (!result.ok && result.reason === 'new_password_required') {
      const token = randomBytes(24).toString('base64url');
      return html(200, newPasswordPage(base, { csrf: token, email }), { 'Set-Cookie': cookie(SIGN_IN, token, 900) });
    }
    if (!result.ok && result.reason === 'code_required') {
      // The pool's challenge lives three minutes; so does the page that answers it.
      const pending = Buffer.from(JSON.stringify({ email, challenge: result.challenge })).toString('base64url');
      return html(200, codePage(base, { csrf: expected! }), { 'Set-Cookie': cookie(CODE, pending, 180) });
    }
    // A disabled person is refused like a wrong password (the local Cognito would let them in).
    if (!result.ok) return wrong(email, result.reason);
    if (!(await deps.directory().isEnabled(email))) return wrong(email, 'disabled');
    return startsSession(event, base, result);
  }
  if (path === '/sign-in/code') {
    if (fresh) return signInForm(event, base, 403, 'The sign-in form expired. Please try again.');
    let pending: { email?: unknown; challenge?: unknown } = {};
    try {
      pending = JSON.parse(Buffer.from(jar[CODE] ?? '', 'base64url').toString('utf8') || '{}') as typeof pending;
    } catch {
      // not ours: sign in again
    }
    const email = typeof pending.email === 'string' ? pending.email : '';
    const code = (fields.code ?? '').replace(/\s/g, '');
    if (!email || typeof pending.challenge !== 'string') return signInForm(event, base, 401, 'The sign-in took too long. Please sign in again.', email);
    const tokens = /^\d{6}$/.test(code) ? await deps.signIn().answerCode(email, pending.challenge, code) : null;
    if (!tokens) return wrong(email, 'code');
    if (!(await deps.directory().isEnabled(email))) return wrong(email, 'disabled');
    return startsSession(event, base, tokens);
  }
  if (fresh) return signInForm(event, base, 403, 'The form expired. Please sign in again.');
  const again = (error: string) => html(400, newPasswordPage(base, { csrf: expected!, email: fields.email ?? '', error }));
  if ((fields.password ?? '').length < 12) return again('Choose a password of at least 12 characters.');
  if (fields.password !== fields.repeat) return again('The two new passwords are not the same.');
  let tokens: SessionTokens | null = null;
  try {
    tokens = await deps.directory().completeNewPassword((fields.email ?? '').trim(), fields.current ?? '', fields.password!);
  } catch (error) {
    log.warn('new password refused', { reason: error instanceof Error ? error.name : String(error) });
  }
  if (!tokens) return again('The email or the temporary password is not right, or the new password is not allowed.');
  return startsSession(event, base, tokens);
}

/**
 * Signing out: every session of the person ends at the user pool (their access tokens stop working
 * there, so this session's standing check fails in every container within a minute, and at once in
 * this one), and the cookies are cleared.
 */
export async function signOut(event: APIGatewayProxyEvent, deps: Pick<ConsoleDeps, 'signIn' | 'clock'>, base: string, person: Person): Promise<APIGatewayProxyResult> {
  sessions.set(digest(person.access), { at: deps.clock.now().getTime(), alive: false, standing: noStanding });
  await deps.signIn().signOut(person.access);
  const cookie = cookieWriter(event, base);
  return { ...redirect(base), multiValueHeaders: { 'Set-Cookie': [cookie(SESSION, '', 0), cookie(ACCESS, '', 0), cookie(REFRESH, '', 0)] } };
}
