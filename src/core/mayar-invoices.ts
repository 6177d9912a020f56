/**
 * Mayar's invoices (bills with line items): the requests (POST /invoices/create, GET
 * /invoices/{id}, GET /invoices with its cursor) and their replies, read only for the fields
 * Mayar documents. Pure: nothing here talks to the network.
 */
import * as z from 'zod/mini';
import type { HttpReply, HttpRequestSpec } from './http';
import { type Classified, classify } from './mayar';
import { get, MAX_PAGE_SIZE, post } from './mayar-requests';
import { URL_PATTERN } from './mayar-schemas';
import { lazy } from './schema';
import type { Environment } from './settings';

/** The body of POST /hl/v2/invoices/create, as this add-on sends it. */
export interface InvoiceRequest {
  /** The customer's name (Mayar's customer record). */
  name: string;
  email: string;
  mobile: string;
  items: { description: string; quantity: number; rate: number }[];
  description?: string;
  /** ISO 8601 in UTC. */
  expiredAt: string;
  paymentMethod?: string;
  cashtag?: string;
  extraData?: Record<string, string>;
}

export function invoiceCreateRequest(env: Environment, apiKey: string, body: InvoiceRequest): HttpRequestSpec {
  return post(env, apiKey, '/invoices/create', body);
}

export function invoiceDetailRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return get(env, apiKey, `/invoices/${encodeURIComponent(id)}`);
}

/** GET /invoices, newest first, 50 a page; `startingAfter` is the previous page's nextStartingAfter. */
export function invoiceListRequest(env: Environment, apiKey: string, startingAfter?: string): HttpRequestSpec {
  return get(env, apiKey, '/invoices', { limit: MAX_PAGE_SIZE, startingAfter });
}

function toMs(value: number | string): number {
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

const schemas = /* @__PURE__ */ lazy(() => {
  const text = z.nullish(z.string());
  const timestamp = z.pipe(z.pipe(z.union([z.number(), z.string()]), z.transform(toMs)), z.number());
  const extraData = z.nullish(z.record(z.string(), z.unknown()));
  const created = z.object({
    id: z.string().check(z.minLength(1)),
    transactionId: text,
    link: z.string().check(z.regex(URL_PATTERN)),
    expiredAt: z.nullish(timestamp),
  });
  const listItem = z.object({
    id: z.string(),
    amount: z.nullish(z.number()),
    createdAt: timestamp,
    /** active, paid or closed. */
    status: text,
    /** The slug only. */
    link: text,
    name: text,
    description: text,
    transactions: z.nullish(z.array(z.object({ id: z.string(), status: text, extraData }))),
  });
  const listBody = z.object({
    hasMore: z.optional(z.boolean()),
    nextStartingAfter: z.nullish(z.union([z.string(), z.number()])),
    data: z.array(listItem),
  });
  const detail = z.object({
    id: z.string(),
    amount: z.nullish(z.number()),
    /** paid, unpaid or closed. */
    status: text,
    expiredAt: z.nullish(timestamp),
    paymentUrl: text,
    transactionId: text,
  });
  return { created, listItem, listBody, detail };
});
type Schemas = ReturnType<typeof schemas>;
export type CreatedInvoice = z.infer<Schemas['created']>;
export type ListedInvoice = z.infer<Schemas['listItem']>;
export type InvoiceDetail = z.infer<Schemas['detail']>;
export interface InvoicePage {
  items: ListedInvoice[];
  hasMore: boolean;
  next: string | null;
}

export function classifyInvoiceCreate(reply: HttpReply): Classified<CreatedInvoice> {
  return classify(reply, schemas().created);
}

export function classifyInvoiceDetail(reply: HttpReply): Classified<InvoiceDetail> {
  return classify(reply, schemas().detail);
}

export function classifyInvoiceList(reply: HttpReply): Classified<InvoicePage> {
  const base = classify(reply, z.array(schemas().listItem));
  if (!base.ok) return base;
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    json = undefined;
  }
  const page = z.safeParse(schemas().listBody, json);
  if (!page.success) return { ok: false, failure: { kind: 'unavailable', status: reply.status, details: ['unexpected list shape'] } };
  const next = page.data.nextStartingAfter;
  const more = page.data.hasMore === true && next !== null && next !== undefined;
  return { ok: true, body: base.body, data: { items: page.data.data, hasMore: more, next: more ? String(next) : null } };
}

/** An invoice's status in the sheet's words: the list says active for unpaid. */
export function invoiceStatus(status: string | null | undefined): 'paid' | 'closed' | 'unpaid' {
  return status === 'paid' ? 'paid' : status === 'closed' ? 'closed' : 'unpaid';
}
