import { formatMoney } from '../domain/money.js';
import { type DocumentRef, type PurchaseOrder, outstanding } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';
import { lineItems, orderFacts, payTo } from './email-parts.js';
import type { Block, Message } from './render.js';

/** The emails that tell a PO's story: to the buyer, and the copies finance gets of cancellations and disputes. */

/**
 * To the buyer when a PO waits for review. Only a buyer who still has to confirm the PO (placed in
 * the shop and reviewed by the policy, or converted from an offline order) is asked for the letter
 * on company letterhead; a letter staff entered is acknowledged, and a PO held by credit control
 * only says that it is being checked.
 */
export function poReceivedEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  const facts = [orderFacts(po), lineItems(po)];
  if (po.review.confirmation !== 'letterhead') {
    const byLetter = po.history[0]?.actor !== 'checkout';
    return {
      subject: `${po.reference}: we have received your purchase order`,
      blocks: [
        {
          kind: 'p',
          text: byLetter
            ? `Thank you for your purchase order${po.poNumber ? ` ${po.poNumber}` : ''}. We have entered it as ${po.reference} and are checking it now; you need to do nothing more.`
            : `Thank you for your order. Before we release it, our credit team checks it; you need to do nothing more.`,
        },
        ...facts,
        { kind: 'p', text: 'We write again as soon as it is released, with the next steps.' },
      ],
    };
  }
  const fax = seller.fax ? `Fax ${seller.fax}, or post` : 'Post';
  return {
    subject: `${po.reference}: your purchase order is awaiting confirmation`,
    blocks: [
      { kind: 'p', text: `Thank you for your order. To complete it, please confirm the purchase order on company letterhead, quoting ${po.reference}.` },
      ...facts,
      {
        kind: 'list',
        items: [
          `Email: send your purchase order on company letterhead as an attachment to ${seller.email}.`,
          `${fax}: send a signed confirmation on company letterhead to the address below.`,
        ],
      },
      { kind: 'code', lines: [seller.name, ...seller.addressLines] },
      { kind: 'p', text: 'Once we have verified it, we release your order and send the next steps.' },
    ],
  };
}

/** To the buyer when a payment arrived that does not settle the order: what was received, what remains. */
export function partPaymentEmail(po: PurchaseOrder, amount: number, reference: string, seller: SellerProfile): Message {
  const beforeDelivery = po.status === 'awaiting_payment';
  const proforma = po.documents.find((doc) => doc.type === 'proforma');
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  const document = invoice ?? proforma;
  return {
    subject: `${po.reference}: part payment received - ${formatMoney(outstanding(po), po.currency)} still to pay`,
    blocks: [
      {
        kind: 'p',
        text: `We have received ${formatMoney(amount, po.currency)} for ${po.reference}, thank you. ${formatMoney(outstanding(po), po.currency)} remains to be paid${beforeDelivery ? '; we deliver as soon as it has arrived' : ''}.`,
      },
      { kind: 'facts', rows: [['Received', formatMoney(amount, po.currency)], ['Payment reference', reference], ['Paid so far', formatMoney(po.payment.amountPaid, po.currency)]] },
      payTo(po, seller, document ? `${document.number} / ${po.reference}` : po.reference, po.payment.dueDate ? [['Due date', po.payment.dueDate]] : []),
    ],
  };
}

/** To the buyer on release: the invoice, the delivery and how to pay. */
export function releasedEmail(po: PurchaseOrder, invoice: DocumentRef, seller: SellerProfile): Message {
  const licenceBlocks: Block[] = (po.licences ?? []).flatMap((licence) => [
    { kind: 'p', text: `Licence keys for ${licence.description} (${licence.sku}):` } as Block,
    { kind: 'code', lines: licence.keys } as Block,
  ]);
  const shipping: Block[] = po.shippingOrders.length
    ? [{ kind: 'p', text: `Physical items will ship in ${po.shippingOrders.length} shipment(s); we will tell you when each one ships.` }]
    : [];
  const collected = po.paymentMethod === 'deferred';
  return {
    subject: `${po.reference}: your order is ${collected ? 'confirmed' : 'released'} - invoice ${invoice.number}`,
    blocks: [
      {
        kind: 'p',
        text: collected
          ? `Your order is confirmed. Your invoice ${invoice.number} is attached; ${invoice.dueDate ? `please pay it by ${invoice.dueDate}` : 'payment is collected on delivery'}.`
          : `Your purchase order has been released. Your invoice ${invoice.number} is attached.`,
      },
      orderFacts(po),
      ...licenceBlocks,
      ...shipping,
      payTo(po, seller, `${invoice.number} / ${po.reference}`, invoice.dueDate ? [['Due date', invoice.dueDate]] : collected ? [['Payment', 'collected on delivery']] : []),
    ],
  };
}

/** To the buyer when the reviewer rejects the PO. */
export function rejectedEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: your purchase order was not accepted`,
    blocks: [
      { kind: 'p', text: `We are sorry: ${seller.name} could not accept your purchase order ${po.reference}.` },
      ...(po.review.comment ? [{ kind: 'p', text: `Reason: ${po.review.comment}` } as Block] : []),
      orderFacts(po),
      { kind: 'p', text: `Nothing has been charged. If you think this is a mistake, reply to ${seller.email} quoting ${po.reference}.` },
    ],
  };
}

/** To the buyer when payment in full has been received. */
export function paymentReceivedEmail(po: PurchaseOrder): Message {
  const last = po.payment.records.at(-1);
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  const toShip = po.shippingOrders.filter((order) => order.status !== 'delivered').length;
  return {
    subject: `${po.reference}: payment received, thank you`,
    blocks: [
      { kind: 'p', text: `Thank you: we have received your payment for ${po.reference}, which is now paid in full. Nothing more is due.` },
      {
        kind: 'facts',
        rows: [
          ['Order reference', po.reference],
          ...(invoice ? ([['Invoice', invoice.number]] as [string, string][]) : []),
          ['Paid in all', formatMoney(po.payment.amountPaid, po.currency)],
          ...(last ? ([['Last payment', `${formatMoney(last.amount, po.currency)} on ${last.at.slice(0, 10)}, reference ${last.reference}`]] as [string, string][]) : []),
        ],
      },
      {
        kind: 'p',
        text: toShip ? `${toShip} shipment(s) are still on their way; we write when each one ships.` : 'Please keep this email with your invoice as your receipt.',
      },
    ],
  };
}

/** To the buyer when the review window closed without a decision. */
export function reviewExpiredEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: your purchase order has expired`,
    blocks: [
      { kind: 'p', text: `Your purchase order ${po.reference} could not be confirmed in time and has been cancelled.` },
      orderFacts(po),
      { kind: 'p', text: `You may place the order again at any time, or contact ${seller.email} quoting ${po.reference}.` },
    ],
  };
}

/** To the buyer of an order placed for offline payment (Shopbay "unpaid"): how to pay. */
export function offlineOrderEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: your order is waiting for payment`,
    blocks: [
      { kind: 'p', text: `Thank you for your order with ${seller.name}. We will process it as soon as your payment has arrived.` },
      orderFacts(po),
      lineItems(po),
      payTo(po, seller, po.reference),
      { kind: 'p', text: 'Once you have paid, tell us through the shop so that we can verify the payment.' },
    ],
  };
}

/** To the buyer when a PO with prepayment is released: the proforma to pay before delivery. */
export function proformaEmail(po: PurchaseOrder, proforma: DocumentRef, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: proforma invoice ${proforma.number} for prepayment`,
    blocks: [
      { kind: 'p', text: `Your purchase order has been released. Your proforma invoice ${proforma.number} is attached.` },
      { kind: 'p', text: 'Please pay it in advance; we deliver and send the final invoice as soon as the payment has arrived.' },
      orderFacts(po),
      payTo(po, seller, `${proforma.number} / ${po.reference}`),
    ],
  };
}

/** To the buyer after a prepayment: the final invoice and the delivery. */
export function paidAndDeliveredEmail(po: PurchaseOrder, invoice: DocumentRef): Message {
  const licenceBlocks: Block[] = (po.licences ?? []).flatMap((licence) => [
    { kind: 'p', text: `Licence keys for ${licence.description} (${licence.sku}):` } as Block,
    { kind: 'code', lines: licence.keys } as Block,
  ]);
  return {
    subject: `${po.reference}: payment received - invoice ${invoice.number} and your delivery`,
    blocks: [
      { kind: 'p', text: `Thank you for your payment. Your invoice ${invoice.number} is attached, marked paid.` },
      orderFacts(po),
      ...licenceBlocks,
      ...(po.shippingOrders.length ? [{ kind: 'p', text: `Physical items will ship in ${po.shippingOrders.length} shipment(s).` } as Block] : []),
    ],
  };
}

/** To the buyer when finance could not verify the reported payment (Shopbay "rejected"). */
export function paymentRejectedEmail(po: PurchaseOrder, reason: string | null, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: we could not verify your payment`,
    blocks: [
      { kind: 'p', text: 'We could not match the payment you reported to your order.' },
      ...(reason ? [{ kind: 'p', text: `Reason: ${reason}` } as Block] : []),
      payTo(po, seller, po.reference),
      { kind: 'p', text: `Please check the transfer and report it again, or reply to ${seller.email} if you think it is correct.` },
    ],
  };
}

export function disputeOpenedEmail(po: PurchaseOrder, reason: string | null): Message {
  return {
    subject: `${po.reference}: payment dispute opened`,
    blocks: [
      { kind: 'p', text: 'A dispute about the payment of this order has been opened. Our finance team will resolve it and write to you.' },
      ...(reason ? [{ kind: 'p', text: `Reason given: ${reason}` } as Block] : []),
      orderFacts(po),
    ],
  };
}

export function disputeResolvedEmail(po: PurchaseOrder, outcome: 'accept_payment' | 'cancel', reason: string | null): Message {
  const accepted = outcome === 'accept_payment';
  return {
    subject: `${po.reference}: payment dispute resolved`,
    blocks: [
      { kind: 'p', text: accepted ? 'The dispute is resolved: your payment is accepted and your order goes ahead.' : 'The dispute is resolved: the order is cancelled.' },
      ...(reason ? [{ kind: 'p', text: `Note from our finance team: ${reason}` } as Block] : []),
      orderFacts(po),
    ],
  };
}

/** Why an unpaid invoice was cancelled by the payment calendar. */
export function unpaidFor(data: { days: number; since: string }): string {
  return `not paid ${data.days} days after we asked for payment on ${data.since.slice(0, 10)}`;
}

/** To the buyer of an offline order or a proforma not paid yet: what is owed and how to pay it. */
export function unpaidReminderEmail(po: PurchaseOrder, since: string, seller: SellerProfile): Message {
  const proforma = po.documents.find((doc) => doc.type === 'proforma');
  return {
    subject: `${po.reference}: reminder - payment awaited${proforma ? ` for proforma ${proforma.number}` : ''}`,
    blocks: [
      {
        kind: 'p',
        text: `We asked for payment of ${po.reference} on ${since.slice(0, 10)} and have not received it yet. ${proforma ? 'Delivery follows as soon as it arrives.' : 'We process your order as soon as it arrives.'}`,
      },
      payTo(po, seller, proforma ? `${proforma.number} / ${po.reference}` : po.reference),
      { kind: 'p', text: `Already paid? Reply to ${seller.email} with your payment reference.` },
    ],
  };
}

export function unpaidSince(data: { daysAfterDue: number; dueDate: string | null }): string {
  return `unpaid ${data.daysAfterDue} days after the due date ${data.dueDate}`;
}

export function cancelledEmail(po: PurchaseOrder, reason: string | null, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: your order is cancelled`,
    blocks: [
      { kind: 'p', text: `Your order ${po.reference} has been cancelled.` },
      ...(reason ? [{ kind: 'p', text: `Reason: ${reason}` } as Block] : []),
      ...(po.payment.refundDue
        ? [{ kind: 'p', text: `We will refund the ${formatMoney(po.payment.refundDue, po.currency)} you paid to the account it came from.` } as Block]
        : []),
      orderFacts(po),
      { kind: 'p', text: `Questions? Reply to ${seller.email} quoting ${po.reference}.` },
    ],
  };
}

export function shippingEmail(po: PurchaseOrder, shippingOrderId: string, status: 'shipped' | 'delivered'): Message {
  const order = po.shippingOrders.find((so) => so.id === shippingOrderId);
  return {
    subject: `${po.reference}: shipment ${shippingOrderId} ${status}`,
    blocks: [
      { kind: 'p', text: status === 'delivered' ? `Shipment ${shippingOrderId} has been delivered.` : `Shipment ${shippingOrderId} is on its way.` },
      ...(po.paymentMethod === 'deferred' && status === 'delivered' && po.payment.dueDate && po.payment.status !== 'paid'
        ? [{ kind: 'p', text: `Everything is delivered: payment of ${formatMoney(outstanding(po), po.currency)} is due by ${po.payment.dueDate}.` } as Block]
        : []),
      { kind: 'list', items: (order?.lines ?? []).map((line) => `${line.quantity} x ${line.description} (${line.sku})`) },
      { kind: 'facts', rows: [['Order reference', po.reference]] },
    ],
  };
}

export function overdueEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  return {
    subject: `${po.reference}: payment overdue${invoice ? ` - invoice ${invoice.number}` : ''}`,
    blocks: [
      { kind: 'p', text: `Our records show that payment for ${po.reference} was due on ${po.payment.dueDate}. Please pay the outstanding amount now.` },
      payTo(po, seller, invoice ? `${invoice.number} / ${po.reference}` : po.reference),
      { kind: 'p', text: 'If you have paid in the meantime, thank you, and please ignore this message.' },
    ],
  };
}

/** To the buyer of a cancelled, invoiced order: the credit note that cancels the invoice. */
export function creditNoteEmail(po: PurchaseOrder, note: DocumentRef, invoice: DocumentRef): Message {
  // A dispute settled for less reduces the invoice; a cancellation cancels it.
  const reduces = po.status !== 'cancelled';
  const facts = (invoiceLabel: string, paidLabel: string): Block => ({
    kind: 'facts',
    rows: [
      ['Credit note', note.number],
      [invoiceLabel, invoice.number],
      ['Amount credited', formatMoney(note.total, po.currency)],
      [paidLabel, formatMoney(po.payment.amountPaid, po.currency)],
    ],
  });
  const subject = `${po.reference}: credit note ${note.number} for invoice ${invoice.number}`;
  if (reduces) {
    return {
      subject,
      blocks: [
        { kind: 'p', text: `As agreed when your payment dispute was resolved, the attached credit note ${note.number} reduces invoice ${invoice.number} by ${formatMoney(note.total, po.currency)}. Nothing more is due.` },
        facts('Reduces invoice', 'Paid'),
      ],
    };
  }
  return {
    subject,
    blocks: [
      { kind: 'p', text: `Your order ${po.reference} has been cancelled. The attached credit note ${note.number} cancels invoice ${invoice.number}.` },
      facts('Cancels invoice', 'Already paid'),
      ...(po.payment.amountPaid > 0 ? [{ kind: 'p', text: 'What you have paid will be refunded to the account it came from.' } as Block] : []),
    ],
  };
}

/** To the buyer before the due date (a friendly note) or after it (a reminder), per the policy. */
export function reminderEmail(po: PurchaseOrder, when: 'before_due' | 'after_due', seller: SellerProfile): Message {
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  const before = when === 'before_due';
  const reference = invoice ? `${invoice.number} / ${po.reference}` : po.reference;
  return {
    subject: before
      ? `${po.reference}: payment due on ${po.payment.dueDate}${invoice ? ` - invoice ${invoice.number}` : ''}`
      : `${po.reference}: reminder - payment overdue since ${po.payment.dueDate}`,
    blocks: [
      {
        kind: 'p',
        text: before
          ? `A friendly reminder: payment for ${po.reference} is due on ${po.payment.dueDate}.`
          : `Payment for ${po.reference} was due on ${po.payment.dueDate} and has not reached us yet. Please pay now.`,
      },
      payTo(po, seller, reference),
      { kind: 'p', text: 'If you have paid in the meantime, thank you, and please ignore this message.' },
    ],
  };
}
