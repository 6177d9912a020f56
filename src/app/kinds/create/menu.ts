/**
 * Mayar → Create payment links (all pending rows, or the selected ones) and Mayar → Check rows.
 * Validates every row, marks the invalid ones, starts the job and sends the first window right
 * away, so a small sheet is done in one click; a bigger one continues in the progress sidebar.
 */
import { planWrites, type RowUpdate } from '../../../core/cells';
import { buildConfirmation, confirmationText, type ConfirmItem } from '../../../core/confirm';
import { mapHeaders, missingRequired, outputHeaderText } from '../../../core/headers';
import { cellText } from '../../../core/cell-text';
import { invoiceKey } from '../../../core/fingerprint';
import { type JobRow, MAX_JOB_ROWS, pendingRow } from '../../../core/job';
import type { ProgressView } from '../../../core/progress';
import { parseName } from '../../../core/parse';
import { examineRow, type RowContext } from '../../../core/rows';
import { parseStatus, statusText } from '../../../core/status';
import type { Cell } from '../../../core/types';
import type { AppContext } from '../../context';
import { afterStart, readyToStart, withLock } from '../../control';
import { jobFor, startJob } from '../../engine/engine';
import { rupiah } from '../../context';
import { colourStatusColumn } from '../../dashboard';
import { isLogSheet, type Prepared, prepareSheet, writeBlocks, WriteRefused } from '../../sheet-prep';
import { restoreSetAsideRefresh, setAsideRefresh } from '../refresh/menu';
import { accountLines } from '../../account';
import { applyChannels, type ChannelCheck, channelsLine, readChannels } from './channels';
import { continueOrWait } from '../../carry-on';
import { hasItemColumns } from '../../../core/items';
import { checkInvoiceRows, startInvoices } from '../invoice/menu';

interface Examined {
  rows: JobRow[];
  writes: Map<number, RowUpdate>;
  skipped: number;
  failed: number;
  firstErrorRow: number | null;
  leftOver: number;
  /** Payments remembered for rows that could not be found earlier, now written into their rows. */
  recovered: string[];
  /** What will be sent, for the confirmation; request.name is the customer's name there. */
  requests: ConfirmItem[];
}

/** How rows are read for a create: the zone, the clock, the settings and the sheet's headers. */
export function rowContextOf(ctx: AppContext, headers: readonly Cell[]): RowContext {
  return {
    zone: ctx.ports.spreadsheet.zone(),
    now: new Date(ctx.ports.clock.now()),
    defaultExpiryDays: ctx.settings.defaultExpiryDays,
    locale: ctx.locale,
    titleTemplate: ctx.settings.titleTemplate,
    headers,
  };
}

/** Sorts every row (or the selected ones) into: to send, invalid (Error), or skipped. */
function examineAll(ctx: AppContext, prepared: Prepared, onlyRows: ReadonlySet<number> | null, clearValidErrors: boolean): Examined {
  const { data, layout } = prepared;
  const rowCtx: RowContext = { ...rowContextOf(ctx, data[0] ?? []), sheetLocale: ctx.ports.spreadsheet.locale() };
  // What the user sees, to catch an amount the sheet's locale stored as another number.
  const shown = prepared.sheet.readShown(
    data.length,
    data.reduce((width, row) => Math.max(width, row.length), 0),
  );
  const result: Examined = { rows: [], writes: new Map(), skipped: 0, failed: 0, firstErrorRow: null, leftOver: 0, recovered: [], requests: [] };
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
    // The same customer twice is told by the Name cell, whatever title Mayar gets.
    const customer = parseName(cells[layout.input.name ?? -1] ?? '');
    result.requests.push({ row: sheetRow, request: { ...verdict.request, name: customer.ok ? customer.value : verdict.request.name } });
  }
  return result;
}

function writeExamined(ctx: AppContext, prepared: Prepared, examined: Examined): void {
  writeBlocks(prepared.sheet, planWrites(examined.writes));
  // Only once they are in the sheet: a row with a payment is never sent again.
  ctx.store.forgetUnplaced(examined.recovered);
}

/** The error column's header as the sheet spells it ("Keterangan Error", "Error"), for messages. */
function errorHeader(ctx: AppContext, prepared: Prepared): string {
  const column = prepared.layout.output.error;
  const text = column === undefined ? '' : cellText(prepared.data[0]?.[column]).trim();
  return text || outputHeaderText(ctx.locale, 'error');
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

/** What the person agreed to send: the rows and their total, and the channels read for it. */
interface Agreed {
  rows: number[];
  total: number;
  channels: ChannelCheck;
}

function agreedOf(examined: Examined, channels: ChannelCheck): Agreed {
  return {
    rows: examined.requests.map((item) => item.row),
    total: examined.requests.reduce((sum, item) => sum + item.request.amount, 0),
    channels,
  };
}

function selectionOf(ctx: AppContext, selectionOnly: boolean | ReadonlySet<number>): ReadonlySet<number> | null | 'empty' {
  if (typeof selectionOnly !== 'boolean') return selectionOnly;
  if (!selectionOnly) return null;
  const selection = ctx.ports.spreadsheet.selectedRows();
  if (selection.hiddenByFilter) ctx.ports.ui.toast(ctx.say('selection.hiddenSkipped', { count: selection.hiddenByFilter }), ctx.say('app.title'), 10);
  const rows = new Set(selection.rows.filter((r) => r > 1));
  return rows.size === 0 ? 'empty' : rows;
}

/**
 * The Yes/No question before anything is sent, asked before the lock is taken (a modal dialog
 * under the lock would hold every other execution until the click). Reads the sheet, writes
 * nothing. Returns false when the person said no or nothing can start; null when there is
 * nothing to ask (the locked part then explains why nothing is sent, or sends without asking
 * in sandbox when the setting says so).
 */
function askFirst(ctx: AppContext, onlyRows: ReadonlySet<number> | null): Agreed | null | false {
  // A refresh in progress yields to a create (it is set aside under the lock, below).
  const stored = ctx.store.job();
  const refreshing = stored.ok && stored.job?.kind === 'refresh';
  if (!refreshing && !readyToStart(ctx)) return false;
  const sheet = ctx.ports.spreadsheet.activeSheet();
  if (isLogSheet(ctx, sheet)) return null;
  const data = sheet.readAll();
  const layout = mapHeaders(data[0] ?? []);
  if (missingRequired(layout).length > 0) return null;
  const examined = examineAll(ctx, { sheet, data, layout }, onlyRows, false);
  if (examined.requests.length === 0) return null;
  // Read once, here: the locked part below marks the same rows without asking Mayar again.
  const channels = readChannels(ctx, examined.requests);
  const refused = examined.requests.length;
  applyChannels(ctx, channels, layout, examined);
  const agreed = agreedOf(examined, channels);
  if (examined.requests.length === 0) return agreed;
  const account = accountLines(ctx);
  // A key, scope or environment someone else changed is always asked about, even in sandbox.
  if (ctx.settings.environment === 'sandbox' && !ctx.settings.confirmInSandbox && account.first.length === 0) return agreed;
  const amountColumns = { taken: layout.headerText.amount ?? '', others: layout.others?.amount ?? [] };
  const confirmation = buildConfirmation(examined.requests, ctx.settings.environment, new Date(ctx.ports.clock.now()), amountColumns);
  const notes = [account.account, channelsLine(ctx, channels)];
  if (refused > examined.requests.length) notes.push(ctx.say('confirm.channelRefused', { count: refused - examined.requests.length }));
  const { title, text } = confirmationText(ctx.locale, confirmation, { first: account.first, notes: notes.filter((line) => line !== '') });
  if (ctx.ports.ui.confirm(title, text)) return agreed;
  ctx.ports.ui.toast(ctx.say('confirm.cancelled'), ctx.say('app.title'), 5);
  return false;
}

/** Creates links for every pending row, the selected ones (true), or the given sheet rows. */
export function startCreate(ctx: AppContext, selectionOnly: boolean | ReadonlySet<number>): ProgressView | undefined {
  // A refresh in progress yields to a create (it is set aside under the lock, below).
  const check = continueOrWait(ctx, ['refresh']);
  if (!check.free) return check.view;
  const onlyRows = selectionOf(ctx, selectionOnly);
  if (onlyRows === 'empty') {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noRowsSelected') }));
    return undefined;
  }
  // A sheet with line items ("Rincian: <item>" columns) bills each row as a Mayar invoice.
  const sheet = ctx.ports.spreadsheet.activeSheet();
  if (!isLogSheet(ctx, sheet) && hasItemColumns(sheet.readAll()[0] ?? [])) return startInvoices(ctx, sheet, onlyRows);
  const agreed = askFirst(ctx, onlyRows);
  if (agreed === false) return undefined;
  const view = withLock(ctx, (ctx) => {
    const yielded = setAsideRefresh(ctx);
    const started = startCreateLocked(ctx, onlyRows, agreed);
    if (yielded) restoreSetAsideRefresh(ctx);
    return started;
  });
  return afterStart(ctx, view);
}

/** With the lock held: examine again, check it is what was agreed, start the job and send the first window. */
function startCreateLocked(ctx: AppContext, onlyRows: ReadonlySet<number> | null, agreed: Agreed | null): ProgressView | undefined {
  {
    if (!readyToStart(ctx)) return undefined;
    const sheet = ctx.ports.spreadsheet.activeSheet();
    const prepared = prepareSheet(ctx, sheet);
    if (!prepared) return undefined;
    colourStatusColumn(sheet, prepared.layout, false);
    const examined = examineAll(ctx, prepared, onlyRows, false);
    applyChannels(ctx, agreed?.channels ?? readChannels(ctx, examined.requests), prepared.layout, examined);
    if (agreed !== null) {
      const now = agreedOf(examined, agreed.channels);
      if (now.total !== agreed.total || now.rows.join() !== agreed.rows.join()) {
        // Someone edited the sheet while the dialog was open: what was agreed is not what would go.
        ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('confirm.sheetChanged', { count: now.rows.length, total: rupiah(now.total) }));
        return undefined;
      }
    }
    if (!writeOrSay(ctx, () => writeExamined(ctx, prepared, examined))) return undefined;
    if (examined.rows.length === 0) {
      // Rows with errors are not "nothing to send": they are what is left to fix.
      const text =
        examined.failed > 0
          ? ctx.say('dialog.onlyErrors', { failed: examined.failed, skipped: examined.skipped, errorColumn: errorHeader(ctx, prepared) })
          : ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noPendingRows') });
      ctx.ports.ui.alert(ctx.say('app.title'), text);
      return undefined;
    }
    return startJob(ctx, jobFor(ctx, 'create', sheet, examined.rows, examined));
  }
}

/** Mayar → Check rows: marks what would fail, clears stale errors, sends nothing. */
export function checkRows(ctx: AppContext): void {
  const sheet = ctx.ports.spreadsheet.activeSheet();
  if (!isLogSheet(ctx, sheet) && hasItemColumns(sheet.readAll()[0] ?? [])) return checkInvoiceRows(ctx, sheet);
  withLock(ctx, (ctx) => {
    const prepared = prepareSheet(ctx, ctx.ports.spreadsheet.activeSheet());
    if (!prepared) return;
    const examined = examineAll(ctx, prepared, null, true);
    const check = readChannels(ctx, examined.requests);
    applyChannels(ctx, check, prepared.layout, examined);
    const channels = channelsLine(ctx, check);
    if (!writeOrSay(ctx, () => writeExamined(ctx, prepared, examined))) return;
    const checked = ctx.say('dialog.checked', {
      ready: examined.rows.length + examined.leftOver,
      failed: examined.failed,
      skipped: examined.skipped,
      errorColumn: errorHeader(ctx, prepared),
    });
    ctx.ports.ui.alert(ctx.say('app.title'), channels === '' ? checked : `${checked}\n\n${channels}`);
  });
}
