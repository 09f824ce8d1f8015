import type { AccessPoint, StoredDocument } from './ports.js';
import type { DocumentRef, PurchaseOrder } from '../domain/purchase-order/index.js';
import { writers } from '../einvoice/formats.js';
import { unavailableIn } from '../einvoice/profiles.js';
import { log } from '../runtime/log.js';

/**
 * Sends an invoice or credit note over Peppol when the buyer asked for Peppol and the seller has an
 * access point: the document's UBL in the Peppol BIS profile, to the buyer's Peppol address. A
 * document that cannot be Peppol (an address missing) is logged and left to the email and the feed.
 * Sending again is harmless: the access point takes each document once, by its id.
 */
export async function sendByPeppol(accessPoint: AccessPoint, po: PurchaseOrder, document: DocumentRef, stored: StoredDocument): Promise<'sent' | 'not asked'> {
  if (!stored.einvoice || stored.einvoiceFormat !== 'peppol') return 'not asked';
  const unavailable = unavailableIn(stored.einvoice, 'peppol');
  if (unavailable) {
    log.warn('the buyer asked for Peppol, but the document cannot be sent so', { poId: po.id, document: document.number, reason: unavailable });
    return 'not asked';
  }
  await accessPoint.send({ id: `${po.id}-${document.id}`, sender: stored.einvoice.seller.endpoint!, receiver: stored.einvoice.buyer.endpoint!, xml: (await writers()).toUbl(stored.einvoice, 'peppol') });
  log.info('document handed to the Peppol access point', { poId: po.id, document: document.number });
  return 'sent';
}
