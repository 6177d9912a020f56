/**
 * Mayar → Refresh payment status: rows with a Payment ID whose status isn't final are read
 * back from Mayar (GET /payments/{id}) and get Status and Paid At. It is a job like creating
 * links, paced by the same limiter and advanced by the same processNextBatch(). Reads are
 * safe to repeat, so a lost reply just means reading again.
 */
import { clip } from '../core/cells';
import { mapHeaders, type SheetLayout } from '../core/headers';
import { emptyCounts, MAX_ATTEMPTS, MAX_JOB_ROWS, newJob, pendingRow, type Counts, type JobRow } from '../core/job';
import { capacity, onTooManyRequests, recordCalls, startRun } from '../core/limiter';
import { classifyPayment, interpretPayment, paymentRequest } from '../core/mayar';
import { parseAmount } from '../core/parse';
import type { ProgressView } from '../core/progress';
import { FINAL_STATUSES, parseStatus, statusText } from '../core/status';
import type { Cell } from '../core/types';
import { afterStart, prepareSheet, readyToStart, withLock } from './commands';
import { rupiah, type AppContext } from './context';
import type { SheetPort } from './ports';
import { advanceLocked, describeFailure, MAX_CHUNK, writeResults, type Pass, type RowResult, type SheetSnapshot } from './run';

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

/** Finds a row by its Payment ID, preferring the row it was last seen on. */
function locateByPaymentId(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number {
  const column = snap.layout.output.paymentId;
  if (column === undefined) return -1;
  const matches = (i: number) => !claimed.has(i) && String(snap.data[i]?.[column] ?? '').trim() === row.k;
  if (matches(row.r - 1)) return row.r - 1;
  for (let i = 1; i < snap.data.length; i++) if (matches(i)) return i;
  return -1;
}

function isOutputSheet(ctx: AppContext, sheet: SheetPort): boolean {
  return sheet.name !== ctx.say('log.sheetName');
}

/**
 * Adds the rows whose status is already final (Paid, Expired, Closed: never asked about
 * again) to the counts, so the summary after a refresh is the whole sheet's, and "collected"
 * includes payments the webhook or an earlier refresh marked Paid.
 */
function countFinalRows(counts: Counts, data: readonly (readonly Cell[])[], layout: SheetLayout): void {
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

/** What starting a refresh came to: a view, nothing to refresh, or a sheet that can't be used (already said). */
type Started = { view: ProgressView } | { nothing: Counts } | { refused: true };

/**
 * Starts a refresh job over the given sheets (the first usable one with rows to refresh goes
 * first, the others queue), and advances its first window. Call with the lock held.
 */
function startRefreshLocked(ctx: AppContext, sheets: readonly SheetPort[]): Started {
  const counts = emptyCounts();
  const candidates: { sheet: SheetPort; rows: JobRow[] }[] = [];
  for (const sheet of sheets) {
    if (!isOutputSheet(ctx, sheet)) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    const rows = refreshableRows(data, layout);
    // Sheets that are only counted: nothing on them can change.
    if (rows.length === 0) countFinalRows(counts, data, layout);
    else candidates.push({ sheet, rows });
  }
  let first: { sheet: SheetPort; rows: JobRow[]; data: Cell[][]; layout: SheetLayout } | null = null;
  let refused = false;
  const queue: number[] = [];
  for (const candidate of candidates) {
    if (first) {
      queue.push(candidate.sheet.id);
      continue;
    }
    // A sheet without the Name and Amount headers can't be prepared; with several sheets
    // (the hourly refresh) the others still get their turn.
    const prepared = prepareSheet(ctx, candidate.sheet, ['paidAt']);
    if (prepared) first = { ...candidate, data: prepared.data, layout: prepared.layout };
    else refused = true;
  }
  if (!first) return refused ? { refused: true } : { nothing: counts };
  countFinalRows(counts, first.data, first.layout);
  const job = newJob({
    id: ctx.ports.uuid().replace(/-/g, '').slice(0, 12),
    kind: 'refresh',
    sheetId: first.sheet.id,
    sheetName: first.sheet.name,
    startedBy: ctx.user,
    startedAt: ctx.ports.clock.now(),
    environment: ctx.settings.environment,
    keyScope: ctx.settings.keyScope,
    rows: first.rows,
    skipped: 0,
    failed: 0,
    firstErrorRow: null,
  });
  job.queue = queue;
  for (const key of ['paid', 'expired', 'closed', 'collected'] as const) job.counts[key] += counts[key];
  ctx.store.save({ job, limiter: startRun(ctx.store.limiter()), lastRun: null });
  return { view: advanceLocked(ctx) };
}

/** Mayar → Refresh payment status, for the active sheet. */
export function refreshPaymentStatus(ctx: AppContext): ProgressView | undefined {
  const view = withLock(ctx, () => {
    if (!readyToStart(ctx)) return undefined;
    const sheet = ctx.ports.spreadsheet.activeSheet();
    if (!isOutputSheet(ctx, sheet)) {
      ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.logSheet'));
      return undefined;
    }
    const started = startRefreshLocked(ctx, [sheet]);
    if ('view' in started) return started.view;
    if ('nothing' in started) {
      const c = started.nothing;
      const known = c.paid + c.expired + c.closed > 0;
      const summary = known ? `\n\n${ctx.say('summary.refresh', { paid: c.paid, unpaid: 0, expired: c.expired, closed: c.closed, collected: rupiah(c.collected) })}` : '';
      ctx.ports.ui.alert(ctx.say('app.title'), `${ctx.say('refresh.nothing')}${summary}`);
    }
    return undefined;
  });
  return afterStart(ctx, view);
}

/** The hourly trigger: refreshes unpaid rows of every sheet, unless a run is in progress. */
export function autoRefresh(ctx: AppContext): ProgressView | null {
  if (!ctx.settings.autoRefresh || !ctx.store.apiKey(ctx.settings.keyScope)) return null;
  if (!ctx.ports.lock.tryLock(1000)) return null;
  let view: ProgressView | null = null;
  try {
    if (!ctx.store.job()) {
      const started = startRefreshLocked(ctx, ctx.ports.spreadsheet.sheets());
      if ('view' in started) view = started.view;
    }
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
  if (view && !view.done) ctx.ports.triggers.scheduleOnce('processNextBatch', view.waitMs);
  return view;
}

export function advanceRefresh(pass: Pass): void {
  const { ctx, job } = pass;
  for (let round = 0; round < 10 && !pass.stopMessage; round++) {
    if (job.rows.length === 0 && !nextSheet(pass)) return;
    const now = ctx.ports.clock.now();
    const eligible = job.rows.filter((r) => r.nb <= now);
    if (eligible.length === 0) {
      pass.nextAt = Math.min(pass.nextAt, ...job.rows.map((r) => r.nb));
      return;
    }
    const room = capacity(pass.limiter, now, ctx.settings.requestsPerMinute);
    if (room.available === 0) {
      pass.nextAt = Math.min(pass.nextAt, now + room.waitMs);
      return;
    }
    const chunk = eligible.slice(0, Math.min(room.available, MAX_CHUNK));
    pass.limiter = recordCalls(pass.limiter, now, chunk.length);
    const batch = ctx.ports.http.fetchAll(chunk.map((row) => paymentRequest(job.environment, pass.apiKey, row.k)));
    const results: RowResult[] = [];
    if (!batch.ok) {
      for (const row of chunk) retryLater(pass, row, batch.error, results);
      writeResults(pass, results, 'refresh', locateByPaymentId);
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
      pass.nextAt = Math.min(pass.nextAt, pass.limiter.blockedUntil);
    }
    writeResults(pass, results, 'refresh', locateByPaymentId);
    if (limited !== undefined || ctx.ports.clock.now() - ctx.startedAt > 240_000) return;
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
    log: { customer: detail.name ?? '', amount: detail.amount ?? '', action: ctx.say('log.refresh'), outcome: status, paymentId: row.k },
    finished: true,
  };
}

function refreshError(pass: Pass, row: JobRow, message: string): RowResult {
  pass.job.counts.failed++;
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: '', amount: '', action: pass.ctx.say('log.refresh'), outcome: 'Error', paymentId: row.k, details: message },
    finished: true,
  };
}

/** A read that failed for a passing reason: try again later, a few times, then say so. */
function retryLater(pass: Pass, row: JobRow, reason: string, results: RowResult[]): void {
  row.n++;
  if (row.n >= MAX_ATTEMPTS) {
    results.push(refreshError(pass, row, pass.ctx.say('refresh.failed', { attempts: row.n, details: reason })));
    return;
  }
  row.nb = pass.ctx.ports.clock.now() + 15_000 * 2 ** (row.n - 1);
  pass.nextAt = Math.min(pass.nextAt, row.nb);
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

