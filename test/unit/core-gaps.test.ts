/** Core functions the other unit tests did not reach (found by npm run test:mutation). */
import { describe, expect, it } from 'vitest';
import { readsDotAsDecimal } from '../../src/core/amount';
import { a1Range } from '../../src/core/cells';
import { mapHeaders } from '../../src/core/headers';
import { findRowByPaymentId, type JobRow, newJob, pendingRow, removeRow } from '../../src/core/job';
import { localeFrom, t, tUi } from '../../src/core/messages';
import { amountAsShown } from '../../src/core/parse';
import { notSent } from '../../src/core/row-lifecycle';
import { parsePaymentMethod } from '../../src/core/rows';
import { settingsInputSchema, WEB_APP_DEV_MESSAGE, WEB_APP_FORMAT_MESSAGE, webAppExecUrl } from '../../src/core/settings';

describe('a1Range', () => {
  it('one cell, a block, and columns past Z', () => {
    expect(a1Range(2, 6, 1, 1)).toBe('F2');
    expect(a1Range(2, 6, 8, 2)).toBe('F2:G9');
    expect(a1Range(1, 1, 1, 3)).toBe('A1:C1');
    expect(a1Range(5, 1, 3, 1)).toBe('A5:A7');
    expect(a1Range(1, 26, 1, 2)).toBe('Z1:AA1');
    expect(a1Range(10, 52, 1, 1)).toBe('AZ10');
    expect(a1Range(3, 703, 1, 1)).toBe('AAA3');
  });
});

describe('localeFrom', () => {
  it('Indonesian for id, id_ID and the old in_ID; English for everything else', () => {
    expect(localeFrom('id')).toBe('id');
    expect(localeFrom('id_ID')).toBe('id');
    expect(localeFrom('ID-id')).toBe('id');
    expect(localeFrom('in_ID')).toBe('id');
    expect(localeFrom('en_US')).toBe('en');
    expect(localeFrom('ms_MY')).toBe('en');
    expect(localeFrom('did')).toBe('en');
    expect(localeFrom('')).toBe('en');
    expect(localeFrom(null)).toBe('en');
    expect(localeFrom(undefined)).toBe('en');
  });
});

describe('tUi', () => {
  it('fills the sidebar message in the language asked, and leaves unknown placeholders as they are', () => {
    expect(tUi('en', 'ui.loading')).toBe('Loading…');
    expect(tUi('id', 'ui.loading')).toBe('Memuat…');
    expect(tUi('en', 'ui.error.server', { message: 'boom' })).toBe('Something went wrong: boom');
    expect(tUi('en', 'ui.error.server')).toBe('Something went wrong: {message}');
    expect(t('en', 'confirm.summary', { count: 3, total: 'Rp 10.000' })).toContain('3');
    expect(t('en', 'confirm.summary', {})).toContain('{count}');
  });
});

describe('parsePaymentMethod', () => {
  it('a channel code in any case, upper-cased as Mayar lists it, or an error naming what was typed', () => {
    expect(parsePaymentMethod('')).toEqual({ ok: true, value: undefined });
    expect(parsePaymentMethod(' qris ')).toEqual({ ok: true, value: 'QRIS' });
    expect(parsePaymentMethod('Mandiri')).toEqual({ ok: true, value: 'MANDIRI' });
    expect(parsePaymentMethod('qris_static')).toEqual({ ok: true, value: 'QRIS_STATIC' });
    expect(parsePaymentMethod(' bank transfer ')).toEqual({ ok: false, message: { key: 'row.paymentMethodInvalid', params: { value: 'bank transfer' } } });
    expect(parsePaymentMethod('va/bni/x')).toMatchObject({ ok: false });
  });
});

describe('webAppExecUrl and the Web app URL setting', () => {
  const ID = 'AKfycbx_ab-12';
  it('the /exec URL as Mayar can call it, from a plain, domain-scoped or pasted-back URL', () => {
    const exec = `https://script.google.com/macros/s/${ID}/exec`;
    expect(webAppExecUrl(exec)).toEqual({ kind: 'exec', url: exec });
    expect(webAppExecUrl(`  https://script.google.com/a/macros/school.sch.id/s/${ID}/exec  `)).toEqual({ kind: 'exec', url: exec });
    expect(webAppExecUrl(`${exec}?token=abc`)).toEqual({ kind: 'exec', url: exec });
    expect(webAppExecUrl(`https://script.google.com/macros/s/${ID}/dev`)).toEqual({ kind: 'dev', url: null });
    expect(webAppExecUrl('https://example.com/hook')).toEqual({ kind: 'other', url: null });
  });

  it('saving: empty forgets it, /dev and other URLs are refused with their own message, /exec is kept', () => {
    const exec = `https://script.google.com/macros/s/${ID}/exec`;
    expect(settingsInputSchema.safeParse({ webAppUrl: '  ' })).toEqual({ success: true, data: { webAppUrl: '' } });
    expect(settingsInputSchema.safeParse({ webAppUrl: `${exec}?token=x` })).toEqual({ success: true, data: { webAppUrl: exec } });
    expect(settingsInputSchema.safeParse({ webAppUrl: `https://script.google.com/macros/s/${ID}/dev` })).toEqual({
      success: false,
      error: { issues: [{ path: ['webAppUrl'], code: 'invalid_value', message: WEB_APP_DEV_MESSAGE }] },
    });
    expect(settingsInputSchema.safeParse({ webAppUrl: 'https://example.com' })).toEqual({
      success: false,
      error: { issues: [{ path: ['webAppUrl'], code: 'invalid_format', message: WEB_APP_FORMAT_MESSAGE }] },
    });
    expect(settingsInputSchema.safeParse({ webAppUrl: 5 })).toEqual({
      success: false,
      error: { issues: [{ path: ['webAppUrl'], code: 'invalid_type', message: 'Invalid input: expected string, received number' }] },
    });
    expect(settingsInputSchema.safeParse({ webAppUrl: null })).toMatchObject({
      error: { issues: [{ message: 'Invalid input: expected string, received null' }] },
    });
    expect(settingsInputSchema.safeParse({ webAppUrl: [] })).toMatchObject({
      error: { issues: [{ message: 'Invalid input: expected string, received array' }] },
    });
  });
});

describe('findRowByPaymentId', () => {
  const header = ['Name', 'Amount', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status'];
  const layout = mapHeaders(header);
  const data = [
    header,
    ['A', 1, 'l1', 'pay-1', 'tx-1', ''],
    ['B', 2, 'l2', ' pay-2 ', 'tx-2', ''],
    ['C', 3, 'l3', 'pay-1', 'tx-3', ''],
    ['D', 4, '', '', '', ''],
  ];

  it('finds the row by Payment ID (trimmed), else by Transaction ID, never the header', () => {
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-2' })).toBe(2);
    expect(findRowByPaymentId(data, layout, { transactionId: 'tx-3' })).toBe(3);
    expect(findRowByPaymentId(data, layout, { paymentId: 'gone', transactionId: 'tx-2' })).toBe(2);
    expect(findRowByPaymentId(data, layout, { paymentId: 'Payment ID' })).toBe(-1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'gone' })).toBe(-1);
    expect(findRowByPaymentId(data, layout, {})).toBe(-1);
    expect(findRowByPaymentId(data, layout, { paymentId: '', transactionId: '' })).toBe(-1);
  });

  it('prefers the hinted row, skips claimed rows, and ignores a hint that does not match or is out of range', () => {
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' })).toBe(1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, 3)).toBe(3);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, 2)).toBe(1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, 0)).toBe(1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, 5)).toBe(1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, -1, new Set([1]))).toBe(3);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, 3, new Set([3]))).toBe(1);
    expect(findRowByPaymentId(data, layout, { paymentId: 'pay-1' }, -1, new Set([1, 3]))).toBe(-1);
  });

  it('without a Transaction ID column, finds by Payment ID only', () => {
    const narrow = [
      ['Name', 'Payment ID'],
      ['A', 'pay-1'],
    ];
    expect(findRowByPaymentId(narrow, mapHeaders(narrow[0] ?? []), { transactionId: 'pay-1' })).toBe(-1);
    expect(findRowByPaymentId(narrow, mapHeaders(narrow[0] ?? []), { paymentId: 'pay-1' })).toBe(1);
  });
});

describe('removeRow', () => {
  it('takes the row out of the job, and leaves the job alone for a row it does not hold', () => {
    const job = newJob({
      id: 'j1',
      kind: 'create',
      sheetId: 1,
      sheetName: 'Invoices',
      startedBy: 'owner@example.com',
      startedByKey: 'k',
      startedAt: 0,
      environment: 'sandbox',
      keyScope: 'user',
      rows: [pendingRow(1, 'a', 2), pendingRow(2, 'b', 3)],
      skipped: 0,
      failed: 0,
      firstErrorRow: null,
    });
    const [first, second] = job.rows;
    removeRow(job, pendingRow(9, 'z', 9));
    expect(job.rows).toHaveLength(2);
    removeRow(job, first as JobRow);
    expect(job.rows).toEqual([second]);
  });
});

describe('readsDotAsDecimal', () => {
  it('English-style locales read "." as a decimal point; Indonesian and most of Europe do not; a few Spanish ones do', () => {
    expect(readsDotAsDecimal('en_US')).toBe(true);
    expect(readsDotAsDecimal('en')).toBe(true);
    expect(readsDotAsDecimal('id')).toBe(false);
    expect(readsDotAsDecimal('in_ID')).toBe(false);
    expect(readsDotAsDecimal('de_DE')).toBe(false);
    expect(readsDotAsDecimal('es_ES')).toBe(false);
    expect(readsDotAsDecimal('es-MX')).toBe(true);
    expect(readsDotAsDecimal('DE_CH')).toBe(true);
  });
});

describe('amountAsShown', () => {
  it('500 stored from "500.000" typed in an English-locale sheet: asks, quoting what is shown and the locale', () => {
    expect(amountAsShown(500, '500', 'en_US')).toEqual({
      key: 'amount.dotDecimalLocale',
      params: { value: '500', locale: 'en_US', digits: '500000', amount: '500' },
    });
    expect(amountAsShown(999, ' ', 'en_US')).toMatchObject({ key: 'amount.dotDecimalLocale', params: { value: '999', digits: '999000' } });
    // Not in a sheet that reads "." as thousands, not below the minimum, not from 1000 up, not a fraction.
    expect(amountAsShown(500, '500', 'id_ID')).toBeNull();
    expect(amountAsShown(499, '499', 'en_US')).toBeNull();
    expect(amountAsShown(1000, '1000', 'en_US')).toBeNull();
    expect(amountAsShown(500.5, '500.5', undefined)).toBeNull();
    expect(amountAsShown(500, '500', undefined)).toBeNull();
  });

  it('a number shown as another amount is refused; a currency sign before the digits is fine', () => {
    expect(amountAsShown(150000, 'Rp150.000', 'id_ID')).toBeNull();
    expect(amountAsShown(150000, '150000', 'id_ID')).toBeNull();
    expect(amountAsShown(150000, undefined, 'id_ID')).toBeNull();
    expect(amountAsShown('150000', '150 rb', 'id_ID')).toBeNull();
    expect(amountAsShown(150000, '150 rb', 'id_ID')).toEqual({ key: 'amount.notAsShown', params: { value: '150 rb', sent: '150.000', digits: '150000' } });
    expect(amountAsShown(150000, ' 150 ', 'id_ID')).toMatchObject({ key: 'amount.notAsShown', params: { value: '150' } });
    expect(amountAsShown(150000.4, '150.000,4', 'id_ID')).toBeNull();
  });
});

describe('notSent', () => {
  it('gives the attempt back: a refusal that created nothing does not count towards the three tries', () => {
    const row = { ...pendingRow(1, 'a', 2), state: 'inFlight' as const, attempts: 2 };
    notSent(row);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    const fresh = pendingRow(2, 'b', 3);
    notSent(fresh);
    expect(fresh.attempts).toBe(0);
  });
});
