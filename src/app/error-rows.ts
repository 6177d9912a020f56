/**
 * Stepping through the rows a run left with an error, from the Progress sidebar: the rows whose
 * Error cell is filled, read again from the sheet each time (rows may have been fixed or moved).
 */
import { cellIsEmpty } from '../core/cell-text';
import { mapHeaders } from '../core/headers';
import type { Cell } from '../core/types';
import type { AppContext } from './context';

/** Where the step landed: `row` is the sheet row selected (null when no row has an error). */
export interface ErrorRowStep {
  row: number | null;
  /** 1-based position of `row` among the rows with an error. */
  index: number;
  count: number;
}

/** The sheet rows (1-based) whose Error cell is filled, top to bottom. */
export function errorRows(data: readonly (readonly Cell[])[]): number[] {
  const column = mapHeaders(data[0] ?? []).output.error;
  if (column === undefined) return [];
  const rows: number[] = [];
  for (let index = 1; index < data.length; index++) {
    const cell = data[index]?.[column];
    if (!cellIsEmpty(cell)) rows.push(index + 1);
  }
  return rows;
}

/** Selects the first row with an error below `afterRow` (back to the top after the last one). */
export function goToErrorRow(ctx: AppContext, sheetName: string, afterRow: number): ErrorRowStep {
  const sheet = ctx.ports.spreadsheet.sheetByName(sheetName);
  if (!sheet) return { row: null, index: 0, count: 0 };
  const data = sheet.readAll();
  const rows = errorRows(data);
  if (rows.length === 0) return { row: null, index: 0, count: 0 };
  const position = Math.max(
    0,
    rows.findIndex((row) => row > afterRow),
  );
  const row = rows[position] as number;
  sheet.select(row, 1, 1, Math.max(1, mapHeaders(data[0] ?? []).width));
  return { row, index: position + 1, count: rows.length };
}
