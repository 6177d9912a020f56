/**
 * The create kind: sends the rows still to do, at the pace Mayar allows, and writes each link
 * back. Nothing lost, nothing twice: a row is marked in flight (persisted) before it is sent,
 * and leaves the job only after its result is in the sheet. A row whose outcome is unknown is
 * checked against Mayar's list of payments (reconcile.ts) before anything is sent again.
 */
import { clip } from '../../../core/cells';
import { describeFailure } from '../../../core/failure-text';
import { hashString } from '../../../core/fingerprint';
import { hasPayment, type JobRow, locate, removeRow } from '../../../core/job';
import { matchText } from '../../../core/reconcile';
import { DUPLICATE_WINDOW_MS, duplicateFreeAt, duplicateKeys, recordCalls, recordCreates, WINDOW_MS } from '../../../core/limiter';
import { classifyCreate, type Failure } from '../../../core/mayar';
import { createRequest } from '../../../core/mayar-requests';
import { deferForDuplicate, markInFlight, markUnknown, notSent } from '../../../core/row-lifecycle';
import { examineRow } from '../../../core/rows';
import { statusText } from '../../../core/status';
import type { PaymentRequest } from '../../../core/types';
import type { JobKindModule } from '../../engine/kind';
import { MAX_CHUNK, outOfTime, type Pass, type RowResult, type SheetSnapshot, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { noteLinkDomain } from '../../account';
import { noteTooManyRequests, roomNow } from '../../pacing';
import { countCreated, reconcileUnknown } from './reconcile';
import { attemptResult, errorResult, reviewResult } from './results';

function advanceCreate(pass: Pass): void {
  const { ctx, job } = pass;
  // A chunk normally uses the whole rate window; loop only while there is budget and capacity.
  for (let round = 0; round < 10 && !pass.stopMessage && !pass.pauseMessage && !outOfTime(ctx); round++) {
    const snap = snapshot(pass.sheet);
    const reconciled = reconcileUnknown(pass, snap);
    if (pass.stopMessage || pass.pauseMessage || job.state === 'cancelling') return;
    if (reconciled) continue; // the sheet changed; read it again before choosing rows
    const sent = sendChunk(pass, snap);
    if (!sent) return;
  }
}

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

  const claimed = new Set<number>();
  for (const r of job.rows)
    if (r.state === 'inFlight') {
      const at = locate(r, snap.data, snap.layout, snap.index, claimed);
      if (at >= 0) claimed.add(at);
    }
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
  const before = pass.limiter;
  pass.limiter = recordCreates(
    recordCalls(pass.limiter, now, chunk.length),
    now,
    chunk.flatMap((c) => c.keys),
  );
  ctx.store.save({ job, limiter: pass.limiter });

  const batch = ctx.ports.http.fetchAll(chunk.map((c) => createRequest(job.environment, pass.apiKey, c.request)));
  const results: RowResult[] = [...immediate];
  if (!batch.ok) {
    if (batch.notSent) {
      // Raised before anything left Apps Script (the daily quota, the whitelist, a permission):
      // nothing reached Mayar, so the rows are simply still to do, and the run waits for a person.
      for (const item of chunk) notSent(item.row);
      pass.limiter = before;
      pass.pauseMessage = ctx.say('dialog.notSent', { details: batch.error });
      writeResults(pass, results);
      return false;
    }
    // fetchAll threw: some requests may have reached Mayar. Reconcile before any resend.
    for (const item of chunk) {
      markUnknown(item.row, 'network', clip(batch.error, 200));
      results.push(attemptResult(ctx, item.row, item.request, 'log.unknown', batch.error));
    }
    waitUntil(pass, ctx.ports.clock.now() + 5_000);
    writeResults(pass, results);
    return false;
  }

  let accepted = 0;
  let rateLimited: number | null | undefined;
  batch.replies.forEach((reply, i) => {
    const item = chunk[i];
    if (!item) return;
    const outcome = classifyCreate(reply);
    if (outcome.ok) {
      accepted++;
      countCreated(pass, item.row);
      const status = statusText(ctx.locale, 'unpaid');
      const { link, id } = outcome.data;
      results.push({
        jobRow: item.row,
        cells: { link, paymentId: id, transactionId: outcome.data.transactionId ?? '', status, error: '' },
        log: { customer: item.request.name, amount: item.request.amount, action: ctx.say('log.create'), outcome: status, paymentId: id, link },
        // A blank expiry got the default: the sheet shows the due date that was sent.
        ...(item.request.expiredAt ? { inputs: { expiry: new Date(item.request.expiredAt) } } : {}),
        finished: true,
      });
      return;
    }
    const failure = outcome.failure;
    if (failure.kind === 'rate-limited') rateLimited = failure.retryAfterMs;
    const result = failedCreate(pass, item.row, item.request, failure);
    // Still in flight: the outcome is unknown until Mayar's list is checked. Pending: not created.
    results.push(result ?? attemptResult(ctx, item.row, item.request, item.row.state === 'inFlight' ? 'log.unknown' : 'log.pending', describeFailure(failure)));
  });

  const links = results.flatMap((r) => (typeof r.cells.link === 'string' && r.cells.link !== '' ? [r.cells.link] : []));
  if (links.length > 0) noteLinkDomain(ctx, pass.apiKey, links[links.length - 1] ?? '');
  if (rateLimited !== undefined) {
    const windowStart = ctx.ports.clock.now() - WINDOW_MS;
    const earlier = before.sent.filter((t) => t > windowStart).length;
    pass.limiter = noteTooManyRequests(ctx, pass.limiter, rateLimited, earlier + accepted);
    waitUntil(pass, pass.limiter.blockedUntil);
  }
  writeResults(pass, results);
  return !pass.stopMessage && !pass.pauseMessage && rateLimited === undefined;
}

/** What a failed create means for its row; null when the row simply stays in the job. */
function failedCreate(pass: Pass, row: JobRow, request: PaymentRequest, failure: Failure): RowResult | null {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const log = { customer: request.name, amount: request.amount, action: ctx.say('log.create') };
  switch (failure.kind) {
    case 'unauthorized':
      // Nothing was created; the row waits for the next run with a working key.
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
      if (!deferForDuplicate(row, now)) return errorResult(ctx, row, ctx.say('row.duplicateRepeated'), log);
      return null;
    case 'rejected':
    case 'not-found': {
      const details = failure.kind === 'rejected' ? failure.details.join('; ') : 'HTTP 404';
      return errorResult(ctx, row, ctx.say('row.rejected', { details }), log);
    }
    case 'conflict':
      return reviewResult(pass, row, ctx.say('row.conflict', { details: failure.details.join('; ') || '409' }), log);
    case 'unavailable':
      markUnknown(row, 'unavailable', clip(describeFailure(failure), 200));
      return null;
  }
}

/** A create's result goes only to a row without a payment: never over an identical done row. */
function locateOpen(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number {
  const index = locate(row, snap.data, snap.layout, snap.index, claimed);
  return index >= 0 && hasPayment(snap.data[index], snap.layout) ? -1 : index;
}

export const createKind: JobKindModule = {
  label: 'kind.create',
  extraColumns: [],
  advance: advanceCreate,
  locate: locateOpen,
  toast(ctx, job) {
    const c = job.counts;
    return ctx.say('toast.progress', { done: job.total - job.rows.length, total: job.total, created: c.created, failed: c.failed });
  },
  summary(ctx, job) {
    const c = job.counts;
    return [ctx.say('summary.create', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped })];
  },
};
