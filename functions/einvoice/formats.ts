import { type EInvoiceFormat, xmlFormat, type XmlFormat } from '../../contract/einvoice.js';
import type { Policy } from '../../contract/policy.js';
import type { EInvoice } from './model.js';
import { NoEInvoiceError } from './parties.js';
import { unavailableIn } from './profiles.js';

/**
 * The XML a document is offered in, by the name the API's `?format=` and the links use:
 * - `ubl`: UBL 2.1, as Peppol BIS Billing 3.0 where both parties have a Peppol address, else plain EN 16931;
 * - `xrechnung`: UBL 2.1 as XRechnung 3.0 (a German public buyer's Leitweg-ID as the buyer reference);
 * - `cii`: UN/CEFACT CII, as Factur-X and ZUGFeRD carry it.
 * Which formats a document has, and which one a customer asked for, is decided here without the XML
 * writers: those (write.ts, and the XML library under them) load when a document is written.
 */
export const xmlFormats = xmlFormat.options;
export type { XmlFormat };

/** The formats this document has: what the console and the events link. */
export function formatsOf(invoice: EInvoice): XmlFormat[] {
  return xmlFormats.filter((format) => format !== 'xrechnung' || !unavailableIn(invoice, 'xrechnung'));
}

/** The e-invoice a customer asked for: on their order, else as the policy has it for them, else none. */
export function customerFormat(customer: { id: string; einvoiceFormat?: EInvoiceFormat | undefined }, policy: Pick<Policy, 'customers'>): EInvoiceFormat {
  return customer.einvoiceFormat ?? policy.customers[customer.id]?.einvoiceFormat ?? 'none';
}

/** Whether a document's PDF is the Factur-X hybrid: the seller prints all so, or the customer asked for it. */
export function printsFacturX(policy: Pick<Policy, 'einvoicing'>, format: EInvoiceFormat): boolean {
  return policy.einvoicing.pdf === 'factur-x' || format === 'factur-x';
}

/** The XML writers, loaded on first use: a function that only decides formats never loads them. */
export const writers = () => import('./write.js');

export { NoEInvoiceError };
