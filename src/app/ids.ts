/** The row error for a Payment ID or Transaction ID cell that is no Mayar id (core/parse.ts isMayarId). */
import { clip } from '../core/cells';
import type { SheetLayout } from '../core/headers';
import type { Cell } from '../core/types';
import type { AppContext } from './context';

export function notAMayarId(
  ctx: AppContext,
  header: readonly Cell[] | undefined,
  layout: SheetLayout,
  column: 'paymentId' | 'transactionId',
  value: string,
): string {
  const at = layout.output[column];
  const name = at === undefined ? '' : String(header?.[at] ?? '').trim();
  return ctx.say('id.notMayar', { header: name || (column === 'paymentId' ? 'Payment ID' : 'Transaction ID'), value: clip(value, 80) });
}
