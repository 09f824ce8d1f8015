import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Review links, one per reviewer: an opaque id (derived from the PO and the reviewer's email with the
 * link-signing key, so a retried task finds the same review) and a 256-bit secret derived from a
 * random nonce with the same key. The table
 * holds the nonce, never the secret: reading the table is not enough to forge a link, and a retried
 * task rebuilds the very link it emailed before instead of minting one the reviewer never got.
 */
export function reviewIdFor(poId: string, reviewer: string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`review-id:${poId}:${reviewer.toLowerCase()}`).digest('base64url').slice(0, 22);
}

export function newReviewNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function reviewSecret(reviewId: string, nonce: string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`review-secret:${reviewId}:${nonce}`).digest('base64url');
}

export function reviewSecretMatches(presented: string, reviewId: string, nonce: string, signingKey: string): boolean {
  const expected = Buffer.from(reviewSecret(reviewId, nonce, signingKey));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function reviewLink(publicBaseUrl: string, reviewId: string, secret: string): string {
  const url = new URL(`reviews/${encodeURIComponent(reviewId)}`, publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`);
  url.searchParams.set('token', secret);
  return url.toString();
}
