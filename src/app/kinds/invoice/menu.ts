/**
 * Mayar → Create payment links on a sheet with line items ("Rincian: <item>" columns): each row
 * becomes a Mayar invoice. The same road as payment links (create/menu.ts hands such a sheet
 * here): the question with the totals before anything is sent, the invalid rows marked, the job
 * started under the lock and its first window sent at once.
 */
import { planWrites, type RowUpdate } from '../../../core/cells';
import { buildConfirmation, confirmationText, type ConfirmItem } from '../../../core/confirm';
import { cellIsEmpty } from '../../../core/cell-text';
import { invoiceKey } from '../../../core/fingerprint';
import { mapHeaders } from '../../../core/headers';
import { examineInvoiceRow } from '../../../core/invoice-rows';
import { itemColumns } from '../../../core/items';
import { type JobRow, MAX_JOB_ROWS, pendingRow } from '../../../core/job';
import type { ProgressView } from '../../../core/progress';
import { parseStatus } from '../../../core/status';
import type { Cell } from '../../../core/types';
import { type AppContext, rupiah } from '../../context';
import { afterStart, readyToStart, withLock } from '../../control';
import { jobFor, startJob } from '../../engine/engine';
import type { SheetPort } from '../../ports';
import { ensureOutputColumns, isLogSheet, writeBlocks, WriteRefused } from '../../sheet-prep';
import { restoreSetAsideRefresh, setAsideRefresh } from '../refresh/menu';

interface Examined {
  rows: JobRow[];
  errors: Map<number, RowUpdate>;
  failed: number;
  skipped: number;
  firstErrorRow: number | null;
  leftOver: number;
  confirm: ConfirmItem[];
  /** Item → its total over the rows to send, in column order. */
  byItem: Map<string, number>;
  /** Valid rows (0-based data index) whose Error cell still says something: Check rows clears it. */
  cleared: number[];
}

function examineAll(ctx: AppContext, sheet: SheetPort, data: readonly (readonly Cell[])[], onlyRows: ReadonlySet<number> | null): Examined {
  const headers = data[0] ?? [];
  // What the user sees, to catch an item or amount the sheet's locale stored as another number.
  const shown = sheet.readShown(
    data.length,
    data.reduce((width, row) => Math.max(width, row.length), 0),
  );
  const layout = mapHeaders(headers);
  const columns = itemColumns(headers);
  const rowCtx = {
    zone: ctx.ports.spreadsheet.zone(),
    now: new Date(ctx.ports.clock.now()),
    defaultExpiryDays: ctx.settings.defaultExpiryDays,
    locale: ctx.locale,
    headers,
    sheetLocale: ctx.ports.spreadsheet.locale(),
  };
  const out: Examined = { rows: [], errors: new Map(), failed: 0, skipped: 0, firstErrorRow: null, leftOver: 0, confirm: [], byItem: new Map(), cleared: [] };
  const { error: errorColumn, status: statusColumn } = layout.output;
  for (let index = 1; index < data.length; index++) {
    const sheetRow = index + 1;
    if (onlyRows && !onlyRows.has(sheetRow)) continue;
    const cells = data[index] ?? [];
    const verdict = examineInvoiceRow(cells, layout, columns, rowCtx, shown[index]);
    if (verdict.kind === 'blank') continue;
    if (verdict.kind === 'done' || (statusColumn !== undefined && parseStatus(cells[statusColumn]) === 'review')) {
      out.skipped++;
      continue;
    }
    if (verdict.kind === 'invalid') {
      out.failed++;
      out.firstErrorRow ??= sheetRow;
      if (errorColumn !== undefined) out.errors.set(index, new Map([[errorColumn, verdict.errors.join('; ')]]));
      continue;
    }
    if (out.rows.length >= MAX_JOB_ROWS) {
      out.leftOver++;
      continue;
    }
    if (errorColumn !== undefined && !cellIsEmpty(cells[errorColumn] ?? '')) out.cleared.push(index);
    out.rows.push(pendingRow(out.rows.length, invoiceKey(cells, layout), sheetRow));
    const r = verdict.request;
    out.confirm.push({ row: sheetRow, request: { name: r.name, amount: verdict.total, email: r.email, mobile: r.mobile, expiredAt: r.expiredAt } });
    for (const item of r.items) out.byItem.set(item.description, (out.byItem.get(item.description) ?? 0) + item.rate);
  }
  return out;
}

/** The question before anything is sent, with the totals per item; the text as payment links have it otherwise. */
function invoiceQuestion(ctx: AppContext, examined: Examined): { title: string; text: string } {
  const confirmation = buildConfirmation(examined.confirm, ctx.settings.environment, new Date(ctx.ports.clock.now()));
  const { text } = confirmationText(ctx.locale, confirmation);
  const summary = ctx.say('confirm.summary', { count: confirmation.count, total: rupiah(confirmation.total) });
  const items = [...examined.byItem].map(([item, total]) => `${item} ${rupiah(total)}`).join(' · ');
  const mine = `${ctx.say('invoice.confirmSummary', { count: confirmation.count, total: rupiah(confirmation.total) })}\n${ctx.say('invoice.confirmItems', { items })}`;
  return { title: ctx.say('invoice.confirmTitle'), text: text.replace(summary, mine) };
}

interface Agreed {
  rows: string;
  total: number;
}

function agreedOf(examined: Examined): Agreed {
  return { rows: examined.confirm.map((c) => c.row).join(), total: examined.confirm.reduce((sum, c) => sum + c.request.amount, 0) };
}

/** Started by startCreate when the active sheet has item columns; `onlyRows` is the selection (or null). */
export function startInvoices(ctx: AppContext, sheet: SheetPort, onlyRows: ReadonlySet<number> | null): ProgressView | undefined {
  const stored = ctx.store.job();
  const refreshing = stored.ok && stored.job?.kind === 'refresh';
  if (!refreshing && !readyToStart(ctx)) return undefined;
  // Asked before the lock: a dialog under the lock would hold every other execution.
  const first = examineAll(ctx, sheet, sheet.readAll(), onlyRows);
  let agreed: Agreed | null = null;
  if (first.confirm.length > 0) {
    agreed = agreedOf(first);
    if (ctx.settings.environment !== 'sandbox' || ctx.settings.confirmInSandbox) {
      const { title, text } = invoiceQuestion(ctx, first);
      if (!ctx.ports.ui.confirm(title, text)) {
        ctx.ports.ui.toast(ctx.say('confirm.cancelled'), ctx.say('app.title'), 5);
        return undefined;
      }
    }
  }
  const view = withLock(ctx, (ctx) => {
    const yielded = setAsideRefresh(ctx);
    const started = startLocked(ctx, sheet, onlyRows, agreed);
    if (yielded) restoreSetAsideRefresh(ctx);
    return started;
  });
  return afterStart(ctx, view);
}

function startLocked(ctx: AppContext, sheet: SheetPort, onlyRows: ReadonlySet<number> | null, agreed: Agreed | null): ProgressView | undefined {
  if (!readyToStart(ctx) || isLogSheet(ctx, sheet)) return undefined;
  const data = sheet.readAll();
  if (mapHeaders(data[0] ?? []).input.name === undefined) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('invoice.missingHeaders', { examples: 'Nama | Email | No HP | Rincian: SPP | Rincian: Buku' }));
    return undefined;
  }
  ensureOutputColumns(sheet, data, [], ctx.locale);
  const examined = examineAll(ctx, sheet, data, onlyRows);
  if (agreed !== null) {
    const now = agreedOf(examined);
    if (now.total !== agreed.total || now.rows !== agreed.rows) {
      ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('confirm.sheetChanged', { count: examined.confirm.length, total: rupiah(now.total) }));
      return undefined;
    }
  }
  try {
    writeBlocks(sheet, planWrites(examined.errors));
  } catch (error) {
    if (!(error instanceof WriteRefused)) throw error;
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.writeRefused', { range: error.range, details: error.reason }));
    return undefined;
  }
  if (examined.rows.length === 0) {
    const summary = ctx.say('summary.invoice', { created: 0, failed: examined.failed, review: 0, skipped: examined.skipped });
    ctx.ports.ui.alert(ctx.say('app.title'), `${ctx.say('dialog.nothingToSend', { reason: ctx.say('dialog.noPendingRows') })}\n\n${summary}`);
    return undefined;
  }
  return startJob(ctx, jobFor(ctx, 'invoice', sheet, examined.rows, examined));
}

/** Mayar → Check rows on a sheet with line items: marks what would fail, clears stale errors, sends nothing. */
export function checkInvoiceRows(ctx: AppContext, sheet: SheetPort): void {
  withLock(ctx, (ctx) => {
    const data = sheet.readAll();
    const layout = ensureOutputColumns(sheet, data, [], ctx.locale);
    const examined = examineAll(ctx, sheet, data, null);
    const errorColumn = layout.output.error;
    if (errorColumn !== undefined) for (const index of examined.cleared) examined.errors.set(index, new Map([[errorColumn, '']]));
    try {
      writeBlocks(sheet, planWrites(examined.errors));
    } catch (error) {
      if (!(error instanceof WriteRefused)) throw error;
      ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.writeRefused', { range: error.range, details: error.reason }));
      return;
    }
    ctx.ports.ui.alert(
      ctx.say('app.title'),
      ctx.say('dialog.checked', { ready: examined.rows.length + examined.leftOver, failed: examined.failed, skipped: examined.skipped }),
    );
  });
}
