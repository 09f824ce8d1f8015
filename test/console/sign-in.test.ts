import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { StaffSignIn } from '../../functions/adapters/staff-sign-in.js';
import type { Standing } from '../../functions/app/staff.js';
import { makeConsoleHandler } from '../../functions/console/handler.js';
import { otpauthUri } from '../../functions/console/security.js';
import { apiEvent, approvedOnFakes, directoryOf } from '../support/fakes.js';
import { noFiles } from '../support/route-handlers.js';

/**
 * Two-step sign-in and the session's end, on a fake user pool that keeps what Cognito keeps: who has
 * an authenticator app, which sessions were signed out. (The browser test runs the same pages on
 * cognito-local, with codes from otplib.)
 */
const people: Record<string, { sub: string; email: string; groups: string[] }> = {
  'id-fin': { sub: 'sub-fin', email: 'fin@seller.example', groups: ['finance'] },
  'id-rev': { sub: 'sub-rev', email: 'rev@seller.example', groups: ['reviewer'] },
  'id-fin2': { sub: 'sub-fin2', email: 'fin2@seller.example', groups: ['finance'] },
  /** The same person's ID token after a renewal. */
  'id-rev-new': { sub: 'sub-rev', email: 'rev@seller.example', groups: ['reviewer'] },
};

async function consoleOn() {
  const { deps, poId } = await approvedOnFakes();
  const mfa = new Set<string>();
  const signedOut = new Set<string>();
  const calls: string[] = [];
  const standing = (email: string): Standing => {
    const person = Object.values(people).find((p) => p.email === email);
    return { enabled: true, group: (person?.groups[0] as 'finance' | 'reviewer' | undefined) ?? null, mfa: mfa.has(email) };
  };
  const directory = {
    ...directoryOf(standing),
    list: async () => [...new Set(Object.values(people).map((p) => p.email))].map((email) => ({ email, enabled: true, status: 'CONFIRMED', group: standing(email).group })),
    resetSecondFactor: async (email: string) => void mfa.delete(email),
  };
  const pool: StaffSignIn = {
    signIn: async (email, password) => {
      if (password !== 'right password') return { ok: false, reason: 'wrong' };
      const id = Object.entries(people).find(([, p]) => p.email === email)![0];
      return mfa.has(email) ? { ok: false, reason: 'code_required', challenge: `challenge-${id}` } : { ok: true, idToken: id, accessToken: `access-${id}`, expiresInSeconds: 3600 };
    },
    answerCode: async (_email, challenge, code) => {
      const id = challenge.replace('challenge-', '');
      return code === '123456' ? { idToken: id, accessToken: `access-${id}-2`, expiresInSeconds: 3600 } : null;
    },
    refresh: async (refresh) => (refresh === 'refresh-id-rev' ? { idToken: 'id-rev-new', accessToken: 'access-id-rev-2', refreshToken: refresh, expiresInSeconds: 900 } : null),
    sessionOf: async (access) => (signedOut.has(access) ? null : (people[access.replace(/^access-/, '').replace(/-2$/, '')]?.sub ?? null)),
    signOut: async (access) => {
      calls.push(`signOut ${access}`);
      signedOut.add(access);
    },
    startAuthenticator: async () => 'JBSWY3DPEHPK3PXP',
    confirmAuthenticator: async (access, code) => {
      if (code !== '654321') return false;
      mfa.add(people[access.replace(/^access-/, '')]!.email);
      return true;
    },
  };
  const handle = makeConsoleHandler({ ...deps, ...deps.publishing, files: noFiles, staff: () => ({ verify: async (token: string) => people[token] ?? Promise.reject(new Error('bad token')) }), signIn: () => pool, directory: () => directory });
  let jar: Record<string, string> = {};
  const keep = (answer: APIGatewayProxyResult) => {
    const lines = [...((answer.multiValueHeaders?.['Set-Cookie'] as string[] | undefined) ?? []), ...(answer.headers?.['Set-Cookie'] ? [String(answer.headers['Set-Cookie'])] : [])];
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair!.split('=');
      if (attributes.some((a) => a.trim() === 'Max-Age=0')) delete jar[name!];
      else jar[name!] = decodeURIComponent(value!);
    }
    return answer;
  };
  const request = async (method: string, path: string, form?: Record<string, string>) => {
    const cookie = Object.entries(jar).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(last?.body ?? '')?.[1] ?? '';
    const event: APIGatewayProxyEvent = apiEvent({
      method,
      path: `/console${path}`,
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams({ csrf, ...form }).toString() : null,
    });
    event.resource = path === '/' ? '/console' : '/console/{proxy+}';
    const answer = keep(await handle(event));
    if (answer.statusCode !== 303) last = answer;
    return answer;
  };
  let last: APIGatewayProxyResult | undefined;
  const signIn = async (email: string) => {
    await request('GET', '/');
    return request('POST', '/sign-in', { email, password: 'right password' });
  };
  return { deps, poId, request, signIn, mfa, calls, jar: () => jar, reset: () => ((jar = {}), (last = undefined)) };
}

describe('two-step sign-in in the console', () => {
  it('keeps finance on the set-up page until an authenticator app is set up: QR code, key to type, first code', async () => {
    const { request, signIn, deps } = await consoleOn();
    const signedIn = await signIn('fin@seller.example');
    expect(signedIn.statusCode).toBe(303);
    // The session is two cookies, each a header line of its own.
    expect(signedIn.multiValueHeaders?.['Set-Cookie']).toEqual([expect.stringMatching(/^po_session=id-fin; .*HttpOnly; SameSite=Strict/), expect.stringMatching(/^po_access=access-id-fin;/), expect.stringMatching(/^po_code=; .*Max-Age=0/)]);
    const queue = await request('GET', '/queues/to-ship');
    expect(queue.statusCode).toBe(303);
    expect(queue.headers?.Location).toBe('/console/security');
    const setUp = await request('GET', '/security');
    expect(setUp.statusCode).toBe(200);
    expect(setUp.body).toContain('<svg');
    expect(setUp.body).toContain('JBSW Y3DP EHPK 3PXP');
    expect(setUp.body).not.toContain('Record payment');
    // A form of another page is refused until then, and changes nothing.
    const before = (await deps.pos.get('PO0001'))?.po.payment.amountPaid;
    expect((await request('POST', '/po/PO0001/actions/record-payment', { amount: '1.00', reference: 'W-1' })).statusCode).toBe(403);
    expect((await deps.pos.get('PO0001'))?.po.payment.amountPaid).toBe(before);
    const wrong = await request('POST', '/security/authenticator', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code was not right');
    const on = await request('POST', '/security/authenticator', { code: '654 321' });
    expect(on.statusCode).toBe(200);
    expect(on.body).toContain('Two-step sign-in is on');
    expect((await request('GET', '/queues/to-ship')).statusCode).toBe(200);
  });

  it('asks for the code after the password once the app is set up; a wrong code signs nobody in', async () => {
    const { request, signIn, mfa, jar, reset } = await consoleOn();
    mfa.add('fin@seller.example');
    const asked = await signIn('fin@seller.example');
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Enter your code');
    expect(jar().po_session).toBeUndefined();
    const refused = await request('POST', '/sign-in/code', { code: '111111' });
    expect(refused.statusCode).toBe(401);
    expect(jar().po_session).toBeUndefined();
    reset();
    await signIn('fin@seller.example');
    expect((await request('POST', '/sign-in/code', { code: '123456' })).statusCode).toBe(303);
    expect(jar().po_session).toBe('id-fin');
    expect((await request('GET', '/queues/to-ship')).statusCode).toBe(200);
  });

  it('lets reviewers in without one unless the policy requires it', async () => {
    const { request, signIn, deps, reset } = await consoleOn();
    await signIn('rev@seller.example');
    expect((await request('GET', '/queues/to-review')).statusCode).toBe(200);
    await deps.policies.put({ ...(await deps.policies.get()), mfaForReviewers: true });
    reset();
    await signIn('rev@seller.example');
    expect((await request('GET', '/queues/to-review')).headers?.Location).toBe('/console/security');
  });

  it('a finance colleague resets a lost authenticator app: the person signs in with the password alone, then must set up a new one', async () => {
    const { request, signIn, mfa, jar, reset, deps } = await consoleOn();
    mfa.add('fin@seller.example').add('fin2@seller.example');
    // Nobody resets their own (that would make the second factor a password away), and reviewers reset nobody.
    await signIn('fin@seller.example');
    await request('POST', '/sign-in/code', { code: '123456' });
    const staff = (await request('GET', '/staff')).body;
    expect(staff).not.toContain('aria-label="Reset authenticator of fin@seller.example"');
    expect(staff).toContain('aria-label="Reset authenticator of fin2@seller.example"');
    expect((await request('POST', '/staff/reset-authenticator', { email: 'fin@seller.example' })).statusCode).toBe(409);
    expect(mfa.has('fin@seller.example')).toBe(true);
    reset();
    await signIn('rev@seller.example');
    await request('GET', '/queues/to-review');
    expect((await request('POST', '/staff/reset-authenticator', { email: 'fin@seller.example' })).statusCode).toBe(404);
    expect(mfa.has('fin@seller.example')).toBe(true);
    reset();
    await signIn('fin2@seller.example');
    await request('POST', '/sign-in/code', { code: '123456' });
    await request('GET', '/staff');
    const done = await request('POST', '/staff/reset-authenticator', { email: 'fin@seller.example' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('fin@seller.example&#39;s authenticator app is turned off');
    expect(mfa.has('fin@seller.example')).toBe(false);
    // The person signs in without a code, and the console keeps them on the set-up page (its read of them is at most a minute old).
    reset();
    deps.clock.advance(61);
    expect((await signIn('fin@seller.example')).statusCode).toBe(303);
    expect(jar().po_session).toBe('id-fin');
    expect((await request('GET', '/queues/to-ship')).headers?.Location).toBe('/console/security');
  });

  it('signs out at the pool: the same cookies, sent again, open nothing', async () => {
    const { request, signIn, calls, jar } = await consoleOn();
    await signIn('rev@seller.example');
    const kept = { ...jar() };
    expect((await request('GET', '/queues/to-review')).statusCode).toBe(200);
    expect((await request('POST', '/sign-out', {})).statusCode).toBe(303);
    expect(calls).toEqual(['signOut access-id-rev']);
    expect(jar().po_session).toBeUndefined();
    Object.assign(jar(), kept); // a copy of the cookies, taken before
    const again = await request('GET', '/queues/to-review');
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('Sign in');
  });

  it('renews expired tokens with the refresh token on the way, and a form rendered before still posts', async () => {
    const { request, jar, poId } = await consoleOn();
    // (a session of its own: the one signed out above stays signed out in this container's cache)
    Object.assign(jar(), { po_session: 'id-rev', po_access: 'access-id-rev-2', po_refresh: 'refresh-id-rev' });
    expect((await request('GET', `/po/${poId}`)).statusCode).toBe(200);
    // The ID token expires (the fake verifier no longer knows it); the next page renews it.
    Object.assign(jar(), { po_session: 'expired' });
    const renewed = await request('GET', '/queues/to-review');
    expect(renewed.statusCode).toBe(200);
    expect(renewed.multiValueHeaders?.['Set-Cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^po_session=id-rev-new; /), expect.stringMatching(/^po_refresh=refresh-id-rev; .*Max-Age=36000/)]));
    expect(jar().po_session).toBe('id-rev-new');
    // A form of a page rendered before the renewal: its CSRF token still holds (it derives from the refresh token).
    Object.assign(jar(), { po_session: 'id-rev' });
    await request('GET', '/security');
    Object.assign(jar(), { po_session: 'expired' });
    expect((await request('POST', '/security/authenticator', { code: '000000' })).statusCode).toBe(400);
    // Without a refresh token that the pool still honours, an expired session is over.
    Object.assign(jar(), { po_session: 'expired', po_refresh: 'revoked' });
    expect((await request('GET', '/queues/to-review')).statusCode).toBe(401);
  });

  it('writes the otpauth URI authenticator apps read', () => {
    expect(otpauthUri('fin@seller.example', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Purchase%20orders%3Afin%40seller.example?secret=JBSWY3DPEHPK3PXP&issuer=Purchase%20orders&algorithm=SHA1&digits=6&period=30',
    );
  });
});
