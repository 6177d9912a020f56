/**
 * One row of a sheet with line items ("Rincian: SPP", "Rincian: Buku", …) → a Mayar invoice,
 * or the row's errors. The customer fields, expiry and the rest are read exactly as for a
 * payment link (rows.ts); what invoices add: the items and their total, an Amount column that
 * must equal that total when it is filled, and email and mobile, which Mayar requires.
 */
import { cellIsEmpty } from './cell-text';
import type { SheetLayout } from './headers';
import { type ItemColumn, type LineItem, readItems } from './items';
import type { InvoiceRequest } from './mayar-invoices';
import { type Message, type MessageKey, t } from './messages';
import { formatAmount } from './templates';
import { amountAsShown, parseAmount, parseName } from './parse';
import { examineRow, type RowContext } from './rows';
import type { Cell } from './types';

export type InvoiceVerdict =
  { kind: 'blank' } | { kind: 'done' } | { kind: 'invalid'; errors: string[] } | { kind: 'valid'; request: InvoiceRequest; total: number };

function say(ctx: RowContext, header: string, message: Message): string {
  const text = t(ctx.locale, message.key, { ...message.params, header });
  return t(ctx.locale, message.key).includes('{header}') ? text : `${header}: ${text}`;
}

function headerOf(layout: SheetLayout, field: 'email' | 'mobile' | 'amount', ctx: RowContext): string {
  return layout.headerText[field] ?? t(ctx.locale, `field.${field}` as MessageKey);
}

/**
 * `shown` is the row as getDisplayValues() gives it: an item or amount the user does not see as
 * it would be sent (500.000 typed in a sheet that read it as 500) is an error, never a send.
 */
export function examineInvoiceRow(
  row: readonly Cell[],
  layout: SheetLayout,
  columns: readonly ItemColumn[],
  ctx: RowContext,
  shown?: readonly string[],
): InvoiceVerdict {
  const { link, paymentId } = layout.output;
  if ((link !== undefined && !cellIsEmpty(row[link] ?? '')) || (paymentId !== undefined && !cellIsEmpty(row[paymentId] ?? ''))) return { kind: 'done' };
  const inputs = Object.values(layout.input).filter((c): c is number => c !== undefined);
  if ([...inputs, ...columns.map((c) => c.column)].every((c) => cellIsEmpty(row[c] ?? ''))) return { kind: 'blank' };

  const errors: string[] = [];
  const read = readItems(row, columns);
  let items: LineItem[] = [];
  let total = 0;
  const unseen = shown
    ? columns.flatMap((c) => {
        const problem = amountAsShown(row[c.column] ?? '', shown[c.column] ?? '', ctx.sheetLocale);
        return problem ? [say(ctx, c.header, problem)] : [];
      })
    : [];
  if (!read.ok) for (const e of read.errors) errors.push(say(ctx, e.header, e.message));
  else if (unseen.length) errors.push(...unseen);
  else {
    items = read.items;
    total = read.total;
    if (items.length === 0) errors.push(t(ctx.locale, 'invoice.noItems', { columns: columns.map((c) => c.header).join(', ') }));
  }

  // The rest of the row is read as for a payment link, with the items' total as its amount.
  const cells = [...row];
  const seen = shown && [...shown];
  const amountColumn = layout.input.amount;
  const amountCell = amountColumn === undefined ? '' : (row[amountColumn] ?? '');
  const virtual: SheetLayout = { ...layout, input: { ...layout.input } };
  if (cellIsEmpty(amountCell)) {
    const column = amountColumn ?? Math.max(row.length, layout.width);
    virtual.input.amount = column;
    // With no readable items the Amount rule is not the row's problem: a placeholder keeps it quiet.
    cells[column] = read.ok && items.length ? total : 1000;
    if (seen) seen[column] = String(cells[column]);
  } else if (read.ok && items.length) {
    const amount = parseAmount(amountCell);
    if (amount.ok && amount.value !== total)
      errors.push(
        t(ctx.locale, 'invoice.amountMismatch', { header: headerOf(layout, 'amount', ctx), amount: formatAmount(amount.value), total: formatAmount(total) }),
      );
  }
  const verdict = examineRow(cells, virtual, ctx, seen);
  if (verdict.kind === 'invalid') errors.unshift(...verdict.errors);
  for (const field of ['email', 'mobile'] as const) {
    const column = layout.input[field];
    if (column === undefined || cellIsEmpty(row[column] ?? '')) errors.push(say(ctx, headerOf(layout, field, ctx), { key: 'cell.missing' }));
  }
  if (errors.length || verdict.kind !== 'valid') return errors.length ? { kind: 'invalid', errors } : { kind: 'blank' };

  const r = verdict.request;
  const name = parseName(row[layout.input.name ?? -1] ?? '');
  const request: InvoiceRequest = {
    name: name.ok ? name.value : r.name,
    email: r.email ?? '',
    mobile: r.mobile ?? '',
    items: items.map((item) => ({ description: item.description, quantity: 1, rate: item.rate })),
    ...(r.description !== undefined && { description: r.description }),
    expiredAt: r.expiredAt,
    ...(r.paymentMethod !== undefined && { paymentMethod: r.paymentMethod }),
    ...(r.cashtag !== undefined && { cashtag: r.cashtag }),
  };
  return { kind: 'valid', request, total };
}
