import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Secrets } from '../app/ports.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import { secrets } from '../wiring/secrets.js';

/**
 * API Gateway's Lambda authorizer: the caller must present a stored key (checkout or finance) as
 * `Authorization: Bearer <key>`. An API key is not authentication; this is. The role travels to the
 * handler in the authorizer context; each handler still decides which roles may call it.
 */
const digest = (value: string) => createHash('sha256').update(value).digest();

export const makeHandler =
  (deps: { secrets: Secrets }) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (presented) {
      for (const role of ['checkout', 'finance'] as const) {
        if (timingSafeEqual(digest(presented), digest(await deps.secrets.get(role)))) {
          // Allow the whole API for this key (the result is cached per key); handlers check the role.
          const arn = event.methodArn.split('/').slice(0, 2).join('/');
          return {
            principalId: role,
            context: { role, keyName: role },
            policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/*` }] },
          };
        }
      }
    }
    log.warn('request refused by the authorizer', { path: event.path, method: event.httpMethod });
    throw new Error('Unauthorized'); // API Gateway answers 401
  };

export const handler = lazyHandler(() => makeHandler({ secrets: secrets() }));
