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
  // Columns: 0 Name, 1 Amount, 2 Payment Link, 3 Payment ID, 4 Notes, 5 Status, 6 Error
  const current: Cell[][] = [
    ['Name', 'Amount', 'Payment Link', 'Payment ID', 'Notes', 'Status', 'Error'],
    ['A', 1000, '', '', 'n1', '', ''],
    ['B', 2000, 'https://x.test/b', 'pb', 'n2', 'Paid', ''],
    ['C', 3000, '', '', 'n3', '', '=old'],
    ['D', 4000, '', '', 'n4', '12345', 'TRUE'],
  ];

  it('writes nothing without updates', () => {
    expect(planWrites(new Map(), current)).toEqual([]);
    expect(planWrites(updates([[1, []], [3, []]]), current)).toEqual([]);
  });

  it('writes one cell at its 1-based sheet position (row 0 is the header)', () => {
    expect(planWrites(updates([[1, [[5, 'Unpaid']]]]), current)).toEqual([{ row: 2, column: 6, values: [['Unpaid']] }]);
  });

  it('writes one block per run of adjacent columns, spanning the first to the last updated row', () => {
    const blocks = planWrites(
      updates([
        [1, [[2, 'https://x.test/a'], [3, 'pa'], [5, 'Unpaid']]],
        [3, [[2, 'https://x.test/c'], [3, 'pc'], [6, '']]],
      ]),
      current,
    );
    expect(blocks).toEqual([
      {
        row: 2,
        column: 3,
        values: [
          ['https://x.test/a', 'pa'],
          ['https://x.test/b', 'pb'],
          ['https://x.test/c', 'pc'],
        ],
      },
      {
        row: 2,
        column: 6,
        values: [
          ['Unpaid', ''],
          ['Paid', ''],
          ['', ''],
        ],
      },
    ]);
  });

  it('keeps untouched cells as read, quoted again', () => {
    const blocks = planWrites(updates([[1, [[5, 'Unpaid']]], [4, [[6, 'Amount is required']]]]), current);
    expect(blocks).toEqual([
      {
        row: 2,
        column: 6,
        values: [
          ['Unpaid', ''],
          ['Paid', ''],
          ['', "'=old"],
          ["'12345", 'Amount is required'],
        ],
      },
    ]);
  });

  it('quotes written strings and leaves numbers, booleans and dates as they are', () => {
    const paid = new Date(Date.UTC(2026, 5, 15, 3));
    const blocks = planWrites(updates([[2, [[3, '0812'], [4, 5], [5, true], [6, paid]]]]), current);
    expect(blocks).toEqual([{ row: 3, column: 4, values: [["'0812", 5, true, paid]] }]);
    expect(blocks[0]?.values[0]?.[3]).toBe(paid);
  });

  it('keeps non-string current values without quoting them', () => {
    const blocks = planWrites(updates([[1, [[1, 1500]]], [3, [[1, 3500]]]]), current);
    expect(blocks).toEqual([{ row: 2, column: 2, values: [[1500], [2000], [3500]] }]);
  });

  it('writes an empty string over a cleared cell, and "" where the sheet was shorter', () => {
    const short: Cell[][] = [['Name', 'Amount', 'Status'], ['A'], ['B', 2]];
    expect(planWrites(updates([[1, [[2, 'Paid']]], [3, [[2, '']]]]), short)).toEqual([
      { row: 2, column: 3, values: [['Paid'], [''], ['']] },
    ]);
  });

  it('ignores an empty update when finding the rows to span', () => {
    expect(planWrites(updates([[1, []], [3, [[5, 'Paid']]], [4, []]]), current)).toEqual([{ row: 4, column: 6, values: [['Paid']] }]);
  });

  it('orders blocks by column, whatever the order of the updates', () => {
    const blocks = planWrites(updates([[2, [[6, 'e'], [2, 'l']]]]), current);
    expect(blocks.map((b) => b.column)).toEqual([3, 7]);
  });
});
