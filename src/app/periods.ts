/**
 * Mayar → Bill again next period: a copy of the customer sheet for next month, named after it
 * ("Januari 2027"), with the same inputs, expiries one month on and empty output columns.
 */
import { plainText } from '../core/cells';
import { mapHeaders, missingRequired, type SheetLayout } from '../core/headers';
import { cellIsEmpty, isDateCell } from '../core/cell-text';
import { advanceDateCell, advancePeriodInText, type CalendarDate, calendarDateFromCell, calendarDateOf, isRepeatYes, nextPeriodName } from '../core/periods';
import type { Cell } from '../core/types';
import type { AppContext } from './context';
import { withLock } from './control';
import { colourStatusColumn } from './dashboard';
import { isLogSheet } from './sheet-prep';

/** The columns a person fills in: every column the add-on does not write. */
function inputColumns(layout: SheetLayout, width: number): Set<number> {
  const output = new Set(Object.values(layout.output));
  const columns = new Set<number>();
  for (let c = 0; c < width; c++) if (!output.has(c)) columns.add(c);
  return columns;
}

/** The rows to bill again: every filled row, or only those marked yes when there is a Repeat column. */
function rowsToRepeat(data: readonly Cell[][], layout: SheetLayout, inputs: ReadonlySet<number>): Cell[][] {
  return data.slice(1).filter((row) => {
    if ([...inputs].every((c) => cellIsEmpty(row[c]))) return false;
    return layout.input.repeat === undefined || isRepeatYes(row[layout.input.repeat] ?? '');
  });
}

/** The row for next period: inputs kept, dates and "<month> <year>" texts one month on, outputs empty. */
function nextRow(ctx: AppContext, row: readonly Cell[], layout: SheetLayout, inputs: ReadonlySet<number>, width: number): Cell[] {
  const zone = ctx.ports.spreadsheet.zone();
  const texts = new Set([layout.input.description, layout.input.title, layout.input.notes].filter((c): c is number => c !== undefined));
  const out: Cell[] = [];
  for (let c = 0; c < width; c++) {
    const cell = row[c] ?? '';
    if (!inputs.has(c)) out.push('');
    else if (c === layout.input.expiry) out.push(advanceDateCell(cell, zone) ?? cell);
    else if (texts.has(c) && typeof cell === 'string') out.push(advancePeriodInText(ctx.locale, cell));
    else out.push(cell);
  }
  // Text stays text, as in output cells: a name that reads "=IMPORTXML(…)" or "+cmd|…" (or a
  // mobile typed as '0812…) is not turned into a formula or a number by the copy.
  return out.map((value, c) => (typeof value === 'string' && c !== layout.input.expiry ? plainText(value) : value));
}

/** The month the sheet bills: its first expiry's, else this month. */
function currentPeriod(ctx: AppContext, rows: readonly Cell[][], layout: SheetLayout): CalendarDate {
  const zone = ctx.ports.spreadsheet.zone();
  if (layout.input.expiry !== undefined) {
    for (const row of rows) {
      const date = calendarDateFromCell(row[layout.input.expiry] ?? '', zone);
      if (date !== null) return date;
    }
  }
  return calendarDateOf(new Date(ctx.ports.clock.now()), zone);
}

export function billNextPeriod(ctx: AppContext): void {
  withLock(ctx, (ctx) => {
    const say = (text: string) => ctx.ports.ui.alert(ctx.say('app.title'), text);
    const sheet = ctx.ports.spreadsheet.activeSheet();
    if (isLogSheet(ctx, sheet)) return say(ctx.say('dialog.logSheet'));
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    if (missingRequired(layout).length > 0) return say(ctx.say('billAgain.nothing'));
    const width = Math.max(...data.map((row) => row.length));
    const inputs = inputColumns(layout, width);
    const rows = rowsToRepeat(data, layout, inputs);
    if (rows.length === 0) return say(ctx.say('billAgain.nothing'));

    const name = nextPeriodName(ctx.locale, currentPeriod(ctx, rows, layout));
    if (ctx.ports.spreadsheet.sheetByName(name)) return say(ctx.say('billAgain.exists', { sheet: name }));
    const header = (data[0] ?? []).slice(0, width);
    const values = [
      [...header.map((h) => (typeof h === 'string' ? plainText(h) : h)), ...Array<Cell>(width - header.length).fill('')],
      ...rows.map((row) => nextRow(ctx, row, layout, inputs, width)),
    ];
    const next = ctx.ports.spreadsheet.insertSheet(name);
    next.write(1, 1, values);
    next.freezeHeader();
    const expiry = layout.input.expiry;
    if (expiry !== undefined && values.slice(1).some((row) => isDateCell(row[expiry]))) next.setColumnFormat(expiry + 1, 1, 'yyyy-mm-dd');
    if (layout.input.amount !== undefined) next.setColumnFormat(layout.input.amount + 1, 1, '"Rp "#,##0');
    colourStatusColumn(next, layout, true);
    say(ctx.say('billAgain.done', { sheet: name, count: rows.length }));
  });
}
