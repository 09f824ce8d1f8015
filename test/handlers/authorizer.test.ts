import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/api/authorizer.js';
import { staffRole } from '../../functions/app/staff.js';
import { FixedSecrets } from '../support/fakes.js';

/** A verifier that knows two tokens; the real one (aws-jwt-verify) runs in the end-to-end tests. */
const staff = () => ({
  verify: async (token: string) => {
    if (token === 'aaa.bbb.finance') return { sub: 'u-1', email: 'finance@seller.example', groups: ['finance', 'reviewer'] };
    if (token === 'aaa.bbb.nogroup') return { sub: 'u-2', email: 'temp@seller.example', groups: [] };
    if (token === 'aaa.bbb.disabled') return { sub: 'u-3', email: 'gone@seller.example', groups: ['finance'] };
    if (token === 'aaa.bbb.moved') return { sub: 'u-4', email: 'moved@seller.example', groups: ['finance'] };
    throw new Error('invalid signature');
  },
});
/** The directory now: finance@ is finance; the two others were disabled or moved since their tokens were issued. */
const directory = () => ({
  standing: async (email: string) =>
    email === 'finance@seller.example' ? { enabled: true, group: 'finance' as const } : email === 'moved@seller.example' ? { enabled: true, group: 'reviewer' as const } : { enabled: false, group: null },
});
const authorize = makeHandler({ secrets: new FixedSecrets(), staff, directory });
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

  it('refuses a missing, malformed or unknown key, a token that does not verify, and a person without a staff group (401)', async () => {
    for (const header of [undefined, '', 'test-finance-key', 'Bearer', 'Bearer nope', 'Bearer test-finance-key-2', 'Bearer aaa.bbb.forged', 'Bearer aaa.bbb.nogroup', 'Bearer aaa.bbb.disabled']) {
      await expect(authorize(request(header))).rejects.toThrow('Unauthorized');
    }
  });
});
