import * as z from 'zod';

/**
 * A Peppol participant id, `scheme:value`: the scheme is the ISO 6523 ICD or Peppol EAS code of the
 * identifier (0208 Belgian enterprise number, 9930 German VAT id, 0204 Leitweg-ID, 0009 SIRET, 0088
 * GLN), the value the identifier itself. Where a business receives e-invoices (BT-34/BT-49).
 */
export const endpointId = z
  .string()
  .max(120)
  .regex(/^\d{4}:[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'must be scheme:value, a 4-digit scheme code and the identifier, e.g. 0208:0123456789');

/**
 * Which e-invoice a customer's email carries, beside or inside the PDF: Peppol BIS UBL, XRechnung
 * (UBL), CII, the Factur-X PDF (its CII inside), or none (the plain PDF only).
 */
/**
 * The XML a document is offered in (the API's `?format=`): UBL 2.1 (Peppol BIS where both parties
 * have a Peppol address, else EN 16931), XRechnung 3.0 (UBL), or UN/CEFACT CII.
 */
export const xmlFormat = z.enum(['ubl', 'xrechnung', 'cii']);
export type XmlFormat = z.infer<typeof xmlFormat>;

export const einvoiceFormat = z.enum(['peppol', 'xrechnung', 'cii', 'factur-x', 'none']);
export type EInvoiceFormat = z.infer<typeof einvoiceFormat>;
