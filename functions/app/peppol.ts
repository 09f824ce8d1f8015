import type { AccessPoint, StoredDocument } from './ports.js';
import type { Action, DocumentRef, PurchaseOrder } from '../domain/purchase-order/index.js';
import { PeppolRefusedError } from './errors.js';
import { writers } from '../einvoice/formats.js';
import { unavailableIn } from '../einvoice/profiles.js';
import { log } from '../runtime/log.js';

/**
 * Sends an invoice or credit note over Peppol when the buyer asked for Peppol and the seller has an
 * access point: the document's UBL in the Peppol BIS profile, to the buyer's Peppol address. Returns
 * what the PO records (sent, or refused for good with the access point's reason), or null when there
 * is nothing to send: not asked, sent already, or a document that cannot be Peppol (an address
 * missing: logged and left to the email and the feed). A fault that may pass throws, and the step
 * retries; the access point takes each document once, by its id.
 */
export async function sendByPeppol(accessPoint: AccessPoint, po: PurchaseOrder, document: DocumentRef, stored: StoredDocument): Promise<Action | null> {
  if (!stored.einvoice || stored.einvoiceFormat !== 'peppol') return null;
  if (po.history.some((entry) => entry.type === 'send_einvoice' && entry.data.number === document.number)) return null;
  const unavailable = unavailableIn(stored.einvoice, 'peppol');
  if (unavailable) {
    log.warn('the buyer asked for Peppol, but the document cannot be sent so', { poId: po.id, document: document.number, reason: unavailable });
    return null;
  }
  const receiver = stored.einvoice.buyer.endpoint!;
  const handed = { type: 'send_einvoice' as const, number: document.number, receiver };
  try {
    await accessPoint.send({ id: `${po.id}-${document.id}`, sender: stored.einvoice.seller.endpoint!, receiver, xml: (await writers()).toUbl(stored.einvoice, 'peppol') });
  } catch (error) {
    if (!(error instanceof PeppolRefusedError)) throw error;
    log.warn('the Peppol access point refused a document', { poId: po.id, document: document.number, reason: error.message });
    return { ...handed, outcome: 'refused', reason: error.message };
  }
  log.info('document handed to the Peppol access point', { poId: po.id, document: document.number });
  return { ...handed, outcome: 'sent', reason: null };
}
