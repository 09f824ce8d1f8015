import type { HistoryEntry, PurchaseOrder } from '../domain/purchase-order.js';
import type { SellerProfile } from '../domain/seller.js';
import * as emails from './emails.js';
import type { Message } from './render.js';

/**
 * Which email each change in a PO's history sends, and to whom. The workflow's notify step walks the
 * history entries it has not notified yet, so no change goes untold and none is told twice. Emails
 * that carry a document or a link (review request, release, proforma) come from the steps that make them.
 */
export interface EventEmail {
  to: 'buyer' | 'finance';
  message: Message;
}

export function emailsFor(po: PurchaseOrder, entry: HistoryEntry, seller: SellerProfile): EventEmail[] {
  const buyer = (message: Message): EventEmail => ({ to: 'buyer', message });
  const finance = (message: Message): EventEmail => ({ to: 'finance', message });
  const paidInFull = entry.to !== 'cancelled' && po.payment.status === 'paid';
  switch (entry.type) {
    case 'placed':
      return entry.to === 'awaiting_payment' && po.paymentMethod === 'offline' ? [buyer(emails.offlineOrderEmail(po, seller))] : [];
    case 'reject':
      return [buyer(emails.rejectedEmail(po, seller))];
    case 'expire_review':
      return [buyer(emails.reviewExpiredEmail(po, seller))];
    case 'submit_payment':
      return [finance(emails.paymentToVerifyEmail(po))];
    case 'verify_payment':
      if (entry.to === 'payment_rejected') return [buyer(emails.paymentRejectedEmail(po, entry.detail, seller))];
      return paidInFull && po.delivery !== 'prepayment' ? [buyer(emails.paymentReceivedEmail(po))] : [];
    case 'record_payment':
      // A prepaid PO's receipt goes out with its final invoice.
      return entry.detail?.endsWith(' 0 outstanding') && po.delivery !== 'prepayment' ? [buyer(emails.paymentReceivedEmail(po))] : [];
    case 'dispute':
      return [buyer(emails.disputeOpenedEmail(po, entry.detail)), finance(emails.disputeOpenedEmail(po, entry.detail))];
    case 'resolve_dispute':
      return [buyer(emails.disputeResolvedEmail(po, entry.detail))];
    case 'cancel':
      return [buyer(emails.cancelledEmail(po, entry.detail, seller))];
    case 'update_shipping': {
      const match = /shipping order (\S+) \(.*\) (shipped|delivered)$/.exec(entry.detail ?? '');
      return match ? [buyer(emails.shippingEmail(po, match[1]!, match[2] as 'shipped' | 'delivered'))] : [];
    }
    case 'mark_overdue':
      return [buyer(emails.overdueEmail(po, seller))];
    case 'remind': {
      const event = /^reminder (\S+):/.exec(entry.detail ?? '')?.[1];
      return event ? [buyer(emails.reminderEmail(po, event, seller))] : [];
    }
    case 'auto_cancel':
      return [buyer(emails.cancelledEmail(po, entry.detail, seller)), finance(emails.cancelledEmail(po, entry.detail, seller))];
    default:
      return [];
  }
}
