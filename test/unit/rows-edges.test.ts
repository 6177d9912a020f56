/**
 * A row's request beyond name and amount: the title (cell or template), payment method and
 * cashtag columns; the amount as the user saw it; errors in the sheet's column order. Each call
 * passes a context of its own, so the row schema (built once per context) is built for it.
 */
import { describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/core/headers';
import { examineRow } from '../../src/core/rows';
import type { RowContext } from '../../src/core/rows';
import { JAKARTA } from './zone';

const now = new Date('2026-06-15T03:00:00Z');
const en: RowContext = { zone: JAKARTA, now, defaultExpiryDays: 7, locale: 'en' };
const EXPIRES = '2026-06-22T03:00:00.000Z';

describe('examineRow: title, payment method and cashtag', () => {
  const layout = mapHeaders(['Name', 'Amount', 'Title', 'Payment Method', 'Cashtag', 'Description', 'Kelas']);

  it('sends the Title cell, an upper-case channel code and the cashtag without its $', () => {
    expect(examineRow(['Budi', 250_000, ' SPP Juni ', 'qris', '$toko.budi', '', ''], layout, { ...en })).toEqual({
      kind: 'valid',
      request: { name: 'SPP Juni', amount: 250_000, paymentMethod: 'QRIS', cashtag: 'toko.budi', expiredAt: EXPIRES },
    });
    expect(examineRow(['Budi', 250_000, '', '', 'toko_budi-2', '', ''], layout, { ...en })).toEqual({
      kind: 'valid',
      request: { name: 'Budi', amount: 250_000, cashtag: 'toko_budi-2', expiredAt: EXPIRES },
    });
  });

  it('refuses a cashtag or channel that could not be one, naming the column', () => {
    const verdict = examineRow(['Budi', 250_000, '', 'bank transfer', '$toko budi', '', ''], layout, { ...en });
    expect(verdict.kind).toBe('invalid');
    if (verdict.kind === 'invalid') {
      expect(verdict.errors).toHaveLength(2);
      expect(verdict.errors[0]).toMatch(/^Payment Method/);
      expect(verdict.errors[0]).toContain('bank transfer');
      expect(verdict.errors[1]).toMatch(/^Cashtag/);
      expect(verdict.errors[1]).toContain('$toko budi');
    }
  });

  it('titles the payment from the template, with the description and other columns, when there is no Title cell', () => {
    const ctx = {
      ...en,
      titleTemplate: '{name} - {description} ({Kelas})',
      headers: ['Name', 'Amount', 'Title', 'Payment Method', 'Cashtag', 'Description', 'Kelas'],
    };
    expect(examineRow(['Budi', 250_000, '', '', '', 'SPP Juni', '7A'], layout, ctx)).toEqual({
      kind: 'valid',
      request: { name: 'Budi - SPP Juni (7A)', amount: 250_000, description: 'SPP Juni', expiredAt: EXPIRES },
    });
    // The Title cell wins over the template.
    expect(examineRow(['Budi', 250_000, 'Uang buku', '', '', 'SPP Juni', '7A'], layout, ctx)).toMatchObject({ request: { name: 'Uang buku' } });
  });

  it('falls back to the name when the template renders empty, and keeps a long title within 255 characters', () => {
    const headers = ['Name', 'Amount', 'Title', 'Payment Method', 'Cashtag', 'Description', 'Kelas'];
    expect(examineRow(['Budi', 250_000, '', '', '', '', ''], layout, { ...en, titleTemplate: '  {Kelas}  ', headers })).toMatchObject({
      request: { name: 'Budi' },
    });
    const long = examineRow(['Budi', 250_000, '', '', '', 'x'.repeat(300), ''], layout, { ...en, titleTemplate: '{description}', headers });
    expect(long.kind === 'valid' && long.request.name).toBe('x'.repeat(255));
  });
});

describe('examineRow: errors in the sheet’s order', () => {
  it('lists errors left to right however the columns are ordered', () => {
    const layout = mapHeaders(['Email', 'Amount', 'Name']);
    expect(examineRow(['budi@', 'abc', 'x'.repeat(300)], layout, { ...en })).toMatchObject({ kind: 'invalid' });
    const verdict = examineRow(['budi@', 'abc', 'x'.repeat(300)], layout, { ...en });
    if (verdict.kind === 'invalid') expect(verdict.errors.map((e) => e.split(':')[0])).toEqual(['Email', 'Amount', 'Name']);
  });

  it('puts a required column the sheet lacks first', () => {
    const layout = mapHeaders(['Amount', 'Email']);
    const verdict = examineRow(['abc', 'budi@'], layout, { ...en });
    expect(verdict.kind === 'invalid' && verdict.errors.map((e) => e.split(/[: ]/)[0])).toEqual(['Name', 'Amount', 'Email']);
  });
});

describe('examineRow: the amount as the user saw it', () => {
  const layout = mapHeaders(['Name', 'Amount']);

  it('refuses an amount shown as another (a number format), with that one error for the Amount', () => {
    const verdict = examineRow(['Budi', 500], layout, { ...en }, ['Budi', '500.000']);
    expect(verdict.kind).toBe('invalid');
    if (verdict.kind === 'invalid') {
      expect(verdict.errors).toHaveLength(1);
      expect(verdict.errors[0]).toMatch(/^Amount: /);
      expect(verdict.errors[0]).toContain('500.000');
    }
  });

  it('takes an amount shown as it is sent; one its format hides (shown blank, or no shown text for the column) is refused', () => {
    expect(examineRow(['Budi', 250_000], layout, { ...en }, ['Budi', 'Rp250.000'])).toMatchObject({ kind: 'valid', request: { amount: 250_000 } });
    expect(examineRow(['Budi', 250_000], layout, { ...en })).toMatchObject({ kind: 'valid', request: { amount: 250_000 } });
    for (const shown of [['Budi', ''], ['Budi']]) {
      const verdict = examineRow(['Budi', 250_000], layout, { ...en }, shown);
      expect(verdict.kind === 'invalid' && verdict.errors.length === 1 && verdict.errors[0]?.startsWith('Amount: ')).toBe(true);
    }
  });

  it('in a sheet reading "." as a decimal point, 500 is refused as a likely 500.000, and a name error still shows', () => {
    const verdict = examineRow(['', 500], layout, { ...en, sheetLocale: 'en_US' }, ['', '500']);
    expect(verdict.kind).toBe('invalid');
    if (verdict.kind === 'invalid') {
      expect(verdict.errors).toHaveLength(2);
      expect(verdict.errors[0]).toBe('Name is required');
      expect(verdict.errors[1]).toMatch(/^Amount: /);
    }
  });
});
