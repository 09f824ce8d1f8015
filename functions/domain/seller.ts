import * as z from 'zod';
import { endpointId } from '../../contract/einvoice.js';

/** Who issues the documents and where the buyer pays: configuration, not code. */
export const sellerProfileSchema = z.strictObject({
  name: z.string().min(1),
  addressLines: z.array(z.string()).min(1),
  /** The address in parts, for electronic invoices (XRechnung needs the city and postal code apart); else taken from addressLines. */
  address: z
    .strictObject({ line1: z.string().min(1), line2: z.string().min(1).optional(), postalCode: z.string().min(1).optional(), city: z.string().min(1), country: z.string().regex(/^[A-Z]{2}$/) })
    .optional(),
  /** Who buyers' systems name as the seller's contact on electronic invoices (BT-41); "Accounts receivable" when not set. */
  contactName: z.string().min(1).optional(),
  /** Where the seller receives electronic invoices and answers (BT-34), as a Peppol participant id `scheme:value`, e.g. "9930:DE123456789". */
  endpointId: endpointId.optional(),
  email: z.email(),
  /** Printed where buyers are told how to reach the seller: the PO instructions page, the emails' footer. */
  phone: z.string().min(1).optional(),
  /** For purchase orders sent by fax: the confirmation email and the PO instructions page name it when there is one. */
  fax: z.string().min(1).optional(),
  website: z.url({ protocol: /^https?$/ }).optional(),
  /** An https image shown at the top of every email (at most 200 x 60 pixels look best). */
  logoUrl: z.url({ protocol: /^https$/ }).optional(),
  /** The seller's VAT id (or, outside the EU, its tax registration), when the PO's tax settings name none. */
  taxId: z.string().optional(),
  /** Where the seller is registered (ISO 3166-1 alpha-2): electronic invoices name it (else the prefix of an EU VAT id). */
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  /** The seller's legal registration (e.g. a SIREN, or "HRB 12345, Amtsgericht Köln"): electronic invoices carry it. */
  legalRegistration: z.string().min(1).optional(),
  bank: z.strictObject({
    accountHolder: z.string().min(1),
    bankName: z.string().min(1),
    iban: z.string().min(1),
    bic: z.string().min(1),
  }),
});
export type SellerProfile = z.infer<typeof sellerProfileSchema>;

export const exampleSellerProfile: SellerProfile = {
  name: 'Example Software GmbH',
  addressLines: ['Gereonstrasse 1', '50670 Cologne', 'Germany'],
  address: { line1: 'Gereonstrasse 1', postalCode: '50670', city: 'Cologne', country: 'DE' },
  endpointId: '9930:DE123456789',
  email: 'billing@seller.example',
  phone: '+49 221 555 0100',
  fax: '+49 221 555 0199',
  website: 'https://seller.example',
  taxId: 'DE123456789',
  country: 'DE',
  legalRegistration: 'HRB 12345, Amtsgericht Köln',
  bank: { accountHolder: 'Example Software GmbH', bankName: 'Example Bank AG', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' },
};

export function parseSellerProfile(json: string | undefined): SellerProfile {
  return json ? sellerProfileSchema.parse(JSON.parse(json)) : exampleSellerProfile;
}
