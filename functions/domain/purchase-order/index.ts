/** The purchase order: what it is, how it is priced and placed, which moves its lifecycle allows, and how it changes. */
export * from './apply.js';
export * from './lifecycle.js';
export * from './limits.js';
export * from './model.js';
export * from './placement.js';
export * from './pricing.js';
export * from './review.js';
export type { HistoryEntry } from '../history.js';
export * from './search.js';
