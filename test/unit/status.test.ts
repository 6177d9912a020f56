import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, parseStatus, STATUSES, statusText } from '../../src/core/status';

describe('statusText', () => {
  it('speaks English', () => {
    expect(STATUSES.map((s) => statusText('en', s))).toEqual(['Unpaid', 'Paid', 'Expired', 'Closed', 'Needs review']);
  });

  it('speaks Indonesian', () => {
    expect(STATUSES.map((s) => statusText('id', s))).toEqual(['Belum dibayar', 'Lunas', 'Kedaluwarsa', 'Ditutup', 'Perlu dicek']);
  });
});

describe('parseStatus', () => {
  it('recognises every status in both languages', () => {
    for (const status of STATUSES) {
      expect(parseStatus(statusText('en', status))).toBe(status);
      expect(parseStatus(statusText('id', status))).toBe(status);
    }
  });

  it('ignores case and surrounding spaces', () => {
    expect(parseStatus('  PAID ')).toBe('paid');
    expect(parseStatus('lunas')).toBe('paid');
    expect(parseStatus('needs REVIEW')).toBe('review');
    expect(parseStatus(' belum DIBAYAR')).toBe('unpaid');
    expect(parseStatus('perlu dicek\n')).toBe('review');
  });

  it('is null for blanks, other text and non-text cells', () => {
    expect(parseStatus('')).toBeNull();
    expect(parseStatus('   ')).toBeNull();
    expect(parseStatus('Failed')).toBeNull();
    expect(parseStatus('Paid!')).toBeNull();
    expect(parseStatus('Needs  review')).toBeNull();
    expect(parseStatus('review')).toBeNull();
    expect(parseStatus(1)).toBeNull();
    expect(parseStatus(true)).toBeNull();
    expect(parseStatus(null)).toBeNull();
    expect(parseStatus(undefined)).toBeNull();
    expect(parseStatus(new Date(0))).toBeNull();
  });
});

describe('FINAL_STATUSES', () => {
  it('holds paid, expired and closed only', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['closed', 'expired', 'paid']);
    expect(FINAL_STATUSES.has('unpaid')).toBe(false);
    expect(FINAL_STATUSES.has('review')).toBe(false);
  });
});
