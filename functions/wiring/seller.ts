import { envNames } from '../runtime/env.js';
import { parseSellerProfile } from '../domain/seller.js';

/** The seller profile from the function's environment (the example seller on a demo stack). */
export const seller = () => parseSellerProfile(process.env[envNames.sellerProfile]);
