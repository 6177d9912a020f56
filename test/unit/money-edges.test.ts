/**
 * The edges of the code that decides money: line items, expiry, sizes and what a webhook may
 * make the add-on do. Each case is one a user could meet (a header typed with spaces, a cell a
 * hair off whole rupiah, a link that expires this very millisecond).
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, PROPERTY_VALUE_BYTES, utf8Bytes } from '../../src/core/bytes';
import { decideExpiry, expiryOf, sentExpiryOf, sentExpiryTag } from '../../src/core/expiry';
import { hasItemColumns, itemColumns, itemsOf, readItems } from '../../src/core/items';
import { countNoise, dueNoise, NOISE_PERIOD_MS, noteRead, parseNoise, parseReads, READ_GAP_MS, readAllowed } from '../../src/core/webhook-trust';
import { capacity, effectiveRate, emptyLimiter, recordCalls, REPROBE_MS, WINDOW_MS } from '../../src/core/limiter';
import { notTheirs } from '../../src/core/webhook-trust';
import { JAKARTA } from './zone';

describe('item columns, as people type the headers', () => {
  it('allow spaces around the word, the colon and the label, and keep the words of the label', () => {
    expect(itemColumns(['  Rincian  :  Uang Gedung  ', 'ITEM:Seragam', 7, true, 'Rincianx: a', 'x Rincian: b', 'Rincian b'])).toEqual([
      { column: 0, label: 'Uang Gedung', header: 'Rincian  :  Uang Gedung' },
      { column: 1, label: 'Seragam', header: 'ITEM:Seragam' },
    ]);
    expect(hasItemColumns(['Nama', 'Rincian: SPP'])).toBe(true);
    expect(hasItemColumns([])).toBe(false);
  });
});

describe('item cells', () => {
  const columns = itemColumns(['Rincian: SPP', 'Rincian: Buku', 'Rincian: Seragam']);

  it('add up every filled item, and a missing cell at the end of a row is no item', () => {
    expect(readItems([350_000, 'Rp 75.000', 125_000], columns)).toEqual({
      ok: true,
      items: [
        { description: 'SPP', rate: 350_000 },
        { description: 'Buku', rate: 75_000 },
        { description: 'Seragam', rate: 125_000 },
      ],
      total: 550_000,
    });
    expect(readItems([350_000], columns)).toEqual({ ok: true, items: [{ description: 'SPP', rate: 350_000 }], total: 350_000 });
    expect(readItems(['  ', 0, '-0'], columns)).toEqual({ ok: true, items: [], total: 0 });
  });

  it('take a number a hair off whole rupiah (the sheet’s floating point) as that whole amount', () => {
    expect(readItems([350_000.0000001, 74_999.9999999, ''], columns)).toEqual({
      ok: true,
      items: [
        { description: 'SPP', rate: 350_000 },
        { description: 'Buku', rate: 75_000 },
      ],
      total: 425_000,
    });
  });

  it('refuse a fraction, a negative, an ambiguous separator, a tick box and a date, naming each cell', () => {
    const fractions = readItems([1500.5, 'Rp 1.500,50', -0.25], columns);
    expect(fractions).toEqual({
      ok: false,
      errors: [
        { column: 0, header: 'Rincian: SPP', message: { key: 'amount.fraction', params: { value: '1500.5' } } },
        { column: 1, header: 'Rincian: Buku', message: { key: 'amount.fraction', params: { value: 'Rp 1.500,50' } } },
        { column: 2, header: 'Rincian: Seragam', message: { key: 'amount.negative', params: { value: '-0.25' } } },
      ],
    });
    expect(readItems(['1.500,000', '-Rp 5.000', true], columns)).toEqual({
      ok: false,
      errors: [
        { column: 0, header: 'Rincian: SPP', message: { key: 'amount.ambiguous', params: { value: '1.500,000' } } },
        { column: 1, header: 'Rincian: Buku', message: { key: 'amount.negative', params: { value: '-Rp 5.000' } } },
        { column: 2, header: 'Rincian: Seragam', message: { key: 'amount.notRupiah', params: { value: 'TRUE' } } },
      ],
    });
    const dated = readItems([new Date('2026-11-25T00:00:00Z'), 1, 2], columns);
    expect(dated.ok).toBe(false);
    if (!dated.ok) expect(dated.errors.map((e) => [e.column, e.message.key])).toEqual([[0, 'amount.notRupiah']]);
  });

  it('one bad cell refuses the whole row: no partial invoice', () => {
    expect(readItems([350_000, 'gratis', 75_000], columns).ok).toBe(false);
  });

  it('for a template: the items when readable, none when not, none without headers or cells', () => {
    const headers = ['Nama', 'Rincian: SPP', 'Rincian: Buku'];
    expect(itemsOf(headers, ['Budi', 350_000, 75_000])).toEqual([
      { description: 'SPP', rate: 350_000 },
      { description: 'Buku', rate: 75_000 },
    ]);
    expect(itemsOf(headers, ['Budi', 350_000, 'gratis'])).toEqual([]);
    expect(itemsOf(undefined, ['Budi', 350_000])).toEqual([]);
    expect(itemsOf(headers, undefined)).toEqual([]);
  });
});

describe('expiry', () => {
  const NOW = Date.UTC(2026, 10, 25, 3);
  it('a link expiring this very millisecond has expired; a cell passed this millisecond is an edited one', () => {
    expect(decideExpiry({ cellAt: null, sentAt: NOW }, NOW)).toEqual({ expired: true });
    expect(decideExpiry({ cellAt: NOW, sentAt: NOW + 1 }, NOW)).toEqual({ expired: false, edited: true, sentAt: NOW + 1 });
    expect(decideExpiry({ cellAt: NOW + 1, sentAt: NOW + 1 }, NOW)).toEqual({ expired: false, edited: false });
  });

  it('Mayar’s expiry decides over the note both ways; without it (null) the note does', () => {
    expect(decideExpiry({ cellAt: NOW + 1000, sentAt: NOW + 1000, mayarAt: NOW - 1 }, NOW)).toEqual({ expired: true });
    expect(decideExpiry({ cellAt: NOW - 1, sentAt: NOW - 1, mayarAt: NOW + 5 }, NOW)).toEqual({ expired: false, edited: true, sentAt: NOW + 5 });
    expect(decideExpiry({ cellAt: NOW + 1000, sentAt: NOW - 1, mayarAt: null }, NOW)).toEqual({ expired: true });
  });

  it('reads the Expires At cell: a date is the end of that day in the sheet’s zone, past or not; blank or unreadable is none', () => {
    expect(expiryOf('2020-01-31', JAKARTA)).toBe(Date.UTC(2020, 0, 31, 16, 59, 59));
    expect(expiryOf('2026-12-31 10:00', JAKARTA)).toBe(Date.UTC(2026, 11, 31, 3, 0, 0));
    expect(expiryOf(undefined, JAKARTA)).toBeNull();
    expect(expiryOf('  ', JAKARTA)).toBeNull();
    expect(expiryOf('next week', JAKARTA)).toBeNull();
  });

  it('reads the note’s instant with or without milliseconds, and nothing from a note without one', () => {
    expect(sentExpiryOf('expires … [2026-12-31T16:59:59.123Z] see Mayar')).toBe(Date.UTC(2026, 11, 31, 16, 59, 59, 123));
    expect(sentExpiryOf(undefined)).toBeNull();
    expect(sentExpiryOf('2026-12-31T16:59:59Z')).toBeNull();
    expect(sentExpiryTag(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('[2026-01-02T03:04:05.000Z]');
  });
});

describe('sizes of stored values', () => {
  it('count UTF-8 bytes at each width boundary', () => {
    for (const count of [(text: string) => utf8Bytes(text), (text: string) => utf8Bytes(text, Infinity)]) {
      expect(count('')).toBe(0);
      expect(count('\u007f')).toBe(1);
      expect(count('\u0080')).toBe(2);
      expect(count('\u07ff')).toBe(2);
      expect(count('\u0800')).toBe(3);
      expect(count('\ud7ff')).toBe(3);
      expect(count('\uffff')).toBe(3);
      expect(count('😀a')).toBe(5);
      // The first and the last code point above the 16-bit range.
      expect(count('\u{10000}')).toBe(4);
      expect(count('\u{10FFFF}')).toBe(4);
      expect(count('Rp 1.500 — lunas ✓')).toBe(22);
    }
    // A lone low surrogate (a broken emoji) is three bytes, as UTF-8 replaces it.
    expect(utf8Bytes('\udc00a')).toBe(4);
  });

  it('stop counting a body just past the limit', () => {
    expect(utf8Bytes('x'.repeat(10), 5)).toBe(6);
    expect(utf8Bytes('é'.repeat(10), 5)).toBe(6);
    expect(utf8Bytes('x'.repeat(10), 10)).toBe(10);
  });

  it('are written as people read them, in each language', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(1023, 'en')).toBe('1023 bytes');
    expect(formatBytes(1023, 'id')).toBe('1023 byte');
    expect(formatBytes(1024, 'en')).toBe('1.0 KB');
    expect(formatBytes(1025, 'en')).toBe('1.1 KB');
    expect(formatBytes(9523, 'id')).toBe('9,3 KB');
    expect(formatBytes(PROPERTY_VALUE_BYTES, 'en')).toBe('9.0 KB');
    expect(PROPERTY_VALUE_BYTES).toBe(9216);
  });
});

describe('webhook noise', () => {
  it('reads back only well-formed counts, whatever else the property holds', () => {
    expect(parseNoise('5')).toEqual({});
    expect(parseNoise('null')).toEqual({});
    expect(
      parseNoise(
        JSON.stringify({
          stray: { pending: 2, loggedAt: 7, sample: 99 },
          refused: { pending: 1, loggedAt: 'yesterday', sample: 'x' },
        }),
      ),
    ).toEqual({ stray: { pending: 2, loggedAt: 7, sample: '' } });
    expect(parseNoise(JSON.stringify({ stray: 3, refused: { pending: 4, loggedAt: 8, sample: 's' } }))).toEqual({
      refused: { pending: 4, loggedAt: 8, sample: 's' },
    });
    expect(parseNoise(JSON.stringify({ stray: { loggedAt: 8 } }))).toEqual({});
    expect(parseNoise(JSON.stringify({ stray: null, refused: { pending: 4, loggedAt: 8, sample: 's' } }))).toEqual({
      refused: { pending: 4, loggedAt: 8, sample: 's' },
    });
  });

  it('keeps each kind apart: a refused body neither writes nor resets the stray count', () => {
    let state = countNoise({}, 'stray', 's1', 0).state;
    state = countNoise(state, 'stray', 's2', 10).state;
    const refused = countNoise(state, 'refused', 'r1', NOISE_PERIOD_MS + 5);
    expect(refused.line).toEqual({ kind: 'refused', count: 1, sample: 'r1' });
    expect(refused.state.stray).toEqual({ pending: 1, loggedAt: 0, sample: 's2' });
    const both = countNoise(refused.state, 'refused', 'r2', NOISE_PERIOD_MS + 6);
    expect(both.line).toBeNull();
    const due = dueNoise(both.state, 3 * NOISE_PERIOD_MS);
    expect(due.lines).toEqual([
      { kind: 'stray', count: 1, sample: 's2' },
      { kind: 'refused', count: 1, sample: 'r2' },
    ]);
    expect(due.line).toEqual({ kind: 'stray', count: 1, sample: 's2' });
    expect(due.state).toEqual({
      stray: { pending: 0, loggedAt: 3 * NOISE_PERIOD_MS, sample: '' },
      refused: { pending: 0, loggedAt: 3 * NOISE_PERIOD_MS, sample: '' },
    });
  });

  it('keeps at most 200 characters of a sample body', () => {
    const line = countNoise({}, 'refused', 'x'.repeat(500), 0).line;
    expect(line?.sample).toBe('x'.repeat(200));
  });

  it('writes nothing for a kind with nothing counted, however long ago its last line', () => {
    expect(dueNoise({ stray: { pending: 0, loggedAt: 0, sample: '' } }, 10 * NOISE_PERIOD_MS)).toEqual({
      state: { stray: { pending: 0, loggedAt: 0, sample: '' } },
      line: null,
      lines: [],
    });
  });
});

describe('webhook reads of a payment', () => {
  it('reads back only times, whatever else the property holds', () => {
    expect(parseReads(JSON.stringify({ p: 5, q: 'x', r: null }))).toEqual({ p: 5 });
    expect(parseReads('7')).toEqual({});
    expect(parseReads('null')).toEqual({});
    expect(parseReads('{')).toEqual({});
  });

  it('allows a read again when the clock went back (a read "in the future" is not trusted)', () => {
    expect(readAllowed({ p: 1000 }, 'p', 999)).toBe(true);
    expect(readAllowed({ p: 1000 }, 'p', 1000)).toBe(false);
  });

  it('at real clock times: one read per payment per gap, the gap measured from the last read', () => {
    const T0 = 1_750_000_000_000;
    const reads = noteRead({}, 'p', T0);
    expect(readAllowed(reads, 'p', T0 + 1)).toBe(false);
    expect(readAllowed(reads, 'p', T0 + READ_GAP_MS)).toBe(true);
    expect(noteRead({ old: T0 - READ_GAP_MS, recent: T0 - READ_GAP_MS + 1, same: T0, future: T0 + 1 }, 'p', T0)).toEqual({
      recent: T0 - READ_GAP_MS + 1,
      same: T0,
      p: T0,
    });
  });

  it('a payment read again is the last to be forgotten', () => {
    let reads: Record<string, number> = {};
    for (let i = 0; i < 200; i++) reads = noteRead(reads, `p${i}`, 1000 + i);
    reads = noteRead(reads, 'p0', 2000);
    reads = noteRead(reads, 'new', 2001);
    expect(Object.keys(reads)).toHaveLength(200);
    expect(reads.p0).toBe(2000);
    expect(reads.p1).toBeUndefined();
    expect(reads.new).toBe(2001);
  });

  it('forgets reads from the future and the oldest past 200, and keeps the one just made', () => {
    expect(noteRead({ p: 50, future: 500 }, 'q', 100)).toEqual({ p: 50, q: 100 });
    expect(noteRead({ p: 100 }, 'p', 100 + READ_GAP_MS)).toEqual({ p: 100 + READ_GAP_MS });
    expect(noteRead({ p: 100, r: 101 }, 'q', 100 + READ_GAP_MS)).toEqual({ r: 101, q: 100 + READ_GAP_MS });
    const many: Record<string, number> = {};
    for (let i = 0; i < 250; i++) many[`p${i}`] = i;
    const kept = noteRead(many, 'new', 1000);
    expect(Object.keys(kept)).toHaveLength(200);
    expect(kept.new).toBe(1000);
    expect(kept.p51).toBe(51);
    expect(kept.p50).toBeUndefined();
  });
});

describe('a record read from Mayar for a row', () => {
  it('never confirms a row without an amount, even when Mayar gives none either', () => {
    expect(notTheirs({ paymentId: 'p1', amount: null }, { paymentId: 'p1', amount: null })).toEqual({ kind: 'otherAmount', amount: null });
  });
});

describe('the limiter at its edges', () => {
  const T0 = 1_750_000_000_000;
  it('counts every call sent, even a batch beyond the pace: 25 accepted from a fresh start is a pace of 25', () => {
    const state = recordCalls(emptyLimiter(), T0, 25);
    expect(effectiveRate(state, 50, T0)).toBe(25);
    expect(capacity(recordCalls(emptyLimiter(), T0, 5), T0 + 1, 50)).toEqual({ available: 15, waitMs: 0 });
  });

  it('holds a 429 ceiling for exactly REPROBE_MS', () => {
    const state = { ...emptyLimiter(), pace: 30, ceiling: 10, ceilingAt: T0 };
    expect(effectiveRate(state, 50, T0 + REPROBE_MS - 1)).toBe(10);
    expect(effectiveRate(state, 50, T0 + REPROBE_MS)).toBe(30);
  });

  it('is free again the very millisecond a block ends, and a call exactly a window old no longer counts', () => {
    expect(capacity({ ...emptyLimiter(), blockedUntil: T0 }, T0, 50)).toEqual({ available: 20, waitMs: 0 });
    expect(capacity({ ...emptyLimiter(), sent: [T0 - WINDOW_MS, T0 - WINDOW_MS + 1] }, T0, 50)).toEqual({ available: 19, waitMs: 0 });
  });

  it('reads a fractional or zero setting as a whole pace of at least one', () => {
    expect(effectiveRate({ ...emptyLimiter(), pace: 20.7 }, 50)).toBe(20);
    expect(capacity(emptyLimiter(), T0, 0)).toEqual({ available: 1, waitMs: 0 });
  });
});
