import { formatMoney } from '../domain/money.js';
import type { DocumentRef, PurchaseOrder } from '../domain/purchase-order.js';
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
      { kind: 'link', label: 'Review this purchase order', href: link },
      { kind: 'p', text: `The link is personal to this review and works until ${expiresAt.slice(0, 10)}. Only one decision counts.` },
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
  return {
    subject: `${po.reference}: your order is released - invoice ${invoice.number}`,
    blocks: [
      { kind: 'p', text: `Your purchase order has been released. Your invoice ${invoice.number} is attached.` },
      orderFacts(po),
      ...licenceBlocks,
      ...shipping,
      {
        kind: 'facts',
        rows: [
          ['Amount due', formatMoney(po.payment.amountDue - po.payment.amountPaid, po.currency)],
          ['Due date', invoice.dueDate ?? ''],
          ['Pay to', `${seller.bank.accountHolder}, ${seller.bank.bankName}`],
          ['IBAN', seller.bank.iban],
          ['BIC', seller.bank.bic],
          ['Payment reference', `${invoice.number} / ${po.reference}`],
        ],
      },
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
