import { holdDescriptions } from '../../contract/purchase-order.js';
import { formatMoney } from '../domain/money.js';
import { type PurchaseOrder, outstanding } from '../domain/purchase-order/index.js';
import { lineItems, orderFacts, total } from './email-parts.js';
import type { Block, Message } from './render.js';

/** The emails that ask staff to act: reviewers to review, finance to verify, resume or fix. */

/** To the reviewers: the PO to check and the link that decides it. */
export function reviewRequestEmail(po: PurchaseOrder, link: string, expiresAt: string): Message {
  return {
    subject: `${po.reference}: purchase order to review (${po.customer.company}, ${total(po)})`,
    blocks: [
      { kind: 'p', text: `A purchase order is waiting for release. Check the buyer's confirmation, then approve or reject it.` },
      ...((po.review.reasons ?? []).length
        ? [{ kind: 'p', text: `Held for review by credit control: ${po.review.reasons!.map((reason) => holdDescriptions[reason]).join('; ')}.` } as Block]
        : []),
      orderFacts(po, 'staff'),
      {
        kind: 'facts',
        rows: [
          ['Customer', `${po.customer.company} (${po.customer.type}, id ${po.customer.id})`],
          ['Buyer email', po.customer.email ?? `none (e-invoices to ${po.customer.endpointId ?? 'its endpoint'})`],
          ['Channel', po.channel],
          ['Delivery', po.delivery === 'prepayment' ? 'after prepayment (proforma invoice)' : 'on release, invoice on net terms'],
        ],
      },
      lineItems(po),
      {
        kind: 'p',
        text: po.attachments.length
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
      orderFacts(po, 'staff'),
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
      orderFacts(po, 'staff'),
      { kind: 'p', text: 'If the buyer still wants the order, they can place it again.' },
    ],
  };
}

/** To finance: a payment the buyer reports, to verify. */
export function paymentToVerifyEmail(po: PurchaseOrder, consoleHref: string): Message {
  const pending = po.payment.pending;
  return {
    subject: `${po.reference}: payment reported by ${po.customer.company}, please verify`,
    blocks: [
      { kind: 'p', text: 'The buyer reports a payment. Check the bank account, then accept or reject it in the back office.' },
      { kind: 'link', label: 'Verify the payment', href: consoleHref },
      {
        kind: 'facts',
        rows: [
          ['Order reference', po.reference],
          ['Reported amount', pending ? formatMoney(pending.amount, po.currency) : '-'],
          ['Payment reference', pending?.reference ?? '-'],
          ['Amount due', formatMoney(outstanding(po), po.currency)],
        ],
      },
    ],
  };
}

/** To finance: a step of the PO's workflow failed for good; the PO waits for them. */
export function attentionEmail(po: PurchaseOrder, step: string, reason: string, consoleHref: string): Message {
  return {
    subject: `${po.reference}: needs attention - ${step} failed`,
    blocks: [
      { kind: 'p', text: `The workflow of ${po.reference} stopped at "${step}" and waits for you. Nothing was lost: the purchase order keeps its status (${po.status.replace(/_/g, ' ')}).` },
      { kind: 'link', label: 'Open it in the back office', href: consoleHref },
      { kind: 'p', text: `What failed: ${reason}` },
      orderFacts(po, 'staff'),
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
      orderFacts(po, 'staff'),
    ],
  };
}

/** To finance: the Peppol access point refused an invoice or credit note for good; the buyer has not received it that way. */
export function einvoiceRefusedEmail(po: PurchaseOrder, number: string, receiver: string, reason: string | null, consoleHref: string): Message {
  return {
    subject: `${po.reference}: ${number} could not be sent over Peppol`,
    blocks: [
      { kind: 'p', text: `The Peppol access point refused ${number} for ${receiver}: ${reason ?? 'no reason given'}.` },
      { kind: 'p', text: 'The purchase order went on as usual, but the buyer has not received this document over Peppol. Please check their Peppol address with them, or send the PDF another way.' },
      { kind: 'link', label: 'Open the purchase order', href: consoleHref },
      orderFacts(po, 'staff'),
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

/**
 * To finance (and the policy's escalation reviewer, with a review link of their own) a day before an
 * undecided review closes: decide it, or it is cancelled and the buyer told.
 */
export function reviewEscalationEmail(po: PurchaseOrder, link: { label: string; href: string }): Message {
  const closes = (po.reviewDeadline ?? '').slice(0, 10);
  return {
    subject: `${po.reference}: review closes ${closes} - still undecided`,
    blocks: [
      { kind: 'p', text: `Nobody has decided on ${po.reference} yet. If nobody approves or rejects it by ${closes}, it is cancelled and the buyer is told.` },
      { kind: 'link', ...link },
      orderFacts(po, 'staff'),
      ...(po.review.approvalsRequired > 1 ? [{ kind: 'p', text: `Approvals so far: ${po.review.approvals.length} of ${po.review.approvalsRequired}.` } as Block] : []),
      { kind: 'p', text: 'The reviewers were asked when it was placed and reminded since. It is in the back office queue "Needs attention" until it is decided.' },
    ],
  };
}

/** To finance: a payment the buyer reported days ago still waits for verification. */
export function verifyReminderEmail(po: PurchaseOrder, data: { days: number; amount: number; reference: string; reportedAt: string }, consoleHref: string): Message {
  return {
    subject: `${po.reference}: reported payment waiting ${data.days} days for verification`,
    blocks: [
      { kind: 'p', text: `${po.customer.company} reported a payment on ${data.reportedAt.slice(0, 10)} that nobody has verified yet. Until it is accepted or rejected, the order is neither delivered nor reminded.` },
      { kind: 'link', label: 'Verify the payment', href: consoleHref },
      {
        kind: 'facts',
        rows: [
          ['Order reference', po.reference],
          ['Reported amount', formatMoney(data.amount, po.currency)],
          ['Payment reference', data.reference],
          ['Amount due', formatMoney(outstanding(po), po.currency)],
        ],
      },
    ],
  };
}

/** To finance when the buyer cancelled through the shop: what was cancelled, and whether anything is to refund. */
export function buyerCancelledEmail(po: PurchaseOrder, reason: string | null, consoleHref: string): Message {
  return {
    subject: `${po.reference}: cancelled by the buyer`,
    blocks: [
      { kind: 'p', text: `${po.customer.company} cancelled ${po.reference} through the shop.${po.payment.refundDue ? ` ${formatMoney(po.payment.refundDue, po.currency)} was paid and is to be refunded.` : ' Nothing was paid.'}` },
      ...(reason ? [{ kind: 'p', text: `Reason given: ${reason}` } as Block] : []),
      { kind: 'link', label: 'Open the purchase order', href: consoleHref },
      orderFacts(po, 'staff'),
    ],
  };
}
