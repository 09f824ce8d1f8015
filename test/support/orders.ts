/**
 * Order bodies as checkout sends them, for every test and the benchmark: a cart purchase order of one
 * licence by default, with any part overridden. Each test file names its own buyer, so that what it
 * asserts (company, email, amounts) reads next to the order it placed.
 */
export type CustomerType = 'business' | 'government' | 'education' | 'consumer';

export interface OrderLineBody {
  sku: string;
  description: string;
  quantity: number;
  unitAmount: number;
  fulfilment: 'digital' | 'physical';
  seller?: string;
}

export interface OrderBody {
  channel: string;
  paymentMethod: string;
  customer: { id: string; type: CustomerType; company: string; email: string; partnerId?: string };
  currency: string;
  lines: OrderLineBody[];
  billingAddress: { line1: string; city: string; postalCode?: string; country: string };
  shippingAddress?: OrderBody['billingAddress'];
  [more: string]: unknown;
}

export const addresses = {
  US: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  DE: { line1: 'Hauptstrasse 5', city: 'Berlin', postalCode: '10115', country: 'DE' },
  CH: { line1: 'Dorfstrasse 2', city: 'Zurich', postalCode: '8001', country: 'CH' },
  JP: { line1: '1-1 Chiyoda', city: 'Tokyo', postalCode: '100-0001', country: 'JP' },
} as const;

export const buyer = (id: string, company: string, email: string, type: CustomerType = 'business') => ({ id, type, company, email });

/** A digital line (delivered as licence keys). */
export const licence = (unitAmount: number, quantity = 1, sku = 'LIC-1', description = 'Licence'): OrderLineBody => ({ sku, description, quantity, unitAmount, fulfilment: 'digital' });

/** A physical line, shipped by its seller. */
export const goods = (unitAmount: number, quantity: number, sku: string, description: string, seller?: string): OrderLineBody => ({
  sku,
  description,
  quantity,
  unitAmount,
  fulfilment: 'physical',
  ...(seller ? { seller } : {}),
});

export function order(overrides: Partial<OrderBody> = {}): OrderBody {
  return {
    channel: 'cart',
    paymentMethod: 'purchase_order',
    customer: buyer('cust-1', 'Acme Corp', 'buyer@acme.example'),
    currency: 'USD',
    lines: [licence(9900, 3, 'LIC-PRO', 'Pro licence, 1 year')],
    billingAddress: addresses.US,
    ...overrides,
  };
}
