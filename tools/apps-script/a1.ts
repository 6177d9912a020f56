/** A1 notation, as Sheet.getRange(a1) and Range.getA1Notation() use it. */

export interface GridRect {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

export function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function a1Of(rect: GridRect): string {
  const start = `${columnLetters(rect.column)}${rect.row}`;
  if (rect.numRows === 1 && rect.numColumns === 1) return start;
  return `${start}:${columnLetters(rect.column + rect.numColumns - 1)}${rect.row + rect.numRows - 1}`;
}

/** Splits an optional sheet prefix: "'My Sheet'!A1:B2" → ["My Sheet", "A1:B2"]. */
export function splitSheetName(a1: string): { sheet: string | null; ref: string } {
  const quoted = /^'((?:[^']|'')+)'!(.+)$/.exec(a1);
  if (quoted) return { sheet: (quoted[1] as string).replace(/''/g, "'"), ref: quoted[2] as string };
  const plain = /^([^!']+)!(.+)$/.exec(a1);
  if (plain) return { sheet: plain[1] as string, ref: plain[2] as string };
  return { sheet: null, ref: a1 };
}

interface Corner {
  column: number | null;
  row: number | null;
}

function corner(text: string): Corner | null {
  const m = /^\$?([A-Za-z]*)\$?(\d*)$/.exec(text);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  return { column: m[1] ? columnNumber(m[1]) : null, row: m[2] ? Number(m[2]) : null };
}

/** Resolves "A1", "A1:C3", "A:C", "2:5" and open-ended "A2:C" against the sheet's size. */
export function parseA1(ref: string, maxRows: number, maxColumns: number): GridRect | null {
  const [a, b, extra] = ref.trim().split(':');
  if (extra !== undefined || a === undefined) return null;
  const start = corner(a);
  const end = b === undefined ? start : corner(b);
  if (!start || !end) return null;
  if (b === undefined && (start.row === null || start.column === null)) return null;
  const r1 = start.row ?? 1;
  const c1 = start.column ?? 1;
  const r2 = end.row ?? maxRows;
  const c2 = end.column ?? maxColumns;
  if (r1 < 1 || c1 < 1) return null;
  const row = Math.min(r1, r2);
  const column = Math.min(c1, c2);
  return { row, column, numRows: Math.abs(r2 - r1) + 1, numColumns: Math.abs(c2 - c1) + 1 };
}
