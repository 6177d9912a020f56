/**
 * Getting a customer sheet ready: the required headers checked, the missing output columns
 * added. Used when a job starts, and again before results are written, so an output column
 * deleted or renamed mid-run is put back instead of its values being dropped.
 */
import { a1Range, type WriteBlock } from '../core/cells';
import { exampleHeaders, type ExtraOutputColumn, mapHeaders, missingRequired, outputHeaderText, planOutputColumns, type SheetLayout } from '../core/headers';
import { hasItemColumns } from '../core/items';
import type { Locale, MessageKey } from '../core/messages';
import type { Cell } from '../core/types';
import type { AppContext } from './context';
import type { SheetPort } from './ports';

export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

export interface Prepared {
  sheet: SheetPort;
  data: Cell[][];
  layout: SheetLayout;
}

export function isLogSheet(ctx: AppContext, sheet: SheetPort): boolean {
  return sheet.name === ctx.say('log.sheetName');
}

/**
 * The active sheet when it is a customer sheet; null (after saying so) on the Mayar Log, whose
 * Customer, Amount and Payment ID columns hold records, not invoices.
 */
export function activeCustomerSheet(ctx: AppContext): SheetPort | null {
  const sheet = ctx.ports.spreadsheet.activeSheet();
  if (!isLogSheet(ctx, sheet)) return sheet;
  ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.logSheet'));
  return null;
}

/** Output columns that hold a time: shown as a date and time. */
const TIME_COLUMNS: readonly ExtraOutputColumn[] = ['paidAt', 'emailedAt', 'whatsappSentAt'];

/**
 * Adds the output columns the layout lacks (header cells in one write, new headers in the
 * interface language; existing ones are recognised in either) and returns the layout with
 * them. `data` is extended in place so it stays in step with the sheet.
 */
export function ensureOutputColumns(sheet: SheetPort, data: Cell[][], extra: readonly ExtraOutputColumn[] = [], locale: Locale = 'en'): SheetLayout {
  const planned = planOutputColumns(mapHeaders(data[0] ?? []), extra, locale);
  if (planned.added.length === 0) return planned.layout;
  const first = Math.min(...planned.added.map((a) => a.column));
  const last = Math.max(...planned.added.map((a) => a.column));
  const header = data[0] ?? [];
  const row: Cell[] = [];
  for (let c = first; c <= last; c++) row.push(planned.added.find((a) => a.column === c)?.header ?? header[c] ?? '');
  sheet.write(1, first + 1, [row]);
  // Other output text stays literal through an apostrophe prefix (cells.ts), which needs the
  // automatic format: in a plain-text (@) cell Sheets would show the apostrophe.
  for (const column of TIME_COLUMNS) {
    const added = planned.added.find((a) => a.header === outputHeaderText(locale, column));
    if (added) sheet.setColumnFormat(added.column + 1, 1, DATE_TIME_FORMAT);
  }
  if (data.length === 0) data.push([]);
  for (const r of data) while (r.length <= last) r.push('');
  planned.added.forEach((a) => ((data[0] as Cell[])[a.column] = a.header));
  return planned.layout;
}

/**
 * Reads the sheet once, checks the required headers and adds the missing output columns.
 * Null (after telling the user) when the sheet can't be used.
 */
export function prepareSheet(ctx: AppContext, sheet: SheetPort, extra: readonly 'paidAt'[] = []): Prepared | null {
  if (isLogSheet(ctx, sheet)) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.logSheet'));
    return null;
  }
  const data = sheet.readAll();
  // A sheet with line items needs no Amount column: the items are the amount.
  const missing = missingRequired(mapHeaders(data[0] ?? [])).filter((field) => field !== 'amount' || !hasItemColumns(data[0] ?? []));
  if (missing.length) {
    const names = missing.map((field) => ctx.say(`field.${field}` as MessageKey)).join(', ');
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.missingHeaders', { missing: names, examples: exampleHeaders(ctx.locale) }));
    return null;
  }
  const layout = ensureOutputColumns(sheet, data, extra, ctx.locale);
  return { sheet, data, layout };
}

/** A write Sheets refused (a protected range, a validation rule that rejects): names the range. */
export class WriteRefused extends Error {
  constructor(
    readonly range: string,
    readonly reason: string,
  ) {
    super(`${range}: ${reason}`);
  }
}

/** One setValues per block; a refusal becomes a WriteRefused naming the range. */
export function writeBlocks(sheet: SheetPort, blocks: readonly WriteBlock[]): void {
  for (const block of blocks) {
    try {
      sheet.write(block.row, block.column, block.values);
    } catch (error) {
      const range = `'${sheet.name}'!${a1Range(block.row, block.column, block.values.length, block.values[0]?.length ?? 1)}`;
      throw new WriteRefused(range, error instanceof Error ? error.message : String(error));
    }
  }
}
