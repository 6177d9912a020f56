/**
 * The refresh's paid transactions step (GET /transactions): after the list of payment requests
 * said which rows are paid, Mayar's own record of each payment gives its time, 50 payments a
 * read, newest first, from the oldest paid row's creation (`startAt`): a few reads instead of one
 * transaction read per paid row. Only an item `settled` (the documented status) of a row Mayar's
 * list called paid times that row; an item in a status the docs don't list is said in the log
 * and leaves the row to its own transaction read. Nothing here marks a row Paid on its own.
 */
import { findRowByPaymentId, type Job } from '../../../core/job';
import { classifyPaidTransactions } from '../../../core/mayar';
import { MAX_PAGE_SIZE, paidTransactionsRequest } from '../../../core/mayar-requests';
import { callOne, type Pass, type RowResult, snapshot, writeResults } from '../../engine/pass';
import { isObservedPaid, onFailure, replyFailure, statusResult } from './rows';

/** Pages of the paid list read at most before the rows still untimed are read one by one. */
export const MAX_PAID_PAGES = 20;

type Step = NonNullable<Job['step']>;

function toSingles(step: Step): void {
  step.phase = 'single';
  delete step.cursor;
  delete step.page;
  delete step.since;
  delete step.odd;
}

export function readPaidList(pass: Pass, step: Step): boolean {
  const { ctx, job } = pass;
  const odd = new Set(step.odd ?? []);
  const untimed = new Map(job.rows.filter((r) => isObservedPaid(r.observed) && !odd.has(r.key)).map((r) => [r.key, r]));
  if (untimed.size === 0 || step.since === undefined) {
    toSingles(step);
    return true;
  }
  // One row left: its own filter finds it in one read, however many others paid since.
  const only = untimed.size === 1 ? [...untimed.keys()][0] : undefined;
  const query = {
    limit: MAX_PAGE_SIZE,
    startAt: step.since,
    ...(only ? { paymentLinkId: only } : {}),
    ...(step.cursor ? { startingAfter: step.cursor } : {}),
  };
  const reply = callOne(pass, paidTransactionsRequest(job.environment, pass.apiKey, query));
  if (reply === null) return false;
  const read = replyFailure(reply, classifyPaidTransactions);
  if (!read.ok) {
    if (read.failure?.kind === 'unauthorized' || read.failure?.kind === 'rate-limited') {
      onFailure(pass, read.failure);
      return false;
    }
    // The paid list can't be read now: each paid row's transaction gives its time instead.
    toSingles(step);
    ctx.store.save({ job, limiter: pass.limiter });
    return true;
  }
  const snap = snapshot(pass.sheet);
  const results: RowResult[] = [];
  for (const item of read.data.items) {
    const row = untimed.get(item.paymentId);
    if (!row) continue;
    const index = findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1);
    if (item.settled) {
      untimed.delete(item.paymentId);
      results.push(statusResult(pass, row, 'paid', item.at, index >= 0 ? snap.data[index] : undefined, snap.layout));
      continue;
    }
    // Said once; the row stays as it is until its transaction is read.
    const details = ctx.say('refresh.oddStatus', { status: item.status || '?' });
    results.push({
      jobRow: row,
      cells: {},
      log: { customer: '', amount: '', action: ctx.say('log.refresh'), outcome: ctx.say('log.unchanged'), paymentId: row.key, details },
      finished: false,
    });
    untimed.delete(item.paymentId);
    (step.odd ??= []).push(item.paymentId);
  }
  step.page = (step.page ?? 0) + 1;
  if (untimed.size === 0 || !read.data.hasMore || !read.data.next || step.page >= MAX_PAID_PAGES) toSingles(step);
  else step.cursor = read.data.next;
  writeResults(pass, results);
  return true;
}
