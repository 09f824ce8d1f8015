import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack } from '../support/local-stack.js';
import { inkOnFirstPage } from '../support/pdf-pixels.js';
import { pdfText } from '../support/pdf-text.js';
import { buyer, licence, order, type OrderBody } from '../support/orders.js';

/**
 * Money as finance and the tax office read it, on the local stack: tax-valid invoices for each tax
 * case, read back from the PDFs the buyers receive.
 */
const stack = new LocalStack();
let n = 0;
const place = async (body: OrderBody) => {
  const res = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body, headers: { 'Idempotency-Key': `money-${++n}` } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
/** The PO's invoice once issued, and the text a reader's tools extract from it. */
const invoiceText = async (id: string) => {
  const po = await stack.waitForPo(id, keys.finance, (p) => p.documents.some((doc: { type: string }) => doc.type === 'invoice'));
  const invoice = po.documents.find((doc: { type: string }) => doc.type === 'invoice');
  const pdf = (await stack.request('GET', `/purchase-orders/${id}/documents/${invoice.id}`, { key: keys.finance })).body as Uint8Array;
  return { po, pdf, text: await pdfText(pdf) };
};

const vat = {
  mode: 'exclusive',
  sellerCountry: 'DE',
  sellerTaxId: 'DE811907980',
  rates: { DE: 1900, FR: 2000, 'US-CA': 725 },
  reverseCharge: true,
  exemptCustomerTypes: ['education'],
};
const software = [licence(10000, 2, 'LIC-TEAM', 'Team licence, 1 year'), licence(9950, 1, 'SUP-1', 'Priority support')]; // 299.50 net

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({ reviewByDefault: false, cartMinimum: { EUR: 10000, USD: 10000 }, tax: vat });
}, 120_000);
afterAll(() => stack.stop());

describe('tax-valid invoices', () => {
  it('domestic VAT: net lines, VAT 19 % of the net, the gross total, both VAT ids', async () => {
    const po = await place(
      order({ currency: 'EUR', customer: { ...buyer('de-1', 'Müller Maschinenbau GmbH', 'ap@mueller.example'), taxId: 'DE129273398' } as OrderBody['customer'], lines: software, billingAddress: { line1: 'Hauptstraße 5', city: 'Berlin', postalCode: '10115', country: 'DE' } }),
    );
    expect(po).toMatchObject({ subtotal: 29950, tax: [{ name: 'VAT', rate: 1900, base: 29950, amount: 5691 }], total: 35641, payment: { amountDue: 35641 } });
    const { text } = await invoiceText(po.id);
    for (const part of ['€200.00', '€99.50', 'Subtotal (net)', '€299.50', 'VAT 19 % of €299.50', '€56.91', 'Total', '€356.41', 'VAT ID DE811907980', 'VAT ID DE129273398']) expect(text).toContain(part);
  });

  it('EU reverse charge: a French business with a VAT id is charged no VAT and the invoice says who accounts for it', async () => {
    const po = await place(
      order({ currency: 'EUR', customer: { ...buyer('fr-1', 'Société Générale de Logiciels SA', 'compta@sgl.example'), taxId: 'FR40303265045' } as OrderBody['customer'], lines: software, billingAddress: { line1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' } }),
    );
    expect(po).toMatchObject({ subtotal: 29950, tax: [{ rate: 0, amount: 0 }], total: 29950 });
    const { text } = await invoiceText(po.id);
    for (const part of ['VAT 0 % of €299.50', '€0.00', '€299.50', 'Reverse charge', 'Article 196', 'VAT ID FR40303265045', 'VAT ID DE811907980']) expect(text).toContain(part);
  });

  it('a US state rate: a Californian buyer pays the 7.25 % state rate on the net', async () => {
    const po = await place(order({ currency: 'USD', customer: buyer('us-1', 'Initech LLC', 'ap@initech.example'), lines: software, billingAddress: { line1: '1 Infinite Loop', city: 'Cupertino', region: 'CA', postalCode: '95014', country: 'US' } as OrderBody['billingAddress'] }));
    // 299.50 x 7.25 % = 21.71375 -> $21.71
    expect(po).toMatchObject({ subtotal: 29950, tax: [{ rate: 725, amount: 2171 }], total: 32121 });
    const { text } = await invoiceText(po.id);
    for (const part of ['VAT 7.25 % of $299.50', '$21.71', '$321.21']) expect(text).toContain(part);
  });

  it('exempt: a university with an exemption certificate pays no tax, and the invoice names the certificate', async () => {
    const po = await place(
      order({ currency: 'EUR', customer: { ...buyer('edu-1', 'Technische Universität Köln', 'einkauf@tu.example', 'education'), taxExemptionId: 'EX-NRW-2026-0042' } as OrderBody['customer'], lines: software, billingAddress: { line1: 'Albertus-Magnus-Platz', city: 'Köln', postalCode: '50923', country: 'DE' } }),
    );
    expect(po).toMatchObject({ total: 29950, tax: [{ rate: 0, amount: 0 }] });
    const { text } = await invoiceText(po.id);
    for (const part of ['Exempt from VAT', 'EX-NRW-2026-0042', 'VAT 0 % of €299.50', 'Total', '€299.50']) expect(text).toContain(part);
  });

  it('no tax: a seller without a tax policy invoices the lines as before, with no tax rows; POs placed earlier keep their tax', async () => {
    await stack.updatePolicy({ tax: { mode: 'none' } });
    const po = await place(order({ currency: 'EUR', customer: buyer('de-2', 'Kleinbetrieb Schmidt', 'info@schmidt.example'), lines: software, billingAddress: { line1: 'Marktplatz 1', city: 'Bonn', postalCode: '53111', country: 'DE' } }));
    expect(po).toMatchObject({ subtotal: 29950, tax: [], total: 29950 });
    const { text } = await invoiceText(po.id);
    expect(text).toContain('€299.50');
    expect(text).not.toContain('Subtotal');
    expect(text).not.toMatch(/VAT \d/);
    const earlier = await stack.request('GET', '/purchase-orders?status=ordered', { key: keys.finance });
    expect(earlier.body.items.find((p: { customer: { id: string } }) => p.customer.id === 'de-1')).toMatchObject({ total: 35641 });
    await stack.updatePolicy({ tax: vat });
  });
});

describe('invoices in the buyer\'s script', () => {
  const buyers = {
    japanese: { company: '株式会社山田製作所', name: '山田 太郎', line1: '丸の内一丁目1番1号', city: '東京都千代田区', country: 'JP', description: 'ソフトウェア年間ライセンス（チーム版）' },
    greek: { company: 'Ελληνικά Συστήματα Λογισμικού Α.Ε.', name: 'Γιώργος Παπαδόπουλος', line1: 'Λεωφόρος Κηφισίας 44', city: 'Αθήνα', country: 'GR', description: 'Άδεια χρήσης λογισμικού' },
    russian: { company: 'ООО «Ромашка»', name: 'Юрий Иванов', line1: 'ул. Тверская, д. 7', city: 'Москва', country: 'RU', description: 'Лицензия, 1 год' },
    polish: { company: 'Przedsiębiorstwo Handlowe Łódź Sp. z o.o.', name: 'Małgorzata Wójcik', line1: 'ul. Żółkiewskiego 12', city: 'Łódź', country: 'PL', description: 'Licencja zespołowa, roczna' },
  };
  it('a Japanese, a Greek, a Russian and a Polish buyer: the invoice PDF extracts exactly what they typed, and draws it', async () => {
    const blank = { company: '.', name: '.', line1: '.', city: '.', country: 'DE', description: '.' };
    const placed = await Promise.all(
      Object.entries({ ...buyers, blank }).map(async ([script, b]) => {
        const body = order({
          currency: 'EUR',
          customer: buyer(`script-${script}`, b.company, `ap@${script}.example`),
          lines: [licence(10000, 2, 'LIC-TEAM', b.description)],
          billingAddress: { name: b.name, line1: b.line1, city: b.city, postalCode: '100-0005', country: b.country } as OrderBody['billingAddress'],
        });
        return { script, b, po: await place(body) };
      }),
    );
    // The ink of the same invoice without the buyer's text: what the buyer's text adds is measured against it.
    const base = inkOnFirstPage((await invoiceText(placed.find((p) => p.script === 'blank')!.po.id)).pdf);
    for (const { script, b, po } of placed.filter((p) => p.script !== 'blank')) {
      const { pdf, text } = await invoiceText(po.id);
      const read = text.replace(/\s+/g, ' ');
      for (const value of [b.company, b.name, b.line1, b.city, b.description]) expect(read, script).toContain(value);
      expect(read).not.toContain('?');
      // Drawn, not only extractable (a broken font subset draws blank glyphs that still extract).
      const characters = [b.company, b.name, b.line1, b.city, b.description].join('').replace(/\s/g, '').length;
      expect((inkOnFirstPage(pdf, `e2e-invoice-${script}`) - base) / characters, script).toBeGreaterThan(8);
    }
  });
});

describe('credit control', () => {
  const account = async (id: string) => (await stack.request('GET', `/customers/${id}/account`, { key: keys.finance })).body;
  const get = async (id: string) => (await stack.request('GET', `/purchase-orders/${id}`, { key: keys.finance })).body;
  const usd = (customer: string) => order({ currency: 'USD', customer: buyer(customer, `${customer} Inc.`, `ap@${customer}.example`), lines: [licence(29_700, 1, 'LIC-PRO', 'Pro licence')] });
  const emailTo = (reference: string, subjectPart: string) => stack.waitForEmail((e) => e.subject.startsWith(`${reference}:`) && e.subject.includes(subjectPart));

  it('a trusted customer at their credit limit: the PO that would go over it waits for review and says why; once paid down, POs go through again', async () => {
    await stack.updatePolicy({
      tax: { mode: 'none' },
      customers: { 'credit-1': { trusted: true, creditLimit: { amount: 50_000, currency: 'USD' } }, 'late-1': { trusted: true, paymentTermsDays: 14 } },
    });
    const first = await place(usd('credit-1'));
    expect(first.status).toBe('ordered'); // $297 of $500
    const second = await place(usd('credit-1'));
    expect(second).toMatchObject({ status: 'awaiting_review', review: { reasons: ['credit_limit'] } });
    const reviewEmail = await emailTo(second.reference, 'purchase order to review');
    expect(reviewEmail.body.text).toContain("credit control: this order would take the customer's open amount over their credit limit");
    expect(await account('credit-1')).toMatchObject({
      customerId: 'credit-1',
      exposure: { USD: 59_400 },
      overdue: {},
      creditLimit: { amount: 50_000, currency: 'USD' },
      paymentTermsDays: 30,
      openPurchaseOrders: [
        { id: first.id, status: 'ordered', outstanding: 29_700 },
        { id: second.id, status: 'awaiting_review', outstanding: 29_700 },
      ],
    });
    // Finance takes the first invoice's payment and releases the held PO: it goes on as usual.
    await stack.waitForPo(first.id, keys.finance, (p) => p.documents.length === 1);
    expect((await stack.request('POST', `/purchase-orders/${first.id}/payments`, { key: keys.finance, body: { amount: 29_700, reference: 'BANK-771' } })).status).toBe(200);
    expect((await stack.request('POST', `/purchase-orders/${second.id}/review`, { key: keys.finance, body: { decision: 'approve', comment: 'first invoice paid' } })).status).toBe(200);
    await stack.waitForPo(first.id, keys.finance, (p) => p.status === 'completed');
    expect((await account('credit-1')).exposure).toEqual({ USD: 29_700 });
    // $297 owed on the released PO, plus $150 is within $500; plus another $297 would not be.
    const small = { ...usd('credit-1'), lines: [licence(15_000, 1, 'LIC-STD', 'Standard licence')] };
    expect((await place(small)).status).toBe('ordered');
    expect((await place(usd('credit-1'))).review).toMatchObject({ reasons: ['credit_limit'] });
  });

  it('a customer with an overdue invoice has new POs held for review until it is paid', { timeout: 60_000 }, async () => {
    const late = await place(usd('late-1'));
    expect(late.status).toBe('ordered'); // trusted, due in 14 days
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 15 * 86_400 } });
    await emailTo(late.reference, 'payment overdue');
    const held = await place(usd('late-1'));
    expect(held).toMatchObject({ status: 'awaiting_review', review: { reasons: ['overdue_hold'] } });
    expect(await account('late-1')).toMatchObject({ exposure: { USD: 59_400 }, overdue: { USD: 29_700 }, creditLimit: null, paymentTermsDays: 14 });
    // The console shows the reviewer why.
    expect((await get(held.id)).history[0].detail).toContain('the customer has an overdue invoice');
    expect((await stack.request('POST', `/purchase-orders/${late.id}/payments`, { key: keys.finance, body: { amount: 29_700, reference: 'BANK-LATE' } })).status).toBe(200);
    await stack.waitForPo(late.id, keys.finance, (p) => p.status === 'completed');
    expect((await account('late-1')).overdue).toEqual({});
    expect((await place(usd('late-1'))).status).toBe('ordered');
  });

  it('an account request for a customer without open POs is an empty account; finance only', async () => {
    expect(await account('nobody-yet')).toMatchObject({ customerId: 'nobody-yet', openPurchaseOrders: [], exposure: {}, overdue: {}, creditLimit: null, paymentTermsDays: 30 });
    expect((await stack.request('GET', '/customers/credit-1/account', { key: keys.checkout })).status).toBe(403);
  });
});
