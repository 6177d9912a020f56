/**
 * Rupiah typed as text, at the edges of each rule: currency words only at the ends, separators
 * only in groups of three, "Rp 250.000,--", and the locale tags Sheets reports with a hyphen.
 */
import { describe, expect, it } from 'vitest';
import { readAmountText, readsDotAsDecimal } from '../../src/core/amount';

const rupiah = (value: number, fraction = false) => ({ kind: 'number', value, negative: false, fraction });

describe('readAmountText', () => {
  it('takes "Rp" and "IDR" only in front and "IDR"/"rupiah" only at the end', () => {
    expect(readAmountText('1rp000')).toEqual({ kind: 'notNumber' });
    expect(readAmountText('250idr000')).toEqual({ kind: 'notNumber' });
    expect(readAmountText('250rupiah000')).toEqual({ kind: 'notNumber' });
    expect(readAmountText('IDR 250.000')).toEqual(rupiah(250_000));
    expect(readAmountText('250.000 rupiah')).toEqual(rupiah(250_000));
  });

  it('drops a trailing ",-" or ",--" (as written on receipts), not a dash in the middle', () => {
    expect(readAmountText('Rp 250.000,--')).toEqual(rupiah(250_000));
    expect(readAmountText('Rp 250.000.-')).toEqual(rupiah(250_000));
    expect(readAmountText('1.-000')).toEqual({ kind: 'notNumber' });
  });

  it('reads separators in groups of three from the first digit only', () => {
    // Four digits before the first group: not a thousands separator, so three digits after it are ambiguous.
    expect(readAmountText('1234.567')).toEqual({ kind: 'ambiguous' });
    expect(readAmountText('1234,567')).toEqual({ kind: 'ambiguous' });
    expect(readAmountText('x1,5')).toEqual({ kind: 'notNumber' });
    expect(readAmountText('x1.5')).toEqual({ kind: 'notNumber' });
  });

  it('reads several thousands groups before a decimal part, and a long whole part before one', () => {
    expect(readAmountText('1.000.000,50')).toEqual(rupiah(1_000_000, true));
    expect(readAmountText('1,000,000.50')).toEqual(rupiah(1_000_000, true));
    expect(readAmountText('1.000.000,00')).toEqual(rupiah(1_000_000));
    expect(readAmountText('1000,50')).toEqual(rupiah(1000, true));
    expect(readAmountText('1000.50')).toEqual(rupiah(1000, true));
    expect(readAmountText('25000,0')).toEqual(rupiah(25_000));
  });

  it('reads the minus before or after "Rp"', () => {
    expect(readAmountText('-Rp 5.000')).toEqual({ kind: 'number', value: 5000, negative: true, fraction: false });
    expect(readAmountText('Rp −5.000')).toEqual({ kind: 'number', value: 5000, negative: true, fraction: false });
  });
});

describe('readsDotAsDecimal', () => {
  it('reads locale tags with a hyphen as with an underscore', () => {
    expect(readsDotAsDecimal('de-DE')).toBe(false);
    expect(readsDotAsDecimal('in-ID')).toBe(false);
    expect(readsDotAsDecimal('es-MX')).toBe(true);
    expect(readsDotAsDecimal('en-US')).toBe(true);
  });
});
