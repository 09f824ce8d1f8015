/** Human-readable numbers of the document series: "PO-2026-000123", "INV-2026-000001". */
export const seriesPrefix = {
  po: 'PO',
  invoice: 'INV',
  proforma: 'PRO',
  credit_note: 'CN',
} as const;
export type Series = keyof typeof seriesPrefix;

export function formatNumber(series: Series, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`bad sequence ${sequence}`);
  return `${seriesPrefix[series]}-${year}-${String(sequence).padStart(6, '0')}`;
}
