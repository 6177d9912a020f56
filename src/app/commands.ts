/**
 * What the menu items do: start a run (the click sends the first window itself), check rows
 * without sending, set up a sheet, and pause / resume / cancel a run.
 */
import { planWrites, type RowUpdate } from '../core/cells';
import { rowFingerprint } from '../core/fingerprint';
import { mapHeaders, missingRequired, OUTPUT_HEADER_TEXT, planOutputColumns, type SheetLayout } from '../core/headers';
import { MAX_JOB_ROWS, newJob, pendingRow, type Job, type JobRow } from '../core/job';
import { startRun } from '../core/limiter';
import type { MessageKey } from '../core/messages';
import type { ProgressView } from '../core/progress';
import { examineRow } from '../core/rows';
import { parseStatus } from '../core/status';
import type { Cell } from '../core/types';
import type { AppContext } from './context';
import type { SheetPort } from './ports';
import { advanceLocked, idleView, LOCK_WAIT_MS, processNextBatch, SAFETY_NET_MS, TRIGGER_GRACE_MS, viewOf, finish } from './run';

const HANDLER = 'processNextBatch';
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** Tells the user why nothing can start; returns false when something is in the way. */
export function readyToStart(ctx: AppContext): boolean {
  const job = ctx.store.job();
  if (job) {
    ctx.ports.ui.alert(ctx.say('app.title'), runInProgress(ctx, job));
    return false;
  }
  if (!ctx.store.apiKey(ctx.settings.keyScope)) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.noKey'));
    return false;
  }
  return true;
}

export function runInProgress(ctx: AppContext, job: Job): string {
  return ctx.say('dialog.runInProgress', {
    kind: ctx.say(job.kind === 'refresh' ? 'kind.refresh' : 'kind.create'),
    sheet: job.sheetName,
    user: job.startedBy,
    done: job.total - job.rows.length,
    total: job.total,
  });
}

/** Runs `work` under the document lock, or tells the user someone else is busy. */
export function withLock<T>(ctx: AppContext, work: () => T): T | undefined {
  if (!ctx.ports.lock.tryLock(LOCK_WAIT_MS)) {
    const job = ctx.store.job();
    ctx.ports.ui.alert(ctx.say('app.title'), job ? runInProgress(ctx, job) : ctx.say('dialog.busy'));
    return undefined;
  }
  try {
    return work();
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}

interface Prepared {
  sheet: SheetPort;
  data: Cell[][];
  layout: SheetLayout;
}

/**
 * Reads the sheet once, checks the required headers and adds the missing output columns.
 * Null (after telling the user) when the sheet can't be used.
 */
export function prepareSheet(ctx: AppContext, sheet: SheetPort, extra: readonly 'paidAt'[] = []): Prepared | null {
  // The log has Customer, Amount and Payment ID columns too: its rows are records, not invoices.
  if (sheet.name === ctx.say('log.sheetName')) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.logSheet'));
    return null;
  }
  const data = sheet.readAll();
  const layout = mapHeaders(data[0] ?? []);
  const missing = missingRequired(layout);
  if (missing.length) {
    const names = missing.map((field) => ctx.say(`field.${field}` as MessageKey)).join(', ');
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.missingHeaders', { missing: names, examples: 'Name | Amount | Email | Expires At' }));
    return null;
  }
  const planned = planOutputColumns(layout, extra);
  if (planned.added.length) {
    const first = Math.min(...planned.added.map((a) => a.column));
    const last = Math.max(...planned.added.map((a) => a.column));
    const header = data[0] ?? [];
    const row: Cell[] = [];
    for (let c = first; c <= last; c++) row.push(planned.added.find((a) => a.column === c)?.header ?? header[c] ?? '');
    sheet.write(1, first + 1, [row]);
    // Output text stays literal through an apostrophe prefix (cells.ts), which needs the
    // automatic format: in a plain-text (@) cell Sheets would show the apostrophe.
    const paidAt = planned.added.find((a) => a.header === OUTPUT_HEADER_TEXT.paidAt);
    if (paidAt) sheet.setColumnFormat(paidAt.column + 1, 1, DATE_TIME_FORMAT);
    for (const r of data) while (r.length <= last) r.push('');
    if (data[0]) planned.added.forEach((a) => ((data[0] as Cell[])[a.column] = a.header));
  }
  return { sheet, data, layout: planned.layout };
}

interface Examined {
  rows: JobRow[];
  errors: Map<number, RowUpdate>;
  skipped: number;
  failed: number;
  firstErrorRow: number | null;
  leftOver: number;
}

/** Sorts every row (or the selected ones) into: to send, invalid (Error), or skipped. */
function examineAll(ctx: AppContext, prepared: Prepared, onlyRows: ReadonlySet<number> | null, clearValidErrors: boolean): Examined {
  const { data, layout } = prepared;
  const rowCtx = { zone: ctx.ports.spreadsheet.zone(), now: new Date(ctx.ports.clock.now()), defaultExpiryDays: ctx.settings.defaultExpiryDays, locale: ctx.locale };
  const result: Examined = { rows: [], errors: new Map(), skipped: 0, failed: 0, firstErrorRow: null, leftOver: 0 };
  const errorColumn = layout.output.error;
  const statusColumn = layout.output.status;
  for (let index = 1; index < data.length; index++) {
    const sheetRow = index + 1;
    if (onlyRows && !onlyRows.has(sheetRow)) continue;
    const cells = data[index] ?? [];
    const verdict = examineRow(cells, layout, rowCtx);
    if (verdict.kind === 'blank') continue;
    if (verdict.kind === 'done' || (statusColumn !== undefined && parseStatus(cells[statusColumn]) === 'review')) {
      result.skipped++;
      continue;
    }
    if (verdict.kind === 'invalid') {
      result.failed++;
      result.firstErrorRow ??= sheetRow;
      if (errorColumn !== undefined) result.errors.set(index, new Map([[errorColumn, verdict.errors.join('; ')]]));
      continue;
    }
    if (clearValidErrors && errorColumn !== undefined && cells[errorColumn] !== '') result.errors.set(index, new Map([[errorColumn, '']]));
    if (result.rows.length >= MAX_JOB_ROWS) {
      result.leftOver++;
      continue;
    }
    result.rows.push(pendingRow(result.rows.length, rowFingerprint(cells, layout), sheetRow));
  }
  return result;
}

function writeErrors(prepared: Prepared, errors: ReadonlyMap<number, RowUpdate>): void {
  for (const block of planWrites(errors, prepared.data)) prepared.sheet.write(block.row, block.column, block.values);
}

/**
 * Mayar → Create payment links (all pending rows, or the selected ones). Validates every row,
 * marks the invalid ones, starts the job and sends the first window right away, so a small
 * sheet is done in one click; a bigger one continues in the progress sidebar.
 */
export function startCreate(ctx: AppContext, selectionOnly: boolean): ProgressView | undefined {
  const view = withLock(ctx, () => {
    if (!readyToStart(ctx)) return undefined;
    const sheet = ctx.ports.spreadsheet.activeSheet();
    let onlyRows: Set<number> | null = null;
    if (selectionOnly) {
      const selection = ctx.ports.spreadsheet.selectedRows();
      onlyRows = new Set(selection.rows.filter((r) => r > 1));
      if (onlyRows.size === 0) {
        ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noRowsSelected') }));
        return undefined;
      }
    }
    const prepared = prepareSheet(ctx, sheet);
    if (!prepared) return undefined;
    const examined = examineAll(ctx, prepared, onlyRows, false);
    writeErrors(prepared, examined.errors);
    if (examined.rows.length === 0) {
      const summary = ctx.say('summary.create', { created: 0, failed: examined.failed, review: 0, skipped: examined.skipped });
      ctx.ports.ui.alert(ctx.say('app.title'), `${ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noPendingRows') })}\n\n${summary}`);
      return undefined;
    }
    const job = newJob({
      id: ctx.ports.uuid().replace(/-/g, '').slice(0, 12),
      kind: 'create',
      sheetId: sheet.id,
      sheetName: sheet.name,
      startedBy: ctx.user,
      startedAt: ctx.ports.clock.now(),
      environment: ctx.settings.environment,
      keyScope: ctx.settings.keyScope,
      rows: examined.rows,
      skipped: examined.skipped,
      failed: examined.failed,
      firstErrorRow: examined.firstErrorRow,
      leftOver: examined.leftOver,
    });
    ctx.store.save({ job, limiter: startRun(ctx.store.limiter()), lastRun: null });
    // If this execution dies while sending, the trigger carries the run on (afterStart replaces it).
    ctx.ports.triggers.scheduleOnce(HANDLER, SAFETY_NET_MS);
    return advanceLocked(ctx);
  });
  return afterStart(ctx, view);
}

/** After the click's first window: a summary when done, else the progress sidebar and a trigger. */
export function afterStart(ctx: AppContext, view: ProgressView | undefined): ProgressView | undefined {
  if (!view) return undefined;
  if (view.done) {
    ctx.ports.triggers.cancel(HANDLER);
    ctx.ports.ui.alert(ctx.say('app.title'), view.message);
    return view;
  }
  ctx.ports.triggers.scheduleOnce(HANDLER, view.waitMs + TRIGGER_GRACE_MS);
  ctx.ports.ui.showSidebar('Progress', ctx.say('app.title'));
  return view;
}

/** Mayar → Check rows: marks what would fail, clears stale errors, sends nothing. */
export function checkRows(ctx: AppContext): void {
  withLock(ctx, () => {
    const prepared = prepareSheet(ctx, ctx.ports.spreadsheet.activeSheet());
    if (!prepared) return;
    const examined = examineAll(ctx, prepared, null, true);
    writeErrors(prepared, examined.errors);
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.checked', { ready: examined.rows.length + examined.leftOver, failed: examined.failed, skipped: examined.skipped }));
  });
}

/** Mayar → Set up this sheet: headers, frozen header row, formats that keep data intact. */
export function setUpSheet(ctx: AppContext): void {
  withLock(ctx, () => {
    const sheet = ctx.ports.spreadsheet.activeSheet();
    const data = sheet.readAll();
    const headerRow = data[0] ?? [];
    if (headerRow.every((cell) => cell === '')) {
      sheet.write(1, 1, [['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At', 'Notes']]);
    }
    const prepared = prepareSheet(ctx, sheet, ['paidAt']);
    if (!prepared) return;
    const { layout } = prepared;
    const rows = Math.max(1000, prepared.data.length + 500) - 1;
    const format = (column: number | undefined, pattern: string) => {
      if (column !== undefined) sheet.setNumberFormat(2, column + 1, rows, 1, pattern);
    };
    format(layout.input.amount, '"Rp "#,##0');
    format(layout.input.expiry, DATE_TIME_FORMAT);
    format(layout.input.mobile, '@');
    format(layout.output.paidAt, DATE_TIME_FORMAT);
    // Output columns keep the automatic format on purpose: the add-on writes them as literal
    // text with an apostrophe prefix, which a plain-text (@) cell would show.
    sheet.freezeHeader();
    ctx.ports.ui.toast(ctx.say('dialog.setUpDone'), ctx.say('app.title'), 5);
  });
}

export function getProgress(ctx: AppContext): ProgressView {
  const job = ctx.store.job();
  return job ? viewOf(ctx, job, job.lastWaitMs, job.state === 'paused' ? 'paused' : 'running') : idleView(ctx);
}

export function pauseRun(ctx: AppContext): ProgressView {
  return withLock(ctx, () => {
    const job = ctx.store.job();
    if (!job) return idleView(ctx);
    if (job.state === 'running') {
      job.state = 'paused';
      job.pausedBy = ctx.user;
      ctx.store.save({ job });
    }
    ctx.ports.triggers.cancel(HANDLER);
    return viewOf(ctx, job, 0, 'paused');
  }) ?? getProgress(ctx);
}

export function resumeRun(ctx: AppContext): ProgressView {
  const resumed = withLock(ctx, () => {
    const job = ctx.store.job();
    if (!job) return false;
    if (job.state === 'paused') {
      job.state = 'running';
      delete job.pausedBy;
      ctx.store.save({ job });
    }
    return true;
  });
  return resumed ? processNextBatch(ctx) : getProgress(ctx);
}

/** Stops sending. Rows whose outcome is still unknown are checked with Mayar first. */
export function cancelRun(ctx: AppContext): ProgressView {
  const view = withLock(ctx, () => {
    const job = ctx.store.job();
    if (!job) return idleView(ctx);
    job.pausedBy = ctx.user;
    if (!job.rows.some((r) => r.s === 'f')) return finish(ctx, job, 'cancelled', ctx.say('run.cancelled', { user: ctx.user }));
    job.state = 'cancelling';
    ctx.store.save({ job });
    return advanceLocked(ctx);
  }) ?? getProgress(ctx);
  if (view.done) ctx.ports.triggers.cancel(HANDLER);
  return view;
}

export function goToRow(ctx: AppContext, sheetName: string, row: number): void {
  const sheet = ctx.ports.spreadsheet.sheetByName(sheetName);
  if (sheet && Number.isInteger(row) && row >= 1) sheet.select(row, 1, 1, Math.max(1, mapHeaders(sheet.readAll()[0] ?? []).width));
}
