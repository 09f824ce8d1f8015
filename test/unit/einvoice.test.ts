import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy, type Policy } from '../../contract/policy.js';
import { einvoiceOf, einvoiceOrNone, type EInvoice } from '../../functions/einvoice/model.js';
import { toCii } from '../../functions/einvoice/cii.js';
import { toUbl, unavailableIn, type UblProfile } from '../../functions/einvoice/ubl.js';
import { xmlDocument, XmlElement } from '../../functions/einvoice/xml.js';
import { placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { exampleSellerProfile, type SellerProfile } from '../../functions/domain/seller.js';
import { validate, type RuleSet } from '../support/en16931.js';
import { schemaErrors } from '../support/xsd.js';
import { sampleOrder } from '../support/fakes.js';

/**
 * Invoices and credit notes as EN 16931 data, written as UBL 2.1 in each profile that applies,
 * checked by the official rules (vendored, run with SaxonJS): CEN always, Peppol BIS where both
 * parties have a Peppol address, XRechnung for a buyer with a Leitweg-ID. No fatal assert fails, and
 * the XML says the same totals as the PO.
 */
const at = new Date('2026-12-01T10:00:00Z');
const germanVat: Policy['tax'] = { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900, FR: 2000 }, reverseCharge: true, exemptCustomerTypes: ['education', 'government'] };
const germany = { ...sampleOrder.billingAddress, country: 'DE', city: 'Berlin', postalCode: '10115' };
const usSeller: SellerProfile = {
  ...exampleSellerProfile,
  name: 'Example Software Inc.',
  addressLines: ['1 Main Street', 'Albany, NY 12207', 'United States'],
  address: { line1: '1 Main Street', city: 'Albany', postalCode: '12207', country: 'US' },
  country: 'US',
  taxId: 'NY-12-3456789',
  endpointId: undefined,
  legalRegistration: 'EIN 12-3456789',
};

interface Case {
  order: object;
  tax?: Policy['tax'];
  seller?: SellerProfile;
  /** How the PO stands when the document is issued: invoiced, then credited in full or in part. */
  credit?: 'cancelled' | 'short';
}

const cases: Record<string, Case> = {
  'domestic VAT in Germany': { order: { billingAddress: germany, currency: 'EUR', customer: { ...sampleOrder.customer, taxId: 'DE987654321', endpointId: '9930:DE987654321' } } },
  'EU reverse charge, Germany to Belgium': {
    order: { billingAddress: { ...germany, country: 'BE', city: 'Brussels', postalCode: '1000' }, currency: 'EUR', customer: { ...sampleOrder.customer, taxId: 'BE0123456749', endpointId: '0208:0123456749' } },
  },
  'a French buyer': { order: { billingAddress: { ...germany, country: 'FR', city: 'Paris', postalCode: '75002' }, currency: 'EUR', customer: { ...sampleOrder.customer, taxId: 'FR40303265045', endpointId: '0009:30326504500035' } } },
  'a US buyer with state tax': {
    order: { billingAddress: { ...sampleOrder.billingAddress, country: 'US', region: 'NY', city: 'New York', postalCode: '10001' }, currency: 'USD' },
    tax: { mode: 'exclusive', name: 'Sales tax', sellerCountry: 'US', sellerTaxId: 'NY-12-3456789', rates: { 'US-NY': 888 }, reverseCharge: false, exemptCustomerTypes: [] },
    seller: usSeller,
  },
  'an exempt education buyer': { order: { billingAddress: germany, currency: 'EUR', customer: { ...sampleOrder.customer, type: 'education', taxExemptionId: 'EDU-2026-17' } } },
  'a German public buyer with a Leitweg-ID': {
    order: {
      billingAddress: germany,
      currency: 'EUR',
      customer: { ...sampleOrder.customer, type: 'government', company: 'Stadt Köln', buyerReference: '05315000-12345-67', endpointId: '0204:05315000-12345-67' },
    },
  },
  'a credit note after a cancelled invoice': { order: { billingAddress: germany, currency: 'EUR', customer: { ...sampleOrder.customer, endpointId: '9930:DE987654321', taxId: 'DE987654321' } }, credit: 'cancelled' },
  'a credit note after a dispute settled short': {
    order: { billingAddress: germany, currency: 'EUR', customer: { ...sampleOrder.customer, endpointId: '9930:DE987654321', taxId: 'DE987654321' } },
    credit: 'short',
  },
  'a JPY order': { order: { billingAddress: { ...germany, country: 'JP', city: 'Tokyo', postalCode: '100-0001' }, currency: 'JPY', lines: [{ ...sampleOrder.lines[0]!, unitAmount: 48_000 }] } },
  'a 3-decimal currency (KWD) order': { order: { billingAddress: { ...germany, country: 'KW', city: 'Kuwait City', postalCode: '13001' }, currency: 'KWD', lines: [{ ...sampleOrder.lines[0]!, unitAmount: 150_250 }] } },
};

function documentFor({ order, tax = germanVat, seller = exampleSellerProfile, credit }: Case): { po: PurchaseOrder; einvoice: EInvoice } {
  const policy = { ...defaultPolicy, cartMinimum: { EUR: 0, USD: 0, JPY: 0, KWD: 0 }, tax };
  let po = placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: orderRequestSchema.parse({ ...sampleOrder, ...order }), policy, actor: 'checkout', at });
  if (!credit) return { po, einvoice: einvoiceOf(po, { type: 'invoice', number: 'INV-2026-000001', issuedAt: at, dueDate: '2026-12-31' }, seller) };
  const invoice = { id: 'INV-2026-000001', type: 'invoice' as const, number: 'INV-2026-000001', issuedAt: at.toISOString(), total: po.total, dueDate: '2026-12-31' };
  po = { ...po, documents: [invoice], ...(credit === 'cancelled' ? { status: 'cancelled' as const } : { payment: { ...po.payment, status: 'paid' as const, amountPaid: po.total - 5_000, shortfall: 5_000 } }) };
  return { po, einvoice: einvoiceOf(po, { type: 'credit_note', number: 'CN-2026-000001', issuedAt: new Date('2026-12-20T10:00:00Z'), dueDate: null }, seller) };
}

const amountOf = (xml: string, element: string) => new RegExp(`<cbc:${element} currencyID="[A-Z]{3}">([^<]+)</cbc:${element}>`).exec(xml)?.[1];
const decimal = (po: PurchaseOrder, amount: number) => (amount / 10 ** (po.currency === 'JPY' ? 0 : po.currency === 'KWD' ? 3 : 2)).toFixed(po.currency === 'JPY' ? 0 : 2);
const rulesOf: Record<UblProfile, RuleSet[]> = { en16931: ['cen-ubl'], peppol: ['cen-ubl', 'peppol'], xrechnung: ['cen-ubl', 'xrechnung'] };

describe('every case as UBL in every profile it has, and as CII, valid by the official rules', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, { timeout: 180_000 }, () => {
      const { po, einvoice } = documentFor(c);
      const profiles = (['en16931', 'peppol', 'xrechnung'] as const).filter((profile) => !unavailableIn(einvoice, profile));
      for (const profile of profiles) {
        const xml = toUbl(einvoice, profile);
        for (const rules of rulesOf[profile]) expect({ profile, rules, fatal: validate(rules, xml).fatal }).toEqual({ profile, rules, fatal: [] });
        // The totals are the PO's (or what the credit note credits).
        const credited = c.credit === 'short' ? 5_000 : po.total;
        expect(amountOf(xml, 'TaxInclusiveAmount')).toBe(decimal(po, c.credit ? credited : po.total));
        expect(amountOf(xml, 'PayableAmount')).toBe(decimal(po, c.credit ? credited : po.total - po.payment.amountPaid));
        if (!c.credit) expect(amountOf(xml, 'TaxExclusiveAmount')).toBe(decimal(po, po.subtotal));
      }
      // CII, as Factur-X carries it: valid by the CEN rules for CII and by Factur-X's own rules of its
      // EN 16931 profile (FNFE-MPE's, which add France's and Germany's: a date of supply, no empty element), with the same totals.
      const cii = toCii(einvoice);
      expect(validate('cen-cii', cii).fatal).toEqual([]);
      expect(validate('factur-x', cii)).toEqual({ fatal: [], warnings: [] });
      const ciiAmount = (element: string) => new RegExp(`<ram:${element}(?: currencyID="[A-Z]{3}")?>([^<]+)</ram:${element}>`).exec(cii)?.[1];
      expect(ciiAmount('GrandTotalAmount')).toBe(einvoice.totals.withVat);
      expect(ciiAmount('DuePayableAmount')).toBe(einvoice.totals.due);
      expect(ciiAmount('TaxTotalAmount')).toBe(einvoice.totals.vat);
      // Where the buyer has a Peppol address, the Peppol profile is among them; a Leitweg-ID brings XRechnung.
      if (po.customer.endpointId) expect(profiles).toContain('peppol');
      if (po.customer.buyerReference) expect(profiles).toContain('xrechnung');
    });
  }

  it('every case, in every profile, is valid by its syntax\'s schema: UBL 2.1 Invoice and CreditNote, CII D16B, Factur-X EN 16931', { timeout: 120_000 }, async () => {
    const written = Object.values(cases).map((c) => documentFor(c).einvoice);
    const ubl = (kind: EInvoice['kind']) =>
      written.filter((einvoice) => einvoice.kind === kind).flatMap((einvoice) => (['en16931', 'peppol', 'xrechnung'] as const).filter((profile) => !unavailableIn(einvoice, profile)).map((profile) => toUbl(einvoice, profile)));
    expect(ubl('invoice').length).toBeGreaterThan(10);
    expect(await schemaErrors('ubl-invoice', ubl('invoice'))).toEqual([]);
    expect(await schemaErrors('ubl-credit-note', ubl('credit_note'))).toEqual([]);
    expect(await schemaErrors('cii', written.map(toCii))).toEqual([]);
    expect(await schemaErrors('factur-x', written.map(toCii))).toEqual([]);
    // The schema catches what the rules do not: an element out of its place.
    const misplaced = toUbl(written[0]!).replace(/(<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)\s*(<cbc:DueDate>[^<]*<\/cbc:DueDate>)/, '$2$1');
    expect(await schemaErrors('ubl-invoice', [misplaced])).toEqual([expect.stringMatching(/^document 0:\d+: Schemas validity error : Element '\{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\}DueDate': This element is not expected/)]);
  });

  it('the categories: S in Germany, AE to Belgium and France, E for education, S at the state rate in New York, O outside the seller\'s tax', () => {
    const category = (name: string) => documentFor(cases[name]!).einvoice.vat.map((vat) => `${vat.category} ${vat.rate}`);
    expect(category('domestic VAT in Germany')).toEqual(['S 19.00']);
    expect(category('EU reverse charge, Germany to Belgium')).toEqual(['AE 0.00']);
    expect(category('a French buyer')).toEqual(['AE 0.00']);
    expect(category('an exempt education buyer')).toEqual(['E 0.00']);
    expect(category('a US buyer with state tax')).toEqual(['S 8.88']);
    expect(category('a JPY order')).toEqual(['O 0.00']);
  });

  it('a credit note names the invoice it corrects and why; a short settlement credits the shortfall, its VAT split out', () => {
    const full = toUbl(documentFor(cases['a credit note after a cancelled invoice']!).einvoice);
    expect(full).toMatch(/^<\?xml[^>]*>\s*<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
    expect(full).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(full).toMatch(/<cac:BillingReference>\s*<cac:InvoiceDocumentReference>\s*<cbc:ID>INV-2026-000001<\/cbc:ID>\s*<cbc:IssueDate>2026-12-01<\/cbc:IssueDate>/);
    expect(full).toContain('<cbc:Note>Cancels invoice INV-2026-000001 of order PO-2026-000001 in full.</cbc:Note>');
    const { einvoice: short } = documentFor(cases['a credit note after a dispute settled short']!);
    expect(short.lines).toEqual([expect.objectContaining({ quantity: 1, net: '42.02' })]);
    expect(short.vat).toEqual([expect.objectContaining({ category: 'S', base: '42.02', amount: '7.98' })]);
    expect(short.totals).toMatchObject({ withVat: '50.00', prepaid: '0.00', due: '50.00' });
  });

  it('a public buyer: XRechnung carries the Leitweg-ID as the buyer reference and the seller\'s contact', () => {
    const xml = toUbl(documentFor(cases['a German public buyer with a Leitweg-ID']!).einvoice, 'xrechnung');
    expect(xml).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>');
    expect(xml).toContain('<cbc:BuyerReference>05315000-12345-67</cbc:BuyerReference>');
    expect(xml).toContain('<cbc:EndpointID schemeID="0204">05315000-12345-67</cbc:EndpointID>');
    expect(xml).toMatch(/<cac:Contact>\s*<cbc:Name>Accounts receivable<\/cbc:Name>\s*<cbc:Telephone>\+49 221 555 0100<\/cbc:Telephone>/);
  });

  it('a buyer without a Peppol address gets plain EN 16931 UBL, and asking for Peppol or XRechnung says what is missing', () => {
    const { einvoice } = documentFor({ ...cases['an exempt education buyer']!, order: { ...cases['an exempt education buyer']!.order, poNumber: undefined } });
    expect(toUbl(einvoice)).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>');
    expect(unavailableIn(einvoice, 'peppol')).toMatch(/customer has no endpointId/);
    expect(unavailableIn(einvoice, 'xrechnung')).toMatch(/customer.buyerReference\) and its electronic address/);
  });

  it('a 3-decimal amount EN 16931 cannot write exactly gets no e-invoice (the PDF goes out alone), never a rounded one', () => {
    const c = cases['a 3-decimal currency (KWD) order']!;
    const exact = documentFor(c);
    expect(exact.einvoice.totals.withVat).toBe((exact.po.total / 1000).toFixed(2));
    expect(exact.einvoice.lines[0]!.price).toBe('150.25');
    const odd = { ...c, order: { ...c.order, lines: [{ ...sampleOrder.lines[0]!, unitAmount: 150_255 }] } };
    expect(() => documentFor(odd)).toThrow(/at most 2 decimals, and 150.255 KWD has 3/);
    const { po } = documentFor(c);
    expect(einvoiceOrNone({ ...po, lines: [{ ...po.lines[0]!, unitAmount: 150_255, amount: 150_255 }], subtotal: 150_255, total: 150_255 }, { type: 'invoice', number: 'INV-1', issuedAt: at, dueDate: null }, exampleSellerProfile)).toBeNull();
  });

  it('says when and where it was supplied: the day the licences went out, else the invoice\'s day; the shipping address, else the billing one; a credit note repeats its invoice\'s', () => {
    const { po } = documentFor(cases['domestic VAT in Germany']!);
    const delivered = { ...po, history: [...po.history, { ...po.history[0]!, type: 'deliver_digital' as const, at: '2026-11-28T16:00:00.000Z', data: { keys: 1 } }] };
    const invoice = einvoiceOf(delivered, { type: 'invoice', number: 'INV-1', issuedAt: at, dueDate: '2026-12-31' }, exampleSellerProfile);
    expect(invoice.deliveryDate).toBe('2026-11-28');
    expect(toUbl(invoice)).toMatch(/<cac:Delivery>\s*<cbc:ActualDeliveryDate>2026-11-28<\/cbc:ActualDeliveryDate>\s*<cac:DeliveryLocation>\s*<cac:Address>\s*<cbc:StreetName>1 Main St<\/cbc:StreetName>/);
    expect(toCii(invoice)).toMatch(/<ram:ActualDeliverySupplyChainEvent>\s*<ram:OccurrenceDateTime>\s*<udt:DateTimeString format="102">20261128<\/udt:DateTimeString>/);
    expect(einvoiceOf(po, { type: 'invoice', number: 'INV-1', issuedAt: at, dueDate: null }, exampleSellerProfile).deliveryDate).toBe('2026-12-01');
    const shipped = einvoiceOf({ ...po, shippingAddress: { ...po.billingAddress, line1: 'Dock 4', city: 'Hamburg', postalCode: '20457' } }, { type: 'invoice', number: 'INV-1', issuedAt: at, dueDate: null }, exampleSellerProfile);
    expect(shipped.deliverTo).toMatchObject({ line1: 'Dock 4', city: 'Hamburg', country: 'DE' });
    expect(documentFor(cases['a credit note after a cancelled invoice']!).einvoice.deliveryDate).toBe('2026-12-01');
    // Without a date of supply, a German seller's invoice to a German buyer draws Factur-X's warning (and an empty delivery element another).
    expect(validate('factur-x', toCii({ ...invoice, deliveryDate: undefined, deliverTo: undefined })).warnings).toEqual([expect.stringMatching(/BR-FX-EN-04/), expect.stringMatching(/PEPPOL-EN16931-R008/)].reverse());
  });

  it('the rules catch what is wrong: totals that do not add up fail BR-CO-15; a Peppol invoice without the buyer\'s address fails Peppol', () => {
    const { einvoice } = documentFor(cases['domestic VAT in Germany']!);
    const broken = toUbl({ ...einvoice, totals: { ...einvoice.totals, withVat: '1.00', due: '1.00' } });
    expect(validate('cen-ubl', broken).fatal.some((assert) => assert.startsWith('BR-CO-15'))).toBe(true);
    const noAddress = toUbl(einvoice, 'peppol').replace(/<cbc:EndpointID schemeID="9930">DE987654321<\/cbc:EndpointID>/, '');
    expect(validate('peppol', noAddress).fatal.some((assert) => assert.startsWith('PEPPOL-EN16931-R010'))).toBe(true);
  });
});

describe('the XML builder', () => {
  it('escapes markup in text and attributes, drops what XML 1.0 cannot carry, and keeps any other character', () => {
    const root = new XmlElement('a', { note: 'say "hi" & <bye>' });
    root.ele('b').txt('Müller & Söhne <GmbH> \u0000\u0008\u000b bell\u0007 😀 株式会社 \ud800');
    root.ele('c');
    expect(xmlDocument(root)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<a note="say &quot;hi&quot; &amp; &lt;bye&gt;">\n  <b>Müller &amp; Söhne &lt;GmbH&gt;  bell 😀 株式会社 </b>\n  <c/>\n</a>');
  });

  it('writes an order\'s text that looks like markup as text, and the rules still pass', { timeout: 60_000 }, () => {
    const { einvoice } = documentFor({ order: { ...cases['domestic VAT in Germany']!.order, customer: { ...sampleOrder.customer, company: 'A&B <Trading> "Ltd"' } } });
    const xml = toUbl(einvoice);
    expect(xml).toContain('<cbc:RegistrationName>A&amp;B &lt;Trading&gt; "Ltd"</cbc:RegistrationName>'.replace('"Ltd"', '&quot;Ltd&quot;'));
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
  });
});
