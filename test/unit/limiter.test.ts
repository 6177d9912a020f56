import { describe, expect, it } from 'vitest';
import {
  capacity,
  DUPLICATE_WINDOW_MS,
  duplicateFreeAt,
  duplicateKeys,
  effectiveRate,
  emptyLimiter,
  type LimiterState,
  onTooManyRequests,
  parseLimiter,
  recordCalls,
  recordCreates,
  startRun,
  WINDOW_MS,
} from '../../src/core/limiter';

const T0 = 1_750_000_000_000;

function withCalls(...batches: [at: number, count: number][]): LimiterState {
  let state = emptyLimiter();
  for (const [at, count] of batches) state = recordCalls(state, at, count);
  return state;
}

describe('window constants', () => {
  it('are a minute plus margins', () => {
    expect(WINDOW_MS).toBe(61_000);
    expect(DUPLICATE_WINDOW_MS).toBe(65_000);
  });
});

describe('parseLimiter', () => {
  it('starts empty without stored state', () => {
    expect(parseLimiter(null)).toEqual({ sent: [], blockedUntil: 0, learned: null, recent: {} });
    expect(parseLimiter('')).toEqual(emptyLimiter());
    expect(parseLimiter('not json')).toEqual(emptyLimiter());
    expect(parseLimiter('42')).toEqual(emptyLimiter());
  });

  it('round-trips a stored state', () => {
    const state: LimiterState = { sent: [T0, T0 + 5], blockedUntil: T0 + 9, learned: 12, recent: { k: T0 } };
    expect(parseLimiter(JSON.stringify(state))).toEqual(state);
  });

  it('replaces damaged fields with their empty value', () => {
    expect(parseLimiter(JSON.stringify({ sent: 'x', blockedUntil: 'soon', learned: 'fast', recent: [1] }))).toEqual(emptyLimiter());
    expect(parseLimiter(JSON.stringify({ sent: [T0] }))).toEqual({ sent: [T0], blockedUntil: 0, learned: null, recent: {} });
  });
});

describe('effectiveRate', () => {
  it('is the configured rate, or a lower learned one, never below 1', () => {
    expect(effectiveRate(emptyLimiter(), 20)).toBe(20);
    expect(effectiveRate({ ...emptyLimiter(), learned: 12 }, 20)).toBe(12);
    expect(effectiveRate({ ...emptyLimiter(), learned: 30 }, 20)).toBe(20);
    expect(effectiveRate({ ...emptyLimiter(), learned: 0 }, 20)).toBe(1);
    expect(effectiveRate(emptyLimiter(), 0)).toBe(1);
  });
});

describe('capacity', () => {
  it('allows the configured rate when nothing was sent', () => {
    expect(capacity(emptyLimiter(), T0, 20)).toEqual({ available: 20, waitMs: 0 });
  });

  it('counts calls in the window', () => {
    expect(capacity(withCalls([T0, 7]), T0 + 1_000, 20)).toEqual({ available: 13, waitMs: 0 });
  });

  it('waits until the oldest call leaves the window when full', () => {
    const state = withCalls([T0, 20]);
    expect(capacity(state, T0 + 1_000, 20)).toEqual({ available: 0, waitMs: WINDOW_MS - 1_000 });
    expect(capacity(state, T0 + WINDOW_MS - 1, 20)).toEqual({ available: 0, waitMs: 1 });
    expect(capacity(state, T0 + WINDOW_MS, 20)).toEqual({ available: 20, waitMs: 0 });
  });

  it('slides: calls leave the window one batch at a time', () => {
    const state = withCalls([T0, 5], [T0 + 10_000, 15]);
    expect(capacity(state, T0 + 20_000, 20)).toEqual({ available: 0, waitMs: WINDOW_MS - 20_000 });
    expect(capacity(state, T0 + WINDOW_MS, 20)).toEqual({ available: 5, waitMs: 0 });
    expect(capacity(state, T0 + WINDOW_MS + 5_000, 20)).toEqual({ available: 5, waitMs: 0 });
    expect(capacity(state, T0 + 10_000 + WINDOW_MS, 20)).toEqual({ available: 20, waitMs: 0 });
  });

  it('waits for enough calls to leave when more were sent than a lowered rate allows', () => {
    // 20 calls, one a second; Mayar then allowed only 10.
    let state = emptyLimiter();
    for (let i = 0; i < 20; i++) state = recordCalls(state, T0 + i * 1_000, 1);
    state = { ...state, learned: 10 };
    const now = T0 + 20_000;
    // The 11th oldest (sent at T0 + 10 s) must leave before a call may go out.
    expect(capacity(state, now, 20)).toEqual({ available: 0, waitMs: T0 + 10_000 + WINDOW_MS - now });
    expect(capacity(state, T0 + 10_000 + WINDOW_MS, 20)).toEqual({ available: 1, waitMs: 0 });
  });

  it('orders calls by time, whatever order they were stored in', () => {
    const state: LimiterState = { ...emptyLimiter(), sent: [T0 + 30_000, T0, T0 + 10_000] };
    expect(capacity(state, T0 + 40_000, 3)).toEqual({ available: 0, waitMs: T0 + WINDOW_MS - (T0 + 40_000) });
  });

  it('gives nothing while blocked by Retry-After', () => {
    const state = { ...emptyLimiter(), blockedUntil: T0 + 30_000 };
    expect(capacity(state, T0, 20)).toEqual({ available: 0, waitMs: 30_000 });
    expect(capacity(state, T0 + 29_999, 20)).toEqual({ available: 0, waitMs: 1 });
    expect(capacity(state, T0 + 30_000, 20)).toEqual({ available: 20, waitMs: 0 });
  });
});

describe('recordCalls', () => {
  it('adds calls at now and drops those out of the window, without changing the input', () => {
    const before: LimiterState = { ...emptyLimiter(), sent: [T0 - WINDOW_MS, T0 - WINDOW_MS + 1] };
    const after = recordCalls(before, T0, 2);
    expect(after.sent).toEqual([T0 - WINDOW_MS + 1, T0, T0]);
    expect(before.sent).toEqual([T0 - WINDOW_MS, T0 - WINDOW_MS + 1]);
    expect(recordCalls(before, T0, 0).sent).toEqual([T0 - WINDOW_MS + 1]);
  });
});

describe('onTooManyRequests', () => {
  it('blocks for Retry-After and learns what Mayar accepted', () => {
    const state = onTooManyRequests(withCalls([T0, 15]), T0 + 100, 30_000, 15, 20);
    expect(state.blockedUntil).toBe(T0 + 30_100);
    expect(state.learned).toBe(15);
    expect(state.sent).toHaveLength(15);
    expect(capacity(state, T0 + 1_000, 20)).toEqual({ available: 0, waitMs: 29_100 });
  });

  it('blocks for a whole window without Retry-After', () => {
    expect(onTooManyRequests(emptyLimiter(), T0, null, 10, 20).blockedUntil).toBe(T0 + WINDOW_MS);
  });

  it('keeps a longer block', () => {
    const blocked = { ...emptyLimiter(), blockedUntil: T0 + 90_000 };
    expect(onTooManyRequests(blocked, T0, 5_000, 10, 20).blockedUntil).toBe(T0 + 90_000);
  });

  it('always slows down by at least one, and never below one a minute', () => {
    expect(onTooManyRequests(emptyLimiter(), T0, 0, 25, 20).learned).toBe(19);
    expect(onTooManyRequests(emptyLimiter(), T0, 0, 20, 20).learned).toBe(19);
    expect(onTooManyRequests({ ...emptyLimiter(), learned: 1 }, T0, 0, 5, 20).learned).toBe(1);
    expect(onTooManyRequests({ ...emptyLimiter(), learned: 1 }, T0, 0, 0, 20).learned).toBe(1);
  });

  it('halves the pace when Mayar accepted nothing, instead of dropping to one a minute', () => {
    const once = onTooManyRequests(emptyLimiter(), T0, 0, 0, 20);
    expect(once.learned).toBe(10);
    expect(onTooManyRequests(once, T0 + 1, 0, 0, 20).learned).toBe(5);
  });

  it('lowers an already learned rate further', () => {
    const once = onTooManyRequests(emptyLimiter(), T0, 0, 15, 20);
    const twice = onTooManyRequests(once, T0 + 1, 0, 15, 20);
    expect(twice.learned).toBe(14);
    expect(effectiveRate(twice, 20)).toBe(14);
  });
});

describe('startRun', () => {
  it('forgets the learned rate but keeps the calls, the block and recent creates', () => {
    const state: LimiterState = { sent: [T0], blockedUntil: T0 + 5, learned: 7, recent: { k: T0 } };
    expect(startRun(state)).toEqual({ sent: [T0], blockedUntil: T0 + 5, learned: null, recent: { k: T0 } });
    expect(capacity(startRun(state), T0 + 10, 20)).toEqual({ available: 19, waitMs: 0 });
  });
});

describe('duplicateKeys', () => {
  const base = { name: 'Budi Santoso', amount: 150_000 };

  it('has one key per identifying field present', () => {
    expect(duplicateKeys(base)).toHaveLength(1);
    expect(duplicateKeys({ ...base, email: 'budi@example.com' })).toHaveLength(2);
    expect(duplicateKeys({ ...base, email: 'budi@example.com', mobile: '6281234567890' })).toHaveLength(3);
    expect(duplicateKeys({ ...base, email: '', mobile: '' })).toHaveLength(1);
  });

  it('ignores case and surrounding spaces in name and email', () => {
    expect(duplicateKeys({ name: '  budi SANTOSO ', amount: 150_000, email: ' BUDI@example.com ' })).toEqual(
      duplicateKeys({ ...base, email: 'budi@example.com' }),
    );
  });

  it('shares a key for the same amount and the same name, email or mobile', () => {
    const [name] = duplicateKeys(base);
    expect(duplicateKeys({ name: 'budi santoso', amount: 150_000, email: 'other@example.com' })).toContain(name);
    const [, email] = duplicateKeys({ ...base, email: 'budi@example.com' });
    expect(duplicateKeys({ name: 'Someone Else', amount: 150_000, email: 'budi@example.com' })).toContain(email);
    const [, mobile] = duplicateKeys({ ...base, mobile: '6281234567890' });
    expect(duplicateKeys({ name: 'Someone Else', amount: 150_000, mobile: '6281234567890' })).toContain(mobile);
  });

  it('shares no key across amounts or different customers', () => {
    const one = duplicateKeys({ ...base, email: 'budi@example.com', mobile: '6281234567890' });
    const otherAmount = duplicateKeys({ ...base, amount: 150_001, email: 'budi@example.com', mobile: '6281234567890' });
    expect(one.filter((k) => otherAmount.includes(k))).toEqual([]);
    const otherCustomer = duplicateKeys({ name: 'Sari', amount: 150_000, email: 'sari@example.com', mobile: '6289999999999' });
    expect(one.filter((k) => otherCustomer.includes(k))).toEqual([]);
  });

  it('does not confuse a name with an email or mobile of the same text', () => {
    const asName = duplicateKeys({ name: '6281234567890', amount: 1000 });
    const asMobile = duplicateKeys({ name: 'x', amount: 1000, mobile: '6281234567890' });
    expect(asMobile).not.toContain(asName[0]);
  });
});

describe('duplicateFreeAt and recordCreates', () => {
  const keys = duplicateKeys({ name: 'Budi', amount: 1000, email: 'budi@example.com' });
  const [nameKey = '', emailKey = ''] = keys;

  it('is free at once for keys never sent', () => {
    expect(duplicateFreeAt(emptyLimiter(), keys)).toBe(0);
    expect(duplicateFreeAt(emptyLimiter(), [])).toBe(0);
  });

  it('is free a duplicate window after the latest create sharing a key', () => {
    const state = recordCreates(recordCreates(emptyLimiter(), T0, [nameKey]), T0 + 10_000, [emailKey]);
    expect(duplicateFreeAt(state, keys)).toBe(T0 + 10_000 + DUPLICATE_WINDOW_MS);
    expect(duplicateFreeAt(state, [nameKey])).toBe(T0 + DUPLICATE_WINDOW_MS);
    expect(duplicateFreeAt(state, ['other'])).toBe(0);
  });

  it('records creates at now, replacing older times, without changing the input', () => {
    const first = recordCreates(emptyLimiter(), T0, keys);
    expect(first.recent).toEqual({ [nameKey]: T0, [emailKey]: T0 });
    const second = recordCreates(first, T0 + 1_000, [nameKey]);
    expect(second.recent).toEqual({ [nameKey]: T0 + 1_000, [emailKey]: T0 });
    expect(first.recent).toEqual({ [nameKey]: T0, [emailKey]: T0 });
  });

  it('prunes creates older than the duplicate window', () => {
    const state = recordCreates(emptyLimiter(), T0, [nameKey]);
    expect(recordCreates(state, T0 + DUPLICATE_WINDOW_MS - 1, []).recent).toEqual({ [nameKey]: T0 });
    expect(recordCreates(state, T0 + DUPLICATE_WINDOW_MS, []).recent).toEqual({});
    expect(recordCreates(state, T0 + DUPLICATE_WINDOW_MS, [emailKey]).recent).toEqual({ [emailKey]: T0 + DUPLICATE_WINDOW_MS });
  });
});
