/**
 * Mayar → Renew expired links. A row that is Expired and unpaid gets a new expiry (today plus
 * the default days) and its old link and ids move to the Mayar Log; then the ordinary create
 * runs on those rows, so a renewal has every safety of a create (the question first, nothing
 * lost, nothing twice). A renewed row is no longer Expired, so a second click renews nothing.
 */
import { planWrites, type RowUpdate } from '../../core/cells';
import { cellText } from '../../core/cell-text';
import type { ProgressView } from '../../core/progress';
import { parseStatus } from '../../core/status';
import { appendLog, type LogEntry } from '../audit-log';
import type { AppContext } from '../context';
import { readyToStart, withLock } from '../control';
import { prepareSheet, writeBlocks } from '../sheet-prep';
import { startCreate } from './create-start';
import { continueOrWait } from '../carry-on';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Clears the expired rows' links under the lock; the sheet rows to create again, or null. */
function clearExpired(ctx: AppContext): Set<number> | null {
  return (
    withLock(ctx, () => {
      if (!readyToStart(ctx)) return null;
      const prepared = prepareSheet(ctx, ctx.ports.spreadsheet.activeSheet());
      if (!prepared) return null;
      const { sheet, data, layout } = prepared;
      const { link, paymentId, transactionId, status, error, paidAt } = layout.output;
      if (status === undefined || paymentId === undefined) return null;
      // Whole minutes: the cell reads as a plain date and time.
      const expiry = new Date(Math.floor(ctx.ports.clock.now() / MINUTE_MS) * MINUTE_MS + ctx.settings.defaultExpiryDays * DAY_MS);
      const writes = new Map<number, RowUpdate>();
      const log: LogEntry[] = [];
      const rows = new Set<number>();
      data.forEach((cells, index) => {
        // Only Expired counts: a Paid row (or one paid late and refreshed) is never renewed.
        if (index === 0 || parseStatus(cells[status]) !== 'expired' || cellText(cells[paymentId]) === '') return;
        const update: RowUpdate = new Map();
        for (const column of [link, paymentId, transactionId, status, error, paidAt]) if (column !== undefined) update.set(column, '');
        if (layout.input.expiry !== undefined) update.set(layout.input.expiry, expiry);
        writes.set(index, update);
        rows.add(index + 1);
        log.push({
          sheet: sheet.name,
          row: index + 1,
          customer: cellText(cells[layout.input.name ?? -1]),
          amount: typeof cells[layout.input.amount ?? -1] === 'number' ? (cells[layout.input.amount ?? -1] as number) : '',
          action: ctx.say('renew.log'),
          outcome: ctx.say('renew.logOutcome', { expiry: expiry.toISOString() }),
          paymentId: cellText(cells[paymentId]),
          link: link === undefined ? '' : cellText(cells[link]),
          details: transactionId === undefined ? '' : `Transaction ID: ${cellText(cells[transactionId])}`,
        });
      });
      if (rows.size === 0) {
        ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('renew.none'));
        return null;
      }
      // The old link is in the log before it leaves the row.
      appendLog(ctx, log);
      writeBlocks(sheet, planWrites(writes));
      return rows;
    }) ?? null
  );
}

export function renewExpiredLinks(ctx: AppContext): ProgressView | undefined {
  const check = continueOrWait(ctx);
  if (!check.free) return check.view;
  const rows = clearExpired(ctx);
  return rows === null ? undefined : startCreate(ctx, rows);
}
