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
 * Groups row updates into rectangles that hold only cells being written: per row, each run of
 * adjacent updated columns; consecutive rows with the same runs share one rectangle. A cell
 * not being written is never rewritten, so a teammate's edit or formula beside or between the
 * updated rows survives. Strings are written as plain text (callers pass them raw).
 * Keys of `updates` are 0-based data indexes (0 = the header row).
 */
export function planWrites(updates: ReadonlyMap<number, RowUpdate>): WriteBlock[] {
  const blocks: WriteBlock[] = [];
  const open = new Map<string, WriteBlock>();
  for (const index of [...updates.keys()].sort((a, b) => a - b)) {
    const update = updates.get(index);
    if (!update || update.size === 0) continue;
    const columns = [...update.keys()].sort((a, b) => a - b);
    const runs: number[][] = [];
    for (const column of columns) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === column - 1) run.push(column);
      else runs.push([column]);
    }
    for (const run of runs) {
      const key = run.join(',');
      const values = run.map((column) => {
        const value = update.get(column) as Cell;
        return typeof value === 'string' ? plainText(value) : value;
      });
      const block = open.get(key);
      // Extends the block of the row just above when it wrote the same columns.
      if (block && block.row + block.values.length === index + 1) block.values.push(values);
      else {
        const next = { row: index + 1, column: (run[0] ?? 0) + 1, values: [values] };
        blocks.push(next);
        open.set(key, next);
      }
    }
  }
  return blocks;
}

/** A1 notation of a rectangle, e.g. F2:G9 (1-based row and column). */
export function a1Range(row: number, column: number, numRows: number, numColumns: number): string {
  const letters = (n: number): string => {
    let text = '';
    for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) text = String.fromCharCode(65 + ((c - 1) % 26)) + text;
    return text;
  };
  const start = `${letters(column)}${row}`;
  return numRows === 1 && numColumns === 1 ? start : `${start}:${letters(column + numColumns - 1)}${row + numRows - 1}`;
}
