import { ServiceError } from './service-error.js';

/** A secret of the template, as the local Secrets Manager keeps it. */
export interface LocalSecretValue {
  arn: string;
  name: string;
  value: string;
  /** When the current value was put (ms on the stack's clock; 0 for the value the stack started with). */
  created?: number;
  /** The value before the last PutSecretValue (AWSPREVIOUS). */
  previous?: { value: string; created: number };
}

const notFound = () => new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** GetSecretValue: AWSCURRENT, or AWSPREVIOUS once a value was put over the first. */
export function getSecretValue(secret: LocalSecretValue | undefined, body: Record<string, unknown>) {
  if (!secret) throw notFound();
  if (body.VersionStage === 'AWSPREVIOUS') {
    if (!secret.previous) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    return { ARN: secret.arn, Name: secret.name, SecretString: secret.previous.value, VersionId: 'local-previous', VersionStages: ['AWSPREVIOUS'], CreatedDate: secret.previous.created / 1000 };
  }
  return { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: 'local', VersionStages: ['AWSCURRENT'], CreatedDate: (secret.created ?? 0) / 1000 };
}

/** PutSecretValue, a rotation by hand (the seller's, or a test's): the value before becomes AWSPREVIOUS. Kept until the stack stops. */
export function putSecretValue(secret: LocalSecretValue | undefined, body: Record<string, unknown>, now: number) {
  if (!secret) throw notFound();
  if (typeof body.SecretString !== 'string' || !body.SecretString) throw new ServiceError('InvalidParameterException', 'SecretString must be a non-empty string');
  secret.previous = { value: secret.value, created: secret.created ?? 0 };
  secret.value = body.SecretString;
  secret.created = now;
  return { ARN: secret.arn, Name: secret.name, VersionId: `local-${now}`, VersionStages: ['AWSCURRENT'] };
}
