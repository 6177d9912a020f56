/** Rate-limit slots for one-off Mayar calls outside a run (close, webhook, Test connection). */
import { capacity, recordCalls } from '../core/limiter';
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
