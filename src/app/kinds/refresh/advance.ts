/**
 * The refresh kind: who has paid, at the scale of a real customer list. Rows with a Payment ID
 * whose status can still change are answered, in this order, by:
 *  1. Mayar's webhook history (GET /webhooks/history, by its cursor from the last refresh on):
 *     a webhook that never arrived is caught up, with the time Mayar gives;
 *  2. Mayar's list of payment requests (GET /payments, 50 a page, newest first): one read
 *     answers 50 rows, so 1,000 rows cost about 20 reads, not 1,000;
 *  3. the paid transactions list (GET /transactions, paid.ts): the time of payment of
 *     the paid rows the history did not time, 50 a read, from the oldest such row's creation;
 *  4. one read per row (GET /payments/{id}) only for rows older than the pages reach, and the
 *     transaction (updatedAt) of a paid row no list timed.
 * Unpaid and past the expiry the add-on sent (kept in a note beside the Payment ID: sent-expiry.ts) is Expired. Reads are
 * safe to repeat.
 */
import { describeFailure } from '../../../core/failure-text';
import { findRowByPaymentId, type Job, type JobRow, MAX_ATTEMPTS } from '../../../core/job';
import { classifyTransaction, classifyWebhookHistory, type Failure } from '../../../core/mayar';
import { MAX_PAGE_SIZE, transactionRequest, webhookHistoryRequest } from '../../../core/mayar-requests';
import { isMayarId } from '../../../core/parse';
import { retryRead } from '../../../core/row-lifecycle';
import { rupiah } from '../../context';
import type { JobKindModule } from '../../engine/kind';
import { callOne, outOfTime, type Pass, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { notAMayarId } from '../../ids';
import { prepareSheet } from '../../sheet-prep';
import { confirmKeptLocked } from '../../webhook';
import { keepRenewedDeliveries } from '../../webhook-renewed';
import { readPaidList } from './paid';
import { statusSourceOf } from './sources';
import { type Answer, countFinalRows, isObservedPaid, onFailure, PAID, refreshableRows, refreshError, replyFailure, settle, statusResult } from './rows';

export { countFinalRows, refreshableRows } from './rows';

/** Pages of the payment list read before the rows still missing are read one by one. */
export const MAX_LIST_PAGES = 40;
/** Pages of webhook history read at most (the first refresh has no marker to stop at). */
const MAX_HISTORY_PAGES = 6;

type Step = NonNullable<Job['step']>;

function stepOf(job: Job): Step {
  job.step ??= { phase: 'history' };
  return job.step;
}

function advanceRefresh(pass: Pass): void {
  const { job } = pass;
  for (let round = 0; round < 60 && !pass.stopMessage && !pass.pauseMessage && !outOfTime(pass.ctx); round++) {
    if (job.rows.length === 0 && !nextSheet(pass)) return;
    const step = stepOf(job);
    const progressed =
      step.phase === 'history'
        ? readHistory(pass, step)
        : step.phase === 'list'
          ? readListPage(pass, step)
          : step.phase === 'paid'
            ? readPaidList(pass, step)
            : readSingles(pass);
    if (!progressed) return;
  }
}

/** Webhook deliveries since the last refresh: the payments they name get their time of payment. */
function readHistory(pass: Pass, step: Step): boolean {
  const { ctx, job } = pass;
  const since = ctx.store.webhookSeen();
  // The v2 cursor: `page` is v1, and v2 answers page 1 again to it.
  const query = {
    limit: MAX_PAGE_SIZE,
    type: 'payment.received',
    ...(since !== null ? { startAt: since + 1 } : {}),
    ...(step.cursor ? { startingAfter: step.cursor } : {}),
  };
  const reply = callOne(pass, webhookHistoryRequest(job.environment, pass.apiKey, query));
  if (reply === null) return false;
  const read = replyFailure(reply, classifyWebhookHistory);
  if (!read.ok) {
    // An account without a webhook URL has no history (and may answer 404): go on without it.
    if (read.failure?.kind === 'unauthorized' || read.failure?.kind === 'rate-limited') {
      onFailure(pass, read.failure);
      return false;
    }
    step.phase = 'list';
    delete step.cursor;
    return true;
  }
  const times = (step.times ??= {});
  let older = false;
  for (const delivery of read.data.deliveries) {
    step.newest = Math.max(step.newest ?? 0, delivery.createdAt);
    if (since !== null && delivery.createdAt <= since) older = true;
    // FAILED deliveries are exactly the webhooks that never reached the sheet.
    if (delivery.type === 'payment.received' && delivery.paymentId && times[delivery.paymentId] === undefined) times[delivery.paymentId] = delivery.createdAt;
  }
  // Payments of links Renew expired links replaced: confirmed as webhooks when the refresh ends.
  keepRenewedDeliveries(ctx, read.data.deliveries);
  step.page = (step.page ?? 0) + 1;
  if (!older && read.data.hasMore && read.data.next && step.page < MAX_HISTORY_PAGES) step.cursor = read.data.next;
  else {
    // The list's pages start from the newest again.
    step.phase = 'list';
    delete step.page;
    delete step.cursor;
    // Only the times of payments in this job are worth keeping; the sheets still queued
    // have their rows read later, so a job over several sheets keeps them all.
    if (job.queue.length === 0) {
      const keys = new Set(job.rows.map((r) => r.key));
      step.times = Object.fromEntries(Object.entries(times).filter(([id]) => keys.has(id)));
    }
  }
  ctx.store.save({ job, limiter: pass.limiter });
  return true;
}

/** One page of Mayar's payment list answers every row of this job it names. */
function readListPage(pass: Pass, step: Step): boolean {
  const { job } = pass;
  const source = statusSourceOf(pass.sheet);
  const reply = callOne(pass, source.list(job.environment, pass.apiKey, step.cursor));
  if (reply === null) return false;
  const read = replyFailure(reply, source.readList);
  if (!read.ok) {
    onFailure(pass, read.failure);
    const passing = read.failure === null || read.failure.kind === 'unavailable';
    if (passing) step.fails = (step.fails ?? 0) + 1;
    if (passing && step.fails !== undefined && step.fails >= MAX_ATTEMPTS) {
      // Mayar can't be read now: every row says so, rather than a refresh that never ends.
      const details = read.failure ? describeFailure(read.failure) : reply.body || pass.ctx.say('http.noReply');
      writeResults(
        pass,
        job.rows.map((row) => refreshError(pass, row, pass.ctx.say('refresh.failed', { attempts: step.fails ?? MAX_ATTEMPTS, details }))),
      );
      return true;
    }
    pass.ctx.store.save({ job, limiter: pass.limiter });
    return false;
  }
  delete step.fails;
  const byId = new Map(job.rows.map((row) => [row.key, row]));
  const answered: Answer[] = [];
  for (const item of read.data.items) {
    const row = byId.get(item.id);
    if (!row || row.observed) continue;
    answered.push({ row, status: item.status, transactionId: item.transactionId });
    // The paid list is read from the oldest paid row's creation: nothing older can be its payment.
    if (item.status === 'paid' && item.createdAt !== undefined && job.step?.times?.[row.key] === undefined) {
      step.since = Math.min(step.since ?? Infinity, item.createdAt);
    }
  }
  step.page = (step.page ?? 0) + 1;
  step.dry = answered.length ? 0 : (step.dry ?? 0) + 1;
  const missing = job.rows.filter((r) => !r.observed && !answered.some((a) => a.row === r)).length;
  // Past the sheet's own payments, each further page costs a read that may answer nothing:
  // once the pages in a row that answered nothing outnumber the rows still missing, reading
  // those rows one by one is cheaper.
  const last = !read.data.hasMore || !read.data.next || step.page >= MAX_LIST_PAGES || step.dry >= Math.max(1, missing);
  if (!last) step.cursor = read.data.next ?? undefined;
  settle(pass, answered);
  if (last || job.rows.every((r) => r.observed)) afterList(step, job);
  return true;
}

/** After the list: the paid list for the paid rows without a time, else the single reads. */
function afterList(step: Step, job: Job): void {
  delete step.cursor;
  delete step.page;
  delete step.dry;
  const untimed = job.rows.some((r) => isObservedPaid(r.observed));
  step.phase = untimed && step.since !== undefined ? 'paid' : 'single';
  if (step.phase === 'single') delete step.since;
}

/** Rows the list did not reach, one read each; and the time of payment for paid rows. */
function readSingles(pass: Pass): boolean {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const row = job.rows.find((r) => r.notBefore <= now);
  if (!row) {
    waitUntil(pass, Math.min(...job.rows.map((r) => r.notBefore)));
    return false;
  }
  if (!isMayarId(row.key)) return notAnId(pass, row, 'paymentId', row.key);
  if (isObservedPaid(row.observed)) return readPaidTime(pass, row);
  const source = statusSourceOf(pass.sheet);
  const reply = callOne(pass, source.single(job.environment, pass.apiKey, row.key));
  if (reply === null) return false;
  const read = replyFailure(reply, source.readSingle);
  if (!read.ok) return retryOrFail(pass, row, read.failure);
  settle(pass, [{ row, status: read.data.status, transactionId: read.data.transactionId }]);
  return true;
}

function readPaidTime(pass: Pass, row: JobRow): boolean {
  const { ctx, job } = pass;
  const snap = snapshot(pass.sheet);
  const index = findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1);
  const txColumn = snap.layout.output.transactionId;
  // The sheet's Transaction ID (the create's), else the one Mayar's reply named (a payment
  // made without an email gets its transaction only at checkout).
  const fromSheet = index < 0 || txColumn === undefined ? '' : String(snap.data[index]?.[txColumn] ?? '').trim();
  const transactionId = fromSheet || (row.observed ?? '').slice(PAID.length + 1);
  if (transactionId && !isMayarId(transactionId)) return notAnId(pass, row, 'transactionId', transactionId);
  let paidAt = ctx.ports.clock.now();
  if (transactionId) {
    const reply = callOne(pass, transactionRequest(job.environment, pass.apiKey, transactionId));
    if (reply === null) return false;
    const read = replyFailure(reply, classifyTransaction);
    if (!read.ok) return retryOrFail(pass, row, read.failure);
    // A paid transaction's updatedAt is when it was paid (Mayar has no paidAt).
    if (read.data.status === 'paid' && read.data.updatedAt != null) paidAt = read.data.updatedAt;
  }
  writeResults(pass, [statusResult(pass, row, 'paid', paidAt, index >= 0 ? snap.data[index] : undefined, snap.layout)]);
  return true;
}

/** A Payment ID or Transaction ID cell that is no Mayar id: a row error, and no request to another path. */
function notAnId(pass: Pass, row: JobRow, column: 'paymentId' | 'transactionId', value: string): boolean {
  const { data, layout } = snapshot(pass.sheet);
  writeResults(pass, [refreshError(pass, row, notAMayarId(pass.ctx, data[0], layout, column, value))]);
  return true;
}

function retryOrFail(pass: Pass, row: JobRow, failure: Failure | null): boolean {
  const { ctx } = pass;
  if (failure?.kind === 'unauthorized' || failure?.kind === 'rate-limited') {
    onFailure(pass, failure);
    return false;
  }
  if (failure?.kind === 'not-found') {
    writeResults(pass, [refreshError(pass, row, ctx.say('refresh.notFound'))]);
    return true;
  }
  retryRead(row, ctx.ports.clock.now());
  if (row.attempts >= MAX_ATTEMPTS)
    writeResults(pass, [
      refreshError(pass, row, ctx.say('refresh.failed', { attempts: row.attempts, details: failure ? describeFailure(failure) : ctx.say('http.noReply') })),
    ]);
  else waitUntil(pass, row.notBefore);
  return true;
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
    // The history's times carry over; the list is read again for this sheet's rows.
    job.step = { phase: 'list', ...(job.step?.times ? { times: job.step.times } : {}), ...(job.step?.newest ? { newest: job.step.newest } : {}) };
    pass.sheet = sheet;
    return true;
  }
  return false;
}

export const refreshKind: JobKindModule = {
  label: 'kind.refresh',
  extraColumns: ['paidAt'],
  advance: advanceRefresh,
  // Webhooks kept for later (a late payment of a renewed link the history showed): confirmed now.
  afterDone: confirmKeptLocked,
  locate: (row, snap, claimed) => findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1, claimed),
  toast(ctx, job) {
    const c = job.counts;
    return ctx.say('toast.refreshProgress', { done: job.total - job.rows.length, total: job.total, paid: c.paid, failed: c.failed });
  },
  summary(ctx, job) {
    const c = job.counts;
    // The webhook history up to here has been seen: the next refresh starts after it.
    if (job.step?.newest) ctx.store.setWebhookSeen(job.step.newest);
    const notes = [ctx.say('summary.refresh', { paid: c.paid, unpaid: c.unpaid, expired: c.expired, closed: c.closed, collected: rupiah(c.collected) })];
    if (c.failed) notes.push(ctx.say('summary.refreshErrors', { failed: c.failed }));
    return notes;
  },
};
