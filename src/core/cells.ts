/**
 * Turning outcomes into cells. Anything written from data or from Mayar stays plain text:
 * Sheets turns a string starting with "=" into a formula (and "+", "-", "@", digits into
 * numbers or formulas) unless it is prefixed with an apostrophe, which Sheets hides.
 */
import type { Cell } from './types';

// Also TRUE/FALSE, 1e5, 50%, 12:30 and a sign after spaces: Sheets converts those too.
const NEEDS_QUOTE = /^\s*[=+\-@']|^\s*[\d.,]+(?:e[+-]?\d+)?\s*%?\s*$|^\s*(?:true|false)\s*$|^\s*\d{1,4}[-/]\d{1,2}[-/]\d{1,4}|^\s*\d{1,2}:\d{2}/i;

/** A string that Sheets will store and show exactly as given. */
export function plainText(text: string): string {
  return NEEDS_QUOTE.test(text) ? `'${text}` : text;
}

/** Keeps a cell short enough for a sheet and a message box. */
export function clip(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Output column index → the value to write; undefined leaves the cell as it is. */
export type RowUpdate = Map<number, Cell>;

export interface WriteBlock {
  /** 1-based sheet row and column of the top-left cell. */
  row: number;
  column: number;
  values: Cell[][];
}

/**
 * Groups row updates into as few rectangles as possible: one per run of adjacent columns,
 * spanning the first to the last updated row. Cells in the rectangle that are not updated
 * keep the value just read (`current`), so a chunk is one setValues per column run.
 * Strings are written as plain text (callers pass them raw).
 * `current` is the sheet as read (row 0 = header); keys of `updates` are 0-based data indexes.
 */
export function planWrites(updates: ReadonlyMap<number, RowUpdate>, current: readonly (readonly Cell[])[]): WriteBlock[] {
  if (updates.size === 0) return [];
  const columns = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (const [index, update] of updates) {
    if (update.size === 0) continue;
    first = Math.min(first, index);
    last = Math.max(last, index);
    for (const column of update.keys()) columns.add(column);
  }
  if (columns.size === 0) return [];
  const sorted = [...columns].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const column of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === column - 1) run.push(column);
    else runs.push([column]);
  }
  return runs.map((run) => {
    const values: Cell[][] = [];
    for (let index = first; index <= last; index++) {
      const update = updates.get(index);
      values.push(run.map((column) => {
        const next = update?.get(column);
        const value = next !== undefined ? next : (current[index]?.[column] ?? '');
        // Values read back lose their apostrophe: quote again, or "=..." would become a formula.
        return typeof value === 'string' ? plainText(value) : value;
      }));
    }
    return { row: first + 1, column: (run[0] ?? 0) + 1, values };
  });
}
