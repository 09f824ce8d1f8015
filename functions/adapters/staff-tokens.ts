import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

/**
 * Staff ID tokens from the user pool, verified with aws-jwt-verify: signature against the pool's
 * public keys, issuer, audience (the console's client), expiry, and `token_use` = id. The issuer is
 * Cognito's, at the endpoint the SDK itself would use (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`
 * where set, as the local stack does); the keys are fetched with the platform's fetch, which also
 * reaches the local stack's plain-HTTP endpoint.
 */
export interface StaffIdentity {
  sub: string;
  email: string;
  groups: string[];
}

export interface StaffTokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

export function cognitoStaffTokens(config: { userPoolId: string; clientId: string; region: string; endpoint?: string }): StaffTokenVerifier {
  const base = (config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com`).replace(/\/$/, '');
  const issuer = `${base}/${config.userPoolId}`;
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri: string) => {
        const response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`fetching the user pool's keys failed: ${response.status}`);
        return response.arrayBuffer();
      },
    },
  });
  const verifier = JwtVerifier.create(
    {
      issuer,
      audience: config.clientId,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
        // The email names the person in the history and in "never oneself": only a verified one counts.
        if (payload.email_verified !== true && payload.email_verified !== 'true') throw new Error('the email of this token is not verified');
      },
    },
    { jwksCache },
  );
  return {
    async verify(token: string) {
      const payload = await verifier.verify(token);
      const groups = payload['cognito:groups'];
      return {
        sub: String(payload.sub),
        email: String(payload.email ?? ''),
        groups: Array.isArray(groups) ? groups.map(String) : [],
      };
    },
  };
}

/** A bearer value shaped like a JWT (three base64url parts), as opposed to an API key. */
export const looksLikeJwt = (value: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
