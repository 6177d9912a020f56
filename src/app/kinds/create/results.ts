/**
 * The results a create produces for a row: created, an Error, Needs review, or an attempt to
 * log; and what a create Mayar refused means for its row (payment links and invoices alike).
 */
import { clip } from '../../../core/cells';
import { describeFailure } from '../../../core/failure-text';
import type { JobRow } from '../../../core/job';
import type { Failure } from '../../../core/mayar';
import { deferForDuplicate, markUnknown, notSent } from '../../../core/row-lifecycle';
import { statusText } from '../../../core/status';
import type { PaymentRequest } from '../../../core/types';
import type { LogEntry } from '../../audit-log';
import type { AppContext } from '../../context';
import type { Pass, RowResult } from '../../engine/pass';

export type LogBase = Omit<LogEntry, 'sheet' | 'row' | 'outcome'>;

export function logFor(ctx: AppContext, action: 'log.reconcile' | 'log.create'): LogBase {
  return { customer: '', amount: '', action: ctx.say(action) };
}

/** A create Mayar accepted: its link, id and transaction in the row, Unpaid; `expiry`, the due date that was sent, when the sheet should show it. */
export function createdResult(
  ctx: AppContext,
  row: JobRow,
  created: { id: string; link: string; transactionId?: string | null | undefined },
  log: LogBase,
  expiry: Date | undefined,
): RowResult {
  const status = statusText(ctx.locale, 'unpaid');
  const { link, id } = created;
  return {
    jobRow: row,
    cells: { link, paymentId: id, transactionId: created.transactionId ?? '', status, error: '' },
    log: { ...log, outcome: status, paymentId: id, link },
    ...(expiry ? { inputs: { expiry } } : {}),
    finished: true,
  };
}

/** An attempt whose outcome is not final: only logged, the row stays in the job. */
export function attemptResult(ctx: AppContext, row: JobRow, request: PaymentRequest, outcome: 'log.unknown' | 'log.pending', details: string): RowResult {
  return {
    jobRow: row,
    cells: {},
    log: { customer: request.name, amount: request.amount, action: ctx.say('log.create'), outcome: ctx.say(outcome), details },
    finished: false,
  };
}

export function errorResult(ctx: AppContext, row: JobRow, message: string, log?: LogBase): RowResult {
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: log?.customer ?? '', amount: log?.amount ?? '', action: log?.action ?? '', outcome: ctx.say('log.error'), details: message },
    finished: true,
    isError: true,
  };
}

export function reviewResult(pass: Pass, row: JobRow, reason: string, log: LogBase): RowResult {
  pass.job.counts.review++;
  return {
    jobRow: row,
    cells: { status: statusText(pass.ctx.locale, 'review'), error: clip(reason) },
    log: { ...log, outcome: statusText(pass.ctx.locale, 'review'), details: reason },
    finished: true,
  };
}

/**
 * What a refused create means for its row; null when the row stays in the job. `log` names the
 * customer, amount and action of the create, for the rows that end with an Error or Needs review.
 */
export function refusedCreate(pass: Pass, row: JobRow, failure: Failure, log: LogBase): RowResult | null {
  const { ctx, job } = pass;
  switch (failure.kind) {
    case 'unauthorized':
      // Nothing was created; the row waits for the next run with a working key.
      notSent(row);
      pass.stopMessage = ctx.say('dialog.keyRejected', { environment: job.environment });
      return null;
    case 'rate-limited':
      notSent(row);
      return null;
    case 'duplicate':
      if (row.attempts > 1) {
        // A retry refused as a duplicate: the first attempt probably created it. Look first.
        markUnknown(row, 'duplicate', 'Duplicate request');
        return null;
      }
      return deferForDuplicate(row, ctx.ports.clock.now()) ? null : errorResult(ctx, row, ctx.say('row.duplicateRepeated'), log);
    case 'rejected':
    case 'not-found': {
      // For an invoice, 404 is Mayar's "Customer not found and failed to create new customer".
      const details = failure.kind === 'rejected' ? failure.details.join('; ') : 'HTTP 404';
      return errorResult(ctx, row, ctx.say('row.rejected', { details }), log);
    }
    case 'conflict':
      return reviewResult(pass, row, ctx.say('row.conflict', { details: failure.details.join('; ') || '409' }), log);
    case 'unavailable':
      markUnknown(row, 'unavailable', clip(describeFailure(failure), 200));
      return null;
  }
}
