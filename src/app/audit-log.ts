/**
 * The "Mayar Log" sheet: one row per create attempt and outcome (and per refresh, close and
 * webhook), appended once per chunk, so a payment is never only in memory.
 */
import { clip, plainText } from '../core/cells';
import type { Cell } from '../core/types';
import type { AppContext } from './context';
import type { SheetPort } from './ports';
import { writeBlocks } from './sheet-prep';

export interface LogEntry {
  sheet: string;
  row: number | '';
  customer: string;
  amount: number | '';
  action: string;
  outcome: string;
  paymentId?: string;
  link?: string;
  details?: string;
}

function logSheet(ctx: AppContext): SheetPort {
  const name = ctx.say('log.sheetName');
  const existing = ctx.ports.spreadsheet.sheetByName(name);
  // An execution may have died right after inserting the sheet: give it its header row then.
  if (existing && existing.lastRow() > 0) return existing;
  const sheet = existing ?? ctx.ports.spreadsheet.insertSheet(name);
  const headers = ctx.say('log.headers').split('|');
  // Through writeBlocks: a protected log sheet pauses the run, naming the range, like any refused write.
  writeBlocks(sheet, [{ row: 1, column: 1, values: [headers] }]);
  sheet.freezeHeader();
  return sheet;
}

export function appendLog(ctx: AppContext, entries: readonly LogEntry[]): void {
  if (entries.length === 0) return;
  const sheet = logSheet(ctx);
  const time = new Date(ctx.ports.clock.now());
  const rows: Cell[][] = entries.map((e): Cell[] =>
    [time, ctx.user, e.sheet, e.row, e.customer, e.amount, e.action, e.outcome, e.paymentId ?? '', e.link ?? '', e.details ?? ''].map((cell) =>
      typeof cell === 'string' ? plainText(clip(cell)) : cell,
    ),
  );
  writeBlocks(sheet, [{ row: sheet.lastRow() + 1, column: 1, values: rows }]);
}
