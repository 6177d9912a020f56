/**
 * Reminders by email, hourly. A pass finds the rows due for a reminder step (an address, an
 * open bill, the step's day come, 08:00–20:00 sheet time, Reminders not "stop"), confirms with
 * Mayar that they are still unpaid by a refresh of just those rows (the paged status read),
 * and emails only once that refresh has finished: in the same execution when it fits, else at
 * the next hour. Rows without an address wait in the WhatsApp queue (delivery/whatsapp.ts).
 *
 * Safety: Last Reminder is written and flushed before MailApp sends, so a step goes out at
 * most once even if the execution is killed between the two; a send that throws (MailApp
 * checks before sending) puts the cell back.
 */
import { buildEmail, isEmail } from '../../core/email';
import { type JobRow, pendingRow } from '../../core/job';
import type { ProgressView } from '../../core/progress';
import { dueReminder, formatLastReminder, sentSteps, stepLabel } from '../../core/reminders';
import { cellText } from '../../core/cell-text';
import type { Cell } from '../../core/types';
import { appendLog, type LogEntry } from '../audit-log';
import type { AppContext } from '../context';
import { afterRunEnded, jobFor, processNextBatch, runWhileTimeRemains, startJob, TRIGGER_GRACE_MS } from '../engine/engine';
import { outOfTime } from '../engine/pass';
import { sendToCustomer } from '../kinds/email/advance';
import type { SheetPort } from '../ports';
import { underLock } from '../lock';
import { scheduleContinuation } from '../schedule';
import { isLogSheet, prepareSheet } from '../sheet-prep';
import { ensureDeliveryColumns } from './columns';
import { isOpenBill, type RowFacts, rowFacts } from './rows';
import { type DeliverySettings, loadDelivery, templatesFor } from './settings';
import { sendThanks } from './thanks';
import { mapHeaders } from '../../core/headers';

/** When the refresh that confirms the due rows started; its result counts for this long. */
const CHECK_KEY = 'mayar.reminderCheck';
const CHECK_FRESH_MS = 2 * 3_600_000;

/** A row's reminder due now by email, or null. */
function dueByEmail(
  facts: RowFacts,
  delivery: DeliverySettings,
  ctx: AppContext,
  now: number,
): { step: number; daysLeft: number; kind: 'reminderBefore' | 'reminderDue' } | null {
  if (!isOpenBill(facts, now) || facts.expiry === null || !isEmail(facts.email)) return null;
  const zone = ctx.ports.spreadsheet.zone();
  const decision = dueReminder({
    settings: { enabled: delivery.reminders, reminderDays: delivery.reminderDays },
    expiry: facts.expiry,
    status: facts.status,
    sent: sentSteps(facts.lastReminder, zone),
    remindersCell: facts.remindersCell,
    zone,
    now: new Date(now),
  });
  return decision.send ? decision : null;
}

interface Candidates {
  sheet: SheetPort;
  /** The sheet as read to find them. */
  data: Cell[][];
  rows: JobRow[];
}

/** The sheets with rows due for an emailed reminder now, and those rows. */
function dueCandidates(ctx: AppContext, delivery: DeliverySettings): Candidates[] {
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  const found: Candidates[] = [];
  for (const sheet of ctx.ports.spreadsheet.sheets()) {
    if (isLogSheet(ctx, sheet)) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    if (layout.output.paymentId === undefined || layout.input.email === undefined) continue;
    const rows: JobRow[] = [];
    for (let index = 1; index < data.length; index++) {
      const facts = rowFacts(data, layout, index, zone);
      if (dueByEmail(facts, delivery, ctx, now)) rows.push(pendingRow(rows.length, facts.paymentId, index + 1));
    }
    if (rows.length) found.push({ sheet, data, rows });
  }
  return found;
}

/** Starts a refresh of the due rows of the first sheet (the other sheets queue, all their open rows); call with the lock held. */
function startCheckLocked(ctx: AppContext, candidates: readonly Candidates[]): ProgressView | null {
  const [first, ...others] = candidates;
  if (!first || !prepareSheet(ctx, first.sheet, ['paidAt'])) return null;
  const job = jobFor(ctx, 'refresh', first.sheet, first.rows);
  job.queue = others.map((c) => c.sheet.id);
  // The check's time is written once its run is saved: never a check time without its run.
  return startJob(ctx, job, { beforeFirstBatch: () => ctx.ports.documentStore.setMany({ [CHECK_KEY]: String(ctx.ports.clock.now()) }) });
}

/** A check of the due rows was started in the last two hours. */
function checkStarted(ctx: AppContext): boolean {
  const at = Number(ctx.ports.documentStore.get(CHECK_KEY) ?? '');
  return Number.isFinite(at) && at > 0 && ctx.ports.clock.now() - at <= CHECK_FRESH_MS;
}

/** Whether the refresh that confirms the due rows finished, recently, with every row read. */
function checkedRecently(ctx: AppContext): boolean {
  if (!checkStarted(ctx)) return false;
  const last = ctx.store.lastRun();
  return last !== null && last.kind === 'refresh' && last.state === 'done';
}

/** Emails the reminders due now on every sheet (as just read); call with the lock held, after the check. */
function sendDueReminders(ctx: AppContext, delivery: DeliverySettings, candidates: readonly Candidates[]): void {
  ctx.ports.documentStore.setMany({ [CHECK_KEY]: null });
  const zone = ctx.ports.spreadsheet.zone();
  let quota = ctx.ports.mail.remainingDailyQuota();
  for (const { sheet, data } of candidates) {
    const layout = ensureDeliveryColumns(ctx, sheet, data, ['lastReminder']);
    const column = layout.output.lastReminder;
    if (column === undefined) continue;
    const log: LogEntry[] = [];
    let stop = false;
    for (let index = 1; index < data.length && !stop; index++) {
      const now = ctx.ports.clock.now();
      const facts = rowFacts(data, layout, index, zone);
      const due = dueByEmail(facts, delivery, ctx, now);
      if (!due) continue;
      if (outOfTime(ctx) || quota <= 0) break;
      const before: Cell = facts.lastReminder;
      // Written and flushed before sending: the mark that keeps a step from going out twice.
      sheet.write(index + 1, column + 1, [[formatLastReminder(due.step, new Date(now), zone)]]);
      ctx.ports.spreadsheet.flush();
      const to = cellText(facts.email).trim();
      const email = buildEmail(ctx.locale, to, templatesFor(delivery, ctx.locale, due.kind), { ...facts.values, days: due.daysLeft });
      let outcome = to;
      const mailed = sendToCustomer(ctx, delivery, email);
      if (mailed.sent) quota--;
      else {
        // MailApp checks before it sends: nothing went out, so the step is still owed.
        sheet.write(index + 1, column + 1, [[before]]);
        if (mailed.overQuota) {
          stop = true;
          continue;
        }
        outcome = ctx.say('email.failed', { details: mailed.error });
      }
      const action = ctx.say('reminders.logSent', { step: stepLabel(due.step) });
      log.push({ sheet: sheet.name, row: index + 1, customer: facts.values.name, amount: '', action, outcome, paymentId: facts.paymentId });
    }
    appendLog(ctx, log);
    if (stop) break;
  }
}

/**
 * The hourly pass: thank-you emails, then reminders. Never while another run holds the
 * document (the next hour tries again); the refresh it starts is an ordinary run, shown in
 * the progress sidebar and carried on by the continuation trigger if it does not finish here.
 */
export function remindersTick(ctx: AppContext): void {
  const delivery = loadDelivery(ctx.ports.documentStore);
  if ((!delivery.reminders && !delivery.thankYou) || !ctx.store.apiKey(ctx.settings.keyScope)) return;
  const nothing = { view: null, carryOn: false };
  const pass = underLock(ctx, 1000, (): { view: ProgressView | null; carryOn: boolean } => {
    if (delivery.thankYou) sendThanks(ctx, delivery);
    const stored = ctx.store.job();
    if (!delivery.reminders || !stored.ok) return nothing;
    if (stored.job) {
      // A check this pass started, left behind by an execution that died before its trigger
      // was made: carry it on (below, without the lock), or no reminder would go out again.
      return { view: null, carryOn: stored.job.kind === 'refresh' && stored.job.state === 'running' && checkStarted(ctx) };
    }
    const candidates = dueCandidates(ctx, delivery);
    if (candidates.length === 0) return nothing;
    if (checkedRecently(ctx)) {
      sendDueReminders(ctx, delivery, candidates);
      return nothing;
    }
    return { view: startCheckLocked(ctx, candidates), carryOn: false };
  });
  if (!pass.locked) return;
  const started = pass.value.carryOn ? processNextBatch(ctx) : pass.value.view;
  if (!started) return;
  // Done in its first batch: the start's safety net has nothing left to carry on.
  if (!pass.value.carryOn && started.done) afterRunEnded(ctx);
  // The check runs as far as this execution allows.
  const view = runWhileTimeRemains(ctx, started);
  if (!view.done) {
    // Not finished here: the trigger carries the check on, and the next hour sends.
    if (view.state === 'running') scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
    return;
  }
  underLock(ctx, 1000, () => {
    // Read again: the check has just written what Mayar says into the sheets.
    if (checkedRecently(ctx)) sendDueReminders(ctx, delivery, dueCandidates(ctx, delivery));
  });
}
