/**
 * A late payment of a link that Renew expired links replaced. The webhook names the old
 * Payment ID, which no row shows any more; the renewed record (renewed.ts) says which row it
 * was made for. Once Mayar confirms the old payment (webhook-confirm.ts, against the old id and
 * the row's amount), the row becomes Paid and its new link is closed in Mayar, so the customer
 * cannot pay twice. When Mayar refuses that close because the new link was paid too, the row
 * and the log say both were paid: one needs a refund.
 */
import { planWrites, type RowUpdate } from '../core/cells';
import { cellText } from '../core/cell-text';
import { describeFailure } from '../core/failure-text';
import { classifyClose, classifyPayment } from '../core/mayar';
import { closeRequest, paymentRequest } from '../core/mayar-requests';
import { isMayarId } from '../core/parse';
import { parseStatus, statusText } from '../core/status';
import { appendLog } from './audit-log';
import type { AppContext } from './context';
import { noteTurnedPaid } from './delivery/thanks-queue';
import { reserveCalls } from './pacing';
import type { SheetPort } from './ports';
import { markRenewedPaid, renewedPayments, renewedRow } from './renewed';
import { ensureOutputColumns, writeBlocks } from './sheet-prep';

type NewLink = { kind: 'closed' } | { kind: 'bothPaid' } | { kind: 'notClosed'; details: string } | { kind: 'none' };

function one(ctx: AppContext, request: ReturnType<typeof closeRequest>): Parameters<typeof classifyClose>[0] | null {
  const batch = ctx.ports.http.fetchAll([request]);
  const reply = batch.ok ? batch.replies[0] : undefined;
  return reply && reply.status !== 0 ? reply : null;
}

/** Closes the row's new link; a refused close is read back: paid too, or not closed. */
function closeNewLink(ctx: AppContext, apiKey: string, newId: string): NewLink {
  const env = ctx.settings.environment;
  if (reserveCalls(ctx, 1) === 0) return { kind: 'notClosed', details: ctx.say('http.noReply') };
  const reply = one(ctx, closeRequest(env, apiKey, newId));
  const closed = reply ? classifyClose(reply) : null;
  if (closed?.ok || closed?.failure.kind === 'not-found') return { kind: 'closed' };
  if (!closed) return { kind: 'notClosed', details: ctx.say('http.noReply') };
  if (closed.failure.kind !== 'rejected' && closed.failure.kind !== 'conflict') return { kind: 'notClosed', details: describeFailure(closed.failure) };
  // Refused: only Mayar's record of the new payment says it was paid too.
  const read = reserveCalls(ctx, 1) === 0 ? null : one(ctx, paymentRequest(env, apiKey, newId));
  const detail = read ? classifyPayment(read) : null;
  if (detail?.ok && detail.data.id === newId && detail.data.status === 'paid') return { kind: 'bothPaid' };
  return { kind: 'notClosed', details: describeFailure(closed.failure) };
}

/**
 * Writes Paid (with Mayar's time of payment) on the row the replaced `oldId` was made for,
 * after closing its new link. Call with the lock held, once Mayar confirmed `oldId` paid.
 * Returns the sheet written, or null when the row is gone.
 */
export function writeRenewedPaid(ctx: AppContext, apiKey: string, oldId: string, paidAt: number): SheetPort | null {
  const found = renewedRow(ctx, oldId);
  if (!found) return null;
  const { sheet, index } = found;
  const data = sheet.readAll();
  const layout = ensureOutputColumns(sheet, data, ['paidAt'], ctx.locale);
  const cells = data[index] ?? [];
  const { paymentId, status, paidAt: paidAtColumn, error } = layout.output;
  const newId = paymentId === undefined ? '' : cellText(cells[paymentId]);
  const rowPaid = status !== undefined && parseStatus(cells[status]) === 'paid';
  const outcome: NewLink =
    newId === '' || newId === oldId || !isMayarId(newId) ? { kind: 'none' } : rowPaid ? { kind: 'bothPaid' } : closeNewLink(ctx, apiKey, newId);
  const message =
    outcome.kind === 'bothPaid'
      ? ctx.say('webhook.renewedBothPaid', { oldId, newId })
      : outcome.kind === 'notClosed'
        ? ctx.say('webhook.renewedNotClosed', { oldId, newId, details: outcome.details })
        : outcome.kind === 'closed'
          ? ctx.say('webhook.renewedPaid', { oldId, newId })
          : ctx.say('webhook.renewedPaidNoNew', { oldId });
  const update: RowUpdate = new Map();
  if (status !== undefined) update.set(status, statusText(ctx.locale, 'paid'));
  // A row the new link already made Paid keeps its own time of payment.
  if (paidAtColumn !== undefined && !rowPaid) update.set(paidAtColumn, new Date(paidAt));
  if (error !== undefined) update.set(error, message);
  const amountCell = cells[layout.input.amount ?? -1];
  appendLog(ctx, [
    {
      sheet: sheet.name,
      row: index + 1,
      customer: cellText(cells[layout.input.name ?? -1]),
      amount: typeof amountCell === 'number' ? amountCell : '',
      action: ctx.say('log.webhook'),
      outcome: outcome.kind === 'bothPaid' ? ctx.say('webhook.bothPaidOutcome') : statusText(ctx.locale, 'paid'),
      paymentId: oldId,
      details: message,
    },
  ]);
  writeBlocks(sheet, planWrites(new Map([[index, update]])));
  markRenewedPaid(ctx.ports.documentStore, oldId, paidAt);
  if (!rowPaid) noteTurnedPaid(ctx.ports.documentStore, sheet.id, newId || oldId);
  return sheet;
}

/**
 * Payments the refresh read in Mayar's webhook history (webhooks that may never have arrived):
 * those of a replaced Payment ID not settled yet are kept as webhooks, and confirmed like one
 * when the refresh ends (no row's Payment ID names them any more). One read of the record a page.
 */
export function keepRenewedDeliveries(ctx: AppContext, deliveries: readonly { type: string; paymentId: string | null; createdAt: number }[]): void {
  const open = new Set(
    renewedPayments(ctx.ports.documentStore)
      .filter((p) => p.p === undefined)
      .map((p) => p.o),
  );
  const found = deliveries.filter((d) => d.type === 'payment.received' && d.paymentId !== null && open.has(d.paymentId));
  if (found.length === 0) return;
  const kept = new Set(ctx.store.keptWebhooks().map((k) => k.hint.paymentId));
  for (const { paymentId, createdAt } of found) {
    if (paymentId === null || kept.has(paymentId)) continue;
    kept.add(paymentId);
    ctx.store.keepWebhook({ paymentId, transactionId: '', arrivedAt: createdAt, tries: 0 });
  }
}
