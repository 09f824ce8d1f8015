import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyOverflowError } from '../../functions/domain/errors.js';
import { add, formatMoney, minorDigits, sum, toDecimalString } from '../../functions/domain/money.js';
import { isCurrency } from '../../contract/currency.js';

describe('money', () => {
  it('knows the minor units of each currency', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('accepts ISO 4217 currencies and refuses unknown codes and non-money codes', () => {
    expect(['USD', 'EUR', 'JPY', 'KWD', 'XOF'].every(isCurrency)).toBe(true);
    expect(['usd', 'US', 'ABC', 'XAU', 'XXX', 'XTS', ''].some(isCurrency)).toBe(false);
  });

  it('formats amounts exactly, with the currency’s own decimals', () => {
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(12345, 'JPY')).toBe('¥12,345');
    expect(formatMoney(12345, 'KWD')).toBe('KWD\u00a012.345');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('turns minor units into a decimal string and back without loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('USD', 'JPY', 'KWD'), (amount, currency) => {
        const text = toDecimalString(amount, currency);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(amount));
      }),
    );
  });

  it('sums exactly and refuses totals that cannot be represented', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 50 }), (amounts) => {
        expect(BigInt(sum(amounts))).toBe(amounts.reduce((a, b) => a + BigInt(b), 0n));
      }),
    );
    expect(() => add(Number.MAX_SAFE_INTEGER, 1)).toThrow(MoneyOverflowError);
  });
});
