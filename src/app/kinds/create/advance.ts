/**
 * The create kind: sends the rows still to do, at the pace Mayar allows, and writes each link
 * back. Nothing lost, nothing twice: a row is marked in flight (persisted) before it is sent,
 * and leaves the job only after its result is in the sheet. A row whose outcome is unknown is
 * checked against Mayar's list of payments (reconcile.ts) before anything is sent again.
 */
import { describeFailure } from '../../../core/failure-text';
import { hashString } from '../../../core/fingerprint';
import { hasPayment, type JobRow, locate, removeRow } from '../../../core/job';
import { matchText } from '../../../core/reconcile';
import { DUPLICATE_WINDOW_MS, duplicateFreeAt, duplicateKeys } from '../../../core/limiter';
import { classifyCreate } from '../../../core/mayar';
import { createRequest } from '../../../core/mayar-requests';
import { markInFlight } from '../../../core/row-lifecycle';
import { examineRow } from '../../../core/rows';
import type { PaymentRequest } from '../../../core/types';
import type { JobKindModule } from '../../engine/kind';
import { MAX_CHUNK, type Pass, type RowResult, type SheetSnapshot, waitUntil, writeResults } from '../../engine/pass';
import { noteLinkDomain } from '../../account';
import { roomNow } from '../../pacing';
import { countCreated, reconcileUnknown } from './reconcile';
import { attemptResult, createdResult, errorResult, refusedCreate } from './results';
import { batchFailed, createToast, inFlightRows, locateOpen, readReplies, recordChunk, rowsToSend, sendRounds, slowDown } from './send';

interface ChunkItem {
  row: JobRow;
  index: number;
  request: PaymentRequest;
  keys: string[];
}

/** Picks the rows to send now, marks them in flight, sends, and writes what came back. */
function sendChunk(pass: Pass, snap: SheetSnapshot): boolean {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const room = roomNow(ctx, pass.limiter);
  const eligible = rowsToSend(pass, now, room);
  if (eligible.length === 0) return false;

  const claimed = inFlightRows(job, snap);
  const chunk: ChunkItem[] = [];
  const chunkKeys = new Set<string>();
  const immediate: RowResult[] = [];
  const limit = Math.min(room.available, MAX_CHUNK);
  for (const row of eligible) {
    if (chunk.length >= limit) break;
    if (row.notBefore > now) {
      waitUntil(pass, row.notBefore);
      continue;
    }
    const index = locate(row, snap.data, snap.layout, snap.index, claimed);
    if (index < 0) {
      job.counts.changed++;
      removeRow(job, row);
      continue;
    }
    const cells = snap.data[index] ?? [];
    if (hasPayment(cells, snap.layout)) {
      job.counts.skipped++;
      removeRow(job, row);
      continue;
    }
    const verdict = examineRow(cells, snap.layout, {
      zone: ctx.ports.spreadsheet.zone(),
      now: new Date(now),
      defaultExpiryDays: ctx.settings.defaultExpiryDays,
      locale: ctx.locale,
      titleTemplate: ctx.settings.titleTemplate,
      headers: snap.data[0] ?? [],
    });
    if (verdict.kind !== 'valid') {
      claimed.add(index);
      row.sheetRow = index + 1;
      if (verdict.kind === 'invalid') immediate.push(errorResult(ctx, row, verdict.errors.join('; ')));
      else {
        job.counts.changed++;
        removeRow(job, row);
      }
      continue;
    }
    const keys = duplicateKeys(verdict.request);
    const freeAt = duplicateFreeAt(pass.limiter, keys);
    if (freeAt > now || keys.some((k) => chunkKeys.has(k))) {
      // Same customer and amount as a create less than a minute ago: Mayar would refuse it.
      waitUntil(pass, freeAt > now ? freeAt : now + DUPLICATE_WINDOW_MS);
      continue;
    }
    claimed.add(index);
    keys.forEach((k) => chunkKeys.add(k));
    chunk.push({ row, index, request: verdict.request, keys });
  }

  if (chunk.length === 0) {
    if (immediate.length) writeResults(pass, immediate);
    return false;
  }

  // Persist the in-flight marks before anything leaves: an execution can die at any call.
  for (const item of chunk) {
    const key = markInFlight(job, item.row, now, item.index + 1, hashString(matchText(item.request.name, item.request.amount, item.request.description)));
    item.request.extraData = { sheetRowKey: key };
  }
  const before = recordChunk(pass, now, chunk);

  const batch = ctx.ports.http.fetchAll(chunk.map((c) => createRequest(job.environment, pass.apiKey, c.request)));
  const results: RowResult[] = [...immediate];
  // Some requests may have reached Mayar when fetchAll threw: logged as unknown, reconciled before any resend.
  if (!batch.ok) return batchFailed(pass, chunk, before, batch, results, (item) => attemptResult(ctx, item.row, item.request, 'log.unknown', batch.error));

  const { accepted, rateLimited } = readReplies(
    chunk,
    batch.replies,
    classifyCreate,
    (item, data) => {
      countCreated(pass, item.row);
      const log = { customer: item.request.name, amount: item.request.amount, action: ctx.say('log.create') };
      // A blank expiry got the default: the sheet shows the due date that was sent.
      return createdResult(ctx, item.row, data, log, item.request.expiredAt ? new Date(item.request.expiredAt) : undefined);
    },
    (item, failure) => {
      const log = { customer: item.request.name, amount: item.request.amount, action: ctx.say('log.create') };
      // Still in flight: the outcome is unknown until Mayar's list is checked. Pending: not created.
      return (
        refusedCreate(pass, item.row, failure, log) ??
        attemptResult(ctx, item.row, item.request, item.row.state === 'inFlight' ? 'log.unknown' : 'log.pending', describeFailure(failure))
      );
    },
    results,
  );

  const links = results.flatMap((r) => (typeof r.cells.link === 'string' && r.cells.link !== '' ? [r.cells.link] : []));
  if (links.length > 0) noteLinkDomain(ctx, pass.apiKey, links[links.length - 1] ?? '');
  if (rateLimited !== undefined) slowDown(pass, before, rateLimited, accepted);
  writeResults(pass, results);
  return !pass.stopMessage && !pass.pauseMessage && rateLimited === undefined;
}

export const createKind: JobKindModule = {
  label: 'kind.create',
  extraColumns: [],
  advance: (pass) => sendRounds(pass, reconcileUnknown, sendChunk),
  locate: locateOpen,
  toast: createToast,
  summary(ctx, job) {
    const c = job.counts;
    return [ctx.say('summary.create', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped })];
  },
};
