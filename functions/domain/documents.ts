import { formatMoney } from './money.js';
import type { DocumentType, PurchaseOrder } from './purchase-order.js';
import type { SellerProfile } from './seller.js';

/** The content of an invoice, proforma or credit note, ready to lay out: every value already formatted. */
export interface DocumentContent {
  title: string;
  number: string;
  issueDate: string;
  dueDate: string | null;
  reference: string;
  poNumber: string | null;
  seller: { name: string; lines: string[] };
  buyer: { name: string; lines: string[] };
  rows: { description: string; sku: string; quantity: string; unit: string; amount: string }[];
  total: string;
  notes: string[];
}

const titles: Record<DocumentType, string> = { invoice: 'Invoice', proforma: 'Proforma invoice', credit_note: 'Credit note' };

export function documentContent(
  po: PurchaseOrder,
  type: DocumentType,
  number: string,
  issuedAt: Date,
  dueDate: string | null,
  seller: SellerProfile,
): DocumentContent {
  const money = (amount: number) => formatMoney(type === 'credit_note' ? -amount : amount, po.currency);
  const address = po.billingAddress;
  const notes: string[] = [];
  const collected = po.paymentMethod === 'deferred';
  if (type === 'invoice' && po.payment.status !== 'paid') {
    notes.push(
      collected
        ? `Payment is collected on delivery${dueDate ? `; everything was delivered, so it is due by ${dueDate}` : ''}.`
        : `Payment terms: ${po.paymentTermsDays} days net. Please pay by ${dueDate ?? 'the due date'}.`,
    );
  }
  if (type === 'proforma') {
    notes.push('This proforma invoice is a request for prepayment; delivery follows receipt of payment.');
  }
  if (type !== 'credit_note' && po.payment.status !== 'paid') {
    notes.push(
      `Pay by bank transfer to ${seller.bank.accountHolder}, ${seller.bank.bankName}, IBAN ${seller.bank.iban}, BIC ${seller.bank.bic}.`,
      `Quote ${number} and ${po.reference} as the payment reference.`,
    );
  }
  const shortfall = po.status !== 'cancelled' ? (po.payment.shortfall ?? 0) : 0;
  if (type === 'invoice' && po.payment.status === 'paid') {
    notes.push(
      shortfall
        ? `Paid ${money(po.payment.amountPaid)}, as agreed when the payment dispute was resolved; the remaining ${money(shortfall)} is credited by a credit note.`
        : 'Paid in full. Thank you.',
    );
  }
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  if (type === 'credit_note' && shortfall) {
    notes.push(`This credit note reduces invoice ${invoice?.number ?? ''} of order ${po.reference} by ${money(-shortfall)}, as agreed when the payment dispute was resolved. Nothing more is due.`);
  } else if (type === 'credit_note') {
    notes.push(`This credit note cancels invoice ${invoice?.number ?? ''} of order ${po.reference} in full.`);
    if (po.payment.amountPaid > 0) notes.push(`${money(-po.payment.amountPaid)} already paid will be refunded.`);
  }
  return {
    title: titles[type],
    number,
    issueDate: issuedAt.toISOString().slice(0, 10),
    dueDate,
    reference: po.reference,
    poNumber: po.poNumber,
    seller: { name: seller.name, lines: [...seller.addressLines, seller.email, ...(seller.taxId ? [`VAT ID ${seller.taxId}`] : [])] },
    buyer: {
      name: po.customer.company,
      lines: [
        ...(address.name ? [address.name] : []),
        address.line1,
        ...(address.line2 ? [address.line2] : []),
        [address.postalCode, address.city].filter(Boolean).join(' '),
        ...(address.region ? [address.region] : []),
        address.country,
        po.customer.email,
      ],
    },
    rows:
      type === 'credit_note' && shortfall
        ? [{ description: `Reduction of invoice ${invoice?.number ?? ''} agreed on resolving the payment dispute`, sku: '', quantity: '1', unit: money(shortfall), amount: money(shortfall) }]
        : po.lines.map((line) => ({
            description: line.description,
            sku: line.sku,
            quantity: String(line.quantity),
            unit: money(line.unitAmount),
            amount: money(line.amount),
          })),
    total: money(type === 'credit_note' && shortfall ? shortfall : po.total),
    notes,
  };
}
