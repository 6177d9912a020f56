/**
 * Mayar → Renew expired links. Each Expired row's old payment request is closed in Mayar first
 * (POST /payments/{id}/close), so the customer can no longer pay the old link once a new one
 * is out. When Mayar refuses because it was paid after all (HTTP 200, messages "failed"), the
 * payment is read to confirm it and the row becomes Paid: nothing new is made. A closed (or
 * unknown to Mayar) request's row gets a new expiry (today plus the default days), its old link
 * and ids move to the Mayar Log and to the renewed record (../renewed.ts), then the ordinary
 * create runs on those rows, so a renewal has every safety of a create (the question first,
 * nothing lost, nothing twice). A renewed row is no longer Expired: a second click renews nothing.
 */
import { planWrites, type RowUpdate } from '../../core/cells';
import { cellText } from '../../core/cell-text';
import { describeFailure } from '../../core/failure-text';
import type { HttpReply } from '../../core/http';
import { findRowByPaymentId } from '../../core/job';
import { classifyClose, classifyPayment, classifyTransaction } from '../../core/mayar';
import { closeRequest, paymentRequest, transactionRequest } from '../../core/mayar-requests';
import { isMayarId } from '../../core/parse';
import type { ProgressView } from '../../core/progress';
import { parseStatus, statusText } from '../../core/status';
import { appendLog, type LogEntry } from '../audit-log';
import type { AppContext } from '../context';
import { readyToStart, withLock } from '../control';
import { rebuildSummarySafely } from '../dashboard';
import { noteTurnedPaid } from '../delivery/thanks-queue';
import { MAX_CHUNK } from '../engine/pass';
import { notAMayarId } from '../ids';
import { reserveCalls } from '../pacing';
import type { SheetPort } from '../ports';
import { rememberRenewed, type RenewedPayment } from '../renewed';
import { prepareSheet, writeBlocks } from '../sheet-prep';
import { startCreate } from './create/menu';
import { continueOrWait } from '../carry-on';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What Mayar said about one old payment request. */
type Closing = { kind: 'renew'; note: string } | { kind: 'paid'; paidAt: number } | { kind: 'error'; message: string };

interface Expired {
  paymentId: string;
  /** 0-based data index when it was read. */
  index: number;
}

function replies(ctx: AppContext, requests: ReturnType<typeof closeRequest>[]): (HttpReply | undefined)[] {
  if (requests.length === 0) return [];
  const batch = ctx.ports.http.fetchAll(requests);
  return requests.map((_, i) => (batch.ok ? batch.replies[i] : undefined));
}

/**
 * Closes the old requests, and for those Mayar refused to close, reads the payment: paid
 * (with the time of payment from its transaction) or an error. Ids beyond the rate limit wait.
 */
function closeOld(ctx: AppContext, apiKey: string, ids: readonly string[]): { outcomes: Map<string, Closing>; waiting: number } {
  const env = ctx.settings.environment;
  const outcomes = new Map<string, Closing>();
  const sent = ids.slice(0, reserveCalls(ctx, Math.min(ids.length, MAX_CHUNK)));
  const refused: string[] = [];
  replies(
    ctx,
    sent.map((id) => closeRequest(env, apiKey, id)),
  ).forEach((reply, i) => {
    const id = sent[i] as string;
    const outcome = reply && reply.status !== 0 ? classifyClose(reply) : null;
    if (outcome?.ok) outcomes.set(id, { kind: 'renew', note: ctx.say('renew.closedOld') });
    // Mayar has no such request (an id typed by hand, an old environment): nothing is left to pay.
    else if (outcome?.failure.kind === 'not-found') outcomes.set(id, { kind: 'renew', note: ctx.say('renew.nothingToClose') });
    else if (outcome && (outcome.failure.kind === 'rejected' || outcome.failure.kind === 'conflict')) refused.push(id);
    else {
      const details = outcome ? describeFailure(outcome.failure) : ctx.say('http.noReply');
      outcomes.set(id, { kind: 'error', message: ctx.say('renew.closeFailed', { details }) });
    }
  });
  // Refused: paid after all? Only Mayar's own record of the payment says so.
  const reading = refused.slice(0, reserveCalls(ctx, refused.length));
  for (const id of refused.slice(reading.length))
    outcomes.set(id, { kind: 'error', message: ctx.say('renew.closeFailed', { details: ctx.say('http.noReply') }) });
  const paid: { id: string; transactionId: string | undefined }[] = [];
  replies(
    ctx,
    reading.map((id) => paymentRequest(env, apiKey, id)),
  ).forEach((reply, i) => {
    const id = reading[i] as string;
    const detail = reply && reply.status !== 0 ? classifyPayment(reply) : null;
    if (detail?.ok && detail.data.status === 'paid' && detail.data.id === id) paid.push({ id, transactionId: detail.data.transactions?.[0]?.id });
    else outcomes.set(id, { kind: 'error', message: ctx.say('renew.closeRefused') });
  });
  // The time of payment is the paid transaction's updatedAt; without it, now.
  const timed = paid.filter((p) => p.transactionId !== undefined && isMayarId(p.transactionId));
  const granted = timed.slice(0, reserveCalls(ctx, timed.length));
  const times = new Map<string, number>();
  replies(
    ctx,
    granted.map((p) => transactionRequest(env, apiKey, p.transactionId as string)),
  ).forEach((reply, i) => {
    const read = reply && reply.status !== 0 ? classifyTransaction(reply) : null;
    if (read?.ok && read.data.status === 'paid' && read.data.updatedAt != null) times.set((granted[i] as { id: string }).id, read.data.updatedAt);
  });
  for (const p of paid) outcomes.set(p.id, { kind: 'paid', paidAt: times.get(p.id) ?? ctx.ports.clock.now() });
  return { outcomes, waiting: ids.length - sent.length };
}

/** Closes the expired rows' old requests and clears the closed ones under the lock; the sheet rows to create again, or null. */
function clearExpired(ctx: AppContext): Set<number> | null {
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope);
  if (!apiKey) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.noKey'));
    return null;
  }
  return (
    withLock(ctx, (ctx) => {
      if (!readyToStart(ctx)) return null;
      const prepared = prepareSheet(ctx, ctx.ports.spreadsheet.activeSheet(), ['paidAt']);
      if (!prepared) return null;
      const { sheet, data, layout } = prepared;
      const { paymentId, status } = layout.output;
      if (status === undefined || paymentId === undefined) return null;
      const expired: Expired[] = [];
      const badIds = new Map<number, string>();
      data.forEach((cells, index) => {
        const id = cellText(cells[paymentId]);
        // Only Expired counts: a Paid row (or one paid late and refreshed) is never renewed.
        if (index === 0 || parseStatus(cells[status]) !== 'expired' || id === '') return;
        if (isMayarId(id)) expired.push({ paymentId: id, index });
        else badIds.set(index, notAMayarId(ctx, data[0], layout, 'paymentId', id));
      });
      if (expired.length === 0 && badIds.size === 0) {
        ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('renew.none'));
        return null;
      }
      const { outcomes, waiting } = closeOld(
        ctx,
        apiKey,
        expired.map((e) => e.paymentId),
      );
      return settleRenewals(ctx, { sheet, hints: expired, outcomes, badIds, waiting });
    }) ?? null
  );
}

function settleRenewals(
  ctx: AppContext,
  args: {
    sheet: SheetPort;
    hints: readonly Expired[];
    outcomes: ReadonlyMap<string, Closing>;
    badIds: ReadonlyMap<number, string>;
    waiting: number;
  },
): Set<number> | null {
  const { sheet, outcomes } = args;
  // Mayar took a while: the sheet is read again and each row found by its Payment ID.
  const prepared = prepareSheet(ctx, sheet, ['paidAt']);
  if (!prepared) return null;
  const { data: fresh, layout } = prepared;
  const { link, paymentId, transactionId, status, error, paidAt } = layout.output;
  const now = ctx.ports.clock.now();
  // Whole minutes: the cell reads as a plain date and time.
  const expiry = new Date(Math.floor(now / MINUTE_MS) * MINUTE_MS + ctx.settings.defaultExpiryDays * DAY_MS);
  const writes = new Map<number, RowUpdate>();
  const log: LogEntry[] = [];
  const renewed: RenewedPayment[] = [];
  const rows = new Set<number>();
  let paid = 0;
  let failed = args.badIds.size;
  for (const [index, message] of args.badIds) if (error !== undefined) writes.set(index, new Map([[error, message]]));
  for (const hint of args.hints) {
    const outcome = outcomes.get(hint.paymentId);
    const index = findRowByPaymentId(fresh, layout, { paymentId: hint.paymentId }, hint.index);
    if (!outcome || index < 0) continue;
    const cells = fresh[index] ?? [];
    const amountCell = cells[layout.input.amount ?? -1];
    const entry = {
      sheet: sheet.name,
      row: index + 1,
      customer: cellText(cells[layout.input.name ?? -1]),
      amount: typeof amountCell === 'number' ? amountCell : ('' as const),
      action: ctx.say('renew.log'),
      paymentId: hint.paymentId,
      link: link === undefined ? '' : cellText(cells[link]),
    };
    const update: RowUpdate = new Map();
    if (outcome.kind === 'error') {
      failed++;
      if (error !== undefined) update.set(error, outcome.message);
      log.push({ ...entry, outcome: ctx.say('log.error'), details: outcome.message });
    } else if (outcome.kind === 'paid') {
      paid++;
      if (status !== undefined) update.set(status, statusText(ctx.locale, 'paid'));
      if (paidAt !== undefined) update.set(paidAt, new Date(outcome.paidAt));
      if (error !== undefined) update.set(error, '');
      noteTurnedPaid(ctx.ports.documentStore, sheet.id, hint.paymentId);
      log.push({ ...entry, outcome: statusText(ctx.locale, 'paid'), details: ctx.say('renew.paidInstead') });
    } else {
      for (const column of [link, paymentId, transactionId, status, error, paidAt]) if (column !== undefined) update.set(column, '');
      if (layout.input.expiry !== undefined) update.set(layout.input.expiry, expiry);
      rows.add(index + 1);
      renewed.push({ o: hint.paymentId, s: sheet.id, r: index + 1, n: entry.customer, a: now });
      const tx = transactionId === undefined ? '' : cellText(cells[transactionId]);
      log.push({
        ...entry,
        outcome: ctx.say('renew.logOutcome', { expiry: expiry.toISOString() }),
        details: [outcome.note, tx ? `Transaction ID: ${tx}` : ''].filter(Boolean).join(' '),
      });
    }
    writes.set(index, update);
  }
  // The old link is in the log and the renewed record before it leaves the row.
  appendLog(ctx, log);
  rememberRenewed(ctx.ports.documentStore, renewed);
  writeBlocks(sheet, planWrites(writes));
  if (args.waiting > 0) ctx.ports.ui.toast(ctx.say('renew.later', { count: args.waiting }), ctx.say('app.title'));
  if (paid > 0) rebuildSummarySafely(ctx);
  if (rows.size === 0) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('renew.nothingMade', { paid, failed }));
    return null;
  }
  return rows;
}

export function renewExpiredLinks(ctx: AppContext): ProgressView | undefined {
  const check = continueOrWait(ctx);
  if (!check.free) return check.view;
  const rows = clearExpired(ctx);
  return rows === null ? undefined : startCreate(ctx, rows);
}
