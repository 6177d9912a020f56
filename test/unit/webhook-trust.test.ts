import { describe, expect, it } from 'vitest';
import {
  countNoise,
  dueNoise,
  MAX_BODY_BYTES,
  NOISE_PERIOD_MS,
  noteRead,
  notTheirs,
  parseNoise,
  parseReads,
  READ_GAP_MS,
  readAllowed,
} from '../../src/core/webhook-trust';
import { utf8Bytes } from '../../src/core/bytes';
import { isMayarId } from '../../src/core/parse';

describe('webhook trust', () => {
  it('takes uuid-like ids of at most 64 characters, nothing that could change a URL path', () => {
    expect(isMayarId('3f2a4b1c-9d8e-4f7a-8b6c-5d4e3f2a1b0c')).toBe(true);
    expect(isMayarId('x'.repeat(64))).toBe(true);
    for (const bad of ['', 'x'.repeat(65), '.', '..', 'a/b', 'a b', 'a%2F', 'é']) expect(isMayarId(bad)).toBe(false);
  });

  it('measures bodies in UTF-8 bytes and stops counting past the limit', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é€😀')).toBe(2 + 3 + 4);
    expect(utf8Bytes('x'.repeat(100_000), MAX_BODY_BYTES)).toBe(MAX_BODY_BYTES + 1);
  });

  it('counts noise: the first of an hour is a line at once, the rest one line an hour later', () => {
    let state = parseNoise(null);
    let result = countNoise(state, 'stray', 'a', 0);
    expect(result.line).toEqual({ kind: 'stray', count: 1, sample: 'a' });
    state = result.state;
    for (let i = 0; i < 11; i++) {
      result = countNoise(state, 'stray', `b${i}`, 1000 + i);
      expect(result.line).toBeNull();
      state = result.state;
    }
    expect(dueNoise(state, NOISE_PERIOD_MS - 1).lines).toEqual([]);
    const due = dueNoise(state, NOISE_PERIOD_MS);
    expect(due.lines).toEqual([{ kind: 'stray', count: 11, sample: 'b10' }]);
    expect(dueNoise(due.state, 3 * NOISE_PERIOD_MS).lines).toEqual([]);
    expect(parseNoise(JSON.stringify(due.state))).toEqual(due.state);
    expect(parseNoise('not json')).toEqual({});
  });

  it('allows one read per payment per gap, and forgets old reads', () => {
    let reads = parseReads(null);
    expect(readAllowed(reads, 'p', 0)).toBe(true);
    reads = noteRead(reads, 'p', 0);
    expect(readAllowed(reads, 'p', READ_GAP_MS - 1)).toBe(false);
    expect(readAllowed(reads, 'q', 1)).toBe(true);
    expect(readAllowed(reads, 'p', READ_GAP_MS)).toBe(true);
    reads = noteRead(reads, 'q', READ_GAP_MS + 1);
    expect(Object.keys(reads)).toEqual(['q']);
    expect(parseReads(JSON.stringify(reads))).toEqual(reads);
  });

  it("a record is the row's only for the row's payment and amount", () => {
    const row = { paymentId: 'p1', amount: 10_000 };
    expect(notTheirs({ paymentId: 'p1', amount: 10_000 }, row)).toBeNull();
    expect(notTheirs({ paymentId: 'p2', amount: 10_000 }, row)).toEqual({ kind: 'otherPayment', paymentId: 'p2' });
    expect(notTheirs({ paymentId: null, amount: 10_000 }, row)).toEqual({ kind: 'otherPayment', paymentId: '' });
    expect(notTheirs({ paymentId: 'p1', amount: 9_999 }, row)).toEqual({ kind: 'otherAmount', amount: 9_999 });
    expect(notTheirs({ paymentId: 'p1', amount: null }, row)).toEqual({ kind: 'otherAmount', amount: null });
    expect(notTheirs({ paymentId: 'p1', amount: 10_000 }, { paymentId: 'p1', amount: null })).toEqual({ kind: 'otherAmount', amount: 10_000 });
  });
});
