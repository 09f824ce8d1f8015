import { isCurrency } from '../../contract/currency.js';
import { orderRequestSchema, type OrderRequest } from '../../contract/order-request.js';
import { parseMajor } from '../domain/money.js';

/**
 * The order that arrived by letter, as a form a support person or finance clerk types in: customer,
 * lines (prices in major units, "99.00"), addresses, currency, the buyer's PO number, delivery. The
 * form is read into the same schema the API validates with, as an offline purchase order; each
 * problem is put next to the field it belongs to.
 */
export type OrderFields = Record<string, string>;

/** Rows of lines the form offers; empty rows are ignored. */
export const LINE_ROWS = 6;

/** The customer's fields on the form, as the order request names them. */
export const customerFields = ['id', 'type', 'company', 'email', 'name', 'taxId', 'taxExemptionId', 'partnerId', 'endpointId', 'buyerReference', 'einvoiceFormat'] as const;

export const addressParts = ['name', 'line1', 'line2', 'postalCode', 'city', 'region', 'country'] as const;

export interface OrderFormResult {
  order: OrderRequest | null;
  /** Field name -> what is wrong, in words. */
  errors: Record<string, string>;
}

const filled = (text: string | undefined) => (text ?? '').trim();

function address(fields: OrderFields, prefix: 'billing' | 'shipping') {
  const parts = Object.fromEntries(addressParts.map((part) => [part, filled(fields[`${prefix}-${part}`])]).filter(([, value]) => value !== ''));
  if (parts.country) parts.country = parts.country.toUpperCase();
  return parts;
}

/** Which form field a schema path belongs to. */
export function orderFieldOf(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'customer') return `customer-${second ?? 'id'}`;
  if (first === 'lines') return second === undefined ? 'lines' : `line-${second}-${third ?? 'sku'}`;
  if (first === 'billingAddress') return `billing-${second ?? 'line1'}`;
  if (first === 'shippingAddress') return `shipping-${second ?? 'line1'}`;
  return first ?? 'form';
}

/** Where a rule the placement broke belongs on the form. */
export const ruleField: Record<string, string> = {
  offline_customer_type: 'customer-type',
  offline_currency: 'currency',
  offline_minimum: 'lines',
  offline_maximum: 'lines',
  partner_po_disabled: 'customer-partnerId',
  partner_limit_zero: 'customer-partnerId',
  partner_currency: 'currency',
  partner_limit: 'lines',
  too_many_licences: 'lines',
  order_too_large: 'lines',
  zero_total: 'lines',
};

export function fieldsToOrder(fields: OrderFields): OrderFormResult {
  const errors: Record<string, string> = {};
  const currency = filled(fields.currency).toUpperCase();
  if (!isCurrency(currency)) errors.currency = 'choose a currency, as its ISO code (USD, EUR)';
  const lines = [];
  for (let row = 0; row < LINE_ROWS; row += 1) {
    const at = (name: string) => filled(fields[`line-${row}-${name}`]);
    if (!at('sku') && !at('description') && !at('quantity') && !at('unitAmount')) continue;
    const quantity = /^\d{1,7}$/.test(at('quantity')) ? Number(at('quantity')) : null;
    if (quantity === null) errors[`line-${row}-quantity`] = 'enter a whole number';
    const unitAmount = errors.currency ? null : parseMajor(at('unitAmount'), currency);
    if (unitAmount === null && !errors.currency) errors[`line-${row}-unitAmount`] = `enter the unit price in ${currency}, as “99.00”`;
    lines.push({ sku: at('sku'), description: at('description'), quantity: quantity ?? 0, unitAmount: unitAmount ?? 0, fulfilment: at('fulfilment') || 'digital' });
  }
  if (!lines.length) errors.lines = 'enter at least one line: product code, description, quantity and unit price';
  const shipping = address(fields, 'shipping');
  // An empty optional field is left out; an empty email too, so the schema says it is needed unless
  // the customer has a Peppol address to receive its documents at.
  const customer = Object.fromEntries(
    customerFields.map((name) => [name, filled(fields[`customer-${name}`])]).filter(([name, value]) => value !== '' || ['id', 'type', 'company'].includes(name!)),
  );
  const candidate = {
    channel: 'offline',
    paymentMethod: 'purchase_order',
    ...(filled(fields.delivery) ? { delivery: filled(fields.delivery) } : {}),
    customer,
    ...(filled(fields.poNumber) ? { poNumber: filled(fields.poNumber) } : {}),
    currency,
    lines,
    billingAddress: address(fields, 'billing'),
    ...(Object.keys(shipping).length ? { shippingAddress: shipping } : {}),
  };
  const parsed = orderRequestSchema.safeParse(candidate);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[orderFieldOf(issue.path)] ??= issue.message;
  return Object.keys(errors).length || !parsed.success ? { order: null, errors } : { order: parsed.data, errors };
}
