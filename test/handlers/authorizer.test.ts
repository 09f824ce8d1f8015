import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/api/authorizer.js';
import { FixedSecrets } from '../support/fakes.js';

const authorize = makeHandler({ secrets: new FixedSecrets() });
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

  it('refuses a missing, malformed or unknown key (API Gateway answers 401)', async () => {
    for (const header of [undefined, '', 'test-finance-key', 'Bearer', 'Bearer nope', 'Bearer test-finance-key-2']) {
      await expect(authorize(request(header))).rejects.toThrow('Unauthorized');
    }
  });
});
