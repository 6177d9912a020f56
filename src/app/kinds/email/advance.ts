/**
 * The email job: one email per row with the bill template, Emailed At written after it.
 *
 * Safety: a row is marked in flight, and the job saved, before MailApp sends; the save before
 * the next send records that the previous one went out. An execution killed between a send
 * and that save leaves a row in flight whose fate is unknown: it is reported ("may have been
 * emailed at …; check your Sent folder") and never sent again. A quota error sends nothing,
 * so its row goes back to waiting and the run pauses until tomorrow.
 */
import { buildEmail, type Email, isEmail } from '../../../core/email';
import { findRowByPaymentId, type Job, type JobRow } from '../../../core/job';
import { cellText } from '../../../core/cell-text';
import type { Cell } from '../../../core/types';
import type { AppContext } from '../../context';
import type { JobKindModule } from '../../engine/kind';
import { outOfTime, type OutputCells, type Pass, type RowResult, type SheetSnapshot, snapshot, waitUntil, writeResults } from '../../engine/pass';
import { isBlank, isOpenBill, rowFacts } from '../../delivery/rows';
import { type DeliverySettings, loadDelivery, templatesFor } from '../../delivery/settings';
import { scheduleEmailResume } from '../../delivery/resume';
import type { MailOutcome } from '../../ports';

/** Marks what JobRow.observed says of an email row: MailApp returned, the email is out. */
const SENT = 'sent';
/** Results written to the sheet together (one setValues run, one log append). */
const WRITE_EVERY = 25;
/** job.step.phase of an email job: step.page counts the rows left for tomorrow's quota. */
export const EMAIL_PHASE = 'email';

/** Reply-to the person sending, when the platform tells us their address. */
export function replyTo(ctx: AppContext): string | undefined {
  return /^[^\s@]+@[^\s@]+$/.test(ctx.user) ? ctx.user : undefined;
}

/** Sends a customer email as the shop: the sender's name from the settings, replies to the person sending. */
export function sendToCustomer(ctx: AppContext, delivery: DeliverySettings, email: Email): MailOutcome {
  const from = replyTo(ctx);
  return ctx.ports.mail.send({ ...email, ...(delivery.senderName ? { name: delivery.senderName } : {}), ...(from ? { replyTo: from } : {}) });
}

/** Output cells whose types the engine's OutputCells does not list yet: written by header like the others. */
function cells(values: Record<string, Cell>): OutputCells {
  return values as OutputCells;
}

function sentResult(ctx: AppContext, row: JobRow, to: string): RowResult {
  return {
    jobRow: row,
    cells: cells({ emailedAt: new Date(row.sentAt), error: '' }),
    log: { customer: '', amount: '', action: ctx.say('email.logSent'), outcome: to, paymentId: row.key },
    finished: true,
  };
}

function timeText(ctx: AppContext, at: number): string {
  const zone = ctx.ports.spreadsheet.zone();
  const wall = new Date(at + zone.offsetMinutes(new Date(at)) * 60_000);
  return wall.toISOString().slice(0, 16).replace('T', ' ');
}

function unsureResult(ctx: AppContext, row: JobRow): RowResult {
  const message = ctx.say('email.unsure', { time: timeText(ctx, row.sentAt) });
  return {
    jobRow: row,
    // Emailed At holds the attempt, so no later run sends this row again by itself.
    cells: cells({ emailedAt: new Date(row.sentAt), error: message }),
    log: { customer: '', amount: '', action: ctx.say('email.logSent'), outcome: message, paymentId: row.key },
    finished: true,
    isError: true,
  };
}

function failedResult(ctx: AppContext, row: JobRow, details: string): RowResult {
  const message = ctx.say('email.failed', { details });
  return {
    jobRow: row,
    cells: cells({ error: message }),
    log: { customer: '', amount: '', action: ctx.say('email.logSent'), outcome: message, paymentId: row.key },
    finished: true,
    isError: true,
  };
}

function skippedResult(row: JobRow): RowResult {
  return { jobRow: row, cells: {}, log: null, finished: true };
}

function locateRow(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number {
  return findRowByPaymentId(snap.data, snap.layout, { paymentId: row.key }, row.sheetRow - 1, claimed);
}

/** Rows a dead execution left in flight: out if the save after the send or the sheet says so, else unsure. */
function settleInFlight(pass: Pass, snap: SheetSnapshot): RowResult[] {
  const { ctx, job } = pass;
  const results: RowResult[] = [];
  for (const row of job.rows) {
    if (row.state !== 'inFlight') continue;
    const index = locateRow(row, snap, new Set());
    const facts = index < 0 ? null : rowFacts(snap.data, snap.layout, index, ctx.ports.spreadsheet.zone());
    if (row.observed === SENT || (facts !== null && !isBlank(facts.emailedAt))) {
      // Marked sent together with its count in the same save: counted once already.
      if (row.observed !== SENT) job.counts.created++;
      results.push(sentResult(ctx, row, facts ? cellText(facts.email) : ''));
    } else {
      job.counts.review++;
      results.push(unsureResult(ctx, row));
    }
  }
  return results;
}

function advanceEmail(pass: Pass): void {
  const { ctx, job } = pass;
  let snap = snapshot(pass.sheet);
  const settled = settleInFlight(pass, snap);
  if (settled.length) {
    writeResults(pass, settled);
    snap = snapshot(pass.sheet);
  }
  if (job.state === 'cancelling') return;
  const delivery = loadDelivery(ctx.ports.documentStore);
  const templates = templatesFor(delivery, ctx.locale, 'bill');
  const zone = ctx.ports.spreadsheet.zone();
  let quota = ctx.ports.mail.remainingDailyQuota();
  let results: RowResult[] = [];
  const flush = (): void => {
    writeResults(pass, results);
    results = [];
    snap = snapshot(pass.sheet);
  };
  for (const row of [...job.rows]) {
    if (row.state !== 'pending') continue;
    if (outOfTime(ctx)) break;
    if (quota <= 0) {
      pauseForQuota(pass);
      break;
    }
    const index = locateRow(row, snap, new Set());
    if (index < 0) {
      job.counts.lost++;
      results.push(skippedResult(row));
      continue;
    }
    const facts = rowFacts(snap.data, snap.layout, index, zone);
    // Paid, closed or emailed since the run started (the webhook, another person): nothing to send.
    if (!isOpenBill(facts, ctx.ports.clock.now()) || !isEmail(facts.email) || !isBlank(facts.emailedAt)) {
      job.counts.skipped++;
      results.push(skippedResult(row));
      continue;
    }
    const to = cellText(facts.email).trim();
    const email = buildEmail(ctx.locale, to, templates, facts.values);
    row.state = 'inFlight';
    row.sentAt = ctx.ports.clock.now();
    row.attempts++;
    row.sheetRow = index + 1;
    job.touchedAt = row.sentAt;
    // Saved before sending: the mark that keeps a killed execution from sending twice.
    ctx.store.save({ job });
    const outcome = sendToCustomer(ctx, delivery, email);
    if (!outcome.sent) {
      // MailApp checks before it sends: a refusal means this email did not go out.
      row.state = 'pending';
      row.sentAt = 0;
      row.attempts--;
      if (outcome.overQuota) {
        pauseForQuota(pass);
        break;
      }
      results.push(failedResult(ctx, row, outcome.error));
      continue;
    }
    row.observed = SENT;
    job.counts.created++;
    quota--;
    results.push(sentResult(ctx, row, to));
    if (results.length >= WRITE_EVERY) flush();
  }
  writeResults(pass, results);
  if (!pass.pauseMessage && job.rows.length > 0) waitUntil(pass, ctx.ports.clock.now());
}

function pauseForQuota(pass: Pass): void {
  const waiting = pass.job.rows.filter((r) => r.state === 'pending').length;
  pass.pauseMessage = pass.ctx.say('email.quotaPaused', { count: waiting });
  scheduleEmailResume(pass.ctx, pass.job.sheetId);
}

export const emailKind: JobKindModule = {
  label: 'kind.email',
  // Engine types name only paidAt so far; writeResults adds any output column by its header.
  extraColumns: ['emailedAt'],
  advance: advanceEmail,
  locate: locateRow,
  toast(ctx, job) {
    const c = job.counts;
    return ctx.say('email.toast', { done: job.total - job.rows.length, total: job.total, sent: c.created, failed: c.failed });
  },
  summary(ctx, job: Job) {
    const c = job.counts;
    const notes = [ctx.say('email.summary', { sent: c.created, failed: Math.max(0, c.failed - c.review), unsure: c.review, skipped: c.skipped })];
    const later = job.step?.phase === EMAIL_PHASE ? (job.step.page ?? 0) : 0;
    if (later > 0) notes.push(ctx.say('email.later', { count: later }));
    return notes;
  },
};
