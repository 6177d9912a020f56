/** Progress → Next failed row: steps through the rows a run left with an error, on the built bundle. */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

interface Step {
  row: number | null;
  index: number;
  count: number;
}

const ROWS = [
  ['Name', 'Amount', 'Email'],
  ['Budi', '250000', 'budi@example.com'],
  ['Agus', 'abc', ''],
  ['Siti', '150000', ''],
  ['Maya', '1000.5', ''],
];

describe('stepping through failed rows', () => {
  it('selects each row with an Error cell in turn, back to the first after the last, and reads the sheet again each time', () => {
    const world = new World({ rows: ROWS });
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.column('Error').map((e) => e !== '')).toEqual([false, true, false, true]);

    const step = (after: number) => world.run('goToErrorRow', [SHEET, after], { context: 'sidebar' }).value as Step;
    const selected = () => world.runtime.spreadsheet.sheet(SHEET).selection[0];

    expect(step(0)).toEqual({ row: 3, index: 1, count: 2 });
    expect(selected()).toMatchObject({ row: 3, column: 1, numRows: 1 });
    expect(step(3)).toEqual({ row: 5, index: 2, count: 2 });
    expect(selected()).toMatchObject({ row: 5 });
    expect(step(5)).toEqual({ row: 3, index: 1, count: 2 });

    // Fixed and run again: no row has an error any more.
    world.runtime.spreadsheet.typeRows(SHEET, [['Agus', '75000']], 3);
    world.runtime.spreadsheet.typeRows(SHEET, [['Maya', '1000']], 5);
    world.runtime.advance(120_000);
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(step(0)).toEqual({ row: null, index: 0, count: 0 });
    expect(world.run('goToErrorRow', ['No such sheet', 0], { context: 'sidebar' }).value).toEqual({ row: null, index: 0, count: 0 });
  });
});
