/** The Status column: written in the user's language, recognised in any of them. */
import { type Locale, type MessageKey, t } from './messages';

export const STATUSES = ['unpaid', 'paid', 'expired', 'closed', 'review'] as const;
export type PaymentStatus = (typeof STATUSES)[number];

const KEY: Record<PaymentStatus, MessageKey> = {
  unpaid: 'status.unpaid',
  paid: 'status.paid',
  expired: 'status.expired',
  closed: 'status.closed',
  review: 'status.review',
};

/** Paid, expired and closed links don't change any more. */
export const FINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set(['paid', 'expired', 'closed']);

export function statusText(locale: Locale, status: PaymentStatus): string {
  return t(locale, KEY[status]);
}

export function parseStatus(cell: unknown): PaymentStatus | null {
  if (typeof cell !== 'string') return null;
  const text = cell.trim().toLowerCase();
  if (text === '') return null;
  for (const status of STATUSES) {
    for (const locale of ['en', 'id'] as const) if (statusText(locale, status).toLowerCase() === text) return status;
  }
  return null;
}
