/** The results a create produces for a row: created, an Error, Needs review, or an attempt to log. */
import { clip } from '../../../core/cells';
import type { JobRow } from '../../../core/job';
import { statusText } from '../../../core/status';
import type { PaymentRequest } from '../../../core/types';
import type { LogEntry } from '../../audit-log';
import type { AppContext } from '../../context';
import type { Pass, RowResult } from '../../engine/pass';

export type LogBase = Omit<LogEntry, 'sheet' | 'row' | 'outcome'>;

export function logFor(ctx: AppContext, action: 'log.reconcile' | 'log.create'): LogBase {
  return { customer: '', amount: '', action: ctx.say(action) };
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
