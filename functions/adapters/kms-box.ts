import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretBox } from '../app/ports.js';

/**
 * Secrets sealed with a customer-managed KMS key: Encrypt for the functions that make them, Decrypt
 * for those that use them (each role is granted one or the other on this key alone). The encryption
 * context is bound to the ciphertext: KMS opens it only with the same context, and logs it in
 * CloudTrail with every use.
 */
export function kmsBox(client: KMSClient, keyId: string): SecretBox {
  return {
    async seal(plain, context) {
      const sealed = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plain, 'utf8'), EncryptionContext: context }));
      return Buffer.from(sealed.CiphertextBlob!).toString('base64');
    },
    async open(sealed, context) {
      const opened = await client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(sealed, 'base64'), EncryptionContext: context }));
      return Buffer.from(opened.Plaintext!).toString('utf8');
    },
  };
}
