/**
 * Mayar's webhook (doPost of the web app). Mayar signs nothing, so the URL carries a long
 * secret, and a valid call is only a hint: the row's payment is confirmed with Mayar's own
 * records (webhook-confirm.ts) before any row says Paid. Whoever holds the URL can post
 * anything: a body over 20 KB or with ids that are not Mayar ids is refused before anything is
 * kept, a payment in no row costs no Mayar call, and both are counted, one Mayar Log line an
 * hour (webhook-noise.ts). A webhook is never lost: what arrives is kept first (a property of
 * its own, safe without the lock), then confirmed under the lock as soon as the rate limit
 * allows — now, or by a trigger a minute later when a run holds the lock or the minute's calls.
 * A repeat (a sender that counts the web app's 302 as a failure delivers again) changes nothing.
 * Never throws: every answer is a small JSON object.
 */
import * as z from 'zod/mini';
import { clip, planWrites, type RowUpdate } from '../core/cells';
import { mapHeaders, type SheetLayout } from '../core/headers';
import { itemColumns, readItems } from '../core/items';
import { findRowByPaymentId } from '../core/job';
import { cellText } from '../core/cell-text';
import { statusSourceOf } from './kinds/refresh/sources';
import { parseAmount } from '../core/parse';
import { lazy } from '../core/schema';
import type { Cell } from '../core/types';
import { parseStatus, statusText } from '../core/status';
import { MAX_BODY_BYTES } from '../core/webhook-trust';
import { utf8Bytes } from '../core/bytes';
import { isMayarId } from '../core/parse';
import { appendLog } from './audit-log';
import type { AppContext } from './context';
import { reserveCalls } from './pacing';
import { rebuildSummarySafely } from './dashboard';
import { noteTurnedPaid } from './delivery/thanks-queue';
import type { SheetPort } from './ports';
import { underLock } from './lock';
import { ensureOutputColumns, isLogSheet, writeBlocks } from './sheet-prep';
import type { WebhookHint } from './store';
import { confirmInvoice, confirmPayment, type RowPayment } from './webhook-confirm';
import { writeRenewedPaid } from './webhook-renewed';
import { renewedEntry, renewedRow } from './renewed';
import { countWebhookNoise, dueWebhookNoise, logWebhookNoise, noteWebhookRead, webhookNoiseDue, webhookReadAllowed } from './webhook-noise';
import type { NoiseLine } from '../core/webhook-trust';
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
/** Webhooks kept at most; past it a new one is left to the refresh (which reads Mayar's history). */
const MAX_KEPT = 200;

const webhookSchema = /* @__PURE__ */ lazy(() => {
  const text = z.nullish(z.string());
  return z.object({
    event: z.string(),
    data: z.object({
      // Mayar sends null for what a payment doesn't have (a transaction without an email).
      id: text,
      productId: text,
      transactionId: text,
    }),
  });
});

/** Compares without stopping at the first difference, so timing tells nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}

/**
 * The ids to look for: the payment request (productId) and the transaction. `data.id` is
 * documented as the webhook's own id, so it stands for a transaction only in a body that names
 * neither; a body with a productId and no transactionId is confirmed by the payment request.
 */
function hintIds(data: { id?: string | null; productId?: string | null; transactionId?: string | null }): { paymentId: string; transactionId: string } {
  const paymentId = data.productId ?? '';
  return { paymentId, transactionId: data.transactionId || (paymentId ? '' : (data.id ?? '')) };
}

export function handleWebhook(ctx: AppContext, request: WebhookRequest): WebhookAnswer {
  const secret = ctx.store.webhookSecret();
  if (!secret || !request.token || !sameSecret(request.token, secret)) return { ok: false, error: 'forbidden' };

  // Measured before it is read: whoever holds the URL can post anything.
  const body = request.body ?? '';
  const bytes = utf8Bytes(body, MAX_BODY_BYTES);
  if (bytes > MAX_BODY_BYTES) return refuse(ctx, 'too large', `over ${MAX_BODY_BYTES} bytes | ${clip(body, 200)}`);
  let parsed: z.infer<ReturnType<typeof webhookSchema>>;
  try {
    const result = webhookSchema().safeParse(JSON.parse(body));
    if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    parsed = result.data;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refuse(ctx, 'malformed body', clip(`${reason} | ${body}`, 200));
  }
  if (parsed.event !== 'payment.received') return { ok: true, ignored: parsed.event };

  const now = ctx.ports.clock.now();
  const ids = hintIds(parsed.data);
  if (!ids.paymentId && !ids.transactionId) return refuse(ctx, 'malformed body', 'no productId or transactionId');
  if ((ids.paymentId && !isMayarId(ids.paymentId)) || (ids.transactionId && !isMayarId(ids.transactionId))) {
    return refuse(ctx, 'malformed body', clip(`ids are not Mayar ids | ${ids.paymentId} ${ids.transactionId}`, 200));
  }
  const hint: WebhookHint = { ...ids, arrivedAt: now, tries: 0 };
  const kept = ctx.store.keptWebhooks();
  const key = ctx.store.inboxKey(hint);
  if (kept.length >= MAX_KEPT && !kept.some((k) => k.key === key))
    return refuse(ctx, 'busy', `${MAX_KEPT} webhooks waiting | ${ids.paymentId} ${ids.transactionId}`, true);
  // Kept before anything else, so that nothing after this point can lose it.
  ctx.store.keepWebhook(hint, key);
  const confirmed = underLock(ctx, LOCK_WAIT_MS, () => confirmKept(ctx));
  if (confirmed.locked) return confirmed.value.get(key) ?? { ok: true, queued: true };
  scheduleInbox(ctx);
  return { ok: true, queued: true };
}

/** A body not kept: counted, and one Mayar Log line an hour says how many. */
function refuse(ctx: AppContext, error: string, sample: string, ok = false): WebhookAnswer {
  const line = countWebhookNoise(ctx, 'refused', sample);
  if (line) logUnderLock(ctx, [line]);
  return { ok, error };
}

/** The hourly pass writes the counts an hour old, when no webhook since has written them. */
export function flushWebhookNoise(ctx: AppContext): void {
  if (webhookNoiseDue(ctx)) underLock(ctx, LOCK_WAIT_MS, () => logWebhookNoise(ctx, dueWebhookNoise(ctx)));
}

/** Confirms the kept webhooks with the lock already held (a refresh that ended: webhook-renewed.ts). */
export function confirmKeptLocked(ctx: AppContext): void {
  if (ctx.store.keptWebhooks().length > 0) confirmKept(ctx);
}

/** The trigger that confirms webhooks kept for later. */
export function processWebhookInbox(ctx: AppContext): number {
  if (ctx.store.keptWebhooks().length === 0) return 0;
  const confirmed = underLock(ctx, LOCK_WAIT_MS, () => confirmKept(ctx).size);
  if (confirmed.locked) return confirmed.value;
  scheduleInbox(ctx);
  return 0;
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

interface Place extends RowPayment {
  sheet: SheetPort;
  index: number;
  alreadyPaid: boolean;
  /** The Payment ID is one Renew expired links replaced on this row (webhook-renewed.ts). */
  renewed?: boolean;
}

/** The customer sheets, each read once per confirmation pass (again after a write). */
type SheetCache = Map<SheetPort, readonly (readonly unknown[])[]>;

/** Where a payment's row is: the first customer sheet with this Payment ID or Transaction ID. */
/** What the row bills: its Amount, or on a sheet with line items (and no Amount column) the items' total. */
function rowAmount(headers: readonly Cell[], cells: readonly Cell[], layout: SheetLayout): number | null {
  const amountColumn = layout.input.amount;
  if (amountColumn !== undefined) {
    const amount = parseAmount(cells[amountColumn] ?? '');
    return amount.ok ? amount.value : null;
  }
  const items = readItems(cells, itemColumns(headers));
  return items.ok && items.total > 0 ? items.total : null;
}

function findPayment(ctx: AppContext, hint: WebhookHint, cache: SheetCache): Place | null {
  if (cache.size === 0) for (const sheet of ctx.ports.spreadsheet.sheets()) if (!isLogSheet(ctx, sheet)) cache.set(sheet, sheet.readAll());
  for (const [sheet, rows] of cache) {
    const data = rows as Parameters<typeof findRowByPaymentId>[0];
    const layout = mapHeaders(data[0] ?? []);
    const index = findRowByPaymentId(data, layout, { paymentId: hint.paymentId, transactionId: hint.transactionId });
    if (index < 0) continue;
    const cell = (column: number | undefined) => (column === undefined ? '' : String(data[index]?.[column] ?? '').trim());
    const paymentId = cell(layout.output.paymentId) || hint.paymentId;
    const alreadyPaid = layout.output.status !== undefined && parseStatus(data[index]?.[layout.output.status]) === 'paid';
    return {
      sheet,
      index,
      paymentId,
      transactionId: cell(layout.output.transactionId),
      amount: rowAmount(data[0] ?? [], data[index] ?? [], layout),
      alreadyPaid,
    };
  }
  return findRenewed(ctx, hint);
}

/** A payment id no row shows, replaced on a row by Renew expired links: confirmed against that old id. */
function findRenewed(ctx: AppContext, hint: WebhookHint): Place | null {
  const entry = hint.paymentId ? renewedEntry(ctx.ports.documentStore, hint.paymentId) : undefined;
  const found = entry ? renewedRow(ctx, entry.o) : null;
  if (!entry || !found) return null;
  const data = found.sheet.readAll();
  const amount = rowAmount(data[0] ?? [], data[found.index] ?? [], mapHeaders(data[0] ?? []));
  return { sheet: found.sheet, index: found.index, paymentId: entry.o, transactionId: '', amount, alreadyPaid: entry.p !== undefined, renewed: true };
}

/** Confirms the kept webhooks, oldest first, as far as the rate limit allows. Call with the lock held. */
function confirmKept(ctx: AppContext): Map<string, WebhookAnswer> {
  const outcomes = new Map<string, WebhookAnswer>();
  let waiting = false;
  let later = false;
  let anyWritten = false;
  const noise: NoiseLine[] = dueWebhookNoise(ctx);
  const cache: SheetCache = new Map();
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope) ?? ctx.store.apiKey('document') ?? ctx.store.apiKey('user');
  for (const { key, hint } of ctx.store.keptWebhooks()) {
    const place = findPayment(ctx, hint, cache);
    if (!place) {
      // Costs no Mayar call and no log line of its own: counted, one line an hour.
      const line = countWebhookNoise(ctx, 'stray', `${hint.paymentId} ${hint.transactionId}`.trim());
      if (line) noise.push(line);
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
    if (!webhookReadAllowed(ctx, place.paymentId)) {
      // Read from Mayar for a webhook less than 10 minutes ago: this one waits its turn.
      later = true;
      outcomes.set(key, { ok: true, queued: true });
      continue;
    }
    if (waiting || reserveCalls(ctx, 1) === 0) {
      // The minute's calls are taken (a run is using them): confirmed by the trigger in a minute.
      waiting = true;
      outcomes.set(key, { ok: true, queued: true });
      continue;
    }
    noteWebhookRead(ctx, place.paymentId);
    const confirmed = statusSourceOf(place.sheet).invoices
      ? confirmInvoice(ctx, apiKey, place, hint.arrivedAt)
      : confirmPayment(ctx, apiKey, hint.transactionId, place, hint.arrivedAt);
    if (confirmed.kind === 'unknown') {
      hint.tries++;
      if (hint.tries >= MAX_TRIES) ctx.store.dropWebhook(key);
      else ctx.store.keepWebhook(hint, key);
      log(ctx, place.paymentId, ctx.say('webhook.unconfirmed'), confirmed.why);
      waiting = hint.tries < MAX_TRIES;
      outcomes.set(key, { ok: true, queued: true });
      continue;
    }
    if (confirmed.kind !== 'paid') {
      const outcome = confirmed.kind === 'notPaid' ? ctx.say('webhook.notPaid') : ctx.say('webhook.notTheirs');
      log(ctx, place.paymentId, outcome, confirmed.kind === 'notPaid' ? confirmed.status : confirmed.why, place.sheet.name, place.index + 1);
      ctx.store.dropWebhook(key);
      outcomes.set(key, { ok: true, confirmed: false });
      continue;
    }
    const written = place.renewed
      ? writeRenewedPaid(ctx, apiKey, place.paymentId, confirmed.paidAt) !== null
      : writePaid(ctx, place.sheet, place.paymentId, confirmed.paidAt);
    if (written) {
      if (!place.renewed) noteTurnedPaid(ctx.ports.documentStore, place.sheet.id, place.paymentId);
      cache.clear();
    }
    anyWritten ||= written;
    ctx.store.dropWebhook(key);
    outcomes.set(key, written ? { ok: true, confirmed: true } : { ok: true, found: false });
  }
  logWebhookNoise(ctx, noise);
  // Once for all the payments confirmed here: it reads every sheet.
  if (anyWritten) rebuildSummarySafely(ctx);
  if (waiting || later) scheduleInbox(ctx);
  return outcomes;
}

/** Re-reads the sheet (it may have been sorted while Mayar answered) and writes Paid and Paid At. */
function writePaid(ctx: AppContext, sheet: SheetPort, paymentId: string, paidAt: number): boolean {
  const data = sheet.readAll();
  const layout = ensureOutputColumns(sheet, data, ['paidAt'], ctx.locale);
  const index = findRowByPaymentId(data, layout, { paymentId });
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
function logUnderLock(ctx: AppContext, lines: NoiseLine[]): void {
  const logged = underLock(ctx, LOCK_WAIT_MS, () => logWebhookNoise(ctx, [...dueWebhookNoise(ctx), ...lines]));
  if (!logged.locked) for (const line of lines) console.warn(`Mayar webhook: ${line.count} ${line.kind}: ${line.sample}`);
}
