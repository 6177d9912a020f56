/**
 * A short stable hash of a row's input cells, so a row can be found again after the sheet
 * is sorted or rows are inserted between a request and its answer.
 */
import type { SheetLayout } from './headers';
import { cellText, isDateCell } from './cell-text';
import type { Cell } from './types';
import { INPUT_FIELDS } from './types';

/**
 * cyrb53 (public domain, bryc): 53 bits, fast, and needs nothing beyond Math.imul, so it runs
 * in Apps Script without crypto or TextEncoder. Not for secrets, only for telling rows apart.
 */
export function hashString(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  // Fixed width keeps fingerprints easy to compare and store.
  return value.toString(36).padStart(11, '0');
}

/** Trimmed strings, numbers as plain digits, Dates as epoch ms: what the row says, not how. */
function normalise(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (isDateCell(cell)) return String(cell.getTime());
  return cellText(cell);
}

/**
 * Hash of the row's input cells only, keyed by field (so it does not depend on which column a
 * field sits in); output cells such as Status or Error don't count.
 */
export function rowFingerprint(row: readonly Cell[], layout: SheetLayout): string {
  const parts: string[] = [];
  for (const field of INPUT_FIELDS) {
    const column = layout.input[field];
    if (column === undefined) continue;
    parts.push(`${field}=${normalise(row[column])}`);
  }
  // Unit separator: cannot be typed into a cell by accident, so fields can't run together.
  return hashString(parts.join('\u001f'));
}

/**
 * What identifies an invoice while its create is in flight: customer, amount and expiry. A
 * note or description typed into the row meanwhile leaves it the same invoice, so its result
 * still finds its row.
 */
export function invoiceKey(row: readonly Cell[], layout: SheetLayout): string {
  const parts: string[] = [];
  for (const field of ['name', 'amount', 'expiry'] as const) {
    const column = layout.input[field];
    parts.push(`${field}=${column === undefined ? '' : normalise(row[column])}`);
  }
  return hashString(parts.join('\u001f'));
}
