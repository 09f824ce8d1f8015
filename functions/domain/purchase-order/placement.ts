import type { Customer, OrderRequest } from '../../../contract/order-request.js';
import type { Policy } from '../../../contract/policy.js';
import type { Actor, HoldReason, Status, Who } from '../../../contract/purchase-order.js';
import { RuleViolation } from '../errors.js';
import { entry, whoFor } from '../history.js';
import { isTrusted, termsFor } from '../policy.js';
import { fulfilmentStatuses } from './lifecycle.js';
import { sizeLimits, utf8Bytes } from './limits.js';
import { type OfflineRules, type Payment, type PurchaseOrder, shippingOrdersFor } from './model.js';
import { dueDateFrom, priceOrder } from './pricing.js';
import { approvalsRequired, openReview, reviewTimers } from './review.js';

/** Placing an order: which route it takes (review, release, prepayment), the rules it must meet, and the new PO. */

export interface Placement {
  status: Status;
  reviewRequired: boolean;
  delivery: 'instant' | 'prepayment' | null;
}

/** A PO accepted without review: delivered now on net terms, or waiting for its proforma to be paid. */
const released = (delivery: 'instant' | 'prepayment'): Status => (delivery === 'prepayment' ? 'awaiting_payment' : 'ordered');

/** Which route a new order takes, per the payment method, the channel and the seller's policy. */
export function decidePlacement(order: OrderRequest, total: number, policy: Policy): Placement {
  const violation = (message: string, rule: string) => new RuleViolation(message, rule);
  // Nothing to pay, nothing to invoice: a free order is not a purchase order.
  if (total === 0) throw violation('an order needs a total above zero', 'zero_total');
  const seats = order.lines.filter((line) => line.fulfilment === 'digital').reduce((n, line) => n + line.quantity, 0);
  if (seats > sizeLimits.digitalSeats) {
    throw violation(`a purchase order delivers at most ${sizeLimits.digitalSeats} licence keys (this one asks for ${seats}); split the order`, 'too_many_licences');
  }
  const bytes = utf8Bytes(order);
  if (bytes > sizeLimits.orderBytes) {
    throw violation(`the order's lines and addresses take ${Math.ceil(bytes / 1024)} KB; a purchase order holds at most ${sizeLimits.orderBytes / 1024} KB of them`, 'order_too_large');
  }
  switch (order.paymentMethod) {
    case 'purchase_order': {
      const delivery = order.delivery ?? policy.defaultDelivery;
      if (order.channel === 'cart') {
        // A registered partner's own settings hold whichever way they order (refused when the option is off).
        if (order.customer.partnerId !== undefined) checkPartnerAccess(order.customer.partnerId, order.currency, total, policy);
        const minimum = policy.cartMinimum[order.currency];
        if (minimum === undefined) {
          throw violation(`purchase orders are not offered in the cart for ${order.currency}`, 'cart_currency');
        }
        if (total < minimum) {
          throw violation(`a cart purchase order needs a total of at least ${minimum} (${order.currency} minor units)`, 'cart_minimum');
        }
        const trusted = isTrusted(policy, order.customer.id);
        const reviewRequired = policy.reviewByDefault && !trusted;
        return { status: reviewRequired ? 'awaiting_review' : released(delivery), reviewRequired, delivery };
      }
      if (order.channel === 'offline') {
        checkOfflineAccess(order.customer, order.currency, total, policy);
        return { status: 'awaiting_review', reviewRequired: true, delivery };
      }
      checkPartnerAccess(order.customer.partnerId, order.currency, total, policy);
      return { status: released(delivery), reviewRequired: false, delivery };
    }
    case 'online':
      if (!order.onlinePayment) throw violation('onlinePayment is required for paymentMethod online', 'online_payment_missing');
      if (order.onlinePayment.amount !== total) {
        throw violation(`onlinePayment.amount (${order.onlinePayment.amount}) must equal the order total (${total})`, 'online_amount');
      }
      return { status: 'ordered', reviewRequired: false, delivery: null };
    case 'offline':
      return { status: 'awaiting_payment', reviewRequired: false, delivery: null };
    case 'deferred':
      return { status: 'deferred', reviewRequired: false, delivery: null };
  }
}

/**
 * Whether this customer may pay this total by offline PO: a registered partner by the partner's own
 * settings (PO enabled, a limit above zero in this currency, the total within it); anyone else by the
 * offline rules (an eligible customer type, the minimum and maximum in this currency).
 */
export function checkOfflineAccess(customer: Customer, currency: string, total: number, rules: OfflineRules): void {
  if (customer.partnerId !== undefined) return checkPartnerAccess(customer.partnerId, currency, total, rules);
  if (!rules.offline.eligibleCustomerTypes.includes(customer.type)) {
    throw new RuleViolation(`customers of type ${customer.type} may not pay by offline purchase order`, 'offline_customer_type');
  }
  const minimum = rules.offline.minimum[currency];
  const maximum = rules.offline.maximum[currency];
  if (minimum === undefined && maximum === undefined) {
    throw new RuleViolation(`offline purchase orders are not accepted in ${currency}`, 'offline_currency');
  }
  if (minimum !== undefined && total < minimum) {
    throw new RuleViolation(`an offline purchase order needs a total of at least ${minimum} (${currency} minor units)`, 'offline_minimum');
  }
  if (maximum !== undefined && total > maximum) {
    throw new RuleViolation(`an offline purchase order may total at most ${maximum} (${currency} minor units)`, 'offline_maximum');
  }
}

/** A partner's PO option: enabled, a limit above zero (zero means no access), in this currency, and the total within it. */
function checkPartnerAccess(partnerId: string | undefined, currency: string, total: number, rules: Pick<Policy, 'partners'>): void {
  const partner = partnerId === undefined ? undefined : rules.partners[partnerId];
  if (!partner || !partner.poEnabled) throw new RuleViolation('the partner may not pay by purchase order', 'partner_po_disabled');
  if (partner.limit === 0) throw new RuleViolation('the partner has a purchase-order limit of zero', 'partner_limit_zero');
  if (partner.currency !== currency) {
    throw new RuleViolation(`the partner's purchase-order limit is in ${partner.currency}, not ${currency}`, 'partner_currency');
  }
  if (total > partner.limit) throw new RuleViolation(`the order exceeds the partner's purchase-order limit of ${partner.limit}`, 'partner_limit');
}

export interface NewPurchaseOrder {
  id: string;
  reference: string;
  order: OrderRequest;
  policy: Policy;
  actor: Actor;
  by?: Who;
  at: Date;
  /** Credit control's holds on this customer (creditHolds): a PO on credit then waits for review. */
  holds?: HoldReason[];
}

/**
 * Which orders credit control may hold for review: those that extend credit, purchase orders and
 * collection on delivery. Orders paid online or prepaid offline owe nothing to hold.
 */
export const holdsApplyTo = (order: Pick<OrderRequest, 'paymentMethod'>) => order.paymentMethod === 'purchase_order' || order.paymentMethod === 'deferred';

/**
 * Whether the buyer must still confirm the PO on company letterhead: one placed online that the
 * policy sends to review (Cleverbridge's "online order with fax, letter, or email validation"), or a
 * partner's offline PO placed through the shop. Not an order staff entered from the letter in hand,
 * nor one reviewed only because credit control held it.
 */
function confirmsOnLetterhead(order: OrderRequest, decided: Placement, actor: Actor): boolean {
  return order.paymentMethod === 'purchase_order' && decided.reviewRequired && actor === 'checkout';
}

export function placePurchaseOrder({ id, reference, order, policy, actor, by, at, holds = [] }: NewPurchaseOrder): PurchaseOrder {
  const { lines, subtotal, tax, total, taxIds } = priceOrder(order, policy);
  const decided = decidePlacement(order, total, policy);
  const held = holdsApplyTo(order) && holds.length > 0;
  const placement: Placement = held ? { ...decided, status: 'awaiting_review', reviewRequired: true } : decided;
  const when = at.toISOString();
  const reviewDeadline = placement.reviewRequired ? new Date(at.getTime() + policy.reviewTimeoutDays * 86_400_000).toISOString() : null;
  const online = order.paymentMethod === 'online' && order.onlinePayment;
  const payment: Payment = {
    status: placement.status === 'awaiting_review' ? 'not_due' : 'unpaid',
    amountDue: total,
    amountPaid: 0,
    dueDate: order.paymentMethod === 'purchase_order' && placement.status === 'ordered' ? dueDateFrom(at, termsFor(policy, order.customer.id)) : null,
    records: [],
    pending: null,
    calendarDone: [],
  };
  if (online) {
    payment.status = 'paid';
    payment.amountPaid = online.amount;
    payment.records.push({ reference: online.reference, amount: online.amount, at: when, actor });
  }
  const po: PurchaseOrder = {
    id,
    reference,
    version: 1,
    createdAt: when,
    updatedAt: when,
    status: placement.status,
    channel: order.channel,
    paymentMethod: order.paymentMethod,
    delivery: placement.delivery,
    poNumber: order.poNumber ?? null,
    customer: order.customer,
    currency: order.currency,
    lines,
    subtotal,
    tax,
    taxIds,
    total,
    billingAddress: order.billingAddress,
    // Physical lines without a shipping address ship to the billing address (the PO shows where).
    shippingAddress: order.shippingAddress ?? (order.lines.some((line) => line.fulfilment === 'physical') ? order.billingAddress : null),
    paymentTermsDays: termsFor(policy, order.customer.id),
    calendar: policy.reminders,
    unpaidCalendar: { reminderDays: policy.offline.reminderDays, cancelAfterDays: policy.offline.cancelAfterDays, verifyReminderDays: policy.offline.verifyReminderDays },
    reviewDeadline,
    review: {
      ...openReview(approvalsRequired(policy, order.currency, total), reviewTimers(reviewDeadline, policy.reviewReminderDays, at), placement.reviewRequired),
      ...(held ? { reasons: holds } : {}),
      ...(confirmsOnLetterhead(order, decided, actor) ? { confirmation: 'letterhead' as const } : {}),
    },
    payment,
    documents: [],
    shippingOrders: [],
    licences: null,
    attachments: [],
    attention: null,
    history: [entry({ type: 'placed', data: { channel: order.channel, paymentMethod: order.paymentMethod, total, ...(held ? { holds } : {}) } }, { at: when, from: null, to: placement.status, actor, by: by ?? whoFor(actor) }, order.currency)],
  };
  if (fulfilmentStatuses.has(po.status)) po.shippingOrders = shippingOrdersFor(po);
  return po;
}
