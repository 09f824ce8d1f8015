import { formatMoney } from './money.js';
import { hasPhysicalLines, taxationOf, type PurchaseOrder } from './purchase-order/index.js';
import { type DocumentType } from '../../contract/purchase-order.js';
import type { SellerProfile } from './seller.js';
import { formatRate, splitGross } from './tax.js';

/** The content of an invoice, proforma or credit note, ready to lay out: every value already formatted. */
export interface DocumentContent {
  title: string;
  number: string;
  issueDate: string;
  /** When the goods or licences went out (see supplyDateOf); none on a proforma. */
  supplyDate: string | null;
  dueDate: string | null;
  reference: string;
  poNumber: string | null;
  seller: { name: string; lines: string[] };
  /** The buyer's country decides how Han characters are drawn (Japanese, Chinese or Korean forms). */
  buyer: { name: string; lines: string[]; country: string };
  rows: { description: string; sku: string; quantity: string; unit: string; amount: string }[];
  /** With tax: the net subtotal and one row per rate ("VAT 19 % of €100.00"), above the total. */
  subtotal: string | null;
  taxRows: { label: string; amount: string }[];
  total: string;
  notes: string[];
}

/**
 * The date of supply (EN 16931's actual delivery date, BT-72; the EU VAT directive, art. 226(7), and
 * German law want it on the invoice): the day of the last delivery recorded before the invoice
 * (licence keys sent, goods shipped or delivered), else the day the invoice was issued, which is the
 * day the order was released. A credit note repeats its invoice's; a proforma has none.
 */
export function supplyDateOf(po: PurchaseOrder, type: DocumentType, issuedAt: Date): string | null {
  if (type === 'proforma') return null;
  const invoice = type === 'credit_note' ? po.documents.find((doc) => doc.type === 'invoice') : undefined;
  const until = invoice ? invoice.issuedAt : issuedAt.toISOString();
  const deliveries = po.history.filter((entry) => (entry.type === 'deliver_digital' || entry.type === 'update_shipping') && entry.at <= until);
  return (deliveries.at(-1)?.at ?? until).slice(0, 10);
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
  // The seller's tax id as the PO's tax settings had it when placed; else the seller profile's.
  const sellerTaxId = po.taxIds?.seller ?? seller.taxId;
  const address = po.billingAddress;
  const notes: string[] = [];
  const collected = po.paymentMethod === 'deferred';
  if (type === 'invoice' && po.payment.status !== 'paid') {
    notes.push(
      !collected
        ? `Payment terms: ${po.paymentTermsDays} days net. Please pay by ${dueDate ?? 'the due date'}.`
        : hasPhysicalLines(po)
          ? `Payment is collected on delivery${dueDate ? `; everything was delivered, so it is due by ${dueDate}` : ''}.`
          : `Payment terms: ${po.paymentTermsDays} days net from delivery. Please pay by ${dueDate ?? 'the due date'}.`,
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
  // A credit note for a shortfall credits a gross amount: its net part and tax are split by the PO's rates.
  const taxation = taxationOf(po);
  const credited = type === 'credit_note' && shortfall ? splitGross(shortfall, taxation.tax) : null;
  const taxEntries = credited ? credited.tax : taxation.tax;
  for (const note of new Set(taxEntries.flatMap((entry) => (entry.note ? [entry.note] : [])))) notes.push(note);
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
    supplyDate: supplyDateOf(po, type, issuedAt),
    dueDate,
    reference: po.reference,
    poNumber: po.poNumber,
    seller: { name: seller.name, lines: [...seller.addressLines, seller.email, ...(sellerTaxId ? [`VAT ID ${sellerTaxId}`] : [])] },
    buyer: {
      name: po.customer.company,
      country: address.country,
      lines: [
        ...(address.name ? [address.name] : []),
        address.line1,
        ...(address.line2 ? [address.line2] : []),
        [address.postalCode, address.city].filter(Boolean).join(' '),
        ...(address.region ? [address.region] : []),
        address.country,
        ...(po.customer.email ? [po.customer.email] : []),
        ...(po.customer.taxId ? [`VAT ID ${po.customer.taxId}`] : []),
        ...(po.customer.taxExemptionId && taxEntries.some((entry) => entry.note?.startsWith('Exempt')) ? [`Tax exemption ${po.customer.taxExemptionId}`] : []),
      ],
    },
    rows:
      type === 'credit_note' && shortfall
        ? [{ description: `Reduction of invoice ${invoice?.number ?? ''} agreed on resolving the payment dispute`, sku: '', quantity: '1', unit: money(credited!.net), amount: money(credited!.net) }]
        : po.lines.map((line) => ({
            description: line.description,
            sku: line.sku,
            quantity: String(line.quantity),
            unit: money(line.unitAmount),
            amount: money(line.amount),
          })),
    subtotal: taxEntries.length ? money(credited ? credited.net : taxation.subtotal) : null,
    taxRows: taxEntries.map((entry) => ({ label: `${entry.name} ${formatRate(entry.rate)} of ${money(entry.base)}`, amount: money(entry.amount) })),
    total: money(type === 'credit_note' && shortfall ? shortfall : po.total),
    notes,
  };
}
