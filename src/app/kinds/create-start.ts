/**
 * Mayar → Create payment links (all pending rows, or the selected ones) and Mayar → Check rows.
 * Validates every row, marks the invalid ones, starts the job and sends the first window right
 * away, so a small sheet is done in one click; a bigger one continues in the progress sidebar.
 */
import { planWrites, type RowUpdate } from '../../core/cells';
import { invoiceKey } from '../../core/fingerprint';
import { type JobRow, MAX_JOB_ROWS, newJob, pendingRow } from '../../core/job';
import { startRun } from '../../core/limiter';
import type { ProgressView } from '../../core/progress';
import { examineRow } from '../../core/rows';
import { parseStatus, statusText } from '../../core/status';
import type { AppContext } from '../context';
import { afterStart, readyToStart, withLock } from '../control';
import { advanceLocked, SAFETY_NET_MS } from '../engine/engine';
import { scheduleContinuation } from '../schedule';
import { type Prepared, prepareSheet, writeBlocks, WriteRefused } from '../sheet-prep';
import { restoreSetAsideRefresh, setAsideRefresh } from './refresh-start';

interface Examined {
  rows: JobRow[];
  writes: Map<number, RowUpdate>;
  skipped: number;
  failed: number;
  firstErrorRow: number | null;
  leftOver: number;
  /** Payments remembered for rows that could not be found earlier, now written into their rows. */
  recovered: string[];
}

/** Sorts every row (or the selected ones) into: to send, invalid (Error), or skipped. */
function examineAll(ctx: AppContext, prepared: Prepared, onlyRows: ReadonlySet<number> | null, clearValidErrors: boolean): Examined {
  const { data, layout } = prepared;
  const rowCtx = { zone: ctx.ports.spreadsheet.zone(), now: new Date(ctx.ports.clock.now()), defaultExpiryDays: ctx.settings.defaultExpiryDays, locale: ctx.locale, sheetLocale: ctx.ports.spreadsheet.locale() };
  // What the user sees, to catch an amount the sheet's locale stored as another number.
  const shown = prepared.sheet.readShown(data.length, data.reduce((width, row) => Math.max(width, row.length), 0));
  const result: Examined = { rows: [], writes: new Map(), skipped: 0, failed: 0, firstErrorRow: null, leftOver: 0, recovered: [] };
  const { error: errorColumn, status: statusColumn } = layout.output;
  const unplaced = ctx.store.unplaced().filter((p) => p.sheetId === prepared.sheet.id);
  for (let index = 1; index < data.length; index++) {
    const sheetRow = index + 1;
    if (onlyRows && !onlyRows.has(sheetRow)) continue;
    const cells = data[index] ?? [];
    const verdict = examineRow(cells, layout, rowCtx, shown[index]);
    if (verdict.kind === 'blank') continue;
    if (verdict.kind === 'done' || (statusColumn !== undefined && parseStatus(cells[statusColumn]) === 'review')) {
      result.skipped++;
      continue;
    }
    const key = invoiceKey(cells, layout);
    const remembered = unplaced.find((p) => p.key === key && !result.recovered.includes(p.paymentId));
    if (remembered) {
      // Its payment was created in an earlier run while the row was out of reach: write it, never a second one.
      const { link, paymentId, transactionId } = layout.output;
      const update: RowUpdate = new Map();
      if (link !== undefined) update.set(link, remembered.link);
      if (paymentId !== undefined) update.set(paymentId, remembered.paymentId);
      if (transactionId !== undefined) update.set(transactionId, remembered.transactionId);
      if (statusColumn !== undefined) update.set(statusColumn, statusText(ctx.locale, 'unpaid'));
      if (errorColumn !== undefined) update.set(errorColumn, '');
      result.writes.set(index, update);
      result.recovered.push(remembered.paymentId);
      result.skipped++;
      continue;
    }
    const sameRow = unplaced.find((p) => p.sheetRow === sheetRow && !result.recovered.includes(p.paymentId));
    if (sameRow) {
      // A payment was made for this row while it was being edited: a person decides, not a second create.
      const update: RowUpdate = new Map();
      if (statusColumn !== undefined) update.set(statusColumn, statusText(ctx.locale, 'review'));
      if (errorColumn !== undefined) update.set(errorColumn, ctx.say('row.unplacedPayment', { paymentId: sameRow.paymentId, link: sameRow.link }));
      result.writes.set(index, update);
      result.recovered.push(sameRow.paymentId);
      result.skipped++;
      continue;
    }
    if (verdict.kind === 'invalid') {
      result.failed++;
      result.firstErrorRow ??= sheetRow;
      if (errorColumn !== undefined) result.writes.set(index, new Map([[errorColumn, verdict.errors.join('; ')]]));
      continue;
    }
    if (clearValidErrors && errorColumn !== undefined && cells[errorColumn] !== '') result.writes.set(index, new Map([[errorColumn, '']]));
    if (result.rows.length >= MAX_JOB_ROWS) {
      result.leftOver++;
      continue;
    }
    result.rows.push(pendingRow(result.rows.length, key, sheetRow));
  }
  return result;
}

function writeExamined(ctx: AppContext, prepared: Prepared, examined: Examined): void {
  writeBlocks(prepared.sheet, planWrites(examined.writes));
  // Only once they are in the sheet: a row with a payment is never sent again.
  ctx.store.forgetUnplaced(examined.recovered);
}

/** Runs a write; a refused one is said in a dialog (after the lock) and nothing starts. */
function writeOrSay(ctx: AppContext, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.writeRefused', { range: error.range, details: error.reason }));
    return false;
  }
}

export function startCreate(ctx: AppContext, selectionOnly: boolean): ProgressView | undefined {
  const view = withLock(ctx, () => {
    const yielded = setAsideRefresh(ctx);
    const started = startCreateLocked(ctx, selectionOnly);
    if (yielded) restoreSetAsideRefresh(ctx);
    return started;
  });
  return afterStart(ctx, view);
}

function startCreateLocked(ctx: AppContext, selectionOnly: boolean): ProgressView | undefined {
  if (!readyToStart(ctx)) return undefined;
  const sheet = ctx.ports.spreadsheet.activeSheet();
  let onlyRows: Set<number> | null = null;
  if (selectionOnly) {
    const selection = ctx.ports.spreadsheet.selectedRows();
    onlyRows = new Set(selection.rows.filter((r) => r > 1));
    if (selection.hiddenByFilter) ctx.ports.ui.toast(ctx.say('selection.hiddenSkipped', { count: selection.hiddenByFilter }), ctx.say('app.title'), 10);
    if (onlyRows.size === 0) {
      ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noRowsSelected') }));
      return undefined;
    }
  }
  const prepared = prepareSheet(ctx, sheet);
  if (!prepared) return undefined;
  const examined = examineAll(ctx, prepared, onlyRows, false);
  if (!writeOrSay(ctx, () => writeExamined(ctx, prepared, examined))) return undefined;
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
    startedByKey: ctx.userKey,
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
  scheduleContinuation(ctx, SAFETY_NET_MS);
  return advanceLocked(ctx);
}

/** Mayar → Check rows: marks what would fail, clears stale errors, sends nothing. */
export function checkRows(ctx: AppContext): void {
  withLock(ctx, () => {
    const prepared = prepareSheet(ctx, ctx.ports.spreadsheet.activeSheet());
    if (!prepared) return;
    const examined = examineAll(ctx, prepared, null, true);
    if (!writeOrSay(ctx, () => writeExamined(ctx, prepared, examined))) return;
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.checked', { ready: examined.rows.length + examined.leftOver, failed: examined.failed, skipped: examined.skipped }));
  });
}
