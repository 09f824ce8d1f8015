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
    throw new Error('invalid signature');
  },
});
const authorize = makeHandler({ secrets: new FixedSecrets(), staff });
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
    expect(staffRole(['admins'])).toBeNull();
  });

  it('refuses a missing, malformed or unknown key, a token that does not verify, and a person without a staff group (401)', async () => {
    for (const header of [undefined, '', 'test-finance-key', 'Bearer', 'Bearer nope', 'Bearer test-finance-key-2', 'Bearer aaa.bbb.forged', 'Bearer aaa.bbb.nogroup']) {
      await expect(authorize(request(header))).rejects.toThrow('Unauthorized');
    }
  });
});
