/** Core functions the other unit tests did not reach (found by npm run test:mutation). */
import { describe, expect, it } from 'vitest';
import { a1Range } from '../../src/core/cells';
import { localeFrom, t, tUi } from '../../src/core/messages';
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
  it('a channel code in any case and spacing, or an error naming what was typed', () => {
    expect(parsePaymentMethod('')).toEqual({ ok: true, value: undefined });
    expect(parsePaymentMethod(' QRIS ')).toEqual({ ok: true, value: 'qris' });
    expect(parsePaymentMethod('VA / BNI')).toEqual({ ok: true, value: 'va/bni' });
    expect(parsePaymentMethod('va/bni_syariah')).toEqual({ ok: true, value: 'va/bni_syariah' });
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
