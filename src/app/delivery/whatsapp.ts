/**
 * WhatsApp without a gateway: the WhatsApp Link column (a wa.me link with the bill text) and
 * the queue the Send by WhatsApp sidebar walks: bills not sent yet, and reminders due for
 * rows that have no email address. A person opens each link and confirms it was sent.
 */
import { planWrites, type RowUpdate } from '../../core/cells';
import { isEmail } from '../../core/email';
import { mapHeaders, type SheetLayout } from '../../core/headers';
import type { Locale } from '../../core/messages';
import { dueReminder, formatLastReminder, sentSteps, stepLabel } from '../../core/reminders';
import { formatAmount, renderTemplate, type TemplateValues } from '../../core/templates';
import type { Cell } from '../../core/types';
import { manualWhatsApp, type MessageChannel, readWaLink, waNumber } from '../../core/whatsapp';
import type { AppContext } from '../context';
import { withLock } from '../control';
import type { SheetPort } from '../ports';
import { isLogSheet } from '../sheet-prep';
import { ensureDeliveryColumns } from './columns';
import { isBlank, isOpenBill, type RowFacts, rowFacts } from './rows';
import { type DeliverySettings, loadDelivery, templatesFor } from './settings';

/** One message waiting for a person to send it. */
export interface WhatsAppItem {
  sheetRow: number;
  paymentId: string;
  name: string;
  amount: string;
  /** The mobile number as the sheet has it, for the person to recognise. */
  mobile: string;
  kind: 'bill' | 'reminder';
  /** The reminder step (days from the due day), for reminders. */
  step?: number;
  label: string;
  text: string;
  url: string;
}

/** Why a queue is empty: the sheet has no mobile column, no payment link yet, every message sent, or it cannot be read now. */
export type WhatsAppEmptyReason = 'noMobileColumn' | 'noLinks' | 'allSent' | 'logSheet' | 'busy';

export interface WhatsAppQueue {
  items: WhatsAppItem[];
  sheetName: string;
  locale: Locale;
  /** Why the queue is empty, or what went wrong. */
  message: string;
  /** Rows left out of the queue and why (a WhatsApp Link cell that is not a link), shown above it. */
  note?: string;
  /** Set when the queue is empty. */
  reason?: WhatsAppEmptyReason;
}

/** The bill's text: the template filled in, with the payment link added if the template has none. */
export function billText(locale: Locale, settings: DeliverySettings, values: TemplateValues): string {
  const template = templatesFor(settings, locale, 'bill').body;
  const text = renderTemplate(locale, template, values);
  return values.link && !text.includes(values.link) ? `${text}\n${values.link}` : text;
}

/** The wa.me link for a row, through the channel interface, or null without a usable number. */
function channelLink(channel: MessageChannel, facts: RowFacts, text: string): string | null {
  const result = channel.send({ name: facts.values.name, mobile: facts.mobile }, { text });
  return result.kind === 'link' ? result.url : null;
}

/**
 * Writes a WhatsApp Link for every open bill with a usable mobile number and no link yet.
 * Sheets without a mobile column get no column; rows without a usable number get no link.
 */
export function fillWhatsAppLinks(ctx: AppContext, sheet: SheetPort, data: Cell[][], layout: SheetLayout): SheetLayout {
  if (layout.input.mobile === undefined) return layout;
  const full = ensureDeliveryColumns(ctx, sheet, data, ['whatsappLink', 'whatsappSentAt']);
  const column = full.output.whatsappLink;
  if (column === undefined) return full;
  const settings = loadDelivery(ctx.ports.documentStore);
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  const updates = new Map<number, RowUpdate>();
  for (let index = 1; index < data.length; index++) {
    const facts = rowFacts(data, full, index, zone);
    if (!isOpenBill(facts, now) || !isBlank(facts.whatsappLink)) continue;
    const url = channelLink(manualWhatsApp, facts, billText(ctx.locale, settings, facts.values));
    if (url === null) continue;
    updates.set(index, new Map([[column, url]]));
    (data[index] as Cell[])[column] = url;
  }
  for (const block of planWrites(updates)) sheet.write(block.row, block.column, block.values);
  return full;
}

function queueOf(ctx: AppContext, data: Cell[][], layout: SheetLayout, badLinks: number[] = []): WhatsAppItem[] {
  const settings = loadDelivery(ctx.ports.documentStore);
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  const items: WhatsAppItem[] = [];
  for (let index = 1; index < data.length; index++) {
    const facts = rowFacts(data, layout, index, zone);
    if (!isOpenBill(facts, now)) continue;
    const base = {
      sheetRow: index + 1,
      paymentId: facts.paymentId,
      name: facts.values.name,
      amount: formatAmount(facts.values.amount),
      mobile: String(facts.mobile ?? '').trim(),
    };
    const link = isBlank(facts.whatsappLink) ? null : readWaLink(String(facts.whatsappLink));
    // A cell edited into something else is skipped (and named), never opened nor the queue failed.
    if (!isBlank(facts.whatsappLink) && link === null) {
      badLinks.push(index + 1);
      continue;
    }
    if (link !== null && isBlank(facts.whatsappSentAt)) {
      items.push({ ...base, kind: 'bill', label: ctx.say('whatsapp.bill'), text: link.text, url: link.url });
      continue;
    }
    // Reminders go by email where there is an address; here only the rows without one.
    if (!settings.reminders || facts.expiry === null || isEmail(facts.email) || waNumber(facts.mobile) === null) continue;
    const decision = dueReminder({
      settings: { enabled: settings.reminders, reminderDays: settings.reminderDays },
      expiry: facts.expiry,
      status: facts.status ?? 'unpaid',
      sent: sentSteps(facts.lastReminder, zone),
      remindersCell: facts.remindersCell,
      zone,
      now: new Date(now),
    });
    if (!decision.send) continue;
    const template = templatesFor(settings, ctx.locale, decision.kind).body;
    const text = renderTemplate(ctx.locale, template, { ...facts.values, days: decision.daysLeft });
    const url = channelLink(manualWhatsApp, facts, text);
    if (url === null) continue;
    items.push({ ...base, kind: 'reminder', step: decision.step, label: ctx.say('whatsapp.reminder', { step: stepLabel(decision.step) }), text, url });
  }
  return items;
}

function readQueue(ctx: AppContext, sheet: SheetPort): WhatsAppQueue {
  const data = sheet.readAll();
  const layout = fillWhatsAppLinks(ctx, sheet, data, mapHeaders(data[0] ?? []));
  return queueFor(ctx, sheet, data, layout);
}

function badLinkNote(ctx: AppContext, rows: readonly number[]): { note?: string } {
  return rows.length ? { note: ctx.say('whatsapp.badLink', { rows: rows.join(', ') }) } : {};
}

/** The queue of `sheet`; when it is empty, why (no mobile column, no payment link yet, all sent). */
function queueFor(ctx: AppContext, sheet: SheetPort, data: Cell[][], layout: SheetLayout): WhatsAppQueue {
  const badLinks: number[] = [];
  const items = queueOf(ctx, data, layout, badLinks);
  const queue = { items, sheetName: sheet.name, locale: ctx.locale, message: '', ...badLinkNote(ctx, badLinks) };
  if (items.length > 0) return queue;
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  let anyOpen = false;
  for (let index = 1; index < data.length && !anyOpen; index++) anyOpen = isOpenBill(rowFacts(data, layout, index, zone), now);
  if (layout.input.mobile === undefined) return { ...queue, reason: 'noMobileColumn', message: ctx.say('whatsapp.noMobileColumn') };
  if (!anyOpen) return { ...queue, reason: 'noLinks', message: ctx.say('whatsapp.noLinks') };
  return { ...queue, reason: 'allSent', message: ctx.say('whatsapp.allSent') };
}

function activeSheet(ctx: AppContext): SheetPort | null {
  const sheet = ctx.ports.spreadsheet.activeSheet();
  return isLogSheet(ctx, sheet) ? null : sheet;
}

/** The sidebar's queue for the active sheet (filling in missing WhatsApp Links first). */
export function whatsAppQueue(ctx: AppContext): WhatsAppQueue {
  const empty: WhatsAppQueue = { items: [], sheetName: '', locale: ctx.locale, message: ctx.say('dialog.busy'), reason: 'busy' };
  return (
    withLock(ctx, (ctx) => {
      const sheet = activeSheet(ctx);
      return sheet ? readQueue(ctx, sheet) : { ...empty, reason: 'logSheet', message: ctx.say('dialog.logSheet') };
    }) ?? empty
  );
}

/**
 * The person confirmed they sent the message: WhatsApp Sent At for a bill, Last Reminder for a
 * reminder. The row is found again by its Payment ID (rows may have moved). Returns the queue.
 */
export function markWhatsAppSent(ctx: AppContext, paymentId: string, kind: 'bill' | 'reminder', step?: number): WhatsAppQueue {
  const empty: WhatsAppQueue = { items: [], sheetName: '', locale: ctx.locale, message: ctx.say('dialog.busy'), reason: 'busy' };
  return (
    withLock(ctx, (ctx) => {
      const sheet = activeSheet(ctx);
      if (!sheet) return { ...empty, reason: 'logSheet', message: ctx.say('dialog.logSheet') };
      const data = sheet.readAll();
      const layout = ensureDeliveryColumns(ctx, sheet, data, kind === 'bill' ? ['whatsappLink', 'whatsappSentAt'] : ['lastReminder']);
      const idColumn = layout.output.paymentId;
      const index = idColumn === undefined ? -1 : data.findIndex((row, i) => i > 0 && String(row[idColumn] ?? '').trim() === paymentId);
      const now = ctx.ports.clock.now();
      const column = kind === 'bill' ? layout.output.whatsappSentAt : layout.output.lastReminder;
      if (index > 0 && column !== undefined) {
        const value: Cell = kind === 'bill' ? new Date(now) : formatLastReminder(step ?? 0, new Date(now), ctx.ports.spreadsheet.zone());
        sheet.write(index + 1, column + 1, [[value]]);
        (data[index] as Cell[])[column] = value;
      }
      return queueFor(ctx, sheet, data, layout);
    }) ?? empty
  );
}
