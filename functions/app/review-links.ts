import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Review links: an opaque id (derived from the PO with the link-signing key, so a retried task finds
 * the same review) plus a random 256-bit secret that is stored only as a keyed hash.
 */
export function reviewIdFor(poId: string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`review-id:${poId}`).digest('base64url').slice(0, 22);
}

export function newReviewSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashReviewSecret(secret: string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`review-secret:${secret}`).digest('base64url');
}

export function reviewSecretMatches(secret: string, storedHash: string, signingKey: string): boolean {
  const actual = Buffer.from(hashReviewSecret(secret, signingKey));
  const expected = Buffer.from(storedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function reviewLink(publicBaseUrl: string, reviewId: string, secret: string): string {
  const url = new URL(`reviews/${encodeURIComponent(reviewId)}`, publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`);
  url.searchParams.set('token', secret);
  return url.toString();
}
