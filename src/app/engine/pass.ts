/**
 * One pass of a job: what an execution learns and changes while advancing it, the
 * rate-limited Mayar call every kind uses, and writing results back into the sheet.
 */
import { planWrites, type RowUpdate } from '../../core/cells';
import { invoiceKey } from '../../core/fingerprint';
import { mapHeaders, type SheetLayout } from '../../core/headers';
import type { HttpReply, HttpRequestSpec } from '../../core/http';
import { indexRows, type Job, type JobRow, noteError, removeRow } from '../../core/job';
import { type LimiterState, recordCalls } from '../../core/limiter';
import { classifyList } from '../../core/mayar';
import { cellIsEmpty, cellText } from '../../core/cell-text';
import { parseAmount } from '../../core/parse';
import type { Cell } from '../../core/types';
import { appendLog, type LogEntry } from '../audit-log';
import type { AppContext } from '../context';
import { noteTooManyRequests, roomNow } from '../pacing';
import type { SheetPort } from '../ports';
import { ensureOutputColumns, writeBlocks, WriteRefused } from '../sheet-prep';
import { writeSentExpiries } from '../sent-expiry';

/** No new request starts after this much of the 6-minute execution limit. */
export const SEND_BUDGET_MS = 240_000;
/** The most requests in one fetchAll. */
export const MAX_CHUNK = 25;

/** Everything one execution learns and changes while advancing a job. */
export interface Pass {
  ctx: AppContext;
  job: Job;
  apiKey: string;
  sheet: SheetPort;
  limiter: LimiterState;
  /** Set when the run must stop (key rejected, sheet deleted). */
  stopMessage: string | null;
  /** Set when the run must pause until someone acts (a quota, a protected range). */
  pauseMessage: string | null;
  /** Earliest time something can happen next. */
  nextAt: number;
  /** Rows already checked against Mayar's list in this execution: one list read is enough. */
  checked: Set<number>;
}

export type OutputCells = Partial<Record<'link' | 'paymentId' | 'transactionId' | 'status' | 'error' | 'paidAt', Cell>>;

export interface RowResult {
  jobRow: JobRow;
  /** Output column → value. */
  cells: OutputCells;
  /** Null when there is nothing worth a log line (a refresh that found no change). */
  log: Omit<LogEntry, 'sheet' | 'row'> | null;
  /** Input cells filled in when blank: the expiry a create sent for a row without one. */
  inputs?: { expiry?: Date };
  /** The row leaves the job once this is in the sheet. Unfinished: an attempt to log, the row stays. */
  finished: boolean;
  /** A failed row: counted once it is in the sheet, for "jump to first error". */
  isError?: boolean;
}

export interface SheetSnapshot {
  data: Cell[][];
  layout: SheetLayout;
  index: ReturnType<typeof indexRows>;
}

export function snapshot(sheet: SheetPort): SheetSnapshot {
  const data = sheet.readAll();
  const layout = mapHeaders(data[0] ?? []);
  const index = indexRows(data.map((row, i) => (i === 0 ? '' : invoiceKey(row, layout))));
  return { data, layout, index };
}

export function outOfTime(ctx: AppContext): boolean {
  return ctx.ports.clock.now() - ctx.startedAt > SEND_BUDGET_MS;
}

export function waitUntil(pass: Pass, at: number): void {
  pass.nextAt = Math.min(pass.nextAt, at);
}

/**
 * One Mayar call through the rate limiter; null when the limiter says wait or this execution
 * is past its sending budget. A network failure comes back as status 0.
 */
export function callOne(pass: Pass, request: HttpRequestSpec): HttpReply | null {
  const now = pass.ctx.ports.clock.now();
  if (outOfTime(pass.ctx)) {
    waitUntil(pass, now + 1_000);
    return null;
  }
  const room = roomNow(pass.ctx, pass.limiter);
  if (room.available === 0) {
    waitUntil(pass, now + room.waitMs);
    return null;
  }
  pass.limiter = recordCalls(pass.limiter, now, 1);
  const batch = pass.ctx.ports.http.fetchAll([request]);
  if (!batch.ok) {
    waitUntil(pass, now + 30_000);
    return { status: 0, headers: {}, body: batch.error };
  }
  const reply = batch.replies[0] ?? null;
  if (reply && reply.status === 429) {
    const parsed = classifyList(reply);
    if (!parsed.ok && parsed.failure.kind === 'rate-limited') {
      pass.limiter = noteTooManyRequests(pass.ctx, pass.limiter, parsed.failure.retryAfterMs, pass.limiter.sent.length - 1);
      waitUntil(pass, pass.limiter.blockedUntil);
    }
  }
  return reply;
}

/**
 * Reads the sheet again (rows may have moved while Mayar answered), finds each result's row
 * with the kind's locate, appends the log, writes all results in one setValues per run of
 * output columns, flushes, and only then takes the finished rows out of the job and saves it.
 */
export function writeResults(pass: Pass, results: readonly RowResult[]): void {
  const { ctx, job } = pass;
  if (results.length === 0) {
    ctx.store.save({ job, limiter: pass.limiter });
    return;
  }
  const kind = ctx.kinds[job.kind];
  const snap = snapshot(pass.sheet);
  // An output column deleted or renamed mid-run is put back, never silently dropped.
  snap.layout = ensureOutputColumns(pass.sheet, snap.data, kind.extraColumns, pass.ctx.locale);
  const claimed = new Set<number>();
  const updates = new Map<number, RowUpdate>();
  const log: LogEntry[] = [];
  const placed: { result: RowResult; index: number }[] = [];
  // The expiry a new link was sent with, kept in a note beside it (../sent-expiry.ts).
  const sentExpiries = new Map<number, number>();
  for (const result of results) {
    const index = kind.locate(result.jobRow, snap, claimed);
    if (index < 0) {
      if (result.finished) job.counts.lost++;
      if (result.finished && result.cells.paymentId)
        ctx.store.rememberUnplaced({
          sheetId: job.sheetId,
          key: result.jobRow.key,
          sheetRow: result.jobRow.sheetRow,
          paymentId: String(result.cells.paymentId),
          link: String(result.cells.link ?? ''),
          transactionId: String(result.cells.transactionId ?? ''),
          at: ctx.ports.clock.now(),
        });
      if (result.log)
        log.push({ ...result.log, sheet: job.sheetName, row: '', details: [ctx.say('log.unplaced'), result.log.details ?? ''].filter(Boolean).join(': ') });
      continue;
    }
    claimed.add(index);
    result.jobRow.sheetRow = index + 1;
    const update: RowUpdate = new Map();
    for (const [field, value] of Object.entries(result.cells)) {
      const column = snap.layout.output[field as keyof typeof snap.layout.output];
      if (column !== undefined && value !== undefined) update.set(column, value);
    }
    const expiryColumn = snap.layout.input.expiry;
    if (result.inputs?.expiry && expiryColumn !== undefined && cellIsEmpty(snap.data[index]?.[expiryColumn] ?? ''))
      update.set(expiryColumn, result.inputs.expiry);
    if (result.inputs?.expiry && result.cells.paymentId) sentExpiries.set(index, result.inputs.expiry.getTime());
    if (update.size) updates.set(index, update);
    placed.push({ result, index });
    if (result.log) log.push({ ...withCustomer(result.log, snap, index), sheet: job.sheetName, row: index + 1 });
  }
  // The log first: if the execution dies between the two, the row is still in flight and the
  // next batch finds its payment in Mayar; the other way round, a payment written to the sheet
  // would be taken as done and never reach the log.
  try {
    appendLog(ctx, log);
    writeBlocks(pass.sheet, planWrites(updates));
    writeSentExpiries(ctx, pass.sheet, snap.layout, sentExpiries);
    ctx.ports.spreadsheet.flush();
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    // A protected range or a rejecting validation rule: the rows stay in the job (in flight
    // ones are found in Mayar again on resume), and the run waits for a person to fix it.
    pass.pauseMessage = ctx.say('dialog.writeRefused', { range: error.range, details: error.reason });
    ctx.store.save({ job, limiter: pass.limiter });
    return;
  }
  for (const { result, index } of placed) if (result.isError) noteError(job, index + 1);
  for (const result of results) if (result.finished) removeRow(job, result.jobRow);
  job.touchedAt = ctx.ports.clock.now();
  ctx.store.save({ job, limiter: pass.limiter });
  if (ctx.ports.ui.available) ctx.ports.ui.toast(kind.toast(ctx, job), ctx.say('app.title'), 5);
}

/** A log entry names its row's customer and amount, also when the outcome (a check) did not. */
function withCustomer(entry: NonNullable<RowResult['log']>, snap: SheetSnapshot, index: number): NonNullable<RowResult['log']> {
  if (entry.customer !== '') return entry;
  const cells = snap.data[index] ?? [];
  const { name, amount } = snap.layout.input;
  const parsed = amount === undefined ? null : parseAmount(cells[amount] ?? '');
  return { ...entry, customer: name === undefined ? '' : cellText(cells[name]), amount: entry.amount !== '' ? entry.amount : parsed?.ok ? parsed.value : '' };
}
