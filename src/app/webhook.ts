/**
 * Mayar's webhook (doPost of the web app). Mayar signs nothing, so the URL carries a long
 * secret, and a valid call is only a hint: the payment is confirmed with Mayar before any row
 * says Paid. A webhook is never lost: what arrives is kept first (a property of its own, safe
 * without the lock), then confirmed under the lock as soon as the rate limit allows — now, or
 * by a trigger a minute later when a run holds the lock or the minute's calls. A repeat (a
 * sender that counts the web app's 302 as a failure delivers again) changes nothing.
 * Never throws: every answer is a small JSON object.
 */
import * as z from 'zod/mini';
import { clip, planWrites, type RowUpdate } from '../core/cells';
import { describeFailure } from '../core/failure-text';
import { mapHeaders } from '../core/headers';
import { findRowByPaymentId } from '../core/job';
import { cellText } from '../core/cell-text';
import { classifyPayment, classifyTransaction } from '../core/mayar';
import { paymentRequest, transactionRequest } from '../core/mayar-requests';
import { parseAmount } from '../core/parse';
import { lazy } from '../core/schema';
import { parseStatus, statusText } from '../core/status';
import { appendLog } from './audit-log';
import type { AppContext } from './context';
import { reserveCalls } from './pacing';
import { rebuildSummarySafely } from './dashboard';
import { noteTurnedPaid } from './delivery/thanks-queue';
import type { SheetPort } from './ports';
import { ensureOutputColumns, isLogSheet, writeBlocks } from './sheet-prep';
import type { WebhookHint } from './store';
import { INBOX_HANDLER } from './trigger-handlers';

export interface WebhookRequest {
  token: string | undefined;
  body: string | undefined;
}

export type WebhookAnswer = { ok: boolean; [detail: string]: string | boolean | number };

/** Mayar waits for the answer: a short wait for the lock, then the webhook is kept for later. */
const LOCK_WAIT_MS = 10_000;
const RETRY_MS = 60_000;
/** Confirmations that failed (Mayar unreachable) before a kept webhook is left to the refresh. */
const MAX_TRIES = 5;

const webhookSchema = /* @__PURE__ */ lazy(() => {
  const text = z.nullish(z.string());
  return z.object({
    event: z.string(),
    data: z.object({
      // Mayar sends null for what a payment doesn't have (a transaction without an email).
      id: text,
      productId: text,
      transactionId: text,
      status: text,
      updatedAt: z.nullish(z.union([z.string(), z.number()])),
    }),
  });
});

/** Compares without stopping at the first difference, so timing tells nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}

function eventTime(value: string | number | null | undefined, fallback: number): number {
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(time) && time > 0 ? time : fallback;
}

export function handleWebhook(ctx: AppContext, request: WebhookRequest): WebhookAnswer {
  const secret = ctx.store.webhookSecret();
  if (!secret || !request.token || !sameSecret(request.token, secret)) return { ok: false, error: 'forbidden' };

  let parsed: z.infer<ReturnType<typeof webhookSchema>>;
  try {
    const result = webhookSchema().safeParse(JSON.parse(request.body ?? ''));
    if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    parsed = result.data;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logUnderLock(ctx, '', ctx.say('webhook.malformed'), clip(`${reason} | ${request.body ?? ''}`, 500));
    return { ok: false, error: 'malformed body' };
  }
  if (parsed.event !== 'payment.received') return { ok: true, ignored: parsed.event };

  const now = ctx.ports.clock.now();
  const hint: WebhookHint = {
    paymentId: parsed.data.productId ?? '',
    transactionId: parsed.data.transactionId ?? parsed.data.id ?? '',
    paidAt: eventTime(parsed.data.updatedAt, now),
    arrivedAt: now,
    tries: 0,
  };
  if (!hint.paymentId && !hint.transactionId) {
    logUnderLock(ctx, '', ctx.say('webhook.malformed'), 'no productId or transactionId');
    return { ok: false, error: 'malformed body' };
  }
  // Kept before anything else, so that nothing after this point can lose it.
  const key = ctx.store.keepWebhook(hint);
  if (!ctx.ports.lock.tryLock(LOCK_WAIT_MS)) {
    scheduleInbox(ctx);
    return { ok: true, queued: true };
  }
  try {
    const outcomes = confirmKept(ctx);
    return outcomes.get(key) ?? { ok: true, queued: true };
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}

/** The trigger that confirms webhooks kept for later. */
export function processWebhookInbox(ctx: AppContext): number {
  if (ctx.store.keptWebhooks().length === 0) return 0;
  if (!ctx.ports.lock.tryLock(LOCK_WAIT_MS)) {
    scheduleInbox(ctx);
    return 0;
  }
  try {
    return confirmKept(ctx).size;
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}

function scheduleInbox(ctx: AppContext): void {
  // An add-on's hourly trigger and every refresh (webhook history) catch up anyway.
  if (ctx.ports.triggers.addOn) return;
  try {
    ctx.ports.triggers.scheduleOnce(INBOX_HANDLER, RETRY_MS);
  } catch (error) {
    console.warn(`Mayar webhook: could not schedule the confirmation: ${String(error)}`);
  }
}

/** Where a payment's row is: the first customer sheet with this Payment ID or Transaction ID. */
function findPayment(ctx: AppContext, hint: WebhookHint): { sheet: SheetPort; index: number; paymentId: string; alreadyPaid: boolean } | null {
  for (const sheet of ctx.ports.spreadsheet.sheets()) {
    if (isLogSheet(ctx, sheet)) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    const index = findRowByPaymentId(data, layout, { paymentId: hint.paymentId, transactionId: hint.transactionId });
    if (index < 0) continue;
    const idColumn = layout.output.paymentId;
    const statusColumn = layout.output.status;
    const paymentId = (idColumn === undefined ? '' : String(data[index]?.[idColumn] ?? '').trim()) || hint.paymentId;
    const alreadyPaid = statusColumn !== undefined && parseStatus(data[index]?.[statusColumn]) === 'paid';
    return { sheet, index, paymentId, alreadyPaid };
  }
  return null;
}

/** Confirms the kept webhooks, oldest first, as far as the rate limit allows. Call with the lock held. */
function confirmKept(ctx: AppContext): Map<string, WebhookAnswer> {
  const outcomes = new Map<string, WebhookAnswer>();
  let waiting = false;
  let anyWritten = false;
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope) ?? ctx.store.apiKey('document') ?? ctx.store.apiKey('user');
  for (const { key, hint } of ctx.store.keptWebhooks()) {
    const place = findPayment(ctx, hint);
    if (!place) {
      log(ctx, hint.paymentId, ctx.say('webhook.notInSheet'), hint.transactionId);
      ctx.store.dropWebhook(key);
      outcomes.set(key, { ok: true, found: false });
      continue;
    }
    if (place.alreadyPaid) {
      // A repeat delivery: one Paid, one line saying so, and Paid At stays as it was.
      log(ctx, place.paymentId, ctx.say('webhook.repeat'), '', place.sheet.name, place.index + 1);
      ctx.store.dropWebhook(key);
      outcomes.set(key, { ok: true, confirmed: true, repeat: true });
      continue;
    }
    if (!apiKey) {
      log(ctx, place.paymentId, ctx.say('webhook.unconfirmed'), ctx.say('dialog.noKey'));
      ctx.store.dropWebhook(key);
      outcomes.set(key, { ok: false, error: 'cannot confirm' });
      continue;
    }
    if (waiting || reserveCalls(ctx, 1) === 0) {
      // The minute's calls are taken (a run is using them): confirmed by the trigger in a minute.
      waiting = true;
      outcomes.set(key, { ok: true, queued: true });
      continue;
    }
    const confirmed = confirm(ctx, apiKey, hint, place.paymentId);
    if (confirmed.kind === 'unknown') {
      hint.tries++;
      if (hint.tries >= MAX_TRIES) ctx.store.dropWebhook(key);
      else ctx.store.keepWebhook(hint, key);
      log(ctx, place.paymentId, ctx.say('webhook.unconfirmed'), confirmed.why);
      waiting = hint.tries < MAX_TRIES;
      outcomes.set(key, { ok: true, queued: true });
      continue;
    }
    if (confirmed.kind === 'notPaid') {
      log(ctx, place.paymentId, ctx.say('webhook.notPaid'), confirmed.status);
      ctx.store.dropWebhook(key);
      outcomes.set(key, { ok: true, confirmed: false });
      continue;
    }
    const written = writePaid(ctx, place.sheet, place.paymentId, hint.transactionId, confirmed.paidAt);
    if (written) noteTurnedPaid(ctx.ports.documentStore, place.sheet.id, place.paymentId);
    anyWritten ||= written;
    ctx.store.dropWebhook(key);
    outcomes.set(key, written ? { ok: true, confirmed: true } : { ok: true, found: false });
  }
  // Once for all the payments confirmed here: it reads every sheet.
  if (anyWritten) rebuildSummarySafely(ctx);
  if (waiting) scheduleInbox(ctx);
  return outcomes;
}

type Confirmation = { kind: 'paid'; paidAt: number } | { kind: 'notPaid'; status: string } | { kind: 'unknown'; why: string };

/** The transaction when there is one (it carries the time of payment), else the payment request. */
function confirm(ctx: AppContext, apiKey: string, hint: WebhookHint, paymentId: string): Confirmation {
  const environment = ctx.settings.environment;
  const request = hint.transactionId ? transactionRequest(environment, apiKey, hint.transactionId) : paymentRequest(environment, apiKey, paymentId);
  const batch = ctx.ports.http.fetchAll([request]);
  const reply = batch.ok ? batch.replies[0] : undefined;
  if (!reply) return { kind: 'unknown', why: batch.ok ? ctx.say('http.noReply') : batch.error };
  if (hint.transactionId) {
    const tx = classifyTransaction(reply);
    if (!tx.ok) return { kind: 'unknown', why: describeFailure(tx.failure) };
    return tx.data.status === 'paid' ? { kind: 'paid', paidAt: tx.data.updatedAt ?? hint.paidAt } : { kind: 'notPaid', status: tx.data.status ?? 'unknown' };
  }
  const detail = classifyPayment(reply);
  if (!detail.ok) return { kind: 'unknown', why: describeFailure(detail.failure) };
  return detail.data.status === 'paid' ? { kind: 'paid', paidAt: hint.paidAt } : { kind: 'notPaid', status: detail.data.status ?? 'unknown' };
}

/** Re-reads the sheet (it may have been sorted while Mayar answered) and writes Paid and Paid At. */
function writePaid(ctx: AppContext, sheet: SheetPort, paymentId: string, transactionId: string, paidAt: number): boolean {
  const data = sheet.readAll();
  const layout = ensureOutputColumns(sheet, data, ['paidAt'], ctx.locale);
  const index = findRowByPaymentId(data, layout, { paymentId, transactionId });
  if (index < 0) {
    log(ctx, paymentId, ctx.say('webhook.notInSheet'), 'paid in Mayar, but its row left the sheet while Mayar answered');
    return false;
  }
  const { status, paidAt: paidAtColumn } = layout.output;
  const update: RowUpdate = new Map();
  if (status !== undefined) update.set(status, statusText(ctx.locale, 'paid'));
  if (paidAtColumn !== undefined) update.set(paidAtColumn, new Date(paidAt));
  const { name, amount } = layout.input;
  const parsed = amount === undefined ? null : parseAmount(data[index]?.[amount] ?? '');
  appendLog(ctx, [
    {
      sheet: sheet.name,
      row: index + 1,
      customer: name === undefined ? '' : cellText(data[index]?.[name]),
      amount: parsed?.ok ? parsed.value : '',
      action: ctx.say('log.webhook'),
      outcome: statusText(ctx.locale, 'paid'),
      paymentId,
    },
  ]);
  writeBlocks(sheet, planWrites(new Map([[index, update]])));
  return true;
}

function log(ctx: AppContext, paymentId: string, outcome: string, details: string, sheet = '', row: number | '' = ''): void {
  try {
    appendLog(ctx, [{ sheet, row, customer: '', amount: '', action: ctx.say('log.webhook'), outcome, paymentId, details }]);
  } catch (error) {
    console.warn(`Mayar webhook: could not write the log: ${String(error)}`);
  }
}

/** The log shares rows with every execution: written only under the lock, else only to the console. */
function logUnderLock(ctx: AppContext, paymentId: string, outcome: string, details: string): void {
  if (!ctx.ports.lock.tryLock(LOCK_WAIT_MS)) {
    console.warn(`Mayar webhook: ${outcome}: ${details}`);
    return;
  }
  try {
    log(ctx, paymentId, outcome, details);
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}
