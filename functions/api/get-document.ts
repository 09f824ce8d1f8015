import { NotFoundError } from '../app/errors.js';
import type { DocumentStore, PurchaseOrderStore } from '../app/ports.js';
import { pathParam } from '../http/http.js';
import { routeHandler } from '../http/routing.js';

/** GET /purchase-orders/{id}/documents/{docId} (checkout, finance): the PDF as issued. */
export const makeHandler = (deps: { pos: PurchaseOrderStore; documents: DocumentStore }) =>
  routeHandler('GetDocument', async (event) => {
    const id = pathParam(event, 'id');
    const docId = pathParam(event, 'docId');
    const stored = await deps.pos.get(id);
    const ref = stored?.po.documents.find((doc) => doc.id === docId);
    const doc = ref ? await deps.documents.get(id, docId) : null;
    if (!doc) throw new NotFoundError(`purchase order ${id} has no document ${docId}`);
    return {
      statusCode: 200,
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${doc.number}.pdf"`,
        'Cache-Control': 'private, no-store',
      },
      isBase64Encoded: true,
      body: Buffer.from(doc.pdf).toString('base64'),
    };
  });
