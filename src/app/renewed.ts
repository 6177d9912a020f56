/**
 * The payment requests Renew expired links replaced: a machine-readable record (document
 * property `mayar.renewed`, newest last) so a late webhook or a refresh that names an old id
 * still finds the row it was made for. The Mayar Log holds the same ids for people.
 */
import { utf8Bytes } from '../core/bytes';
import { cellText } from '../core/cell-text';
import { mapHeaders } from '../core/headers';
import type { AppContext } from './context';
import type { KeyValueStore, SheetPort } from './ports';

const KEY = 'mayar.renewed';
/** Apps Script keeps at most 9 KB per property value (UTF-8 bytes); the record stays under 8 KB. */
const MAX_BYTES = 8000;

export interface RenewedPayment {
  /** The old Payment ID. */
  o: string;
  /** Sheet id, the row it was on (1-based) and the customer's name, to find the row again. */
  s: number;
  r: number;
  n: string;
  /** When it was replaced. */
  a: number;
  /** When a late payment of it was confirmed and the row settled (a repeat webhook then changes nothing). */
  p?: number;
}

export function renewedPayments(store: KeyValueStore): RenewedPayment[] {
  try {
    const parsed: unknown = JSON.parse(store.get(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as RenewedPayment[]).filter((p) => p && typeof p.o === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberRenewed(store: KeyValueStore, entries: readonly RenewedPayment[]): void {
  if (entries.length === 0) return;
  const olds = new Set(entries.map((e) => e.o));
  const list = [...renewedPayments(store).filter((p) => !olds.has(p.o)), ...entries.map((e) => ({ ...e, n: e.n.slice(0, 60) }))];
  // The oldest go first when the record would not fit in one property value.
  while (list.length > 1 && utf8Bytes(JSON.stringify(list)) > MAX_BYTES) list.shift();
  store.setMany({ [KEY]: JSON.stringify(list) });
}

/** The renewed record's entry for a replaced Payment ID, if it is one. */
export function renewedEntry(store: KeyValueStore, paymentId: string): RenewedPayment | undefined {
  return renewedPayments(store).find((p) => p.o === paymentId);
}

/** Notes that a late payment of a replaced Payment ID settled its row. */
export function markRenewedPaid(store: KeyValueStore, paymentId: string, at: number): void {
  const list = renewedPayments(store);
  const entry = list.find((p) => p.o === paymentId);
  if (!entry) return;
  entry.p = at;
  store.setMany({ [KEY]: JSON.stringify(list) });
}

/**
 * The row a replaced Payment ID was made for: its sheet and 0-based data index (the row it was
 * on when it still holds that customer, else the first row with that customer's name), or null.
 */
export function renewedRow(ctx: AppContext, paymentId: string): { sheet: SheetPort; index: number } | null {
  const entry = renewedPayments(ctx.ports.documentStore).find((p) => p.o === paymentId);
  const sheet = entry ? ctx.ports.spreadsheet.sheetById(entry.s) : null;
  if (!entry || !sheet) return null;
  const data = sheet.readAll();
  const name = mapHeaders(data[0] ?? []).input.name;
  if (name === undefined) return null;
  const nameAt = (i: number): string => cellText(data[i]?.[name]);
  if (entry.r - 1 >= 1 && nameAt(entry.r - 1) === entry.n) return { sheet, index: entry.r - 1 };
  for (let i = 1; i < data.length; i++) if (nameAt(i) === entry.n) return { sheet, index: i };
  return null;
}
