/**
 * What the refresh writes into a row, shared by its reads (advance.ts: history, list, single
 * reads; paid.ts: the paid transactions list): which rows are asked about, what Mayar's
 * answer makes of a row (Paid with its time, Closed, Unpaid, Expired from the expiry the
 * add-on sent), and a row's error.
 */
import { clip } from '../../../core/cells';
import { cellIsEmpty } from '../../../core/cell-text';
import type { SheetLayout } from '../../../core/headers';
import type { HttpReply } from '../../../core/http';
import { type Counts, findRowByPaymentId, type JobRow, MAX_JOB_ROWS, pendingRow, removeRow } from '../../../core/job';
import type { Failure } from '../../../core/mayar';
import { parseAmount } from '../../../core/parse';
import { FINAL_STATUSES, parseStatus, type PaymentStatus, statusText } from '../../../core/status';
import type { Cell } from '../../../core/types';
import { type Pass, type RowResult, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { noteTurnedPaid } from '../../delivery/thanks-queue';
import { readSentExpiries, unpaidVerdict } from '../../sent-expiry';
import { statusSourceOf } from './sources';

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

/** A failed read: stop on 401, wait on 429 (callOne has noted it), else retry the step later. */
export function onFailure(pass: Pass, failure: Failure | null): void {
  if (failure?.kind === 'unauthorized') pass.stopMessage = pass.ctx.say('dialog.keyRejected', { environment: pass.job.environment });
  else if (failure?.kind !== 'rate-limited') waitUntil(pass, pass.ctx.ports.clock.now() + 30_000);
}

export function replyFailure<T>(
  reply: HttpReply,
  classify: (reply: HttpReply) => { ok: true; data: T } | { ok: false; failure: Failure },
): { ok: true; data: T } | { ok: false; failure: Failure | null } {
  if (reply.status === 0) return { ok: false, failure: null };
  return classify(reply);
}

/** Kept on a paid row while its time of payment is read: the transaction Mayar's reply named. */
export const PAID = 'paid';
export function observedPaid(transactionId: string | undefined): string {
  return transactionId ? `${PAID}:${transactionId}` : PAID;
}
export function isObservedPaid(observed: string | undefined): boolean {
  return observed === PAID || (observed?.startsWith(`${PAID}:`) ?? false);
}

/** What Mayar said of a row. */
export interface Answer {
  row: JobRow;
  status: PaymentStatus;
  /** The payment's transaction as Mayar's reply named it, to read the time of payment from. */
  transactionId?: string | undefined;
}

export function settle(pass: Pass, answered: readonly Answer[]): void {
  const { ctx, job } = pass;
  if (answered.length === 0) {
    ctx.store.save({ job, limiter: pass.limiter });
    return;
  }
  const snap = snapshot(pass.sheet);
  // The expiries the links were sent with (notes beside them), read once when an unpaid row needs them.
  let sent: (number | null)[] | null = null;
  const results: RowResult[] = [];
  for (const { row, status, transactionId } of answered) {
    const index = findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1);
    const cells = index >= 0 ? snap.data[index] : undefined;
    if (status === 'paid') {
      // An invoice's time of payment: the webhook history's, else when the refresh saw it paid.
      const time = job.step?.times?.[row.key] ?? (statusSourceOf(pass.sheet).invoices ? ctx.ports.clock.now() : undefined);
      if (time === undefined) {
        // Paid, but when? The transaction says (a single read, later in this pass or the next).
        row.observed = observedPaid(transactionId);
        continue;
      }
      results.push(statusResult(pass, row, 'paid', time, cells, snap.layout));
      continue;
    }
    sent ??= status === 'unpaid' ? readSentExpiries(pass.sheet, snap.layout, snap.data.length) : null;
    const verdict = status === 'unpaid' ? unpaidVerdict(ctx, cells, snap.layout, sent?.[index] ?? null) : { expired: false, note: null };
    const result = statusResult(pass, row, verdict.expired ? 'expired' : status, null, cells, snap.layout);
    // Expires At edited after the link went out: the row says when the link really expires.
    if (verdict.note !== null) {
      result.cells.error = clip(verdict.note);
      results.push(result);
      continue;
    }
    const errorColumn = snap.layout.output.error;
    // Nothing to write for a row that stays as it was: the hourly refresh of 1,000 unpaid
    // rows then writes nothing at all.
    if (result.log === null && cells && (errorColumn === undefined || cellIsEmpty(cells[errorColumn] ?? ''))) removeRow(job, row);
    else results.push(result);
  }
  writeResults(pass, results);
}

export function statusResult(
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

export function refreshError(pass: Pass, row: JobRow, message: string): RowResult {
  pass.job.counts.failed++;
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: '', amount: '', action: pass.ctx.say('log.refresh'), outcome: pass.ctx.say('log.error'), paymentId: row.key, details: message },
    finished: true,
  };
}
