/** The delivery output columns (WhatsApp Link, Emailed At, …), added to a sheet when first needed. */
import { type ExtraOutputColumn, mapHeaders, OUTPUT_HEADER_TEXT, OUTPUT_HEADER_TEXT_ID, planOutputColumns, type SheetLayout } from '../../core/headers';
import type { Cell } from '../../core/types';
import type { AppContext } from '../context';
import type { SheetPort } from '../ports';
import { DATE_TIME_FORMAT } from '../sheet-prep';

const TIME_COLUMNS: readonly ExtraOutputColumn[] = ['emailedAt', 'whatsappSentAt'];

/**
 * Adds the output columns the sheet lacks, headers in the interface language, in one write;
 * time columns get the date-time format. `data` is extended in place.
 */
export function ensureDeliveryColumns(ctx: AppContext, sheet: SheetPort, data: Cell[][], extra: readonly ExtraOutputColumn[]): SheetLayout {
  const planned = planOutputColumns(mapHeaders(data[0] ?? []), extra, ctx.locale);
  if (planned.added.length === 0) return planned.layout;
  const first = Math.min(...planned.added.map((a) => a.column));
  const last = Math.max(...planned.added.map((a) => a.column));
  const header = data[0] ?? [];
  const row: Cell[] = [];
  for (let c = first; c <= last; c++) row.push(planned.added.find((a) => a.column === c)?.header ?? header[c] ?? '');
  sheet.write(1, first + 1, [row]);
  for (const column of TIME_COLUMNS) {
    const headers = [OUTPUT_HEADER_TEXT[column], OUTPUT_HEADER_TEXT_ID[column]];
    const added = planned.added.find((a) => headers.includes(a.header));
    if (added) sheet.setColumnFormat(added.column + 1, 1, DATE_TIME_FORMAT);
  }
  if (data.length === 0) data.push([]);
  for (const r of data) while (r.length <= last) r.push('');
  planned.added.forEach((a) => ((data[0] as Cell[])[a.column] = a.header));
  return planned.layout;
}
