/**
 * Mayar's Headless API v2: building requests and classifying replies. Pure: the HTTP port
 * sends what these functions build. Success needs HTTP 2xx AND statusCode 200 AND
 * messages "success" (a failed write has been seen as HTTP 200 with messages "failed").
 * Replies are read only for the fields Mayar documents (see docs of Mayar's API and
 * test/contract/): list items have a slug, not a URL; the detail has no expiredAt; a
 * transaction has updatedAt, not paidAt.
 */
// zod/mini: the functional API keeps the Apps Script bundle small.
import * as z from 'zod/mini';
import type { HttpReply, HttpRequestSpec } from './http';
import { API_BASE, type Environment } from './settings';
import type { PaymentRequest } from './types';

/** Mayar's page sizes: default 10, at most 50 (payments list and webhook history). */
export const MAX_PAGE_SIZE = 50;

function headers(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
}

function get(env: Environment, apiKey: string, path: string, query: Record<string, string | number | undefined> = {}): HttpRequestSpec {
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '');
  const search = pairs.map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join('&');
  return { url: `${API_BASE[env]}${path}${search ? `?${search}` : ''}`, method: 'get', headers: headers(apiKey) };
}

function post(env: Environment, apiKey: string, path: string, body: unknown): HttpRequestSpec {
  return {
    url: `${API_BASE[env]}${path}`,
    method: 'post',
    headers: { ...headers(apiKey), 'Content-Type': 'application/json' },
    payload: JSON.stringify(body),
  };
}

function pageSize(limit: number | undefined): number | undefined {
  if (limit === undefined || !Number.isFinite(limit)) return undefined;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

export function createRequest(env: Environment, apiKey: string, body: PaymentRequest): HttpRequestSpec {
  return post(env, apiKey, '/payments/create', body);
}

export type ListStatus = 'unpaid' | 'paid' | 'closed';

export interface ListQuery {
  status?: ListStatus;
  /** 1 to 50; Mayar's default is 10. */
  limit?: number;
  /** The previous page's nextStartingAfter. */
  startingAfter?: string;
}

/** GET /payments, newest first. The positional form (limit, startingAfter) is kept for callers. */
export function listRequest(env: Environment, apiKey: string, query: ListQuery | number = {}, startingAfter?: string): HttpRequestSpec {
  const q: ListQuery = typeof query === 'number' ? { limit: query, ...(startingAfter ? { startingAfter } : {}) } : query;
  return get(env, apiKey, '/payments', { status: q.status, limit: pageSize(q.limit), startingAfter: q.startingAfter });
}

/** The request for the page after `page`, or null when there is none. */
export function nextListRequest(env: Environment, apiKey: string, query: ListQuery, page: PaymentPage): HttpRequestSpec | null {
  if (!page.hasMore || page.next === null) return null;
  return listRequest(env, apiKey, { ...query, startingAfter: page.next });
}

export function paymentRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return get(env, apiKey, `/payments/${encodeURIComponent(id)}`);
}

export function transactionRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return get(env, apiKey, `/transactions/${encodeURIComponent(id)}`);
}

export function closeRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return post(env, apiKey, `/payments/${encodeURIComponent(id)}/close`, {});
}

/** Newest deliveries first; one read returns up to 50. `page` counts from 1. */
export function webhookHistoryRequest(env: Environment, apiKey: string, query: { limit?: number; page?: number } = {}): HttpRequestSpec {
  return get(env, apiKey, '/webhooks/history', { limit: pageSize(query.limit), page: query.page });
}

/** Replaces the account's one webhook URL. */
export function webhookUpdateRequest(env: Environment, apiKey: string, urlHook: string): HttpRequestSpec {
  return post(env, apiKey, '/webhooks/update', { urlHook });
}

export function channelsRequest(env: Environment, apiKey: string): HttpRequestSpec {
  return get(env, apiKey, '/payment-channels');
}

// ---- Reply schemas -------------------------------------------------------------------------

const text = z.nullish(z.string());
const money = z.nullish(z.number());

const validatorItem = z.object({ field: text, message: text, type: text });

const envelope = z.object({
  statusCode: z.optional(z.number()),
  messages: z.optional(z.string()),
  message: z.optional(z.string()),
  data: z.optional(z.unknown()),
});
type Envelope = z.infer<typeof envelope>;

const URL_PATTERN = /^https?:\/\/\S+$/;

const createdData = z.object({
  id: z.string().check(z.minLength(1)),
  transactionId: z.nullish(z.string()),
  link: z.string().check(z.regex(URL_PATTERN)),
});

function toMs(value: number | string): number {
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

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
export type ListedPayment = z.infer<typeof listItem>;

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
export type PaymentDetail = z.infer<typeof paymentDetail>;

export const TRANSACTION_STATUSES = ['paid', 'unpaid', 'created', 'expired'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

const transactionDetail = z.object({
  status: z.enum(TRANSACTION_STATUSES),
  amount: money,
  paymentMethod: text,
  extraData: z.nullish(z.record(z.string(), z.unknown())),
  expirationDate: z.nullish(timestamp),
  /** For a paid transaction, when it was paid: Mayar has no paidAt. */
  updatedAt: z.nullish(timestamp),
});
export type TransactionDetail = z.infer<typeof transactionDetail>;

const deliveryItem = z.object({
  id: z.union([z.string(), z.number()]),
  createdAt: timestamp,
  paymentLinkId: text,
  payload: text,
  status: z.string(),
  type: z.string(),
});

const deliveredBody = z.object({
  event: text,
  data: z.nullish(z.object({ productId: text, transactionId: text })),
});

const channelItem = z.object({ code: z.string().check(z.minLength(1)), name: text });

// ---- Classification ------------------------------------------------------------------------

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
  const items = z.safeParse(z.array(validatorItem), data);
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
  const body = z.safeParse(envelope, json);
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
  const result = classify(reply, createdData);
  if (!result.ok) return result;
  return { ok: true, body: result.body, data: { id: result.data.id, transactionId: result.data.transactionId ?? null, link: result.data.link } };
}

export interface PaymentPage {
  items: ListedPayment[];
  hasMore: boolean;
  next: string | null;
}

export function classifyList(reply: HttpReply): Classified<PaymentPage> {
  const json = parseJson(reply.body);
  const base = classify(reply, z.array(listItem));
  if (!base.ok) return base;
  const page = z.safeParse(listBody, json);
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
  return classify(reply, paymentDetail);
}

export function classifyTransaction(reply: HttpReply): Classified<TransactionDetail> {
  return classify(reply, transactionDetail);
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

export interface WebhookHistory {
  deliveries: WebhookDelivery[];
  /** Items that could not be read at all, left out of deliveries. */
  unreadable: number;
}

function deliveredIds(payload: string | null | undefined): { productId: string | null; transactionId: string | null } {
  const body = z.safeParse(deliveredBody, payload ? parseJson(payload) : undefined);
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
  const parsed = z.safeParse(deliveredBody, parseJson(body));
  const ids = deliveredIds(body);
  return { event: parsed.success ? (parsed.data.event ?? null) : null, paymentId: ids.productId, transactionId: ids.transactionId };
}

/** GET /webhooks/history: a hint of what was paid, to confirm with the transaction or detail. */
export function classifyWebhookHistory(reply: HttpReply): Classified<WebhookHistory> {
  const base = classify(reply, z.array(z.unknown()));
  if (!base.ok) return base;
  const deliveries: WebhookDelivery[] = [];
  for (const raw of base.data) {
    const item = z.safeParse(deliveryItem, raw);
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
  return { ok: true, body: base.body, data: { deliveries, unreadable: base.data.length - deliveries.length } };
}

export interface PaymentChannel {
  /** The value for a create's paymentMethod, e.g. qris, va/bni, ewallet/gopay. */
  code: string;
  name: string | null;
}

export function classifyChannels(reply: HttpReply): Classified<PaymentChannel[]> {
  const result = classify(reply, z.array(channelItem));
  if (!result.ok) return result;
  return { ok: true, body: result.body, data: result.data.map((c) => ({ code: c.code, name: c.name ?? null })) };
}

/**
 * The shareable URL of a payment when the reply carries one: the detail's linkUrl (or
 * linkPayment). A list item's link is a slug, so it gives null: read the detail then.
 */
export function paymentUrl(item: { link?: string | null; linkUrl?: string | null; linkPayment?: string | null }): string | null {
  for (const candidate of [item.linkUrl, item.linkPayment, item.link]) if (candidate && URL_PATTERN.test(candidate)) return candidate;
  return null;
}
