/**
 * Advancing a job: processNextBatch() sends what Mayar's rate limit allows right now, writes
 * the results, and says how long to wait before the next call. The browser (progress sidebar)
 * or a one-off trigger does the waiting, never Apps Script.
 *
 * Nothing lost, nothing twice: a row is marked in flight (persisted) before it is sent, and
 * the mark is cleared only after its result is in the sheet. A row whose outcome is unknown
 * (execution died, fetchAll threw, 5xx, duplicate-rule 429 on a retry) is reconciled against
 * Mayar's list of payments before anything is sent for it again.
 */
import { planWrites, clip, type RowUpdate } from '../core/cells';
import { mapHeaders, type SheetLayout } from '../core/headers';
import { rowFingerprint, hashString } from '../core/fingerprint';
import {
  attemptKey,
  attemptPrefix,
  hasPayment,
  indexRows,
  locate,
  matchText,
  MAX_ATTEMPTS,
  MAX_DUPLICATE_DEFERRALS,
  MAX_RECONCILE_FAILURES,
  noteError,
  reconcile,
  type Job,
  type JobRow,
} from '../core/job';
import {
  capacity,
  DUPLICATE_WINDOW_MS,
  duplicateFreeAt,
  duplicateKeys,
  effectiveRate,
  onTooManyRequests,
  recordCalls,
  recordCreates,
  WINDOW_MS,
  type LimiterState,
} from '../core/limiter';
import {
  classifyCreate,
  classifyList,
  classifyPayment,
  createRequest,
  listRequest,
  paymentRequest,
  paymentUrl,
  type Failure,
  type ListedPayment,
} from '../core/mayar';
import type { ProgressView } from '../core/progress';
import { cellText, parseAmount } from '../core/parse';
import { examineRow } from '../core/rows';
import { statusText, type PaymentStatus } from '../core/status';
import type { Cell, PaymentRequest } from '../core/types';
import { appendLog, type LogEntry } from './audit-log';
import { rupiah, type AppContext } from './context';
import type { HttpRequestSpec, SheetPort } from './ports';
import { advanceRefresh } from './refresh';

/** How long a call waits for another execution to finish before saying "busy". */
export const LOCK_WAIT_MS = 5_000;
/** No new request starts after this much of the 6-minute execution limit. */
export const SEND_BUDGET_MS = 240_000;
/** The most creates in one fetchAll. */
export const MAX_CHUNK = 25;
/** The continuation trigger fires this long after the wait, so an open sidebar gets there first. */
export const TRIGGER_GRACE_MS = 20_000;
/** A batch's safety-net trigger fires this long after the batch starts: past the 6-minute limit. */
export const SAFETY_NET_MS = 7 * 60_000;
/** Pages of Mayar's payment list to search for a lost create (50 a page). */
const MAX_LIST_PAGES = 20;
const LIST_PAGE_SIZE = 50;
const BUSY_WAIT_MS = 5_000;
const HANDLER = 'processNextBatch';

/** Everything one execution learns and changes while advancing a job. */
export interface Pass {
  ctx: AppContext;
  job: Job;
  apiKey: string;
  sheet: SheetPort;
  limiter: LimiterState;
  /** Set when the run must stop (key rejected, sheet deleted). */
  stopMessage: string | null;
  /** Earliest time something can happen next. */
  nextAt: number;
  /** Rows already checked against Mayar's list in this execution: one list read is enough. */
  checked: Set<number>;
}

export interface RowResult {
  jobRow: JobRow;
  /** Output column → value. */
  cells: Partial<Record<'link' | 'paymentId' | 'transactionId' | 'status' | 'error' | 'paidAt', Cell>>;
  log: Omit<LogEntry, 'sheet' | 'row'>;
  /** The row leaves the job once this is in the sheet. Unfinished: an attempt to log, the row stays. */
  finished: boolean;
}

// ---- Entry: one batch ----------------------------------------------------------------------

export function processNextBatch(ctx: AppContext): ProgressView {
  const { ports } = ctx;
  // First of all, while a run exists: if this execution dies (the time limit, a crash), this
  // trigger carries the run on. The end of the batch replaces it with the next step or cancels it.
  const running = ctx.store.job() !== null;
  if (running) ports.triggers.scheduleOnce(HANDLER, SAFETY_NET_MS);
  if (!ports.lock.tryLock(LOCK_WAIT_MS)) {
    // Another execution holds the sheet for a moment: come back soon.
    if (running) ports.triggers.scheduleOnce(HANDLER, BUSY_WAIT_MS + TRIGGER_GRACE_MS);
    return busyView(ctx);
  }
  let view: ProgressView;
  try {
    view = advanceLocked(ctx);
  } finally {
    ports.spreadsheet.flush();
    ports.lock.release();
  }
  // Done, paused, or another person's run that only they can continue: no trigger of ours.
  if (view.state === 'running' && !view.done) ports.triggers.scheduleOnce(HANDLER, view.waitMs + TRIGGER_GRACE_MS);
  else ports.triggers.cancel(HANDLER);
  return view;
}

/** Advances the job; the caller holds the document lock. */
export function advanceLocked(ctx: AppContext): ProgressView {
  const job = ctx.store.job();
  if (!job) return idleView(ctx);
  if (job.state === 'paused') return viewOf(ctx, job, 0, 'paused');

  const apiKey = ctx.store.apiKey(job.keyScope);
  if (!apiKey || (job.keyScope === 'user' && job.startedBy !== ctx.user)) {
    if (job.startedBy !== ctx.user) return { ...viewOf(ctx, job, BUSY_WAIT_MS, 'busy'), message: ctx.say('dialog.otherUsersKey', { user: job.startedBy }) };
    return finish(ctx, job, 'stopped', ctx.say('dialog.noKey'));
  }
  const sheet = ctx.ports.spreadsheet.sheetById(job.sheetId);
  if (!sheet) return finish(ctx, job, 'stopped', ctx.say('dialog.sheetGone'));

  const pass: Pass = { ctx, job, apiKey, sheet, limiter: ctx.store.limiter(), stopMessage: null, nextAt: Infinity, checked: new Set() };
  if (job.kind === 'refresh') advanceRefresh(pass);
  else advanceCreate(pass);

  if (pass.stopMessage) return finish(ctx, job, 'stopped', pass.stopMessage, pass.limiter);
  if (job.rows.length === 0 || (job.state === 'cancelling' && !job.rows.some((r) => r.s === 'f'))) {
    return finish(ctx, job, job.state === 'cancelling' ? 'cancelled' : 'done', job.state === 'cancelling' ? ctx.say('run.cancelled', { user: job.pausedBy ?? ctx.user }) : '', pass.limiter);
  }
  const now = ctx.ports.clock.now();
  const waitMs = Math.max(1_000, Math.min(pass.nextAt, now + WINDOW_MS) - now);
  job.lastWaitMs = waitMs;
  ctx.store.save({ job, limiter: pass.limiter });
  return viewOf(ctx, job, waitMs, 'running', pass.limiter);
}

function outOfTime(ctx: AppContext): boolean {
  return ctx.ports.clock.now() - ctx.startedAt > SEND_BUDGET_MS;
}

// ---- Creating links ------------------------------------------------------------------------

export interface SheetSnapshot {
  data: Cell[][];
  layout: SheetLayout;
  index: ReturnType<typeof indexRows>;
}

export function snapshot(sheet: SheetPort): SheetSnapshot {
  const data = sheet.readAll();
  const layout = mapHeaders(data[0] ?? []);
  const index = indexRows(data.map((row, i) => (i === 0 ? '' : rowFingerprint(row, layout))));
  return { data, layout, index };
}

function advanceCreate(pass: Pass): void {
  const { ctx, job } = pass;
  // A chunk normally uses the whole rate window; loop only while there is budget and capacity.
  for (let round = 0; round < 10 && !pass.stopMessage && !outOfTime(ctx); round++) {
    const snap = snapshot(pass.sheet);
    const reconciled = reconcileUnknown(pass, snap);
    if (pass.stopMessage || job.state === 'cancelling') return;
    if (reconciled) continue; // the sheet changed; read it again before choosing rows
    const sent = sendChunk(pass, snap);
    if (!sent) return;
  }
}

/** Picks the rows to send now, marks them in flight, sends, and writes what came back. */
function sendChunk(pass: Pass, snap: SheetSnapshot): boolean {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const room = capacity(pass.limiter, now, ctx.settings.requestsPerMinute);
  const eligible = job.rows.filter((r) => r.s === 'p');
  if (eligible.length === 0) return false;
  if (outOfTime(ctx)) {
    // Checking Mayar took this execution's time: the next one sends.
    pass.nextAt = Math.min(pass.nextAt, now + 1_000);
    return false;
  }
  if (room.available === 0) {
    pass.nextAt = Math.min(pass.nextAt, now + room.waitMs);
    return false;
  }

  const claimed = new Set<number>();
  for (const r of job.rows) if (r.s === 'f') {
    const at = locate(r, snap.data, snap.layout, snap.index, claimed);
    if (at >= 0) claimed.add(at);
  }
  const chunk: { row: JobRow; index: number; request: PaymentRequest; keys: string[] }[] = [];
  const chunkKeys = new Set<string>();
  const immediate: RowResult[] = [];
  const limit = Math.min(room.available, MAX_CHUNK);
  for (const row of eligible) {
    if (chunk.length >= limit) break;
    if (row.nb > now) {
      pass.nextAt = Math.min(pass.nextAt, row.nb);
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
    const verdict = examineRow(cells, snap.layout, { zone: ctx.ports.spreadsheet.zone(), now: new Date(now), defaultExpiryDays: ctx.settings.defaultExpiryDays, locale: ctx.locale });
    if (verdict.kind !== 'valid') {
      claimed.add(index);
      row.r = index + 1;
      if (verdict.kind === 'invalid') immediate.push(errorResult(row, verdict.errors.join('; ')));
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
      pass.nextAt = Math.min(pass.nextAt, freeAt > now ? freeAt : now + DUPLICATE_WINDOW_MS);
      continue;
    }
    claimed.add(index);
    keys.forEach((k) => chunkKeys.add(k));
    chunk.push({ row, index, request: verdict.request, keys });
  }

  if (chunk.length === 0) {
    if (immediate.length) writeResults(pass, immediate, 'create');
    return false;
  }

  // Persist the in-flight marks before anything leaves: an execution can die at any call.
  for (const item of chunk) {
    const row = item.row;
    row.s = 'f';
    row.n++;
    row.at = now;
    row.r = item.index + 1;
    row.ak = attemptKey(job, row);
    row.m = hashString(matchText(item.request.name, item.request.amount, item.request.description));
    row.wk = 'lost';
    item.request.extraData = { sheetRowKey: row.ak };
  }
  const before = pass.limiter;
  pass.limiter = recordCreates(recordCalls(pass.limiter, now, chunk.length), now, chunk.flatMap((c) => c.keys));
  ctx.store.save({ job, limiter: pass.limiter });

  const requests = chunk.map((c) => createRequest(job.environment, pass.apiKey, c.request));
  const batch = ctx.ports.http.fetchAll(requests);
  const results: RowResult[] = [...immediate];
  if (!batch.ok) {
    // fetchAll threw: some requests may have reached Mayar. Reconcile before any resend.
    for (const item of chunk) {
      item.row.wk = 'network';
      item.row.why = clip(batch.error, 200);
      results.push(attemptResult(pass, item.row, item.request, 'log.unknown', batch.error));
    }
    pass.nextAt = Math.min(pass.nextAt, ctx.ports.clock.now() + 5_000);
    writeResults(pass, results, 'create');
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
      job.counts.created++;
      results.push({
        jobRow: item.row,
        cells: { link: outcome.data.link, paymentId: outcome.data.id, transactionId: outcome.data.transactionId ?? '', status: statusText(ctx.locale, 'unpaid'), error: '' },
        log: { customer: item.request.name, amount: item.request.amount, action: ctx.say('log.create'), outcome: statusText(ctx.locale, 'unpaid'), paymentId: outcome.data.id, link: outcome.data.link },
        finished: true,
      });
      return;
    }
    const failure = outcome.failure;
    if (failure.kind === 'rate-limited') rateLimited = failure.retryAfterMs;
    const result = failedCreate(pass, item.row, item.request, failure);
    // Still in flight: the outcome is unknown until Mayar's list is checked. Pending: not created.
    results.push(result ?? attemptResult(pass, item.row, item.request, item.row.s === 'f' ? 'log.unknown' : 'log.pending', describeFailure(failure)));
  });

  if (rateLimited !== undefined) {
    const windowStart = ctx.ports.clock.now() - WINDOW_MS;
    const earlier = before.sent.filter((t) => t > windowStart).length;
    pass.limiter = onTooManyRequests(pass.limiter, ctx.ports.clock.now(), rateLimited, earlier + accepted, ctx.settings.requestsPerMinute);
    pass.nextAt = Math.min(pass.nextAt, pass.limiter.blockedUntil);
  }
  writeResults(pass, results, 'create');
  return !pass.stopMessage && rateLimited === undefined;
}

/** What a failed create means for its row; null when the row simply stays in the job. */
function failedCreate(pass: Pass, row: JobRow, request: PaymentRequest, failure: Failure): RowResult | null {
  const { ctx, job } = pass;
  const now = ctx.ports.clock.now();
  const log = { customer: request.name, amount: request.amount, action: ctx.say('log.create') };
  switch (failure.kind) {
    case 'unauthorized':
      // Nothing was created; the row waits for the next run with a working key.
      row.s = 'p';
      row.n--;
      pass.stopMessage = ctx.say('dialog.keyRejected', { environment: job.environment });
      return null;
    case 'rate-limited':
      row.s = 'p';
      row.n--;
      return null;
    case 'duplicate':
      if (row.n > 1) {
        // A retry refused as a duplicate: the first attempt probably created it. Look first.
        row.wk = 'duplicate';
        row.why = 'Duplicate request';
        return null;
      }
      row.s = 'p';
      row.n--;
      row.dd = (row.dd ?? 0) + 1;
      row.nb = now + DUPLICATE_WINDOW_MS;
      if (row.dd > MAX_DUPLICATE_DEFERRALS) return errorResult(row, ctx.say('row.duplicateRepeated'), log);
      return null;
    case 'rejected':
    case 'not-found': {
      const details = failure.kind === 'rejected' ? failure.details.join('; ') : 'HTTP 404';
      return errorResult(row, ctx.say('row.rejected', { details }), log);
    }
    case 'conflict':
      return reviewResult(pass, row, ctx.say('row.conflict', { details: failure.details.join('; ') || '409' }), log);
    case 'unavailable':
      row.wk = 'unavailable';
      row.why = clip(describeFailure(failure), 200);
      return null;
  }
}

/** An attempt whose outcome is not final: only logged, the row stays in the job. */
function attemptResult(pass: Pass, row: JobRow, request: PaymentRequest, outcome: 'log.unknown' | 'log.pending', details: string): RowResult {
  const { ctx } = pass;
  return { jobRow: row, cells: {}, log: { customer: request.name, amount: request.amount, action: ctx.say('log.create'), outcome: ctx.say(outcome), details }, finished: false };
}

function errorResult(row: JobRow, message: string, log?: Omit<LogEntry, 'sheet' | 'row' | 'outcome'>): RowResult {
  return {
    jobRow: row,
    cells: { error: clip(message) },
    log: { customer: log?.customer ?? '', amount: log?.amount ?? '', action: log?.action ?? '', outcome: 'Error', details: message },
    finished: true,
  };
}

function reviewResult(pass: Pass, row: JobRow, reason: string, log: Omit<LogEntry, 'sheet' | 'row' | 'outcome'>): RowResult {
  pass.job.counts.review++;
  return {
    jobRow: row,
    cells: { status: statusText(pass.ctx.locale, 'review'), error: clip(reason) },
    log: { ...log, outcome: statusText(pass.ctx.locale, 'review'), details: reason },
    finished: true,
  };
}

// ---- Unknown outcomes ----------------------------------------------------------------------

/**
 * Rows in flight from an earlier attempt. Returns true when it wrote to the sheet.
 * Found in Mayar → its link goes in the row. Not found once the duplicate window has passed
 * → safe to send again. Can't tell → Needs review, never a blind resend.
 */
function reconcileUnknown(pass: Pass, snap: SheetSnapshot): boolean {
  const { ctx, job } = pass;
  const inFlight = job.rows.filter((r) => r.s === 'f');
  if (inFlight.length === 0) return false;
  const now = ctx.ports.clock.now();
  const results: RowResult[] = [];
  const claimed = new Set<number>();

  // A dead execution may have written the result but not cleared the mark.
  const open: JobRow[] = [];
  for (const row of inFlight) {
    const index = locate(row, snap.data, snap.layout, snap.index, claimed);
    if (index >= 0 && hasPayment(snap.data[index], snap.layout)) {
      claimed.add(index);
      job.counts.created++;
      removeRow(job, row);
    } else open.push(row);
  }
  const toCheck = open.filter((row) => !pass.checked.has(row.u));
  if (toCheck.length === 0) return false;
  toCheck.forEach((row) => pass.checked.add(row.u));

  const oldest = Math.min(...toCheck.map((r) => r.at));
  const listed = listPaymentsSince(pass, oldest - 2 * 60_000);
  if (listed === 'stopped') return false;
  if (listed === 'no-capacity') return false;
  if (!listed.ok) {
    for (const row of toCheck) {
      row.rc = (row.rc ?? 0) + 1;
      if (row.rc >= MAX_RECONCILE_FAILURES) results.push(reviewResult(pass, row, ctx.say('row.unverifiable', { details: listed.error }), logFor(ctx, 'log.reconcile')));
    }
    pass.nextAt = Math.min(pass.nextAt, now + 30_000);
    if (results.length) writeResults(pass, results, 'create');
    return results.length > 0;
  }

  const knownIds = new Set<string>();
  const idColumn = snap.layout.output.paymentId;
  if (idColumn !== undefined) for (const row of snap.data.slice(1)) {
    const id = row[idColumn];
    if (typeof id === 'string' && id !== '') knownIds.add(id);
  }
  // Content matching stays on even for rows sent with an email: if Mayar's list ever omits
  // extraData, insisting on the key would turn a found payment into a second one.
  const matches = reconcile(
    toCheck.map((r) => ({ key: String(r.u), attemptPrefix: attemptPrefix(job, r), match: r.m ?? '', at: r.at, provable: false })),
    listed.payments,
    (p) => hashString(matchText(p.name ?? '', p.amount ?? 0, p.description)),
    knownIds,
  );
  for (const row of toCheck) {
    const match = matches.get(String(row.u));
    if (!match) continue;
    if (match.kind === 'found') {
      const result = foundResult(pass, row, match.payment);
      if (result) results.push(result);
    } else if (match.kind === 'ambiguous') {
      results.push(reviewResult(pass, row, ctx.say('row.ambiguous', { count: match.count }), logFor(ctx, 'log.reconcile')));
    } else if (now - row.at >= DUPLICATE_WINDOW_MS) {
      // Not in Mayar after the duplicate window: it never arrived. Send again, with backoff.
      if (row.n >= MAX_ATTEMPTS) {
        const key = row.wk === 'unavailable' ? 'row.unavailable' : 'row.network';
        results.push(errorResult(row, ctx.say(key, { attempts: row.n, details: row.why ?? 'no reply' }), logFor(ctx, 'log.reconcile')));
      } else {
        row.s = 'p';
        row.nb = now + 15_000 * 2 ** (row.n - 1);
        pass.nextAt = Math.min(pass.nextAt, row.nb);
      }
    } else {
      pass.nextAt = Math.min(pass.nextAt, row.at + DUPLICATE_WINDOW_MS);
    }
  }
  if (results.length) writeResults(pass, results, 'create');
  return results.length > 0;
}

function logFor(ctx: AppContext, action: 'log.reconcile' | 'log.create'): Omit<LogEntry, 'sheet' | 'row' | 'outcome'> {
  return { customer: '', amount: '', action: ctx.say(action) };
}

const MAYAR_STATUS: Record<string, PaymentStatus> = { unpaid: 'unpaid', paid: 'paid', closed: 'closed', expired: 'expired' };

function foundResult(pass: Pass, row: JobRow, payment: ListedPayment): RowResult | null {
  const { ctx, job } = pass;
  let link = paymentUrl(payment);
  if (!link) {
    // The list gave a slug only; the detail carries the full URL.
    const detail = callOne(pass, paymentRequest(job.environment, pass.apiKey, payment.id));
    if (detail === null) return null;
    const parsed = classifyPayment(detail);
    link = parsed.ok ? paymentUrl(parsed.data) : null;
  }
  job.counts.created++;
  const status = statusText(ctx.locale, MAYAR_STATUS[payment.status ?? 'unpaid'] ?? 'unpaid');
  const transactionId = payment.transactions?.[0]?.id ?? '';
  return {
    jobRow: row,
    cells: { link: link ?? '', paymentId: payment.id, transactionId, status, error: '' },
    log: { customer: payment.name ?? '', amount: payment.amount ?? '', action: ctx.say('log.reconcile'), outcome: status, paymentId: payment.id, link: link ?? '' },
    finished: true,
  };
}

type Listing = { ok: true; payments: ListedPayment[] } | { ok: false; error: string } | 'no-capacity' | 'stopped';

/**
 * Mayar's payments created since `since`, newest first, a page per call through the limiter.
 * A search cut short (the rate limit or this execution's time ran out after some pages) is a
 * failed check: it would start again from the first page next time, and might never finish.
 */
function listPaymentsSince(pass: Pass, since: number): Listing {
  const payments: ListedPayment[] = [];
  let cursor: string | undefined;
  const cutShort = (page: number, reason: string): Listing => (page === 0 ? 'no-capacity' : { ok: false, error: `only ${page} pages of Mayar's recent payments could be read ${reason}` });
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    if (outOfTime(pass.ctx)) {
      pass.nextAt = Math.min(pass.nextAt, pass.ctx.ports.clock.now() + 1_000);
      return cutShort(page, 'in time');
    }
    const reply = callOne(pass, listRequest(pass.job.environment, pass.apiKey, LIST_PAGE_SIZE, cursor));
    if (reply === null) return pass.stopMessage ? 'stopped' : cutShort(page, 'within the rate limit');
    const parsed = classifyList(reply);
    if (!parsed.ok) {
      if (parsed.failure.kind === 'unauthorized') {
        pass.stopMessage = pass.ctx.say('dialog.keyRejected', { environment: pass.job.environment });
        return 'stopped';
      }
      if (parsed.failure.kind === 'rate-limited') return cutShort(page, 'within the rate limit');
      return { ok: false, error: describeFailure(parsed.failure) };
    }
    payments.push(...parsed.data.items);
    const last = parsed.data.items[parsed.data.items.length - 1];
    if (!parsed.data.hasMore || !parsed.data.next || !last || last.createdAt < since) return { ok: true, payments };
    cursor = parsed.data.next;
  }
  return { ok: false, error: `more than ${MAX_LIST_PAGES * LIST_PAGE_SIZE} recent payments to search` };
}

/**
 * One Mayar call through the rate limiter; null when the limiter says wait or this execution
 * is past its sending budget. A network failure comes back as status 0.
 */
export function callOne(pass: Pass, request: HttpRequestSpec): import('./ports').HttpReply | null {
  const now = pass.ctx.ports.clock.now();
  if (outOfTime(pass.ctx)) {
    pass.nextAt = Math.min(pass.nextAt, now + 1_000);
    return null;
  }
  const room = capacity(pass.limiter, now, pass.ctx.settings.requestsPerMinute);
  if (room.available === 0) {
    pass.nextAt = Math.min(pass.nextAt, now + room.waitMs);
    return null;
  }
  pass.limiter = recordCalls(pass.limiter, now, 1);
  const batch = pass.ctx.ports.http.fetchAll([request]);
  if (!batch.ok) {
    pass.nextAt = Math.min(pass.nextAt, now + 30_000);
    return { status: 0, headers: {}, body: batch.error };
  }
  const reply = batch.replies[0] ?? null;
  if (reply && reply.status === 429) {
    const parsed = classifyList(reply);
    if (!parsed.ok && parsed.failure.kind === 'rate-limited') {
      pass.limiter = onTooManyRequests(pass.limiter, pass.ctx.ports.clock.now(), parsed.failure.retryAfterMs, pass.limiter.sent.length - 1, pass.ctx.settings.requestsPerMinute);
      pass.nextAt = Math.min(pass.nextAt, pass.limiter.blockedUntil);
    }
  }
  return reply;
}

export function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'unauthorized':
      return 'HTTP 401 Unauthorized';
    case 'rate-limited':
      return 'HTTP 429 Too Many Requests';
    case 'duplicate':
      return 'HTTP 429 Duplicate request';
    case 'not-found':
      return 'HTTP 404';
    case 'conflict':
      return ['HTTP 409', ...failure.details].join(': ');
    case 'rejected':
      return failure.details.join('; ') || `HTTP ${failure.status}`;
    case 'unavailable': {
      // Always with the HTTP status: a 500's body may only say "Error".
      const status = `HTTP ${failure.status}`;
      return [status, ...failure.details.filter((d) => d !== status)].join('; ');
    }
  }
}

// ---- Writing results -----------------------------------------------------------------------

/**
 * Reads the sheet again (rows may have moved while Mayar answered), finds each result's row
 * by its content, appends the log, writes all results in one setValues per run of output
 * columns, flushes, and only then takes the finished rows out of the job and saves it.
 */
export function writeResults(pass: Pass, results: readonly RowResult[], kind: 'create' | 'refresh', locateBy?: (row: JobRow, snap: SheetSnapshot, claimed: Set<number>) => number): void {
  const { ctx, job } = pass;
  if (results.length === 0) {
    ctx.store.save({ job, limiter: pass.limiter });
    return;
  }
  const snap = snapshot(pass.sheet);
  const claimed = new Set<number>();
  const updates = new Map<number, RowUpdate>();
  const log: LogEntry[] = [];
  for (const result of results) {
    const index = locateBy ? locateBy(result.jobRow, snap, claimed) : locateOpen(result.jobRow, snap, claimed);
    const outputs = snap.layout.output;
    if (index < 0) {
      if (result.finished) job.counts.lost++;
      log.push({ ...result.log, sheet: job.sheetName, row: '', details: [ctx.say('log.unplaced'), result.log.details ?? ''].filter(Boolean).join(': ') });
      continue;
    }
    claimed.add(index);
    result.jobRow.r = index + 1;
    const update: RowUpdate = new Map();
    for (const [field, value] of Object.entries(result.cells)) {
      const column = outputs[field as keyof typeof outputs];
      if (column !== undefined && value !== undefined) update.set(column, value);
    }
    if (update.size) updates.set(index, update);
    if (result.cells.error && kind === 'create' && result.cells.status === undefined) noteError(job, index + 1);
    log.push({ ...withCustomer(result.log, snap, index), sheet: job.sheetName, row: index + 1 });
  }
  // The log first: if the execution dies between the two, the row is still in flight and the
  // next batch finds its payment in Mayar; the other way round, a payment written to the sheet
  // would be taken as done and never reach the log.
  appendLog(ctx, log);
  for (const block of planWrites(updates, snap.data)) pass.sheet.write(block.row, block.column, block.values);
  ctx.ports.spreadsheet.flush();
  for (const result of results) if (result.finished) removeRow(job, result.jobRow);
  ctx.store.save({ job, limiter: pass.limiter });
  const done = job.total - job.rows.length;
  if (ctx.ports.ui.available) {
    const c = job.counts;
    const text = job.kind === 'refresh'
      ? ctx.say('toast.refreshProgress', { done, total: job.total, paid: c.paid, failed: c.failed })
      : ctx.say('toast.progress', { done, total: job.total, created: c.created, failed: c.failed });
    ctx.ports.ui.toast(text, ctx.say('app.title'), 5);
  }
}

/** A log entry names its row's customer and amount, also when the outcome (a check) did not. */
function withCustomer(entry: RowResult['log'], snap: SheetSnapshot, index: number): RowResult['log'] {
  if (entry.customer !== '') return entry;
  const cells = snap.data[index] ?? [];
  const { name, amount } = snap.layout.input;
  const parsed = amount === undefined ? null : parseAmount(cells[amount] ?? '');
  return { ...entry, customer: name === undefined ? '' : cellText(cells[name]), amount: entry.amount !== '' ? entry.amount : parsed?.ok ? parsed.value : '' };
}

/** A create's result goes only to a row without a payment: never over an identical done row. */
function locateOpen(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number {
  const index = locate(row, snap.data, snap.layout, snap.index, claimed);
  return index >= 0 && hasPayment(snap.data[index], snap.layout) ? -1 : index;
}

export function removeRow(job: Job, row: JobRow): void {
  const at = job.rows.indexOf(row);
  if (at >= 0) job.rows.splice(at, 1);
}

// ---- Views ---------------------------------------------------------------------------------

export function viewOf(ctx: AppContext, job: Job, waitMs: number, state: ProgressView['state'], limiter: LimiterState = ctx.store.limiter()): ProgressView {
  const pending = job.rows.length;
  const rate = effectiveRate(limiter, ctx.settings.requestsPerMinute);
  const etaMs = pending === 0 ? 0 : Math.max(0, Math.ceil(pending / rate) - 1) * 60_000 + waitMs;
  const c = job.counts;
  return {
    done: false,
    waitMs,
    created: c.created,
    failed: c.failed,
    pending,
    state,
    kind: job.kind,
    total: job.total,
    needsReview: c.review,
    paid: c.paid,
    unpaid: c.unpaid,
    expired: c.expired,
    closed: c.closed,
    collected: c.collected,
    sheetName: job.sheetName,
    startedBy: job.startedBy,
    etaMs,
    message: state === 'paused' ? ctx.say('run.paused', { user: job.pausedBy ?? job.startedBy }) : '',
    firstErrorRow: job.firstErrorRow,
    locale: ctx.locale,
  };
}

export function idleView(ctx: AppContext): ProgressView {
  const last = ctx.store.lastRun();
  if (last) return { ...last, locale: ctx.locale, waitMs: 0, done: true };
  return {
    done: true, waitMs: 0, created: 0, failed: 0, pending: 0, state: 'idle', kind: null, total: 0, needsReview: 0,
    paid: 0, unpaid: 0, expired: 0, closed: 0, collected: 0, sheetName: '', startedBy: '', etaMs: 0,
    message: ctx.say('run.notStarted'), firstErrorRow: null, locale: ctx.locale,
  };
}

function busyView(ctx: AppContext): ProgressView {
  const job = ctx.store.job();
  const base = job ? viewOf(ctx, job, BUSY_WAIT_MS, 'busy') : { ...idleView(ctx), done: false, state: 'busy' as const, waitMs: BUSY_WAIT_MS };
  return { ...base, message: ctx.say('dialog.busy') };
}

/**
 * Ends the job: deletes it, keeps a summary for the sidebar, and says what happened. A pass
 * hands over its limiter, so calls it made since its last save are not forgotten.
 */
export function finish(ctx: AppContext, job: Job, state: 'done' | 'cancelled' | 'stopped', message: string, limiter?: LimiterState): ProgressView {
  const c = job.counts;
  const notes = [message];
  if (c.lost) notes.push(ctx.say('run.lost', { count: c.lost }));
  if (c.changed) notes.push(ctx.say('run.changed', { count: c.changed }));
  if (job.leftOver) notes.push(ctx.say('dialog.tooManyRows', { max: job.total }));
  if (job.kind === 'refresh') {
    notes.push(ctx.say('summary.refresh', { paid: c.paid, unpaid: c.unpaid, expired: c.expired, closed: c.closed, collected: rupiah(c.collected) }));
    if (c.failed) notes.push(ctx.say('summary.refreshErrors', { failed: c.failed }));
  } else notes.push(ctx.say('summary.create', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped }));
  const view: ProgressView = { ...viewOf(ctx, job, 0, state, limiter), done: true, pending: job.rows.length, etaMs: 0, message: notes.filter(Boolean).join(' ') };
  ctx.store.save({ job: null, lastRun: view, ...(limiter ? { limiter } : {}) });
  return view;
}
