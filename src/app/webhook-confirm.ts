/**
 * Confirms a kept webhook with Mayar's own records. The body only says where to look: the
 * transaction it names counts only when Mayar says it belongs to the row's payment (its
 * paymentLink.id) for the row's amount, and Paid At is the time Mayar gives (the paid
 * transaction's updatedAt), never the body's. Without a transaction id the payment request
 * itself is read, then its transaction for the time of payment.
 */
import { describeFailure } from '../core/failure-text';
import { classifyPayment, classifyTransaction } from '../core/mayar';
import { paymentRequest, transactionRequest } from '../core/mayar-requests';
import { notTheirs } from '../core/webhook-trust';
import type { AppContext } from './context';
import { invoiceSource } from './kinds/refresh/sources';
import { callOnce } from './pacing';

export type Confirmation =
  { kind: 'paid'; paidAt: number } | { kind: 'notPaid'; status: string } | { kind: 'notTheirs'; why: string } | { kind: 'unknown'; why: string };

/** The row the webhook names, as the sheet has it. */
export interface RowPayment {
  paymentId: string;
  /** The row's Transaction ID cell, if any. */
  transactionId: string;
  /** The row's Amount, or null when it does not read as one. */
  amount: number | null;
}

type Reply = Parameters<typeof classifyTransaction>[0];
type Read = { ok: true; reply: Reply } | { ok: false; why: string };

/** One read whose slot the caller reserved (webhook.ts, before noting the read). */
function read(ctx: AppContext, request: ReturnType<typeof paymentRequest>): Read {
  const batch = ctx.ports.http.fetchAll([request]);
  const reply = batch.ok ? batch.replies[0] : undefined;
  return reply ? { ok: true, reply } : { ok: false, why: batch.ok ? ctx.say('http.noReply') : batch.error };
}

/** Reads the transaction `transactionId` and checks it is the row's. */
function confirmTransaction(ctx: AppContext, apiKey: string, transactionId: string, row: RowPayment, fallbackPaidAt: number): Confirmation {
  const got = read(ctx, transactionRequest(ctx.settings.environment, apiKey, transactionId));
  if (!got.ok) return { kind: 'unknown', why: got.why };
  return judgeTransaction(ctx, got.reply, transactionId, row, fallbackPaidAt);
}

/** What Mayar's reply about transaction `transactionId` says of the row's payment. */
function judgeTransaction(ctx: AppContext, reply: Reply, transactionId: string, row: RowPayment, fallbackPaidAt: number): Confirmation {
  const tx = classifyTransaction(reply);
  if (!tx.ok) {
    if (tx.failure.kind === 'not-found') return { kind: 'notTheirs', why: ctx.say('webhook.noSuchTransaction', { id: transactionId }) };
    return { kind: 'unknown', why: describeFailure(tx.failure) };
  }
  const other = notTheirs({ paymentId: tx.data.paymentLink?.id ?? null, amount: tx.data.amount ?? null }, row);
  if (other) return { kind: 'notTheirs', why: whyNotTheirs(ctx, transactionId, other, row) };
  if (tx.data.status !== 'paid') return { kind: 'notPaid', status: tx.data.status };
  return { kind: 'paid', paidAt: tx.data.updatedAt ?? fallbackPaidAt };
}

function whyNotTheirs(ctx: AppContext, id: string, other: NonNullable<ReturnType<typeof notTheirs>>, row: RowPayment): string {
  return other.kind === 'otherPayment'
    ? ctx.say('webhook.otherPayment', { id, other: other.paymentId || '?', paymentId: row.paymentId })
    : ctx.say('webhook.otherAmount', { id, amount: other.amount ?? '?', rowAmount: row.amount ?? '?' });
}

/**
 * Confirms the row's payment: by the named transaction when there is one, else by the payment
 * request (then one more read, when the rate limit allows, for the time of payment).
 * `arrivedAt` is the Paid At when Mayar's record gives no time.
 */
export function confirmPayment(ctx: AppContext, apiKey: string, transactionId: string, row: RowPayment, arrivedAt: number): Confirmation {
  if (transactionId) return confirmTransaction(ctx, apiKey, transactionId, row, arrivedAt);
  const got = read(ctx, paymentRequest(ctx.settings.environment, apiKey, row.paymentId));
  if (!got.ok) return { kind: 'unknown', why: got.why };
  const detail = classifyPayment(got.reply);
  if (!detail.ok) return { kind: 'unknown', why: describeFailure(detail.failure) };
  const other = notTheirs({ paymentId: detail.data.id, amount: detail.data.amount ?? null }, row);
  if (other) return { kind: 'notTheirs', why: whyNotTheirs(ctx, row.paymentId, other, row) };
  if (detail.data.status !== 'paid') return { kind: 'notPaid', status: detail.data.status };
  // Paid: the time comes from its transaction (the row's own when listed), if a call is free.
  const ids = (detail.data.transactions ?? []).map((t) => t.id);
  const txId = ids.includes(row.transactionId) ? row.transactionId : ids[0];
  if (txId === undefined) return { kind: 'paid', paidAt: arrivedAt };
  const tx = callOnce(ctx, transactionRequest(ctx.settings.environment, apiKey, txId), (reply) => judgeTransaction(ctx, reply, txId, row, arrivedAt));
  return { kind: 'paid', paidAt: tx.kind === 'reply' && tx.result.kind === 'paid' ? tx.result.paidAt : arrivedAt };
}

/**
 * A row of a sheet with line items: its invoice's detail (read by the row's own id) says
 * whether it is paid, for the row's amount. Mayar documents no time of payment on an invoice or
 * a transaction read for it, so Paid At is when the webhook arrived.
 */
export function confirmInvoice(ctx: AppContext, apiKey: string, row: RowPayment, arrivedAt: number): Confirmation {
  const got = read(ctx, invoiceSource.single(ctx.settings.environment, apiKey, row.paymentId));
  if (!got.ok) return { kind: 'unknown', why: got.why };
  const detail = invoiceSource.readSingle(got.reply);
  if (!detail.ok) return { kind: 'unknown', why: describeFailure(detail.failure) };
  const other = notTheirs({ paymentId: detail.data.id, amount: detail.data.amount ?? null }, row);
  if (other) return { kind: 'notTheirs', why: whyNotTheirs(ctx, row.paymentId, other, row) };
  if (detail.data.status !== 'paid') return { kind: 'notPaid', status: detail.data.status };
  return { kind: 'paid', paidAt: arrivedAt };
}
