/**
 * Mayar's webhook (doPost of the web app). Mayar signs nothing, so the URL carries a long
 * secret, and a valid call is only a hint: the payment is confirmed with Mayar before any row
 * says Paid. Never throws: every answer is a small JSON object.
 */
import * as z from 'zod';
import { clip } from '../core/cells';
import { mapHeaders } from '../core/headers';
import { capacity, recordCalls } from '../core/limiter';
import { classifyPayment, interpretPayment, paymentRequest } from '../core/mayar';
import { planWrites, type RowUpdate } from '../core/cells';
import { statusText } from '../core/status';
import { appendLog } from './audit-log';
import type { AppContext } from './context';
import { describeFailure } from './run';

export interface WebhookRequest {
  token: string | undefined;
  body: string | undefined;
}

export type WebhookAnswer = { ok: boolean; [detail: string]: string | boolean | number };

const webhookSchema = z.object({
  event: z.string(),
  data: z
    .object({
      id: z.string().optional(),
      productId: z.string().optional(),
      transactionId: z.string().optional(),
      status: z.string().optional(),
    })
    .passthrough(),
});

/** Compares without stopping at the first difference, so timing tells nothing about the secret. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}

const LOCK_WAIT_MS = 20_000;

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

function confirmAndWrite(ctx: AppContext, paymentId: string, transactionId: string): WebhookAnswer {
  // Find the row first: a payment that isn't in any sheet costs no Mayar call.
  let found: { sheetIndex: number; row: number } | null = null;
  const sheets = ctx.ports.spreadsheet.sheets().filter((s) => s.name !== ctx.say('log.sheetName'));
  const snapshots = sheets.map((sheet) => {
    const data = sheet.readAll();
    return { sheet, data, layout: mapHeaders(data[0] ?? []) };
  });
  let confirmedId = paymentId;
  snapshots.forEach((snap, sheetIndex) => {
    if (found) return;
    const { paymentId: idColumn, transactionId: txColumn } = snap.layout.output;
    for (let i = 1; i < snap.data.length; i++) {
      const row = snap.data[i] ?? [];
      const id = idColumn === undefined ? '' : String(row[idColumn] ?? '').trim();
      const tx = txColumn === undefined ? '' : String(row[txColumn] ?? '').trim();
      if ((paymentId && id === paymentId) || (transactionId && tx === transactionId)) {
        found = { sheetIndex, row: i };
        confirmedId = id || paymentId;
        return;
      }
    }
  });
  const place = found as { sheetIndex: number; row: number } | null;
  if (!place || !confirmedId) {
    appendWebhookLog(ctx, paymentId, ctx.say('webhook.notInSheet'), transactionId);
    return { ok: true, found: false };
  }

  const apiKey = ctx.store.apiKey(ctx.settings.keyScope) ?? ctx.store.apiKey('document') ?? ctx.store.apiKey('user');
  if (!apiKey) {
    appendWebhookLog(ctx, confirmedId, ctx.say('webhook.unconfirmed'), ctx.say('dialog.noKey'));
    return { ok: false, error: 'cannot confirm' };
  }
  const limiter = ctx.store.limiter();
  const now = ctx.ports.clock.now();
  if (capacity(limiter, now, ctx.settings.requestsPerMinute).available === 0) {
    // Over the rate limit now: Mayar retries, and the hourly refresh catches it anyway.
    return { ok: false, error: 'busy, retry later' };
  }
  ctx.store.save({ limiter: recordCalls(limiter, now, 1) });
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

  const snap = snapshots[place.sheetIndex];
  if (!snap) return { ok: false, error: 'sheet vanished' };
  const { status, paidAt } = snap.layout.output;
  if (status === undefined) return { ok: false, error: 'no Status column' };
  // Paid At may be missing on an older sheet: add it beside the others.
  let paidAtColumn = paidAt;
  if (paidAtColumn === undefined) {
    paidAtColumn = snap.layout.width;
    snap.sheet.write(1, paidAtColumn + 1, [['Paid At']]);
    snap.sheet.setColumnFormat(paidAtColumn + 1, 1, 'yyyy-mm-dd hh:mm');
  }
  const update: RowUpdate = new Map();
  update.set(status, statusText(ctx.locale, 'paid'));
  update.set(paidAtColumn, new Date(state.paidAt ?? ctx.ports.clock.now()));
  for (const block of planWrites(new Map([[place.row, update]]), snap.data)) snap.sheet.write(block.row, block.column, block.values);
  appendLog(ctx, [{
    sheet: snap.sheet.name,
    row: place.row + 1,
    customer: detail.data.name ?? '',
    amount: detail.data.amount ?? '',
    action: ctx.say('log.webhook'),
    outcome: statusText(ctx.locale, 'paid'),
    paymentId: confirmedId,
  }]);
  return { ok: true, confirmed: true };
}

function appendWebhookLog(ctx: AppContext, paymentId: string, outcome: string, details: string): void {
  try {
    appendLog(ctx, [{ sheet: '', row: '', customer: '', amount: '', action: ctx.say('log.webhook'), outcome, paymentId, details }]);
  } catch (error) {
    console.warn(`Mayar webhook: could not write the log: ${String(error)}`);
  }
}
