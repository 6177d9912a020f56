/**
 * The invoice kind: a sheet with line items ("Rincian: SPP", "Rincian: Buku") bills each row
 * as a Mayar invoice (POST /invoices/create), at the pace Mayar allows, with the same promise
 * as payment links: a row is marked in flight (persisted) before it is sent and leaves the job
 * only once its result is in the sheet; a lost reply is looked up in Mayar's invoice list
 * (invoice/reconcile.ts) by the attempt key sent in extraData before anything is sent again.
 */
import { hashString } from '../../../core/fingerprint';
import { examineInvoiceRow } from '../../../core/invoice-rows';
import { itemColumns } from '../../../core/items';
import { hasPayment, type JobRow, locate, removeRow } from '../../../core/job';
import { capacity, DUPLICATE_WINDOW_MS, duplicateFreeAt, duplicateKeys } from '../../../core/limiter';
import { classifyInvoiceCreate, invoiceCreateRequest, type InvoiceRequest } from '../../../core/mayar-invoices';
import { matchText } from '../../../core/reconcile';
import { markInFlight } from '../../../core/row-lifecycle';
import type { AppContext } from '../../context';
import type { JobKindModule } from '../../engine/kind';
import { MAX_CHUNK, type Pass, type RowResult, type SheetSnapshot, waitUntil, writeResults } from '../../engine/pass';
import { createdResult, errorResult, refusedCreate } from '../create/results';
import { batchFailed, createToast, inFlightRows, locateOpen, readReplies, recordChunk, rowsToSend, sendRounds, slowDown } from '../create/send';
import { reconcileInvoices } from './reconcile';

/** name|total|description: how a lost invoice is recognised in the list when its key is missing. */
export function invoiceMatch(request: Pick<InvoiceRequest, 'name' | 'description'>, total: number): string {
  return hashString(matchText(request.name, total, request.description));
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
  const eligible = rowsToSend(pass, now, room);
  if (eligible.length === 0) return false;
  const columns = itemColumns(snap.data[0] ?? []);
  const rowCtx = {
    zone: ctx.ports.spreadsheet.zone(),
    now: new Date(now),
    defaultExpiryDays: ctx.settings.defaultExpiryDays,
    locale: ctx.locale,
    headers: snap.data[0] ?? [],
  };
  const claimed = inFlightRows(job, snap);
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
  const before = recordChunk(pass, now, chunk);

  const batch = ctx.ports.http.fetchAll(chunk.map((c) => invoiceCreateRequest(job.environment, pass.apiKey, c.request)));
  if (!batch.ok) return batchFailed(pass, chunk, before, batch, results, () => null);

  const { accepted, rateLimited } = readReplies(
    chunk,
    batch.replies,
    classifyInvoiceCreate,
    (item, data) => {
      job.counts.created++;
      return createdResult(ctx, item.row, data, logBase(ctx, item), new Date(item.request.expiredAt));
    },
    (item, failure) => refusedCreate(pass, item.row, failure, logBase(ctx, item)),
    results,
  );
  if (rateLimited !== undefined) slowDown(pass, before, rateLimited, accepted);
  writeResults(pass, results);
  return !pass.stopMessage && !pass.pauseMessage && rateLimited === undefined;
}

export const invoiceKind: JobKindModule = {
  label: 'kind.invoice',
  extraColumns: [],
  advance: (pass) => sendRounds(pass, reconcileInvoices, sendInvoices),
  locate: locateOpen,
  toast: createToast,
  summary(ctx, job) {
    const c = job.counts;
    return [ctx.say('summary.invoice', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped })];
  },
};
