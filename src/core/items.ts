/**
 * Line items of a bill: columns headed "Rincian: <item>" or "Item: <item>" (SPP, buku, seragam;
 * sewa, listrik, air). Each non-empty, non-zero cell is one item of the row's invoice. Pure.
 */
import { readAmountText } from './amount';
import { cellIsEmpty, cellText } from './cell-text';
import type { Message } from './messages';
import type { Cell } from './types';

export interface ItemColumn {
  /** 0-based column index. */
  column: number;
  /** What follows "Rincian:": the item's description on the invoice. */
  label: string;
  /** The header as the sheet spells it, for messages. */
  header: string;
}

export interface LineItem {
  description: string;
  rate: number;
}

const ITEM_HEADER = /^\s*(?:rincian|item)\s*:\s*(\S.*?)\s*$/i;

/** The item columns of a header row, left to right. */
export function itemColumns(headers: readonly Cell[]): ItemColumn[] {
  const columns: ItemColumn[] = [];
  headers.forEach((cell, column) => {
    if (typeof cell !== 'string') return;
    const label = ITEM_HEADER.exec(cell)?.[1];
    if (label) columns.push({ column, label, header: cell.trim() });
  });
  return columns;
}

/** A sheet that bills with line items (a Mayar invoice per row). */
export function hasItemColumns(headers: readonly Cell[]): boolean {
  return itemColumns(headers).length > 0;
}

export type ItemsReading = { ok: true; items: LineItem[]; total: number } | { ok: false; errors: { column: number; header: string; message: Message }[] };

/** One item cell: empty or zero → no item; else whole, non-negative rupiah. */
function readItem(cell: Cell): { ok: true; rate: number } | { ok: false; message: Message } {
  if (cellIsEmpty(cell)) return { ok: true, rate: 0 };
  const value = cellText(cell);
  let reading = typeof cell === 'number' ? null : typeof cell === 'string' ? readAmountText(cell) : ({ kind: 'notNumber' } as const);
  if (typeof cell === 'number') {
    const rounded = Math.round(cell);
    const dust = Math.abs(cell - rounded) < 1e-6;
    reading = { kind: 'number', value: Math.abs(dust ? rounded : cell), negative: cell < 0, fraction: !dust };
  }
  if (!reading || reading.kind === 'notNumber') return { ok: false, message: { key: 'amount.notRupiah', params: { value } } };
  // "1.500,000": a fraction or a mistyped thousands group; never guessed.
  if (reading.kind === 'ambiguous') return { ok: false, message: { key: 'amount.ambiguous', params: { value } } };
  if (reading.negative && reading.value !== 0) return { ok: false, message: { key: 'amount.negative', params: { value } } };
  if (reading.fraction) return { ok: false, message: { key: 'amount.fraction', params: { value } } };
  return { ok: true, rate: reading.value };
}

/** The row's items (non-empty, non-zero cells) and their total, or every item cell that can't be read. */
export function readItems(cells: readonly Cell[], columns: readonly ItemColumn[]): ItemsReading {
  const items: LineItem[] = [];
  const errors: { column: number; header: string; message: Message }[] = [];
  for (const { column, label, header } of columns) {
    const read = readItem(cells[column] ?? '');
    if (!read.ok) errors.push({ column, header, message: read.message });
    else if (read.rate > 0) items.push({ description: label, rate: read.rate });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, items, total: items.reduce((sum, item) => sum + item.rate, 0) };
}

/** The row's items when they can be read, else none (for templates). */
export function itemsOf(headers: readonly Cell[] | undefined, cells: readonly Cell[] | undefined): LineItem[] {
  if (!headers || !cells) return [];
  const read = readItems(cells, itemColumns(headers));
  return read.ok ? read.items : [];
}
