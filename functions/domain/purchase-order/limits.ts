/**
 * A PO lives in one DynamoDB item (at most 400 KB) for its whole life: its lines, a copy of the
 * physical ones in shipping orders, every licence key, and every history entry. These bounds keep it
 * there: at placement, at most `digitalSeats` keys and `orderBytes` of order (so a delivered PO takes
 * under about 200 KB); later, people's changes stop at `personBytes` (422, rule "po_full"),
 * which leaves the workflow's own steps (documents, reminders) room to finish. See docs/api.md.
 */
export const sizeLimits = { digitalSeats: 2_000, orderBytes: 64 * 1024, personBytes: 300 * 1024 } as const;

const encoder = new TextEncoder();
export const utf8Bytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;
