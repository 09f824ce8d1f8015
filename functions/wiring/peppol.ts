import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { HttpAccessPoint } from '../adapters/access-point.js';
import { secretsClient } from '../adapters/aws-clients.js';
import type { AccessPoint } from '../app/ports.js';
import { envNames, requireEnv } from '../runtime/env.js';

/** The seller's Peppol access point when the stack names one (PoStackProps.peppolAccessPoint); else none. Its token is read at most every 5 minutes. */
export function accessPoint(): AccessPoint | null {
  const url = process.env[envNames.peppolAccessPointUrl];
  if (!url) return null;
  const secretId = requireEnv(envNames.peppolAccessPointTokenSecret);
  let cached: { value: Promise<string>; until: number } | undefined;
  const token = () => {
    if (!cached || cached.until < Date.now()) {
      const value = secretsClient()
        .send(new GetSecretValueCommand({ SecretId: secretId }))
        .then((answer) => answer.SecretString ?? '');
      cached = { value, until: Date.now() + 300_000 };
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
  return new HttpAccessPoint(new URL(url), token);
}
