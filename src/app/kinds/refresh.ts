/**
 * The refresh kind: who has paid, at the scale of a real customer list. Rows with a Payment ID
 * whose status can still change are answered, in this order, by:
 *  1. Mayar's webhook history (GET /webhooks/history): deliveries since the last refresh, so a
 *     webhook that never arrived is caught up, and Paid At is the time Mayar gives;
 *  2. Mayar's list of payment requests (GET /payments, 50 a page, newest first): one read
 *     answers 50 rows, so 1,000 rows cost about 20 reads, not 1,000;
 *  3. one read per row (GET /payments/{id}) only for rows older than the pages reach.
 * A paid row without a time from the history reads its transaction (updatedAt). Unpaid and past
 * the expiry the add-on sent (the sheet's expiry cell) is Expired. Reads are safe to repeat.
 */
import { clip } from '../../core/cells';
import { describeFailure } from '../../core/failure-text';
import type { SheetLayout } from '../../core/headers';
import type { HttpReply } from '../../core/http';
import { type Counts, findRowByPaymentId, type Job, type JobRow, MAX_ATTEMPTS, MAX_JOB_ROWS, pendingRow, removeRow } from '../../core/job';
import { classifyTransaction, classifyWebhookHistory, type Failure } from '../../core/mayar';
import { MAX_PAGE_SIZE, transactionRequest, webhookHistoryRequest } from '../../core/mayar-requests';
import { cellIsEmpty } from '../../core/cell-text';
import { parseAmount, parseExpiry } from '../../core/parse';
import { retryRead } from '../../core/row-lifecycle';
import { FINAL_STATUSES, parseStatus, type PaymentStatus, statusText } from '../../core/status';
import type { Cell, ZoneInfo } from '../../core/types';
import { rupiah } from '../context';
import type { JobKindModule } from '../engine/kind';
import { callOne, outOfTime, type Pass, type RowResult, snapshot, waitUntil, writeResults } from '../engine/pass';
import { prepareSheet } from '../sheet-prep';
import { noteTurnedPaid } from '../delivery/thanks-queue';
import { statusSourceOf } from './refresh-sources';

/** Pages of the payment list read before the rows still missing are read one by one. */
export const MAX_LIST_PAGES = 40;
/** Pages of webhook history read at most (the first refresh has no marker to stop at). */
const MAX_HISTORY_PAGES = 6;

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

/** The instant a row's expiry cell stands for (the expiry the add-on sent), or null when blank or unreadable. */
export function expiryOf(cell: Cell | undefined, zone: ZoneInfo): number | null {
  if (cell === undefined || cellIsEmpty(cell)) return null;
  // "now" at the epoch: a past expiry is what this asks about, not an error.
  const parsed = parseExpiry(cell, { zone, now: new Date(0), defaultExpiryDays: 0 });
  return parsed.ok ? Date.parse(parsed.value) : null;
}

type Step = NonNullable<Job['step']>;

function stepOf(job: Job): Step {
  job.step ??= { phase: 'history', page: 1 };
  return job.step;
}

function advanceRefresh(pass: Pass): void {
  const { job } = pass;
  for (let round = 0; round < 60 && !pass.stopMessage && !pass.pauseMessage && !outOfTime(pass.ctx); round++) {
    if (job.rows.length === 0 && !nextSheet(pass)) return;
    const step = stepOf(job);
    const progressed = step.phase === 'history' ? readHistory(pass, step) : step.phase === 'list' ? readListPage(pass, step) : readSingles(pass);
    if (!progressed) return;
  }
}

/** A failed read: stop on 401, wait on 429 (callOne has noted it), else retry the step later. */
function onFailure(pass: Pass, failure: Failure | null): void {
  if (failure?.kind === 'unauthorized') pass.stopMessage = pass.ctx.say('dialog.keyRejected', { environment: pass.job.environment });
  else if (failure?.kind !== 'rate-limited') waitUntil(pass, pass.ctx.ports.clock.now() + 30_000);
}

function replyFailure<T>(
  reply: HttpReply,
  classify: (reply: HttpReply) => { ok: true; data: T } | { ok: false; failure: Failure },
): { ok: true; data: T } | { ok: false; failure: Failure | null } {
  if (reply.status === 0) return { ok: false, failure: null };
  return classify(reply);
}

/** Webhook deliveries since the last refresh: the payments they name get their time of payment. */
function readHistory(pass: Pass, step: Step): boolean {
  const { ctx, job } = pass;
  const since = ctx.store.webhookSeen();
  const reply = callOne(pass, webhookHistoryRequest(job.environment, pass.apiKey, { limit: MAX_PAGE_SIZE, page: step.page ?? 1 }));
  if (reply === null) return false;
  const read = replyFailure(reply, classifyWebhookHistory);
  if (!read.ok) {
    // An account without a webhook URL has no history (and may answer 404): go on without it.
    if (read.failure?.kind === 'unauthorized' || read.failure?.kind === 'rate-limited') {
      onFailure(pass, read.failure);
      return false;
    }
    step.phase = 'list';
    delete step.page;
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
  const full = read.data.deliveries.length + read.data.unreadable >= MAX_PAGE_SIZE;
  if (!older && full && (step.page ?? 1) < MAX_HISTORY_PAGES) step.page = (step.page ?? 1) + 1;
  else {
    // The list's pages count from the first again.
    step.phase = 'list';
    delete step.page;
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
  }
  step.page = (step.page ?? 0) + 1;
  step.dry = answered.length ? 0 : (step.dry ?? 0) + 1;
  const missing = job.rows.filter((r) => !r.observed && !answered.some((a) => a.row === r)).length;
  // Past the sheet's own payments, each further page costs a read that may answer nothing:
  // once the pages in a row that answered nothing outnumber the rows still missing, reading
  // those rows one by one is cheaper.
  const last = !read.data.hasMore || !read.data.next || step.page >= MAX_LIST_PAGES || step.dry >= Math.max(1, missing);
  if (last) step.phase = 'single';
  else step.cursor = read.data.next ?? undefined;
  settle(pass, answered);
  if (job.rows.every((r) => r.observed)) step.phase = 'single';
  return true;
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
  if (isObservedPaid(row.observed)) return readPaidTime(pass, row);
  const source = statusSourceOf(pass.sheet);
  const reply = callOne(pass, source.single(job.environment, pass.apiKey, row.key));
  if (reply === null) return false;
  const read = replyFailure(reply, source.readSingle);
  if (!read.ok) return retryOrFail(pass, row, read.failure);
  settle(pass, [{ row, status: read.data.status, transactionId: read.data.transactionId }]);
  return true;
}

/** Kept on a paid row while its time of payment is read: the transaction Mayar's reply named. */
const PAID = 'paid';
function observedPaid(transactionId: string | undefined): string {
  return transactionId ? `${PAID}:${transactionId}` : PAID;
}
function isObservedPaid(observed: string | undefined): boolean {
  return observed === PAID || (observed?.startsWith(`${PAID}:`) ?? false);
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

/** Writes what Mayar said: Paid (with its time when known, else read next), Closed, Unpaid or Expired. */
interface Answer {
  row: JobRow;
  status: PaymentStatus;
  /** The payment's transaction as Mayar's reply named it, to read the time of payment from. */
  transactionId?: string | undefined;
}

function settle(pass: Pass, answered: readonly Answer[]): void {
  const { ctx, job } = pass;
  if (answered.length === 0) {
    ctx.store.save({ job, limiter: pass.limiter });
    return;
  }
  const snap = snapshot(pass.sheet);
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  const results: RowResult[] = [];
  for (const { row, status, transactionId } of answered) {
    const index = findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1);
    const cells = index >= 0 ? snap.data[index] : undefined;
    if (status === 'paid') {
      // An invoice's time of payment: the webhook history's, else when the refresh saw it paid.
      const time = job.step?.times?.[row.key] ?? (statusSourceOf(pass.sheet).invoices ? now : undefined);
      if (time === undefined) {
        // Paid, but when? The transaction says (a single read, later in this pass or the next).
        row.observed = observedPaid(transactionId);
        continue;
      }
      results.push(statusResult(pass, row, 'paid', time, cells, snap.layout));
      continue;
    }
    let final = status;
    if (status === 'unpaid') {
      const expiry = expiryOf(snap.layout.input.expiry === undefined ? undefined : cells?.[snap.layout.input.expiry], zone);
      if (expiry !== null && expiry <= now) final = 'expired';
    }
    const result = statusResult(pass, row, final, null, cells, snap.layout);
    const errorColumn = snap.layout.output.error;
    // Nothing to write for a row that stays as it was: the hourly refresh of 1,000 unpaid
    // rows then writes nothing at all.
    if (result.log === null && cells && (errorColumn === undefined || cellIsEmpty(cells[errorColumn] ?? ''))) removeRow(job, row);
    else results.push(result);
  }
  writeResults(pass, results);
}

function statusResult(
  pass: Pass,
  row: JobRow,
  state: PaymentStatus,
  paidAt: number | null,
  cells: readonly Cell[] | undefined,
  layout: SheetLayout,
): RowResult {
  const { ctx, job } = pass;
  job.counts[state === 'review' ? 'review' : state]++;
  const amountColumn = layout.input.amount;
  const amount = amountColumn === undefined || !cells ? null : parseAmount(cells[amountColumn] ?? '');
  if (state === 'paid' && amount?.ok) job.counts.collected += amount.value;
  const status = statusText(ctx.locale, state);
  const before = layout.output.status === undefined || !cells ? null : parseStatus(cells[layout.output.status]);
  if (state === 'paid' && before !== 'paid') noteTurnedPaid(ctx.ports.documentStore, job.sheetId, row.key);
  return {
    jobRow: row,
    cells: { status, ...(state === 'paid' ? { paidAt: new Date(paidAt ?? ctx.ports.clock.now()) } : {}), error: '' },
    // A refresh logs changes of status, not every read.
    log: before === state ? null : { customer: '', amount: '', action: ctx.say('log.refresh'), outcome: status, paymentId: row.key },
    finished: true,
  };
}

function refreshError(pass: Pass, row: JobRow, message: string): RowResult {
  pass.job.counts.failed++;
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: '', amount: '', action: pass.ctx.say('log.refresh'), outcome: pass.ctx.say('log.error'), paymentId: row.key, details: message },
    finished: true,
  };
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
