import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../contract/policy.js';
import { DynamoDocumentStore } from '../../functions/adapters/dynamo/documents.js';
import { DynamoIdempotencyStore } from '../../functions/adapters/dynamo/idempotency.js';
import { DynamoNumberSeries } from '../../functions/adapters/dynamo/numbers.js';
import { DynamoPolicyStore } from '../../functions/adapters/dynamo/policy.js';
import { DynamoReviewStore } from '../../functions/adapters/dynamo/reviews.js';
import type { DocumentStore, IdempotencyStore, NumberSeries, PolicyStore, ReviewStore } from '../../functions/app/ports.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { MemoryDocuments, MemoryIdempotency, MemoryNumbers, MemoryPolicies, MemoryReviews } from '../support/fakes.js';

/**
 * The table's other stores, each suite run against the in-memory fake and the DynamoDB adapter on an
 * embedded DynamoDB: idempotency keys, review links, number series, documents and the policy.
 */
interface Stores {
  idempotency: IdempotencyStore;
  reviews: ReviewStore;
  numbers: NumberSeries;
  documents: DocumentStore;
  policies: PolicyStore;
}
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

const implementations: [string, () => Promise<Stores>][] = [
  ['the in-memory fakes', async () => ({ idempotency: new MemoryIdempotency(), reviews: new MemoryReviews(), numbers: new MemoryNumbers(), documents: new MemoryDocuments(), policies: new MemoryPolicies() })],
  [
    'the DynamoDB adapters',
    async () => {
      const { db, table, stop } = await startDynamoDb();
      stops.push(stop);
      return { idempotency: new DynamoIdempotencyStore(db, table), reviews: new DynamoReviewStore(db, table), numbers: new DynamoNumberSeries(db, table), documents: new DynamoDocumentStore(db, table), policies: new DynamoPolicyStore(db, table) };
    },
  ],
];

describe.each(implementations)('the table stores: %s', (_name, make) => {
  it('claims an Idempotency-Key once; a stale claim is taken over once; a released one is free again; a done one stays', async () => {
    const { idempotency } = await make();
    const record = { key: 'k-1', requestHash: 'h', poId: 'PO-1', state: 'in_flight' as const, startedAt: '2026-12-01T10:00:00Z' };
    expect(await idempotency.claim(record)).toBeNull();
    expect(await idempotency.claim({ ...record, poId: 'PO-2' })).toMatchObject({ key: 'k-1', poId: 'PO-1', state: 'in_flight' });
    const later = { ...record, startedAt: '2026-12-01T10:01:00Z' };
    expect(await idempotency.takeOver(later, record.startedAt)).toBe(true);
    expect(await idempotency.takeOver({ ...record, startedAt: '2026-12-01T10:02:00Z' }, record.startedAt)).toBe(false);
    await idempotency.release('k-1');
    expect(await idempotency.claim({ ...record, poId: 'PO-3' })).toBeNull();
    await idempotency.complete('k-1');
    await idempotency.release('k-1');
    expect(await idempotency.claim({ ...record, poId: 'PO-4' })).toMatchObject({ poId: 'PO-3', state: 'done' });
  });

  it('keeps a review link as first created, counts wrong secrets, locks it, and keeps its first decision', async () => {
    const { reviews } = await make();
    const link = { id: 'R-1', poId: 'PO-1', reviewer: 'rev@seller.example', nonce: 'n-1', createdAt: '2026-12-01T10:00:00Z', expiresAt: '2026-12-15T10:00:00Z', decidedAt: null };
    expect(await reviews.create(link)).toMatchObject(link);
    expect(await reviews.create({ ...link, nonce: 'n-2' })).toMatchObject({ nonce: 'n-1' });
    expect(await reviews.recordFailure('R-1')).toBe(1);
    expect(await reviews.recordFailure('R-1')).toBe(2);
    await reviews.lockUntil('R-1', '2026-12-01T10:15:00Z');
    await reviews.markDecided('R-1', '2026-12-01T11:00:00Z');
    await reviews.markDecided('R-1', '2026-12-01T12:00:00Z');
    expect(await reviews.get('R-1')).toMatchObject({ failures: 2, lockedUntil: '2026-12-01T10:15:00Z', decidedAt: '2026-12-01T11:00:00Z' });
    expect(await reviews.get('R-NONE')).toBeNull();
  });

  it('gives a PO the same number of a series on every claim, gapless across POs and per year; counters only go up', async () => {
    const { numbers } = await make();
    expect(await numbers.claim('INV', 2026, 'PO-1')).toBe(1);
    expect(await numbers.claim('INV', 2026, 'PO-2')).toBe(2);
    expect(await numbers.claim('INV', 2026, 'PO-1')).toBe(1);
    expect(await numbers.claim('INV', 2027, 'PO-3')).toBe(1);
    expect(await numbers.claim('CN', 2026, 'PO-1')).toBe(1);
    const first = await numbers.next('PO', 2026);
    expect(await numbers.next('PO', 2026)).toBeGreaterThan(first);
  });

  it('keeps a document and its PDF byte for byte, once', async () => {
    const { documents } = await make();
    const pdf = new Uint8Array([37, 80, 68, 70, 45, 0, 255, 1]);
    const doc = { poId: 'PO-1', id: 'INV-2026-000001', type: 'invoice' as const, number: 'INV-2026-000001', pdf };
    await documents.put(doc);
    await documents.put({ ...doc, pdf: new Uint8Array([1]) });
    const stored = await documents.get('PO-1', 'INV-2026-000001');
    expect(stored).toMatchObject({ type: 'invoice', number: 'INV-2026-000001' });
    expect([...stored!.pdf]).toEqual([...pdf]);
    expect(await documents.get('PO-1', 'INV-NONE')).toBeNull();
  });

  it('answers the default policy until one is put, then that one', async () => {
    const { policies } = await make();
    expect(await policies.get()).toEqual(defaultPolicy);
    const changed = { ...defaultPolicy, paymentTermsDays: 45, reviewByDefault: false };
    await policies.put(changed);
    expect(await policies.get()).toEqual(changed);
  });
});
