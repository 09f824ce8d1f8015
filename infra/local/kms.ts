import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceError } from './service-error.js';

/**
 * KMS for the local stack: the template's customer-managed keys, each with key material of its own
 * kept in `<dataDir>/kms/`, Encrypt and Decrypt with an encryption context (AES-256-GCM, the context
 * as additional data, so a ciphertext opens only with the context it was sealed with, as in KMS).
 * Who may call them is IAM's to say, as on AWS (aws-services.ts checks the key and the context keys).
 */
export class LocalKms {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly keys: string[],
  ) {
    this.dir = path.join(dataDir, 'kms');
  }

  /** The key's ARN, from its id or ARN (NotFoundException for another). */
  keyArn(keyId: unknown): string {
    const arn = this.keys.find((key) => key === keyId || key.endsWith(`/${String(keyId)}`));
    if (!arn) throw new ServiceError('NotFoundException', `Key '${String(keyId)}' does not exist`);
    return arn;
  }

  /** The key a ciphertext was sealed with (InvalidCiphertextException if it is not one of ours). */
  keyOf(blob: unknown): string {
    return this.parse(blob).k;
  }

  encrypt(body: Record<string, unknown>): Record<string, unknown> {
    const arn = this.keyArn(body.KeyId);
    const plain = Buffer.from(String(body.Plaintext ?? ''), 'base64');
    if (plain.length < 1 || plain.length > 4096) throw new ServiceError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.material(arn), iv).setAAD(aad(body.EncryptionContext));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const blob = Buffer.from(JSON.stringify({ k: arn, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), c: sealed.toString('base64') }));
    return { CiphertextBlob: blob.toString('base64'), KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  }

  decrypt(body: Record<string, unknown>): Record<string, unknown> {
    const { k, iv, tag, c } = this.parse(body.CiphertextBlob);
    if (body.KeyId !== undefined && this.keyArn(body.KeyId) !== k) throw new ServiceError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.material(k), Buffer.from(iv, 'base64')).setAAD(aad(body.EncryptionContext));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(c, 'base64')), decipher.final()]);
      return { Plaintext: plain.toString('base64'), KeyId: k, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    } catch {
      throw new ServiceError('InvalidCiphertextException', '');
    }
  }

  private parse(blob: unknown): { k: string; iv: string; tag: string; c: string } {
    try {
      const parsed = JSON.parse(Buffer.from(String(blob ?? ''), 'base64').toString('utf8')) as { k: string; iv: string; tag: string; c: string };
      if (this.keys.includes(parsed.k)) return parsed;
    } catch {
      // not ours
    }
    throw new ServiceError('InvalidCiphertextException', '');
  }

  private material(arn: string): Buffer {
    const file = path.join(this.dir, `${arn.split('/').pop()}.key`);
    if (!existsSync(file)) {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(file, randomBytes(32), { mode: 0o600 });
    }
    return readFileSync(file);
  }
}

/** The encryption context as additional authenticated data: its pairs, sorted. */
function aad(context: unknown): Buffer {
  const pairs = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  return Buffer.from(JSON.stringify(pairs));
}

/** The IAM condition keys of a call: kms:EncryptionContext:<key> for each pair of its context. */
export const kmsContextKeys = (body: Record<string, unknown>): Record<string, string[]> =>
  Object.fromEntries(Object.entries((body.EncryptionContext ?? {}) as Record<string, string>).map(([key, value]) => [`kms:EncryptionContext:${key}`, [value]]));

