import { afterAll, describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../../functions/app/errors.js';
import type { PoSearch, PurchaseOrderStore } from '../../functions/app/ports.js';
import { DynamoTermSearch } from '../../functions/adapters/dynamo/search.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { MemoryPurchaseOrders, MemorySearch } from '../support/fakes.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * One suite for the purchase-order store, run against the in-memory fake the handler tests lean on
 * and against the DynamoDB adapter on an embedded DynamoDB: what the handlers assume of the one holds
 * of the other.
 */
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

const implementations: [string, () => Promise<{ pos: PurchaseOrderStore; search: PoSearch }>][] = [
  [
    'the in-memory fake',
    async () => {
      const pos = new MemoryPurchaseOrders();
      return { pos, search: new MemorySearch(pos) };
    },
  ],
  [
    'the DynamoDB adapter',
    async () => {
      const dynamo = await startDynamoDb();
      stops.push(dynamo.stop);
      const pos = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
      // A new table: nothing stored before the sums and search terms were kept.
      expect(await pos.countKept(500)).toBe(0);
      return { pos, search: new DynamoTermSearch(dynamo.db, dynamo.table) };
    },
  ],
];

let n = 0;
function newPo(options: { customer?: string; company?: string; at?: string; review?: boolean } = {}): PurchaseOrder {
  n += 1;
  const id = `PO${String(n).padStart(6, '0')}`;
  const body = order({ customer: buyer(options.customer ?? 'cust-1', options.company ?? 'Acme Corp', `ap${n}@acme.example`), poNumber: `ACME-${n}`, lines: [licence(50_000)] });
  const policy = { ...defaultPolicy, reviewByDefault: options.review ?? true };
  return placePurchaseOrder({ id, reference: `PO-2026-${String(n).padStart(6, '0')}`, order: orderRequestSchema.parse(body), policy, actor: 'checkout', at: new Date(options.at ?? `2026-12-01T10:00:${String(n % 60).padStart(2, '0')}Z`) });
}
const approve = (po: PurchaseOrder, at = '2026-12-02T10:00:00Z') => apply(po, { type: 'approve' }, { actor: 'finance', at: new Date(at) });

describe.each(implementations)('the purchase-order store: %s', (_name, build) => {
  const make = async () => (await build()).pos;
  it('creates a PO once and reads it back as written, with no wait parked', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    expect(await store.get(po.id)).toMatchObject({ po, waitToken: null });
    await expect(store.create(po)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await store.get('PO-NONE')).toBeNull();
  });

  it('saves a change only over the version it read: the loser of a race gets a conflict, not a lost update', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    const approved = approve(po);
    await store.save(approved, po.version, null);
    await expect(store.save(approve(po, '2026-12-02T11:00:00Z'), po.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await store.get(po.id))!.po).toEqual(approved);
  });

  it('parks a wait at the version the workflow saw; a change over a parked wait owes it a signal until settled', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    expect(await store.registerWait(po.id, 'token-old', po.version + 1)).toBe(false);
    expect(await store.registerWait(po.id, 'token-1', po.version)).toBe(true);
    expect((await store.get(po.id))!.waitToken).toBe('token-1');
    // Saving without the parked token is a conflict: the caller must hand over the token it read.
    await expect(store.save(approve(po), po.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const saved = await store.save(approve(po), po.version, 'token-1');
    expect(saved.owedToken).toBe('token-1');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([po.id]);
    expect(await store.owedSignals('2026-01-01T00:00:00Z', 10)).toEqual([]);
    await store.settleSignal(po.id, 'token-other');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([po.id]);
    await store.settleSignal(po.id, 'token-1');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([]);
  });

  it('lists a status newest first, a page at a time, counts it, and refuses a cursor it did not hand out', async () => {
    const store = await make();
    const pos = [newPo(), newPo(), newPo()];
    for (const po of pos) await store.create(po);
    const first = await store.listByStatus('awaiting_review', 2);
    expect(first.items.map((po) => po.id)).toEqual([pos[2]!.id, pos[1]!.id]);
    const second = await store.listByStatus('awaiting_review', 2, first.cursor!);
    expect(second.items.map((po) => po.id)).toEqual([pos[0]!.id]);
    expect(second.cursor).toBeNull();
    expect(await store.countByStatus('awaiting_review')).toBe(3);
    expect(await store.countByStatus('ordered')).toBe(0);
    await expect(store.listByStatus('awaiting_review', 2, '!not-a-cursor')).rejects.toBeInstanceOf(InvalidCursorError);
    // A token of another status's list: refused as not this list's, not passed on for DynamoDB to fault.
    await expect(store.listByStatus('ordered', 2, first.cursor!)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('finds POs by the start of their reference, PO number, customer id or email, or of their company from any word, whatever the case or accents; a page at a time', async () => {
    const { pos: store, search } = await build();
    const acme = newPo({ company: 'Acme Corp', customer: 'cust-acme' });
    const globex = newPo({ company: 'Société Globex GmbH', customer: 'cust-globex' });
    await store.create(acme);
    await store.create(globex);
    const ids = async (text: string) => (await search.search(text, 10)).items.map((po) => po.id);
    expect(await ids('GLOBEX')).toEqual([globex.id]);
    expect(await ids('societe glob')).toEqual([globex.id]);
    expect(await ids(acme.reference.toLowerCase())).toEqual([acme.id]);
    expect(await ids(acme.reference.slice(0, 8))).toEqual(expect.arrayContaining([acme.id, globex.id]));
    expect(await ids(acme.poNumber!)).toEqual([acme.id]);
    expect(await ids('cust-acme')).toEqual([acme.id]);
    expect(await ids(globex.customer.email!)).toEqual([globex.id]);
    expect(await ids('nobody')).toEqual([]);
    expect(await ids('corp')).toEqual([acme.id]);
    // Not inside a word: a prefix index finds what starts with the text.
    expect(await ids('lobex')).toEqual([]);
    // Twelve POs of one company: pages of five, newest first within the name, each PO once.
    const many = Array.from({ length: 12 }, (_, i) => newPo({ company: 'Initech Ltd', customer: 'cust-initech', at: `2026-11-${String(10 + i).padStart(2, '0')}T10:00:00Z` }));
    for (const po of many) await store.create(po);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.search('initech', 5, cursor);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((po) => po.id));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(many.map((po) => po.id).reverse());
  });

  it('keeps the queue counts, the to-ship list and the receivables with every write; a stale write moves nothing', async () => {
    const store = await make();
    const at = new Date('2026-12-02T10:00:00Z');
    const waiting = newPo();
    const shipping = newPo();
    const shipBody = order({ customer: buyer('cust-ship', 'Ship Co', 'ap@ship.example'), lines: [{ sku: 'BOX', description: 'Box', quantity: 1, unitAmount: 20_000, fulfilment: 'physical' }] });
    const boxed = placePurchaseOrder({ id: `${shipping.id}B`, reference: `${shipping.reference}B`, order: orderRequestSchema.parse(shipBody), policy: { ...defaultPolicy, reviewByDefault: true }, actor: 'checkout', at });
    for (const po of [waiting, shipping, boxed]) await store.create(po);
    // What the navigation shows (a count of nothing is no count).
    const counted = async () => Object.fromEntries(Object.entries(await store.queueCounts()).filter(([, n]) => n !== 0));
    expect(await counted()).toEqual({ awaiting_review: 3 });
    // Approved and invoiced: ordered, owed on an invoice; the boxed one has something to ship.
    const invoice = (po: PurchaseOrder) => ({ id: `INV-${po.id}`, type: 'invoice' as const, number: `INV-${po.id}`, issuedAt: at.toISOString(), total: po.total, dueDate: null });
    const invoiced = (po: PurchaseOrder) => apply(approve(po), { type: 'issue_document', document: invoice(po) }, { actor: 'system', at });
    const [shippingNow, boxedNow] = [invoiced(shipping), invoiced(boxed)];
    await store.save(shippingNow, shipping.version, null);
    await store.save(boxedNow, boxed.version, null);
    const counts = await counted();
    expect(counts).toEqual({ awaiting_review: 1, ordered: 2, to_ship: 1 });
    expect((await store.listToShip(10)).items.map((po) => po.id)).toEqual([boxed.id]);
    expect((await store.listReceivables(10)).items.map((po) => po.id).sort()).toEqual([shipping.id, boxed.id].sort());
    const owed = (await store.receivableDays()).reduce((sum, day) => sum + day.owed, 0);
    expect(owed).toBe(shipping.total + boxed.total);
    // The same change again from the stale version: refused, and nothing counted twice.
    await expect(store.save(shippingNow, shipping.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await counted()).toEqual(counts);
    // Paid in full (its keys not yet delivered): still ordered, no longer owed on.
    const paid = apply(shippingNow, { type: 'record_payment', amount: shipping.total, reference: 'WIRE-1' }, { actor: 'finance', at });
    await store.save(paid, shippingNow.version, null);
    expect(await counted()).toEqual({ awaiting_review: 1, ordered: 2, to_ship: 1 });
    expect((await store.listReceivables(10)).items.map((po) => po.id)).toEqual([boxed.id]);
    expect((await store.receivableDays()).reduce((sum, day) => sum + day.owed, 0)).toBe(boxed.total);
    // Cancelled: out of every count and list.
    await store.save(apply(boxedNow, { type: 'cancel', reason: 'out of stock' }, { actor: 'finance', at }), boxedNow.version, null);
    expect(await counted()).toEqual({ awaiting_review: 1, ordered: 1 });
    expect((await store.listToShip(10)).items).toEqual([]);
    expect((await store.listReceivables(10)).items).toEqual([]);
    expect((await store.receivableDays()).reduce((sum, day) => sum + day.owed, 0)).toBe(0);
    await expect(store.listToShip(10, 'not-a-token')).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("keeps a customer's open POs for credit control, oldest first, without those that ended", async () => {
    const store = await make();
    const older = newPo({ customer: 'cust-credit', at: '2026-11-01T10:00:00Z' });
    const newer = newPo({ customer: 'cust-credit', at: '2026-11-02T10:00:00Z' });
    const other = newPo({ customer: 'cust-other' });
    for (const po of [older, newer, other]) await store.create(po);
    const rejected = apply(newer, { type: 'reject' }, { actor: 'finance', at: new Date('2026-11-03T10:00:00Z') });
    await store.save(rejected, newer.version, null);
    const open = await store.openForCustomer('cust-credit');
    expect(open.map((po) => po.id)).toEqual([older.id]);
    expect(open[0]).toMatchObject({ id: older.id, reference: older.reference, status: 'awaiting_review', currency: 'USD', total: older.total, payment: { amountDue: older.total, amountPaid: 0 } });
    expect(await store.overdueCount('cust-credit')).toBe(0);
  });

  it("keeps what each customer owes on open POs per currency with every write, and a write that loses a race moves nothing", async () => {
    const store = await make();
    await store.countExposure(500); // an empty store: nothing stored before the sum was kept
    const first = newPo({ customer: 'cust-exposure' });
    const second = newPo({ customer: 'cust-exposure' });
    for (const po of [first, second, newPo({ customer: 'cust-elsewhere' })]) await store.create(po);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total + second.total);
    expect(await store.exposure('cust-exposure', 'EUR')).toBe(0);
    expect(await store.exposure('nobody', 'USD')).toBe(0);

    const rejected = apply(second, { type: 'reject' }, { actor: 'finance', at: new Date('2026-12-02T10:00:00Z') });
    await store.save(rejected, second.version, null);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total);
    // The same change saved again from the stale version fails and counts nothing twice.
    await expect(store.save(rejected, second.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(store.create(first)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total);
    expect(await store.exposure('cust-exposure', 'USD')).toBe((await store.openForCustomer('cust-exposure')).reduce((sum, po) => sum + po.payment.amountDue - po.payment.amountPaid, 0));
  });

  it('lists the POs that need attention, most recent first', async () => {
    const store = await make();
    const calm = newPo();
    const stuck = newPo();
    for (const po of [calm, stuck]) await store.create(po);
    const flagged = apply(stuck, { type: 'flag_attention', step: 'Notify', reason: 'SES refused' }, { actor: 'system', at: new Date('2026-12-03T10:00:00Z') });
    await store.save(flagged, stuck.version, null);
    expect((await store.needingAttention(10)).map((po) => po.id)).toEqual([stuck.id]);
  });
});
