/**
 * The Mayar Summary sheet and the Status colours, on the built bundle: figures from sheets of
 * known statuses, rebuilt after a run and after a paid webhook.
 */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

const SUMMARY = 'Mayar Summary';

/** The value next to a label in the summary's first two columns. */
function figure(world: World, label: string, sheet = SUMMARY): unknown {
  return world.values(sheet).find((row) => row[0] === label)?.[1];
}

function sheetRow(world: World, name: string): unknown[] | undefined {
  return world.values(SUMMARY).find((row) => row[0] === name);
}

// The world's clock starts at 2026-11-25 10:00 in Jakarta.
const KNOWN = [
  ['Name', 'Amount', 'Expires At', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error', 'Paid At'],
  ['Ani', '100000', '2026-11-30', 'https://x.myr.lat/pl/a', 'id-a', '', 'Paid', '', '2026-11-24 09:00'],
  ['Budi', '200000', '2026-11-30', 'https://x.myr.lat/pl/b', 'id-b', '', 'Paid', '', '2026-11-25 08:00'],
  ['Citra', '300000', '2026-12-31', 'https://x.myr.lat/pl/c', 'id-c', '', 'Unpaid', '', ''],
  ['Dedi', '400000', '2026-11-20', 'https://x.myr.lat/pl/d', 'id-d', '', 'Expired', '', ''],
  ['Eko', '500000', '2026-10-01', 'https://x.myr.lat/pl/e', 'id-e', '', 'Expired', '', ''],
  ['Fitri', '600000', '2026-12-31', 'https://x.myr.lat/pl/f', 'id-f', '', 'Closed', '', ''],
  ['Gita', '700000', '2026-12-31', 'https://x.myr.lat/pl/g', 'id-g', '', 'Needs review', '', ''],
  ['Hadi', '800000', '2026-12-31', '', '', '', '', '', ''],
];

describe('The Mayar Summary sheet', () => {
  it('adds up a sheet of known statuses, by sheet and in total, with overdue ages and money per day', () => {
    const world = new World({ rows: KNOWN });
    world.runtime.spreadsheet.typeRows('Februari', [
      KNOWN[0] as string[],
      ['Ika', '50000', '2026-12-31', 'https://x.myr.lat/pl/i', 'id-i', '', 'Lunas', '', '2026-11-25 09:00'],
    ]);
    world.run('updateSummary');

    expect(figure(world, 'Bills')).toBe(8);
    expect(figure(world, 'Billed (Rp)')).toBe(2_850_000);
    expect(figure(world, 'Paid bills')).toBe(3);
    expect(figure(world, 'Collected (Rp)')).toBe(350_000);
    expect(figure(world, 'Unpaid')).toBe(1);
    expect(figure(world, 'Expired')).toBe(2);
    expect(figure(world, 'Closed')).toBe(1);
    expect(figure(world, 'Needs review')).toBe(1);
    // Closed bills are left out: 350.000 of 2.250.000.
    expect(figure(world, 'Collection rate')).toBeCloseTo(350_000 / 2_250_000, 6);
    // Dedi 5 days past expiry, Eko 55.
    expect(
      world
        .values(SUMMARY)
        .find((row) => row[0] === '1–7')
        ?.slice(1, 3),
    ).toEqual([1, 400_000]);
    expect(
      world
        .values(SUMMARY)
        .find((row) => row[0] === '8–30')
        ?.slice(1, 3),
    ).toEqual([0, 0]);
    expect(
      world
        .values(SUMMARY)
        .find((row) => row[0] === '> 30')
        ?.slice(1, 3),
    ).toEqual([1, 500_000]);
    expect(sheetRow(world, SHEET)?.slice(1, 10)).toEqual([7, 2_800_000, 2, 300_000, 1, 2, 1, 1, 300_000 / 2_200_000]);
    expect(sheetRow(world, 'Februari')?.slice(1, 5)).toEqual([1, 50_000, 1, 50_000]);
    // Money per day: yesterday 100.000, today 250.000 (the day's rows are dates).
    const daily = world.values(SUMMARY).filter((row) => row[0] instanceof Date);
    expect(daily).toHaveLength(30);
    expect(daily.slice(-2).map((row) => row[1])).toEqual([100_000, 250_000]);
    expect(world.values(SUMMARY).find((row) => row[0] === 'Paid')?.[1]).toBe(3);

    // Two charts drawn by Sheets from those blocks: money per day and bills by status.
    const values = world.values(SUMMARY);
    const charts = world.runtime.spreadsheet.sheet(SUMMARY).charts;
    expect(charts.map((c) => [c.type, c.options.title])).toEqual([
      ['LINE', 'Collected per day, last 30 days'],
      ['PIE', 'Bills by status'],
    ]);
    const [line, pie] = charts.map((c) => c.ranges[0]);
    expect(values[(line?.row ?? 0) - 1]?.slice(0, 2)).toEqual(['Date', 'Collected (Rp)']);
    expect(line?.numRows).toBe(31);
    expect(values.slice(pie?.row ?? 0, (pie?.row ?? 0) + 5).map((row) => row.slice(0, 2))).toEqual([
      ['Unpaid', 1],
      ['Paid', 3],
      ['Expired', 2],
      ['Closed', 1],
      ['Needs review', 1],
    ]);
    // Rebuilt, not piled up.
    world.run('updateSummary');
    expect(world.runtime.spreadsheet.sheet(SUMMARY).charts).toHaveLength(2);
  });

  it('is a view: rebuilt over whatever was typed into it, after a run and after a paid webhook', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Email'],
        ['Ani', '150000', 'ani@example.com'],
        ['Budi', '250000', 'budi@example.com'],
      ],
    });
    world.run('createPaymentLinks');
    expect(figure(world, 'Bills')).toBe(2);
    expect(figure(world, 'Paid bills')).toBe(0);

    world.runtime.spreadsheet.typeRows(SUMMARY, [
      ['Bills', '99'],
      ['scribble', 'x'],
    ]);
    const token = new URL((world.run('getSettings').value as { webhookUrl: string }).webhookUrl).searchParams.get('token') ?? '';
    const id = String(world.column('Payment ID')[0]);
    world.sim.pay(id);
    const execution = world.runtime.post({ token }, world.sim.webhookBody(id));
    expect(execution.error).toBeUndefined();
    expect(world.column('Status')[0]).toBe('Paid');
    expect(figure(world, 'Paid bills')).toBe(1);
    expect(figure(world, 'Collected (Rp)')).toBe(150_000);
    expect(world.values(SUMMARY).some((row) => row[0] === 'scribble')).toBe(false);
  });

  it('is named and written in the interface language', () => {
    const world = new World({ rows: KNOWN });
    world.run('saveSettings', [{ language: 'id' }]);
    world.run('updateSummary');
    expect(figure(world, 'Tagihan lunas', 'Ringkasan Mayar')).toBe(2);
  });
});

describe('Status colours', () => {
  it('are set by Set up this sheet and on the first run, on the Status column, and kept after', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount'],
        ['Ani', '150000'],
      ],
    });
    world.run('createPaymentLinks');
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    const status = world.header().indexOf('Status') + 1;
    const rules = sheet.conditionalFormatRules;
    const colourOf = (text: string) => rules.find((r) => r.textEqualTo === text)?.background;
    expect(colourOf('Paid')).toBe('#d9ead3');
    expect(colourOf('Lunas')).toBe('#d9ead3');
    expect(colourOf('Expired')).toBe('#f4cccc');
    expect(colourOf('Closed')).toBe('#efefef');
    expect(colourOf('Needs review')).toBe('#ffe599');
    expect(rules.every((r) => r.ranges.every((range) => range.column === status && range.numColumns === 1 && range.row === 2))).toBe(true);

    // A person's own colour for Paid survives later runs, and Set up puts the add-on's back.
    const paid = rules.find((r) => r.textEqualTo === 'Paid');
    if (paid) paid.background = '#00ff00';
    world.runtime.spreadsheet.typeRows(SHEET, [
      ['Name', 'Amount'],
      ['Ani', '150000'],
      ['Budi', '99000'],
    ]);
    world.run('createPaymentLinks');
    expect(sheet.conditionalFormatRules.find((r) => r.textEqualTo === 'Paid')?.background).toBe('#00ff00');
    world.run('setUpSheet');
    expect(sheet.conditionalFormatRules.find((r) => r.textEqualTo === 'Paid')?.background).toBe('#d9ead3');
    expect(sheet.conditionalFormatRules).toHaveLength(rules.length);
  });
});

describe('Belum bayar: who to chase, by name', () => {
  it('lists each unpaid customer across the billed sheets, most overdue first, with amount, due date, days and link; names stay text', () => {
    const world = new World({ rows: KNOWN });
    world.runtime.spreadsheet.typeRows('Kos Melati', [
      ['Nama Penyewa', 'Biaya Sewa', 'Jatuh Tempo', 'Link Pembayaran', 'ID Pembayaran', 'Status'],
      ['\'=HYPERLINK("https://evil.example","Rina")', '1500000', '2026-11-01', 'https://x.myr.lat/pl/k1', 'id-k1', 'Belum Dibayar'],
      ['Sari', '1500000', '2026-11-01', 'https://x.myr.lat/pl/k2', 'id-k2', 'Lunas'],
    ]);
    world.run('saveSettings', [{ language: 'id' }]);
    world.run('updateSummary');

    const values = world.values('Ringkasan Mayar');
    const title = values.findIndex((row) => String(row[0]).startsWith('Belum bayar'));
    expect(title).toBeGreaterThan(0);
    expect(values[title + 1]?.slice(0, 7)).toEqual(['Nama', 'Nominal (Rp)', 'Jatuh tempo', 'Hari terlambat', 'Status', 'Link pembayaran', 'Sheet']);
    const listed = values.slice(title + 2, title + 6).map((row) => [row[0], row[1], row[3], row[4], row[5], row[6]]);
    // Eko 55 days, Rina 24, Dedi 5, Citra not yet due; paid, closed and to-check rows are not listed.
    expect(listed).toEqual([
      ['Eko', 500_000, 55, 'Kedaluwarsa', 'https://x.myr.lat/pl/e', 'Invoices'],
      ['=HYPERLINK("https://evil.example","Rina")', 1_500_000, 24, 'Belum dibayar', 'https://x.myr.lat/pl/k1', 'Kos Melati'],
      ['Dedi', 400_000, 5, 'Kedaluwarsa', 'https://x.myr.lat/pl/d', 'Invoices'],
      ['Citra', 300_000, 0, 'Belum dibayar', 'https://x.myr.lat/pl/c', 'Invoices'],
    ]);
    expect(values[title + 2]?.[2]).toBeInstanceOf(Date);
    expect(values[title + 6]?.[0]).toBe('');
    // The name is text in the cell, not a formula Sheets would run.
    const summary = world.runtime.spreadsheet.sheet('Ringkasan Mayar');
    expect(
      summary
        .formulas()
        .flat()
        .filter((f) => f !== ''),
    ).toEqual([]);
  });
});
