import { holdDescriptions } from '../../contract/purchase-order.js';
import { formatMoney } from '../domain/money.js';
import type { DocumentRef, PurchaseOrder } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';
import type { Block, Message } from './render.js';

/**
 * Every email the product sends, one function each. The PO reference is in every subject so that
 * buyers, reviewers and finance can file and search them.
 */

const total = (po: PurchaseOrder) => formatMoney(po.total, po.currency);

function orderFacts(po: PurchaseOrder): Block {
  return {
    kind: 'facts',
    rows: [
      ['Order reference', po.reference],
      ...(po.poNumber ? ([['Your PO number', po.poNumber]] as [string, string][]) : []),
      ['Company', po.customer.company],
      ['Total', total(po)],
    ],
  };
}

function lineItems(po: PurchaseOrder): Block {
  return {
    kind: 'list',
    items: po.lines.map((line) => `${line.quantity} x ${line.description} (${line.sku}): ${formatMoney(line.amount, po.currency)}`),
  };
}

/** To the buyer when a PO is placed and must be confirmed before the seller releases it. */
export function poReceivedEmail(po: PurchaseOrder, seller: SellerProfile): Message {
  return {
    subject: `${po.reference}: your purchase order is awaiting confirmation`,
    blocks: [
      { kind: 'p', text: `Thank you for your order with ${seller.name}. We have received it as a purchase order.` },
      orderFacts(po),
      lineItems(po),
      { kind: 'p', text: 'To complete your order, please confirm the purchase order in one of these ways:' },
      {
        kind: 'list',
        items: [
          `Email: send your purchase order on company letterhead as an attachment to ${seller.email}.`,
          'Fax or post: send a signed confirmation on company letterhead to the address below.',
        ],
      },
      { kind: 'p', text: `Please quote ${po.reference} in your confirmation. Once we have verified it, we release your order and send the next steps.` },
      { kind: 'code', lines: [seller.name, ...seller.addressLines] },
    ],
  };
}

/** To the reviewers: the PO to check and the link that decides it. */
export function reviewRequestEmail(po: PurchaseOrder, link: string, expiresAt: string): Message {
  return {
    subject: `${po.reference}: purchase order to review (${po.customer.company}, ${total(po)})`,
    blocks: [
      { kind: 'p', text: `A purchase order is waiting for release. Check the buyer's confirmation, then approve or reject it.` },
      ...((po.review.reasons ?? []).length
        ? [{ kind: 'p', text: `Held for review by credit control: ${po.review.reasons!.map((reason) => holdDescriptions[reason]).join('; ')}.` } as Block]
        : []),
      orderFacts(po),
      {
        kind: 'facts',
        rows: [
          ['Customer', `${po.customer.company} (${po.customer.type}, id ${po.customer.id})`],
          ['Buyer email', po.customer.email],
          ['Channel', po.channel],
          ['Delivery', po.delivery === 'prepayment' ? 'after prepayment (proforma invoice)' : 'on release, invoice on net terms'],
        ],
      },
      lineItems(po),
      {
        kind: 'p',
        text: (po.attachments ?? []).length
          ? "The buyer's signed PO has arrived: open it from the review page."
          : "The buyer's signed PO has not arrived yet: check their confirmation before you approve.",
      },
      { kind: 'link', label: 'Review this purchase order', href: link },
      ...(po.review.approvalsRequired > 1
        ? [{ kind: 'p', text: `This purchase order needs ${po.review.approvalsRequired} approvals from different people; one rejection rejects it.` } as Block]
        : []),
      { kind: 'p', text: `The link is yours alone (your decision is recorded in your name) and works until ${expiresAt.slice(0, 10)}.` },
    ],
  };
}

/** To a reviewer who has not decided yet, some days before the review closes. */
export function reviewReminderEmail(po: PurchaseOrder, link: string, expiresAt: string): Message {
  return {
    subject: `${po.reference}: reminder - purchase order to review by ${expiresAt.slice(0, 10)}`,
    blocks: [
      { kind: 'p', text: `A purchase order is still waiting for your review. If nobody decides by ${expiresAt.slice(0, 10)}, it is cancelled.` },
      orderFacts(po),
      ...(po.review.approvalsRequired > 1 ? [{ kind: 'p', text: `Approvals so far: ${po.review.approvals.length} of ${po.review.approvalsRequired}.` } as Block] : []),
      { kind: 'link', label: 'Review this purchase order', href: link },
    ],
  };
}

/** To finance when a review closed undecided: the PO is cancelled, and the buyer was told. */
export function reviewExpiredFinanceEmail(po: PurchaseOrder): Message {
  return {
    subject: `${po.reference}: review expired, purchase order cancelled`,
    blocks: [
      { kind: 'p', text: `Nobody decided on ${po.reference} before its review closed, so it was cancelled and the buyer was told.` },
      orderFacts(po),
      { kind: 'p', text: 'If the buyer still wants the order, they can place it again.' },
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
          ? `Your order is confirmed. Your invoice ${invoice.number} is attached; payment is collected on delivery.`
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
  return {
    subject: `${po.reference}: payment received, thank you`,
    blocks: [
      { kind: 'p', text: `We have received your payment for ${po.reference}. Your order is paid in full.` },
      {
        kind: 'facts',
        rows: [
          ['Order reference', po.reference],
          ['Amount paid', formatMoney(po.payment.amountPaid, po.currency)],
          ...(last ? ([['Last payment reference', last.reference]] as [string, string][]) : []),
        ],
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

/** How much to pay, by when (`when`: rows such as the due date), to whom and with which reference. */
function payTo(po: PurchaseOrder, seller: SellerProfile, reference: string, when: [string, string][] = []): Block {
  return {
    kind: 'facts',
    rows: [
      ['Amount due', formatMoney(po.payment.amountDue - po.payment.amountPaid, po.currency)],
      ...when,
      ['Pay to', `${seller.bank.accountHolder}, ${seller.bank.bankName}`],
      ['IBAN', seller.bank.iban],
      ['BIC', seller.bank.bic],
      ['Payment reference', reference],
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

/** To finance: a payment the buyer reports, to verify. */
export function paymentToVerifyEmail(po: PurchaseOrder): Message {
  const pending = po.payment.pending;
  return {
    subject: `${po.reference}: payment reported by ${po.customer.company}, please verify`,
    blocks: [
      { kind: 'p', text: 'The buyer reports a payment. Check the bank account, then accept or reject it in the back office.' },
      {
        kind: 'facts',
        rows: [
          ['Order reference', po.reference],
          ['Reported amount', pending ? formatMoney(pending.amount, po.currency) : '-'],
          ['Payment reference', pending?.reference ?? '-'],
          ['Amount due', formatMoney(po.payment.amountDue - po.payment.amountPaid, po.currency)],
        ],
      },
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
        ? [{ kind: 'p', text: `Everything is delivered: payment of ${formatMoney(po.payment.amountDue - po.payment.amountPaid, po.currency)} is due by ${po.payment.dueDate}.` } as Block]
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

/** To finance: a step of the PO's workflow failed for good; the PO waits for them. */
export function attentionEmail(po: PurchaseOrder, step: string, reason: string): Message {
  return {
    subject: `${po.reference}: needs attention - ${step} failed`,
    blocks: [
      { kind: 'p', text: `The workflow of ${po.reference} stopped at "${step}" and waits for you. Nothing was lost: the purchase order keeps its status (${po.status.replace(/_/g, ' ')}).` },
      { kind: 'p', text: `What failed: ${reason}` },
      orderFacts(po),
      {
        kind: 'p',
        text: `Once the cause is fixed (for example the email service is sending again), resume it: the Resume button on its page in the back office (queue "Needs attention"), or POST /purchase-orders/${po.id}/resume.`,
      },
    ],
  };
}

/** To finance: an email the email service refused for good (a rejected address, say); the PO went on. */
export function emailFailedEmail(po: PurchaseOrder, notice: string, to: string[], reason: string): Message {
  return {
    subject: `${po.reference}: an email could not be sent`,
    blocks: [
      { kind: 'p', text: `The email "${notice}" of ${po.reference} to ${to.join(', ')} was refused: ${reason}` },
      { kind: 'p', text: 'The purchase order went on as usual. Please reach the recipient another way, or correct the address with them.' },
      orderFacts(po),
    ],
  };
}

/** Where a replay after a webhook outage starts: 15 minutes before the first failure (an event is published moments before its first attempt). */
const replayFrom = (failingSince: string | null) => (failingSince ? new Date(Date.parse(failingSince) - 15 * 60_000).toISOString() : '<a time before the first failure>');

/** To finance: a webhook endpoint was disabled because its receiver failed for days or said it is gone. */
export function webhookDisabledEmail(endpoint: { id: string; url: string; failingSince: string | null }, reason: string): Message {
  return {
    subject: `Webhook endpoint disabled: ${endpoint.url}`,
    blocks: [
      { kind: 'p', text: `We stopped sending events to ${endpoint.url}: ${reason}` },
      {
        kind: 'facts',
        rows: [
          ['Endpoint', endpoint.id],
          ['URL', endpoint.url],
          ...(endpoint.failingSince ? ([['Failing since', endpoint.failingSince]] as [string, string][]) : []),
        ],
      },
      {
        kind: 'p',
        text: `Nothing is lost: every event stays in the feed (GET /events) and in each PO's events. Once the receiver works again, enable the endpoint (PATCH /webhook-endpoints/${endpoint.id} with {"status": "enabled"}) and replay what it missed (POST /webhook-endpoints/${endpoint.id}/replay with {"since": "${replayFrom(endpoint.failingSince)}"}): that is a little before the first failure, and what the receiver has already comes again with the same ids, which it ignores.`,
      },
    ],
  };
}
