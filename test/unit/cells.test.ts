import { describe, expect, it } from 'vitest';
import { clip, plainText, planWrites, type RowUpdate } from '../../src/core/cells';
import type { Cell } from '../../src/core/types';

describe('plainText', () => {
  it.each([
    ['=SUM(A1:A3)', "'=SUM(A1:A3)"],
    ['+62 812 3456 7890', "'+62 812 3456 7890"],
    ['-5', "'-5"],
    ['-', "'-"],
    ['@mention', "'@mention"],
    ["'quoted", "''quoted"],
    [' =1', "' =1"],
    [' +5', "' +5"],
  ])('quotes %j, which starts like a formula', (text, expected) => {
    expect(plainText(text)).toBe(expected);
  });

  it.each([
    ['12345', "'12345"],
    ['081234567890', "'081234567890"],
    [' 42 ', "' 42 "],
    ['1,234.50', "'1,234.50"],
    ['1.234,5', "'1.234,5"],
    ['.5', "'.5"],
    ['1e5', "'1e5"],
    ['2.5E-3', "'2.5E-3"],
    ['50%', "'50%"],
    ['12.5 %', "'12.5 %"],
    ['TRUE', "'TRUE"],
    [' false ', "' false "],
  ])('quotes %j, which looks like a number or a boolean', (text, expected) => {
    expect(plainText(text)).toBe(expected);
  });

  it.each([
    ['2026-06-15', "'2026-06-15"],
    ['2026-06-15T10:00:00Z', "'2026-06-15T10:00:00Z"],
    ['15/06/2026', "'15/06/2026"],
    ['6/15/26', "'6/15/26"],
    ['15.06.2026', "'15.06.2026"],
    ['12:30', "'12:30"],
    ['9:05 PM', "'9:05 PM"],
  ])('quotes %j, which looks like a date or a time', (text, expected) => {
    expect(plainText(text)).toBe(expected);
  });

  it.each([
    '',
    'Budi Santoso',
    'Paid',
    'Belum dibayar',
    'https://shop.myr.id/pl/abc-123',
    'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    '12345678-1234-1234-1234-123456789012',
    'abc-123',
    '123 Main Street',
    'Amount: must be at least 1000',
    'a=b',
    'Rp 150.000',
    'Trueman',
    'e5',
  ])('leaves %j unchanged', (text) => {
    expect(plainText(text)).toBe(text);
  });
});

describe('clip', () => {
  it('keeps short text and cuts long text to max with an ellipsis', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('x'.repeat(1000))).toBe('x'.repeat(1000));
    expect(clip('x'.repeat(1001))).toBe(`${'x'.repeat(999)}…`);
    expect(clip('x'.repeat(1001))).toHaveLength(1000);
  });
});

function updates(entries: [index: number, cells: [column: number, value: Cell][]][]): Map<number, RowUpdate> {
  return new Map(entries.map(([index, cells]) => [index, new Map(cells)]));
}

describe('planWrites', () => {
  it('writes nothing without updates', () => {
    expect(planWrites(new Map())).toEqual([]);
    expect(
      planWrites(
        updates([
          [1, []],
          [3, []],
        ]),
      ),
    ).toEqual([]);
  });

  it('writes one cell at its 1-based sheet position (row 0 is the header)', () => {
    expect(planWrites(updates([[1, [[5, 'Unpaid']]]]))).toEqual([{ row: 2, column: 6, values: [['Unpaid']] }]);
  });

  it('joins consecutive rows that write the same columns into one block per column run', () => {
    const blocks = planWrites(
      updates([
        [
          1,
          [
            [2, 'https://x.test/a'],
            [3, 'pa'],
            [5, 'Unpaid'],
          ],
        ],
        [
          2,
          [
            [2, 'https://x.test/b'],
            [3, 'pb'],
            [5, 'Unpaid'],
          ],
        ],
      ]),
    );
    expect(blocks).toEqual([
      {
        row: 2,
        column: 3,
        values: [
          ['https://x.test/a', 'pa'],
          ['https://x.test/b', 'pb'],
        ],
      },
      { row: 2, column: 6, values: [['Unpaid'], ['Unpaid']] },
    ]);
  });

  it('never rewrites a cell that is not being written: rows and columns in between are left alone', () => {
    // Row 2 (index 2) and column 4 may hold a teammate's edit or a formula.
    const blocks = planWrites(
      updates([
        [
          1,
          [
            [2, 'https://x.test/a'],
            [3, 'pa'],
            [5, 'Unpaid'],
          ],
        ],
        [
          3,
          [
            [2, 'https://x.test/c'],
            [3, 'pc'],
            [6, ''],
          ],
        ],
      ]),
    );
    expect(blocks).toEqual([
      { row: 2, column: 3, values: [['https://x.test/a', 'pa']] },
      { row: 2, column: 6, values: [['Unpaid']] },
      { row: 4, column: 3, values: [['https://x.test/c', 'pc']] },
      { row: 4, column: 7, values: [['']] },
    ]);
    const written = blocks.flatMap((b) => b.values.flatMap((row, r) => row.map((_, c) => `${b.row + r}:${b.column + c}`)));
    expect(written).not.toContain('3:3');
    expect(written).not.toContain('2:5');
  });

  it('quotes written strings and leaves numbers, booleans and dates as they are', () => {
    const paid = new Date(Date.UTC(2026, 5, 15, 3));
    const blocks = planWrites(
      updates([
        [
          2,
          [
            [3, '0812'],
            [4, 5],
            [5, true],
            [6, paid],
          ],
        ],
      ]),
    );
    expect(blocks).toEqual([{ row: 3, column: 4, values: [["'0812", 5, true, paid]] }]);
    expect(blocks[0]?.values[0]?.[3]).toBe(paid);
    expect(planWrites(updates([[1, [[6, '=old']]]]))).toEqual([{ row: 2, column: 7, values: [["'=old"]] }]);
  });

  it('ignores an empty update', () => {
    expect(
      planWrites(
        updates([
          [1, []],
          [3, [[5, 'Paid']]],
          [4, []],
        ]),
      ),
    ).toEqual([{ row: 4, column: 6, values: [['Paid']] }]);
  });

  it('orders blocks by row, then column, whatever the order of the updates', () => {
    const blocks = planWrites(
      updates([
        [4, [[1, 'x']]],
        [
          2,
          [
            [6, 'e'],
            [2, 'l'],
          ],
        ],
      ]),
    );
    expect(blocks.map((b) => [b.row, b.column])).toEqual([
      [3, 3],
      [3, 7],
      [5, 2],
    ]);
  });
});
