/**
 * Billing again on the built bundle: next period's sheet, and renewing expired links.
 */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

const OUTPUTS = ['Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];

describe('Bill again next period', () => {
  it('copies the rows marked to repeat into a sheet named after next month, expiries one month on, outputs empty', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Description', 'Expires At', 'Ulangi', ...OUTPUTS],
        ['Ani', '150000', 'SPP Desember 2026', '2026-12-31', 'ya', 'https://x.myr.lat/pl/a', 'id-a', 'tx-a', 'Paid', ''],
        ['Budi', '200000', 'SPP Desember 2026', '2026-12-31', '', 'https://x.myr.lat/pl/b', 'id-b', 'tx-b', 'Unpaid', ''],
        ['Citra', '250000', 'Les privat', '2026-12-30', 'yes', 'https://x.myr.lat/pl/c', 'id-c', '', 'Expired', 'old error'],
      ],
    });
    world.run('saveSettings', [{ language: 'id' }]);
    world.run('billNextPeriod');
    const next = world.rows('Januari 2027');
    expect(world.header('Januari 2027')).toEqual(world.header());
    expect(next.map((r) => [r.Name, r.Amount, r.Description, r.Ulangi])).toEqual([
      ['Ani', 150000, 'SPP Januari 2027', 'ya'],
      ['Citra', 250000, 'Les privat', 'yes'],
    ]);
    // 31 December → 31 January; 30 December → 30 January; as date cells.
    expect(next.map((r) => (r['Expires At'] as Date).toISOString())).toEqual(['2027-01-30T17:00:00.000Z', '2027-01-29T17:00:00.000Z']);
    for (const row of next) for (const column of OUTPUTS) expect(row[column]).toBe('');
    // The original is untouched.
    expect(world.column('Payment ID')).toEqual(['id-a', 'id-b', 'id-c']);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('Sheet "Januari 2027" dibuat dengan 2 tagihan');

    // Again from the new sheet: 31 January → 28 February (the month has no 30th or 31st).
    world.runtime.spreadsheet.setActiveSheet('Januari 2027');
    world.run('billNextPeriod');
    expect(world.rows('Februari 2027').map((r) => (r['Expires At'] as Date).toISOString())).toEqual(['2027-02-27T17:00:00.000Z', '2027-02-27T17:00:00.000Z']);
  });

  it('without a Repeat column bills every row, and refuses to overwrite an existing sheet', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Expires At'],
        ['Ani', '150000', '2027-01-31'],
        ['Budi', '200000', '2027-01-31'],
      ],
    });
    world.run('billNextPeriod');
    expect(world.rows('February 2027')).toHaveLength(2);
    world.run('billNextPeriod');
    expect(world.runtime.ui.alerts.at(-1)?.message).toBe('A sheet named "February 2027" already exists. Rename or delete it first. Nothing was changed.');
  });
});

describe('Renew expired links', () => {
  it('gives each Expired row one new link, logs the old one, never touches Paid rows, and a second click renews nothing', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Email', 'Expires At', ...OUTPUTS],
        ['Ani', '150000', 'ani@example.com', '2026-11-01', 'https://x.myr.lat/pl/old-a', 'old-a', 'tx-a', 'Expired', ''],
        ['Budi', '200000', 'budi@example.com', '2026-11-01', 'https://x.myr.lat/pl/old-b', 'old-b', 'tx-b', 'Paid', ''],
        ['Citra', '250000', 'citra@example.com', '2026-11-01', 'https://x.myr.lat/pl/old-c', 'old-c', '', 'Kedaluwarsa', ''],
      ],
      // Renewed at the very start (the sandbox host is found on the first call).
      setUp: false,
    });
    world.run('renewExpiredLinks');
    world.runtime.advance(120_000);
    world.run('renewExpiredLinks');
    expect(world.createRequests()).toBe(2);
    const ids = world.column('Payment ID');
    expect(ids[1]).toBe('old-b');
    expect(ids[0]).not.toBe('old-a');
    expect(ids[2]).not.toBe('old-c');
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    // The new expiry: now (25 November, 10:00 in Jakarta) plus the default 7 days.
    expect((world.column('Expires At')[0] as Date).toISOString()).toBe('2026-12-02T03:00:00.000Z');
    const log = world.rows('Mayar Log').filter((r) => r.Action === 'renew expired link');
    expect(log.map((r) => [r['Payment ID'], r['Payment Link']])).toEqual([
      ['old-a', 'https://x.myr.lat/pl/old-a'],
      ['old-c', 'https://x.myr.lat/pl/old-c'],
    ]);
    expect(world.runtime.ui.alerts.at(-1)?.message).toBe('No expired unpaid links to renew on this sheet.');
  });

  it('asks first like any create, and a No leaves the rows ready to send', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', ...OUTPUTS],
        ['Ani', '150000', 'https://x.myr.lat/pl/old-a', 'old-a', '', 'Expired', ''],
      ],
    });
    world.runtime.ui.answers.push('NO');
    world.run('renewExpiredLinks');
    expect(world.createRequests()).toBe(0);
    expect(world.column('Payment ID')).toEqual(['']);
    expect(world.rows('Mayar Log').some((r) => r['Payment ID'] === 'old-a')).toBe(true);
    expect(world.rows(SHEET)).toHaveLength(1);
  });
});
