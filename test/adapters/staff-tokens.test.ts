import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoStaffTokens } from '../../functions/adapters/staff-tokens.js';

/**
 * Staff ID tokens as the user pool signs them (RS256, its published keys), verified by the adapter
 * with aws-jwt-verify: a person counts only with a verified email, since it names them in the history.
 */
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'test-key';
let server: Server;
let endpoint: string;
const pool = 'us-east-1_TEST';
const client = 'console-client';

beforeAll(async () => {
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === `/${pool}/.well-known/jwks.json`) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function idToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'RS256', kid, typ: 'JWT' })}.${part({ iss: `${endpoint}/${pool}`, aud: client, token_use: 'id', sub: 'sub-1', email: 'fin@seller.example', 'cognito:groups': ['finance'], iat: now, exp: now + 3600, ...claims })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

describe('staff ID tokens', () => {
  it('names the person by sub, email and groups when the email is verified, and refuses a token whose email is not', async () => {
    const verifier = cognitoStaffTokens({ userPoolId: pool, clientId: client, region: 'us-east-1', endpoint });
    await expect(verifier.verify(idToken({ email_verified: true }))).resolves.toEqual({ sub: 'sub-1', email: 'fin@seller.example', groups: ['finance'] });
    await expect(verifier.verify(idToken({ email_verified: false }))).rejects.toThrow(/not verified/);
    await expect(verifier.verify(idToken({}))).rejects.toThrow(/not verified/);
    await expect(verifier.verify(idToken({ email_verified: true, token_use: 'access' }))).rejects.toThrow(/not an ID token/);
  });
});
