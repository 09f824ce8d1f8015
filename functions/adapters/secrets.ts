import { GetSecretValueCommand, ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KEY_OVERLAP_MS, type Clock, type Secrets } from '../app/ports.js';

const TTL_MS = 5 * 60_000;
/** A key that matched nothing reads the keys again at most this often (a flood of wrong keys costs no more). */
const FRESH_AFTER_MS = 30_000;

type Name = 'checkout' | 'finance' | 'linkSigning';

/**
 * Secrets read at run time from Secrets Manager, cached per function instance for five minutes. A
 * rotation (a new value put to the secret) makes the old value AWSPREVIOUS: as an API key it still
 * opens the API for a day after the new one was made.
 */
export class SecretsManagerSecrets implements Secrets {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();
  private readonly keys = new Map<string, { value: Promise<string[]>; at: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ids: Partial<Record<Name, string>>,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  private id(name: Name): string {
    const id = this.ids[name];
    if (!id) throw new Error(`secret ${name} is not configured for this function`);
    return id;
  }

  get(name: Name): Promise<string> {
    let id: string;
    try {
      id = this.id(name);
    } catch (error) {
      return Promise.reject(error as Error);
    }
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

  acceptedKeys(name: 'checkout' | 'finance', fresh = false): Promise<string[]> {
    const id = this.id(name);
    const cached = this.keys.get(id);
    const age = cached ? Date.now() - cached.at : Infinity;
    if (cached && (fresh ? age < FRESH_AFTER_MS : age < TTL_MS)) return cached.value;
    const value = (async () => {
      const current = await this.client.send(new GetSecretValueCommand({ SecretId: id }));
      if (!current.SecretString) throw new Error(`secret ${name} has no value`);
      const made = current.CreatedDate?.getTime() ?? 0;
      if (this.clock.now().getTime() - made >= KEY_OVERLAP_MS) return [current.SecretString];
      try {
        const previous = await this.client.send(new GetSecretValueCommand({ SecretId: id, VersionStage: 'AWSPREVIOUS' }));
        return previous.SecretString ? [current.SecretString, previous.SecretString] : [current.SecretString];
      } catch (error) {
        if (error instanceof ResourceNotFoundException || (error instanceof Error && error.name === 'ResourceNotFoundException')) return [current.SecretString];
        throw error;
      }
    })();
    value.catch(() => this.keys.delete(id));
    this.keys.set(id, { value, at: Date.now() });
    return value;
  }
}
