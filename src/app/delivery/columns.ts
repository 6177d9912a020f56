/** The delivery output columns (WhatsApp Link, Emailed At, …), added to a sheet when first needed. */
import type { ExtraOutputColumn, SheetLayout } from '../../core/headers';
import type { Cell } from '../../core/types';
import type { AppContext } from '../context';
import type { SheetPort } from '../ports';
import { ensureOutputColumns } from '../sheet-prep';

/** Adds the output columns the sheet lacks, headers in the interface language. `data` is extended in place. */
export function ensureDeliveryColumns(ctx: AppContext, sheet: SheetPort, data: Cell[][], extra: readonly ExtraOutputColumn[]): SheetLayout {
  return ensureOutputColumns(sheet, data, extra, ctx.locale);
}
