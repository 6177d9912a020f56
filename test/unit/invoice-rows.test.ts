/** An itemised row as a Mayar invoice: when it is done or blank, its items and total, and every error a user must fix first. */
import { describe, expect, it } from 'vitest';
import { mapHeaders, planOutputColumns } from '../../src/core/headers';
import { examineInvoiceRow } from '../../src/core/invoice-rows';
import { itemColumns } from '../../src/core/items';
import type { Cell } from '../../src/core/types';
import { JAKARTA } from './zone';

const HEADERS = ['Nama', 'Email', 'No HP', 'Rincian: SPP', 'Rincian: Buku', 'Jumlah', 'Keterangan', 'Metode Bayar'];
const layout = planOutputColumns(mapHeaders(HEADERS)).layout;
const columns = itemColumns(HEADERS);
const ctx = () => ({ zone: JAKARTA, now: new Date('2026-11-25T03:00:00Z'), defaultExpiryDays: 7, locale: 'en' as const });
const EXPIRES = '2026-12-02T03:00:00.000Z';

function row(...cells: Cell[]): Cell[] {
  return [...cells, ...Array<Cell>(Math.max(0, layout.width - cells.length)).fill('')];
}

describe('examineInvoiceRow', () => {
  it('is done with a Payment Link or Payment ID, blank with nothing typed, not blank with only an item', () => {
    const { link = -1, paymentId = -1 } = layout.output;
    const withLink = row('Budi', 'b@example.com', '0812', 1000);
    withLink[link] = 'https://x.myr.id/invoices/a';
    expect(examineInvoiceRow(withLink, layout, columns, ctx())).toEqual({ kind: 'done' });
    const withId = row('Budi', 'b@example.com', '0812', 1000);
    withId[paymentId] = 'inv-1';
    expect(examineInvoiceRow(withId, layout, columns, ctx())).toEqual({ kind: 'done' });
    expect(examineInvoiceRow(row(), layout, columns, ctx())).toEqual({ kind: 'blank' });
    expect(examineInvoiceRow(row('', '', '', '', 75_000), layout, columns, ctx()).kind).toBe('invalid');
  });

  it('sends the items, the customer’s name (not the title), description and payment method, with the total as the amount', () => {
    const verdict = examineInvoiceRow(row('Budi', 'budi@example.com', '0812-3456-7890', 350_000, 75_000, '', 'Semester 1', 'qris'), layout, columns, {
      ...ctx(),
      titleTemplate: 'Tagihan {name}',
    });
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
        description: 'Semester 1',
        expiredAt: EXPIRES,
        paymentMethod: 'QRIS',
      },
    });
  });

  it('takes an Amount equal to the total, and an invoice sheet without an Amount column', () => {
    expect(examineInvoiceRow(row('Budi', 'b@example.com', '0812 3456 7890', 350_000, '', 'Rp 350.000'), layout, columns, ctx())).toMatchObject({
      kind: 'valid',
      total: 350_000,
    });
    const headers = ['Nama', 'Email', 'No HP', 'Rincian: SPP'];
    const noAmount = planOutputColumns(mapHeaders(headers)).layout;
    expect(examineInvoiceRow(['Budi', 'b@example.com', '081234567890', 350_000], noAmount, itemColumns(headers), ctx())).toMatchObject({
      kind: 'valid',
      total: 350_000,
      request: { items: [{ description: 'SPP', quantity: 1, rate: 350_000 }] },
    });
  });

  it('needs at least one item, naming the item columns', () => {
    const verdict = examineInvoiceRow(row('Budi', 'b@example.com', '081234567890', '', 0), layout, columns, ctx());
    expect(verdict.kind).toBe('invalid');
    if (verdict.kind === 'invalid') {
      expect(verdict.errors).toHaveLength(1);
      expect(verdict.errors[0]).toContain('Rincian: SPP, Rincian: Buku');
    }
  });

  it('names each item it cannot read, and does not also call the Amount wrong', () => {
    const verdict = examineInvoiceRow(row('Budi', 'b@example.com', '081234567890', 'gratis', 1.5, 'Rp 1.000'), layout, columns, ctx());
    expect(verdict.kind === 'invalid' && verdict.errors.map((e) => e.split(':')[0])).toEqual(['Rincian', 'Rincian']);
  });

  it('refuses an item shown as another amount than the one it would send', () => {
    const cells = row('Budi', 'b@example.com', '081234567890', 500, '');
    const shown = cells.map((c) => (c === 500 ? '500.000' : String(c)));
    const verdict = examineInvoiceRow(cells, layout, columns, ctx(), shown);
    expect(verdict.kind).toBe('invalid');
    if (verdict.kind === 'invalid') {
      expect(verdict.errors).toHaveLength(1);
      expect(verdict.errors[0]).toMatch(/^Rincian: SPP: /);
    }
    const fine = cells.map((c) => (c === 500 ? '500' : String(c)));
    expect(examineInvoiceRow(cells, layout, columns, ctx(), fine)).toMatchObject({ kind: 'valid', total: 500 });
  });

  it('lists the row’s own errors first, then the email and mobile Mayar requires', () => {
    const verdict = examineInvoiceRow(row('', '', '', 350_000), layout, columns, ctx());
    expect(verdict).toEqual({ kind: 'invalid', errors: ['Nama is required', 'Email is required', 'No HP is required'] });
  });
});
