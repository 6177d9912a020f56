/** What delivery needs to know of one sheet row: contact cells, status, delivery marks, template values. */
import type { SheetLayout } from '../../core/headers';
import { cellIsEmpty, cellText } from '../../core/cell-text';
import { expiryOf } from '../../core/expiry';
import { itemsOf } from '../../core/items';
import { parseAmount } from '../../core/parse';
import { FINAL_STATUSES, parseStatus, type PaymentStatus } from '../../core/status';
import type { TemplateValues } from '../../core/templates';
import type { Cell, ZoneInfo } from '../../core/types';

export interface RowFacts {
  /** 0-based data index (header = 0). */
  index: number;
  paymentId: string;
  link: string;
  status: PaymentStatus | null;
  email: Cell;
  mobile: Cell;
  emailedAt: Cell;
  whatsappLink: Cell;
  whatsappSentAt: Cell;
  lastReminder: Cell;
  remindersCell: Cell | undefined;
  expiry: Date | null;
  values: TemplateValues;
}

function at(cells: readonly Cell[], column: number | undefined): Cell {
  return column === undefined ? '' : (cells[column] ?? '');
}

export function rowFacts(data: readonly (readonly Cell[])[], layout: SheetLayout, index: number, zone: ZoneInfo): RowFacts {
  const cells = data[index] ?? [];
  const { input, output } = layout;
  const amount = input.amount === undefined ? null : parseAmount(at(cells, input.amount));
  const expiryMs = input.expiry === undefined ? null : expiryOf(cells[input.expiry], zone);
  const expiry = expiryMs === null ? null : new Date(expiryMs);
  const link = cellText(at(cells, output.link)).trim();
  const description = cellText(at(cells, input.description)).trim();
  return {
    index,
    paymentId: cellText(at(cells, output.paymentId)).trim(),
    link,
    status: output.status === undefined ? null : parseStatus(cells[output.status]),
    email: at(cells, input.email),
    mobile: at(cells, input.mobile),
    emailedAt: at(cells, output.emailedAt),
    whatsappLink: at(cells, output.whatsappLink),
    whatsappSentAt: at(cells, output.whatsappSentAt),
    lastReminder: at(cells, output.lastReminder),
    remindersCell: input.reminders === undefined ? undefined : cells[input.reminders],
    expiry,
    values: {
      name: cellText(at(cells, input.name)).trim(),
      // A bill with line items and no Amount column: the items' total.
      amount: amount?.ok ? amount.value : itemsOf(data[0], cells).reduce((sum, item) => sum + item.rate, 0),
      ...(link ? { link } : {}),
      ...(expiry ? { due: { instant: expiry, zone } } : {}),
      ...(description ? { description } : {}),
      headers: data[0] ?? [],
      cells,
      zone,
    },
  };
}

/**
 * A bill still worth delivering: it has a link and a Payment ID, Mayar has not said Paid,
 * Closed or Expired (nor "Needs review"), and its expiry has not passed.
 */
export function isOpenBill(row: RowFacts, now: number): boolean {
  if (row.link === '' || row.paymentId === '') return false;
  if (row.status !== null && (FINAL_STATUSES.has(row.status) || row.status === 'review')) return false;
  return row.expiry === null || row.expiry.getTime() > now;
}

export function isBlank(cell: Cell | undefined): boolean {
  return cell === undefined || cellIsEmpty(cell);
}
