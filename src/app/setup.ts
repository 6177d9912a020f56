/** Mayar → Set up this sheet, and jumping to a row from the progress sidebar. */
import { mapHeaders, setupHeaderRow } from '../core/headers';
import type { AppContext } from './context';
import { withLock } from './control';
import { colourStatusColumn } from './dashboard';
import { DATE_TIME_FORMAT, prepareSheet } from './sheet-prep';

/** Headers, frozen header row, formats that keep data intact. */
export function setUpSheet(ctx: AppContext): void {
  withLock(ctx, (ctx) => {
    const sheet = ctx.ports.spreadsheet.activeSheet();
    const data = sheet.readAll();
    const headerRow = data[0] ?? [];
    if (headerRow.every((cell) => cell === '')) {
      sheet.write(1, 1, [setupHeaderRow(ctx.locale)]);
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
    colourStatusColumn(sheet, layout, true);
    ctx.ports.ui.toast(ctx.say('dialog.setUpDone'), ctx.say('app.title'), 5);
  });
}

export function goToRow(ctx: AppContext, sheetName: string, row: number): void {
  const sheet = ctx.ports.spreadsheet.sheetByName(sheetName);
  if (sheet && Number.isInteger(row) && row >= 1) sheet.select(row, 1, 1, Math.max(1, mapHeaders(sheet.readAll()[0] ?? []).width));
}
