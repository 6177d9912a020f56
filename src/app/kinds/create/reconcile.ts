/**
 * Unknown outcomes. A row in flight from an earlier attempt is looked up in Mayar's list of
 * payments: found → its link goes in the row; not found once the duplicate window has passed
 * → safe to send again; can't tell → Needs review, never a blind resend.
 */
import { describeFailure } from '../../../core/failure-text';
import { hashString } from '../../../core/fingerprint';
import { attemptPrefix, hasPayment, type Job, type JobRow, locate, MAX_ATTEMPTS, MAX_RECONCILE_FAILURES, removeRow } from '../../../core/job';
import { matchText, reconcile, type Reconciled } from '../../../core/reconcile';
import { DUPLICATE_WINDOW_MS } from '../../../core/limiter';
import { classifyList, classifyPayment, paymentUrl } from '../../../core/mayar';
import { listRequest, paymentRequest } from '../../../core/mayar-requests';
import type { ListedPayment } from '../../../core/mayar-schemas';
import { backOff, noteFailedCheck } from '../../../core/row-lifecycle';
import { type PaymentStatus, statusText } from '../../../core/status';
import { callOne, outOfTime, type Pass, type RowResult, type SheetSnapshot, waitUntil, writeResults } from '../../engine/pass';
import { errorResult, logFor, reviewResult } from './results';

/** Pages of Mayar's payment list to search for a lost create (50 a page). */
const MAX_LIST_PAGES = 20;
const LIST_PAGE_SIZE = 50;
const MAYAR_STATUS: Record<string, PaymentStatus> = { unpaid: 'unpaid', paid: 'paid', closed: 'closed', expired: 'expired' };
/**
 * JobRow.observed of a create Mayar accepted: it is in the counts already, so a row whose
 * result could not be written (a protected range, a killed execution) is not counted again
 * when it is found.
 */
export const COUNTED = 'counted';

/** Counts a created payment once per row, however often its result has to be written. */
export function countCreated(pass: Pass, row: JobRow): void {
  if (row.observed !== COUNTED) pass.job.counts.created++;
  row.observed = COUNTED;
}

/** Checks the rows in flight; returns true when it wrote to the sheet. */
export function reconcileUnknown(pass: Pass, snap: SheetSnapshot): boolean {
  const { job } = pass;
  const inFlight = job.rows.filter((r) => r.state === 'inFlight');
  if (inFlight.length === 0) return false;
  const now = pass.ctx.ports.clock.now();
  const toCheck = rowsToCheck(pass, snap, inFlight, (row) => countCreated(pass, row));
  if (toCheck.length === 0) return false;

  const oldest = Math.min(...toCheck.map((r) => r.sentAt));
  const listed = listPaymentsSince(pass, oldest - 2 * 60_000);
  if (listed === 'stopped' || listed === 'no-capacity') return false;
  if (!listed.ok) return unverifiable(pass, toCheck, listed.error, now);

  // Content matching stays on even for rows sent with an email: if Mayar's list ever omits
  // extraData, insisting on the key would turn a found payment into a second one.
  const matches = matchLost(job, toCheck, listed.payments, snap);
  const links = { base: knownLinkBase(snap) };
  const results: RowResult[] = [];
  for (const row of toCheck) {
    const match = matches.get(String(row.uid));
    if (!match) continue;
    const result = match.kind === 'found' ? foundResult(pass, row, match.payment, links) : unfoundResult(pass, row, match, now);
    if (result) results.push(result);
  }
  if (results.length) writeResults(pass, results);
  return results.length > 0;
}

/*
 * The steps a lost create goes through whatever was created (a payment link or an invoice):
 * the rows to look up, a list that could not be read, the match against what Mayar listed, and
 * a row that is not (or not clearly) in the list.
 */

/**
 * The rows in flight to look up in this pass. A row whose result is in the sheet already (a
 * dead execution wrote it but did not clear the mark) leaves the job, counted by `count`.
 */
export function rowsToCheck(pass: Pass, snap: SheetSnapshot, inFlight: JobRow[], count: (row: JobRow) => void): JobRow[] {
  const claimed = new Set<number>();
  const open: JobRow[] = [];
  for (const row of inFlight) {
    const index = locate(row, snap.data, snap.layout, snap.index, claimed);
    if (index >= 0 && hasPayment(snap.data[index], snap.layout)) {
      claimed.add(index);
      count(row);
      removeRow(pass.job, row);
    } else open.push(row);
  }
  const toCheck = open.filter((row) => !pass.checked.has(row.uid));
  toCheck.forEach((row) => pass.checked.add(row.uid));
  return toCheck;
}

/** Mayar's list could not be read: a row that failed too often goes to Needs review; true when it wrote to the sheet. */
export function unverifiable(pass: Pass, rows: JobRow[], error: string, now: number): boolean {
  const { ctx } = pass;
  const results: RowResult[] = [];
  for (const row of rows)
    if (noteFailedCheck(row) >= MAX_RECONCILE_FAILURES)
      results.push(reviewResult(pass, row, ctx.say('row.unverifiable', { details: error }), logFor(ctx, 'log.reconcile')));
  waitUntil(pass, now + 30_000);
  if (results.length) writeResults(pass, results);
  return results.length > 0;
}

/** Each row's lost create in what Mayar listed (by attempt key, else name, amount and description), leaving out the ids the sheet holds. */
export function matchLost(job: Job, rows: JobRow[], listed: ListedPayment[], snap: SheetSnapshot): Map<string, Reconciled> {
  const knownIds = new Set<string>();
  const idColumn = snap.layout.output.paymentId;
  if (idColumn !== undefined)
    for (const cells of snap.data.slice(1)) {
      const id = cells[idColumn];
      if (typeof id === 'string' && id !== '') knownIds.add(id);
    }
  return reconcile(
    rows.map((r) => ({ key: String(r.uid), attemptPrefix: attemptPrefix(job, r), match: r.contentHash ?? '', at: r.sentAt, provable: false })),
    listed,
    (p) => hashString(matchText(p.name ?? '', p.amount ?? 0, p.description)),
    knownIds,
  );
}

/** A row not clearly in the list: several candidates → Needs review; none → sent again once the duplicate window has passed (with backoff), an Error after the last attempt. */
export function unfoundResult(pass: Pass, row: JobRow, match: Exclude<Reconciled, { kind: 'found' }>, now: number): RowResult | null {
  const { ctx } = pass;
  if (match.kind === 'ambiguous') return reviewResult(pass, row, ctx.say('row.ambiguous', { count: match.count }), logFor(ctx, 'log.reconcile'));
  if (now - row.sentAt < DUPLICATE_WINDOW_MS) {
    waitUntil(pass, row.sentAt + DUPLICATE_WINDOW_MS);
    return null;
  }
  // Not in Mayar after the duplicate window: it never arrived. Send again, with backoff.
  if (row.attempts >= MAX_ATTEMPTS) {
    const key = row.problemKind === 'unavailable' ? 'row.unavailable' : 'row.network';
    return errorResult(ctx, row, ctx.say(key, { attempts: row.attempts, details: row.problem ?? ctx.say('http.noReply') }), logFor(ctx, 'log.reconcile'));
  }
  waitUntil(pass, backOff(row, now));
  return null;
}

/**
 * The account's payment-link address (https://<merchant>.myr.id/pl/), from a link already in
 * the sheet: a listed payment's slug then makes its link without reading its detail.
 */
function knownLinkBase(snap: SheetSnapshot): string | null {
  const column = snap.layout.output.link;
  if (column === undefined) return null;
  for (const row of snap.data.slice(1)) {
    const base = linkBaseOf(String(row[column] ?? '').trim());
    if (base) return base;
  }
  return null;
}

function linkBaseOf(link: string | null): string | null {
  return /^(https:\/\/[^/\s]+\/pl\/)[^/?#\s]+$/.exec(link ?? '')?.[1] ?? null;
}

function foundResult(pass: Pass, row: JobRow, payment: ListedPayment, links: { base: string | null }): RowResult | null {
  const { ctx, job } = pass;
  let link = paymentUrl(payment) ?? (links.base && payment.link && /^[\w-]+$/.test(payment.link) ? `${links.base}${payment.link}` : null);
  if (!link) {
    // The list gives a slug only; the detail carries the full URL.
    const detail = callOne(pass, paymentRequest(job.environment, pass.apiKey, payment.id));
    if (detail === null) return null;
    const parsed = classifyPayment(detail);
    link = parsed.ok ? paymentUrl(parsed.data) : null;
    // Found, but its link could not be read now: the row stays in flight and is found again
    // next time, rather than a row with a Payment ID and no link to share.
    if (!link) return null;
    // One detail tells the account's link address: the other found payments need no read.
    links.base ??= linkBaseOf(link);
  }
  countCreated(pass, row);
  const status = statusText(ctx.locale, MAYAR_STATUS[payment.status ?? 'unpaid'] ?? 'unpaid');
  const transactionId = payment.transactions?.[0]?.id ?? '';
  return {
    jobRow: row,
    cells: { link: link ?? '', paymentId: payment.id, transactionId, status, error: '' },
    log: {
      customer: payment.name ?? '',
      amount: payment.amount ?? '',
      action: ctx.say('log.reconcile'),
      outcome: status,
      paymentId: payment.id,
      link: link ?? '',
    },
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
  const cutShort = (page: number, reason: 'row.searchCutInTime' | 'row.searchCutByRate'): Listing =>
    page === 0 ? 'no-capacity' : { ok: false, error: pass.ctx.say(reason, { pages: page }) };
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    if (outOfTime(pass.ctx)) {
      waitUntil(pass, pass.ctx.ports.clock.now() + 1_000);
      return cutShort(page, 'row.searchCutInTime');
    }
    const reply = callOne(pass, listRequest(pass.job.environment, pass.apiKey, LIST_PAGE_SIZE, cursor));
    if (reply === null) return pass.stopMessage ? 'stopped' : cutShort(page, 'row.searchCutByRate');
    const parsed = classifyList(reply);
    if (!parsed.ok) {
      if (parsed.failure.kind === 'unauthorized') {
        pass.stopMessage = pass.ctx.say('dialog.keyRejected', { environment: pass.job.environment });
        return 'stopped';
      }
      if (parsed.failure.kind === 'rate-limited') return cutShort(page, 'row.searchCutByRate');
      return { ok: false, error: describeFailure(parsed.failure) };
    }
    payments.push(...parsed.data.items);
    const last = parsed.data.items[parsed.data.items.length - 1];
    if (!parsed.data.hasMore || !parsed.data.next || !last || last.createdAt < since) return { ok: true, payments };
    cursor = parsed.data.next;
  }
  return { ok: false, error: pass.ctx.say('row.searchTooLong', { count: MAX_LIST_PAGES * LIST_PAGE_SIZE }) };
}
