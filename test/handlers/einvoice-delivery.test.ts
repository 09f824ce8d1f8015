import { PDFDocument, PDFName, PDFDict, PDFArray } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import type { Policy } from '../../contract/policy.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import type { PeppolDocument } from '../../functions/app/ports.js';
import { placeOrder } from '../../functions/app/place.js';
import { PeppolRefusedError } from '../../functions/app/errors.js';
import { fulfil, issueCreditNote, notify } from '../../functions/app/tasks.js';
import { validate } from '../support/en16931.js';
import { sampleOrder, taskFakes } from '../support/fakes.js';

/**
 * Where an invoice's e-invoice goes once issued: the buyer's email carries the format they asked for
 * (on the order, or for them in the policy), the PDF is the Factur-X hybrid where asked, and the
 * invoice.issued and credit_note.issued events link every format the document has.
 */
const germanVat: Policy['tax'] = { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900 }, reverseCharge: true, exemptCustomerTypes: [] };
const cologne = { ...sampleOrder.billingAddress, country: 'DE', city: 'Köln', postalCode: '50667' };
const cityOfCologne = { ...sampleOrder.customer, id: 'cust-koeln', type: 'government', company: 'Stadt Köln', buyerReference: '05315000-12345-67', endpointId: '0204:05315000-12345-67' };

async function invoiced(customer: object, policy: object = {}) {
  const deps = taskFakes();
  deps.policies.policy = { ...deps.policies.policy, cartMinimum: { EUR: 0 }, tax: germanVat, ...policy };
  const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', customer, billingAddress: cologne }));
  await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
  await fulfil(deps, { poId: po.id });
  await notify(deps, { poId: po.id, notifiedVersion: 0 });
  const mail = deps.mailer.sent.find((s) => s.key.endsWith('-invoice'))!.email;
  return { deps, poId: po.id, mail, invoice: (await deps.pos.get(po.id))!.po.documents[0]! };
}

/** The files a PDF carries, by name, as a reader lists them (the catalog's EmbeddedFiles). */
async function embeddedFiles(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  return names ? names.asArray().filter((_, index) => index % 2 === 0).map((name) => (name as unknown as { decodeText(): string }).decodeText()) : [];
}

describe('the e-invoice a buyer asked for', () => {
  it('XRechnung on the order: the invoice email carries the PDF and the XRechnung, valid, and the event links every format', { timeout: 120_000 }, async () => {
    const { deps, poId, mail, invoice } = await invoiced({ ...cityOfCologne, einvoiceFormat: 'xrechnung' });
    expect(mail.attachments!.map((file) => [file.filename, file.contentType])).toEqual([
      [`${invoice.number}.pdf`, 'application/pdf'],
      [`${invoice.number}-xrechnung.xml`, 'application/xml'],
    ]);
    const xml = new TextDecoder().decode(mail.attachments![1]!.content);
    expect(validate('xrechnung', xml).fatal).toEqual([]);
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
    expect(await embeddedFiles(mail.attachments![0]!.content)).toEqual([]);

    const issued = deps.publishing.events.kept.map((k) => k.event).find((event) => event.type === 'invoice.issued')!;
    const path = `/purchase-orders/${poId}/documents/${invoice.id}`;
    expect(issued.data.links).toEqual({ pdf: path, ubl: `${path}?format=ubl`, xrechnung: `${path}?format=xrechnung`, cii: `${path}?format=cii` });
  });

  it('Factur-X for the customer in the policy: one PDF with factur-x.xml inside, no separate XML', async () => {
    const { mail } = await invoiced(sampleOrder.customer, { customers: { [sampleOrder.customer.id]: { einvoiceFormat: 'factur-x' } } });
    expect(mail.attachments!.map((file) => file.filename)).toEqual(['INV-2026-000001.pdf']);
    expect(await embeddedFiles(mail.attachments![0]!.content)).toEqual(['factur-x.xml']);
  });

  it('a seller who prints Factur-X for all: the PDF is the hybrid whatever the customer asked; a customer who asked nothing gets the PDF alone', async () => {
    const hybrid = await invoiced(sampleOrder.customer, { einvoicing: { pdf: 'factur-x' } });
    expect(await embeddedFiles(hybrid.mail.attachments![0]!.content)).toEqual(['factur-x.xml']);
    const plain = await invoiced(sampleOrder.customer);
    expect(plain.mail.attachments!.map((file) => file.filename)).toEqual(['INV-2026-000001.pdf']);
    expect(await embeddedFiles(plain.mail.attachments![0]!.content)).toEqual([]);
  });

  it('Peppol, then the invoice cancelled: the credit note goes out as Peppol UBL, naming the invoice, and its event links its formats', { timeout: 120_000 }, async () => {
    const buyer = { ...sampleOrder.customer, taxId: 'DE987654321', endpointId: '9930:DE987654321', einvoiceFormat: 'peppol' };
    const { deps, poId, invoice } = await invoiced(buyer);
    const before = (await deps.pos.get(poId))!.po;
    await changePurchaseOrder(deps, poId, { type: 'cancel', reason: 'ordered twice' }, { actor: 'finance', at: deps.clock.now() });
    await issueCreditNote(deps, { poId });
    await notify(deps, { poId, notifiedVersion: before.history.length });
    const note = deps.mailer.sent.find((s) => s.key.endsWith('-credit-note'))!.email;
    expect(note.attachments!.map((file) => file.filename)).toEqual(['CN-2026-000001.pdf', 'CN-2026-000001.xml']);
    const xml = new TextDecoder().decode(note.attachments![1]!.content);
    expect(validate('peppol', xml).fatal).toEqual([]);
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml).toMatch(new RegExp(`<cac:InvoiceDocumentReference>\\s*<cbc:ID>${invoice.number}</cbc:ID>`));
    const credited = deps.publishing.events.kept.map((k) => k.event).find((event) => event.type === 'credit_note.issued')!;
    // No Leitweg-ID (customer.buyerReference): no XRechnung.
    expect(Object.keys(credited.data.links as object)).toEqual(['pdf', 'ubl', 'cii']);
  });

  it('a buyer with a Peppol address and no email: placed, invoiced, no email to the buyer, the invoice in the feed and to webhooks', async () => {
    const { email: _none, ...withoutEmail } = { ...sampleOrder.customer, taxId: 'DE987654321', endpointId: '9930:DE987654321' };
    const deps = taskFakes();
    const at = '2026-01-01T00:00:00Z';
    await deps.publishing.webhooks.create({ id: 'ep1', url: 'https://erp.example/hooks', description: 'ERP', events: [], status: 'enabled', disabled: null, failingSince: null, secrets: [], createdAt: at, updatedAt: at, version: 1 });
    deps.policies.policy = { ...deps.policies.policy, cartMinimum: { EUR: 0 }, tax: germanVat };
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', customer: withoutEmail, billingAddress: cologne }));
    await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
    await fulfil(deps, { poId: po.id });
    await notify(deps, { poId: po.id, notifiedVersion: 0 });
    expect(deps.mailer.sent.filter((s) => s.key.endsWith('-invoice'))).toEqual([]);
    const issued = deps.publishing.events.kept.map((k) => k.event).find((event) => event.type === 'invoice.issued')!;
    expect(issued.data.links).toMatchObject({ ubl: expect.stringMatching(/\?format=ubl$/) });
    expect([...deps.publishing.deliveries.started.values()].map((d) => d.eventId)).toContain(issued.id);
    // Without an email, an order must name where its e-invoices go.
    expect(() => orderRequestSchema.parse({ ...sampleOrder, customer: { ...withoutEmail, endpointId: undefined } })).toThrow(/unless the customer has an endpointId/);
  });

  it('Peppol with an access point: the invoice is handed over as Peppol UBL to the buyer\'s address, once per document however often notify runs', { timeout: 60_000 }, async () => {
    const handed: PeppolDocument[] = [];
    const buyer = { ...sampleOrder.customer, taxId: 'BE0123456749', endpointId: '0208:0123456749', einvoiceFormat: 'peppol' };
    const deps = taskFakes();
    deps.policies.policy = { ...deps.policies.policy, cartMinimum: { EUR: 0 }, tax: germanVat };
    const withAccessPoint = { ...deps, accessPoint: { send: async (document: PeppolDocument) => void handed.push(document) } };
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', customer: buyer, billingAddress: { ...cologne, country: 'BE', city: 'Brussels', postalCode: '1000' } }));
    await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
    await fulfil(deps, { poId: po.id });
    await notify(withAccessPoint, { poId: po.id, notifiedVersion: 0 });
    await notify(withAccessPoint, { poId: po.id, notifiedVersion: 0 });
    const invoice = (await deps.pos.get(po.id))!.po.documents[0]!;
    expect(new Set(handed.map((d) => d.id))).toEqual(new Set([`${po.id}-${invoice.id}`]));
    expect(handed[0]).toMatchObject({ sender: '9930:DE123456789', receiver: '0208:0123456749' });
    expect(validate('peppol', handed[0]!.xml).fatal).toEqual([]);
    // The PO says so, once: finance sees where the invoice went.
    const sent = (await deps.pos.get(po.id))!.po.history.filter((entry) => entry.type === 'send_einvoice');
    expect(sent).toEqual([expect.objectContaining({ actor: 'system', data: { number: invoice.number, network: 'peppol', receiver: '0208:0123456749', outcome: 'sent', reason: null } })]);

    // A buyer who did not ask for Peppol: nothing goes to the access point.
    const other = await invoiced({ ...buyer, einvoiceFormat: undefined });
    handed.length = 0;
    await notify({ ...other.deps, accessPoint: { send: async (document: PeppolDocument) => void handed.push(document) } }, { poId: other.poId, notifiedVersion: 0 });
    expect(handed).toEqual([]);
  });

  it('a document the access point refuses for good is recorded on the PO and finance is told; a fault that may pass retries the step', async () => {
    const buyer = { ...sampleOrder.customer, taxId: 'BE0123456749', endpointId: '0208:0123456749', einvoiceFormat: 'peppol' };
    const deps = taskFakes();
    deps.policies.policy = { ...deps.policies.policy, cartMinimum: { EUR: 0 }, tax: germanVat };
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', customer: buyer, billingAddress: { ...cologne, country: 'BE', city: 'Brussels', postalCode: '1000' } }));
    await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
    await fulfil(deps, { poId: po.id });
    // Down for a moment: the step fails, to be retried, and nothing is recorded.
    const down = { ...deps, accessPoint: { send: async () => Promise.reject(new Error('the Peppol access point answered 503')) } };
    await expect(notify(down, { poId: po.id, notifiedVersion: 0 })).rejects.toThrow('503');
    expect((await deps.pos.get(po.id))!.po.history.some((entry) => entry.type === 'send_einvoice')).toBe(false);
    // Refused for good: recorded with the reason, the PO goes on, and finance hears of it.
    const refusing = { ...deps, accessPoint: { send: async () => Promise.reject(new PeppolRefusedError('the access point answered 404 (unknown receiver)')) } };
    const told = await notify(refusing, { poId: po.id, notifiedVersion: 0 });
    const after = (await deps.pos.get(po.id))!.po;
    const invoice = after.documents[0]!;
    expect(after.history.filter((entry) => entry.type === 'send_einvoice')).toEqual([
      expect.objectContaining({ data: { number: invoice.number, network: 'peppol', receiver: '0208:0123456749', outcome: 'refused', reason: 'the access point answered 404 (unknown receiver)' } }),
    ]);
    expect(after.status).toBe('ordered');
    await notify(refusing, { poId: po.id, notifiedVersion: told });
    const mail = deps.mailer.sent.find((sent) => sent.email.subject === `${after.reference}: ${invoice.number} could not be sent over Peppol`);
    expect(mail?.email.to).toEqual(deps.policies.policy.financeEmails);
    // Recorded once: notify again hands nothing over.
    const handed: PeppolDocument[] = [];
    await notify({ ...deps, accessPoint: { send: async (document: PeppolDocument) => void handed.push(document) } }, { poId: po.id, notifiedVersion: 0 });
    expect(handed).toEqual([]);
  });
});
