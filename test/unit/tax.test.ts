import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentContent } from '../../functions/domain/documents.js';
import { orderRequestSchema, type OrderRequest } from '../../contract/order-request.js';
import { defaultPolicy, policySchema, type Policy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, priceOrder } from '../../functions/domain/purchase-order/index.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { formatRate, splitGross, taxOn } from '../../functions/domain/tax.js';
import { type TaxPolicy } from '../../contract/policy.js';
import { sampleOrder } from '../support/fakes.js';

const tax: TaxPolicy = {
  mode: 'exclusive',
  name: 'VAT',
  sellerCountry: 'DE',
  sellerTaxId: 'DE123456789',
  rates: { DE: 1900, FR: 2000, JP: 1000, 'US-CA': 725, KW: 0 },
  reverseCharge: true,
  exemptCustomerTypes: ['education', 'government'],
};
const policy: Policy = { ...defaultPolicy, cartMinimum: { USD: 100, EUR: 100, JPY: 1, KWD: 100 }, tax };
const order = (overrides: Partial<OrderRequest> = {}): OrderRequest => orderRequestSchema.parse({ ...sampleOrder, ...overrides });
const at = new Date('2026-03-02T10:00:00Z');

/** An amount as a document prints it ("-€1,234.50", "¥12,345", "KWD 1.234") in minor units. */
const printed = (text: string) => (text.includes('-') ? -1 : 1) * Number(text.replace(/[^0-9]/g, ''));

describe('tax: one rounding rule, exact in every currency', () => {
  it('rounds base x rate half up to the minor unit, never more than half a unit away from the exact tax', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 0, max: 10_000 }), (base, rate) => {
        const amount = taxOn(base, rate);
        const exactTimes10k = BigInt(base) * BigInt(rate);
        const error = BigInt(amount) * 10_000n - exactTimes10k;
        expect(error > -5000n && error <= 5000n).toBe(true);
      }),
    );
    expect(taxOn(15, 5000)).toBe(8); // 7.5 -> 8 (half up)
    expect(taxOn(1, 1900)).toBe(0); // 0.19 -> 0
  });

  it('prints rates as a person writes them', () => {
    expect([formatRate(1900), formatRate(725), formatRate(550), formatRate(0), formatRate(10_000)]).toEqual(['19 %', '7.25 %', '5.5 %', '0 %', '100 %']);
  });

  it('taxes the sum of the lines per rate, not each line: three lines of €0.04 at 19 % carry 2 cents of VAT, not 3', () => {
    const line = { ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 4 };
    const priced = priceOrder(order({ currency: 'EUR', lines: [line, { ...line, sku: 'B' }, { ...line, sku: 'C' }], billingAddress: { ...sampleOrder.billingAddress, country: 'DE' } }), policy);
    expect(priced).toMatchObject({ subtotal: 12, tax: [{ rate: 1900, base: 12, amount: 2 }], total: 14 });
  });

  it('lines, subtotal, tax and total always add up, in currencies with 0, 2 and 3 decimals (and so does the printed invoice)', () => {
    const line = fc.record({ quantity: fc.integer({ min: 1, max: 1000 }), unitAmount: fc.integer({ min: 0, max: 10_000_000 }) });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('JPY', 'EUR', 'USD', 'KWD'),
        fc.constantFrom('DE', 'FR', 'JP', 'US', 'KW', 'CH'),
        fc.integer({ min: 0, max: 10_000 }),
        (lines, currency, country, rate) => {
          const body = order({
            currency,
            lines: lines.map((l, i) => ({ ...sampleOrder.lines[0]!, fulfilment: 'physical' as const, sku: `S${i}`, ...l })),
            billingAddress: { ...sampleOrder.billingAddress, country, ...(country === 'US' ? { region: 'CA' } : {}) },
          });
          const priced = priceOrder(body, { tax: { ...tax, rates: { ...tax.rates, DE: rate } } });
          expect(priced.subtotal).toBe(priced.lines.reduce((total, l) => total + l.amount, 0));
          expect(priced.total).toBe(priced.subtotal + priced.tax.reduce((total, entry) => total + entry.amount, 0));
          expect(priced.tax.every((entry) => entry.base === priced.subtotal)).toBe(true);
          if (priced.subtotal === 0) return;
          const po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: body, policy: { ...policy, cartMinimum: { [currency]: 0 }, tax: { ...tax, rates: { ...tax.rates, DE: rate } } }, actor: 'checkout', at });
          const doc = documentContent(po, 'invoice', 'INV-2026-000001', at, po.payment.dueDate, exampleSellerProfile);
          const rows = doc.rows.reduce((total, row) => total + printed(row.amount), 0);
          expect(printed(doc.subtotal!)).toBe(rows);
          expect(rows + doc.taxRows.reduce((total, row) => total + printed(row.amount), 0)).toBe(printed(doc.total));
        },
      ),
    );
  });

  it('splits a gross amount taken back (a credit) into net and tax that add up to it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 2 ** 40 }), (gross, rate, base) => {
        const entry = { name: 'VAT', rate, base, amount: taxOn(base, rate) };
        const split = splitGross(gross, [entry]);
        expect(split.net + split.tax[0]!.amount).toBe(gross);
        expect(split.tax[0]!.base).toBe(split.net);
        // The tax part is the tax on the net part, give or take a minor unit.
        expect(Math.abs(split.tax[0]!.amount - taxOn(split.net, rate))).toBeLessThanOrEqual(1);
      }),
    );
    expect(splitGross(11_900, [{ name: 'VAT', rate: 1900, base: 100_000, amount: 19_000 }])).toMatchObject({ net: 10_000, tax: [{ base: 10_000, amount: 1_900 }] });
  });
});

describe('tax: who pays what', () => {
  const buyerIn = (country: string, overrides: Partial<OrderRequest['customer']> = {}, region?: string) =>
    order({ currency: 'EUR', customer: { ...sampleOrder.customer, ...overrides }, billingAddress: { ...sampleOrder.billingAddress, country, ...(region ? { region } : {}) } });

  it('domestic: the rate of the buyer country', () => {
    expect(priceOrder(buyerIn('DE'), policy).tax).toEqual([{ name: 'VAT', rate: 1900, base: 29700, amount: 5643 }]);
  });

  it('EU reverse charge: a business in another EU country with a VAT id pays no VAT, and the note says why', () => {
    const priced = priceOrder(buyerIn('FR', { taxId: 'FR12345678901' }), policy);
    expect(priced).toMatchObject({ total: 29700, tax: [{ rate: 0, base: 29700, amount: 0 }], taxIds: { seller: 'DE123456789', buyer: 'FR12345678901' } });
    expect(priced.tax[0]!.note).toMatch(/Reverse charge.*FR12345678901/);
    // Without a VAT id, a consumer, the seller's own country, or reverse charge switched off: French VAT.
    expect(priceOrder(buyerIn('FR'), policy).tax[0]!.rate).toBe(2000);
    expect(priceOrder(buyerIn('FR', { taxId: 'FR1', type: 'consumer' }), policy).tax[0]!.rate).toBe(2000);
    expect(priceOrder(buyerIn('DE', { taxId: 'DE999' }), policy).tax[0]!.rate).toBe(1900);
    expect(priceOrder(buyerIn('FR', { taxId: 'FR1' }), { tax: { ...tax, reverseCharge: false } }).tax[0]!.rate).toBe(2000);
  });

  it('a US state: the state rate (region), else the country rate, else none with a note', () => {
    expect(priceOrder(buyerIn('US', {}, 'CA'), policy).tax[0]).toMatchObject({ rate: 725, amount: taxOn(29700, 725) });
    expect(priceOrder(buyerIn('US', {}, 'ca'), policy).tax[0]!.rate).toBe(725);
    const oregon = priceOrder(buyerIn('US', {}, 'OR'), policy);
    expect(oregon).toMatchObject({ total: 29700, tax: [{ rate: 0, amount: 0 }] });
    expect(oregon.tax[0]!.note).toMatch(/No VAT charged/);
  });

  it('exempt: an education buyer with an exemption id pays none; without the id it pays the rate', () => {
    const exempt = priceOrder(buyerIn('DE', { type: 'education', taxExemptionId: 'EX-2026-17' }), policy);
    expect(exempt).toMatchObject({ total: 29700, tax: [{ rate: 0, amount: 0 }] });
    expect(exempt.tax[0]!.note).toContain('EX-2026-17');
    expect(priceOrder(buyerIn('DE', { type: 'education' }), policy).tax[0]!.rate).toBe(1900);
    expect(priceOrder(buyerIn('DE', { type: 'business', taxExemptionId: 'EX-1' }), policy).tax[0]!.rate).toBe(1900);
  });

  it('no tax policy: no tax, the total is the sum of the lines, as before', () => {
    expect(priceOrder(buyerIn('DE'), defaultPolicy)).toMatchObject({ subtotal: 29700, tax: [], total: 29700 });
    const po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: order(), policy: defaultPolicy, actor: 'checkout', at });
    const doc = documentContent(po, 'invoice', 'INV-2026-000001', at, po.payment.dueDate, exampleSellerProfile);
    expect(doc).toMatchObject({ subtotal: null, taxRows: [], total: '$297.00' });
  });

  it('the policy limits compare the total the buyer pays, tax included', () => {
    // $140.00 net is under the $150.00 cart minimum; with 19 % VAT the total is $166.60 and is accepted.
    const line = { ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 14_000 };
    const place = (country: string) => () => placePurchaseOrder({ id: 'PO1', reference: 'R', order: order({ lines: [line], billingAddress: { ...sampleOrder.billingAddress, country } }), policy: { ...defaultPolicy, tax }, actor: 'checkout', at });
    expect(place('DE')().total).toBe(16_660);
    expect(place('CH')).toThrow(/at least 15000/);
  });

  it('a credit note of a cancelled, taxed invoice credits net, tax and total; one for a shortfall splits it', () => {
    const po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: buyerIn('DE'), policy: { ...policy, reviewByDefault: false }, actor: 'checkout', at });
    const full = documentContent(apply(po, { type: 'cancel', reason: 'no' }, { actor: 'finance', at }), 'credit_note', 'CN-2026-000001', at, null, exampleSellerProfile);
    expect(full).toMatchObject({ subtotal: '-€297.00', taxRows: [{ label: 'VAT 19 % of -€297.00', amount: '-€56.43' }], total: '-€353.43' });
    const shortPo = { ...po, payment: { ...po.payment, shortfall: 11_900, amountPaid: po.total - 11_900, status: 'paid' as const } };
    const short = documentContent(shortPo, 'credit_note', 'CN-2026-000002', at, null, exampleSellerProfile);
    expect(short).toMatchObject({ subtotal: '-€100.00', taxRows: [{ amount: '-€19.00' }], total: '-€119.00' });
  });

  it('refuses a tax policy it cannot apply', () => {
    const put = (value: unknown) => policySchema.safeParse({ ...defaultPolicy, tax: value }).success;
    expect(put(tax)).toBe(true);
    expect(put({ mode: 'none' })).toBe(true);
    expect(put({ ...tax, rates: { DE: 10_001 } })).toBe(false);
    expect(put({ ...tax, rates: { DE: 19.5 } })).toBe(false);
    expect(put({ ...tax, rates: { Germany: 1900 } })).toBe(false);
    expect(put({ ...tax, sellerTaxId: '' })).toBe(false);
    expect(put({ mode: 'inclusive' })).toBe(false);
    expect(policySchema.parse({ ...defaultPolicy, tax: undefined }).tax).toEqual({ mode: 'none' });
  });
});
