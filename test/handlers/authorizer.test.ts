import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/api/authorizer.js';
import { noStanding, staffRole, type Standing } from '../../functions/app/staff.js';
import { defaultPolicy } from '../../contract/policy.js';
import { FixedSecrets } from '../support/fakes.js';

/** A verifier that knows two tokens; the real one (aws-jwt-verify) runs in the end-to-end tests. */
const staff = () => ({
  verify: async (token: string) => {
    if (token === 'aaa.bbb.finance') return { sub: 'u-1', email: 'finance@seller.example', groups: ['finance', 'reviewer'] };
    if (token === 'aaa.bbb.nogroup') return { sub: 'u-2', email: 'temp@seller.example', groups: [] };
    if (token === 'aaa.bbb.disabled') return { sub: 'u-3', email: 'gone@seller.example', groups: ['finance'] };
    if (token === 'aaa.bbb.moved') return { sub: 'u-4', email: 'moved@seller.example', groups: ['finance'] };
    if (token === 'aaa.bbb.password-only') return { sub: 'u-5', email: 'new@seller.example', groups: ['finance'] };
    if (token === 'aaa.bbb.reviewer') return { sub: 'u-6', email: 'rev@seller.example', groups: ['reviewer'] };
    throw new Error('invalid signature');
  },
});
/**
 * The directory now: finance@ is finance with an authenticator app; two others were disabled or
 * moved since their tokens were issued; new@ is finance without a second factor; rev@ a reviewer without one.
 */
const standings: Record<string, Standing> = {
  'finance@seller.example': { enabled: true, group: 'finance', mfa: true },
  'moved@seller.example': { enabled: true, group: 'reviewer', mfa: false },
  'new@seller.example': { enabled: true, group: 'finance', mfa: false },
  'rev@seller.example': { enabled: true, group: 'reviewer', mfa: false },
};
const directory = () => ({ standing: async (email: string) => standings[email] ?? noStanding });
let policy = { ...defaultPolicy };
const secrets = new FixedSecrets();
const authorize = makeHandler({ secrets, staff, directory, policies: () => ({ get: async () => policy }) });
const request = (authorization?: string) =>
  ({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/v1/GET/purchase-orders/PO1',
    headers: authorization === undefined ? {} : { Authorization: authorization },
  }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('the key authorizer', () => {
  it('names the role of a stored key in its context, for the handlers to check per route', async () => {
    for (const role of ['checkout', 'finance'] as const) {
      const answer = await authorize(request(`Bearer test-${role}-key`));
      expect(answer.context).toEqual({ role, keyName: role });
      expect(answer.policyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:api/v1/*' })]);
    }
  });

  it('names a signed-in person and their role from their groups', async () => {
    expect((await authorize(request('Bearer aaa.bbb.finance'))).context).toEqual({ role: 'finance', personId: 'u-1', email: 'finance@seller.example' });
    expect(staffRole(['reviewer'])).toBe('reviewer');
    // The directory as it is now decides: moved to the reviewers since the token was issued.
    expect((await authorize(request('Bearer aaa.bbb.moved'))).context).toEqual({ role: 'reviewer', personId: 'u-4', email: 'moved@seller.example' });
    expect(staffRole(['admins'])).toBeNull();
  });

  it('takes the key a rotation replaced while it still opens the API (for a day), as the same role', async () => {
    await expect(authorize(request('Bearer rotated-out-key'))).rejects.toThrow('Unauthorized');
    secrets.previous.finance = 'rotated-out-key';
    expect((await authorize(request('Bearer rotated-out-key'))).context).toEqual({ role: 'finance', keyName: 'finance' });
    delete secrets.previous.finance;
  });

  it('refuses finance without a second factor (a token from a password alone), and reviewers too when the policy says so', async () => {
    await expect(authorize(request('Bearer aaa.bbb.password-only'))).rejects.toThrow('Unauthorized');
    expect((await authorize(request('Bearer aaa.bbb.reviewer'))).context).toMatchObject({ role: 'reviewer' });
    policy = { ...defaultPolicy, mfaForReviewers: true };
    await expect(authorize(request('Bearer aaa.bbb.reviewer'))).rejects.toThrow('Unauthorized');
    expect((await authorize(request('Bearer aaa.bbb.finance'))).context).toMatchObject({ role: 'finance' });
    policy = { ...defaultPolicy };
  });

  it('refuses a missing, malformed or unknown key, a token that does not verify, and a person without a staff group (401)', async () => {
    for (const header of [undefined, '', 'test-finance-key', 'Bearer', 'Bearer nope', 'Bearer test-finance-key-2', 'Bearer aaa.bbb.forged', 'Bearer aaa.bbb.nogroup', 'Bearer aaa.bbb.disabled']) {
      await expect(authorize(request(header))).rejects.toThrow('Unauthorized');
    }
  });
});
