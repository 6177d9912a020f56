/**
 * When a row's payment link expires. One place decides it: the refresh (Unpaid → Expired), the
 * summary's overdue days and delivery (no reminder for an expired bill) all ask here.
 */
import { cellIsEmpty } from './cell-text';
import { parseExpiry } from './parse';
import type { Cell, ZoneInfo } from './types';

/** The instant a row's expiry cell stands for, or null when blank or unreadable. */
export function expiryOf(cell: Cell | undefined, zone: ZoneInfo): number | null {
  if (cell === undefined || cellIsEmpty(cell)) return null;
  // "now" at the epoch: a past expiry is what this asks about, not an error.
  const parsed = parseExpiry(cell, { zone, now: new Date(0), defaultExpiryDays: 0 });
  return parsed.ok ? Date.parse(parsed.value) : null;
}
