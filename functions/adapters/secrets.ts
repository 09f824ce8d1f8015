import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Secrets } from '../app/ports.js';

const TTL_MS = 5 * 60_000;

/** Secrets read at run time from Secrets Manager, cached per function instance for five minutes. */
export class SecretsManagerSecrets implements Secrets {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ids: Partial<Record<'checkout' | 'finance' | 'linkSigning', string>>,
  ) {}

  get(name: 'checkout' | 'finance' | 'linkSigning'): Promise<string> {
    const id = this.ids[name];
    if (!id) return Promise.reject(new Error(`secret ${name} is not configured for this function`));
    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = this.client.send(new GetSecretValueCommand({ SecretId: id })).then((out) => {
      if (!out.SecretString) throw new Error(`secret ${name} has no value`);
      return out.SecretString;
    });
    value.catch(() => this.cache.delete(id));
    this.cache.set(id, { value, until: Date.now() + TTL_MS });
    return value;
  }
}
