import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import type { FileStore } from '../../functions/app/ports.js';
import { fulfil } from '../../functions/app/tasks.js';
import { validate } from '../support/en16931.js';
import { apiEvent, approvedOnFakes, FixedSecrets, sampleOrder, taskFakes } from '../support/fakes.js';
import { handlerFor, routeFakes } from '../support/route-handlers.js';

/**
 * A document through API Gateway: it turns a base64 body into bytes only when the request's first
 * Accept type is a binary media type, so anything else (a browser, curl's default) is sent to a copy.
 */
describe('an issued document', () => {
  it('is the PDF\'s bytes to Accept: application/pdf, and a 303 to a short-lived copy to any other Accept', async () => {
    const { deps, poId } = await approvedOnFakes();
    await fulfil(deps, { poId });
    const invoice = (await deps.pos.get(poId))!.po.documents[0]!;
    const copies = new Map<string, Uint8Array>();
    const files: FileStore = {
      uploadUrl: async () => ({ url: '', headers: {} }),
      put: async (key, bytes) => void copies.set(key, bytes),
      inspect: async () => null,
      keep: async () => false,
      downloadUrl: async (key, filename) => `https://files.example/${key}?name=${encodeURIComponent(filename)}&expires=300`,
      remove: async () => {},
    };
    const get = await handlerFor('GetDocument', 'Reads', { ...routeFakes(), ...deps, files });
    const request = (accept: string) =>
      get(apiEvent({ path: `/purchase-orders/${poId}/documents/${invoice.id}`, pathParameters: { id: poId, docId: invoice.id }, headers: { Authorization: `Bearer ${new FixedSecrets().values.finance}`, Accept: accept } }));

    const bytes = await request('application/pdf');
    expect(bytes).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'Content-Type': 'application/pdf' } });
    expect(Buffer.from(bytes.body, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(copies.size).toBe(0);

    for (const accept of ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '*/*', 'application/json, application/pdf']) {
      const redirect = await request(accept);
      expect(redirect.statusCode).toBe(303);
      expect(redirect.headers?.Location).toBe(`https://files.example/documents/${poId}/${invoice.id}.pdf?name=${encodeURIComponent(`${invoice.number}.pdf`)}&expires=300`);
    }
    expect(Buffer.from(copies.get(`documents/${poId}/${invoice.id}.pdf`)!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('an invoice is also EN 16931 XML with ?format=ubl|xrechnung|cii: written from the data kept at issue, valid by the official rules', { timeout: 180_000 }, async () => {
    const deps = taskFakes();
    deps.policies.policy = {
      ...deps.policies.policy,
      cartMinimum: { EUR: 0 },
      tax: { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900 }, reverseCharge: true, exemptCustomerTypes: [] },
    };
    const publicBuyer = { ...sampleOrder.customer, type: 'government', buyerReference: '05315000-12345-67', endpointId: '0204:05315000-12345-67' };
    const order = orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', customer: publicBuyer, billingAddress: { ...sampleOrder.billingAddress, country: 'DE', city: 'Munich' } });
    const { po } = await placeOrder(deps, 'k-ubl', 'h-ubl', order);
    await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
    await fulfil(deps, { poId: po.id });
    const invoice = (await deps.pos.get(po.id))!.po.documents[0]!;
    const get = await handlerFor('GetDocument', 'Reads', { ...routeFakes(), ...deps });
    const request = (format: string, docId = invoice.id) =>
      get(apiEvent({ path: `/purchase-orders/${po.id}/documents/${docId}`, pathParameters: { id: po.id, docId }, query: { format }, headers: { Authorization: `Bearer ${new FixedSecrets().values.finance}` } }));
    const total = (invoice.total / 100).toFixed(2);

    const ubl = await request('ubl');
    expect(ubl).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${invoice.number}.xml"` } });
    // Both parties have a Peppol address: the UBL is Peppol BIS.
    expect(validate('cen-ubl', ubl.body).fatal).toEqual([]);
    expect(validate('peppol', ubl.body).fatal).toEqual([]);
    expect(ubl.body).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
    expect(ubl.body).toContain(`<cbc:PayableAmount currencyID="EUR">${total}</cbc:PayableAmount>`);

    const xrechnung = await request('xrechnung');
    expect(xrechnung.headers).toMatchObject({ 'Content-Disposition': `attachment; filename="${invoice.number}-xrechnung.xml"` });
    expect(validate('xrechnung', xrechnung.body).fatal).toEqual([]);
    expect(validate('cen-ubl', xrechnung.body).fatal).toEqual([]);
    expect(xrechnung.body).toContain('<cbc:BuyerReference>05315000-12345-67</cbc:BuyerReference>');

    const cii = await request('cii');
    expect(validate('cen-cii', cii.body).fatal).toEqual([]);
    expect(cii.body).toContain(`<ram:DuePayableAmount>${total}</ram:DuePayableAmount>`);

    expect(await request('pdf')).toMatchObject({ statusCode: 400, headers: { 'Content-Type': 'application/problem+json' } });
    expect(JSON.parse((await request('pdf')).body).detail).toMatch(/format must be one of ubl, xrechnung, cii/);
  });

  it('a format the document cannot have is a 422 that says what it needs; a proforma has no e-invoice (404)', async () => {
    const { deps, poId } = await approvedOnFakes();
    await fulfil(deps, { poId });
    const invoice = (await deps.pos.get(poId))!.po.documents[0]!;
    const get = await handlerFor('GetDocument', 'Reads', { ...routeFakes(), ...deps });
    const answer = await get(
      apiEvent({ path: `/purchase-orders/${poId}/documents/${invoice.id}`, pathParameters: { id: poId, docId: invoice.id }, query: { format: 'xrechnung' }, headers: { Authorization: `Bearer ${new FixedSecrets().values.finance}` } }),
    );
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body).rule).toBe('einvoice_format_unavailable');
    expect(JSON.parse(answer.body).detail).toMatch(/cannot be written as xrechnung: XRechnung needs the customer's buyer reference/);
  });
});
