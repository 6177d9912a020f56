/** The summary's figures at their edges: amounts that are not numbers, payments without a time, a bill due this instant. */
import { describe, expect, it } from 'vitest';
import { computeFigures, type DashboardRow, sumFigures, unpaidBills } from '../../src/core/dashboard';
import { JAKARTA } from './zone';

const NOW = new Date('2027-01-31T03:00:00Z');
const DAY = 86_400_000;

const bill = (fields: Partial<DashboardRow>): DashboardRow => ({ status: 'unpaid', amount: 1000, expiry: null, paidAt: null, ...fields });

describe('computeFigures at the edges', () => {
  it('counts an amount that is not a finite number as zero rupiah, never NaN', () => {
    const f = computeFigures([bill({ status: 'paid', amount: Number.NaN, paidAt: NOW }), bill({ amount: Number.POSITIVE_INFINITY })], NOW, JAKARTA);
    expect([f.bills, f.billed, f.collected]).toEqual([2, 0, 0]);
    expect(f.daily[29]?.amount).toBe(0);
  });

  it('counts a payment without a time (or with an unreadable one) as collected, on no day', () => {
    const f = computeFigures([bill({ status: 'paid', paidAt: null }), bill({ status: 'paid', paidAt: new Date(Number.NaN) })], NOW, JAKARTA);
    expect([f.paid, f.collected]).toEqual([2, 2000]);
    expect(f.daily.every((d) => d.amount === 0)).toBe(true);
  });

  it('lists the 30 days ending today in the sheet zone, one a day', () => {
    const f = computeFigures([], NOW, JAKARTA);
    expect(f.daily.map((d) => d.date).slice(0, 2)).toEqual(['2027-01-02', '2027-01-03']);
    expect(f.daily[29]?.date).toBe('2027-01-31');
    expect(f.daily[0]?.amount).toBe(0);
  });

  it('puts a payment 29 days ago on the first day and one 30 days ago on none', () => {
    const f = computeFigures(
      [bill({ status: 'paid', paidAt: new Date(NOW.getTime() - 29 * DAY) }), bill({ status: 'paid', amount: 7, paidAt: new Date(NOW.getTime() - 30 * DAY) })],
      NOW,
      JAKARTA,
    );
    expect(f.daily[0]).toEqual({ date: '2027-01-02', amount: 1000 });
    expect(f.daily.reduce((sum, d) => sum + d.amount, 0)).toBe(1000);
    expect(f.collected).toBe(1007);
  });

  it('a bill due this very instant is not overdue yet; paid, closed and review bills never are', () => {
    const past = new Date(NOW.getTime() - 3 * DAY);
    const f = computeFigures(
      [
        bill({ expiry: NOW }),
        bill({ status: 'paid', expiry: past, paidAt: NOW }),
        bill({ status: 'closed', expiry: past }),
        bill({ status: 'review', expiry: past }),
        bill({ status: 'expired', expiry: past }),
      ],
      NOW,
      JAKARTA,
    );
    expect(f.overdue).toEqual({ '1-7': { count: 1, amount: 1000 }, '8-30': { count: 0, amount: 0 }, '>30': { count: 0, amount: 0 } });
  });
});

describe('sumFigures', () => {
  it('adds the days of figures computed the same day, and no day of figures from another day', () => {
    const today = computeFigures([bill({ status: 'paid', paidAt: NOW })], NOW, JAKARTA);
    const yesterday = computeFigures([bill({ status: 'paid', amount: 5, paidAt: new Date(NOW.getTime() - DAY) })], new Date(NOW.getTime() - DAY), JAKARTA);
    const total = sumFigures([today, today, yesterday], NOW, JAKARTA);
    expect(total.daily[29]).toEqual({ date: '2027-01-31', amount: 2000 });
    expect(total.daily[28]?.amount).toBe(0);
    expect(total.collected).toBe(2005);
  });
});

describe('unpaidBills', () => {
  it('owes zero for an amount that is not a number, and counts days overdue in the sheet zone', () => {
    const bills = unpaidBills(
      [
        {
          name: 'Toko',
          rows: [
            bill({ amount: Number.NaN, expiry: new Date(NOW.getTime() - 2 * DAY), name: 'Sari', link: 'https://mayar.id/pl/x' }),
            bill({ status: 'paid' }),
          ],
        },
      ],
      NOW,
      JAKARTA,
    );
    expect(bills).toEqual([
      { sheet: 'Toko', name: 'Sari', amount: 0, status: 'unpaid', expiry: new Date(NOW.getTime() - 2 * DAY), daysOverdue: 2, link: 'https://mayar.id/pl/x' },
    ]);
    expect(unpaidBills([{ name: 'Toko', rows: [bill({ expiry: NOW })] }], NOW, JAKARTA)[0]).toMatchObject({ name: '', link: '', daysOverdue: 0 });
  });
});
