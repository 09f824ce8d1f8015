import { NotFoundError } from '../app/errors.js';
import type { DocumentStore, FileStore, PurchaseOrderStore } from '../app/ports.js';
import { toUbl } from '../einvoice/ubl.js';
import { HttpProblem, pathParam } from '../http/http.js';
import { documentKey, pdfAnswer } from '../http/pdf.js';
import { routeHandler } from '../http/routing.js';

/** GET /purchase-orders/{id}/documents/{docId} (checkout, finance): the PDF as issued, as bytes or a redirect to them; or an invoice's UBL, written from its EN 16931 data kept at issue. */
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
    if (format !== 'ubl') throw new HttpProblem(400, 'Bad Request', 'format must be ubl (or absent, for the PDF)', { errors: [{ path: 'format', message: 'must be ubl' }] });
    if (!doc.einvoice) throw new NotFoundError(`document ${doc.number} has no e-invoice (a proforma or credit note, or issued before e-invoices)`);
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${doc.number}.xml"`, 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
      body: toUbl(doc.einvoice),
    };
  });
