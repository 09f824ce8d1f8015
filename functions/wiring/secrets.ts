import { secretsClient } from '../adapters/aws-clients.js';
import { SecretsManagerSecrets } from '../adapters/secrets.js';
import { envNames } from '../runtime/env.js';

export const secrets = () => {
  const optional = (name: string) => process.env[name] || undefined;
  return new SecretsManagerSecrets(secretsClient(), {
    checkout: optional(envNames.checkoutKeySecret),
    finance: optional(envNames.financeKeySecret),
    linkSigning: optional(envNames.linkSigningSecret),
  });
};
