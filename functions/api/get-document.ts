import { NotFoundError } from '../app/errors.js';
import type { DocumentStore, FileStore, PurchaseOrderStore } from '../app/ports.js';
import { NoEInvoiceError, writers, xmlFormats, type XmlFormat } from '../einvoice/formats.js';
import { HttpProblem, pathParam } from '../http/http.js';
import { documentKey, pdfAnswer } from '../http/pdf.js';
import { routeHandler } from '../http/routing.js';

/**
 * GET /purchase-orders/{id}/documents/{docId} (checkout, finance): the PDF as issued, as bytes or a
 * redirect to them; or, with `?format=`, an invoice's or credit note's XML (UBL, XRechnung, CII),
 * written from its EN 16931 data kept at issue.
 */
export const makeHandler = (deps: { pos: PurchaseOrderStore; documents: DocumentStore; files: FileStore }) =>
  routeHandler('GetDocument', async (event) => {
    const id = pathParam(event, 'id');
    const docId = pathParam(event, 'docId');
    const stored = await deps.pos.get(id);
    const ref = stored?.po.documents.find((doc) => doc.id === docId);
    const doc = ref ? await deps.documents.get(id, docId) : null;
    if (!doc) throw new NotFoundError(`purchase order ${id} has no document ${docId}`);
    const format = event.queryStringParameters?.format;
    if (format === undefined) return pdfAnswer(event, deps.files, { key: documentKey(id, docId), filename: `${doc.number}.pdf`, pdf: doc.pdf });
    if (!xmlFormats.includes(format as XmlFormat)) {
      throw new HttpProblem(400, 'Bad Request', `format must be one of ${xmlFormats.join(', ')} (or absent, for the PDF)`, { errors: [{ path: 'format', message: `must be one of ${xmlFormats.join(', ')}` }] });
    }
    if (!doc.einvoice) throw new NotFoundError(`document ${doc.number} has no e-invoice (a proforma, or issued before e-invoices)`);
    let written;
    try {
      written = (await writers()).writeXml(doc.einvoice, format as XmlFormat);
    } catch (error) {
      // The document is there; what this format needs of the order is not.
      if (error instanceof NoEInvoiceError) throw new HttpProblem(422, 'Unprocessable Content', `document ${doc.number} cannot be written as ${format}: ${error.message}`, { rule: 'einvoice_format_unavailable' });
      throw error;
    }
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${written.filename}"`, 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
      body: written.xml,
    };
  });
