/**
 * The responses sheet of a Google Form (Form Responses 1 / Tanggapan Formulir 1): the form's
 * questions are its headers (Nama Lengkap, Alamat email, No WhatsApp, Jumlah…), read as any
 * customer sheet. A form without an amount question gets an amount column of its own, filled
 * with the default amount from Settings for each new response, so what was billed is in the row.
 */
import { cellIsEmpty } from '../../core/cell-text';
import { mapHeaders, type SheetLayout } from '../../core/headers';
import type { Cell } from '../../core/types';
import type { AppContext } from '../context';
import type { SheetPort } from '../ports';
import { ensureOutputColumns } from '../sheet-prep';

/**
 * Adds the default-amount column when the form has no amount question (and a default is set),
 * fills it for `rows` (1-based) that are still empty, adds the output columns, and returns the
 * layout. `data` is kept in step with the sheet.
 */
export function ensureAmountColumn(ctx: AppContext, sheet: SheetPort, data: Cell[][], rows: readonly number[]): SheetLayout {
  const header = ctx.say('form.amountHeader');
  let layout = mapHeaders(data[0] ?? []);
  if (ctx.settings.formAmount > 0) {
    if (layout.input.amount === undefined) {
      const column = layout.width;
      sheet.write(1, column + 1, [[header]]);
      if (data.length === 0) data.push([]);
      (data[0] as Cell[])[column] = header;
      layout = mapHeaders(data[0] ?? []);
    }
    const column = layout.input.amount;
    // Only the column made for it: an amount question left blank is the row's error, not the default.
    if (column !== undefined && layout.headerText.amount === header)
      for (const row of rows) {
        const cells = data[row - 1];
        if (!cells || cells.every((cell) => cellIsEmpty(cell)) || !cellIsEmpty(cells[column] ?? '')) continue;
        sheet.write(row, column + 1, [[ctx.settings.formAmount]]);
        cells[column] = ctx.settings.formAmount;
      }
  }
  return ensureOutputColumns(sheet, data, [], ctx.locale);
}
