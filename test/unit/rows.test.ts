import { describe, expect, it } from 'vitest';
import { hashString, rowFingerprint } from '../../src/core/fingerprint';
import { mapHeaders, planOutputColumns } from '../../src/core/headers';
import { examineRow, rowError } from '../../src/core/rows';
import type { RowContext } from '../../src/core/rows';
import type { Cell } from '../../src/core/types';
import { JAKARTA, NEW_YORK } from './zone';

const now = new Date('2026-06-15T03:00:00Z');
const en: RowContext = { zone: JAKARTA, now, defaultExpiryDays: 7, locale: 'en' };
const id: RowContext = { ...en, locale: 'id' };

const english = planOutputColumns(mapHeaders(['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At', 'Notes'])).layout;
// Payment Link 7, Payment ID 8, Transaction ID 9, Status 10, Error 11
const indonesian = mapHeaders(['Nama Pelanggan', 'Jumlah', 'Surel', 'No. HP', 'Keterangan', 'Jatuh Tempo', 'Catatan']);

function row(...cells: Cell[]): Cell[] {
  return [...cells, ...Array<Cell>(12 - cells.length).fill('')];
}

describe('examineRow', () => {
  it('skips a blank row, even with output cells filled', () => {
    expect(examineRow(row(), english, en)).toEqual({ kind: 'blank' });
    expect(examineRow(row(' ', '', '  '), english, en)).toEqual({ kind: 'blank' });
    const withStatus = row();
    withStatus[10] = 'Failed';
    withStatus[11] = 'Amount is required';
    expect(examineRow(withStatus, english, en)).toEqual({ kind: 'blank' });
    expect(examineRow([], english, en)).toEqual({ kind: 'blank' });
  });

  it('reports a row with a Payment Link or Payment ID as done', () => {
    const withLink = row('Budi', 'abc');
    withLink[7] = 'https://pay.mayar.id/abc';
    expect(examineRow(withLink, english, en)).toEqual({ kind: 'done' });
    const withId = row('Budi', 250000);
    withId[8] = 'a1b2c3';
    expect(examineRow(withId, english, en)).toEqual({ kind: 'done' });
    const withStatusOnly = row('Budi', 250000);
    withStatusOnly[10] = 'Failed';
    expect(examineRow(withStatusOnly, english, en).kind).toBe('valid');
  });

  it('builds the request with only the fields present', () => {
    expect(examineRow(row('Budi', 250000), english, en)).toEqual({
      kind: 'valid',
      request: { name: 'Budi', amount: 250000, expiredAt: '2026-06-22T03:00:00.000Z' },
    });
  });

  it('builds the full request', () => {
    const verdict = examineRow(
      row(' Budi Santoso ', 'Rp 1.250.000', 'budi@example.com', '+62 812-3456-7890', 'Langganan Juni', new Date('2026-12-31T00:00:00+07:00'), 'Pelanggan lama'),
      english,
      en,
    );
    expect(verdict).toEqual({
      kind: 'valid',
      request: {
        name: 'Budi Santoso',
        amount: 1250000,
        email: 'budi@example.com',
        mobile: '081234567890',
        description: 'Langganan Juni',
        notes: 'Pelanggan lama',
        expiredAt: '2026-12-31T16:59:59.000Z',
      },
    });
    if (verdict.kind === 'valid') {
      expect(Object.keys(verdict.request)).not.toContain('extraData');
    }
  });

  it('omits optional fields left blank and sends no undefined keys', () => {
    const verdict = examineRow(row('Budi', 250000, '', '', '', '', ''), english, en);
    expect(verdict.kind).toBe('valid');
    if (verdict.kind === 'valid') {
      expect(Object.keys(verdict.request).sort()).toEqual(['amount', 'expiredAt', 'name']);
    }
  });

  it('uses defaultExpiryDays for a blank expiry', () => {
    const verdict = examineRow(row('Budi', 250000), english, { ...en, defaultExpiryDays: 3 });
    expect(verdict.kind === 'valid' && verdict.request.expiredAt).toBe('2026-06-18T03:00:00.000Z');
  });

  it('reads times in the spreadsheet zone', () => {
    const cells = row('Budi', 250000, '', '', '', '2026-12-31 17:00');
    const jakarta = examineRow(cells, english, en);
    const newYork = examineRow(cells, english, { ...en, zone: NEW_YORK });
    expect(jakarta.kind === 'valid' && jakarta.request.expiredAt).toBe('2026-12-31T10:00:00.000Z');
    expect(newYork.kind === 'valid' && newYork.request.expiredAt).toBe('2026-12-31T22:00:00.000Z');
  });

  it('passes formula-looking text through as plain text', () => {
    const verdict = examineRow(row('=HYPERLINK("http://evil")', 250000, '', '', '=1+1', '', '@SUM(A1)'), english, en);
    expect(verdict).toMatchObject({
      kind: 'valid',
      request: { name: '=HYPERLINK("http://evil")', description: '=1+1', notes: '@SUM(A1)' },
    });
  });

  it('lists every problem, naming the sheet headers, left to right', () => {
    const verdict = examineRow(row('', 'abc', 'budi@', '12345', '', 'besok'), english, en);
    expect(verdict).toEqual({
      kind: 'invalid',
      errors: [
        'Name is required',
        'Amount: "abc" is not a rupiah amount',
        'Email: "budi@" is not a valid email address',
        'Mobile: "12345" is not an Indonesian mobile number (use 08…, +62… or 62…)',
        'Expires At: "besok" is not a date (use 2026-12-31, 31/12/2026 or 2026-12-31 17:00)',
      ],
    });
    expect(rowError(verdict)).toBe(
      'Name is required; Amount: "abc" is not a rupiah amount; Email: "budi@" is not a valid email address; ' +
        'Mobile: "12345" is not an Indonesian mobile number (use 08…, +62… or 62…); ' +
        'Expires At: "besok" is not a date (use 2026-12-31, 31/12/2026 or 2026-12-31 17:00)',
    );
  });

  it('speaks Indonesian and quotes Indonesian headers', () => {
    const verdict = examineRow(row('', 'abc', '', '', '', '1/1/2020'), indonesian, id);
    expect(verdict).toEqual({
      kind: 'invalid',
      errors: ['Nama Pelanggan wajib diisi', 'Jumlah: "abc" bukan jumlah rupiah', 'Jatuh Tempo: 1/1/2020 sudah lewat'],
    });
  });

  it('renders each amount problem', () => {
    const errors = (amount: Cell, ctx: RowContext = en): string => rowError(examineRow(row('Budi', amount), english, ctx));
    expect(errors('')).toBe('Amount is required');
    expect(errors('1000.5')).toBe('Amount: "1000.5" has cents; type the amount in whole rupiah, without a decimal part (e.g. 150000)');
    expect(errors(-5000)).toBe('Amount: "-5000" is negative');
    expect(errors(499)).toBe('Amount: 499 is below the minimum of Rp 500');
    expect(errors(2e10)).toBe('Amount: 20000000000 is above the maximum of Rp 10.000.000.000');
    expect(errors(499, id)).toBe('Amount: 499 di bawah minimum Rp 500');
  });

  it('names a missing required column by its usual label', () => {
    const layout = mapHeaders(['Email', 'Jumlah']);
    expect(rowError(examineRow(['budi@example.com', 250000], layout, en))).toBe('Name is required');
    expect(rowError(examineRow(['budi@example.com', 250000], layout, id))).toBe('Nama wajib diisi');
  });

  it('works with columns in any order and ignores unknown columns', () => {
    const layout = mapHeaders(['Kota', 'HP', 'Tagihan', 'Nama']);
    expect(examineRow(['Bandung', 81234567890, 'Rp 99.000', 'Siti'], layout, id)).toEqual({
      kind: 'valid',
      request: { name: 'Siti', mobile: '081234567890', amount: 99000, expiredAt: '2026-06-22T03:00:00.000Z' },
    });
    // Only the unknown column filled: nothing to do for this row.
    expect(examineRow(['Bandung', '', '', ''], layout, id)).toEqual({ kind: 'blank' });
  });

  it('reuses one schema for a context and follows a new context', () => {
    const cells = row('Budi', 250000);
    const first = examineRow(cells, english, en);
    const later = examineRow(cells, english, { ...en, now: new Date('2026-07-01T00:00:00Z') });
    expect(first.kind === 'valid' && first.request.expiredAt).toBe('2026-06-22T03:00:00.000Z');
    expect(later.kind === 'valid' && later.request.expiredAt).toBe('2026-07-08T00:00:00.000Z');
  });
});

describe('rowError', () => {
  it('is empty for rows without errors', () => {
    expect(rowError({ kind: 'blank' })).toBe('');
    expect(rowError({ kind: 'done' })).toBe('');
    expect(rowError(examineRow(row('Budi', 250000), english, en))).toBe('');
  });
});

describe('rowFingerprint', () => {
  const cells = row('Budi', 250000, 'budi@example.com', '0812', '', new Date('2026-12-31T00:00:00+07:00'));

  it('is short, stable and the same for the same content', () => {
    const print = rowFingerprint(cells, english);
    expect(print).toMatch(/^[0-9a-z]{11}$/);
    expect(rowFingerprint([...cells], english)).toBe(print);
  });

  it('changes when an input cell changes', () => {
    const print = rowFingerprint(cells, english);
    const changed = [...cells];
    changed[1] = 250001;
    expect(rowFingerprint(changed, english)).not.toBe(print);
    const otherDate = [...cells];
    otherDate[5] = new Date('2026-12-30T00:00:00+07:00');
    expect(rowFingerprint(otherDate, english)).not.toBe(print);
    const moved = [...cells];
    moved[3] = '';
    moved[4] = '0812';
    expect(rowFingerprint(moved, english)).not.toBe(print);
  });

  it('ignores output cells, surrounding spaces and number-vs-text', () => {
    const print = rowFingerprint(cells, english);
    const withOutputs = [...cells];
    withOutputs[7] = 'https://pay.mayar.id/x';
    withOutputs[10] = 'Created';
    withOutputs[11] = 'Some error';
    expect(rowFingerprint(withOutputs, english)).toBe(print);
    const respaced = [...cells];
    respaced[0] = '  Budi ';
    respaced[1] = '250000';
    expect(rowFingerprint(respaced, english)).toBe(print);
  });

  it('hashes strings to fixed-width base36', () => {
    expect(hashString('')).toMatch(/^[0-9a-z]{11}$/);
    expect(hashString('a')).not.toBe(hashString('b'));
    expect(hashString('Budi')).toBe(hashString('Budi'));
    // cyrb53's published value for "a".
    expect(hashString('a')).toBe((7929297801672961).toString(36));
    // Pinned so stored fingerprints keep matching after changes to the code.
    expect(hashString('Budi')).toMatchInlineSnapshot(`"26mi5um5hxm"`);
  });
});
