import { InvalidCursorError } from '../../functions/app/errors.js';
import type { Page, PoSearch, ReceivableDay, StoredPurchaseOrder } from '../../functions/app/ports.js';
import { hasSomethingToShip, matchesSearch, needsFinanceSince, terminalStatuses, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { owedOnInvoice } from '../../functions/domain/receivables.js';

/** What the table keeps with each write (counts, receivables, search terms), computed from every PO of the in-memory fake. */

const clone = <T>(value: T): T => structuredClone(value);
export const newestFirst = (a: PurchaseOrder, b: PurchaseOrder) => (`${b.createdAt}#${b.id}` > `${a.createdAt}#${a.id}` ? 1 : -1);
type Items = Map<string, StoredPurchaseOrder>;

export function countsOf(items: Items): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
  for (const { po } of items.values()) {
    if (!terminalStatuses.has(po.status)) bump(po.status);
    if (hasSomethingToShip(po)) bump('to_ship');
    if (needsFinanceSince(po) !== null) bump('attention');
  }
  return counts;
}

export function receivableDaysOf(items: Items): ReceivableDay[] {
  const days = new Map<string, ReceivableDay>();
  for (const { po } of items.values()) {
    const owed = owedOnInvoice(po);
    if (!owed) continue;
    const key = `${po.payment.dueDate}#${po.currency}`;
    const day = days.get(key) ?? days.set(key, { due: po.payment.dueDate, currency: po.currency, owed: 0, count: 0 }).get(key)!;
    day.owed += owed;
    day.count += 1;
  }
  return [...days.values()];
}

/** A page of a sorted list by offset, its cursor naming the list (another list's is refused, as the table's are). */
export function offsetPage<T>(list: string, all: T[], limit: number, cursor?: string): Page<T> {
  const match = cursor === undefined ? null : new RegExp(`^${list}:(\\d{1,9})$`).exec(cursor);
  if (cursor !== undefined && !match) throw new InvalidCursorError('nextToken is not valid');
  const start = match ? Number(match[1]) : 0;
  return { items: all.slice(start, start + limit).map(clone), cursor: start + limit < all.length ? `${list}:${start + limit}` : null };
}

/** Search over the in-memory POs, by the same terms the table's index holds, newest first. */
export class MemorySearch implements PoSearch {
  constructor(private readonly pos: { items: Map<string, StoredPurchaseOrder> }) {}
  async search(query: string, limit: number, cursor?: string) {
    const all = [...this.pos.items.values()]
      .map((item) => item.po)
      .filter((po) => matchesSearch(po, query))
      .sort(newestFirst);
    return offsetPage('search', all, limit, cursor);
  }
}
