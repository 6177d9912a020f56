/**
 * Mayar's replies, read only for the fields Mayar documents (see docs of Mayar's API and
 * test/contract/): list items have a slug, not a URL; the detail has no expiredAt; a
 * transaction has updatedAt, not paidAt.
 */
// zod/mini: the functional API keeps the Apps Script bundle small.
import * as z from 'zod/mini';
import { lazy } from './schema';

export const URL_PATTERN = /^https?:\/\/\S+$/;

function toMs(value: number | string): number {
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

export type TransactionStatus = 'paid' | 'unpaid' | 'created' | 'expired';

/** Built on first use (see ./schema). */
export const mayarSchemas = /* @__PURE__ */ lazy(() => {
  const text = z.nullish(z.string());
  const money = z.nullish(z.number());

  const validatorItem = z.object({ field: text, message: text, type: text });

  const envelope = z.object({
    statusCode: z.optional(z.number()),
    messages: z.optional(z.string()),
    message: z.optional(z.string()),
    data: z.optional(z.unknown()),
  });

  const createdData = z.object({
    id: z.string().check(z.minLength(1)),
    transactionId: z.nullish(z.string()),
    link: z.string().check(z.regex(URL_PATTERN)),
  });

  /** Milliseconds from a number, a numeric string or an ISO time; NaN fails z.number(). */
  const timestamp = z.pipe(z.pipe(z.union([z.number(), z.string()]), z.transform(toMs)), z.number());

  const listItem = z.object({
    id: z.string(),
    name: text,
    amount: money,
    description: text,
    createdAt: timestamp,
    status: text,
    /** The slug only: the URL to share is the detail's linkUrl. */
    link: text,
    transactions: z.nullish(z.array(z.object({ id: z.string(), extraData: z.nullish(z.record(z.string(), z.unknown())) }))),
  });

  const listBody = z.object({
    hasMore: z.optional(z.boolean()),
    nextStartingAfter: z.nullish(z.union([z.string(), z.number()])),
    data: z.array(listItem),
  });

  const paymentDetail = z.object({
    id: z.string(),
    status: z.string(),
    amount: money,
    name: text,
    description: text,
    link: text,
    linkUrl: text,
    linkPayment: text,
    createdAt: z.nullish(timestamp),
    // The shape of these items is not documented beyond their id.
    transactions: z.nullish(z.array(z.object({ id: z.string() }))),
  });

  const transactionDetail = z.object({
    // Documented as "e.g. paid, unpaid, created, expired" (TransactionStatus): another word is
    // read as it comes, so the reply is not lost; only `paid` counts as paid.
    status: z.string(),
    amount: money,
    paymentMethod: text,
    extraData: z.nullish(z.record(z.string(), z.unknown())),
    expirationDate: z.nullish(timestamp),
    /** The payment request it belongs to: a webhook's transaction must be its row's. */
    paymentLink: z.nullish(z.object({ id: z.string() })),
    /** For a paid transaction, when it was paid: Mayar has no paidAt. */
    updatedAt: z.nullish(timestamp),
  });

  const deliveryItem = z.object({
    id: z.union([z.string(), z.number()]),
    createdAt: timestamp,
    paymentLinkId: text,
    payload: text,
    status: z.string(),
    type: z.string(),
  });

  /** The paging fields of a v2 cursor list (the items are read one by one). */
  const cursorBody = z.object({
    hasMore: z.optional(z.boolean()),
    nextStartingAfter: z.nullish(z.union([z.string(), z.number()])),
  });

  /** GET /transactions (paid transactions): a balance-history item, read for what settles a row. */
  const paidItem = z.object({
    createdAt: timestamp,
    status: text,
    credit: money,
    paymentLinkId: text,
    paymentLinkTransactionId: text,
    paymentLinkTransaction: z.nullish(z.object({ id: text })),
  });

  const deliveredBody = z.object({
    event: text,
    data: z.nullish(z.object({ productId: text, transactionId: text })),
  });

  /** One of `config[]` in GET /payment-channels: a card channel has code null; status "enabled" when it can be used. */
  const channelItem = z.object({ code: text, name: text, status: text, type: text });
  /** GET /payment-channels: `data` is one object (the account's channel settings), not a list. */
  const channelsData = z.object({ config: z.array(z.unknown()) });

  return {
    validatorItem,
    envelope,
    createdData,
    listItem,
    listBody,
    paymentDetail,
    transactionDetail,
    deliveryItem,
    cursorBody,
    paidItem,
    deliveredBody,
    channelItem,
    channelsData,
  };
});
type MayarSchemas = ReturnType<typeof mayarSchemas>;

export type Envelope = z.infer<MayarSchemas['envelope']>;
export type ListedPayment = z.infer<MayarSchemas['listItem']>;
/** One page of GET /payments, newest first. */
export interface PaymentPage {
  items: ListedPayment[];
  hasMore: boolean;
  next: string | null;
}
export type PaymentDetail = z.infer<MayarSchemas['paymentDetail']>;
export type TransactionDetail = z.infer<MayarSchemas['transactionDetail']>;
