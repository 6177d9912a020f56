/** Line items ("Rincian: <item>" columns), an itemised row as a Mayar invoice, and {rincian} in templates. */
import { describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/core/headers';
import { examineInvoiceRow } from '../../src/core/invoice-rows';
import { hasItemColumns, itemColumns, readItems } from '../../src/core/items';
import { renderTemplate } from '../../src/core/templates';
import { JAKARTA } from './zone';

const HEADERS = ['Nama', 'Email', 'No HP', 'Rincian: SPP', 'item:Buku ', 'Rincian:', 'Jumlah'];
const CTX = { zone: JAKARTA, now: new Date('2026-11-25T03:00:00Z'), defaultExpiryDays: 7, locale: 'en' as const };

describe('item columns', () => {
  it('are the "Rincian: <item>" and "Item: <item>" headers, any case; a bare "Rincian:" is not one', () => {
    expect(itemColumns(HEADERS)).toEqual([
      { column: 3, label: 'SPP', header: 'Rincian: SPP' },
      { column: 4, label: 'Buku', header: 'item:Buku' },
    ]);
    expect(hasItemColumns(['Name', 'Amount'])).toBe(false);
  });

  it('read empty and zero cells as no item, and refuse what is not whole rupiah', () => {
    const columns = itemColumns(HEADERS);
    expect(readItems(['', '', '', 'Rp 350.000', 0], columns)).toEqual({ ok: true, items: [{ description: 'SPP', rate: 350_000 }], total: 350_000 });
    expect(readItems(['', '', '', 'gratis', -5], columns)).toEqual({
      ok: false,
      errors: [
        { column: 3, header: 'Rincian: SPP', message: { key: 'amount.notRupiah', params: { value: 'gratis' } } },
        { column: 4, header: 'item:Buku', message: { key: 'amount.negative', params: { value: '-5' } } },
      ],
    });
  });
});

describe('an itemised row', () => {
  const layout = mapHeaders(HEADERS);
  const columns = itemColumns(HEADERS);

  it('becomes an invoice request with one item per filled cell and the due expiry', () => {
    const verdict = examineInvoiceRow(['Budi', 'budi@example.com', '0812-3456-7890', 350_000, 'Rp 75.000', '', ''], layout, columns, CTX);
    expect(verdict).toEqual({
      kind: 'valid',
      total: 425_000,
      request: {
        name: 'Budi',
        email: 'budi@example.com',
        mobile: '081234567890',
        items: [
          { description: 'SPP', quantity: 1, rate: 350_000 },
          { description: 'Buku', quantity: 1, rate: 75_000 },
        ],
        expiredAt: '2026-12-02T03:00:00.000Z',
      },
    });
  });

  it('errs on a missing email or mobile, and on an Amount that is not the total', () => {
    const verdict = examineInvoiceRow(['Budi', '', '', 350_000, '', '', 400_000], layout, columns, CTX);
    expect(verdict).toEqual({
      kind: 'invalid',
      errors: ['Jumlah Rp400.000 is not the total of the items, Rp350.000', 'Email is required', 'No HP is required'],
    });
  });
});

describe('{rincian} in a template', () => {
  it('writes one line per item with its amount', () => {
    const text = renderTemplate('id', 'Tagihan:\n{rincian}', {
      name: 'Budi',
      amount: 425_000,
      headers: HEADERS,
      cells: ['Budi', 'budi@example.com', '0812', 350_000, 75_000, '', ''],
    });
    expect(text).toBe('Tagihan:\nSPP: Rp350.000\nBuku: Rp75.000');
  });
});
