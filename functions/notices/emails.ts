/**
 * Every email the product sends, one function each. The PO reference is in every subject so that
 * buyers, reviewers and finance can file and search them.
 */
export * from './order-emails.js';
export * from './staff-emails.js';
