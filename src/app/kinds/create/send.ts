/**
 * The steps of sending creates that payment links and invoices share: the rounds of a pass
 * (look up lost creates, then send a chunk), the rows that may go now, the rows already in
 * flight, the calls a chunk takes recorded (and stored) before anything leaves, the replies
 * read, and the pace after a 429.
 */
import type { HttpReply } from '../../../core/http';
import { clip } from '../../../core/cells';
import { hasPayment, type Job, type JobRow, locate } from '../../../core/job';
import type { AppContext } from '../../context';
import { type LimiterState, recordCalls, recordCreates, WINDOW_MS } from '../../../core/limiter';
import type { Classified, Failure } from '../../../core/mayar';
import { markUnknown, notSent } from '../../../core/row-lifecycle';
import { outOfTime, type Pass, type RowResult, type SheetSnapshot, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { noteTooManyRequests } from '../../pacing';

/**
 * Up to ten rounds while the run may go on: the rows in flight are looked up first (a round
 * that wrote to the sheet reads it again), then a chunk is sent; a chunk that cannot be sent
 * or is cut short ends the pass. A chunk normally uses the whole rate window.
 */
export function sendRounds(pass: Pass, reconcileLost: (pass: Pass, snap: SheetSnapshot) => boolean, send: (pass: Pass, snap: SheetSnapshot) => boolean): void {
  const { ctx, job } = pass;
  for (let round = 0; round < 10 && !pass.stopMessage && !pass.pauseMessage && !outOfTime(ctx); round++) {
    const snap = snapshot(pass.sheet);
    const reconciled = reconcileLost(pass, snap);
    if (pass.stopMessage || pass.pauseMessage || job.state === 'cancelling') return;
    if (reconciled) continue; // the sheet changed; read it again before choosing rows
    if (!send(pass, snap)) return;
  }
}

/** The rows still to send, or none (with the time to wake up set) when nothing may go now. */
export function rowsToSend(pass: Pass, now: number, room: { available: number; waitMs: number }): JobRow[] {
  const eligible = pass.job.rows.filter((r) => r.state === 'pending');
  if (eligible.length === 0) return [];
  if (outOfTime(pass.ctx)) {
    // Checking Mayar took this execution's time: the next one sends.
    waitUntil(pass, now + 1_000);
    return [];
  }
  if (room.available === 0) {
    waitUntil(pass, now + room.waitMs);
    return [];
  }
  return eligible;
}

/** The sheet rows of the creates in flight: a row to send is never written over one of them. */
export function inFlightRows(job: Job, snap: SheetSnapshot): Set<number> {
  const claimed = new Set<number>();
  for (const r of job.rows)
    if (r.state === 'inFlight') {
      const at = locate(r, snap.data, snap.layout, snap.index, claimed);
      if (at >= 0) claimed.add(at);
    }
  return claimed;
}

/** Records a chunk's calls and duplicate keys and stores them with the job (the in-flight marks); returns the limiter from before. */
export function recordChunk(pass: Pass, now: number, chunk: readonly { keys: string[] }[]): LimiterState {
  const before = pass.limiter;
  pass.limiter = recordCreates(
    recordCalls(pass.limiter, now, chunk.length),
    now,
    chunk.flatMap((c) => c.keys),
  );
  pass.ctx.store.save({ job: pass.job, limiter: pass.limiter });
  return before;
}

/**
 * fetchAll raised. Before anything left Apps Script (`notSent`: the daily quota, the whitelist,
 * a permission) nothing reached Mayar, so the rows are simply still to do, their calls are given
 * back, and the run waits for a person. Otherwise some requests may have reached Mayar: the
 * rows' outcome is unknown (`unknown` gives what a row logs) and Mayar's list is checked before
 * any resend. Writes `results`; false, the chunk is over.
 */
export function batchFailed<T extends { row: JobRow }>(
  pass: Pass,
  chunk: readonly T[],
  before: LimiterState,
  batch: { error: string; notSent?: boolean },
  results: RowResult[],
  unknown: (item: T) => RowResult | null,
): false {
  if (batch.notSent) {
    for (const item of chunk) notSent(item.row);
    pass.limiter = before;
    pass.pauseMessage = pass.ctx.say('dialog.notSent', { details: batch.error });
  } else {
    for (const item of chunk) {
      markUnknown(item.row, 'network', clip(batch.error, 200));
      const result = unknown(item);
      if (result) results.push(result);
    }
    waitUntil(pass, pass.ctx.ports.clock.now() + 5_000);
  }
  writeResults(pass, results);
  return false;
}

/**
 * Reads a chunk's replies in order into `results`: `created` for each create Mayar accepted,
 * `refused` for each it refused. Returns how many were accepted and, after a 429, its
 * Retry-After (null when Mayar gave none; undefined when no reply was a 429).
 */
export function readReplies<T, D>(
  chunk: readonly T[],
  replies: readonly HttpReply[],
  classify: (reply: HttpReply) => Classified<D>,
  created: (item: T, data: D) => RowResult,
  refused: (item: T, failure: Failure) => RowResult | null,
  results: RowResult[],
): { accepted: number; rateLimited: number | null | undefined } {
  let accepted = 0;
  let rateLimited: number | null | undefined;
  replies.forEach((reply, i) => {
    const item = chunk[i];
    if (item === undefined) return;
    const outcome = classify(reply);
    if (outcome.ok) {
      accepted++;
      results.push(created(item, outcome.data));
      return;
    }
    if (outcome.failure.kind === 'rate-limited') rateLimited = outcome.failure.retryAfterMs;
    const result = refused(item, outcome.failure);
    if (result) results.push(result);
  });
  return { accepted, rateLimited };
}

/** A 429 in a chunk: the run waits for Retry-After and paces to what Mayar accepted in the window (the calls before this chunk and the creates of it). */
export function slowDown(pass: Pass, before: LimiterState, retryAfterMs: number | null, accepted: number): void {
  const windowStart = pass.ctx.ports.clock.now() - WINDOW_MS;
  const earlier = before.sent.filter((t) => t > windowStart).length;
  pass.limiter = noteTooManyRequests(pass.ctx, pass.limiter, retryAfterMs, earlier + accepted);
  waitUntil(pass, pass.limiter.blockedUntil);
}

/** A create's result goes only to a row without a payment: never over an identical done row. */
export function locateOpen(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number {
  const index = locate(row, snap.data, snap.layout, snap.index, claimed);
  return index >= 0 && hasPayment(snap.data[index], snap.layout) ? -1 : index;
}

/** The progress of a run of creates: rows done of all, created, failed. */
export function createToast(ctx: AppContext, job: Job): string {
  const c = job.counts;
  return ctx.say('toast.progress', { done: job.total - job.rows.length, total: job.total, created: c.created, failed: c.failed });
}
