/**
 * The thank-you email, once per row that turned Paid. The entry leaves the queue, and the
 * queue is saved, before MailApp sends: an execution killed between the two sends nothing
 * twice. A quota error sends nothing, so the entry goes back for the next hour.
 */
import { buildEmail, isEmail } from '../../core/email';
import { mapHeaders } from '../../core/headers';
import { findRowByPaymentId } from '../../core/job';
import { cellText } from '../../core/cell-text';
import type { Cell } from '../../core/types';
import { appendLog, type LogEntry } from '../audit-log';
import type { AppContext } from '../context';
import { outOfTime } from '../engine/pass';
import { sendToCustomer } from '../kinds/email/advance';
import { rowFacts } from './rows';
import { type DeliverySettings, templatesFor } from './settings';
import { saveThanksQueue, thanksQueue } from './thanks-queue';

/** Emails the thank-you to the queued rows that have an address; call with the lock held. */
export function sendThanks(ctx: AppContext, delivery: DeliverySettings): void {
  const store = ctx.ports.documentStore;
  let queue = thanksQueue(store);
  if (queue.length === 0) return;
  const zone = ctx.ports.spreadsheet.zone();
  const templates = templatesFor(delivery, ctx.locale, 'thanks');
  const sheets = new Map<number, { name: string; data: Cell[][] } | null>();
  const log: LogEntry[] = [];
  let quota = ctx.ports.mail.remainingDailyQuota();
  for (const entry of [...queue]) {
    if (outOfTime(ctx) || quota <= 0) break;
    if (!sheets.has(entry.sheetId)) {
      const sheet = ctx.ports.spreadsheet.sheetById(entry.sheetId);
      sheets.set(entry.sheetId, sheet ? { name: sheet.name, data: sheet.readAll() } : null);
    }
    queue = queue.filter((e) => e !== entry);
    // Saved before sending: the mark that keeps a killed execution from thanking twice.
    saveThanksQueue(store, queue);
    const sheet = sheets.get(entry.sheetId);
    if (!sheet) continue;
    const layout = mapHeaders(sheet.data[0] ?? []);
    const index = findRowByPaymentId(sheet.data, layout, { paymentId: entry.paymentId });
    if (index < 0) continue;
    const facts = rowFacts(sheet.data, layout, index, zone);
    if (facts.status !== 'paid' || !isEmail(facts.email)) continue;
    const to = cellText(facts.email).trim();
    let outcome = to;
    const mailed = sendToCustomer(ctx, delivery, buildEmail(ctx.locale, to, templates, facts.values));
    if (mailed.sent) quota--;
    else if (mailed.overQuota) {
      // Nothing went out: back in the queue for the next hour.
      queue = [entry, ...queue];
      saveThanksQueue(store, queue);
      break;
    } else outcome = ctx.say('email.failed', { details: mailed.error });
    log.push({
      sheet: sheet.name,
      row: index + 1,
      customer: facts.values.name,
      amount: '',
      action: ctx.say('thanks.logSent'),
      outcome,
      paymentId: entry.paymentId,
    });
  }
  appendLog(ctx, log);
}
