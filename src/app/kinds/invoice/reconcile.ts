/**
 * Lost replies of invoice creates. A row in flight from an earlier attempt is looked up in
 * Mayar's invoice list (GET /invoices, newest first, 50 a page): the attempt key sent in
 * extraData proves it, else name, total and description must match. Found → its link goes in
 * the row; not found once the duplicate window has passed → sent again (with backoff); can't
 * tell → Needs review, never a blind resend.
 */
import { describeFailure } from '../../../core/failure-text';
import {
  classifyInvoiceDetail,
  classifyInvoiceList,
  invoiceDetailRequest,
  invoiceListRequest,
  invoiceStatus,
  type ListedInvoice,
} from '../../../core/mayar-invoices';
import type { ListedPayment } from '../../../core/mayar-schemas';
import { statusText } from '../../../core/status';
import type { JobRow } from '../../../core/job';
import { callOne, outOfTime, type Pass, type RowResult, type SheetSnapshot, waitUntil, writeResults } from '../../engine/pass';
import { matchLost, rowsToCheck, unfoundResult, unverifiable } from '../create/reconcile';

const MAX_LIST_PAGES = 20;

/** Checks the rows in flight; true when it wrote to the sheet. */
export function reconcileInvoices(pass: Pass, snap: SheetSnapshot): boolean {
  const { ctx, job } = pass;
  const inFlight = job.rows.filter((r) => r.state === 'inFlight');
  if (inFlight.length === 0) return false;
  const now = ctx.ports.clock.now();
  const toCheck = rowsToCheck(pass, snap, inFlight, () => job.counts.created++);
  if (toCheck.length === 0) return false;

  const listed = listSince(pass, Math.min(...toCheck.map((r) => r.sentAt)) - 2 * 60_000);
  if (listed === 'wait') return false;
  if (!listed.ok) return unverifiable(pass, toCheck, listed.error, now);
  const asPayments: ListedPayment[] = listed.invoices.map((inv) => ({
    id: inv.id,
    name: inv.name,
    amount: inv.amount,
    description: inv.description,
    createdAt: inv.createdAt,
    status: inv.status,
    link: inv.link,
    transactions: (inv.transactions ?? []).map((tx) => ({ id: tx.id, extraData: tx.extraData })),
  }));
  const matches = matchLost(job, toCheck, asPayments, snap);
  const results: RowResult[] = [];
  for (const row of toCheck) {
    const match = matches.get(String(row.uid));
    if (!match) continue;
    let result: RowResult | null;
    if (match.kind === 'found') {
      const invoice = listed.invoices.find((inv) => inv.id === match.payment.id);
      result = invoice ? foundResult(pass, row, invoice) : null;
    } else result = unfoundResult(pass, row, match, now);
    if (result) results.push(result);
  }
  if (results.length) writeResults(pass, results);
  return results.length > 0;
}

/** The list gives a slug: the detail's paymentUrl is the link to share. */
function foundResult(pass: Pass, row: JobRow, invoice: ListedInvoice): RowResult | null {
  const { ctx, job } = pass;
  const reply = callOne(pass, invoiceDetailRequest(job.environment, pass.apiKey, invoice.id));
  if (reply === null) return null;
  const detail = classifyInvoiceDetail(reply);
  // Found, but its link can't be read now: the row stays in flight and is found again next time.
  if (!detail.ok || !detail.data.paymentUrl) return null;
  job.counts.created++;
  const status = statusText(ctx.locale, invoiceStatus(detail.data.status));
  const link = detail.data.paymentUrl;
  return {
    jobRow: row,
    cells: { link, paymentId: invoice.id, transactionId: detail.data.transactionId ?? invoice.transactions?.[0]?.id ?? '', status, error: '' },
    log: { customer: invoice.name ?? '', amount: invoice.amount ?? '', action: ctx.say('log.reconcile'), outcome: status, paymentId: invoice.id, link },
    finished: true,
  };
}

type Listing = { ok: true; invoices: ListedInvoice[] } | { ok: false; error: string } | 'wait';

/** Invoices created since `since`, a page per call through the limiter; a search cut short is a failed check. */
function listSince(pass: Pass, since: number): Listing {
  const invoices: ListedInvoice[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const cut = (reason: 'row.searchCutInTime' | 'row.searchCutByRate'): Listing =>
      page === 0 ? 'wait' : { ok: false, error: pass.ctx.say(reason, { pages: page }) };
    if (outOfTime(pass.ctx)) {
      waitUntil(pass, pass.ctx.ports.clock.now() + 1_000);
      return cut('row.searchCutInTime');
    }
    const reply = callOne(pass, invoiceListRequest(pass.job.environment, pass.apiKey, cursor));
    if (reply === null) return pass.stopMessage ? 'wait' : cut('row.searchCutByRate');
    const parsed = classifyInvoiceList(reply);
    if (!parsed.ok) {
      if (parsed.failure.kind === 'unauthorized') {
        pass.stopMessage = pass.ctx.say('dialog.keyRejected', { environment: pass.job.environment });
        return 'wait';
      }
      if (parsed.failure.kind === 'rate-limited') return cut('row.searchCutByRate');
      return { ok: false, error: describeFailure(parsed.failure) };
    }
    invoices.push(...parsed.data.items);
    const last = parsed.data.items[parsed.data.items.length - 1];
    if (!parsed.data.hasMore || !parsed.data.next || !last || last.createdAt < since) return { ok: true, invoices };
    cursor = parsed.data.next;
  }
  return { ok: false, error: pass.ctx.say('row.searchTooLong', { count: MAX_LIST_PAGES * 50 }) };
}
