import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/messages';
import { render } from '../../src/core/messages';
import { groupThousands } from '../../src/core/amount';
import { cellIsEmpty, cellText } from '../../src/core/cell-text';
import { instantFromWallClock } from '../../src/core/dates';
import { isMayarId, MAX_AMOUNT, parseAmount, parseEmail, parseExpiry, parseMobile, parseName, parseText } from '../../src/core/parse';
import type { Parsed } from '../../src/core/parse';
import type { Cell } from '../../src/core/types';
import { JAKARTA, NEW_YORK } from './zone';

function valueOf<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`expected ok, got ${render('en', parsed.message)}`);
  return parsed.value;
}

function messageOf<T>(parsed: Parsed<T>): Message {
  if (parsed.ok) throw new Error(`expected a problem, got ${JSON.stringify(parsed.value)}`);
  return parsed.message;
}

describe('cellIsEmpty / cellText', () => {
  it('treats only "" and whitespace as empty', () => {
    expect(cellIsEmpty('')).toBe(true);
    expect(cellIsEmpty('  \n ')).toBe(true);
    expect(cellIsEmpty(0)).toBe(false);
    expect(cellIsEmpty(false)).toBe(false);
    expect(cellIsEmpty(new Date(0))).toBe(false);
  });

  it('shows cells as the user reads them', () => {
    expect(cellText('  Budi  ')).toBe('Budi');
    expect(cellText(81234567890)).toBe('81234567890');
    expect(cellText(1e21)).toBe('1000000000000000000000');
    expect(cellText(1e-7)).toBe('0.0000001');
    expect(cellText(1000.5)).toBe('1000.5');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date('2026-12-31T00:00:00+07:00'), JAKARTA)).toBe('2026-12-31');
    expect(cellText(new Date('2026-12-31T17:30:00+07:00'), JAKARTA)).toBe('2026-12-31 17:30');
    expect(cellText(new Date('2026-12-31T17:30:15+07:00'), JAKARTA)).toBe('2026-12-31 17:30:15');
    expect(cellText(new Date('2026-12-31T00:00:00Z'))).toBe('2026-12-31');
    expect(cellText(new Date('2026-12-31T00:00:00-05:00'), NEW_YORK)).toBe('2026-12-31');
  });
});

describe('parseName', () => {
  it('trims and keeps the name', () => {
    expect(valueOf(parseName('  Budi Santoso '))).toBe('Budi Santoso');
    expect(valueOf(parseName('Budi\n  Santoso'))).toBe('Budi Santoso');
    expect(valueOf(parseName(12345))).toBe('12345');
  });

  it('requires a name', () => {
    expect(messageOf(parseName(''))).toEqual({ key: 'cell.missing' });
    expect(messageOf(parseName('   '))).toEqual({ key: 'cell.missing' });
  });

  it('limits the length to 255 characters', () => {
    expect(valueOf(parseName('a'.repeat(255)))).toHaveLength(255);
    expect(messageOf(parseName('a'.repeat(256)))).toEqual({ key: 'name.tooLong', params: { max: 255 } });
  });

  it('keeps formula-looking text as plain text', () => {
    expect(valueOf(parseName('=HYPERLINK("x")'))).toBe('=HYPERLINK("x")');
  });
});

describe('parseAmount', () => {
  it.each<[Cell, number]>([
    [250000, 250000],
    [500, 500],
    ['250000', 250000],
    ['Rp 250.000', 250000],
    ['Rp250.000', 250000],
    ['250.000', 250000],
    ['250,000', 250000],
    ['Rp250000', 250000],
    ['Rp. 1.250.000', 1250000],
    ['rp 1,250,000', 1250000],
    ['IDR 250000', 250000],
    ['IDR 250.000', 250000],
    ['250000 IDR', 250000],
    ['Rp 250.000,-', 250000],
    ['Rp 250.000,00', 250000],
    ['250,000.00', 250000],
    ['1000.00', 1000],
    ['1.500', 1500],
    ['  Rp 1 250 000  ', 1250000],
    ['Rp\u00a0250.000', 250000],
    [10_000_000_000, 10_000_000_000],
    [275000.00000000006, 275000],
  ])('accepts %j as %d', (cell, expected) => {
    expect(valueOf(parseAmount(cell))).toBe(expected);
  });

  it.each<[Cell, string]>([
    ['1.500,000', 'amount.ambiguous'],
    ['1,000.000', 'amount.ambiguous'],
    ['Rp 1.500.000,000', 'amount.ambiguous'],
    ['1000,000', 'amount.ambiguous'],
    ['1000.5', 'amount.fraction'],
    [1000.5, 'amount.fraction'],
    ['1.000,50', 'amount.fraction'],
    ['1,5', 'amount.fraction'],
    ['abc', 'amount.notRupiah'],
    ['Rp', 'amount.notRupiah'],
    ['250rb', 'amount.notRupiah'],
    ['1.000.5', 'amount.notRupiah'],
    ['12/12/2026', 'amount.notRupiah'],
    [true, 'amount.notRupiah'],
    [new Date(0), 'amount.notRupiah'],
    [Number.NaN, 'amount.notRupiah'],
    [Number.POSITIVE_INFINITY, 'amount.notRupiah'],
    ['-5000', 'amount.negative'],
    ['Rp -5.000', 'amount.negative'],
    ['-Rp 5.000', 'amount.negative'],
    [-5000, 'amount.negative'],
    [499, 'amount.tooSmall'],
    ['499', 'amount.tooSmall'],
    [0, 'amount.tooSmall'],
    [10_000_000_001, 'amount.tooLarge'],
    ['99999999999999999999', 'amount.tooLarge'],
    ['', 'cell.missing'],
    ['  ', 'cell.missing'],
  ])('rejects %j (%s)', (cell, key) => {
    expect(messageOf(parseAmount(cell)).key).toBe(key);
  });

  it('quotes the value as typed', () => {
    expect(messageOf(parseAmount(' abc '))).toEqual({ key: 'amount.notRupiah', params: { value: 'abc' } });
    expect(render('en', messageOf(parseAmount('abc')))).toBe('"abc" is not a rupiah amount');
    expect(render('id', messageOf(parseAmount('abc')))).toBe('"abc" bukan jumlah rupiah');
    expect(render('en', messageOf(parseAmount(1000.5)))).toBe('"1000.5" has cents; type the amount in whole rupiah, without a decimal part (e.g. 150000)');
    expect(render('en', messageOf(parseAmount(499)))).toBe('499 is below the minimum of Rp 500');
    expect(render('en', messageOf(parseAmount(2e10)))).toBe('20000000000 is above the maximum of Rp 10.000.000.000');
  });

  it('groups thousands with dots', () => {
    expect(groupThousands(MAX_AMOUNT)).toBe('10.000.000.000');
    expect(groupThousands(500)).toBe('500');
  });
});

describe('parseEmail', () => {
  it.each(['budi@example.com', 'budi.santoso+tagihan@mail.co.id', 'A_B@Example.ID'])('accepts %s', (email) => {
    expect(valueOf(parseEmail(email))).toBe(email);
  });

  it('trims and treats blank as absent', () => {
    expect(valueOf(parseEmail('  budi@example.com '))).toBe('budi@example.com');
    expect(valueOf(parseEmail(''))).toBeUndefined();
    expect(valueOf(parseEmail('   '))).toBeUndefined();
  });

  it.each<Cell>(['budi', 'budi@', '@example.com', 'budi@example', 'budi @example.com', 'a@b..com', 12345, true])('rejects %j', (cell) => {
    expect(messageOf(parseEmail(cell)).key).toBe('email.invalid');
  });

  it('quotes the value', () => {
    expect(render('en', messageOf(parseEmail('budi@')))).toBe('"budi@" is not a valid email address');
  });
});

describe('parseMobile', () => {
  it.each<[Cell, string]>([
    ['081234567890', '081234567890'],
    ['0812-3456-7890', '081234567890'],
    ['0812 3456 7890', '081234567890'],
    ['+62 812 3456 7890', '081234567890'],
    ['+62-812-3456-7890', '081234567890'],
    ['62812345678', '0812345678'],
    ['6281234567890', '081234567890'],
    ['(0812) 3456.7890', '081234567890'],
    ['+62 (0)812 3456 7890', '081234567890'],
    ['0062 812 3456 7890', '081234567890'],
    ['812-3456-7890', '081234567890'],
    [81234567890, '081234567890'],
    [6281234567890, '081234567890'],
    ['0812345678', '0812345678'],
    ['08123456789012', '08123456789012'],
  ])('accepts %j as %s', (cell, expected) => {
    expect(valueOf(parseMobile(cell))).toBe(expected);
  });

  it('treats blank as absent', () => {
    expect(valueOf(parseMobile(''))).toBeUndefined();
  });

  it.each<Cell>([
    '12345',
    'abc',
    '081234567', // 9 digits
    '081234567890123', // 15 digits
    '0212345678', // a landline
    '+1 212 555 0100',
    '0812-3456-7890 (WA)',
    8123.5,
    -81234567890,
    true,
    new Date(0),
  ])('rejects %j', (cell) => {
    expect(messageOf(parseMobile(cell)).key).toBe('mobile.invalid');
  });

  it('quotes the value', () => {
    expect(messageOf(parseMobile('12345'))).toEqual({ key: 'mobile.invalid', params: { value: '12345' } });
  });
});

describe('parseText', () => {
  it('trims and keeps text, blank is absent', () => {
    expect(valueOf(parseText('  Langganan Januari  '))).toBe('Langganan Januari');
    expect(valueOf(parseText('baris 1\nbaris 2'))).toBe('baris 1\nbaris 2');
    expect(valueOf(parseText(''))).toBeUndefined();
    expect(valueOf(parseText(42))).toBe('42');
  });

  it('keeps formula-looking text as plain text', () => {
    expect(valueOf(parseText('=IMPORTXML("http://x")'))).toBe('=IMPORTXML("http://x")');
    expect(valueOf(parseText('+62 is the code'))).toBe('+62 is the code');
  });

  it('limits the length', () => {
    expect(messageOf(parseText('abcd', 3))).toEqual({ key: 'text.tooLong', params: { max: 3 } });
    expect(valueOf(parseText('abc', 3))).toBe('abc');
    expect(messageOf(parseText('x'.repeat(2001))).key).toBe('text.tooLong');
  });
});

describe('parseExpiry', () => {
  const now = new Date('2026-06-15T03:00:00Z'); // 10:00 in Jakarta
  const jakarta = { zone: JAKARTA, now, defaultExpiryDays: 7 };
  const newYork = { zone: NEW_YORK, now, defaultExpiryDays: 7 };

  it('means the end of the day for a Date cell at midnight in the zone', () => {
    expect(valueOf(parseExpiry(new Date('2026-12-31T00:00:00+07:00'), jakarta))).toBe('2026-12-31T16:59:59.000Z');
    expect(valueOf(parseExpiry(new Date('2026-12-31T00:00:00-05:00'), newYork))).toBe('2027-01-01T04:59:59.000Z');
    expect(valueOf(parseExpiry(new Date('2026-07-04T00:00:00-04:00'), newYork))).toBe('2026-07-05T03:59:59.000Z');
  });

  it('tolerates a few milliseconds of drift around midnight', () => {
    const drift = new Date(new Date('2026-12-31T00:00:00+07:00').getTime() - 1);
    expect(valueOf(parseExpiry(drift, jakarta))).toBe('2026-12-31T16:59:59.000Z');
  });

  it('keeps a Date cell with a time of day', () => {
    const cell = new Date('2026-12-31T17:00:00+07:00');
    expect(valueOf(parseExpiry(cell, jakarta))).toBe('2026-12-31T10:00:00.000Z');
  });

  it('does not mistake midnight in another zone for a date', () => {
    // Midnight UTC is 07:00 in Jakarta: a time of day there.
    expect(valueOf(parseExpiry(new Date('2026-12-31T00:00:00Z'), jakarta))).toBe('2026-12-31T00:00:00.000Z');
    // Midnight in Jakarta is noon the day before in New York.
    expect(valueOf(parseExpiry(new Date('2026-12-31T00:00:00+07:00'), newYork))).toBe('2026-12-30T17:00:00.000Z');
  });

  it.each<[string, string, string]>([
    ['2026-12-31', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['31/12/2026', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['31-12-2026', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['31.12.2026', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['2026/12/31', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['1/7/2026', '2026-07-01T16:59:59.000Z', '2026-07-02T03:59:59.000Z'],
    ['31 Desember 2026', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['31 Dec 2026', '2026-12-31T16:59:59.000Z', '2027-01-01T04:59:59.000Z'],
    ['2026-12-31 17:00', '2026-12-31T10:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['31/12/2026 17:00', '2026-12-31T10:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['31/12/2026 17.00', '2026-12-31T10:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['2026-12-31T17:00:30', '2026-12-31T10:00:30.000Z', '2026-12-31T22:00:30.000Z'],
    ['1 Juli 2026 pukul 09.30', '2026-07-01T02:30:00.000Z', '2026-07-01T13:30:00.000Z'],
    // A zone in the text wins over the spreadsheet's.
    ['2026-12-31T17:00:00+07:00', '2026-12-31T10:00:00.000Z', '2026-12-31T10:00:00.000Z'],
    ['2026-12-31T10:00:00Z', '2026-12-31T10:00:00.000Z', '2026-12-31T10:00:00.000Z'],
    ['2026-12-31T10:00:00.250Z', '2026-12-31T10:00:00.250Z', '2026-12-31T10:00:00.250Z'],
    ['2026-12-31T17:00:00-0500', '2026-12-31T22:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['2026-12-31 17:00 WIB', '2026-12-31T10:00:00.000Z', '2026-12-31T10:00:00.000Z'],
    ['2026-12-31 17:00 WITA', '2026-12-31T09:00:00.000Z', '2026-12-31T09:00:00.000Z'],
  ])('reads text %j in the spreadsheet zone', (text, inJakarta, inNewYork) => {
    expect(valueOf(parseExpiry(text, jakarta))).toBe(inJakarta);
    expect(valueOf(parseExpiry(text, newYork))).toBe(inNewYork);
  });

  it('uses now + defaultExpiryDays days for a blank cell', () => {
    expect(valueOf(parseExpiry('', jakarta))).toBe('2026-06-22T03:00:00.000Z');
    expect(valueOf(parseExpiry('  ', { ...jakarta, defaultExpiryDays: 30 }))).toBe('2026-07-15T03:00:00.000Z');
  });

  it('rejects a time in the past', () => {
    expect(messageOf(parseExpiry('2026-06-15 09:59', jakarta))).toEqual({
      key: 'expiry.past',
      params: { value: '2026-06-15 09:59' },
    });
    expect(valueOf(parseExpiry('2026-06-15 10:00', jakarta))).toBe('2026-06-15T03:00:00.000Z');
    expect(messageOf(parseExpiry(new Date('2026-06-14T00:00:00+07:00'), jakarta))).toEqual({
      key: 'expiry.past',
      params: { value: '2026-06-14' },
    });
    expect(render('id', messageOf(parseExpiry('1/1/2020', jakarta)))).toBe('1/1/2020 sudah lewat');
  });

  it('keeps today as a date until the day ends', () => {
    expect(valueOf(parseExpiry('2026-06-15', jakarta))).toBe('2026-06-15T16:59:59.000Z');
    expect(valueOf(parseExpiry(new Date('2026-06-15T00:00:00+07:00'), jakarta))).toBe('2026-06-15T16:59:59.000Z');
  });

  it.each<Cell>([
    'besok',
    'abc',
    '12/31/2026', // month first is not guessed
    '31/02/2026',
    '2026-13-01',
    '2026-12-31 25:00',
    '2026-12-31 17:60',
    '31 Foo 2026',
    '31/12/26',
    '2026-12-31T17:00:00+25',
    46387,
    true,
    new Date(Number.NaN),
  ])('rejects %j as not a date', (cell) => {
    expect(messageOf(parseExpiry(cell, jakarta)).key).toBe('expiry.invalid');
  });

  it('quotes invalid text', () => {
    expect(render('en', messageOf(parseExpiry('besok', jakarta)))).toBe('"besok" is not a date (use 2026-12-31, 31/12/2026 or 2026-12-31 17:00)');
  });

  it('accepts 29 February only in leap years', () => {
    expect(valueOf(parseExpiry('29/02/2028', jakarta))).toBe('2028-02-29T16:59:59.000Z');
    expect(messageOf(parseExpiry('29/02/2027', jakarta)).key).toBe('expiry.invalid');
  });
});

describe('instantFromWallClock', () => {
  it('handles both sides of a daylight-saving change', () => {
    const wall = { year: 2026, month: 3, day: 7, hour: 12, minute: 0, second: 0, ms: 0 };
    expect(instantFromWallClock(wall, NEW_YORK).toISOString()).toBe('2026-03-07T17:00:00.000Z');
    expect(instantFromWallClock({ ...wall, day: 8 }, NEW_YORK).toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(instantFromWallClock({ ...wall, day: 8, hour: 1 }, NEW_YORK).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(instantFromWallClock({ ...wall, day: 8, hour: 3 }, NEW_YORK).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });
});

describe('isMayarId', () => {
  it.each(['3f2a9c1e-1b2c-4d5e-8f90-123456789abc', 'abc_DEF-123'])('accepts %j', (id) => expect(isMayarId(id)).toBe(true));
  it.each(['', '.', '..', 'a/b', 'a b', 'a?b', 'a%2e', '-'.repeat(2), 'x'.repeat(65)])('refuses %j', (id) => expect(isMayarId(id)).toBe(false));
});
