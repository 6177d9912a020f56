/**
 * Where the refresh reads a sheet's statuses: Mayar's payment requests for a sheet of payment
 * links, Mayar's invoices for a sheet with line items ("Rincian: <item>" columns). Both are
 * newest-first lists with a millisecond cursor, and a detail read per id.
 */
import type { HttpReply, HttpRequestSpec } from '../../../core/http';
import { hasItemColumns } from '../../../core/items';
import { type Classified, classifyList, classifyPayment } from '../../../core/mayar';
import { classifyInvoiceDetail, classifyInvoiceList, invoiceDetailRequest, invoiceListRequest, invoiceStatus } from '../../../core/mayar-invoices';
import { listRequest, MAX_PAGE_SIZE, paymentRequest } from '../../../core/mayar-requests';
import type { Environment } from '../../../core/settings';
import type { PaymentStatus } from '../../../core/status';
import type { SheetPort } from '../../ports';

export interface StatusItem {
  id: string;
  status: PaymentStatus;
  transactionId: string | undefined;
  /** The amount Mayar holds (detail reads), to check a webhook's row against. */
  amount?: number | null | undefined;
  /** When the payment request or invoice was made (list items only): where the paid list starts. */
  createdAt?: number;
}

export interface StatusSource {
  /** Invoices: the time of payment is not read from a transaction (not documented for invoices). */
  readonly invoices: boolean;
  list(env: Environment, apiKey: string, cursor: string | undefined): HttpRequestSpec;
  readList(reply: HttpReply): Classified<{ items: StatusItem[]; hasMore: boolean; next: string | null }>;
  single(env: Environment, apiKey: string, id: string): HttpRequestSpec;
  readSingle(reply: HttpReply): Classified<StatusItem>;
}

function paymentState(status: string | null | undefined): PaymentStatus {
  return status === 'paid' ? 'paid' : status === 'closed' ? 'closed' : 'unpaid';
}

const payments: StatusSource = {
  invoices: false,
  list: (env, apiKey, cursor) => listRequest(env, apiKey, { limit: MAX_PAGE_SIZE, ...(cursor ? { startingAfter: cursor } : {}) }),
  readList(reply) {
    const read = classifyList(reply);
    if (!read.ok) return read;
    const items = read.data.items.map((p) => ({ id: p.id, status: paymentState(p.status), transactionId: p.transactions?.[0]?.id, createdAt: p.createdAt }));
    return { ok: true, body: read.body, data: { items, hasMore: read.data.hasMore, next: read.data.next } };
  },
  single: paymentRequest,
  readSingle(reply) {
    const read = classifyPayment(reply);
    if (!read.ok) return read;
    return { ok: true, body: read.body, data: { id: read.data.id, status: paymentState(read.data.status), transactionId: read.data.transactions?.[0]?.id } };
  },
};

export const invoiceSource: StatusSource = {
  invoices: true,
  list: invoiceListRequest,
  readList(reply) {
    const read = classifyInvoiceList(reply);
    if (!read.ok) return read;
    const items = read.data.items.map((inv) => ({
      id: inv.id,
      status: invoiceStatus(inv.status),
      transactionId: inv.transactions?.[0]?.id,
      createdAt: inv.createdAt,
    }));
    return { ok: true, body: read.body, data: { items, hasMore: read.data.hasMore, next: read.data.next } };
  },
  single: invoiceDetailRequest,
  readSingle(reply) {
    const read = classifyInvoiceDetail(reply);
    if (!read.ok) return read;
    return {
      ok: true,
      body: read.body,
      data: { id: read.data.id, status: invoiceStatus(read.data.status), transactionId: read.data.transactionId ?? undefined, amount: read.data.amount },
    };
  },
};

// One header read per sheet and execution.
const known = new WeakMap<SheetPort, StatusSource>();

export function statusSourceOf(sheet: SheetPort): StatusSource {
  let source = known.get(sheet);
  if (!source) {
    source = hasItemColumns(sheet.readAll()[0] ?? []) ? invoiceSource : payments;
    known.set(sheet, source);
  }
  return source;
}
