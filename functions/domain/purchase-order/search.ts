import type { PurchaseOrder } from './model.js';

/**
 * How back-office search finds a PO: by what people type at the start of its reference, the
 * buyer's PO number, the customer's id or email, or of its company's name from any of its words
 * ("globex" and "corporation" both find "Globex Corporation"), in any case and with or without
 * accents. Prefixes, not any substring: that is what an index answers at any size.
 */

/** What a list of POs shows of each: a search hit does not read the PO's lines and history. */
export type PoSummary = Pick<PurchaseOrder, 'id' | 'reference' | 'status' | 'poNumber' | 'currency' | 'total' | 'createdAt'> & { customer: Pick<PurchaseOrder['customer'], 'company'> };

/** Text as search compares it: lower case, accents dropped, any run of other characters than letters, digits and @ . - _ as one space. */
export function normalizeSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@._-]+/gu, ' ')
    .trim()
    .slice(0, MAX_TERM);
}

/** The shortest query search answers: two characters (one would match most of the table). */
export const MIN_QUERY = 2;
const MAX_TERM = 120;
/** A company name is found from each of its first few words. */
const MAX_COMPANY_WORDS = 6;

/** The terms a PO is found by (each a prefix match), without repeats. */
export function searchTermsOf(po: Pick<PurchaseOrder, 'reference' | 'poNumber' | 'customer'>): string[] {
  const company = normalizeSearch(po.customer.company).split(' ');
  const fromEachWord = company.slice(0, MAX_COMPANY_WORDS).map((_, i) => company.slice(i).join(' '));
  const terms = [po.reference, po.poNumber, po.customer.id, po.customer.email].filter((value): value is string => Boolean(value)).map(normalizeSearch);
  return [...new Set([...terms, ...fromEachWord])].filter((term) => term.length >= MIN_QUERY);
}

/** Whether a PO is found by this query (normalized): what the index answers, for stores without one. */
export function matchesSearch(po: Pick<PurchaseOrder, 'reference' | 'poNumber' | 'customer'>, query: string): boolean {
  const wanted = normalizeSearch(query);
  return wanted.length >= MIN_QUERY && searchTermsOf(po).some((term) => term.startsWith(wanted));
}
