import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerSecrets } from '../../functions/adapters/secrets.js';
import { TestClock } from '../support/fakes.js';

/**
 * A rotated API key: Secrets Manager keeps the value before as AWSPREVIOUS; it opens the API for a
 * day after the new value was made, then no more. (The local stack's Secrets Manager does the same:
 * test/e2e/staff.test.ts rotates a key there.)
 */
function secretsManager(clock: TestClock, rotatedAt: Date | null) {
  const calls: string[] = [];
  const client = {
    send: async (command: { input: { SecretId: string; VersionStage?: string } }) => {
      calls.push(command.input.VersionStage ?? 'AWSCURRENT');
      if (command.input.VersionStage === 'AWSPREVIOUS') {
        if (!rotatedAt) throw Object.assign(new Error('no previous'), { name: 'ResourceNotFoundException' });
        return { SecretString: 'old-key', CreatedDate: new Date(0) };
      }
      return { SecretString: rotatedAt ? 'new-key' : 'old-key', CreatedDate: rotatedAt ?? new Date(0) };
    },
  } as unknown as SecretsManagerClient;
  return { secrets: new SecretsManagerSecrets(client, { finance: 'arn:finance' }, clock), calls };
}

describe('API keys across a rotation', () => {
  it('accepts the key before a rotation for a day after it, then only the new one', async () => {
    const clock = new TestClock();
    expect(await secretsManager(clock, null).secrets.acceptedKeys('finance')).toEqual(['old-key']);
    const rotated = secretsManager(clock, clock.now());
    expect(await rotated.secrets.acceptedKeys('finance')).toEqual(['new-key', 'old-key']);
    clock.advance(24 * 3600);
    expect(await secretsManager(clock, new Date(clock.current.getTime() - 24 * 3600_000)).secrets.acceptedKeys('finance')).toEqual(['new-key']);
  });

  it('reads the keys again for an unknown key at most twice a minute', async () => {
    const clock = new TestClock();
    const { secrets, calls } = secretsManager(clock, null);
    await secrets.acceptedKeys('finance');
    await secrets.acceptedKeys('finance');
    expect(calls).toHaveLength(1);
    await secrets.acceptedKeys('finance', true);
    expect(calls).toHaveLength(1); // read a moment ago: fresh enough
  });
});
