import { describe, expect, it } from 'vitest';
import {
  addMonths,
  advanceDateCell,
  advancePeriodInText,
  calendarDateFromCell,
  dateCellValue,
  isRepeatYes,
  nextPeriodName,
  periodName,
} from '../../src/core/periods';
import { JAKARTA, NEW_YORK } from './zone';

describe('period names', () => {
  it('names the next month in the interface language', () => {
    expect(nextPeriodName('id', { year: 2026, month: 12, day: 15 })).toBe('Januari 2027');
    expect(nextPeriodName('en', { year: 2026, month: 12, day: 15 })).toBe('January 2027');
    expect(periodName('id', { year: 2027, month: 8, day: 1 })).toBe('Agustus 2027');
  });
});

describe('addMonths', () => {
  it.each([
    [[2027, 1, 31], 1, [2027, 2, 28]],
    [[2028, 1, 31], 1, [2028, 2, 29]],
    [[2028, 2, 29], 1, [2028, 3, 29]],
    [[2026, 3, 31], 1, [2026, 4, 30]],
    [[2026, 12, 31], 1, [2027, 1, 31]],
    [[2026, 11, 30], 3, [2027, 2, 28]],
    [[2027, 1, 15], -2, [2026, 11, 15]],
    [[2026, 5, 31], 12, [2027, 5, 31]],
  ] as const)('%j + %i months → %j', ([year, month, day], months, [y, m, d]) => {
    expect(addMonths({ year, month, day }, months)).toEqual({ year: y, month: m, day: d });
  });
});

describe('date cells', () => {
  it('reads a Date cell at local midnight as that day, in the sheet zone', () => {
    const cell = new Date('2027-01-30T17:00:00Z'); // 31 Jan 2027 00:00 in Jakarta
    expect(calendarDateFromCell(cell, JAKARTA)).toEqual({ year: 2027, month: 1, day: 31 });
    // Sheets may hand back local midnight a few milliseconds early.
    expect(calendarDateFromCell(new Date(cell.getTime() - 3), JAKARTA)).toEqual({ year: 2027, month: 1, day: 31 });
  });

  it('reads text dates in the forms the sheet accepts', () => {
    expect(calendarDateFromCell('2027-01-31', JAKARTA)).toEqual({ year: 2027, month: 1, day: 31 });
    expect(calendarDateFromCell('31/01/2027', NEW_YORK)).toEqual({ year: 2027, month: 1, day: 31 });
    expect(calendarDateFromCell('31 Januari 2027', JAKARTA)).toEqual({ year: 2027, month: 1, day: 31 });
    expect(calendarDateFromCell('2020-02-29', JAKARTA)).toEqual({ year: 2020, month: 2, day: 29 });
    expect(calendarDateFromCell('not a date', JAKARTA)).toBeNull();
    expect(calendarDateFromCell('', JAKARTA)).toBeNull();
    expect(calendarDateFromCell(42, JAKARTA)).toBeNull();
  });

  it('moves a date cell on a month, keeping its kind and clamping the day', () => {
    const next = advanceDateCell(dateCellValue({ year: 2027, month: 1, day: 31 }, JAKARTA), JAKARTA);
    expect(next).toEqual(new Date('2027-02-27T17:00:00Z')); // 28 Feb 00:00 in Jakarta
    expect(advanceDateCell('2026-03-31', NEW_YORK)).toBe('2026-04-30');
    expect(advanceDateCell('29/02/2028', JAKARTA)).toBe('2028-03-29');
    expect(advanceDateCell('soon', JAKARTA)).toBeNull();
  });

  it('makes local midnight across a daylight-saving change', () => {
    // New York switches to summer time on 8 March 2026.
    expect(dateCellValue({ year: 2026, month: 3, day: 9 }, NEW_YORK)).toEqual(new Date('2026-03-09T04:00:00Z'));
    expect(dateCellValue({ year: 2026, month: 3, day: 1 }, NEW_YORK)).toEqual(new Date('2026-03-01T05:00:00Z'));
  });
});

describe('advancePeriodInText', () => {
  it('moves month names on in either language', () => {
    expect(advancePeriodInText('id', 'SPP Desember 2026')).toBe('SPP Januari 2027');
    expect(advancePeriodInText('en', 'Rent for December 2026')).toBe('Rent for January 2027');
    expect(advancePeriodInText('en', 'Iuran Mei 2026, kelas 7')).toBe('Iuran Juni 2026, kelas 7');
    expect(advancePeriodInText('id', 'Sewa januari 2027', 2)).toBe('Sewa Maret 2027');
  });

  it('reads names both languages share in the interface language', () => {
    expect(advancePeriodInText('id', 'SPP April 2027')).toBe('SPP Mei 2027');
    expect(advancePeriodInText('en', 'Fee April 2027')).toBe('Fee May 2027');
  });

  it('leaves text without a month and year alone', () => {
    expect(advancePeriodInText('id', 'Iuran bulanan')).toBe('Iuran bulanan');
    expect(advancePeriodInText('en', 'Maybe 2026')).toBe('Maybe 2026');
  });
});

describe('isRepeatYes', () => {
  it.each(['yes', 'Ya', ' Y ', 'TRUE', '✓', '✔', '1', 'iya'])('accepts %j', (cell) => {
    expect(isRepeatYes(cell)).toBe(true);
  });
  it('accepts a ticked checkbox and the number 1', () => {
    expect(isRepeatYes(true)).toBe(true);
    expect(isRepeatYes(1)).toBe(true);
  });
  it.each(['', 'no', 'tidak', '0', 'maybe', 'yes please'])('refuses %j', (cell) => {
    expect(isRepeatYes(cell)).toBe(false);
  });
  it('refuses an unticked checkbox, other numbers and dates', () => {
    expect(isRepeatYes(false)).toBe(false);
    expect(isRepeatYes(2)).toBe(false);
    expect(isRepeatYes(new Date())).toBe(false);
  });
});
