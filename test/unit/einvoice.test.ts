import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy, type Policy } from '../../contract/policy.js';
import { einvoiceOf } from '../../functions/einvoice/model.js';
import { toUbl } from '../../functions/einvoice/ubl.js';
import { placePurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { validate } from '../support/en16931.js';
import { sampleOrder } from '../support/fakes.js';

/**
 * The invoice as EN 16931 data, written as UBL 2.1, checked by the official CEN validation rules
 * (vendored, run with SaxonJS): no fatal assert fails, and the XML says the same totals as the PO.
 */
const at = new Date('2026-12-01T10:00:00Z');
const vat: Policy['tax'] = { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900 }, reverseCharge: true, exemptCustomerTypes: ['education'] };

function invoiceFor(order: object, tax: Policy['tax'] = vat) {
  const po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: orderRequestSchema.parse({ ...sampleOrder, ...order }), policy: { ...defaultPolicy, cartMinimum: { EUR: 0, USD: 0 }, tax }, actor: 'checkout', at });
  return { po, invoice: einvoiceOf(po, { number: 'INV-2026-000001', issuedAt: at, dueDate: '2026-12-31' }, exampleSellerProfile) };
}
const amountOf = (xml: string, element: string) => new RegExp(`<cbc:${element} currencyID="[A-Z]{3}">([^<]+)</cbc:${element}>`).exec(xml)?.[1];

describe('an invoice as EN 16931 UBL', () => {
  it('domestic VAT in Germany: valid by the CEN rules, with the PO totals', { timeout: 180_000 }, () => {
    const { po, invoice } = invoiceFor({ billingAddress: { ...sampleOrder.billingAddress, country: 'DE', city: 'Berlin', postalCode: '10115' }, currency: 'EUR', customer: { ...sampleOrder.customer, taxId: 'DE987654321' } });
    const xml = toUbl(invoice);
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
    expect(amountOf(xml, 'TaxExclusiveAmount')).toBe((po.subtotal / 100).toFixed(2));
    expect(amountOf(xml, 'TaxInclusiveAmount')).toBe((po.total / 100).toFixed(2));
    expect(amountOf(xml, 'PayableAmount')).toBe((po.total / 100).toFixed(2));
    expect(xml).toContain('<cbc:ID>S</cbc:ID>');
    expect(xml).toContain(`<cbc:ID>${sampleOrder.poNumber}</cbc:ID>`);
  });

  it('EU reverse charge, from Germany to Belgium: category AE with its reason, valid', { timeout: 60_000 }, () => {
    const { invoice } = invoiceFor({ billingAddress: { ...sampleOrder.billingAddress, country: 'BE', city: 'Brussels' }, currency: 'EUR', customer: { ...sampleOrder.customer, taxId: 'BE0123456789' } });
    const xml = toUbl(invoice);
    expect(invoice.vat).toEqual([expect.objectContaining({ category: 'AE', rate: '0.00', amount: '0.00' })]);
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
  });

  it('an exempt education buyer: category E with the exemption as its reason, valid', { timeout: 60_000 }, () => {
    const { invoice } = invoiceFor({
      billingAddress: { ...sampleOrder.billingAddress, country: 'DE' },
      currency: 'EUR',
      customer: { ...sampleOrder.customer, type: 'education', taxExemptionId: 'EDU-2026-17' },
    });
    expect(invoice.vat).toEqual([expect.objectContaining({ category: 'E', exemptionReason: expect.stringContaining('EDU-2026-17') })]);
    expect(validate('cen-ubl', toUbl(invoice)).fatal).toEqual([]);
  });

  it('no VAT where the buyer is (a US buyer, or a seller who charges none): not subject to VAT (O), without VAT ids, valid', { timeout: 60_000 }, () => {
    for (const [order, tax] of [
      [{ billingAddress: { ...sampleOrder.billingAddress, country: 'US', region: 'NY' }, currency: 'USD' }, vat],
      [{ currency: 'USD' }, { mode: 'none' }],
    ] as const) {
      const { po, invoice } = invoiceFor(order, tax as Policy['tax']);
      const xml = toUbl(invoice);
      expect(invoice.vat).toEqual([expect.objectContaining({ category: 'O', amount: '0.00' })]);
      expect(xml).not.toContain('<cac:PartyTaxScheme>');
      expect(validate('cen-ubl', xml).fatal).toEqual([]);
      expect(amountOf(xml, 'PayableAmount')).toBe((po.total / 100).toFixed(2));
    }
  });

  it('the rules catch what is wrong: totals that do not add up fail BR-CO-15', { timeout: 60_000 }, () => {
    const { invoice } = invoiceFor({ billingAddress: { ...sampleOrder.billingAddress, country: 'DE' }, currency: 'EUR' });
    const broken = toUbl({ ...invoice, totals: { ...invoice.totals, withVat: '1.00', due: '1.00' } });
    expect(validate('cen-ubl', broken).fatal.some((assert) => assert.startsWith('BR-CO-15'))).toBe(true);
  });
});
