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

/** The instant of the expiry the add-on sent, read back from the note it wrote beside the link; null when there is none. */
export function sentExpiryOf(note: string | undefined): number | null {
  const match = /\[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)\]/.exec(note ?? '');
  if (!match) return null;
  const at = Date.parse(match[1] ?? '');
  return Number.isNaN(at) ? null : at;
}

/** The machine-readable part of that note: the instant in brackets, after the words people read. */
export function sentExpiryTag(at: number): string {
  return `[${new Date(at).toISOString()}]`;
}

export type ExpiryDecision =
  /** Not expired (or no expiry known). */
  | { expired: false; edited: false }
  /** The cell's expiry has passed, but the link was sent with a later one: it still expires then. */
  | { expired: false; edited: true; sentAt: number }
  | { expired: true };

/**
 * Whether an unpaid row's link has expired. What was sent (the note kept beside the link) or
 * what Mayar says (`mayarAt`: a transaction's expirationDate) decides; the Expires At cell only
 * for a link made before the note existed. A cell edited after the link went out changes nothing.
 */
export function decideExpiry(facts: { cellAt: number | null; sentAt: number | null; mayarAt?: number | null }, now: number): ExpiryDecision {
  const truth = facts.mayarAt ?? facts.sentAt ?? facts.cellAt;
  if (truth === null) return { expired: false, edited: false };
  if (truth <= now) return { expired: true };
  if (facts.cellAt !== null && facts.cellAt <= now) return { expired: false, edited: true, sentAt: truth };
  return { expired: false, edited: false };
}
