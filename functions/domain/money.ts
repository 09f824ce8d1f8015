import currencyCodes from 'currency-codes';
import { notPayable } from '../../contract/currency.js';
import { MoneyOverflowError } from './errors.js';

/**
 * Money is always an integer count of the currency's minor unit (cents for USD, yen for JPY,
 * fils (1/1000) for KWD). Floats never appear: sums are exact and checked against overflow.
 */

/** Digits after the decimal point for a currency (USD 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  const entry = currencyCodes.code(currency);
  if (!entry || notPayable.has(currency)) throw new RangeError(`unknown currency ${currency}`);
  return entry.digits;
}

function checked(value: number): number {
  if (!Number.isSafeInteger(value)) throw new MoneyOverflowError();
  return value;
}

export function add(a: number, b: number): number {
  return checked(checked(a) + checked(b));
}

export function multiply(amount: number, quantity: number): number {
  return checked(checked(amount) * checked(quantity));
}

export function sum(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => add(total, amount), 0);
}

/** "12345" minor units of USD -> "123.45"; of JPY -> "12345"; of KWD -> "12.345". */
export function toDecimalString(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amount < 0;
  const text = Math.abs(checked(amount)).toString().padStart(digits + 1, '0');
  const units = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${units}${fraction}`;
}

const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount typed by a person in major units ("297.00", "1,234.5", "3000" for JPY) as an integer in
 * minor units; null when it is not a plain positive amount with at most the currency's decimals.
 */
export function parseMajor(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim().replace(/,/g, ''));
  if (!match || (match[2] ?? '').length > digits) return null;
  const minor = Number(`${match[1]}${(match[2] ?? '').padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Human formatting for documents and emails, e.g. "$1,234.50", "¥12,345", "KWD 12.345". */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    // Building a formatter loads locale data: ~0.1 ms each, so one per locale and currency.
    const digits = minorDigits(currency);
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, format);
  }
  // Intl formats a decimal string exactly (no conversion through a float).
  return format.format(toDecimalString(amount, currency) as unknown as number);
}
