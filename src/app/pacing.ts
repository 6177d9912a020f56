/**
 * Pacing to Mayar's rate limit for the app: the pure limiter (core/limiter) read with the
 * Settings' most and the clock; slots for one-off Mayar calls outside a run (close, webhook,
 * Test connection), and `callOnce` for such a call.
 */
import type { HttpReply, HttpRequestSpec } from '../core/http';
import { capacity, type LimiterState, onTooManyRequests, recordCalls } from '../core/limiter';
import type { AppContext } from './context';

/**
 * Takes up to `wanted` of the document's slots right now and records them before anything
 * is sent; returns how many were granted. `evenIfFull` records one call the person asked for
 * explicitly (Test connection) even when a run is using the window.
 */
export function reserveCalls(ctx: AppContext, wanted: number, evenIfFull = false): number {
  const limiter = ctx.store.limiter();
  const now = ctx.ports.clock.now();
  const granted = evenIfFull ? wanted : Math.min(wanted, capacity(limiter, now, ctx.settings.requestsPerMinute).available);
  if (granted > 0) ctx.store.save({ limiter: recordCalls(limiter, now, granted) });
  return granted;
}

/** How many calls a run may send now, or how long it waits: the limiter at the Settings' most. */
export function roomNow(ctx: AppContext, limiter: LimiterState): { available: number; waitMs: number } {
  return capacity(limiter, ctx.ports.clock.now(), ctx.settings.requestsPerMinute);
}

/** A 429 "Too Many Requests": honour Retry-After and pace to what Mayar accepted (core/limiter). */
export function noteTooManyRequests(ctx: AppContext, limiter: LimiterState, retryAfterMs: number | null, acceptedInWindow: number): LimiterState {
  return onTooManyRequests(limiter, ctx.ports.clock.now(), retryAfterMs, acceptedInWindow, ctx.settings.requestsPerMinute);
}

/**
 * What one call outside a run came to: no slot free (`busy`, only when not asked `evenIfFull`),
 * nothing back (`network`, with why, in the person's language), or Mayar's reply, classified.
 */
export type OneCall<R> = { kind: 'busy' } | { kind: 'network'; details: string } | { kind: 'reply'; result: R };

/** One Mayar call outside a run (Test connection, Diagnostics, the channel check before a start, a webhook's time of payment): a slot reserved, the request sent, the reply classified. */
export function callOnce<R>(ctx: AppContext, request: HttpRequestSpec, classify: (reply: HttpReply) => R, evenIfFull = false): OneCall<R> {
  if (reserveCalls(ctx, 1, evenIfFull) === 0) return { kind: 'busy' };
  const batch = ctx.ports.http.fetchAll([request]);
  if (!batch.ok) return { kind: 'network', details: batch.error };
  const reply = batch.replies[0];
  if (!reply) return { kind: 'network', details: ctx.say('http.noReply') };
  return { kind: 'reply', result: classify(reply) };
}
