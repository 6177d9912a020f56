/**
 * The invoice kind: a sheet with line items ("Rincian: SPP", "Rincian: Buku") bills each row
 * as a Mayar invoice (POST /invoices/create), at the pace Mayar allows, with the same promise
 * as payment links: a row is marked in flight (persisted) before it is sent and leaves the job
 * only once its result is in the sheet; a lost reply is looked up in Mayar's invoice list
 * (invoice/reconcile.ts) by the attempt key sent in extraData before anything is sent again.
 */
import { clip } from '../../../core/cells';
import { describeFailure } from '../../../core/failure-text';
import { hashString } from '../../../core/fingerprint';
import { examineInvoiceRow } from '../../../core/invoice-rows';
import { itemColumns } from '../../../core/items';
import { hasPayment, type JobRow, locate, removeRow } from '../../../core/job';
import { capacity, DUPLICATE_WINDOW_MS, duplicateFreeAt, duplicateKeys, onTooManyRequests, recordCalls, recordCreates, WINDOW_MS } from '../../../core/limiter';
import type { Failure } from '../../../core/mayar';
import { classifyInvoiceCreate, invoiceCreateRequest, type InvoiceRequest } from '../../../core/mayar-invoices';
import { matchText } from '../../../core/reconcile';
import { deferForDuplicate, markInFlight, markUnknown, notSent } from '../../../core/row-lifecycle';
import { statusText } from '../../../core/status';
import type { AppContext } from '../../context';
import type { JobKindModule } from '../../engine/kind';
import { MAX_CHUNK, outOfTime, type Pass, type RowResult, type SheetSnapshot, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { errorResult, reviewResult } from '../create/results';
import { reconcileInvoices } from './reconcile';

/** name|total|description: how a lost invoice is recognised in the list when its key is missing. */
export function invoiceMatch(request: Pick<InvoiceRequest, 'name' | 'description'>, total: number): string {
  return hashString(matchText(request.name, total, request.description));
}

function advanceInvoice(pass: Pass): void {
  const { ctx, job } = pass;
  for (let round = 0; round < 10 && !pass.stopMessage && !pass.pauseMessage && !outOfTime(ctx); round++) {
    const snap = snapshot(pass.sheet);
    const reconciled = reconcileInvoices(pass, snap);
    if (pass.stopMessage || pass.pauseMessage || job.state === 'cancelling') return;
    if (reconciled) continue;
    if (!sendInvoices(pass, snap)) return;
  }
}

interface Item {
  row: JobRow;
  request: InvoiceRequest;
  total: number;
  keys: string[];
}

/** What a person or the log calls the action. */
function logBase(ctx: AppContext, item: Pick<Item, 'request' | 'total'>) {
  return { customer: item.request.name, amount: item.total, action: ctx.say('log.invoice') };
}

function sendInvoices(pass: Pass, snap: SheetSnapshot): boolean {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const room = capacity(pass.limiter, now, ctx.settings.requestsPerMinute);
  const eligible = job.rows.filter((r) => r.state === 'pending');
  if (eligible.length === 0) return false;
  if (outOfTime(ctx)) {
    // Checking Mayar took this execution's time: the next one sends.
    waitUntil(pass, now + 1_000);
    return false;
  }
  if (room.available === 0) {
    waitUntil(pass, now + room.waitMs);
    return false;
  }
  const columns = itemColumns(snap.data[0] ?? []);
  const rowCtx = {
    zone: ctx.ports.spreadsheet.zone(),
    now: new Date(now),
    defaultExpiryDays: ctx.settings.defaultExpiryDays,
    locale: ctx.locale,
    headers: snap.data[0] ?? [],
  };
  const claimed = new Set<number>();
  for (const r of job.rows)
    if (r.state === 'inFlight') {
      const at = locate(r, snap.data, snap.layout, snap.index, claimed);
      if (at >= 0) claimed.add(at);
    }
  const chunk: Item[] = [];
  const chunkKeys = new Set<string>();
  const results: RowResult[] = [];
  for (const row of eligible) {
    if (chunk.length >= Math.min(room.available, MAX_CHUNK)) break;
    if (row.notBefore > now) {
      waitUntil(pass, row.notBefore);
      continue;
    }
    const index = locate(row, snap.data, snap.layout, snap.index, claimed);
    const cells = index < 0 ? [] : (snap.data[index] ?? []);
    if (index < 0 || hasPayment(cells, snap.layout)) {
      job.counts[index < 0 ? 'changed' : 'skipped']++;
      removeRow(job, row);
      continue;
    }
    const verdict = examineInvoiceRow(cells, snap.layout, columns, rowCtx);
    claimed.add(index);
    row.sheetRow = index + 1;
    if (verdict.kind === 'invalid') {
      results.push(errorResult(ctx, row, verdict.errors.join('; ')));
      continue;
    }
    if (verdict.kind !== 'valid') {
      job.counts.changed++;
      removeRow(job, row);
      continue;
    }
    const keys = duplicateKeys({ ...verdict.request, amount: verdict.total });
    const freeAt = duplicateFreeAt(pass.limiter, keys);
    if (freeAt > now || keys.some((k) => chunkKeys.has(k))) {
      // Same customer and total as a create less than a minute ago: Mayar would refuse it.
      claimed.delete(index);
      waitUntil(pass, freeAt > now ? freeAt : now + DUPLICATE_WINDOW_MS);
      continue;
    }
    keys.forEach((k) => chunkKeys.add(k));
    chunk.push({ row, request: verdict.request, total: verdict.total, keys });
  }
  if (chunk.length === 0) {
    if (results.length) writeResults(pass, results);
    return false;
  }

  // The in-flight marks are stored before anything leaves: an execution can die at any call.
  for (const item of chunk)
    item.request.extraData = { sheetRowKey: markInFlight(job, item.row, now, item.row.sheetRow, invoiceMatch(item.request, item.total)) };
  const before = pass.limiter;
  pass.limiter = recordCreates(
    recordCalls(pass.limiter, now, chunk.length),
    now,
    chunk.flatMap((c) => c.keys),
  );
  ctx.store.save({ job, limiter: pass.limiter });

  const batch = ctx.ports.http.fetchAll(chunk.map((c) => invoiceCreateRequest(job.environment, pass.apiKey, c.request)));
  if (!batch.ok) {
    if (batch.notSent) {
      for (const item of chunk) notSent(item.row);
      pass.limiter = before;
      pass.pauseMessage = ctx.say('dialog.notSent', { details: batch.error });
    } else {
      // Some may have reached Mayar: the list is checked before any resend.
      for (const item of chunk) markUnknown(item.row, 'network', clip(batch.error, 200));
      waitUntil(pass, ctx.ports.clock.now() + 5_000);
    }
    writeResults(pass, results);
    return false;
  }

  let accepted = 0;
  let rateLimited: number | null | undefined;
  batch.replies.forEach((reply, i) => {
    const item = chunk[i];
    if (!item) return;
    const outcome = classifyInvoiceCreate(reply);
    if (outcome.ok) {
      accepted++;
      job.counts.created++;
      const status = statusText(ctx.locale, 'unpaid');
      const { id, link } = outcome.data;
      results.push({
        jobRow: item.row,
        cells: { link, paymentId: id, transactionId: outcome.data.transactionId ?? '', status, error: '' },
        log: { ...logBase(ctx, item), outcome: status, paymentId: id, link },
        inputs: { expiry: new Date(item.request.expiredAt) },
        finished: true,
      });
      return;
    }
    if (outcome.failure.kind === 'rate-limited') rateLimited = outcome.failure.retryAfterMs;
    const result = failedInvoice(pass, item, outcome.failure);
    if (result) results.push(result);
  });
  if (rateLimited !== undefined) {
    const earlier = before.sent.filter((t) => t > ctx.ports.clock.now() - WINDOW_MS).length;
    pass.limiter = onTooManyRequests(pass.limiter, ctx.ports.clock.now(), rateLimited, earlier + accepted, ctx.settings.requestsPerMinute);
    waitUntil(pass, pass.limiter.blockedUntil);
  }
  writeResults(pass, results);
  return !pass.stopMessage && !pass.pauseMessage && rateLimited === undefined;
}

/** What a refused create means for its row; null when the row stays in the job. */
function failedInvoice(pass: Pass, item: Item, failure: Failure): RowResult | null {
  const { ctx, job } = pass;
  const { row } = item;
  switch (failure.kind) {
    case 'unauthorized':
      notSent(row);
      pass.stopMessage = ctx.say('dialog.keyRejected', { environment: job.environment });
      return null;
    case 'rate-limited':
      notSent(row);
      return null;
    case 'duplicate':
      if (row.attempts > 1) {
        // A retry refused as a duplicate: the first attempt probably created it. Look first.
        markUnknown(row, 'duplicate', 'Duplicate request');
        return null;
      }
      return deferForDuplicate(row, ctx.ports.clock.now()) ? null : errorResult(ctx, row, ctx.say('row.duplicateRepeated'), logBase(ctx, item));
    case 'rejected':
    case 'not-found': {
      // 404 here is Mayar's "Customer not found and failed to create new customer".
      const details = failure.kind === 'rejected' ? failure.details.join('; ') : 'HTTP 404';
      return errorResult(ctx, row, ctx.say('row.rejected', { details }), logBase(ctx, item));
    }
    case 'conflict':
      return reviewResult(pass, row, ctx.say('row.conflict', { details: failure.details.join('; ') || '409' }), logBase(ctx, item));
    case 'unavailable':
      markUnknown(row, 'unavailable', clip(describeFailure(failure), 200));
      return null;
  }
}

export const invoiceKind: JobKindModule = {
  label: 'kind.invoice',
  extraColumns: [],
  advance: advanceInvoice,
  // A result goes only to a row without a payment: never over an identical done row.
  locate(row, snap, claimed) {
    const index = locate(row, snap.data, snap.layout, snap.index, claimed);
    return index >= 0 && hasPayment(snap.data[index], snap.layout) ? -1 : index;
  },
  toast(ctx, job) {
    const c = job.counts;
    return ctx.say('toast.progress', { done: job.total - job.rows.length, total: job.total, created: c.created, failed: c.failed });
  },
  summary(ctx, job) {
    const c = job.counts;
    return [ctx.say('summary.invoice', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped })];
  },
};
