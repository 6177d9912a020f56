import { describe, expect, it } from 'vitest';
import { computeDashboard, computeFigures, type DashboardRow, summarySheetName, summaryTable } from '../../src/core/dashboard';
import type { PaymentStatus } from '../../src/core/status';
import { JAKARTA } from './zone';

const wib = (text: string): Date => new Date(`${text}:00+07:00`);
const NOW = wib('2027-01-31T10:00');

function row(status: PaymentStatus | null, amount: number | null, expiry?: string, paidAt?: string): DashboardRow {
  return { status, amount, expiry: expiry ? wib(expiry) : null, paidAt: paidAt ? wib(paidAt) : null };
}

const SCHOOL: DashboardRow[] = [
  row('paid', 100_000, '2027-01-10T23:59', '2027-01-31T08:00'),
  row('paid', 200_000, '2027-01-10T23:59', '2027-01-30T23:30'),
  row('paid', 50_000, '2026-12-01T23:59', '2026-12-20T10:00'), // paid before the 30-day window
  row('unpaid', 300_000, '2027-01-29T23:59'), // 2 days past
  row('expired', 400_000, '2027-01-10T23:59'), // 21 days past
  row('unpaid', 500_000, '2026-12-01T23:59'), // 61 days past
  row('unpaid', 600_000, '2027-02-10T23:59'), // not due yet
  row('closed', 700_000, '2027-01-10T23:59'),
  row('review', 800_000),
  row(null, 900_000), // never sent: not a bill
];

describe('computeFigures', () => {
  const f = computeFigures(SCHOOL, NOW, JAKARTA);

  it('counts bills and rupiah by status', () => {
    expect(f.bills).toBe(9);
    expect(f.billed).toBe(3_650_000);
    expect([f.paid, f.collected]).toEqual([3, 350_000]);
    expect([f.unpaid, f.expired, f.closed, f.review]).toEqual([3, 1, 1, 1]);
    expect(f.byStatus).toEqual({ unpaid: 3, paid: 3, expired: 1, closed: 1, review: 1 });
  });

  it('rates collection against what was billed and not closed', () => {
    expect(f.collectionRate).toBeCloseTo(350_000 / (3_650_000 - 700_000), 10);
    expect(computeFigures([], NOW, JAKARTA).collectionRate).toBe(0);
    expect(computeFigures([row('closed', 1000)], NOW, JAKARTA).collectionRate).toBe(0);
  });

  it('ages unpaid and expired bills past their expiry', () => {
    expect(f.overdue).toEqual({
      '1-7': { count: 1, amount: 300_000 },
      '8-30': { count: 1, amount: 400_000 },
      '>30': { count: 1, amount: 500_000 },
    });
  });

  it('puts the bucket edges on whole days past expiry', () => {
    const at = (days: number, extraMs = 0): DashboardRow => ({
      status: 'unpaid',
      amount: 1,
      expiry: new Date(NOW.getTime() - days * 86_400_000 - extraMs),
      paidAt: null,
    });
    const o = computeFigures([at(0, 1), at(7), at(7, 1), at(30), at(30, 1)], NOW, JAKARTA).overdue;
    expect([o['1-7'].count, o['8-30'].count, o['>30'].count]).toEqual([2, 2, 1]);
  });

  it('sums collections per day over the last 30 days in the sheet zone', () => {
    expect(f.daily).toHaveLength(30);
    expect(f.daily[0]?.date).toBe('2027-01-02');
    expect(f.daily[29]).toEqual({ date: '2027-01-31', amount: 100_000 });
    // 23:30 Jakarta time on 30 Jan is 16:30 UTC: still 30 Jan in the sheet.
    expect(f.daily[28]).toEqual({ date: '2027-01-30', amount: 200_000 });
    expect(f.daily.reduce((sum, d) => sum + d.amount, 0)).toBe(300_000);
  });

  it('treats a missing amount as zero', () => {
    expect(computeFigures([row('paid', null, undefined, '2027-01-31T09:00')], NOW, JAKARTA)).toMatchObject({ bills: 1, paid: 1, collected: 0 });
  });
});

describe('computeDashboard', () => {
  it('adds the sheets up into a total', () => {
    const shop = [row('paid', 1_000_000, '2027-01-20T23:59', '2027-01-31T09:00'), row('unpaid', 250_000, '2027-01-25T23:59')];
    const d = computeDashboard(
      [
        { name: 'Kelas 7', rows: SCHOOL },
        { name: 'Toko', rows: shop },
      ],
      NOW,
      JAKARTA,
    );
    expect(d.sheets.map((s) => s.name)).toEqual(['Kelas 7', 'Toko']);
    expect(d.total.bills).toBe(11);
    expect(d.total.collected).toBe(1_350_000);
    expect(d.total.overdue['1-7']).toEqual({ count: 2, amount: 550_000 });
    expect(d.total.daily[29]).toEqual({ date: '2027-01-31', amount: 1_100_000 });
    expect(d.total.collectionRate).toBeCloseTo(1_350_000 / (4_900_000 - 700_000), 10);
    expect(d.total.byStatus.paid).toBe(4);
  });
});

describe('summaryTable', () => {
  const dashboard = computeDashboard([{ name: 'Kelas 7', rows: SCHOOL }], NOW, JAKARTA);

  it('is one rectangle of plain values with numbers as numbers', () => {
    const { values } = summaryTable('en', dashboard, JAKARTA);
    const width = values[0]?.length ?? 0;
    expect(width).toBe(10);
    expect(values.every((r) => r.length === width)).toBe(true);
    expect(values.flat().every((v) => typeof v === 'string' || typeof v === 'number' || v instanceof Date)).toBe(true);
    const find = (label: string) => values.find((r) => r[0] === label);
    expect(find('Billed (Rp)')?.[1]).toBe(3_650_000);
    expect(find('Collected (Rp)')?.[1]).toBe(350_000);
    expect(find('Needs review')?.[1]).toBe(1);
    expect(find('> 30')?.slice(0, 3)).toEqual(['> 30', 1, 500_000]);
    expect(find('Total')?.slice(0, 5)).toEqual(['Total', 9, 3_650_000, 3, 350_000]);
    expect(values[1]?.[1]).toEqual(NOW);
  });

  it('writes the days as Dates at local midnight', () => {
    const { values } = summaryTable('en', dashboard, JAKARTA);
    const last = values[values.length - 1];
    expect(last?.[0]).toEqual(new Date('2027-01-30T17:00:00Z'));
    expect(last?.[1]).toBe(100_000);
  });

  it('speaks the interface language', () => {
    const id = summaryTable('id', dashboard, JAKARTA);
    expect(id.sheetName).toBe('Ringkasan Mayar');
    expect(summarySheetName('en')).toBe('Mayar Summary');
    const labels = id.values.map((r) => r[0]);
    expect(labels).toContain('Terkumpul (Rp)');
    expect(labels).toContain('Belum dibayar');
    expect(labels).toContain('Perlu dicek');
    expect(labels).not.toContain('Collected (Rp)');
  });

  it('formats rupiah, rates and dates where they are', () => {
    const { values, formats } = summaryTable('en', dashboard, JAKARTA);
    const at = (pattern: string) =>
      formats.filter((f) => f.pattern === pattern).flatMap((f) => values.slice(f.row - 1, f.row - 1 + f.numRows).map((r) => r[f.column - 1]));
    expect(at('0.0%').every((v) => typeof v === 'number' && v <= 1)).toBe(true);
    expect(at('0.0%')).toHaveLength(3);
    expect(at('yyyy-mm-dd')).toHaveLength(30);
    expect(at('#,##0')).toContain(3_650_000);
    expect(at('#,##0').every((v) => typeof v === 'number')).toBe(true);
    for (const f of formats) {
      expect(f.row + f.numRows - 1).toBeLessThanOrEqual(values.length);
      expect(f.column + f.numColumns - 1).toBeLessThanOrEqual(values[0]?.length ?? 0);
    }
  });
});

describe('unpaidBills', () => {
  it('lists Unpaid and Expired bills across sheets, most overdue first, undated last, days in the sheet zone', () => {
    const named = (name: string, r: DashboardRow): DashboardRow => ({ ...r, name, link: `https://x/pl/${name}` });
    const dashboard = computeDashboard(
      [
        {
          name: 'SPP',
          rows: [named('Ani', row('unpaid', 300_000, '2027-01-29T23:59')), named('Budi', row('paid', 1, '2026-01-01T00:00', '2027-01-01T00:00'))],
        },
        {
          name: 'Kos',
          rows: [
            named('Citra', row('expired', 400_000, '2027-01-10T23:59')),
            named('Dedi', row('unpaid', 5, undefined)),
            named('Eko', row('unpaid', 6, '2027-02-10T23:59')),
          ],
        },
      ],
      NOW,
      JAKARTA,
    );
    expect(dashboard.unpaid.map((b) => [b.name, b.sheet, b.daysOverdue, b.status])).toEqual([
      ['Citra', 'Kos', 21, 'expired'],
      ['Ani', 'SPP', 2, 'unpaid'],
      ['Eko', 'Kos', 0, 'unpaid'],
      ['Dedi', 'Kos', 0, 'unpaid'],
    ]);
  });
});
