/**
 * Rows that turned Paid and are owed a thank-you email. The refresh and the webhook add to it
 * the moment they write Paid (a row turns Paid once); the hourly pass empties it. Kept apart
 * from the sending so that the refresh can call it without an import cycle.
 */
import type { KeyValueStore } from '../ports';
import { loadDelivery } from './settings';

const KEY = 'mayar.thanksQueue';
/** A cap that keeps the property well under its 9 KB: past it the oldest are dropped. */
const MAX_QUEUED = 300;

export interface ThanksEntry {
  sheetId: number;
  paymentId: string;
}

export function thanksQueue(store: KeyValueStore): ThanksEntry[] {
  try {
    const parsed: unknown = JSON.parse(store.get(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((e): e is ThanksEntry => typeof e === 'object' && e !== null && typeof e.sheetId === 'number' && typeof e.paymentId === 'string');
  } catch {
    return [];
  }
}

export function saveThanksQueue(store: KeyValueStore, queue: readonly ThanksEntry[]): void {
  store.setMany({ [KEY]: queue.length ? JSON.stringify(queue.slice(-MAX_QUEUED)) : null });
}

/** The row with this Payment ID has just turned Paid: owed a thank-you when they are on. */
export function noteTurnedPaid(store: KeyValueStore, sheetId: number, paymentId: string): void {
  if (!paymentId || !loadDelivery(store).thankYou) return;
  const queue = thanksQueue(store);
  if (queue.some((e) => e.paymentId === paymentId)) return;
  saveThanksQueue(store, [...queue, { sheetId, paymentId }]);
}
