import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import { looksLikeJwt, type StaffTokenVerifier } from '../adapters/staff-tokens.js';
import type { PolicyStore, Secrets } from '../app/ports.js';
import { noStanding, secondFactorRequired, staffRole, type StaffDirectory } from '../app/staff.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { log } from '../runtime/log.js';
import { secrets } from '../wiring/secrets.js';
import { staffDirectory, staffTokens } from '../wiring/staff.js';
import { stores } from '../wiring/stores.js';

/**
 * API Gateway's Lambda authorizer. Systems present a stored key (checkout or finance), people a
 * Cognito ID token from the staff user pool, both as `Authorization: Bearer <…>`. Who the caller is
 * travels to the handler in the authorizer context (`role`, and `keyName` or `personId` + `email`);
 * each handler still decides which roles may call it. A person whose role must sign in with a second
 * factor (finance; reviewers when the policy says so) and who has none set up is refused: their
 * token came from a password alone.
 */
const digest = (value: string) => createHash('sha256').update(value).digest();

export const makeHandler =
  (deps: { secrets: Secrets; staff: () => StaffTokenVerifier; directory: () => Pick<StaffDirectory, 'standing'>; policies: () => Pick<PolicyStore, 'get'> }) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    // Allow the whole API for this caller (the result is cached per credential); handlers check the role.
    const arn = event.methodArn.split('/').slice(0, 2).join('/');
    const allow = (principalId: string, context: Record<string, string>): APIGatewayAuthorizerResult => ({
      principalId,
      context,
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/*` }] },
    });
    if (presented && looksLikeJwt(presented)) {
      try {
        const person = await deps.staff().verify(presented);
        // The token says who they were at sign-in; the directory says who they are now (the result is
        // cached by API Gateway for a minute, so a disabled or moved person is out within it).
        const now = staffRole(person.groups) ? await deps.directory().standing(person.email) : noStanding;
        const role = now.enabled ? now.group : null;
        if (role && !now.mfa && secondFactorRequired(role, await deps.policies().get())) {
          log.warn('a person without the second factor their role requires', { personId: person.sub, role });
        } else if (role) return allow(person.sub, { role, personId: person.sub, email: person.email });
        else log.warn('a signed-in person without a staff group', { personId: person.sub });
      } catch (error) {
        log.warn('staff token refused', { reason: error instanceof Error ? error.message : String(error) });
      }
    } else if (presented) {
      // The current key of each role, and the one before it for a day after a rotation; a key that
      // matches none of those cached reads them again (a rotation a moment ago), at most twice a minute.
      for (const fresh of [false, true]) {
        for (const role of ['checkout', 'finance'] as const) {
          const keys = await deps.secrets.acceptedKeys(role, fresh);
          if (keys.some((key) => timingSafeEqual(digest(presented), digest(key)))) return allow(role, { role, keyName: role });
        }
      }
    }
    log.warn('request refused by the authorizer', { path: event.path, method: event.httpMethod });
    throw new Error('Unauthorized'); // API Gateway answers 401
  };

export const handler = lazyHandler(() => makeHandler({ secrets: secrets(), staff: staffTokens, directory: staffDirectory, policies: () => stores().policies }));
