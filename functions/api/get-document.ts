import { NotFoundError } from '../app/errors.js';
import type { DocumentStore, FileStore, PurchaseOrderStore } from '../app/ports.js';
import { pathParam } from '../http/http.js';
import { documentKey, pdfAnswer } from '../http/pdf.js';
import { routeHandler } from '../http/routing.js';

/** GET /purchase-orders/{id}/documents/{docId} (checkout, finance): the PDF as issued, as bytes or a redirect to them. */
export const makeHandler = (deps: { pos: PurchaseOrderStore; documents: DocumentStore; files: FileStore }) =>
  routeHandler('GetDocument', async (event) => {
    const id = pathParam(event, 'id');
    const docId = pathParam(event, 'docId');
    const stored = await deps.pos.get(id);
    const ref = stored?.po.documents.find((doc) => doc.id === docId);
    const doc = ref ? await deps.documents.get(id, docId) : null;
    if (!doc) throw new NotFoundError(`purchase order ${id} has no document ${docId}`);
    return pdfAnswer(event, deps.files, { key: documentKey(id, docId), filename: `${doc.number}.pdf`, pdf: doc.pdf });
  });
