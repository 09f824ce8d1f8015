import currencyCodes from 'currency-codes';
import * as z from 'zod';

/** ISO 4217 codes that are not money a buyer can pay in (precious metals, funds, testing). */
export const notPayable: ReadonlySet<string> = new Set(['XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XBA', 'XBB', 'XBC', 'XBD', 'XSU', 'XUA', 'XTS', 'XXX']);

/** A currency a buyer can pay in: an ISO 4217 code of money. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && !notPayable.has(code) && currencyCodes.code(code) !== undefined;
}

export const currencyCode = z.string().refine(isCurrency, { message: 'must be an ISO 4217 currency code' });

/** An amount in the currency's minor unit (cents, yen, fils): a whole number, exact in a double. */
export const minorAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
