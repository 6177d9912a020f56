/**
 * Mayar's webhook (doPost of the web app). Mayar signs nothing, so the URL carries a long
 * secret, and a valid call is only a hint: the payment is confirmed with Mayar before any row
 * says Paid. Never throws: every answer is a small JSON object.
 */
import * as z from 'zod';
import { mapHeaders, planOutputColumns, type SheetLayout } from '../core/headers';
import { reserveCalls } from './pacing';
import { classifyPayment, interpretPayment, paymentRequest } from '../core/mayar';
import { clip, planWrites, type RowUpdate } from '../core/cells';
import { describeFailure } from '../core/failure-text';
import { findRowByPaymentId } from '../core/job';
import { statusText } from '../core/status';
import type { Cell } from '../core/types';
import { appendLog } from './audit-log';
import type { AppContext } from './context';
import { rebuildSummarySafely } from './dashboard';
import type { SheetPort } from './ports';

export interface WebhookRequest {
  token: string | undefined;
  body: string | undefined;
}

export type WebhookAnswer = { ok: boolean; [detail: string]: string | boolean | number };

const webhookSchema = z.object({
  event: z.string(),
  data: z
    .object({
      // Mayar sends null for what a payment doesn't have (a transaction without an email).
      id: z.string().nullish(),
      productId: z.string().nullish(),
      transactionId: z.string().nullish(),
      status: z.string().nullish(),
    })
    .passthrough(),
});

/** Compares without stopping at the first difference, so timing tells nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}

// Mayar waits for the answer: a short wait, then "busy" (Mayar can retry, and the hourly refresh catches up).
const LOCK_WAIT_MS = 10_000;

export function handleWebhook(ctx: AppContext, request: WebhookRequest): WebhookAnswer {
  const secret = ctx.store.webhookSecret();
  if (!secret || !request.token || !sameSecret(request.token, secret)) return { ok: false, error: 'forbidden' };

  let parsed: z.infer<typeof webhookSchema>;
  try {
    const result = webhookSchema.safeParse(JSON.parse(request.body ?? ''));
    if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    parsed = result.data;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    appendWebhookLog(ctx, '', ctx.say('webhook.malformed'), clip(`${reason} | ${request.body ?? ''}`, 500));
    return { ok: false, error: 'malformed body' };
  }
  if (parsed.event !== 'payment.received') return { ok: true, ignored: parsed.event };

  const paymentId = parsed.data.productId ?? '';
  const transactionId = parsed.data.transactionId ?? parsed.data.id ?? '';
  if (!paymentId && !transactionId) {
    appendWebhookLog(ctx, '', ctx.say('webhook.malformed'), 'no productId or transactionId');
    return { ok: false, error: 'malformed body' };
  }
  if (!ctx.ports.lock.tryLock(LOCK_WAIT_MS)) return { ok: false, error: 'busy, retry later' };
  try {
    return confirmAndWrite(ctx, paymentId, transactionId);
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}

function findRow(data: readonly (readonly Cell[])[], layout: SheetLayout, paymentId: string, transactionId: string): number {
  return findRowByPaymentId(data, layout, { paymentId, transactionId });
}

function confirmAndWrite(ctx: AppContext, paymentId: string, transactionId: string): WebhookAnswer {
  // Find the row first: a payment that isn't in any sheet costs no Mayar call.
  let place: { sheet: SheetPort; confirmedId: string } | null = null;
  for (const sheet of ctx.ports.spreadsheet.sheets()) {
    if (sheet.name === ctx.say('log.sheetName')) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    const index = findRow(data, layout, paymentId, transactionId);
    if (index < 0) continue;
    const idColumn = layout.output.paymentId;
    const id = idColumn === undefined ? '' : String(data[index]?.[idColumn] ?? '').trim();
    place = { sheet, confirmedId: id || paymentId };
    break;
  }
  if (!place || !place.confirmedId) {
    appendWebhookLog(ctx, paymentId, ctx.say('webhook.notInSheet'), transactionId);
    return { ok: true, found: false };
  }
  const { sheet, confirmedId } = place;

  const apiKey = ctx.store.apiKey(ctx.settings.keyScope) ?? ctx.store.apiKey('document') ?? ctx.store.apiKey('user');
  if (!apiKey) {
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.unconfirmed'), ctx.say('dialog.noKey'));
    return { ok: false, error: 'cannot confirm' };
  }
  if (reserveCalls(ctx, 1) === 0) {
    // Over the rate limit now (a big run is using it): Mayar can retry, and a refresh catches
    // it anyway. Logged, so the payment is not only in Mayar's webhook history.
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.unconfirmed'), 'rate limit reached; retry later or refresh payment status');
    return { ok: false, error: 'busy, retry later' };
  }
  const batch = ctx.ports.http.fetchAll([paymentRequest(ctx.settings.environment, apiKey, confirmedId)]);
  const reply = batch.ok ? batch.replies[0] : undefined;
  const detail = reply ? classifyPayment(reply) : null;
  if (!detail || !detail.ok) {
    const why = !batch.ok ? batch.error : detail && !detail.ok ? describeFailure(detail.failure) : 'no reply';
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.unconfirmed'), why);
    return { ok: false, error: 'cannot confirm' };
  }
  const state = interpretPayment(detail.data, ctx.ports.clock.now());
  if (state.status !== 'paid') {
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.notPaid'), state.status);
    return { ok: true, confirmed: false };
  }

  // Read the sheet again: someone may have sorted or edited it while Mayar answered.
  const data = sheet.readAll();
  const planned = planOutputColumns(mapHeaders(data[0] ?? []), ['paidAt']);
  const index = findRow(data, planned.layout, confirmedId, transactionId);
  if (index < 0) {
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.notInSheet'), 'paid in Mayar, but its row left the sheet while Mayar answered');
    return { ok: true, found: false };
  }
  const { status, paidAt } = planned.layout.output;
  if (planned.added.length) {
    // An older or hand-made sheet: add the missing output columns (Paid At at least).
    const first = Math.min(...planned.added.map((a) => a.column));
    const last = Math.max(...planned.added.map((a) => a.column));
    const header: Cell[] = [];
    for (let c = first; c <= last; c++) header.push(planned.added.find((a) => a.column === c)?.header ?? data[0]?.[c] ?? '');
    sheet.write(1, first + 1, [header]);
    if (planned.added.some((a) => a.column === paidAt) && paidAt !== undefined) sheet.setColumnFormat(paidAt + 1, 1, 'yyyy-mm-dd hh:mm');
  }
  const update: RowUpdate = new Map();
  if (status !== undefined) update.set(status, statusText(ctx.locale, 'paid'));
  if (paidAt !== undefined) update.set(paidAt, new Date(state.paidAt ?? ctx.ports.clock.now()));
  for (const block of planWrites(new Map([[index, update]]), data)) sheet.write(block.row, block.column, block.values);
  appendLog(ctx, [{
    sheet: sheet.name,
    row: index + 1,
    customer: detail.data.name ?? '',
    amount: detail.data.amount ?? '',
    action: ctx.say('log.webhook'),
    outcome: statusText(ctx.locale, 'paid'),
    paymentId: confirmedId,
  }]);
  rebuildSummarySafely(ctx);
  return { ok: true, confirmed: true };
}

function appendWebhookLog(ctx: AppContext, paymentId: string, outcome: string, details: string): void {
  try {
    appendLog(ctx, [{ sheet: '', row: '', customer: '', amount: '', action: ctx.say('log.webhook'), outcome, paymentId, details }]);
  } catch (error) {
    console.warn(`Mayar webhook: could not write the log: ${String(error)}`);
  }
}
