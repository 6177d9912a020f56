/**
 * Mayar's replies classified: success with the documented data, or a Failure the run acts on.
 * Success needs HTTP 2xx AND statusCode 200 AND messages "success" (a failed write has been
 * seen as HTTP 200 with messages "failed"). Requests are built in mayar-requests, replies read
 * with the schemas of mayar-schemas.
 */
import * as z from 'zod/mini';
import type { HttpReply } from './http';
import { type Envelope, mayarSchemas, type PaymentDetail, type PaymentPage, type TransactionDetail, URL_PATTERN } from './mayar-schemas';

/** Why a reply is not a success, in terms the run acts on. */
export type Failure =
  | { kind: 'unauthorized' }
  /** Mayar refused the data: the row gets an Error and is not retried in this run. */
  | { kind: 'rejected'; status: number; details: string[] }
  /** 409 "already exist": maybe our own earlier attempt; needs a look. */
  | { kind: 'conflict'; details: string[] }
  /** 429 "Duplicate request": same customer and amount within a minute. */
  | { kind: 'duplicate' }
  /** 429 "Too Many Requests": the rate limit. */
  | { kind: 'rate-limited'; retryAfterMs: number | null }
  /** 5xx, an HTML page, an unreadable body: the request may or may not have been processed. */
  | { kind: 'unavailable'; status: number; details: string[] }
  | { kind: 'not-found' };

export type Classified<T> = { ok: true; data: T; body: Envelope } | { ok: false; failure: Failure };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(reply: HttpReply, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(reply.headers)) if (key.toLowerCase() === wanted) return reply.headers[key];
  return undefined;
}

function retryAfterMs(reply: HttpReply): number | null {
  const raw = headerValue(reply, 'Retry-After');
  // Number('') is 0: a blank header must not read as "retry now".
  if (raw === undefined || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  return null;
}

/** Mayar's validator list (`data[].field`, `data[].message`) as readable sentences. */
function validatorDetails(data: unknown): string[] {
  const items = z.safeParse(z.array(mayarSchemas().validatorItem), data);
  if (!items.success) return [];
  return items.data
    .map((item) => [item.field, item.message].filter((part): part is string => !!part && part.trim() !== '').join(': '))
    .filter((text) => text !== '');
}

function snippet(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 120 ? `${plain.slice(0, 117)}...` : plain;
}

/** Classifies any Mayar reply; `data` is parsed with the given schema on success. */
export function classify<T>(reply: HttpReply, schema: z.core.$ZodType<T>): Classified<T> {
  const json = parseJson(reply.body);
  const body = z.safeParse(mayarSchemas().envelope, json);
  const status = reply.status;
  const text = body.success ? (body.data.messages ?? body.data.message ?? '') : '';

  if (status === 401 || status === 403 || (body.success && body.data.statusCode === 401)) {
    return { ok: false, failure: { kind: 'unauthorized' } };
  }
  if (status === 429 || (body.success && body.data.statusCode === 429)) {
    if (/duplicate/i.test(text)) return { ok: false, failure: { kind: 'duplicate' } };
    return { ok: false, failure: { kind: 'rate-limited', retryAfterMs: retryAfterMs(reply) } };
  }
  if (!body.success) {
    const details = [`HTTP ${status}`, snippet(reply.body)].filter((d) => d !== '');
    return { ok: false, failure: { kind: 'unavailable', status, details } };
  }
  const env = body.data;
  const details = [...validatorDetails(env.data), ...(text && !/^(failed|success)$/i.test(text) ? [text] : [])];
  if (status === 404) return { ok: false, failure: { kind: 'not-found' } };
  if (status === 409 || env.statusCode === 409) return { ok: false, failure: { kind: 'conflict', details } };
  if (status >= 500) return { ok: false, failure: { kind: 'unavailable', status, details: details.length ? details : [`HTTP ${status}`] } };
  const success = status >= 200 && status < 300 && env.statusCode === 200 && env.messages === 'success';
  if (!success) {
    if (status >= 200 && status < 500) {
      return { ok: false, failure: { kind: 'rejected', status: env.statusCode ?? status, details: details.length ? details : [text || `HTTP ${status}`] } };
    }
    return { ok: false, failure: { kind: 'unavailable', status, details } };
  }
  const data = z.safeParse(schema, env.data);
  if (!data.success) {
    // A 200 we can't read: the write may have happened, so it is not a plain rejection.
    return { ok: false, failure: { kind: 'unavailable', status, details: ['Mayar replied success in an unexpected shape'] } };
  }
  return { ok: true, data: data.data, body: env };
}

export interface CreatedPayment {
  id: string;
  transactionId: string | null;
  link: string;
}

export function classifyCreate(reply: HttpReply): Classified<CreatedPayment> {
  const result = classify(reply, mayarSchemas().createdData);
  if (!result.ok) return result;
  return { ok: true, body: result.body, data: { id: result.data.id, transactionId: result.data.transactionId ?? null, link: result.data.link } };
}

export function classifyList(reply: HttpReply): Classified<PaymentPage> {
  const json = parseJson(reply.body);
  const base = classify(reply, z.array(mayarSchemas().listItem));
  if (!base.ok) return base;
  const page = z.safeParse(mayarSchemas().listBody, json);
  if (!page.success) return { ok: false, failure: { kind: 'unavailable', status: reply.status, details: ['unexpected list shape'] } };
  const next = page.data.nextStartingAfter;
  return {
    ok: true,
    body: base.body,
    data: {
      items: page.data.data,
      hasMore: page.data.hasMore === true && next !== null && next !== undefined,
      next: next === null || next === undefined ? null : String(next),
    },
  };
}

export function classifyPayment(reply: HttpReply): Classified<PaymentDetail> {
  return classify(reply, mayarSchemas().paymentDetail);
}

export function classifyTransaction(reply: HttpReply): Classified<TransactionDetail> {
  return classify(reply, mayarSchemas().transactionDetail);
}

/** A close has no data: success, or a failure where `rejected` means Mayar refused (a paid request). */
export function classifyClose(reply: HttpReply): Classified<null> {
  const result = classify(reply, z.unknown());
  return result.ok ? { ok: true, body: result.body, data: null } : result;
}

export interface WebhookDelivery {
  id: string;
  /** e.g. payment.received */
  type: string;
  /** SUCCESS or FAILED; other values are passed on as they come. */
  status: string;
  createdAt: number;
  /** The payment request: paymentLinkId, else the payload's data.productId. */
  paymentId: string | null;
  /** The payload's data.transactionId (the create call's transactionId). */
  transactionId: string | null;
}

/** The paging of a v2 cursor list: `next` is the cursor of the page after, null on the last. */
export interface CursorPaging {
  hasMore: boolean;
  next: string | null;
}

export interface WebhookHistory extends CursorPaging {
  deliveries: WebhookDelivery[];
  /** Items that could not be read at all, left out of deliveries. */
  unreadable: number;
}

function cursorPaging(body: string): CursorPaging {
  const page = z.safeParse(mayarSchemas().cursorBody, parseJson(body));
  const next = page.success ? page.data.nextStartingAfter : null;
  const hasMore = page.success && page.data.hasMore === true && next !== null && next !== undefined;
  return { hasMore, next: hasMore ? String(next) : null };
}

function deliveredIds(payload: string | null | undefined): { productId: string | null; transactionId: string | null } {
  const body = z.safeParse(mayarSchemas().deliveredBody, payload ? parseJson(payload) : undefined);
  const data = body.success ? body.data.data : null;
  return { productId: data?.productId || null, transactionId: data?.transactionId || null };
}

export interface WebhookEvent {
  event: string | null;
  /** data.productId: the payment request. */
  paymentId: string | null;
  /** data.transactionId: the create call's transactionId. */
  transactionId: string | null;
}

/** What a delivered webhook body names; nulls for anything unreadable. A hint, never proof of payment. */
export function readWebhookBody(body: string): WebhookEvent {
  const parsed = z.safeParse(mayarSchemas().deliveredBody, parseJson(body));
  const ids = deliveredIds(body);
  return { event: parsed.success ? (parsed.data.event ?? null) : null, paymentId: ids.productId, transactionId: ids.transactionId };
}

/** GET /webhooks/history: a hint of what was paid, to confirm with the transaction or detail. */
export function classifyWebhookHistory(reply: HttpReply): Classified<WebhookHistory> {
  const base = classify(reply, z.array(z.unknown()));
  if (!base.ok) return base;
  const deliveries: WebhookDelivery[] = [];
  for (const raw of base.data) {
    const item = z.safeParse(mayarSchemas().deliveryItem, raw);
    if (!item.success) continue;
    const ids = deliveredIds(item.data.payload);
    deliveries.push({
      id: String(item.data.id),
      type: item.data.type,
      status: item.data.status,
      createdAt: item.data.createdAt,
      paymentId: item.data.paymentLinkId || ids.productId,
      transactionId: ids.transactionId,
    });
  }
  return { ok: true, body: base.body, data: { deliveries, unreadable: base.data.length - deliveries.length, ...cursorPaging(reply.body) } };
}

/** One entry of the paid transactions list. */
export interface PaidTransaction {
  /** The payment request it paid. */
  paymentId: string;
  transactionId: string | null;
  /** Milliseconds: when the payment settled (the time of payment, as near as Mayar says). */
  at: number;
  /** `settled` is documented; another word is passed on as it came, and settles nothing. */
  status: string;
  settled: boolean;
}

export interface PaidTransactions extends CursorPaging {
  items: PaidTransaction[];
  /** Items that could not be read at all (no payment or no time), left out of items. */
  unreadable: number;
}

/**
 * GET /transactions: each item read on its own, so one in a shape or status the docs don't
 * list never fails the whole reply; only a `settled` one says a payment is in.
 */
export function classifyPaidTransactions(reply: HttpReply): Classified<PaidTransactions> {
  const base = classify(reply, z.array(z.unknown()));
  if (!base.ok) return base;
  const items: PaidTransaction[] = [];
  for (const raw of base.data) {
    const item = z.safeParse(mayarSchemas().paidItem, raw);
    if (!item.success || !item.data.paymentLinkId) continue;
    const status = (item.data.status ?? '').trim();
    items.push({
      paymentId: item.data.paymentLinkId,
      transactionId: item.data.paymentLinkTransactionId || item.data.paymentLinkTransaction?.id || null,
      at: item.data.createdAt,
      status,
      settled: status.toLowerCase() === 'settled',
    });
  }
  return { ok: true, body: base.body, data: { items, unreadable: base.data.length - items.length, ...cursorPaging(reply.body) } };
}

export interface PaymentChannel {
  /** The value for a create's paymentMethod, upper-case (QRIS, MANDIRI, OVO); null for a card channel. */
  code: string | null;
  name: string | null;
  /** Only an enabled channel can be asked for; Mayar's own guide says an inactive one fails at create time. */
  enabled: boolean;
}

/** GET /payment-channels: one object whose `config[]` lists the channels; an unreadable item is skipped. */
export function classifyChannels(reply: HttpReply): Classified<PaymentChannel[]> {
  const result = classify(reply, mayarSchemas().channelsData);
  if (!result.ok) return result;
  const channels: PaymentChannel[] = [];
  for (const raw of result.data.config) {
    const item = z.safeParse(mayarSchemas().channelItem, raw);
    if (!item.success) continue;
    channels.push({ code: item.data.code || null, name: item.data.name ?? null, enabled: (item.data.status ?? '').toLowerCase() === 'enabled' });
  }
  return { ok: true, body: result.body, data: channels };
}

/** What a Payment Method cell names among the account's channels: the code to send, or why not. */
export type ChannelMatch = { kind: 'ok'; code: string } | { kind: 'disabled'; code: string } | { kind: 'unknown' };

/** A code in any case (qris, Mandiri) matches the channel's own code. */
export function matchChannel(channels: readonly PaymentChannel[], method: string): ChannelMatch {
  const wanted = method.trim().toUpperCase();
  const found = channels.find((c) => c.code !== null && c.code.toUpperCase() === wanted);
  if (!found?.code) return { kind: 'unknown' };
  return found.enabled ? { kind: 'ok', code: found.code } : { kind: 'disabled', code: found.code };
}

/**
 * The shareable URL of a payment when the reply carries one: the detail's linkUrl (or
 * linkPayment). A list item's link is a slug, so it gives null: read the detail then.
 */
export function paymentUrl(item: { link?: string | null; linkUrl?: string | null; linkPayment?: string | null }): string | null {
  for (const candidate of [item.linkUrl, item.linkPayment, item.link]) if (candidate && URL_PATTERN.test(candidate)) return candidate;
  return null;
}
