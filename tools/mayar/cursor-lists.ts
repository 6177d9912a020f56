/**
 * Mayar's v2 cursor lists the simulator serves beside the payments list, as mayar-api.md
 * documents them: the webhook history (GET /hl/v2/webhooks/history) and the paid transactions
 * (GET /hl/v2/transactions). Newest first; `limit` (default 10, at most 50); the next page's
 * cursor is `nextStartingAfter` (a millisecond timestamp as a string) with `hasMore`; items
 * whose `createdAt` equals the cursor are skipped, as with Mayar's millisecond cursor. `page`
 * is a v1 parameter: v2 ignores it, so `page=2` returns page 1 again.
 */

/** One entry of the paid transactions list (a balance-history record of a settled payment). */
export interface Settlement {
  /** The balance-history id: not the transaction's. */
  id: string;
  environment: 'sandbox' | 'production';
  /** Milliseconds: when the payment settled. */
  createdAt: number;
  credit: number;
  /** Documented: `settled`; a test may set any other text. */
  status: string;
  balanceHistoryType: string;
  paymentMethod: string | null;
  customerId: string;
  customer: { id: string; name: string; email: string | null; mobile: string | null };
  paymentLinkId: string;
  paymentLinkName: string;
  paymentLinkTransactionId: string;
}

export interface CursorItem {
  createdAt: number;
}

export interface ListError {
  type: string;
  field: string;
  message: string;
}

export type ListReply = { ok: true; fields: Record<string, unknown> } | { ok: false; errors: ListError[] };

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

function numeric(params: URLSearchParams, field: string, errors: ListError[]): number | null {
  const text = params.get(field) ?? '';
  if (text === '') return null;
  if (!/^\d+$/.test(text)) {
    errors.push({ type: 'number', field, message: `The '${field}' field must be a number.` });
    return null;
  }
  return Number(text);
}

/** One page of `items` (any order) newest first after the cursor and inside startAt/endAt. */
function cursorPage<T extends CursorItem>(
  items: readonly T[],
  params: URLSearchParams,
  keep: (item: T) => boolean,
  view: (item: T) => Record<string, unknown>,
): ListReply {
  const errors: ListError[] = [];
  const cursor = numeric(params, 'startingAfter', errors);
  const startAt = numeric(params, 'startAt', errors);
  const endAt = numeric(params, 'endAt', errors);
  if (errors.length) return { ok: false, errors };
  const limitText = params.get('limit') ?? '';
  const asked = /^\d+$/.test(limitText) ? Number(limitText) : DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, asked < 1 ? DEFAULT_LIMIT : asked);
  const matching = items
    .filter(
      (item) => (cursor === null || item.createdAt < cursor) && (startAt === null || item.createdAt >= startAt) && (endAt === null || item.createdAt <= endAt),
    )
    .filter(keep)
    .sort((a, b) => b.createdAt - a.createdAt);
  return { ok: true, fields: pageFields(matching, limit, view) };
}

/** The first `limit` of `matching` (newest first) as a v2 list reply: hasMore, the cursor and data. */
export function pageFields<T extends CursorItem>(matching: readonly T[], limit: number, view: (item: T) => unknown): Record<string, unknown> {
  const page = matching.slice(0, limit);
  const hasMore = matching.length > limit;
  const last = page[page.length - 1];
  return { hasMore, nextStartingAfter: hasMore && last ? String(last.createdAt) : null, data: page.map(view) };
}

/** GET /hl/v2/transactions: settled payments, filters status, customerId, type, paymentLinkId. */
export function paidTransactionsPage(settlements: readonly Settlement[], params: URLSearchParams, now: number): ListReply {
  const status = params.get('status') ?? '';
  const customerId = params.get('customerId') ?? '';
  const type = params.get('type') ?? '';
  const paymentLinkId = params.get('paymentLinkId') ?? '';
  return cursorPage(
    settlements,
    params,
    (s) =>
      // A payment appears once it has settled.
      s.createdAt <= now &&
      (status === '' || s.status === status) &&
      (customerId === '' || s.customerId === customerId) &&
      (type === '' || s.balanceHistoryType === type) &&
      (paymentLinkId === '' || s.paymentLinkId === paymentLinkId),
    (s) => ({
      id: s.id,
      credit: s.credit,
      status: s.status,
      balanceHistoryType: s.balanceHistoryType,
      paymentMethod: s.paymentMethod,
      customerId: s.customerId,
      createdAt: s.createdAt,
      paymentLinkTransactionId: s.paymentLinkTransactionId,
      fee: [],
      paymentLinkId: s.paymentLinkId,
      paymentLinkTransaction: { id: s.paymentLinkTransactionId },
      customer: { ...s.customer },
      paymentLink: { id: s.paymentLinkId, name: s.paymentLinkName },
    }),
  );
}

/** The fields of a webhook delivery the history reports. */
export interface HistoryDelivery {
  id: string;
  createdAt: number;
  nextDelivery: number | null;
  paymentLinkId: string;
  payload: string;
  status: string;
  type: string;
  updatedAt: number;
  userId: string;
  urlDestination: string;
}

/** GET /hl/v2/webhooks/history: filters status, type, urlDestination; `page` ignored. */
export function webhookHistoryPage(
  deliveries: readonly HistoryDelivery[],
  params: URLSearchParams,
  transactionOf: (paymentId: string) => string | null,
): ListReply {
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const urlDestination = params.get('urlDestination') ?? '';
  return cursorPage(
    deliveries,
    params,
    (d) => (status === '' || d.status === status) && (type === '' || d.type === type) && (urlDestination === '' || d.urlDestination === urlDestination),
    (d) => ({
      id: d.id,
      createdAt: d.createdAt,
      nextDelivery: d.nextDelivery,
      paymentLinkId: d.paymentLinkId,
      paymentLinkTransactionId: transactionOf(d.paymentLinkId),
      payload: d.payload,
      responsePayload: d.status === 'SUCCESS' ? '{"ok":true}' : null,
      source: 'system',
      status: d.status,
      type: d.type,
      updatedAt: d.updatedAt,
      userId: d.userId,
      urlDestination: d.urlDestination,
    }),
  );
}
