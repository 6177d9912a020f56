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
  REPROBE_MS,
  START_RATE,
  startRun,
  WINDOW_MS,
} from '../../src/core/limiter';

const T0 = 1_750_000_000_000;

function withCalls(...batches: [at: number, count: number][]): LimiterState {
  let state = emptyLimiter();
  for (const [at, count] of batches) state = recordCalls(state, at, count);
  return state;
}

describe('parseLimiter', () => {
  it('starts empty without stored state, and replaces damaged fields with their empty value', () => {
    expect(parseLimiter(null)).toEqual(emptyLimiter());
    expect(parseLimiter('not json')).toEqual(emptyLimiter());
    expect(parseLimiter('42')).toEqual(emptyLimiter());
    expect(parseLimiter(JSON.stringify({ sent: 'x', blockedUntil: 'soon', pace: 'fast', ceiling: [], recent: [1] }))).toEqual(emptyLimiter());
    const state: LimiterState = { sent: [T0, T0 + 5], blockedUntil: T0 + 9, pace: 31, ceiling: 31, ceilingAt: T0, recent: { k: T0 } };
    expect(parseLimiter(JSON.stringify(state))).toEqual(state);
  });

  it('stays small: a full minute of 50 calls and 50 recent creates fit in well under 9 KB', () => {
    let state = emptyLimiter();
    for (let i = 0; i < 50; i++) state = recordCreates(recordCalls(state, T0 + i * 1_000, 1), T0 + i * 1_000, [`key-${i}`]);
    expect(JSON.stringify(state).length).toBeLessThan(3_000);
  });
});

/**
 * A Mayar that allows `allowed` requests in any 60 s (its window), answering 429 with
 * Retry-After beyond; the limiter sends `total` requests through it the way a run does: a burst
 * of what capacity() gives (at most 25 in one fetchAll), 300 ms a reply, waiting when told.
 */
function runAgainst(allowed: number, total: number, configured = 50): { minutes: number; tooMany: number; sent: number } {
  let state = startRun(emptyLimiter());
  let now = T0;
  let done = 0;
  let tooMany = 0;
  let sent = 0;
  const accepted: number[] = [];
  while (done < total) {
    const room = capacity(state, now, configured);
    if (room.available === 0) {
      now += room.waitMs;
      continue;
    }
    const chunk = Math.min(room.available, 25, total - done);
    const before = state.sent.filter((t) => t > now - WINDOW_MS).length;
    state = recordCalls(state, now, chunk);
    let ok = 0;
    let retryAfter: number | null = null;
    for (let i = 0; i < chunk; i++) {
      sent++;
      while (accepted.length && (accepted[0] ?? 0) <= now - 60_000) accepted.shift();
      if (accepted.length >= allowed) {
        tooMany++;
        retryAfter = Math.ceil(((accepted[0] ?? now) + 60_000 - now) / 1000) * 1000;
      } else {
        accepted.push(now);
        ok++;
      }
    }
    done += ok;
    now += 300;
    if (retryAfter !== null) state = onTooManyRequests(state, now, retryAfter, before + ok, configured);
  }
  return { minutes: (now - T0) / 60_000, tooMany, sent };
}

describe('the pace against Mayar', () => {
  it('starts at the documented 20 a minute, in one burst', () => {
    expect(capacity(emptyLimiter(), T0, 50)).toEqual({ available: START_RATE, waitMs: 0 });
    expect(effectiveRate(emptyLimiter(), 50)).toBe(20);
  });

  it('probes above what Mayar accepted one request at a time, never a burst', () => {
    const state = withCalls([T0, 20]);
    expect(capacity(state, T0 + 1_000, 50)).toEqual({ available: 1, waitMs: 0 });
    // Accepted: the pace grows with it.
    const probed = recordCalls(state, T0 + 1_000, 1);
    expect(effectiveRate(probed, 50)).toBe(21);
    // Never above the configured most.
    expect(capacity(withCalls([T0, 50]), T0 + 1_000, 50)).toMatchObject({ available: 0 });
    expect(capacity(withCalls([T0, 10]), T0 + 1_000, 10)).toMatchObject({ available: 0 });
  });

  it('1,000 requests where Mayar allows 50 a minute: about 20 minutes, within 1.15x the floor, not 50', () => {
    const run = runAgainst(50, 1_000);
    expect(run.minutes).toBeLessThanOrEqual(1.15 * 20);
    expect(run.tooMany / run.sent).toBeLessThanOrEqual(0.02);
  });

  it('1,000 requests where Mayar allows 20 a minute: within 1.15x the 50-minute floor, at most 2% answered 429', () => {
    const run = runAgainst(20, 1_000);
    expect(run.minutes).toBeLessThanOrEqual(1.15 * 50);
    expect(run.tooMany / run.sent).toBeLessThanOrEqual(0.02);
  });

  it('finds a limit between the two (35 a minute) and keeps to it', () => {
    const run = runAgainst(35, 700);
    expect(run.minutes).toBeLessThanOrEqual(1.15 * 20);
    expect(run.tooMany / run.sent).toBeLessThanOrEqual(0.02);
  });

  it('a 429 blocks for Retry-After, paces to what Mayar accepted, and holds that ceiling before probing again', () => {
    const state = onTooManyRequests(withCalls([T0, 20]), T0 + 5_000, 30_000, 20, 50);
    expect(capacity(state, T0 + 6_000, 50)).toEqual({ available: 0, waitMs: 29_000 });
    // After the window: 20 at once, and no probe above them while the ceiling holds.
    const later = recordCalls(state, T0 + WINDOW_MS + 1, 20);
    expect(capacity(later, T0 + WINDOW_MS + 2, 50)).toMatchObject({ available: 0 });
    // REPROBE_MS later, one probe again.
    const muchLater = recordCalls(state, T0 + 5_000 + REPROBE_MS, 20);
    expect(capacity(muchLater, T0 + 5_000 + REPROBE_MS + 1, 50)).toEqual({ available: 1, waitMs: 0 });
    // Without Retry-After, a whole window; a longer block is kept.
    expect(onTooManyRequests(emptyLimiter(), T0, null, 10, 50).blockedUntil).toBe(T0 + WINDOW_MS);
    expect(onTooManyRequests({ ...emptyLimiter(), blockedUntil: T0 + 90_000 }, T0, 5_000, 10, 50).blockedUntil).toBe(T0 + 90_000);
  });

  it('refused within its pace (others share the address): slower by at least one, half when Mayar accepted nothing, never below one', () => {
    expect(effectiveRate(onTooManyRequests(withCalls([T0, 20]), T0, 0, 20, 20), 20)).toBe(19);
    const halved = onTooManyRequests(emptyLimiter(), T0, 0, 0, 50);
    expect(effectiveRate(halved, 50, T0)).toBe(10);
    expect(effectiveRate(onTooManyRequests(halved, T0, 0, 0, 50), 50, T0)).toBe(5);
    expect(effectiveRate(onTooManyRequests({ ...emptyLimiter(), pace: 1, ceiling: 1, ceilingAt: T0 }, T0, 0, 0, 50), 50, T0)).toBe(1);
  });

  it('a new run starts at 20 again, keeping the calls, the block, a recent ceiling and recent creates', () => {
    const state: LimiterState = { sent: [T0], blockedUntil: T0 + 5, pace: 40, ceiling: 40, ceilingAt: T0, recent: { k: T0 } };
    expect(startRun(state)).toEqual({ ...state, pace: null });
    expect(capacity(startRun(state), T0 + 10, 50)).toEqual({ available: 19, waitMs: 0 });
  });

  it('slides: calls leave the window in the order they were sent, whatever order they were stored in', () => {
    const state: LimiterState = { ...emptyLimiter(), sent: [T0 + 30_000, T0, T0 + 10_000] };
    expect(capacity(state, T0 + 40_000, 3)).toEqual({ available: 0, waitMs: WINDOW_MS - 40_000 });
    expect(capacity(withCalls([T0, 5], [T0 + 10_000, 15]), T0 + WINDOW_MS, 20)).toEqual({ available: 5, waitMs: 0 });
    expect(recordCalls(withCalls([T0 - WINDOW_MS, 1]), T0, 2).sent).toEqual([T0, T0]);
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
