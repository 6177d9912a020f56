/**
 * Pacing to Mayar's rate limit (20 requests a minute by default), shared by every execution of
 * the document: the state lives in document properties and counts every Mayar call. It also
 * remembers recent creates per customer and amount, because Mayar refuses a second create for
 * the same customer and amount within about a minute.
 */
import * as z from 'zod/mini';
import { lazy, withFallback } from './schema';
import { hashString } from './fingerprint';
import type { PaymentRequest } from './types';

export const WINDOW_MS = 61_000; // Mayar's minute, plus a second for clock skew and latency
export const DUPLICATE_WINDOW_MS = 65_000;

export const limiterStateSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    sent: withFallback(z.array(z.number()), []),
    blockedUntil: withFallback(z.number(), 0),
    /** Requests per minute Mayar actually allowed when it answered 429; null when never limited. */
    learned: withFallback(z.nullable(z.number()), null),
    /** Duplicate-rule key → time of the last create sent with it. */
    recent: withFallback(z.record(z.string(), z.number()), {}),
  }),
);
export type LimiterState = z.infer<ReturnType<typeof limiterStateSchema>>;

export function emptyLimiter(): LimiterState {
  return { sent: [], blockedUntil: 0, learned: null, recent: {} };
}

export function parseLimiter(text: string | null): LimiterState {
  if (!text) return emptyLimiter();
  try {
    return limiterStateSchema().parse(JSON.parse(text));
  } catch {
    return emptyLimiter();
  }
}

export function effectiveRate(state: LimiterState, configured: number): number {
  return Math.max(1, Math.min(configured, state.learned ?? configured));
}

/** How many calls may go out now, or how long until the next one may. */
export function capacity(state: LimiterState, now: number, configured: number): { available: number; waitMs: number } {
  if (now < state.blockedUntil) return { available: 0, waitMs: state.blockedUntil - now };
  const rate = effectiveRate(state, configured);
  const inWindow = state.sent.filter((t) => t > now - WINDOW_MS).sort((a, b) => a - b);
  const available = rate - inWindow.length;
  if (available > 0) return { available, waitMs: 0 };
  const freeing = inWindow[inWindow.length - rate] ?? now;
  return { available: 0, waitMs: Math.max(1, freeing + WINDOW_MS - now) };
}

export function recordCalls(state: LimiterState, now: number, count: number): LimiterState {
  const kept = state.sent.filter((t) => t > now - WINDOW_MS);
  for (let i = 0; i < count; i++) kept.push(now);
  return { ...state, sent: kept };
}

/**
 * A 429 "Too Many Requests" although we paced: honour Retry-After and, for the rest of the
 * run, pace to what Mayar accepted in the last window. When it accepted nothing (others on
 * Google's shared addresses used the limit), that says little about our share: halve instead
 * of dropping to one a minute.
 */
export function onTooManyRequests(state: LimiterState, now: number, retryAfterMs: number | null, acceptedInWindow: number, configured: number): LimiterState {
  const blockedUntil = Math.max(state.blockedUntil, now + (retryAfterMs ?? WINDOW_MS));
  const current = effectiveRate(state, configured);
  const target = acceptedInWindow > 0 ? acceptedInWindow : Math.floor(current / 2);
  const learned = Math.max(1, Math.min(current - 1, target));
  return { ...state, blockedUntil, learned };
}

/** Forgets a learned slowdown: a new run starts at the configured pace. */
export function startRun(state: LimiterState): LimiterState {
  return { ...state, learned: null };
}

/** Keys under which Mayar's duplicate rule could see two creates as the same customer and amount. */
export function duplicateKeys(request: Pick<PaymentRequest, 'name' | 'amount' | 'email' | 'mobile'>): string[] {
  const keys = [`n:${request.name.trim().toLowerCase()}`];
  if (request.email) keys.push(`e:${request.email.trim().toLowerCase()}`);
  if (request.mobile) keys.push(`m:${request.mobile}`);
  return keys.map((k) => hashString(`${request.amount}|${k}`));
}

/** When a create with these keys may go out without tripping the duplicate rule. */
export function duplicateFreeAt(state: LimiterState, keys: readonly string[]): number {
  let at = 0;
  for (const key of keys) {
    const last = state.recent[key];
    if (last !== undefined) at = Math.max(at, last + DUPLICATE_WINDOW_MS);
  }
  return at;
}

export function recordCreates(state: LimiterState, now: number, keys: readonly string[]): LimiterState {
  const recent: Record<string, number> = {};
  for (const [key, at] of Object.entries(state.recent)) if (at > now - DUPLICATE_WINDOW_MS) recent[key] = at;
  for (const key of keys) recent[key] = now;
  return { ...state, recent };
}
