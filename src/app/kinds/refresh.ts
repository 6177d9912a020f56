/**
 * The refresh kind: rows with a Payment ID whose status isn't final are read back from Mayar
 * (GET /payments/{id}) and get Status and Paid At. Reads are safe to repeat, so a lost reply
 * just means reading again.
 */
import { clip } from '../../core/cells';
import { describeFailure } from '../../core/failure-text';
import type { SheetLayout } from '../../core/headers';
import { findRowByPaymentId, MAX_ATTEMPTS, MAX_JOB_ROWS, pendingRow, type Counts, type JobRow } from '../../core/job';
import { capacity, onTooManyRequests, recordCalls } from '../../core/limiter';
import { classifyPayment, interpretPayment, paymentRequest } from '../../core/mayar';
import { parseAmount } from '../../core/parse';
import { retryRead } from '../../core/row-lifecycle';
import { FINAL_STATUSES, parseStatus, statusText } from '../../core/status';
import type { Cell } from '../../core/types';
import { rupiah } from '../context';
import type { JobKindModule } from '../engine/kind';
import { MAX_CHUNK, outOfTime, waitUntil, writeResults, type Pass, type RowResult } from '../engine/pass';
import { prepareSheet } from '../sheet-prep';

/** Rows worth asking Mayar about: a Payment ID and a status that can still change. */
export function refreshableRows(data: readonly (readonly Cell[])[], layout: SheetLayout): JobRow[] {
  const idColumn = layout.output.paymentId;
  if (idColumn === undefined) return [];
  const rows: JobRow[] = [];
  for (let index = 1; index < data.length && rows.length < MAX_JOB_ROWS; index++) {
    const cells = data[index] ?? [];
    const id = cells[idColumn];
    if (typeof id !== 'string' || id.trim() === '') continue;
    const status = layout.output.status === undefined ? null : parseStatus(cells[layout.output.status]);
    if (status && (FINAL_STATUSES.has(status) || status === 'review')) continue;
    rows.push(pendingRow(rows.length, id.trim(), index + 1));
  }
  return rows;
}

/**
 * Adds the rows whose status is already final (Paid, Expired, Closed: never asked about
 * again) to the counts, so the summary after a refresh is the whole sheet's, and "collected"
 * includes payments the webhook or an earlier refresh marked Paid.
 */
export function countFinalRows(counts: Counts, data: readonly (readonly Cell[])[], layout: SheetLayout): void {
  const { paymentId, status } = layout.output;
  if (paymentId === undefined || status === undefined) return;
  for (let index = 1; index < data.length; index++) {
    const cells = data[index] ?? [];
    if (String(cells[paymentId] ?? '').trim() === '') continue;
    const state = parseStatus(cells[status]);
    if (state === 'paid' || state === 'expired' || state === 'closed') counts[state]++;
    if (state !== 'paid' || layout.input.amount === undefined) continue;
    const amount = parseAmount(cells[layout.input.amount] ?? '');
    if (amount.ok) counts.collected += amount.value;
  }
}

function advanceRefresh(pass: Pass): void {
  const { ctx, job } = pass;
  for (let round = 0; round < 10 && !pass.stopMessage && !pass.pauseMessage; round++) {
    if (job.rows.length === 0 && !nextSheet(pass)) return;
    const now = ctx.ports.clock.now();
    const eligible = job.rows.filter((r) => r.notBefore <= now);
    if (eligible.length === 0) {
      waitUntil(pass, Math.min(...job.rows.map((r) => r.notBefore)));
      return;
    }
    const room = capacity(pass.limiter, now, ctx.settings.requestsPerMinute);
    if (room.available === 0) {
      waitUntil(pass, now + room.waitMs);
      return;
    }
    const chunk = eligible.slice(0, Math.min(room.available, MAX_CHUNK));
    const before = pass.limiter;
    pass.limiter = recordCalls(pass.limiter, now, chunk.length);
    const batch = ctx.ports.http.fetchAll(chunk.map((row) => paymentRequest(job.environment, pass.apiKey, row.key)));
    const results: RowResult[] = [];
    if (!batch.ok) {
      if (batch.notSent) {
        pass.limiter = before;
        pass.pauseMessage = ctx.say('dialog.notSent', { details: batch.error });
        return;
      }
      for (const row of chunk) retryLater(pass, row, batch.error, results);
      writeResults(pass, results);
      return;
    }
    let limited: number | null | undefined;
    batch.replies.forEach((reply, i) => {
      const row = chunk[i];
      if (!row) return;
      const outcome = classifyPayment(reply);
      if (outcome.ok) {
        results.push(statusResult(pass, row, outcome.data));
        return;
      }
      const failure = outcome.failure;
      if (failure.kind === 'unauthorized') pass.stopMessage = ctx.say('dialog.keyRejected', { environment: job.environment });
      else if (failure.kind === 'rate-limited') limited = failure.retryAfterMs;
      else if (failure.kind === 'not-found') results.push(refreshError(pass, row, ctx.say('refresh.notFound')));
      else retryLater(pass, row, describeFailure(failure), results);
    });
    if (limited !== undefined) {
      pass.limiter = onTooManyRequests(pass.limiter, ctx.ports.clock.now(), limited, results.length, ctx.settings.requestsPerMinute);
      waitUntil(pass, pass.limiter.blockedUntil);
    }
    writeResults(pass, results);
    if (limited !== undefined || outOfTime(ctx)) return;
  }
}

function statusResult(pass: Pass, row: JobRow, detail: Parameters<typeof interpretPayment>[0]): RowResult {
  const { ctx, job } = pass;
  const state = interpretPayment(detail, ctx.ports.clock.now());
  job.counts[state.status]++;
  if (state.status === 'paid') job.counts.collected += state.amount;
  const status = statusText(ctx.locale, state.status);
  return {
    jobRow: row,
    cells: { status, paidAt: state.paidAt ? new Date(state.paidAt) : '', error: '' },
    log: { customer: detail.name ?? '', amount: detail.amount ?? '', action: ctx.say('log.refresh'), outcome: status, paymentId: row.key },
    finished: true,
  };
}

function refreshError(pass: Pass, row: JobRow, message: string): RowResult {
  pass.job.counts.failed++;
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: '', amount: '', action: pass.ctx.say('log.refresh'), outcome: 'Error', paymentId: row.key, details: message },
    finished: true,
  };
}

/** A read that failed for a passing reason: try again later, a few times, then say so. */
function retryLater(pass: Pass, row: JobRow, reason: string, results: RowResult[]): void {
  const at = retryRead(row, pass.ctx.ports.clock.now());
  if (row.attempts >= MAX_ATTEMPTS) {
    results.push(refreshError(pass, row, pass.ctx.say('refresh.failed', { attempts: row.attempts, details: reason })));
    return;
  }
  waitUntil(pass, at);
}

/** Moves a multi-sheet refresh on to its next sheet; false when there is none. */
function nextSheet(pass: Pass): boolean {
  const { ctx, job } = pass;
  while (job.queue.length) {
    const id = job.queue.shift() as number;
    const sheet = ctx.ports.spreadsheet.sheetById(id);
    if (!sheet) continue;
    const prepared = prepareSheet(ctx, sheet, ['paidAt']);
    if (!prepared) continue;
    countFinalRows(job.counts, prepared.data, prepared.layout);
    const rows = refreshableRows(prepared.data, prepared.layout);
    if (rows.length === 0) continue;
    job.sheetId = sheet.id;
    job.sheetName = sheet.name;
    job.rows = rows;
    job.total += rows.length;
    pass.sheet = sheet;
    return true;
  }
  return false;
}

export const refreshKind: JobKindModule = {
  label: 'kind.refresh',
  extraColumns: ['paidAt'],
  advance: advanceRefresh,
  locate: (row, snap, claimed) => findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1, claimed),
  toast(ctx, job) {
    const c = job.counts;
    return ctx.say('toast.refreshProgress', { done: job.total - job.rows.length, total: job.total, paid: c.paid, failed: c.failed });
  },
  summary(ctx, job) {
    const c = job.counts;
    const notes = [ctx.say('summary.refresh', { paid: c.paid, unpaid: c.unpaid, expired: c.expired, closed: c.closed, collected: rupiah(c.collected) })];
    if (c.failed) notes.push(ctx.say('summary.refreshErrors', { failed: c.failed }));
    return notes;
  },
};
