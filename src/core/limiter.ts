/**
 * Pacing to Mayar's rate limit, shared by every execution of the document: the state lives in
 * document properties and counts every Mayar call. Mayar's docs say 20 requests a minute per
 * IP, its own agent guide 50 per key: the pace starts at 20 and probes upward, one request at
 * a time above what Mayar has accepted, while no 429 comes, up to the configured most; a 429
 * sets the pace to what Mayar accepted in that minute, honours Retry-After, and holds that
 * ceiling for a while before probing again. It also remembers recent creates per customer and
 * amount, because Mayar refuses a second create for the same customer and amount within about
 * a minute.
 */
import * as z from 'zod/mini';
import { lazy, withFallback } from './schema';
import { hashString } from './fingerprint';
import type { PaymentRequest } from './types';

export const WINDOW_MS = 61_000; // Mayar's minute, plus a second for clock skew and latency
export const DUPLICATE_WINDOW_MS = 65_000;
/** The documented limit: where the pace starts. */
export const START_RATE = 20;
/** How long a 429's ceiling holds before the pace probes above it again. */
export const REPROBE_MS = 10 * 60_000;

export const limiterStateSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    sent: withFallback(z.array(z.number()), []),
    blockedUntil: withFallback(z.number(), 0),
    /** Requests in one window Mayar has accepted (the pace bursts up to it); null: START_RATE. */
    pace: withFallback(z.nullable(z.number()), null),
    /** What Mayar accepted in the window of its last 429, and when: no probing above it for REPROBE_MS. */
    ceiling: withFallback(z.nullable(z.number()), null),
    ceilingAt: withFallback(z.number(), 0),
    /** Duplicate-rule key → time of the last create sent with it. */
    recent: withFallback(z.record(z.string(), z.number()), {}),
  }),
);
export type LimiterState = z.infer<ReturnType<typeof limiterStateSchema>>;

export function emptyLimiter(): LimiterState {
  return { sent: [], blockedUntil: 0, pace: null, ceiling: null, ceilingAt: 0, recent: {} };
}

export function parseLimiter(text: string | null): LimiterState {
  if (!text) return emptyLimiter();
  try {
    return limiterStateSchema().parse(JSON.parse(text));
  } catch {
    return emptyLimiter();
  }
}

function clampRate(rate: number, most: number): number {
  return Math.max(1, Math.min(Math.max(1, most), Math.floor(rate)));
}

/** The most this window may carry now: the configured most, or a recent 429's ceiling. */
function limitAt(state: LimiterState, now: number, configured: number): number {
  const held = state.ceiling !== null && now - state.ceilingAt < REPROBE_MS;
  return clampRate(held && state.ceiling !== null ? state.ceiling : configured, configured);
}

/** The pace sent in bursts: what Mayar accepted so far (START_RATE at first), within the limit. */
export function effectiveRate(state: LimiterState, configured: number, now = 0): number {
  return Math.min(clampRate(state.pace ?? START_RATE, configured), limitAt(state, now, configured));
}

/**
 * How many calls may go out now, or how long until the next one may. Up to the pace they go
 * together; above it, while no 429 holds a ceiling, one at a time: a probe that Mayar refuses
 * costs one 429, not a burst of them.
 */
export function capacity(state: LimiterState, now: number, configured: number): { available: number; waitMs: number } {
  if (now < state.blockedUntil) return { available: 0, waitMs: state.blockedUntil - now };
  const pace = effectiveRate(state, configured, now);
  const limit = limitAt(state, now, configured);
  const inWindow = state.sent.filter((t) => t > now - WINDOW_MS).sort((a, b) => a - b);
  if (inWindow.length < pace) return { available: pace - inWindow.length, waitMs: 0 };
  if (inWindow.length < limit) return { available: 1, waitMs: 0 };
  const freeing = inWindow[inWindow.length - limit] ?? now;
  return { available: 0, waitMs: Math.max(1, freeing + WINDOW_MS - now) };
}

/** Counts calls sent now; with no 429 so far, as many in a window as Mayar has accepted. */
export function recordCalls(state: LimiterState, now: number, count: number): LimiterState {
  const kept = state.sent.filter((t) => t > now - WINDOW_MS);
  for (let i = 0; i < count; i++) kept.push(now);
  const pace = Math.max(state.pace ?? START_RATE, kept.length);
  return { ...state, sent: kept, pace: state.pace === null && pace === START_RATE ? null : pace };
}

/**
 * A 429 "Too Many Requests": honour Retry-After, and pace to what Mayar accepted in the last
 * window, held as a ceiling for REPROBE_MS. When it accepted nothing (others on Google's shared
 * addresses used the limit), that says little about our share: halve instead of dropping to
 * one a minute.
 */
export function onTooManyRequests(state: LimiterState, now: number, retryAfterMs: number | null, acceptedInWindow: number, configured: number): LimiterState {
  const blockedUntil = Math.max(state.blockedUntil, now + (retryAfterMs ?? WINDOW_MS));
  const current = effectiveRate(state, configured, now);
  const limit = limitAt(state, now, configured);
  const accepted = acceptedInWindow > 0 ? acceptedInWindow : Math.floor(current / 2);
  // Refused although the window was not above its limit: slower by at least one.
  const pace = clampRate(accepted >= limit ? limit - 1 : accepted, configured);
  return { ...state, blockedUntil, pace, ceiling: pace, ceilingAt: now };
}

/** A new run starts at the documented pace again; a recent 429's ceiling still holds. */
export function startRun(state: LimiterState): LimiterState {
  return { ...state, pace: null };
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
