import * as z from 'zod';

/** Who issues the documents and where the buyer pays: configuration, not code. */
export const sellerProfileSchema = z.strictObject({
  name: z.string().min(1),
  addressLines: z.array(z.string()).min(1),
  email: z.email(),
  taxId: z.string().optional(),
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
  email: 'billing@seller.example',
  taxId: 'DE123456789',
  bank: { accountHolder: 'Example Software GmbH', bankName: 'Example Bank AG', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' },
};

export function parseSellerProfile(json: string | undefined): SellerProfile {
  return json ? sellerProfileSchema.parse(JSON.parse(json)) : exampleSellerProfile;
}
