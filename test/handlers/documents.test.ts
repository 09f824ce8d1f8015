import { describe, expect, it } from 'vitest';
import type { FileStore } from '../../functions/app/ports.js';
import { fulfil } from '../../functions/app/tasks.js';
import { apiEvent, approvedOnFakes, FixedSecrets } from '../support/fakes.js';
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
});
