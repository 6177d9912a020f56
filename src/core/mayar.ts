/**
 * Mayar's Headless API v2: building requests and classifying replies. Pure: the HTTP port
 * sends what these functions build. Success needs HTTP 2xx AND statusCode 200 AND
 * messages "success" (a failed write has been seen as HTTP 200 with messages "failed").
 */
import * as z from 'zod';
import type { HttpReply, HttpRequestSpec } from './http';
import { API_BASE, type Environment } from './settings';
import type { PaymentRequest } from './types';

function headers(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
}

export function createRequest(env: Environment, apiKey: string, body: PaymentRequest): HttpRequestSpec {
  return {
    url: `${API_BASE[env]}/payments/create`,
    method: 'post',
    headers: { ...headers(apiKey), 'Content-Type': 'application/json' },
    payload: JSON.stringify(body),
  };
}

export function listRequest(env: Environment, apiKey: string, limit: number, startingAfter?: string): HttpRequestSpec {
  const query = `limit=${limit}${startingAfter ? `&startingAfter=${encodeURIComponent(startingAfter)}` : ''}`;
  return { url: `${API_BASE[env]}/payments?${query}`, method: 'get', headers: headers(apiKey) };
}

export function paymentRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return { url: `${API_BASE[env]}/payments/${encodeURIComponent(id)}`, method: 'get', headers: headers(apiKey) };
}

export function transactionRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return { url: `${API_BASE[env]}/transactions/${encodeURIComponent(id)}`, method: 'get', headers: headers(apiKey) };
}

export function closeRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return {
    url: `${API_BASE[env]}/payments/${encodeURIComponent(id)}/close`,
    method: 'post',
    headers: { ...headers(apiKey), 'Content-Type': 'application/json' },
    payload: '{}',
  };
}

// ---- Reply schemas -------------------------------------------------------------------------

const validatorItem = z.object({
  field: z.string().optional().nullable(),
  message: z.string().optional().nullable(),
  type: z.string().optional().nullable(),
});

const envelope = z.object({
  statusCode: z.number().optional(),
  messages: z.string().optional(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});
type Envelope = z.infer<typeof envelope>;

const URL_PATTERN = /^https?:\/\/\S+$/;

const createdData = z.object({
  id: z.string().min(1),
  transactionId: z.string().nullable().optional(),
  link: z.string().regex(URL_PATTERN),
});

const timestamp = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a time' });
    return z.NEVER;
  }
  return ms;
});

const listItem = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  amount: z.number().nullable().optional(),
  description: z.string().nullable().optional(),
  createdAt: timestamp,
  status: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  linkUrl: z.string().nullable().optional(),
  transactions: z
    .array(z.object({ id: z.string(), extraData: z.record(z.string(), z.unknown()).nullable().optional() }))
    .nullable()
    .optional(),
});
export type ListedPayment = z.infer<typeof listItem>;

const listBody = z.object({
  hasMore: z.boolean().optional(),
  nextStartingAfter: z.union([z.string(), z.number()]).nullable().optional(),
  data: z.array(listItem),
});

const transactionSummary = z.object({
  id: z.string(),
  status: z.string().nullable().optional(),
  paidAt: timestamp.nullable().optional(),
  updatedAt: timestamp.nullable().optional(),
  expirationDate: timestamp.nullable().optional(),
  amount: z.number().nullable().optional(),
});

const paymentDetail = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.number().nullable().optional(),
  name: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  linkUrl: z.string().nullable().optional(),
  updatedAt: timestamp.nullable().optional(),
  expiredAt: timestamp.nullable().optional(),
  transactions: z.array(transactionSummary).nullable().optional(),
});
export type PaymentDetail = z.infer<typeof paymentDetail>;

const transactionDetail = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.number().nullable().optional(),
  paidAt: timestamp.nullable().optional(),
  updatedAt: timestamp.nullable().optional(),
  expirationDate: timestamp.nullable().optional(),
  paymentLink: z.object({ id: z.string().optional() }).passthrough().nullable().optional(),
});
export type TransactionDetail = z.infer<typeof transactionDetail>;

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
  const items = z.array(validatorItem).safeParse(data);
  if (!items.success) return [];
  return items.data
    .map((item) => [item.field, item.message].filter((part): part is string => !!part && part.trim() !== '').join(': '))
    .filter((text) => text !== '');
}

function snippet(text: string): string {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > 120 ? `${plain.slice(0, 117)}...` : plain;
}

/** Classifies any Mayar reply; `data` is parsed with the given schema on success. */
export function classify<T>(reply: HttpReply, schema: z.ZodType<T>): Classified<T> {
  const json = parseJson(reply.body);
  const body = envelope.safeParse(json);
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
  const data = schema.safeParse(env.data);
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
  const page = listBody.safeParse(json);
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

/** The shareable URL of a listed or detailed payment, when the reply carries one. */
export function paymentUrl(item: { link?: string | null; linkUrl?: string | null }): string | null {
  for (const candidate of [item.link, item.linkUrl]) if (candidate && URL_PATTERN.test(candidate)) return candidate;
  return null;
}

export interface PaymentState {
  status: 'paid' | 'unpaid' | 'expired' | 'closed';
  /** When it was paid (ms), when Mayar says. */
  paidAt: number | null;
  amount: number;
}

/**
 * What a payment request's detail means for the sheet. Expiry shows on its transactions (or
 * its expiredAt), not in its status, so an unpaid request past its expiry reads Expired.
 */
export function interpretPayment(detail: PaymentDetail, now: number): PaymentState {
  const transactions = detail.transactions ?? [];
  const paidTx = transactions.find((tx) => tx.status === 'paid');
  const amount = paidTx?.amount ?? detail.amount ?? 0;
  if (detail.status === 'paid' || paidTx) {
    return { status: 'paid', paidAt: paidTx?.paidAt ?? paidTx?.updatedAt ?? detail.updatedAt ?? null, amount };
  }
  if (detail.status === 'closed') return { status: 'closed', paidAt: null, amount };
  const expired =
    transactions.some((tx) => tx.status === 'expired' || (tx.expirationDate != null && tx.expirationDate < now)) ||
    (detail.expiredAt != null && detail.expiredAt < now);
  return { status: expired ? 'expired' : 'unpaid', paidAt: null, amount };
}
