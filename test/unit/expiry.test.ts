import { describe, expect, it } from 'vitest';
import { decideExpiry, sentExpiryOf, sentExpiryTag } from '../../src/core/expiry';

const NOW = Date.UTC(2026, 10, 25, 3);
const DAY = 86_400_000;

describe('decideExpiry', () => {
  it('the expiry sent decides, not an edited cell', () => {
    expect(decideExpiry({ cellAt: NOW - DAY, sentAt: NOW + DAY }, NOW)).toEqual({ expired: false, edited: true, sentAt: NOW + DAY });
    expect(decideExpiry({ cellAt: NOW + 30 * DAY, sentAt: NOW - DAY }, NOW)).toEqual({ expired: true });
  });
  it('Mayar outranks the note, the note the cell; the cell alone for older links', () => {
    expect(decideExpiry({ cellAt: NOW - DAY, sentAt: NOW - DAY, mayarAt: NOW + DAY }, NOW)).toMatchObject({ expired: false });
    expect(decideExpiry({ cellAt: NOW - DAY, sentAt: null }, NOW)).toEqual({ expired: true });
    expect(decideExpiry({ cellAt: null, sentAt: null }, NOW)).toEqual({ expired: false, edited: false });
    expect(decideExpiry({ cellAt: NOW + DAY, sentAt: NOW + DAY }, NOW)).toEqual({ expired: false, edited: false });
  });
});

describe('the sent-expiry note', () => {
  it('reads back the instant it was written with, in either language', () => {
    const at = Date.UTC(2026, 11, 31, 16, 59, 59);
    expect(sentExpiryOf(`Sent to Mayar: the link expires 2026-12-31 23:59:59. ${sentExpiryTag(at)}`)).toBe(at);
    expect(sentExpiryOf(`Dikirim ke Mayar: link kedaluwarsa 2026-12-31 23:59:59. ${sentExpiryTag(at)}`)).toBe(at);
  });
  it.each(['', 'a note of my own', '[2026-13-45T99:00:00Z]'])('is null for %j', (note) => expect(sentExpiryOf(note)).toBeNull());
});
